import { Alert, Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useState } from 'react';
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
import { useVendors } from './adv-api.ts';
import { AdvicesPanel } from './AdvicesPanel.tsx';
import { money, newIdempotencyKey, PD_BASE, pdKeys, prepareEcheque, type TPdAccount, usePdAccount, useStatement } from './api.ts';
import { BankersChequesPanel } from './BankersChequesPanel.tsx';
import { ClosedNotice } from './ClosedNotice.tsx';
import { EchequeTable } from './EchequeTable.tsx';
import { PdReportsPanel } from './PdReportsPanel.tsx';
import { VendorsPanel } from './VendorsPanel.tsx';
import { TableCaption } from '../../ui/TableCaption.tsx';

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
        <ClosedNotice account={data} />
        <Text size="sm">
          {name(data.nameEn, data.nameHi)} · {t(`pd.source.${data.source}`)} · {name(data.treasuryEn, data.treasuryHi)}
        </Text>
        <Text size="sm" mb="md">
          {t('pd.account.administrator')}: {name(data.administratorEn, data.administratorHi)}
        </Text>
        <Table.ScrollContainer minWidth={800}>
          <Table withTableBorder striped data-testid="pd-lines">
            <TableCaption>{t('pd.account.linesCaption')}</TableCaption>
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
      {can(me, 'pd.deposit') && !data.closedOn && <DepositForm account={data} />}
      {can(me, 'pd.withdraw') && !data.closedOn && <EchequeForm account={data} />}
      <Paper withBorder p="lg">
        <EchequeTable items={data.echeques} caption={t('pd.account.echequesCaption')} />
      </Paper>
      <AdvicesPanel account={data} mayWork={can(me, 'pd.withdraw') && !data.closedOn} />
      <VendorsPanel accountId={data.id} mayAdd={can(me, 'pd.withdraw') && !data.closedOn} />
      <BankersChequesPanel accountId={data.id} />
      <StatementPanel account={data} />
      <PdReportsPanel accountId={data.id} />
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

/** What a money form shows of a refusal: the field errors and the message at the top. */
function useFormProblem() {
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [title, setTitle] = useState<TMsg | null>(null);
  return {
    errors,
    title,
    /** Shows the browser's checks (`fe`); true when there are none and the form may be sent. */
    accept(fe: Record<string, TMsg>): boolean {
      setErrors(fe);
      if (Object.keys(fe).length) {
        setTitle(msg('contract.create.fixErrors'));
        return false;
      }
      setTitle(null);
      return true;
    },
    /** Shows the server's refusal. */
    refuse(e: unknown) {
      const p = problemOf(e);
      setErrors(p.fields);
      setTitle(p.title);
    },
  };
}

/** The line and the amount every money form asks first, and their check. */
function useLineAmount() {
  const [lineId, setLineId] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  return {
    lineId,
    setLineId,
    amount,
    setAmount,
    /** The amount in paise, with the line's and the amount's errors added to `fe`. */
    check(fe: Record<string, TMsg>): number | null {
      const paise = parseRupees(amount);
      if (!lineId) fe.lineId = msg('pd.form.lineRequired');
      if (paise === null || paise <= 0) fe.amountPaise = msg('pd.form.amountInvalid');
      return paise;
    },
  };
}

/**
 * A money form of the account page (deposit, e-cheque): its section, heading and hint, the
 * refusal and the saved note at the top, `above` the fields, then the line and the amount
 * followed by the form's own fields in two columns, and the submit button.
 */
function MoneyForm({
  id,
  heading,
  hint,
  account,
  problem,
  saved,
  above,
  fields,
  submitLabel,
  busy,
  onSubmit,
  children,
}: {
  id: string;
  heading: string;
  hint: string;
  account: TPdAccount;
  problem: ReturnType<typeof useFormProblem>;
  saved: string | null;
  above?: ReactNode;
  fields: ReturnType<typeof useLineAmount>;
  submitLabel: string;
  busy: boolean;
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const m = useMsg();
  const options = useLineOptions(account);
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={id}>
      <Title order={3} id={id} mb="xs">
        {heading}
      </Title>
      <Text size="sm" mb="sm">
        {hint}
      </Text>
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <FormErrors title={problem.title} errors={{}} />
          {saved !== null && (
            <Alert color="green" role="status">
              {saved}
            </Alert>
          )}
          {above}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {/* The line stays chosen for the next e-cheque or deposit; choosing it again must not clear it (Mantine's default deselects). */}
            <Select
              label={t('pd.col.line')}
              data={options}
              value={fields.lineId}
              onChange={fields.setLineId}
              error={m(problem.errors.lineId)}
              allowDeselect={false}
              required
            />
            <TextInput
              label={t('pd.form.amount')}
              value={fields.amount}
              onChange={(e) => fields.setAmount(e.currentTarget.value)}
              error={m(problem.errors.amountPaise)}
              inputMode="decimal"
              required
            />
            {children}
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** Records a deposit: consolidated-fund accounts by book transfer from the line's budget head, others by challan. */
function DepositForm({ account }: { account: TPdAccount }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const problem = useFormProblem();
  const fields = useLineAmount();
  const [reference, setReference] = useState('');
  const [date, setDate] = useState(formatDate(todayIst()));
  const [done, setDone] = useState(false);
  // One Idempotency-Key per deposit being entered (a new one once it is saved): a repeat of the save credits once.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const bt = account.source === 'consolidated';
  const save = useMutation({
    mutationFn: (body: unknown) => api<TPdAccount>('POST', `${PD_BASE}/accounts/${account.id}/deposits`, body, { idempotencyKey }),
    onSuccess: async () => {
      setIdempotencyKey(newIdempotencyKey());
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      fields.setAmount('');
      setReference('');
      setDone(true);
    },
    onError: problem.refuse,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setDone(false);
    const fe: Record<string, TMsg> = {};
    const paise = fields.check(fe);
    const iso = parseIndianDate(date);
    if (!reference.trim()) fe.reference = msg('pd.form.referenceRequired');
    if (!iso) fe.valueDate = msg('contract.create.dateInvalid');
    if (!problem.accept(fe)) return;
    const line = account.lines.find((l) => String(l.id) === fields.lineId)!;
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
    <MoneyForm
      id="pd-deposit-h"
      heading={t('pd.deposit.title')}
      hint={bt ? t('pd.deposit.hintBt') : t('pd.deposit.hintChallan')}
      account={account}
      problem={problem}
      saved={done ? t('pd.deposit.saved') : null}
      fields={fields}
      submitLabel={t('pd.deposit.submit')}
      busy={save.isPending}
      onSubmit={submit}
    >
      <TextInput
        label={bt ? t('pd.deposit.btReference') : t('pd.deposit.challanNo')}
        value={reference}
        onChange={(e) => setReference(e.currentTarget.value)}
        error={m(problem.errors.reference)}
        required
      />
      <DateInput label={t('pd.deposit.valueDate')} value={date} onChange={setDate} error={m(problem.errors.valueDate)} required />
    </MoneyForm>
  );
}

/** Prepares an e-cheque to a vendor or by book transfer; the line's balance is reserved at once. */
function EchequeForm({ account }: { account: TPdAccount }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const problem = useFormProblem();
  const [kind, setKind] = useState<'vendor' | 'book_transfer'>('vendor');
  const fields = useLineAmount();
  const { data: vendors } = useVendors(account.id);
  const [vendorId, setVendorId] = useState<string | null>(null);
  const [payeeName, setPayeeName] = useState('');
  const [head, setHead] = useState('');
  const [purpose, setPurpose] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [done, setDone] = useState<number | null>(null);
  const save = useMutation({
    mutationFn: (body: unknown) => prepareEcheque(account.id, key, body),
    onSuccess: async (e) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      setKey(newIdempotencyKey());
      fields.setAmount('');
      setPayeeName('');
      setVendorId(null);
      setHead('');
      setPurpose('');
      setDone(e.id);
    },
    onError: problem.refuse,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setDone(null);
    const fe: Record<string, TMsg> = {};
    const paise = fields.check(fe);
    if (kind === 'vendor' && !vendorId) fe.vendorId = msg('pd-adv.echeque.vendorRequired');
    if (kind === 'book_transfer' && payeeName.trim().length < 2) fe.payeeName = msg('pd.form.payeeRequired');
    if (kind === 'book_transfer' && !/^[0-9]{4}(-[0-9A-Za-z]{1,4}){1,6}$/.test(head.trim())) fe.headOfAccount = msg('validation.head_of_account_format');
    if (!problem.accept(fe)) return;
    const common = { lineId: Number(fields.lineId), amountPaise: paise, purpose: purpose.trim() };
    save.mutate(
      kind === 'vendor'
        ? { payeeKind: 'vendor', ...common, vendorId: Number(vendorId) }
        : { payeeKind: 'book_transfer', ...common, payeeName: payeeName.trim(), headOfAccount: head.trim() },
    );
  };
  return (
    <MoneyForm
      id="pd-echeque-h"
      heading={t('pd.echeque.title')}
      hint={t('pd.echeque.hint')}
      account={account}
      problem={problem}
      saved={done !== null ? t('pd-adv.echeque.saved', { id: done }) : null}
      above={
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as 'vendor' | 'book_transfer')}
          data={[
            { value: 'vendor', label: t('pd.echeque.toVendor') },
            { value: 'book_transfer', label: t('pd.echeque.toHead') },
          ]}
          aria-label={t('pd.echeque.kind')}
        />
      }
      fields={fields}
      submitLabel={t('pd.echeque.submit')}
      busy={save.isPending}
      onSubmit={submit}
    >
      {kind === 'vendor' ? (
        <Select
          label={t('pd-adv.echeque.vendor')}
          data={(vendors?.items ?? []).map((v) => ({
            value: String(v.id),
            label: t('pd-adv.echeque.vendorOption', { name: v.name, accountNo: v.bankAccountNo, ifsc: v.ifsc }),
          }))}
          value={vendorId}
          onChange={setVendorId}
          error={m(problem.errors.vendorId)}
          description={vendors && vendors.items.length === 0 ? t('pd-adv.echeque.noVendors') : undefined}
          searchable
          allowDeselect={false}
          required
          data-testid="pd-echeque-vendor"
        />
      ) : (
        <>
          <TextInput
            label={t('pd.echeque.payeeName')}
            value={payeeName}
            onChange={(e) => setPayeeName(e.currentTarget.value)}
            error={m(problem.errors.payeeName)}
            required
          />
          <TextInput
            label={t('pd.echeque.head')}
            value={head}
            onChange={(e) => setHead(e.currentTarget.value)}
            error={m(problem.errors.headOfAccount)}
            placeholder="8443-00-106"
            required
          />
        </>
      )}
      <TextInput label={t('pd.echeque.purpose')} value={purpose} onChange={(e) => setPurpose(e.currentTarget.value)} error={m(problem.errors.purpose)} />
    </MoneyForm>
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
