import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { money, type TImportResult } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

/** The rows of a checked file, each with its errors named by field (or "Good"). */
export function ImportRows({ result, kind }: { result: TImportResult; kind: 'payments' | 'credits' }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table withTableBorder striped data-testid="import-rows">
        <TableCaption>{t('payment.import.rows')}</TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('payment.col.row')}</Table.Th>
            {kind === 'payments' && <Table.Th scope="col">{t('payment.col.billNo')}</Table.Th>}
            <Table.Th scope="col">{t(kind === 'payments' ? 'payment.col.payee' : 'payment.col.worker')}</Table.Th>
            <Table.Th scope="col">{t('payment.col.payDate')}</Table.Th>
            <Table.Th scope="col">{t('payment.col.utr')}</Table.Th>
            <Table.Th scope="col">{t('payment.col.amount')}</Table.Th>
            <Table.Th scope="col">{t('payment.col.result')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.rows.map((r) => (
            <Table.Tr key={r.row} data-bad={r.errors.length > 0 ? 'true' : undefined}>
              <Table.Td>{r.row}</Table.Td>
              {kind === 'payments' && <Table.Td>{r.billNo}</Table.Td>}
              <Table.Td>{r.payee}</Table.Td>
              {/* A date the file gave (read as yyyy-mm-dd) in the portal's dd/mm/yyyy; anything else as written. */}
              <Table.Td>{/^\d{4}-\d{2}-\d{2}$/.test(r.payDate) ? formatDate(r.payDate) : r.payDate}</Table.Td>
              <Table.Td>{r.utr}</Table.Td>
              <Table.Td>{r.amountPaise === null ? '' : money(r.amountPaise)}</Table.Td>
              <Table.Td c={r.errors.length > 0 ? 'red.9' : undefined}>
                {r.errors.length === 0
                  ? t('payment.import.ok')
                  : r.errors.map((e) => `${t(`payment.rowError.${e.field}`)}: ${t(`validation.${e.code}`)}`).join(' · ')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
