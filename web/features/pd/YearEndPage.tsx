import { Alert, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fiscalYearLabel, fiscalYearStart, formatDate, formatDateTimeIst, todayIst } from '../../../shared/domain/dates.ts';
import { api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { can, useMe } from '../../lib/session.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { StepUpField } from '../../ui/StepUpField.tsx';
import { msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { money, PD_BASE, pdKeys, usePdAccounts } from './api.ts';
import { type TContinuation, type TYearRun, type TYearSettings, useContinuations, useYearRuns, useYearSettings } from './yearApi.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;

/**
 * The PD year-end desk (issue 18 item 5): Finance runs the year-end of an ended financial year
 * (second factor), sets the idle period of dormant accounts and records continuations; everyone
 * with the reports permission sees the settings, the continuations and the run history.
 */
export function YearEndPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const manage = can(me, 'pd.yearend');
  return (
    <Stack>
      <Paper withBorder p="lg">
        <PageTitle title={t('pd-year.title')} />
        <Text size="sm">{t('pd-year.intro')}</Text>
      </Paper>
      {manage && <RunForm />}
      <SettingsPanel manage={manage} />
      <ContinuationsPanel manage={manage} />
      <RunHistory />
    </Stack>
  );
}

function RunForm() {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const lastEnded = fiscalYearStart(todayIst()) - 1;
  const years = Array.from({ length: 5 }, (_, i) => lastEnded - i);
  const [fy, setFy] = useState(String(lastEnded));
  const [otp, setOtp] = useState('');
  const [failure, setFailure] = useState<TMsg | null>(null);
  const [done, setDone] = useState<TYearRun | null>(null);
  const run = useMutation({
    mutationFn: () => api<TYearRun>('POST', `${PD_BASE}/year-end/runs`, { fy: Number(fy), ...(otp ? { otp } : {}) }),
    onSuccess: async (r) => {
      setDone(r);
      setFailure(null);
      setOtp('');
      await qc.invalidateQueries({ queryKey: pdKeys.all });
    },
    onError: (e) => {
      setDone(null);
      setFailure(problemOf(e).title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-year-run">
      <Title order={2} size="h4" id="pd-year-run" mb="sm">
        {t('pd-year.run.heading')}
      </Title>
      <Text size="sm" mb="sm">
        {t('pd-year.run.help')}
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack maw={480}>
          {failure && (
            <Alert color="red" role="alert">
              {m(failure)}
            </Alert>
          )}
          {done && (
            <Alert color="green" role="status" data-testid="pd-year-run-done">
              {t('pd-year.run.done', {
                fy: fiscalYearLabel(done.fy),
                lapsed: money(done.lapsedPaise),
                unclaimed: money(done.unclaimedPaise),
                held: money(done.heldPaise),
              })}
            </Alert>
          )}
          <Select
            label={t('pd-year.run.fy')}
            data={years.map((y) => ({ value: String(y), label: fiscalYearLabel(y) }))}
            value={fy}
            onChange={(v) => setFy(v ?? String(lastEnded))}
            allowDeselect={false}
          />
          <StepUpField value={otp} onChange={setOtp} />
          <Group>
            <Button type="submit" loading={run.isPending}>
              {t('pd-year.run.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function SettingsPanel({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const { data } = useYearSettings();
  const [years, setYears] = useState<string | number>('');
  const [result, setResult] = useState<{ ok: boolean; text: TMsg } | null>(null);
  const save = useMutation({
    mutationFn: () => api<TYearSettings>('PUT', `${PD_BASE}/year-end/settings`, { dormantYears: Number(years) }),
    onSuccess: async () => {
      setResult({ ok: true, text: msg('pd-year.settings.saved') });
      await qc.invalidateQueries({ queryKey: pdKeys.all });
    },
    onError: (e) => setResult({ ok: false, text: problemOf(e).title }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(years);
    if (!Number.isInteger(n) || n < 1 || n > 10) {
      setResult({ ok: false, text: msg('pd-year.settings.invalid') });
      return;
    }
    save.mutate();
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-year-settings">
      <Title order={2} size="h4" id="pd-year-settings" mb="sm">
        {t('pd-year.settings.heading')}
      </Title>
      <Text size="sm" mb="sm" data-testid="pd-year-dormant-years">
        {data ? t('pd-year.settings.current', { years: data.dormantYears }) : t('common.loading')}
      </Text>
      {manage && (
        <form onSubmit={submit} noValidate>
          <Group align="end">
            <NumberInput
              label={t('pd-year.settings.label')}
              min={1}
              max={10}
              value={years}
              onChange={setYears}
              allowDecimal={false}
              w={220}
              error={result && !result.ok ? m(result.text) : undefined}
            />
            <Button type="submit" loading={save.isPending}>
              {t('pd-year.settings.save')}
            </Button>
          </Group>
          {result?.ok && (
            <Text size="sm" role="status" mt="xs">
              {m(result.text)}
            </Text>
          )}
        </form>
      )}
    </Paper>
  );
}

function ContinuationsPanel({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data } = useContinuations();
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-year-cont">
      <Title order={2} size="h4" id="pd-year-cont" mb="sm">
        {t('pd-year.continuations.heading')}
      </Title>
      <Text size="sm" mb="sm">
        {t('pd-year.continuations.help')}
      </Text>
      {manage && <ContinuationForm />}
      <Table.ScrollContainer minWidth={700}>
        <Table withTableBorder striped data-testid="pd-continuations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pd-year.col.fy')}</Table.Th>
              <Table.Th>{t('pd.col.accountNo')}</Table.Th>
              <Table.Th>{t('pd.col.name')}</Table.Th>
              <Table.Th>{t('pd-year.col.order')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>{t('pd-year.continuations.none')}</Table.Td>
              </Table.Tr>
            )}
            {data?.items.map((c: TContinuation) => (
              <Table.Tr key={c.id}>
                <Table.Td>{fiscalYearLabel(c.fy)}</Table.Td>
                <Table.Td>{c.accountNo}</Table.Td>
                <Table.Td>{name(c.accountNameEn, c.accountNameHi)}</Table.Td>
                <Table.Td>{t('pd-year.continuations.order', { no: c.orderNo, date: formatDate(c.orderDate) })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function ContinuationForm() {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const { data: accounts } = usePdAccounts();
  const current = fiscalYearStart(todayIst());
  const [form, setForm] = useState({ accountId: '', fy: String(current), orderNo: '', orderDate: '' });
  const [errors, setErrors] = useState<Record<string, TMsg | null>>({});
  const [failure, setFailure] = useState<TMsg | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const save = useMutation({
    mutationFn: (orderDate: string) =>
      api<TContinuation>('POST', `${PD_BASE}/accounts/${form.accountId}/continuations`, { fy: Number(form.fy), orderNo: form.orderNo.trim(), orderDate }),
    onSuccess: async () => {
      setSaved(true);
      setFailure(null);
      setForm((f) => ({ ...f, orderNo: '', orderDate: '' }));
      await qc.invalidateQueries({ queryKey: pdKeys.all });
    },
    onError: (e) => {
      const p = problemOf(e);
      setErrors(p.fields);
      setFailure(Object.keys(p.fields).length ? null : p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const orderDate = parseIndianDate(form.orderDate);
    const next: Record<string, TMsg | null> = {
      accountId: form.accountId ? null : msg('pd-year.continuations.accountRequired'),
      orderNo: form.orderNo.trim().length >= 2 ? null : msg('pd-year.continuations.orderNoRequired'),
      orderDate: orderDate ? null : msg('pd-year.continuations.orderDateRequired'),
    };
    setErrors(next);
    if (Object.values(next).some(Boolean) || !orderDate) return;
    save.mutate(orderDate);
  };
  const open = (accounts?.items ?? []).filter((a) => a.source === 'consolidated' && !a.closedOn);
  return (
    <form onSubmit={submit} noValidate>
      <Stack mb="md">
        {failure && (
          <Alert color="red" role="alert">
            {m(failure)}
          </Alert>
        )}
        {saved && (
          <Text size="sm" role="status">
            {t('pd-year.continuations.saved')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} maw={800}>
          <Select
            label={t('pd-year.continuations.account')}
            data={open.map((a) => ({ value: String(a.id), label: a.accountNo }))}
            value={form.accountId || null}
            onChange={(v) => set('accountId')(v ?? '')}
            error={m(errors.accountId)}
            searchable
            required
          />
          <Select
            label={t('pd-year.run.fy')}
            data={[current, current + 1].map((y) => ({ value: String(y), label: fiscalYearLabel(y) }))}
            value={form.fy}
            onChange={(v) => set('fy')(v ?? String(current))}
            error={m(errors.fy)}
            allowDeselect={false}
          />
          <TextInput
            label={t('pd-year.continuations.orderNo')}
            value={form.orderNo}
            onChange={(e) => set('orderNo')(e.currentTarget.value)}
            error={m(errors.orderNo)}
            maxLength={60}
            required
          />
          <DateInput label={t('pd-year.continuations.orderDate')} value={form.orderDate} onChange={set('orderDate')} error={m(errors.orderDate)} required />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('pd-year.continuations.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RunHistory() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data, error } = useYearRuns();
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-year-history">
      <Title order={2} size="h4" id="pd-year-history" mb="sm">
        {t('pd-year.history.heading')}
      </Title>
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {data?.items.length === 0 && <Text size="sm">{t('pd-year.history.none')}</Text>}
      {data?.items.map((r) => (
        <Table.ScrollContainer minWidth={800} key={r.id} mb="md">
          <Table withTableBorder striped data-testid={`pd-year-run-${r.id}`}>
            <TableCaption>
              {t('pd-year.history.caption', {
                fy: fiscalYearLabel(r.fy),
                by: r.startedBy === 'job' ? t('pd-year.history.byJob') : r.runByName,
                at: formatDateTimeIst(r.startedAt),
                lapsed: money(r.lapsedPaise),
                unclaimed: money(r.unclaimedPaise),
              })}
            </TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pd.col.accountNo')}</Table.Th>
                <Table.Th>{t('pd.col.line')}</Table.Th>
                <Table.Th>{t('pd-year.col.outcome')}</Table.Th>
                <Table.Th style={right}>{t('pd.col.amount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.closings.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>{t('pd-year.history.nothing')}</Table.Td>
                </Table.Tr>
              )}
              {r.closings.map((c) => (
                <Table.Tr key={`${c.lineId}-${c.outcome}`}>
                  <Table.Td>{c.accountNo}</Table.Td>
                  <Table.Td>{name(c.purposeEn, c.purposeHi)}</Table.Td>
                  <Table.Td>
                    {t(`pd-year.outcome.${c.outcome}`)}
                    {c.outcome === 'held' ? ` (${t('pd-year.history.heldEcheques', { count: c.heldEcheques })})` : ''}
                  </Table.Td>
                  <Table.Td style={right}>{money(c.amountPaise)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ))}
    </Paper>
  );
}
