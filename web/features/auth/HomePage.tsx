import { Anchor, Paper, SimpleGrid, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { can, useMe } from '../../lib/session.ts';
import { NAV } from '../../nav.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';

export function HomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const items = NAV.filter((n) => can(me, n.permission));
  return (
    <>
      <PageTitle title={t('common.dashboard')} />
      <Text mb="md">{t('common.welcome', { name: me?.user.name ?? '' })}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        {items.map((n) => (
          <Paper key={n.to} withBorder p="md">
            <Anchor component={Link} to={n.to} fw={600}>
              {t(n.label)}
            </Anchor>
          </Paper>
        ))}
      </SimpleGrid>
    </>
  );
}
