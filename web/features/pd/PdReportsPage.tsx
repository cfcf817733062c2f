import { Alert, Anchor, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { fiscalYearLabel, formatDate } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { money } from './api.ts';
import { type TDormantReport, useDormant, useTransferBack, useUnspent } from './yearApi.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;

/** PD reports (spec 08 para 6): Finance's unspent balances by department, the treasury's dormant accounts, money to transfer back. */
export function PdReportsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Paper withBorder p="lg">
        <PageTitle title={t('pd-year.reports.title')} />
        <Text size="sm">{t('pd-year.reports.intro')}</Text>
      </Paper>
      <Unspent />
      <Dormant />
      <TransferBack />
    </Stack>
  );
}

function Unspent() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data, error } = useUnspent();
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-unspent">
      <Title order={2} size="h4" id="pd-unspent" mb="sm">
        {t('pd-year.reports.unspent', { fy: data ? fiscalYearLabel(data.fy) : '' })}
      </Title>
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table withTableBorder data-testid="pd-unspent">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pd-year.col.department')}</Table.Th>
              <Table.Th>{t('pd.col.accountNo')}</Table.Th>
              <Table.Th>{t('pd.col.treasury')}</Table.Th>
              <Table.Th style={right}>{t('pd.col.available')}</Table.Th>
              <Table.Th style={right}>{t('pd.col.reserved')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.departments.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>{t('pd.noAccounts')}</Table.Td>
              </Table.Tr>
            )}
            {data?.departments.map((d) => (
              <Fragment key={d.departmentId}>
                <Table.Tr fw={600}>
                  <Table.Th scope="rowgroup" colSpan={3}>
                    {name(d.nameEn, d.nameHi)}
                  </Table.Th>
                  <Table.Td style={right}>{money(d.availablePaise)}</Table.Td>
                  <Table.Td style={right}>{money(d.reservedPaise)}</Table.Td>
                </Table.Tr>
                {d.accounts.map((a) => (
                  <Table.Tr key={a.accountId}>
                    <Table.Td />
                    <Table.Td>
                      <Anchor component={Link} to={`/pd/accounts/${a.accountId}`}>
                        {a.accountNo}
                      </Anchor>{' '}
                      {name(a.nameEn, a.nameHi)}
                      {a.continued ? ` · ${t('pd-year.reports.continued')}` : ''}
                    </Table.Td>
                    <Table.Td>{name(a.treasuryEn, a.treasuryHi)}</Table.Td>
                    <Table.Td style={right}>{money(a.availablePaise)}</Table.Td>
                    <Table.Td style={right}>{money(a.reservedPaise)}</Table.Td>
                  </Table.Tr>
                ))}
              </Fragment>
            ))}
            {data && data.departments.length > 0 && (
              <Table.Tr fw={700}>
                <Table.Th scope="row" colSpan={3}>
                  {t('pd-year.reports.total')}
                </Table.Th>
                <Table.Td style={right}>{money(data.totalAvailablePaise)}</Table.Td>
                <Table.Td style={right}>{money(data.totalReservedPaise)}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function DormantTable({ rows, label, testId, closed }: { rows: TDormantReport['candidates']; label: string; testId: string; closed: boolean }) {
  const { t } = useTranslation();
  const name = useBilingual();
  return (
    <Table.ScrollContainer minWidth={800} mb="md">
      <Table withTableBorder striped data-testid={testId}>
        <TableCaption>{label}</TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('pd.col.accountNo')}</Table.Th>
            <Table.Th>{t('pd.col.name')}</Table.Th>
            <Table.Th>{t('pd.col.treasury')}</Table.Th>
            <Table.Th>{t('pd-year.col.lastTransaction')}</Table.Th>
            {closed && <Table.Th>{t('pd-year.col.closedOn')}</Table.Th>}
            <Table.Th style={right}>{closed ? t('pd-year.col.credited') : t('pd.col.balance')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={closed ? 6 : 5}>{t('pd-year.reports.noneDormant')}</Table.Td>
            </Table.Tr>
          )}
          {rows.map((a) => (
            <Table.Tr key={a.accountId}>
              <Table.Td>
                <Anchor component={Link} to={`/pd/accounts/${a.accountId}`}>
                  {a.accountNo}
                </Anchor>
              </Table.Td>
              <Table.Td>{name(a.nameEn, a.nameHi)}</Table.Td>
              <Table.Td>{name(a.treasuryEn, a.treasuryHi)}</Table.Td>
              <Table.Td>{formatDate(a.lastTransactionOn)}</Table.Td>
              {closed && <Table.Td>{a.closedOn ? formatDate(a.closedOn) : ''}</Table.Td>}
              <Table.Td style={right}>{money(a.balancePaise)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Dormant() {
  const { t } = useTranslation();
  const { data, error } = useDormant();
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-dormant">
      <Title order={2} size="h4" id="pd-dormant" mb="sm">
        {t('pd-year.reports.dormant')}
      </Title>
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {data && (
        <>
          <Text size="sm" mb="sm">
            {t('pd-year.reports.dormantHelp', { years: data.dormantYears, date: formatDate(data.asOf) })}
          </Text>
          <DormantTable rows={data.candidates} label={t('pd-year.reports.candidates')} testId="pd-dormant-candidates" closed={false} />
          <DormantTable rows={data.closed} label={t('pd-year.reports.closedDormant')} testId="pd-dormant-closed" closed />
        </>
      )}
    </Paper>
  );
}

function TransferBack() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data } = useTransferBack();
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-transfer-back">
      <Title order={2} size="h4" id="pd-transfer-back" mb="sm">
        {t('pd-year.reports.transferBack')}
      </Title>
      <Text size="sm" mb="sm">
        {t('pd-year.reports.transferBackHelp')}
      </Text>
      <Table.ScrollContainer minWidth={800}>
        <Table withTableBorder striped data-testid="pd-transfer-back">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pd.col.accountNo')}</Table.Th>
              <Table.Th>{t('pd.col.line')}</Table.Th>
              <Table.Th>{t('pd-year.col.reason')}</Table.Th>
              <Table.Th style={right}>{t('pd.col.balance')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>{t('pd-year.reports.noneFlagged')}</Table.Td>
              </Table.Tr>
            )}
            {data?.items.map((l) => (
              <Table.Tr key={l.lineId}>
                <Table.Td>
                  <Anchor component={Link} to={`/pd/accounts/${l.accountId}`}>
                    {l.accountNo}
                  </Anchor>{' '}
                  {name(l.nameEn, l.nameHi)}
                </Table.Td>
                <Table.Td>{name(l.purposeEn, l.purposeHi)}</Table.Td>
                <Table.Td>{t(`pd-year.reason.${l.reason}`)}</Table.Td>
                <Table.Td style={right}>{money(l.balancePaise)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
