import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../shared/domain/dates.ts';
import { api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { INVOICE_BASE, invoiceKeys, money, monthName, type TInvoice, useInvoice } from './api.ts';
import { BillPanel, WorkflowPanel } from './WorkflowPanel.tsx';

const right = { textAlign: 'right' } as const;

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={500} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

function CancelInvoice({ invoice }: { invoice: TInvoice }) {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<TMsg | null>(null);
  const [fieldProblem, setFieldProblem] = useState<TMsg | null>(null);
  const save = useMutation({
    mutationFn: (body: unknown) => api<TInvoice>('POST', `${INVOICE_BASE}/${invoice.id}/cancel`, body),
  });
  return (
    <ConfirmDialog
      label={t('invoice.cancel.button')}
      title={t('invoice.cancel.title', { no: invoice.invoiceNo })}
      confirm={t('invoice.cancel.confirm')}
      color="red"
      variant="outline"
      testId="invoice-cancel"
      busy={save.isPending}
      intro={t('invoice.cancel.intro')}
      error={problem ? m(problem) : undefined}
      onOpen={() => {
        setProblem(null);
        setFieldProblem(null);
      }}
      onConfirm={async (close) => {
        setProblem(null);
        setFieldProblem(null);
        if (reason.trim().length < 3) {
          setFieldProblem({ k: 'validation.too_short', p: { min: 3 } });
          return;
        }
        try {
          await save.mutateAsync({ reason: reason.trim() });
          await qc.invalidateQueries({ queryKey: invoiceKeys.all });
          close();
        } catch (e) {
          const p = problemOf(e);
          setProblem(p.title);
          setFieldProblem(p.fields.reason ?? null);
        }
      }}
    >
      <Textarea
        label={t('invoice.cancel.reason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={m(fieldProblem)}
        maxLength={500}
        required
        data-testid="invoice-cancel-reason"
      />
    </ConfirmDialog>
  );
}

/**
 * The month column's wording: a recovery balance brought forward from an earlier invoice (negative)
 * or carried forward to the next one (positive) says so; otherwise an arrear or a recovery.
 */
function monthLabel(l: TInvoice['invoiceLines'][number]): string {
  if (l.code === 'RECOVERY_BF') return 'invoice.arrears.carriedInFor';
  if (l.stage === 'carry_forward') return 'invoice.arrears.carriedOutFor';
  return l.amountPaise < 0 ? 'invoice.arrears.recoveryFor' : 'invoice.arrears.for';
}

/**
 * Arrears (+) and recoveries (−) of earlier months from attendance and rate revisions, each naming
 * its month, and recovery balances brought or carried forward.
 */
function ArrearsTable({ lines }: { lines: TInvoice['invoiceLines'] }) {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  if (lines.length === 0) return null;
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h4" mb="sm">
        {t('invoice.arrears.title')}
      </Title>
      <Table withTableBorder striped data-testid="invoice-arrears" maw={800}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('invoice.arrears.col.month')}</Table.Th>
            <Table.Th>{t('invoice.arrears.col.line')}</Table.Th>
            <Table.Th style={right}>{t('invoice.arrears.col.amount')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((l) => (
            <Table.Tr key={`${l.arrearsMonth}-${l.code}-${l.nameEn}`}>
              <Table.Td>{t(monthLabel(l), { month: monthName(l.arrearsMonth!, i18n.language) })}</Table.Td>
              <Table.Td>{name(l.nameEn, l.nameHi)}</Table.Td>
              <Table.Td style={right}>{money(l.amountPaise)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** One invoice, line by line: per resource, the invoice-level lines, taxes and the total. */
export function InvoicePage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const id = Number((useParams({ strict: false }) as { id?: string }).id);
  const { data: inv, error } = useInvoice(id);
  if (error)
    return (
      <Alert color="red" role="alert">
        {error.message}
      </Alert>
    );
  if (!inv) return <Text>{t('common.loading')}</Text>;
  return (
    <Stack>
      <PageTitle title={t('invoice.one.title', { no: inv.invoiceNo })} />
      <Paper withBorder p="lg">
        <Group justify="space-between" mb="sm">
          <Badge color={inv.status === 'active' ? '#1b5e20' : '#495057'} size="lg" data-testid="invoice-status">
            {t(`invoice.status.${inv.status}`)}
          </Badge>
          <Group>
            <Anchor href={`${INVOICE_BASE}/${inv.id}/pdf`} data-testid="invoice-pdf" download>
              {t('invoice.one.pdf')}
            </Anchor>
            {inv.cancellable && <CancelInvoice invoice={inv} />}
          </Group>
        </Group>
        {inv.status === 'cancelled' && (
          <Alert color="gray" mb="sm" data-testid="invoice-credit-note">
            {t('invoice.one.cancelled', {
              no: inv.creditNoteNo ?? '',
              date: inv.creditNoteDate ? formatDate(inv.creditNoteDate) : '',
              reason: inv.cancelReason,
            })}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Fact label={t('invoice.col.number')} value={inv.invoiceNo} testId="invoice-number" />
          <Fact label={t('invoice.col.date')} value={formatDate(inv.invoiceDate)} />
          <Fact label={t('invoice.col.month')} value={monthName(inv.month, i18n.language)} />
          <Fact label={t('invoice.col.agency')} value={inv.agencyName} />
          <Fact label={t('invoice.col.contract')} value={inv.gemContractNo ? `${inv.contractNo} (${inv.gemContractNo})` : inv.contractNo} />
          <Fact label={t('invoice.one.billTo')} value={`${name(inv.departmentNameEn, inv.departmentNameHi)} — ${name(inv.officeNameEn, inv.officeNameHi)}`} />
          <Fact label={t('invoice.one.ddo')} value={inv.ddoCode} />
          <Fact label={t('invoice.one.supply')} value={inv.intraState ? t('invoice.one.intra') : t('invoice.one.inter')} />
          <Fact label={t('invoice.one.basis')} value={t(`invoice.basis.${inv.wageBasis}`)} />
        </SimpleGrid>
      </Paper>

      {inv.status === 'active' && <WorkflowPanel invoice={inv} />}
      <BillPanel invoice={inv} />

      <Paper withBorder p="lg">
        <Title order={2} size="h4" mb="sm">
          {t('invoice.one.resources')}
        </Title>
        <Table.ScrollContainer minWidth={1000}>
          <Table withTableBorder striped data-testid="invoice-details">
            <Table.Caption>{t('invoice.one.resourcesCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('invoice.col.name')}</Table.Th>
                <Table.Th>{t('invoice.col.aadhaar')}</Table.Th>
                <Table.Th>{t('invoice.col.post')}</Table.Th>
                <Table.Th style={right}>{t('invoice.col.paidDays')}</Table.Th>
                <Table.Th style={right}>{t('invoice.col.wage')}</Table.Th>
                <Table.Th style={right}>{t('invoice.col.epf')}</Table.Th>
                <Table.Th style={right}>{t('invoice.col.esic')}</Table.Th>
                <Table.Th style={right}>{t('invoice.col.bonus')}</Table.Th>
                <Table.Th style={right}>{t('invoice.col.lineTotal')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {inv.details.map((d) => (
                <Table.Tr key={d.resourceId}>
                  <Table.Td>{name(d.nameEn, d.nameHi)}</Table.Td>
                  <Table.Td>{d.maskedAadhaar}</Table.Td>
                  <Table.Td>{name(d.postEn, d.postHi)}</Table.Td>
                  <Table.Td style={right}>
                    {d.paidDays} / {d.daysInMonth}
                  </Table.Td>
                  <Table.Td style={right}>{money(d.earnedWagePaise)}</Table.Td>
                  <Table.Td style={right}>{money(d.epfPaise)}</Table.Td>
                  <Table.Td style={right}>{d.esicCovered ? money(d.esicPaise) : t('invoice.one.notCovered')}</Table.Td>
                  <Table.Td style={right}>{money(d.bonusPaise)}</Table.Td>
                  <Table.Td style={right}>{money(d.totalPaise)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <ArrearsTable lines={inv.invoiceLines.filter((l) => l.arrearsMonth !== null)} />

      <Paper withBorder p="lg">
        <Title order={2} size="h4" mb="sm">
          {t('invoice.one.totals')}
        </Title>
        <Table withTableBorder data-testid="invoice-totals" maw={640}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row">{t('invoice.total.subtotal')}</Table.Th>
              <Table.Td style={right}>{money(inv.subtotalPaise)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('invoice.total.service', { percent: (inv.serviceChargeBp / 100).toFixed(2) })}</Table.Th>
              <Table.Td style={right}>{money(inv.serviceChargePaise)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('invoice.total.reimbursed')}</Table.Th>
              <Table.Td style={right}>{money(inv.reimbursedPaise)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('invoice.total.taxable')}</Table.Th>
              <Table.Td style={right}>{money(inv.taxablePaise)}</Table.Td>
            </Table.Tr>
            {inv.taxLines.map((l) => (
              <Table.Tr key={l.code}>
                <Table.Th scope="row">{name(l.nameEn, l.nameHi)}</Table.Th>
                <Table.Td style={right}>{money(l.amountPaise)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Th scope="row">{t('invoice.total.roundOff')}</Table.Th>
              <Table.Td style={right}>{money(inv.roundOffPaise)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('invoice.total.total')}</Table.Th>
              <Table.Td style={right} fw={700} data-testid="invoice-total">
                {money(inv.totalPaise)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Text size="sm" mt="sm">
          {t('invoice.one.verifyHint')}{' '}
          <Anchor href={inv.verifyUrl} underline="always" data-testid="invoice-verify-link">
            {t('invoice.one.verifyLink')}
          </Anchor>
        </Text>
      </Paper>
    </Stack>
  );
}
