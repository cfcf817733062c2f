import { Alert, Center, Loader, Paper } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { useAgency, useMyAgency } from './api.ts';
import { AgencyView } from './AgencyView.tsx';
import { agencyFlash } from './flash.ts';

/** One agency, for department roles (any agency) and agency users (their own; another is 404). */
export function AgencyPage() {
  const { t } = useTranslation();
  const params = useParams({ strict: false }) as { id?: string };
  const { data, error, isLoading } = useAgency(Number(params.id));
  const [flash] = useState(agencyFlash.take);
  return (
    <Paper withBorder p="lg">
      <PageTitle title={data?.legalName ?? t('agency.view.title')} crumbs={[{ label: t('agency.nav.list'), to: '/agencies' }]} />
      {flash && (
        <Alert color="green" role="status" mb="sm">
          {t(flash.key, flash.params)}
        </Alert>
      )}
      {isLoading && (
        <Center>
          <Loader role="status" aria-label={t('common.loading')} />
        </Center>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {data && <AgencyView agency={data} named={false} />}
    </Paper>
  );
}

/** "My agency": the agency user's own agency page. */
export function MyAgencyPage() {
  const { t } = useTranslation();
  const { data, error, isLoading } = useMyAgency();
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('agency.nav.mine')} />
      {isLoading && (
        <Center>
          <Loader role="status" aria-label={t('common.loading')} />
        </Center>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {data && <AgencyView agency={data} />}
    </Paper>
  );
}
