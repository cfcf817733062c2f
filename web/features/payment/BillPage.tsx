import { Alert, Anchor, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, todayIst } from '../../../shared/domain/dates.ts';
import { api, newIdempotencyKey } from '../../lib/api.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { StepUpField } from '../../ui/StepUpField.tsx';
import { problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { money, PAY_BASE, payKeys, rupeesToPaise, type TBill, useBill } from './api.ts';

const right = { textAlign: 'right' } as const;

/** One bill: its amounts and payees, its IFMIS status (send with the second factor), its exports and its payments (hand entry). */
export function BillPage() {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const id = Number((useParams({ strict: false }) as { id?: string }).id);
  const { data: bill, error } = useBill(id);
  const [code, setCode] = useState('');
  const [sendKey, setSendKey] = useState(newIdempotencyKey);
  const [failure, setFailure] = useState<TMsg | null>(null);
  const send = useMutation({
    mutationFn: () => api<TBill>('POST', `${PAY_BASE}/bills/${id}/send`, { code }, { idempotencyKey: sendKey }),
    onSuccess: async () => {
      setFailure(null);
      setCode('');
      setSendKey(newIdempotencyKey());
      await qc.invalidateQueries({ queryKey: payKeys.all });
    },
    onError: (e) => setFailure(problemOf(e).title),
  });
  if (error)
    return (
      <Alert color="red" role="alert">
        {error.message}
      </Alert>
    );
  if (!bill) return null;
  return (
    <Paper withBorder p="lg">
      <PageTitle title={t('payment.bill.title', { billNo: bill.billNo })} />
      <Stack>
        {failure && (
          <Alert color="red" role="alert">
            {m(failure)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }} aria-label={t('payment.bill.summary')}>
          <Fact label={t('payment.bill.status')} value={t(`payment.status.${bill.status}`)} />
          <Fact label={t('payment.bill.ifmisRef')} value={bill.ifmisRef ?? '—'} />
          <Fact label={t('payment.bill.stage')} value={t(`payment.stage.${bill.stage || 'none'}`)} />
          <Fact label={t('payment.bill.ddoCode')} value={bill.ddoCode} />
          <Fact label={t('payment.bill.budgetLine')} value={bill.budgetLine} />
          <Fact label={t('payment.bill.mode')} value={t(`payment.mode.${bill.paymentMode}`)} />
          <Fact label={t('payment.bill.gross')} value={money(bill.grossPaise)} />
          <Fact label={t('payment.bill.deductions')} value={money(bill.deductionsPaise)} />
          <Fact label={t('payment.bill.net')} value={money(bill.netPayablePaise)} />
          <Fact label={t('payment.bill.paid')} value={money(bill.paidPaise)} />
          <Fact label={t('payment.bill.outstanding')} value={money(bill.outstandingPaise)} />
        </SimpleGrid>
        {bill.status === 'rejected' && (
          <Alert color="orange" role="status">
            {t('payment.bill.ifmisReason')}: {t(`payment.ifmis_reason.${bill.ifmisReason}`, { defaultValue: bill.ifmisReason })}
          </Alert>
        )}
        <Group>
          <Anchor href={`${PAY_BASE}/bills/${id}/export?format=xlsx`}>{t('payment.bill.exportXlsx')}</Anchor>
          <Anchor href={`${PAY_BASE}/bills/${id}/export?format=json`}>{t('payment.bill.exportJson')}</Anchor>
          <Anchor component={Link} to={`/payments/credits/${bill.invoiceId}`}>
            {t('payment.bill.credits')}
          </Anchor>
        </Group>
        {bill.maySend && (
          <form
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              send.mutate();
            }}
          >
            <Stack maw={480}>
              <StepUpField value={code} onChange={setCode} />
              <Button type="submit" loading={send.isPending}>
                {t(bill.status === 'rejected' ? 'payment.bill.sendAgain' : 'payment.bill.send')}
              </Button>
            </Stack>
          </form>
        )}
        <Title order={2} size="h4">
          {t('payment.bill.payees')}
        </Title>
        <Table.ScrollContainer minWidth={700}>
          <Table withTableBorder striped data-testid="bill-payees">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('payment.payee.seq')}</Table.Th>
                <Table.Th scope="col">{t('payment.payee.kind')}</Table.Th>
                <Table.Th scope="col">{t('payment.payee.name')}</Table.Th>
                <Table.Th scope="col">{t('payment.payee.account')}</Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('payment.bill.amount')}
                </Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('payment.col.paid')}
                </Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('payment.col.outstanding')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {bill.payees.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.seq}</Table.Td>
                  <Table.Td>{t(`payment.payeeKind.${p.kind}`)}</Table.Td>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>
                    {p.bankAccount} · {p.ifsc}
                  </Table.Td>
                  <Table.Td style={right}>{money(p.amountPaise)}</Table.Td>
                  <Table.Td style={right}>{money(p.paidPaise)}</Table.Td>
                  <Table.Td style={right}>{money(p.outstandingPaise)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Title order={2} size="h4">
          {t('payment.bill.payments')}
        </Title>
        {bill.payments.length === 0 ? (
          <Text>{t('payment.bill.noPayments')}</Text>
        ) : (
          <Table withTableBorder striped data-testid="bill-payments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('payment.payee.seq')}</Table.Th>
                <Table.Th scope="col">{t('payment.col.payDate')}</Table.Th>
                <Table.Th scope="col">{t('payment.col.utr')}</Table.Th>
                <Table.Th scope="col">{t('payment.col.status')}</Table.Th>
                <Table.Th scope="col">{t('payment.col.source')}</Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('payment.col.amount')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {bill.payments.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.payeeSeq}</Table.Td>
                  <Table.Td>{formatDate(p.payDate)}</Table.Td>
                  <Table.Td>{p.utr}</Table.Td>
                  <Table.Td>{t(`payment.paymentStatus.${p.status}`)}</Table.Td>
                  <Table.Td>{t(`payment.source.${p.source}`)}</Table.Td>
                  <Table.Td style={right}>{(p.status === 'returned' ? '−' : '') + money(p.amountPaise)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {bill.mayRecordPayment && <HandEntry bill={bill} />}
      </Stack>
    </Paper>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="sm" c="gray.8">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </div>
  );
}

type HandForm = { payeeSeq: string; payDate: string; utr: string; amount: string; status: 'credited' | 'returned'; reason: string; code: string };

/** One payment of the bill entered by hand (the DDO, second factor). */
function HandEntry({ bill }: { bill: TBill }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [f, setF] = useState<HandForm>({
    payeeSeq: String(bill.payees[0]?.seq ?? 1),
    payDate: formatDate(todayIst()),
    utr: '',
    amount: '',
    status: 'credited',
    reason: '',
    code: '',
  });
  const [key, setKey] = useState(newIdempotencyKey);
  const [fields, setFields] = useState<Record<string, TMsg>>({});
  const [failure, setFailure] = useState<TMsg | null>(null);
  const [done, setDone] = useState(false);
  const set = (k: keyof HandForm) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const save = useMutation({
    mutationFn: () =>
      api(
        'POST',
        PAY_BASE,
        {
          billId: bill.id,
          payeeSeq: Number(f.payeeSeq),
          payDate: parseIndianDate(f.payDate) ?? f.payDate,
          utr: f.utr,
          amountPaise: rupeesToPaise(f.amount) ?? -1,
          status: f.status,
          reason: f.reason,
          code: f.code,
        },
        { idempotencyKey: key },
      ),
    onSuccess: async () => {
      setFields({});
      setFailure(null);
      setDone(true);
      setKey(newIdempotencyKey());
      setF((x) => ({ ...x, utr: '', amount: '', reason: '', code: '' }));
      await qc.invalidateQueries({ queryKey: payKeys.all });
    },
    onError: (e) => {
      const p = problemOf(e);
      setFields(p.fields);
      setFailure(p.title);
      setDone(false);
    },
  });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        // Dates are typed dd/mm/yyyy (DateInput); one that is not a real date is refused here, under its field.
        const bad = dateProblem(f.payDate);
        if (bad) {
          setFields({ payDate: { k: `validation.${bad}` } });
          return;
        }
        save.mutate();
      }}
    >
      <Stack maw={520}>
        <Title order={2} size="h4">
          {t('payment.hand.title')}
        </Title>
        {failure && (
          <Alert color="red" role="alert">
            {m(failure)}
          </Alert>
        )}
        {done && (
          <Alert color="green" role="status">
            {t('payment.hand.saved')}
          </Alert>
        )}
        <Select
          label={t('payment.hand.payee')}
          value={f.payeeSeq}
          onChange={(v) => set('payeeSeq')(v ?? '1')}
          data={bill.payees.map((p) => ({ value: String(p.seq), label: `${p.seq}. ${p.name}` }))}
          error={m(fields.payeeSeq)}
        />
        <Select
          label={t('payment.hand.status')}
          value={f.status}
          onChange={(v) => set('status')(v ?? 'credited')}
          data={(['credited', 'returned'] as const).map((s) => ({ value: s, label: t(`payment.paymentStatus.${s}`) }))}
        />
        <DateInput label={t('payment.hand.payDate')} value={f.payDate} onChange={set('payDate')} error={m(fields.payDate)} required />
        <TextInput
          label={t('payment.hand.utr')}
          description={t('payment.hand.utrHint')}
          value={f.utr}
          onChange={(e) => set('utr')(e.currentTarget.value)}
          error={m(fields.utr)}
          required
        />
        <TextInput
          label={t('payment.hand.amount')}
          inputMode="decimal"
          value={f.amount}
          onChange={(e) => set('amount')(e.currentTarget.value)}
          error={m(fields.amountPaise)}
          required
        />
        {f.status === 'returned' && (
          <TextInput label={t('payment.hand.reason')} value={f.reason} onChange={(e) => set('reason')(e.currentTarget.value)} error={m(fields.reason)} />
        )}
        <StepUpField value={f.code} onChange={set('code')} error={m(fields.code)} />
        <Button type="submit" loading={save.isPending}>
          {t('payment.hand.save')}
        </Button>
      </Stack>
    </form>
  );
}
