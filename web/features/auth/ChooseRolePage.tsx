import { Button, Paper, Stack, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { TMe } from '../../../shared/contracts/auth.ts';
import { api } from '../../lib/api.ts';
import { scopePlace } from '../../lib/scope.ts';
import { useMe, useSetMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';

/** After login, a user with several role assignments picks the one to act in. */
export function ChooseRolePage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const setMe = useSetMe();
  const navigate = useNavigate();
  if (!me) return null;
  return (
    <Paper withBorder p="lg" maw={640}>
      <PageTitle title={t('auth.chooseRole')} />
      <Stack>
        {me.assignments.map((a) => (
          <Button
            key={a.id}
            variant="light"
            justify="flex-start"
            h="auto"
            py="sm"
            // Long office names wrap instead of being cut off (with the office number after them).
            // Devanagari needs a taller line than Mantine's button label gives, or its matras are cut.
            styles={{
              inner: { height: 'auto' },
              label: { whiteSpace: 'normal', textAlign: 'start', display: 'block', height: 'auto', overflow: 'visible', lineHeight: 1.6 },
            }}
            onClick={async () => {
              setMe(await api<TMe>('POST', '/api/v1/auth/switch', { assignmentId: a.id }));
              await navigate({ to: '/' });
            }}
          >
            <Text component="span" fw={600}>
              {t(`common.roles.${a.role}`)}
            </Text>
            <Text component="span" ml="sm">
              {scopePlace(a, i18n.language, t) ?? t(`common.scopes.${a.scopeKind}`)}
            </Text>
          </Button>
        ))}
      </Stack>
    </Paper>
  );
}
