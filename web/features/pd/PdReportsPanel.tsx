import { Alert, Anchor, Group, NativeSelect, Paper, SegmentedControl, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TRepFigures } from '../../../shared/contracts/pd-rep.ts';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { qs } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { monthLabel, monthsBack, parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { money, PD_BASE } from './api.ts';
import { lastMonth, useAccountReport } from './rep-api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;
/** An amount never breaks inside itself ("₹5,000.0" above "0" in a narrow column). */
const amount = { textAlign: 'right', whiteSpace: 'nowrap' } as const;
const COLS = ['opening', 'deposits', 'reversed', 'echeques', 'lapsed', 'unclaimed', 'closing', 'reserved'] as const;
const value = (f: TRepFigures, c: (typeof COLS)[number]) => f[`${c}Paise`];

/** The month's first and last day. */
function monthBounds(month: string): { from: string; to: string } {
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/**
 * The administrator's reports on the account page (issue 18 item 5): deposits, withdrawals and
 * closing balance by line for any period, or the monthly account for a calendar month; the table
 * and the bilingual PDF / Excel downloads of the same figures.
 */
export function PdReportsPanel({ accountId }: { accountId: number }) {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const today = todayIst();
  const fyStart = `${Number(today.slice(5, 7)) >= 4 ? today.slice(0, 4) : Number(today.slice(0, 4)) - 1}-04-01`;
  const [mode, setMode] = useState<'period' | 'month'>('period');
  const [from, setFrom] = useState(formatDate(fyStart));
  const [to, setTo] = useState(formatDate(today));
  const [month, setMonth] = useState(lastMonth(today));
  const validMonth = /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : lastMonth(today);
  const period = mode === 'month' ? monthBounds(validMonth) : { from: parseIndianDate(from) ?? fyStart, to: parseIndianDate(to) ?? today };
  const { data, error } = useAccountReport(accountId, period.from, period.to);
  const file = (format: 'pdf' | 'xlsx') =>
    mode === 'month'
      ? `${PD_BASE}/accounts/${accountId}/monthly-account/file${qs({ month: validMonth, format })}`
      : `${PD_BASE}/accounts/${accountId}/report/file${qs({ from: period.from, to: period.to, format })}`;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-rep-h" data-testid="pd-reports">
      <Title order={3} id="pd-rep-h" mb="xs">
        {t('pd-rep.panel.title')}
      </Title>
      <SegmentedControl
        mb="sm"
        value={mode}
        onChange={(v) => setMode(v as 'period' | 'month')}
        data={[
          { value: 'period', label: t('pd-rep.panel.byPeriod') },
          { value: 'month', label: t('pd-rep.panel.monthly') },
        ]}
        aria-label={t('pd-rep.panel.title')}
      />
      {mode === 'period' ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }} mb="sm" maw={600}>
          <DateInput label={t('pd-rep.panel.from')} value={from} onChange={setFrom} />
          <DateInput label={t('pd-rep.panel.to')} value={to} onChange={setTo} />
        </SimpleGrid>
      ) : (
        <NativeSelect
          label={t('pd-rep.panel.month')}
          value={month}
          data={monthsBack(todayIst(), 25).map((m) => ({ value: m, label: monthLabel(m, i18n.language) }))}
          onChange={(e) => setMonth(e.currentTarget.value)}
          maw={240}
          mb="sm"
          data-testid="pd-rep-month"
        />
      )}
      <Group mb="sm">
        <Anchor href={file('pdf')} download data-testid="pd-rep-pdf">
          {t('pd-rep.panel.downloadPdf')}
        </Anchor>
        <Anchor href={file('xlsx')} download data-testid="pd-rep-xlsx">
          {t('pd-rep.panel.downloadXlsx')}
        </Anchor>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {data && data.lines.length === 0 && <Text>{t('pd-rep.panel.empty')}</Text>}
      {data && data.lines.length > 0 && (
        <Table.ScrollContainer minWidth={1000}>
          <Table withTableBorder striped data-testid="pd-rep-table">
            <TableCaption>
              {t('pd-rep.panel.caption')} ({formatDate(data.from)} – {formatDate(data.to)})
            </TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pd-rep.col.purpose')}</Table.Th>
                {COLS.map((c) => (
                  <Table.Th key={c} style={right}>
                    {t(`pd-rep.col.${c}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.lines.map((l) => (
                <Table.Tr key={l.lineId} data-testid={`pd-rep-line-${l.lineId}`}>
                  <Table.Th scope="row">{name(l.purposeEn, l.purposeHi)}</Table.Th>
                  {COLS.map((c) => (
                    <Table.Td key={c} style={amount} fw={c === 'closing' ? 600 : undefined}>
                      {money(value(l, c))}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
              <Table.Tr data-testid="pd-rep-totals">
                <Table.Th scope="row">{t('pd-rep.col.total')}</Table.Th>
                {COLS.map((c) => (
                  <Table.Td key={c} style={amount} fw={700}>
                    {money(value(data.totals, c))}
                  </Table.Td>
                ))}
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
