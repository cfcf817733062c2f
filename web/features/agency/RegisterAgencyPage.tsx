import { Alert, Button, Group, Paper, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../lib/api.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { agencyKeys, particularsForm, } from './api.ts';
import { agencyFlash } from './flash.ts';
import { ParticularsForm, useParticulars } from './ParticularsForm.tsx';

/** A department registers an agency (spec 03): pending, with an admin user told by SMS. */
export function RegisterAgencyPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { value, files, setErrors, formProps, problems } = useParticulars();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const codes = await problems();
    const local = Object.fromEntries(Object.entries(codes).map(([k, c]) => [k, t(`validation.${c}`)]));
    setErrors(local);
    if (Object.keys(local).length) {
      setProblem(t('agency.form.fixErrors'));
      return;
    }
    setBusy(true);
    try {
      const r = await api<{ agencyId: number; username: string }>('POST', '/api/v1/agencies', particularsForm(value, files));
      await qc.invalidateQueries({ queryKey: agencyKeys.all });
      agencyFlash.set({ key: 'agency.register.done', params: { username: r.username } });
      await navigate({ to: `/agencies/${r.agencyId}` });
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fieldErrors());
        setProblem(err.problem.title);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('agency.register.title')} crumbs={[{ label: t('agency.nav.list'), to: '/agencies' }]} />
      {problem && <Alert color="red" role="alert" mb="sm">{problem}</Alert>}
      <form onSubmit={submit} noValidate>
        <Stack>
          <ParticularsForm {...formProps} />
          <Group>
            <Button type="submit" loading={busy}>{t('agency.register.submit')}</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
