import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TWorkflowAction } from '../../../shared/contracts/invoice.ts';
import { formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { StepUpField, useNeedsStepUp } from '../../ui/StepUpField.tsx';
import { problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { invoiceKeys, money, monthName, newIdempotencyKey, type TInvoice, workflowStep } from './api.ts';

const right = { textAlign: 'right' } as const;
const DATES = ['generatedAt', 'submittedAt', 'returnedAt', 'verifiedAt', 'approvedAt', 'billedAt', 'paidAt', 'creditedAt'] as const;

/**
 * One workflow action in a confirm dialog (issue 17): remarks (required to return), the one-time
 * code for the DDO's approval, and one Idempotency-Key per opening of the dialog — kept while the
 * dialog retries, so a retry after a lost answer is the same request, never a second step.
 */
function StepDialog({ invoice, action }: { invoice: TInvoice; action: TWorkflowAction }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const needsCode = useNeedsStepUp() && action === 'approve';
  const [key, setKey] = useState(newIdempotencyKey);
  const [remarks, setRemarks] = useState('');
  const [otp, setOtp] = useState('');
  const [problem, setProblem] = useState<TMsg | null>(null);
  const [fields, setFields] = useState<Record<string, TMsg>>({});
  const save = useMutation({ mutationFn: (body: object) => workflowStep(invoice.id, action, key, body) });
  return (
    <ConfirmDialog
      label={t(`invoice.workflow.action.${action}`)}
      title={t(`invoice.workflow.dialog.${action}`, { no: invoice.invoiceNo })}
      confirm={t(`invoice.workflow.action.${action}`)}
      variant={action === 'return' ? 'default' : undefined}
      testId={`invoice-${action}`}
      busy={save.isPending}
      intro={t(`invoice.workflow.intro.${action}`)}
      error={problem ? m(problem) : undefined}
      errorTestId="invoice-step-error"
      onOpen={() => {
        setKey(newIdempotencyKey());
        setProblem(null);
        setFields({});
        setOtp('');
      }}
      onConfirm={async (close) => {
        setProblem(null);
        setFields({});
        if (action === 'return' && remarks.trim().length < 3) {
          setFields({ remarks: { k: 'validation.too_short', p: { min: 3 } } });
          return;
        }
        if (needsCode && !/^\d{6}$/.test(otp)) {
          setFields({ otp: { k: 'errors.step_up_required' } });
          return;
        }
        const body: Record<string, string> = {};
        if (remarks.trim()) body.remarks = remarks.trim();
        if (needsCode) body.otp = otp;
        try {
          await save.mutateAsync(body);
          await qc.invalidateQueries({ queryKey: invoiceKeys.all });
          setRemarks('');
          close();
        } catch (e) {
          const p = problemOf(e);
          setFields(p.fields);
          // A wrong or spent code is the code field's problem; anything else the dialog's.
          if (
            p.title.k === 'errors.otp_invalid' ||
            p.title.k === 'errors.otp_expired' ||
            p.title.k === 'errors.otp_not_sent' ||
            p.title.k === 'errors.step_up_required'
          )
            setFields({ otp: p.title });
          else setProblem(p.title);
        }
      }}
    >
      <Textarea
        label={t(action === 'return' ? 'invoice.workflow.remarksRequired' : 'invoice.workflow.remarks')}
        value={remarks}
        onChange={(e) => setRemarks(e.currentTarget.value)}
        error={m(fields.remarks)}
        maxLength={500}
        required={action === 'return'}
        data-testid="invoice-step-remarks"
      />
      {action === 'approve' && <StepUpField value={otp} onChange={setOtp} error={m(fields.otp)} />}
    </ConfirmDialog>
  );
}

/** The invoice's way to payment: its stage, dates, every step with who and why, the actions open to the caller. */
export function WorkflowPanel({ invoice }: { invoice: TInvoice }) {
  const { t, i18n } = useTranslation();
  const w = invoice.workflow;
  const gate = w.gate;
  return (
    <Paper withBorder p="lg" data-testid="invoice-workflow">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('invoice.workflow.title')}
        </Title>
        <Badge size="lg" color="#1c4f8c" data-testid="invoice-stage">
          {t(`invoice.stage.${w.stage}`)}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md" data-testid="invoice-dates">
        {DATES.map((d) => (
          <div key={d}>
            <Text size="xs" c="dimmed">
              {t(`invoice.workflow.date.${d}`)}
            </Text>
            <Text fw={500} data-testid={`invoice-date-${d}`}>
              {w[d] ? formatDateTimeIst(w[d]) : '—'}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      {gate && (
        <Alert mb="md" color={gate.held ? 'red' : 'green'} data-testid="invoice-gate" data-held={gate.held}>
          {gate.held
            ? t(`invoice.workflow.gate.${gate.reason ?? 'proof_missing'}`, { month: monthName(gate.proofMonth ?? '', i18n.language) })
            : t(gate.waived ? 'invoice.workflow.gate.waived' : 'invoice.workflow.gate.clear')}
        </Alert>
      )}
      {w.events.length > 0 && (
        <Timeline active={w.events.length - 1} bulletSize={16} lineWidth={2} mb="md" data-testid="invoice-events">
          {w.events.map((e) => (
            <Timeline.Item key={`${e.at}-${e.action}-${e.actorName}`} title={t(`invoice.workflow.event.${e.action}`, { defaultValue: e.action })}>
              <Text size="sm">
                {e.actorName} — {t(`common.roles.${e.actorRole}`, { defaultValue: e.actorRole })}, {formatDateTimeIst(e.at)}
              </Text>
              {e.remarks && (
                <Text size="sm" fs="italic">
                  {t('invoice.workflow.saying', { remarks: e.remarks })}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {w.actions.length > 0 && (
        <Group>
          {w.actions.map((a) => (
            <StepDialog key={a} invoice={invoice} action={a} />
          ))}
        </Group>
      )}
    </Paper>
  );
}

/** The bill made at approval: gross, deductions, net payable and who is paid. */
export function BillPanel({ invoice }: { invoice: TInvoice }) {
  const { t } = useTranslation();
  const name = useBilingual();
  const b = invoice.bill;
  if (!b) return null;
  return (
    <Paper withBorder p="lg" data-testid="invoice-bill">
      <Title order={2} size="h4" mb="sm">
        {t('invoice.bill.title', { no: b.billNo })}
      </Title>
      <Stack gap="xs" mb="sm">
        <Text size="sm">{t('invoice.bill.facts', { ddo: b.ddoCode, line: b.budgetLine })}</Text>
        <Text size="sm">{t(`invoice.bill.mode.${b.paymentMode}`)}</Text>
      </Stack>
      <Table withTableBorder maw={720} mb="md" data-testid="invoice-bill-amounts">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">{t('invoice.bill.gross')}</Table.Th>
            <Table.Td style={right}>{money(b.grossPaise)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('invoice.bill.tdsBase')}</Table.Th>
            <Table.Td style={right}>{money(b.tdsBasePaise)}</Table.Td>
          </Table.Tr>
          {b.deductions.map((d) => (
            <Table.Tr key={d.code}>
              <Table.Th scope="row">{t('invoice.bill.less', { name: name(d.nameEn, d.nameHi) })}</Table.Th>
              <Table.Td style={right}>{money(d.amountPaise)}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th scope="row">{t('invoice.bill.net')}</Table.Th>
            <Table.Td style={right} fw={700} data-testid="invoice-bill-net">
              {money(b.netPayablePaise)}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Table withTableBorder striped maw={720} data-testid="invoice-bill-payees">
        <Table.Caption>{t('invoice.bill.payees')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('invoice.bill.payee')}</Table.Th>
            <Table.Th>{t('invoice.bill.account')}</Table.Th>
            <Table.Th>{t('invoice.bill.ifsc')}</Table.Th>
            <Table.Th style={right}>{t('invoice.bill.amount')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {b.payees.map((p) => (
            <Table.Tr key={`${p.kind}-${p.name}-${p.bankAccount}`}>
              <Table.Td>
                {p.name} ({t(`invoice.bill.kind.${p.kind}`)})
              </Table.Td>
              <Table.Td>{p.bankAccount}</Table.Td>
              <Table.Td>{p.ifsc}</Table.Td>
              <Table.Td style={right}>{money(p.amountPaise)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="sm" style={{ wordBreak: 'break-all' }}>
        {t('invoice.bill.pdf', { sha: b.invoicePdfSha256 })}
      </Text>
    </Paper>
  );
}
