import { Alert, Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { parseRupees } from '../../../shared/domain/wages.ts';
import { api, ApiError } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { can, useMe } from '../../lib/session.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { money, newIdempotencyKey, PD_BASE, pdKeys, prepareEcheque, type TPdAccount, usePdAccount, useStatement } from './api.ts';
import { EchequeTable } from './EchequeTable.tsx';

const right = { textAlign: 'right' } as const;

/** One PD account: its lines with balances, deposits, e-cheques and the statement by line. */
export function PdAccountPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const id = Number((useParams({ strict: false }) as { id?: string }).id);
  const { data: me } = useMe();
  const { data, error, isLoading } = usePdAccount(id);
  if (isLoading) return <Text>{t('common.loading')}</Text>;
  if (error || !data)
    return (
      <Paper withBorder p="lg">
        <PageTitle title={t('pd.account.heading')} crumbs={[{ label: t('pd.title'), to: '/pd/accounts' }]} />
        <Alert color="red" role="alert">
          {error instanceof ApiError && error.problem.status !== 404 ? error.message : t('pd.account.notFound')}
        </Alert>
      </Paper>
    );
  return (
    <Stack>
      <Paper withBorder p="lg">
        <PageTitle title={t('pd.account.title', { accountNo: data.accountNo })} crumbs={[{ label: t('pd.title'), to: '/pd/accounts' }]} />
        <Text size="sm">
          {name(data.nameEn, data.nameHi)} · {t(`pd.source.${data.source}`)} · {name(data.treasuryEn, data.treasuryHi)}
        </Text>
        <Text size="sm" mb="md">
          {t('pd.account.administrator')}: {name(data.administratorEn, data.administratorHi)}
        </Text>
        <Table.ScrollContainer minWidth={800}>
          <Table withTableBorder striped data-testid="pd-lines">
            <caption style={{ captionSide: 'top', textAlign: 'left', fontWeight: 600, paddingBottom: 8 }}>{t('pd.account.linesCaption')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pd.col.line')}</Table.Th>
                <Table.Th>{t('pd.col.head')}</Table.Th>
                <Table.Th style={right}>{t('pd.col.available')}</Table.Th>
                <Table.Th style={right}>{t('pd.col.reserved')}</Table.Th>
                <Table.Th style={right}>{t('pd.col.balance')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.lines.map((l) => (
                <Table.Tr key={l.id} data-testid={`pd-line-${l.id}`}>
                  <Table.Th scope="row">{name(l.purposeEn, l.purposeHi)}</Table.Th>
                  <Table.Td>{l.head || '—'}</Table.Td>
                  <Table.Td style={right}>{money(l.availablePaise)}</Table.Td>
                  <Table.Td style={right}>{money(l.reservedPaise)}</Table.Td>
                  <Table.Td style={right} fw={600}>
                    {money(l.availablePaise + l.reservedPaise)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {can(me, 'pd.deposit') && <DepositForm account={data} />}
      {can(me, 'pd.withdraw') && <EchequeForm account={data} />}
      <Paper withBorder p="lg">
        <EchequeTable items={data.echeques} caption={t('pd.account.echequesCaption')} />
      </Paper>
      <StatementPanel account={data} />
    </Stack>
  );
}

function useLineOptions(account: TPdAccount) {
  const name = useBilingual();
  return account.lines.map((l) => ({ value: String(l.id), label: `${name(l.purposeEn, l.purposeHi)} (${money(l.availablePaise)})` }));
}

function FormErrors({ title, errors }: { title: TMsg | null; errors: Record<string, TMsg> }) {
  const m = useMsg();
  if (!title) return null;
  return (
    <Alert color="red" role="alert">
      {[m(title), ...Object.values(errors).map((x) => m(x))].join(' ')}
    </Alert>
  );
}

/** Records a deposit: consolidated-fund accounts by book transfer from the line's budget head, others by challan. */
function DepositForm({ account }: { account: TPdAccount }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const options = useLineOptions(account);
  const [lineId, setLineId] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [date, setDate] = useState(formatDate(todayIst()));
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [title, setTitle] = useState<TMsg | null>(null);
  const [done, setDone] = useState(false);
  const bt = account.source === 'consolidated';
  const save = useMutation({
    mutationFn: (body: unknown) => api<TPdAccount>('POST', `${PD_BASE}/accounts/${account.id}/deposits`, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      setAmount('');
      setReference('');
      setDone(true);
    },
    onError: (e) => {
      const p = problemOf(e);
      setErrors(p.fields);
      setTitle(p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setDone(false);
    const fe: Record<string, TMsg> = {};
    const paise = parseRupees(amount);
    const iso = parseIndianDate(date);
    if (!lineId) fe.lineId = msg('pd.form.lineRequired');
    if (paise === null || paise <= 0) fe.amountPaise = msg('pd.form.amountInvalid');
    if (!reference.trim()) fe.reference = msg('pd.form.referenceRequired');
    if (!iso) fe.valueDate = msg('contract.create.dateInvalid');
    setErrors(fe);
    if (Object.keys(fe).length) {
      setTitle(msg('contract.create.fixErrors'));
      return;
    }
    setTitle(null);
    const line = account.lines.find((l) => String(l.id) === lineId)!;
    save.mutate({
      lineId: line.id,
      amountPaise: paise,
      mode: bt ? 'book_transfer' : 'challan',
      ...(bt && line.budgetLineId ? { sourceBudgetLineId: line.budgetLineId } : {}),
      reference: reference.trim(),
      valueDate: iso,
    });
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-deposit-h">
      <Title order={3} id="pd-deposit-h" mb="xs">
        {t('pd.deposit.title')}
      </Title>
      <Text size="sm" mb="sm">
        {bt ? t('pd.deposit.hintBt') : t('pd.deposit.hintChallan')}
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormErrors title={title} errors={{}} />
          {done && (
            <Alert color="green" role="status">
              {t('pd.deposit.saved')}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label={t('pd.col.line')} data={options} value={lineId} onChange={setLineId} error={m(errors.lineId)} required />
            <TextInput
              label={t('pd.form.amount')}
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={m(errors.amountPaise)}
              inputMode="decimal"
              required
            />
            <TextInput
              label={bt ? t('pd.deposit.btReference') : t('pd.deposit.challanNo')}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              error={m(errors.reference)}
              required
            />
            <DateInput label={t('pd.deposit.valueDate')} value={date} onChange={setDate} error={m(errors.valueDate)} required />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('pd.deposit.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** Prepares an e-cheque to a vendor or by book transfer; the line's balance is reserved at once. */
function EchequeForm({ account }: { account: TPdAccount }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const options = useLineOptions(account);
  const [kind, setKind] = useState<'vendor' | 'book_transfer'>('vendor');
  const [lineId, setLineId] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [payeeName, setPayeeName] = useState('');
  const [accountNo, setAccountNo] = useState('');
  const [ifsc, setIfsc] = useState('');
  const [head, setHead] = useState('');
  const [purpose, setPurpose] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [title, setTitle] = useState<TMsg | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const save = useMutation({
    mutationFn: (body: unknown) => prepareEcheque(account.id, key, body),
    onSuccess: async (e) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      setKey(newIdempotencyKey());
      setAmount('');
      setPayeeName('');
      setAccountNo('');
      setIfsc('');
      setHead('');
      setPurpose('');
      setDone(e.id);
    },
    onError: (e) => {
      const p = problemOf(e);
      setErrors(p.fields);
      setTitle(p.title);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setDone(null);
    const fe: Record<string, TMsg> = {};
    const paise = parseRupees(amount);
    if (!lineId) fe.lineId = msg('pd.form.lineRequired');
    if (paise === null || paise <= 0) fe.amountPaise = msg('pd.form.amountInvalid');
    if (payeeName.trim().length < 2) fe.payeeName = msg('pd.form.payeeRequired');
    if (kind === 'vendor' && !/^[0-9]{9,18}$/.test(accountNo.trim())) fe.payeeAccountNo = msg('validation.bank_account_format');
    if (kind === 'vendor' && !/^[A-Za-z]{4}0[A-Za-z0-9]{6}$/.test(ifsc.trim())) fe.payeeIfsc = msg('validation.ifsc_format');
    if (kind === 'book_transfer' && !/^[0-9]{4}(-[0-9A-Za-z]{1,4}){1,6}$/.test(head.trim())) fe.headOfAccount = msg('validation.head_of_account_format');
    setErrors(fe);
    if (Object.keys(fe).length) {
      setTitle(msg('contract.create.fixErrors'));
      return;
    }
    setTitle(null);
    const common = { lineId: Number(lineId), amountPaise: paise, payeeName: payeeName.trim(), purpose: purpose.trim() };
    save.mutate(
      kind === 'vendor'
        ? { payeeKind: 'vendor', ...common, payeeAccountNo: accountNo.trim(), payeeIfsc: ifsc.trim() }
        : { payeeKind: 'book_transfer', ...common, headOfAccount: head.trim() },
    );
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-echeque-h">
      <Title order={3} id="pd-echeque-h" mb="xs">
        {t('pd.echeque.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('pd.echeque.hint')}
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormErrors title={title} errors={{}} />
          {done !== null && (
            <Alert color="green" role="status">
              {t('pd.echeque.saved', { id: done })}
            </Alert>
          )}
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v as 'vendor' | 'book_transfer')}
            data={[
              { value: 'vendor', label: t('pd.echeque.toVendor') },
              { value: 'book_transfer', label: t('pd.echeque.toHead') },
            ]}
            aria-label={t('pd.echeque.kind')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label={t('pd.col.line')} data={options} value={lineId} onChange={setLineId} error={m(errors.lineId)} required />
            <TextInput
              label={t('pd.form.amount')}
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={m(errors.amountPaise)}
              inputMode="decimal"
              required
            />
            <TextInput
              label={t('pd.echeque.payeeName')}
              value={payeeName}
              onChange={(e) => setPayeeName(e.currentTarget.value)}
              error={m(errors.payeeName)}
              required
            />
            {kind === 'vendor' ? (
              <>
                <TextInput
                  label={t('pd.echeque.accountNo')}
                  value={accountNo}
                  onChange={(e) => setAccountNo(e.currentTarget.value)}
                  error={m(errors.payeeAccountNo)}
                  inputMode="numeric"
                  required
                />
                <TextInput label={t('pd.echeque.ifsc')} value={ifsc} onChange={(e) => setIfsc(e.currentTarget.value)} error={m(errors.payeeIfsc)} required />
              </>
            ) : (
              <TextInput
                label={t('pd.echeque.head')}
                value={head}
                onChange={(e) => setHead(e.currentTarget.value)}
                error={m(errors.headOfAccount)}
                placeholder="8443-00-106"
                required
              />
            )}
            <TextInput label={t('pd.echeque.purpose')} value={purpose} onChange={(e) => setPurpose(e.currentTarget.value)} error={m(errors.purpose)} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('pd.echeque.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The statement by line for a period (default: the financial year so far). */
function StatementPanel({ account }: { account: TPdAccount }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const today = todayIst();
  const fyStart = `${Number(today.slice(5, 7)) >= 4 ? today.slice(0, 4) : Number(today.slice(0, 4)) - 1}-04-01`;
  const [from, setFrom] = useState(formatDate(fyStart));
  const [to, setTo] = useState(formatDate(today));
  const isoFrom = parseIndianDate(from) ?? fyStart;
  const isoTo = parseIndianDate(to) ?? today;
  const { data, error } = useStatement(account.id, isoFrom, isoTo);
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="pd-statement-h">
      <Title order={3} id="pd-statement-h" mb="xs">
        {t('pd.statement.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mb="sm" maw={600}>
        <DateInput label={t('pd.statement.from')} value={from} onChange={setFrom} />
        <DateInput label={t('pd.statement.to')} value={to} onChange={setTo} />
      </SimpleGrid>
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table withTableBorder striped data-testid="pd-statement">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pd.col.line')}</Table.Th>
              <Table.Th style={right}>{t('pd.statement.opening')}</Table.Th>
              <Table.Th style={right}>{t('pd.statement.deposits')}</Table.Th>
              <Table.Th style={right}>{t('pd.statement.withdrawals')}</Table.Th>
              <Table.Th style={right}>{t('pd.statement.closing')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.lines.map((l) => (
              <Table.Tr key={l.lineId} data-testid={`pd-statement-${l.lineId}`}>
                <Table.Th scope="row">{name(l.purposeEn, l.purposeHi)}</Table.Th>
                <Table.Td style={right}>{money(l.openingPaise)}</Table.Td>
                <Table.Td style={right}>{money(l.depositsPaise)}</Table.Td>
                <Table.Td style={right}>{money(l.withdrawalsPaise)}</Table.Td>
                <Table.Td style={right} fw={600}>
                  {money(l.closingPaise)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
