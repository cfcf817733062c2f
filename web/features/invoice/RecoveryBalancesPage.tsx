import { Alert, Anchor, Checkbox, List, Paper, Stack, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { TableCaption } from '../../ui/TableCaption.tsx';
import { money, monthName, useRecoveryBalances } from './api.ts';

const right = { textAlign: 'right' } as const;

/**
 * Recoveries still open (docs/INVOICES.md "Recoveries carried forward — the report"): per contract and
 * agency, each balance an invoice carried forward and nothing has recovered yet, the contracts that
 * have ended first — their balance is recovered outside the portal. Finance and the department, each
 * within its reach (the server decides).
 */
export function RecoveryBalancesPage() {
  const { t, i18n } = useTranslation();
  const [endedOnly, setEndedOnly] = useState(false);
  const { data, error } = useRecoveryBalances(endedOnly);
  const items = data?.items ?? [];
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('invoice.recoveries.title')} />
      <Stack>
        <Text>{t('invoice.recoveries.intro')}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        <Checkbox label={t('invoice.recoveries.endedOnly')} checked={endedOnly} onChange={(e) => setEndedOnly(e.currentTarget.checked)} />
        {data && items.length === 0 && <Text>{t('invoice.recoveries.empty')}</Text>}
        {data && items.length > 0 && (
          <>
            <Text fw={600} data-testid="recoveries-total">
              {t('invoice.recoveries.total', { amount: money(data.totalPaise), ended: money(data.endedTotalPaise) })}
            </Text>
            <Table.ScrollContainer minWidth={900}>
              <Table withTableBorder striped data-testid="recovery-balances">
                <TableCaption>{t('invoice.recoveries.caption')}</TableCaption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('invoice.recoveries.col.contract')}</Table.Th>
                    <Table.Th scope="col">{t('invoice.recoveries.col.agency')}</Table.Th>
                    <Table.Th scope="col">{t('invoice.recoveries.col.status')}</Table.Th>
                    <Table.Th scope="col">{t('invoice.recoveries.col.balances')}</Table.Th>
                    <Table.Th scope="col" style={right}>
                      {t('invoice.recoveries.col.total')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((g) => (
                    <Table.Tr key={`${g.contractId}-${g.agencyId}`}>
                      <Table.Td>{g.contractNo}</Table.Td>
                      <Table.Td style={{ minWidth: 180 }}>{g.agencyName}</Table.Td>
                      <Table.Td>
                        <Text size="sm" c={g.contractEnded ? 'red.9' : undefined} fw={g.contractEnded ? 700 : undefined}>
                          {t(`contract.status.${g.contractStatus}`)} · {t(g.contractEnded ? 'invoice.recoveries.ended' : 'invoice.recoveries.running')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <List size="sm">
                          {g.balances.map((b) => (
                            <List.Item key={`${b.invoiceId}-${b.month}-${b.part}`}>
                              <Anchor component={Link} to={`/invoices/${b.invoiceId}`}>
                                {t('invoice.recoveries.balance', {
                                  invoiceNo: b.invoiceNo,
                                  month: monthName(b.month, i18n.language),
                                  part: t(`invoice.recoveries.part.${b.part}`),
                                  amount: money(b.amountPaise),
                                })}
                              </Anchor>
                            </List.Item>
                          ))}
                        </List>
                      </Table.Td>
                      <Table.Td style={right} fw={700}>
                        {money(g.totalPaise)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
    </Paper>
  );
}
