import { Paper, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { api } from '../../lib/api.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';

type Item = { id: number; channel: string; recipient: string; body: string; createdAt: string };

/** The sandbox SMS / e-mail inbox, so a demo user can read a one-time code. */
export function OutboxPage() {
  const { t } = useTranslation();
  const { data } = useQuery({ queryKey: ['dev-outbox'], queryFn: () => api<{ items: Item[] }>('GET', '/api/v1/dev/outbox'), refetchInterval: 2000 });
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('common.devOutbox')} />
      <Table.ScrollContainer minWidth={600}>
        <Table withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.sno')}</Table.Th>
              <Table.Th>{t('auth.mobile')}</Table.Th>
              <Table.Th>SMS</Table.Th>
              <Table.Th>{t('auth.lastUpdate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.items ?? []).map((m, i) => (
              <Table.Tr key={m.id}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>{m.recipient}</Table.Td>
                <Table.Td>
                  <Text size="sm" data-testid="sms-body">
                    {m.body}
                  </Text>
                </Table.Td>
                <Table.Td>{formatDateTimeIst(m.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
            {data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>{t('common.noData')}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
