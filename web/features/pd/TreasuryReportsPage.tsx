import { Alert, NativeSelect, Anchor, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { qs } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { monthLabel, monthsBack } from '../../lib/dates.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { money, PD_BASE } from './api.ts';
import { lastMonth, useReportTreasuries, useTreasuryMonth } from './rep-api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;
// An amount never breaks inside a cell ("₹62,00,000.0" / "0" in the 8443-106 table at 1366 px); the table scrolls instead.
const amount = { textAlign: 'right', whiteSpace: 'nowrap' } as const;
const COLS = ['opening', 'deposits', 'reversed', 'echeques', 'lapsed', 'unclaimed', 'closing'] as const;

/**
 * The treasury's PD reports (issue 18 item 6): the monthly account of head 8443-106 by PD account
 * (deposits credited, e-cheques debited — passed — in the month, totals) and the list of those
 * e-cheques for the Accountant General, shown and downloadable as CSV / Excel.
 */
export function TreasuryReportsPage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const [month, setMonth] = useState(lastMonth(todayIst()));
  const [chosen, setChosen] = useState<string | null>(null);
  const treasuries = useReportTreasuries();
  const items = treasuries.data?.items ?? [];
  const treasuryId = chosen !== null ? Number(chosen) : (items[0]?.id ?? null);
  const validMonth = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const { data, error } = useTreasuryMonth(treasuryId, validMonth ? month : '');
  const file = (path: string, format: 'csv' | 'xlsx') => `${PD_BASE}/treasuries/${treasuryId}/${path}${qs({ month, format })}`;
  return (
    <Stack>
      <Paper withBorder p="lg">
        <PageTitle title={t('pd-rep.treasury.title')} crumbs={[{ label: t('pd.title'), to: '/pd/accounts' }]} />
        <Text size="sm" mb="md">
          {t('pd-rep.treasury.intro')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} maw={640}>
          <Select
            label={t('pd-rep.treasury.treasury')}
            data={items.map((x) => ({ value: String(x.id), label: name(x.nameEn, x.nameHi) }))}
            value={treasuryId === null ? null : String(treasuryId)}
            onChange={setChosen}
            allowDeselect={false}
            data-testid="pd-rep-treasury"
          />
          <NativeSelect
            label={t('pd-rep.treasury.month')}
            value={month}
            data={monthsBack(todayIst(), 25).map((m) => ({ value: m, label: monthLabel(m, i18n.language) }))}
            onChange={(e) => setMonth(e.currentTarget.value)}
            data-testid="pd-rep-month"
          />
        </SimpleGrid>
        {treasuries.isSuccess && items.length === 0 && <Text mt="sm">{t('pd-rep.treasury.noTreasury')}</Text>}
        {error && (
          <Alert color="red" role="alert" mt="sm">
            {error.message}
          </Alert>
        )}
      </Paper>
      {data && treasuryId !== null && (
        <>
          <Paper withBorder p="lg" component="section" aria-labelledby="pd-8443-h">
            <Title order={3} id="pd-8443-h" mb="xs">
              {t('pd-rep.treasury.head', { head: data.head })} — {name(data.treasuryEn, data.treasuryHi)}, {formatDate(data.from)} – {formatDate(data.to)}
            </Title>
            <Group mb="sm">
              <Anchor href={file('monthly-account/file', 'xlsx')} download data-testid="pd-rep-8443-xlsx">
                {t('pd-rep.treasury.downloadAccountXlsx')}
              </Anchor>
            </Group>
            {data.accounts.length === 0 ? (
              <Text>{t('pd-rep.treasury.noAccounts')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={1000}>
                <Table withTableBorder striped data-testid="pd-rep-8443">
                  <TableCaption>{t('pd-rep.treasury.caption')}</TableCaption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('pd-rep.col.accountNo')}</Table.Th>
                      <Table.Th>{t('pd-rep.col.accountName')}</Table.Th>
                      {COLS.map((c) => (
                        <Table.Th key={c} style={right}>
                          {t(`pd-rep.col.${c}`)}
                        </Table.Th>
                      ))}
                      <Table.Th style={right}>{t('pd-rep.col.echequeCount')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.accounts.map((a) => (
                      <Table.Tr key={a.accountId} data-testid={`pd-rep-acct-${a.accountId}`}>
                        <Table.Th scope="row">{a.accountNo}</Table.Th>
                        <Table.Td>{name(a.nameEn, a.nameHi)}</Table.Td>
                        {COLS.map((c) => (
                          <Table.Td key={c} style={amount}>
                            {money(a[`${c}Paise`])}
                          </Table.Td>
                        ))}
                        <Table.Td style={right}>{a.echequeCount}</Table.Td>
                      </Table.Tr>
                    ))}
                    <Table.Tr data-testid="pd-rep-8443-totals">
                      <Table.Th scope="row" colSpan={2}>
                        {t('pd-rep.col.total')}
                      </Table.Th>
                      {COLS.map((c) => (
                        <Table.Td key={c} style={amount} fw={700}>
                          {money(data.totals[`${c}Paise`])}
                        </Table.Td>
                      ))}
                      <Table.Td style={right} fw={700}>
                        {data.totals.echequeCount}
                      </Table.Td>
                    </Table.Tr>
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
          <Paper withBorder p="lg" component="section" aria-labelledby="pd-ag-h">
            <Title order={3} id="pd-ag-h" mb="xs">
              {t('pd-rep.treasury.agList', { count: data.echeques.length })}
            </Title>
            <Group mb="sm">
              <Anchor href={file('ag-list', 'csv')} download data-testid="pd-rep-ag-csv">
                {t('pd-rep.treasury.downloadAgCsv')}
              </Anchor>
              <Anchor href={file('ag-list', 'xlsx')} download data-testid="pd-rep-ag-xlsx">
                {t('pd-rep.treasury.downloadAgXlsx')}
              </Anchor>
            </Group>
            {data.echeques.length === 0 ? (
              <Text>{t('pd-rep.treasury.noEcheques')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table withTableBorder striped data-testid="pd-rep-ag">
                  <TableCaption>{t('pd-rep.treasury.agCaption')}</TableCaption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('pd-rep.col.echequeNo')}</Table.Th>
                      <Table.Th>{t('pd-rep.col.debitedOn')}</Table.Th>
                      <Table.Th>{t('pd-rep.col.accountNo')}</Table.Th>
                      <Table.Th>{t('pd-rep.col.payee')}</Table.Th>
                      <Table.Th>{t('pd-rep.col.payeeKind')}</Table.Th>
                      <Table.Th style={right}>{t('pd-rep.col.amount')}</Table.Th>
                      <Table.Th>{t('pd-rep.col.state')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.echeques.map((e) => (
                      <Table.Tr key={e.echequeId} data-testid={`pd-rep-ag-${e.echequeId}`}>
                        <Table.Th scope="row">{e.echequeId}</Table.Th>
                        <Table.Td>{formatDate(e.debitedOn)}</Table.Td>
                        <Table.Td>{e.accountNo}</Table.Td>
                        <Table.Td>{e.payeeName}</Table.Td>
                        <Table.Td>{t(`pd-rep.payeeKind.${e.payeeKind}`)}</Table.Td>
                        <Table.Td style={amount}>{money(e.amountPaise)}</Table.Td>
                        <Table.Td>{t(`pd-rep.state.${e.state}`)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}
