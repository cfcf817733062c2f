import { Alert, Paper, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { money, monthName, useVerify } from './api.ts';

// Dark shades: the alert's title keeps 4.5:1 against its tinted background (bar W1).
const COLOR = { genuine: '#1b5e20', cancelled: '#7a4a00', altered: '#a61b1b', unknown: '#a61b1b' } as const;

/**
 * The public page a scanned QR code opens (no login): is this invoice genuine and unaltered?
 * It asks the portal with the number, the agency and the content hash from the code.
 */
export function VerifyInvoicePage() {
  const { t, i18n } = useTranslation();
  const q = new URLSearchParams(typeof window === 'undefined' ? '' : window.location.search);
  const no = q.get('no') ?? '';
  const agency = q.get('agency') ?? '';
  const h = q.get('h') ?? '';
  const { data, error } = useVerify(no, agency, h);
  return (
    <Paper withBorder p="lg" maw={720}>
      <PageTitle title={t('invoice.verify.title')} />
      <Stack>
        <Text size="sm">{t('invoice.verify.intro')}</Text>
        {(!no || !agency || !h || error) && (
          <Alert color="red" role="alert" data-testid="verify-result">
            {t('invoice.verify.badLink')}
          </Alert>
        )}
        {!data && !error && no && agency && h && <Text>{t('common.loading')}</Text>}
        {data && (
          <Alert color={COLOR[data.result]} role="status" data-testid="verify-result" title={t(`invoice.verify.${data.result}.title`)}>
            {t(`invoice.verify.${data.result}.body`)}
          </Alert>
        )}
        {data?.invoiceDate && (
          <Table withTableBorder data-testid="verify-facts">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">{t('invoice.col.number')}</Table.Th>
                <Table.Td>{data.invoiceNo}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('invoice.col.date')}</Table.Th>
                <Table.Td>{formatDate(data.invoiceDate)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('invoice.col.month')}</Table.Th>
                <Table.Td>{data.month ? monthName(data.month, i18n.language) : ''}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('invoice.col.agency')}</Table.Th>
                <Table.Td>{data.agencyName}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('invoice.col.total')}</Table.Th>
                <Table.Td data-testid="verify-total">{data.totalPaise === null ? '' : money(data.totalPaise)}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
