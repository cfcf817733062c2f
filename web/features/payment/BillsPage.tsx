import { Alert, Anchor, Paper, Stack, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { money, useBills } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;

/** Bills in the caller's scope: IFMIS status, what is paid and what is still payable. */
export function BillsPage() {
  const { t } = useTranslation();
  const { data, error } = useBills();
  const items = data?.items ?? [];
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('payment.bills.title')} />
      <Stack>
        <Text>{t('payment.bills.intro')}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        {data && items.length === 0 && <Text>{t('payment.bills.empty')}</Text>}
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={800}>
            <Table withTableBorder striped data-testid="payment-bills">
              <TableCaption>{t('payment.bills.caption')}</TableCaption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('payment.col.billNo')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.invoiceNo')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.ddoCode')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.status')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.stage')}</Table.Th>
                  <Table.Th scope="col" style={right}>
                    {t('payment.col.net')}
                  </Table.Th>
                  <Table.Th scope="col" style={right}>
                    {t('payment.col.paid')}
                  </Table.Th>
                  <Table.Th scope="col" style={right}>
                    {t('payment.col.outstanding')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((b) => (
                  <Table.Tr key={b.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/payments/bills/${b.id}`}>
                        {b.billNo}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{b.invoiceNo}</Table.Td>
                    <Table.Td>{b.ddoCode}</Table.Td>
                    <Table.Td>{t(`payment.status.${b.status}`)}</Table.Td>
                    <Table.Td>{t(`payment.stage.${b.stage || 'none'}`)}</Table.Td>
                    <Table.Td style={right}>{money(b.netPayablePaise)}</Table.Td>
                    <Table.Td style={right}>{money(b.paidPaise)}</Table.Td>
                    <Table.Td style={right}>{money(b.outstandingPaise)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
