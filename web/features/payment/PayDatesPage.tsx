import { Alert, Anchor, Checkbox, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { monthName } from '../invoice/api.ts';
import { money, useCreditFlags, usePayDates } from './api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;
const dt = (v: string | null) => (v ? formatDateTimeIst(v) : '—');

/** Every invoice's dates against the wage due date (7th / 10th), breaches marked; and the workers short or not credited. */
export function PayDatesPage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const [breachedOnly, setBreachedOnly] = useState(false);
  const { data, error } = usePayDates(breachedOnly);
  const flags = useCreditFlags();
  const items = data?.items ?? [];
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('payment.payDates.title')} />
      <Stack>
        <Text>{t('payment.payDates.intro')}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        <Checkbox label={t('payment.payDates.breachedOnly')} checked={breachedOnly} onChange={(e) => setBreachedOnly(e.currentTarget.checked)} />
        {data && items.length === 0 && <Text>{t('payment.payDates.empty')}</Text>}
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={1400}>
            {/* Dates and the breach read on one line each (a date broken as 07/11/202 6 is misread); the agency's name may wrap. */}
            <Table withTableBorder striped data-testid="pay-dates" style={{ whiteSpace: 'nowrap' }}>
              <TableCaption>{t('payment.payDates.caption')}</TableCaption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('payment.col.invoiceNo')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.agency')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.month')}</Table.Th>
                  <Table.Th scope="col" style={right}>
                    {t('payment.col.workers')}
                  </Table.Th>
                  <Table.Th scope="col">{t('payment.col.due')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.invoiceDate')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.submitted')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.approved')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.billed')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.paidOn')}</Table.Th>
                  <Table.Th scope="col">{t('payment.col.credited')}</Table.Th>
                  <Table.Th scope="col" style={right}>
                    {t('payment.col.daysLate')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((i) => (
                  <Table.Tr key={i.invoiceId}>
                    <Table.Td>
                      <Anchor component={Link} to={`/payments/credits/${i.invoiceId}`}>
                        {i.invoiceNo}
                      </Anchor>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'normal', minWidth: 180 }}>{i.agencyName}</Table.Td>
                    <Table.Td>{monthName(i.month.slice(0, 7), i18n.language)}</Table.Td>
                    <Table.Td style={right}>{i.workersOnRolls}</Table.Td>
                    <Table.Td>{formatDate(i.dueDate)}</Table.Td>
                    <Table.Td>{formatDate(i.invoiceDate)}</Table.Td>
                    <Table.Td>{dt(i.submittedAt)}</Table.Td>
                    <Table.Td>{dt(i.approvedAt)}</Table.Td>
                    <Table.Td>{dt(i.billedAt)}</Table.Td>
                    <Table.Td>{dt(i.paidAt)}</Table.Td>
                    <Table.Td>{i.creditedOn ? formatDate(i.creditedOn) : '—'}</Table.Td>
                    <Table.Td style={right} c={i.breached ? 'red.9' : undefined} fw={i.breached ? 700 : undefined}>
                      {i.breached ? `${i.daysLate} · ${t('payment.payDates.breached')}` : t('payment.payDates.onTime')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Title order={2} size="h4">
          {t('payment.flags.title')}
        </Title>
        <Text>{t('payment.flags.intro')}</Text>
        {(flags.data?.items.length ?? 0) === 0 ? (
          <Text>{t('payment.flags.empty')}</Text>
        ) : (
          <Table withTableBorder striped data-testid="credit-flags">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('payment.col.invoiceNo')}</Table.Th>
                <Table.Th scope="col">{t('payment.col.worker')}</Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('payment.col.netWage')}
                </Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('payment.col.creditedAmount')}
                </Table.Th>
                <Table.Th scope="col">{t('payment.col.flag')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {flags.data?.items.map((f) => (
                <Table.Tr key={`${f.invoiceId}-${f.resourceId}`}>
                  <Table.Td>{f.invoiceNo}</Table.Td>
                  <Table.Td>{name(f.nameEn, f.nameHi)}</Table.Td>
                  <Table.Td style={right}>{money(f.netWagePaise)}</Table.Td>
                  <Table.Td style={right}>{money(f.creditedPaise)}</Table.Td>
                  <Table.Td>{t(`payment.flag.${f.flag}`)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
