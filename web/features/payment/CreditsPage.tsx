import { Alert, Button, FileInput, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { api, newIdempotencyKey } from '../../lib/api.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { useBilingual } from '../../lib/bilingual.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Tag } from '../contract/Tag.tsx';
import { problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { fileBase64, money, PAY_BASE, payKeys, rupeesToPaise, type TImportResult, type TInvoiceCredits, useCredits } from './api.ts';
import { ImportRows } from './ImportRows.tsx';

const right = { textAlign: 'right' } as const;
const FLAG_COLOUR = { ok: '#1b6e2e', short: '#a84300', missing: 'red.9', over: 'blue.9' } as const;

/** An invoice's workers: net wage against what was credited, flagged short or missing; the agency records credits (form or bank file). */
export function CreditsPage() {
  const { t } = useTranslation();
  const id = Number((useParams({ strict: false }) as { id?: string }).id);
  const { data, error } = useCredits(id);
  const name = useBilingual();
  if (error)
    return (
      <Alert color="red" role="alert">
        {error.message}
      </Alert>
    );
  if (!data) return null;
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('payment.credits.title', { invoiceNo: data.invoiceNo })} />
      <Stack>
        <Text>{t('payment.credits.intro')}</Text>
        {data.paymentMode === 'direct' && <Text>{t('payment.credits.direct')}</Text>}
        <Alert color={data.flagged > 0 ? 'orange' : 'green'} role="status" data-testid="credit-flagged">
          {data.flagged > 0 ? t('payment.credits.flagged', { count: data.flagged }) : t('payment.credits.allOk')}
        </Alert>
        <Table.ScrollContainer minWidth={800}>
          <Table withTableBorder striped data-testid="worker-credits">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('payment.col.worker')}</Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('payment.col.netWage')}
                </Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('payment.col.creditedAmount')}
                </Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('payment.col.short')}
                </Table.Th>
                <Table.Th scope="col">{t('payment.col.utr')}</Table.Th>
                <Table.Th scope="col">{t('payment.col.flag')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.workers.map((w) => (
                <Table.Tr key={w.invoiceDetailId}>
                  <Table.Td>
                    {name(w.nameEn, w.nameHi)} ({w.resourceId})
                  </Table.Td>
                  <Table.Td style={right}>{money(w.netWagePaise)}</Table.Td>
                  <Table.Td style={right}>{money(w.creditedPaise)}</Table.Td>
                  <Table.Td style={right}>{money(w.shortPaise)}</Table.Td>
                  <Table.Td>{w.utrs.join(', ')}</Table.Td>
                  <Table.Td>
                    <Tag color={FLAG_COLOUR[w.flag]} variant={w.flag === 'ok' ? 'filled' : 'outline'}>
                      {t(`payment.flag.${w.flag}`)}
                    </Tag>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {data.mayRecord && <RecordCredits data={data} />}
      </Stack>
    </Paper>
  );
}

type Row = { utr: string; amount: string; date: string };

function RecordCredits({ data }: { data: TInvoiceCredits }) {
  const { t } = useTranslation();
  const m = useMsg();
  const name = useBilingual();
  const qc = useQueryClient();
  const open = data.workers.filter((w) => w.flag !== 'ok');
  const [rows, setRows] = useState<Record<number, Row>>({});
  const [key, setKey] = useState(newIdempotencyKey);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const [fields, setFields] = useState<Record<string, TMsg>>({});
  const [done, setDone] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<TImportResult | null>(null);
  const rowOf = (rid: number): Row => rows[rid] ?? { utr: '', amount: '', date: formatDate(todayIst()) };
  const filled = open.filter((w) => rowOf(w.resourceId).utr.trim() !== '');
  const finish = async () => {
    setFailure(null);
    setFields({});
    setDone(true);
    setRows({});
    setChecked(null);
    setFile(null);
    setKey(newIdempotencyKey());
    await qc.invalidateQueries({ queryKey: payKeys.all });
  };
  const fail = (e: unknown) => {
    const p = problemOf(e);
    setFailure(p.title);
    setFields(p.fields);
    setDone(false);
  };
  const save = useMutation({
    mutationFn: () =>
      api<TImportResult>(
        'POST',
        `${PAY_BASE}/invoices/${data.invoiceId}/credits`,
        {
          items: filled.map((w) => {
            const r = rowOf(w.resourceId);
            return { resourceId: w.resourceId, utr: r.utr, amountPaise: rupeesToPaise(r.amount) ?? -1, creditDate: parseIndianDate(r.date) ?? r.date };
          }),
        },
        { idempotencyKey: key },
      ),
    onSuccess: finish,
    onError: fail,
  });
  const upload = useMutation({
    mutationFn: async (dryRun: boolean) => {
      if (!file) throw new Error('no file');
      return api<TImportResult>(
        'POST',
        `${PAY_BASE}/invoices/${data.invoiceId}/credits/import`,
        { fileName: file.name, contentBase64: await fileBase64(file), dryRun, saveGoodRows: false },
        dryRun ? {} : { idempotencyKey: key },
      );
    },
    onSuccess: async (r) => {
      if (r.dryRun) {
        setChecked(r);
        setFailure(null);
      } else await finish();
    },
    onError: fail,
  });
  return (
    <Stack>
      <Title order={2} size="h4">
        {t('payment.credits.record')}
      </Title>
      {failure && (
        <Alert color="red" role="alert">
          {m(failure)}
        </Alert>
      )}
      {done && (
        <Alert color="green" role="status">
          {t('payment.credits.saved')}
        </Alert>
      )}
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          // Dates are typed dd/mm/yyyy (DateInput); one that is not a real date is refused here, under its field.
          const bad: Record<string, TMsg> = {};
          filled.forEach((w, n) => {
            const problem = dateProblem(rowOf(w.resourceId).date);
            if (problem) bad[`rows.${n + 2}.creditDate`] = { k: `validation.${problem}` };
          });
          setFields(bad);
          if (Object.keys(bad).length > 0) return;
          save.mutate();
        }}
      >
        <Stack>
          {open.map((w, i) => {
            const r = rowOf(w.resourceId);
            const set = (k: keyof Row) => (v: string) => setRows((x) => ({ ...x, [w.resourceId]: { ...r, [k]: v } }));
            const row = filled.indexOf(w) + 2;
            return (
              <fieldset key={w.resourceId} style={{ border: '1px solid #ced4da', borderRadius: 4, padding: 8 }}>
                <legend>
                  {name(w.nameEn, w.nameHi)} · {money(w.shortPaise)}
                </legend>
                <Group align="flex-start">
                  <TextInput
                    label={t('payment.credits.utr')}
                    value={r.utr}
                    onChange={(e) => set('utr')(e.currentTarget.value)}
                    error={m(fields[`rows.${row}.utr`])}
                    data-testid={`credit-utr-${i}`}
                  />
                  <TextInput
                    label={t('payment.credits.amount')}
                    inputMode="decimal"
                    value={r.amount}
                    onChange={(e) => set('amount')(e.currentTarget.value)}
                    error={m(fields[`rows.${row}.amount`] ?? fields[`items.${filled.indexOf(w)}.amountPaise`])}
                    data-testid={`credit-amount-${i}`}
                  />
                  <DateInput label={t('payment.credits.date')} value={r.date} onChange={set('date')} error={m(fields[`rows.${row}.creditDate`])} />
                </Group>
              </fieldset>
            );
          })}
          <Group>
            <Button type="submit" disabled={filled.length === 0} loading={save.isPending}>
              {t('payment.credits.save')}
            </Button>
          </Group>
        </Stack>
      </form>
      <Title order={3} size="h5">
        {t('payment.credits.upload')}
      </Title>
      <FileInput
        label={t('payment.import.file')}
        description={t('payment.credits.uploadHint')}
        accept=".csv,.xlsx"
        value={file}
        onChange={setFile}
        maw={480}
        clearable
        clearButtonProps={{ 'aria-label': t('common.clearFile', { name: t('payment.import.file') }) }}
      />
      <Group>
        <Button variant="outline" onClick={() => upload.mutate(true)} disabled={!file} loading={upload.isPending && upload.variables === true}>
          {t('payment.credits.check')}
        </Button>
        {checked && checked.rowsBad === 0 && (
          <Button onClick={() => upload.mutate(false)} loading={upload.isPending && upload.variables === false}>
            {t('payment.credits.saveFile')}
          </Button>
        )}
      </Group>
      {checked && (
        <>
          <Text role="status">{t('payment.import.summary', { total: checked.rowsTotal, good: checked.rowsGood, bad: checked.rowsBad })}</Text>
          <ImportRows result={checked} kind="credits" />
        </>
      )}
    </Stack>
  );
}
