import { Alert, Anchor, Paper, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { useEsicOverdue } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

/** Accidents not reported to ESIC within 24 hours, among the caller's resources (oldest first). */
export function EsicOverduePage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data, error } = useEsicOverdue();
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('resource.esic.title')} crumbs={[{ label: t('resource.title'), to: '/resources' }]} />
      <Text size="sm" mb="md">
        {t('resource.esic.intro')}
      </Text>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={700}>
        <Table withTableBorder striped data-testid="esic-overdue-list">
          <TableCaption>{t('resource.esic.caption')}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('resource.esic.worker')}</Table.Th>
              <Table.Th scope="col">{t('resource.esic.agency')}</Table.Th>
              <Table.Th scope="col">{t('resource.esic.occurredAt')}</Table.Th>
              <Table.Th scope="col">{t('resource.esic.dueAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data && data.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text size="sm" ta="center">
                    {t('resource.esic.none')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {!data && !error && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text size="sm" ta="center">
                    {t('common.loading')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {data?.items.map((x) => (
              <Table.Tr key={x.eventId}>
                <Table.Td>
                  <Anchor component={Link} to={`/resources/${x.resourceId}`} underline="always">
                    {name(x.nameEn, x.nameHi)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{x.agencyName}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeIst(x.occurredAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeIst(x.esicDueAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** A badge-like note on the resources list when accidents are overdue for ESIC reporting. */
export function EsicOverdueNote() {
  const { t } = useTranslation();
  const { data } = useEsicOverdue();
  if (!data?.total) return null;
  return (
    <Alert color="red" variant="light" mb="sm" role="note" data-testid="esic-overdue-note">
      <Anchor component={Link} to="/resources/esic-overdue" underline="always" c="red.9" fw={600}>
        {t('resource.esic.badge', { count: data.total })}
      </Anchor>
    </Alert>
  );
}
