import { STEP_UP_ERROR_CODES } from '../../../shared/errors.ts';
import { Alert, Anchor, Button, FileInput, Group, List, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TBankersCheque, TEfile, TEfileItem, TEfileSummary, TScrollResult } from '../../../shared/contracts/pd-efile.ts';
import { formatDate, formatDateTimeIst, todayIst } from '../../../shared/domain/dates.ts';
import { paiseToInput, parseRupees } from '../../../shared/domain/wages.ts';
import { api, ApiError, newIdempotencyKey } from '../../lib/api.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { StepUpField } from '../../ui/StepUpField.tsx';
import { msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { fileBase64 } from '../payment/api.ts';
import { money, PD_BASE, pdKeys, useWorklist } from './api.ts';
import { EchequeState, EchequeTable } from './EchequeTable.tsx';
import { TableCaption } from '../../ui/TableCaption.tsx';

const right = { textAlign: 'right' } as const;
const efileKeys = {
  list: ['pd', 'efiles'] as const,
  one: (id: number) => ['pd', 'efile', id] as const,
};

/**
 * The treasury officer's e-file desk (issue 18 items 4–5, docs/PD-EFILE.md): passed vendor
 * e-cheques awaiting an e-file and the e-file made from them (second factor), the e-files with
 * their reconciliation and download, the bank's scroll uploaded against an e-file (every bad row
 * listed, nothing saved), and the banker's cheque for a failed e-payment.
 */
export function EfilesPage() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  const [status, setStatus] = useState<TMsg | null>(null);
  const m = useMsg();
  const list = useQuery({ queryKey: efileKeys.list, queryFn: () => api<{ items: TEfileSummary[] }>('GET', `${PD_BASE}/efiles`) });
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('pd-efile.title')} />
      <Stack gap="xl">
        <Text>{t('pd-efile.intro')}</Text>
        {status && (
          <Alert color="green" role="status">
            {m(status)}
          </Alert>
        )}
        <AwaitingSection
          onGenerated={(f) => {
            setStatus(msg('pd-efile.generated', { fileNo: f.fileNo, count: f.totals.sentCount }));
            setOpen(f.id);
          }}
        />
        <section aria-labelledby="efiles-h">
          <Title order={2} size="h3" id="efiles-h" mb="sm">
            {t('pd-efile.list.title')}
          </Title>
          {list.error && (
            <Alert color="red" role="alert">
              {list.error.message}
            </Alert>
          )}
          <EfileTable items={list.data?.items ?? []} onOpen={setOpen} />
        </section>
        {open !== null && <EfileDetail key={open} id={open} />}
      </Stack>
    </Paper>
  );
}

function AwaitingSection({ onGenerated }: { onGenerated: (f: TEfile) => void }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const { data } = useWorklist('passed', 'vendor');
  const items = data?.items ?? [];
  const [otp, setOtp] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const [otpError, setOtpError] = useState<TMsg | null>(null);
  const total = items.reduce((s, e) => s + e.amountPaise, 0);
  const save = useMutation({
    mutationFn: () => api<TEfile>('POST', `${PD_BASE}/efiles`, { echequeIds: items.map((e) => e.id), ...(otp ? { otp } : {}) }, { idempotencyKey: key }),
    onSuccess: async (f) => {
      setKey(newIdempotencyKey());
      setOtp('');
      setFailure(null);
      setOtpError(null);
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      onGenerated(f);
    },
    onError: (e) => {
      const p = problemOf(e);
      const code = e instanceof ApiError ? e.code : '';
      const isOtp = STEP_UP_ERROR_CODES.includes(code);
      setOtpError(p.fields.otp ?? (isOtp ? p.title : null));
      setFailure(isOtp || p.fields.otp ? null : p.title);
      // A refusal other than the code (an e-cheque taken meanwhile): the list is re-read and a new request made.
      if (!isOtp) {
        setKey(newIdempotencyKey());
        void qc.invalidateQueries({ queryKey: pdKeys.all });
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!save.isPending && items.length > 0) save.mutate();
  };
  return (
    <section aria-labelledby="efile-awaiting-h">
      <Title order={2} size="h3" id="efile-awaiting-h" mb="sm">
        {t('pd-efile.awaiting.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('pd-efile.awaiting.hint')}
      </Text>
      <EchequeTable items={items} caption={t('pd-efile.awaiting.caption', { count: items.length, total: money(total) })} showAccount />
      {items.length > 0 && (
        <form onSubmit={submit} noValidate data-testid="efile-generate">
          <Stack mt="md" maw={520}>
            {failure && (
              <Alert color="red" role="alert">
                {m(failure)}
              </Alert>
            )}
            <StepUpField value={otp} onChange={setOtp} error={m(otpError) ?? undefined} />
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t('pd-efile.awaiting.generate', { count: items.length })}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </section>
  );
}

function StatusTag({ status }: { status: TEfileSummary['status'] }) {
  const { t } = useTranslation();
  const color = status === 'reconciled' ? '#1b6e2e' : status === 'awaiting_scroll' ? 'blue.9' : '#9c3a0a'; // dark orange: orange.9 (#d9480f) is 4.07:1, below WCAG AA 4.5:1
  return (
    <Text size="sm" fw={600} c={color}>
      {t(`pd-efile.status.${status}`)}
    </Text>
  );
}

const countAmount = (count: number, paise: number) => `${count} · ${money(paise)}`;

function EfileTable({ items, onOpen }: { items: TEfileSummary[]; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table withTableBorder striped data-testid="efiles">
        <TableCaption>{t('pd-efile.list.caption')}</TableCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('pd-efile.col.fileNo')}</Table.Th>
            <Table.Th>{t('pd-efile.col.createdAt')}</Table.Th>
            <Table.Th>{t('pd-efile.col.status')}</Table.Th>
            <Table.Th style={right}>{t('pd-efile.col.sent')}</Table.Th>
            <Table.Th style={right}>{t('pd-efile.col.discharged')}</Table.Th>
            <Table.Th style={right}>{t('pd-efile.col.failed')}</Table.Th>
            <Table.Th style={right}>{t('pd-efile.col.outstanding')}</Table.Th>
            <Table.Th style={right}>{t('pd-efile.col.bankersCheques')}</Table.Th>
            <Table.Th>{t('pd-efile.col.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={9}>
                <Text size="sm">{t('pd-efile.list.none')}</Text>
              </Table.Td>
            </Table.Tr>
          )}
          {items.map((f) => (
            <Table.Tr key={f.id} data-testid={`efile-${f.id}`}>
              <Table.Td>{f.fileNo}</Table.Td>
              <Table.Td>{formatDateTimeIst(f.createdAt)}</Table.Td>
              <Table.Td>
                <StatusTag status={f.status} />
              </Table.Td>
              <Table.Td style={right}>{countAmount(f.totals.sentCount, f.totals.sentPaise)}</Table.Td>
              <Table.Td style={right}>{countAmount(f.totals.dischargedCount, f.totals.dischargedPaise)}</Table.Td>
              <Table.Td style={right}>{countAmount(f.totals.failedCount, f.totals.failedPaise)}</Table.Td>
              <Table.Td style={right}>{countAmount(f.totals.outstandingCount, f.totals.outstandingPaise)}</Table.Td>
              <Table.Td style={right}>{f.totals.bankersChequeCount}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="outline" onClick={() => onOpen(f.id)} aria-label={t('pd-efile.openLabel', { fileNo: f.fileNo })}>
                    {t('pd-efile.open')}
                  </Button>
                  <Anchor href={`${PD_BASE}/efiles/${f.id}/file`} size="sm" aria-label={t('pd-efile.downloadLabel', { fileNo: f.fileNo })}>
                    {t('pd-efile.download')}
                  </Anchor>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** One e-file: its reconciliation, the scroll upload, and each e-cheque with what the bank said. */
function EfileDetail({ id }: { id: number }) {
  const { t } = useTranslation();
  const { data, error } = useQuery({ queryKey: efileKeys.one(id), queryFn: () => api<TEfile>('GET', `${PD_BASE}/efiles/${id}`) });
  const [replacing, setReplacing] = useState<TEfileItem | null>(null);
  // Held here, not in the upload form: a scroll that settles every e-cheque removes the form, and
  // the officer must still read what the import did.
  const [imported, setImported] = useState<TScrollResult | null>(null);
  if (error)
    return (
      <Alert color="red" role="alert">
        {error.message}
      </Alert>
    );
  if (!data) return null;
  return (
    <section aria-labelledby="efile-detail-h" data-testid="efile-detail">
      <Title order={2} size="h3" id="efile-detail-h" mb="sm">
        {t('pd-efile.detail.title', { fileNo: data.fileNo })}
      </Title>
      <Stack>
        <Text size="sm">
          {t('pd-efile.detail.summary', {
            sent: countAmount(data.totals.sentCount, data.totals.sentPaise),
            discharged: countAmount(data.totals.dischargedCount, data.totals.dischargedPaise),
            failed: countAmount(data.totals.failedCount, data.totals.failedPaise),
            outstanding: countAmount(data.totals.outstandingCount, data.totals.outstandingPaise),
          })}
        </Text>
        {imported && (
          <Alert color="green" role="status">
            {t(imported.replayed ? 'pd-efile.scroll.replayed' : 'pd-efile.scroll.done', { paid: imported.paid, failed: imported.failed })}
          </Alert>
        )}
        {data.totals.outstandingCount > 0 && <ScrollUpload efile={data} onImported={setImported} />}
        <Table.ScrollContainer minWidth={1000}>
          <Table withTableBorder striped data-testid="efile-items">
            <TableCaption>{t('pd-efile.detail.caption', { fileNo: data.fileNo })}</TableCaption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pd-efile.col.seq')}</Table.Th>
                <Table.Th>{t('pd.col.echequeNo')}</Table.Th>
                <Table.Th>{t('pd.col.accountNo')}</Table.Th>
                <Table.Th>{t('pd.col.payee')}</Table.Th>
                <Table.Th style={right}>{t('pd.col.amount')}</Table.Th>
                <Table.Th>{t('pd.col.state')}</Table.Th>
                <Table.Th>{t('pd-efile.col.bank')}</Table.Th>
                <Table.Th>{t('pd-efile.col.bankersCheque')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((i) => (
                <Table.Tr key={i.seq} data-testid={`efile-item-${i.echeque.id}`}>
                  <Table.Td>{i.seq}</Table.Td>
                  <Table.Td>{i.echeque.id}</Table.Td>
                  <Table.Td>{i.echeque.accountNo}</Table.Td>
                  <Table.Td>
                    {i.echeque.payeeName}
                    <Text size="xs" c="dark.6">
                      {`${i.echeque.payeeAccountNo} · ${i.echeque.payeeIfsc}`}
                    </Text>
                  </Table.Td>
                  <Table.Td style={right}>{money(i.echeque.amountPaise)}</Table.Td>
                  <Table.Td>
                    <EchequeState state={i.echeque.state} />
                  </Table.Td>
                  <Table.Td>
                    {i.outcome === 'paid' && t('pd-efile.paidRef', { ref: i.bankRef, date: i.valueDate ? formatDate(i.valueDate) : '' })}
                    {i.outcome === 'failed' && t('pd-efile.failedReason', { reason: i.reason })}
                  </Table.Td>
                  <Table.Td>
                    {i.bankersCheque && <BankersChequeText b={i.bankersCheque} />}
                    {!i.bankersCheque && i.echeque.state === 'failed' && (
                      <Button size="xs" variant="outline" onClick={() => setReplacing(i)} aria-label={t('pd-efile.bc.openLabel', { id: i.echeque.id })}>
                        {t('pd-efile.bc.open')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
      {replacing && <BankersChequeModal efileId={id} item={replacing} onClose={() => setReplacing(null)} />}
    </section>
  );
}

function BankersChequeText({ b }: { b: TBankersCheque }) {
  const { t } = useTranslation();
  return <Text size="sm">{t('pd-efile.bc.recorded', { no: b.chequeNo, date: formatDate(b.chequeDate), bank: b.bankName, amount: money(b.amountPaise) })}</Text>;
}

/** Uploads the bank's scroll for an e-file; a refused scroll lists each bad row (nothing is saved). */
function ScrollUpload({ efile, onImported }: { efile: TEfile; onImported: (r: TScrollResult | null) => void }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const [rowErrors, setRowErrors] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: async () =>
      api<TScrollResult>('POST', `${PD_BASE}/efiles/${efile.id}/scroll`, { fileName: file!.name, contentBase64: await fileBase64(file!) }),
    onSuccess: async (r) => {
      setFailure(null);
      setRowErrors([]);
      onImported(r);
      await qc.invalidateQueries({ queryKey: pdKeys.all });
    },
    onError: (e) => {
      onImported(null);
      setFailure(problemOf(e).title);
      setRowErrors(e instanceof ApiError ? (e.problem.errors ?? []).map((fe) => fe.message ?? fe.code) : []);
    },
  });
  return (
    <Stack maw={640} data-testid="scroll-upload">
      <Title order={3} size="h4">
        {t('pd-efile.scroll.title')}
      </Title>
      <Text size="sm">{t('pd-efile.scroll.hint')}</Text>
      {failure && (
        <Alert color="red" role="alert">
          {m(failure)}
          {rowErrors.length > 0 && (
            <List size="sm" mt="xs" data-testid="scroll-errors">
              {rowErrors.map((r) => (
                <List.Item key={r}>{r}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      <FileInput
        label={t('pd-efile.scroll.file')}
        accept=".csv,.txt,text/csv,text/plain"
        value={file}
        onChange={(f) => {
          setFile(f);
          onImported(null);
        }}
        clearable
        clearButtonProps={{ 'aria-label': t('common.clearFile', { name: t('pd-efile.scroll.file') }) }}
      />
      <Group>
        <Button onClick={() => save.mutate()} disabled={!file} loading={save.isPending}>
          {t('pd-efile.scroll.upload')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Records the banker's cheque the bank issued for a failed e-payment: number, date, bank and amount (the e-cheque's). */
function BankersChequeModal({ efileId, item, onClose }: { efileId: number; item: TEfileItem; onClose: () => void }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [chequeNo, setChequeNo] = useState('');
  const [date, setDate] = useState(formatDate(todayIst()));
  const [bankName, setBankName] = useState('');
  const [amount, setAmount] = useState(paiseToInput(item.echeque.amountPaise));
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [failure, setFailure] = useState<TMsg | null>(null);
  const save = useMutation({
    mutationFn: (body: unknown) => api<TBankersCheque>('POST', `${PD_BASE}/echeques/${item.echeque.id}/bankers-cheque`, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: efileKeys.one(efileId) });
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      onClose();
    },
    onError: (e) => {
      const p = problemOf(e);
      setErrors(p.fields);
      setFailure(Object.keys(p.fields).length ? null : p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, TMsg> = {};
    const iso = parseIndianDate(date);
    const paise = parseRupees(amount);
    if (!/^[0-9]{6,12}$/.test(chequeNo.trim())) fe.chequeNo = msg('validation.cheque_no_format');
    if (!iso) fe.chequeDate = msg('contract.create.dateInvalid');
    if (bankName.trim().length < 2) fe.bankName = msg('pd-efile.bc.bankRequired');
    if (paise === null || paise < 1) fe.amountPaise = msg('pd-efile.bc.amountInvalid');
    setErrors(fe);
    if (Object.keys(fe).length) return;
    save.mutate({ chequeNo: chequeNo.trim(), chequeDate: iso, bankName: bankName.trim(), amountPaise: paise });
  };
  return (
    <Modal opened onClose={onClose} title={t('pd-efile.bc.title', { id: item.echeque.id })} closeButtonProps={{ 'aria-label': t('common.close') }} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('pd-efile.bc.hint', { payee: item.echeque.payeeName, amount: money(item.echeque.amountPaise) })}</Text>
          {failure && (
            <Alert color="red" role="alert">
              {m(failure)}
            </Alert>
          )}
          <TextInput
            label={t('pd-efile.bc.chequeNo')}
            value={chequeNo}
            onChange={(e) => setChequeNo(e.currentTarget.value)}
            error={m(errors.chequeNo)}
            required
          />
          <DateInput label={t('pd-efile.bc.chequeDate')} value={date} onChange={setDate} error={m(errors.chequeDate)} required />
          <TextInput
            label={t('pd-efile.bc.bankName')}
            value={bankName}
            onChange={(e) => setBankName(e.currentTarget.value)}
            error={m(errors.bankName)}
            required
          />
          <TextInput label={t('pd-efile.bc.amount')} value={amount} onChange={(e) => setAmount(e.currentTarget.value)} error={m(errors.amountPaise)} required />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('pd-efile.bc.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
