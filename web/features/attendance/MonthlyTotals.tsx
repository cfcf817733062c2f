import { Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TTotals } from '../../../shared/contracts/attendance.ts';
import { api } from '../../lib/api.ts';
import { BASE, monthLabel } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const COLUMNS = ['sheets', 'rows', 'daysOnRolls', 'present', 'paidLeave', 'offs', 'absence', 'paidDays'] as const;

/**
 * Finalised attendance per month within the reader's offices (or the department picked), newest
 * first, from the maintained totals (bar S4). Months before `firstMonth` (the portal's start) are
 * left out; the API gives 24.
 */
export function MonthlyTotals({ departmentId, department, firstMonth }: { departmentId: string; department?: string; firstMonth: string }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['attendance', 'totals', departmentId],
    queryFn: () => api<TTotals>('GET', `${BASE}/totals?months=24${departmentId ? `&departmentId=${departmentId}` : ''}`),
    retry: false,
  });
  if (!q.data) return null;
  const months = q.data.months.filter((m) => m.month >= firstMonth).reverse();
  const nf = new Intl.NumberFormat(i18n.language === 'hi' ? 'hi-IN' : 'en-IN');
  if (!months.some((m) => m.sheets > 0)) return <Text size="sm">{t('attendance.overview.monthly.none')}</Text>;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table withTableBorder data-testid="overview-monthly">
        <TableCaption>
          {t('attendance.overview.monthly.caption', {
            scope: department ? t('attendance.overview.monthly.scopeDepartment', { department }) : '',
          })}
        </TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('attendance.overview.monthly.month')}</Table.Th>
            {COLUMNS.map((c) => (
              <Table.Th key={c} ta="right">
                {t(`attendance.overview.monthly.${c}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {months.map((m) => (
            <Table.Tr key={m.month} data-testid={`overview-monthly-${m.month}`}>
              <Table.Th scope="row" fw={500}>
                {monthLabel(m.month, i18n.language)}
              </Table.Th>
              {COLUMNS.map((c) => (
                <Table.Td key={c} ta="right">
                  {nf.format(m[c])}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
