import { Alert, Button, Group, Paper, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { agencyKeys, particularsForm } from './api.ts';
import { agencyFlash } from './flash.ts';
import { ParticularsForm, useParticulars } from './ParticularsForm.tsx';

/** A department registers an agency (spec 03): pending, with an admin user told by SMS. */
export function RegisterAgencyPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { value, files, formProps, problems, problem, busy, accept, send } = useParticulars();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!accept(await problems())) return;
    await send(async () => {
      const r = await api<{ agencyId: number; username: string }>('POST', '/api/v1/agencies', particularsForm(value, files));
      await qc.invalidateQueries({ queryKey: agencyKeys.all });
      agencyFlash.set({ key: 'agency.register.done', params: { username: r.username } });
      await navigate({ to: `/agencies/${r.agencyId}` });
    });
  };

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('agency.register.title')} crumbs={[{ label: t('agency.nav.list'), to: '/agencies' }]} />
      {problem && (
        <Alert color="red" role="alert" mb="sm">
          {problem}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack>
          <ParticularsForm {...formProps} />
          <Group>
            <Button type="submit" loading={busy}>
              {t('agency.register.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
