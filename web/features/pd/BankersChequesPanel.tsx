import { Paper, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TAccountBankersCheques } from '../../../shared/contracts/pd-efile.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { api } from '../../lib/api.ts';
import { money, PD_BASE } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;

/**
 * The banker's cheques recorded against an account (seed 004 para 3(8)): each replaces a failed
 * e-payment and is handed by the treasury to the administrator. Shown only when there are any.
 */
export function BankersChequesPanel({ accountId }: { accountId: number }) {
  const { t } = useTranslation();
  const { data } = useQuery({
    queryKey: ['pd', 'bankers-cheques', accountId],
    queryFn: () => api<TAccountBankersCheques>('GET', `${PD_BASE}/accounts/${accountId}/bankers-cheques`),
  });
  if (!data || data.items.length === 0) return null;
  return (
    <Paper withBorder p="lg">
      <Table.ScrollContainer minWidth={800}>
        <Table withTableBorder striped data-testid="pd-bankers-cheques">
          <TableCaption>{t('pd-efile.account.caption')}</TableCaption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pd.col.echequeNo')}</Table.Th>
              <Table.Th>{t('pd.col.payee')}</Table.Th>
              <Table.Th>{t('pd-efile.account.reason')}</Table.Th>
              <Table.Th>{t('pd-efile.bc.chequeNo')}</Table.Th>
              <Table.Th>{t('pd-efile.bc.chequeDate')}</Table.Th>
              <Table.Th>{t('pd-efile.bc.bankName')}</Table.Th>
              <Table.Th style={right}>{t('pd.col.amount')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.items.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td>{b.echequeId}</Table.Td>
                <Table.Td>{b.payeeName}</Table.Td>
                <Table.Td>
                  <Text size="sm">{b.reason}</Text>
                </Table.Td>
                <Table.Td>{b.chequeNo}</Table.Td>
                <Table.Td>{formatDate(b.chequeDate)}</Table.Td>
                <Table.Td>{b.bankName}</Table.Td>
                <Table.Td style={right}>{money(b.amountPaise)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
