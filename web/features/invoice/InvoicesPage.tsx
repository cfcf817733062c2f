import { Alert, Anchor, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WORKFLOW_STAGES } from '../../../shared/contracts/invoice.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { activeAssignment, can, useMe } from '../../lib/session.ts';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { INVOICE_BASE, invoiceKeys, money, monthName, monthsUpTo, newIdempotencyKey, type TInvoice, useInvoiceOptions, useInvoices } from './api.ts';
import { MonthForm } from './MonthForm.tsx';
import { PrefixForm } from './PrefixForm.tsx';

const right = { textAlign: 'right', whiteSpace: 'nowrap' } as const;
// Dates, numbers and amounts never break inside ("06/12/2 026", "₹25,61 5.00" on a narrow screen).
const nowrap = { whiteSpace: 'nowrap' } as const;
const PAGE_SIZE = 25;

/** The agency picks a contract and a month that is over; a refusal is shown in the user's language. */
function GenerateForm() {
  const { t, i18n } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const options = useInvoiceOptions(true);
  const [contractId, setContractId] = useState<string | null>(null);
  const [month, setMonth] = useState<string | null>(null);
  const [problem, setProblem] = useState<TMsg | null>(null);
  const [fields, setFields] = useState<Record<string, TMsg>>({});
  // One Idempotency-Key per generation (a double click or a retry after a lost answer makes one
  // invoice and opens it); a new one once it is made.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: (body: unknown) => api<TInvoice>('POST', INVOICE_BASE, body, { idempotencyKey }),
    onSuccess: async (inv) => {
      setIdempotencyKey(newIdempotencyKey());
      await qc.invalidateQueries({ queryKey: invoiceKeys.all });
      await navigate({ to: `/invoices/${inv.id}` });
    },
    onError: (e) => {
      const p = problemOf(e);
      setFields(p.fields);
      setProblem(p.title);
    },
  });
  const chosenMonth = month ?? options.data?.lastMonth ?? null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setFields({});
    if (!contractId || !chosenMonth) {
      setFields({ ...(contractId ? {} : { contractId: { k: 'validation.required' } }), ...(chosenMonth ? {} : { month: { k: 'validation.required' } }) });
      return;
    }
    save.mutate({ contractId: Number(contractId), month: chosenMonth });
  };
  return (
    <Paper withBorder p="md" mb="md">
      <form onSubmit={submit} noValidate>
        <Title order={2} size="h4" mb="sm">
          {t('invoice.generate.title')}
        </Title>
        <Text size="sm" mb="sm">
          {t('invoice.generate.intro')}
        </Text>
        {problem && (
          <Alert color="red" role="alert" mb="sm" data-testid="invoice-generate-error">
            {m(problem)}
          </Alert>
        )}
        <Group align="end">
          <Select
            label={t('invoice.generate.contract')}
            data={(options.data?.contracts ?? []).map((c) => ({ value: String(c.id), label: c.contractNo }))}
            value={contractId}
            onChange={setContractId}
            error={m(fields.contractId)}
            required
            w={280}
            data-testid="invoice-contract"
          />
          <Select
            label={t('invoice.generate.month')}
            data={options.data ? monthsUpTo(options.data.lastMonth).map((v) => ({ value: v, label: monthName(v, i18n.language) })) : []}
            value={chosenMonth}
            onChange={setMonth}
            error={m(fields.month)}
            required
            w={220}
            data-testid="invoice-month"
          />
          <Button type="submit" loading={save.isPending} data-testid="invoice-generate">
            {t('invoice.generate.submit')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

/** Invoices the user may see: the agency its own, department roles their office tree's, Finance all. */
export function InvoicesPage() {
  const { t, i18n } = useTranslation();
  const name = useBilingual();
  const me = useMe();
  const [status, setStatus] = useState<string>('');
  // Each desk opens on its worklist (issue 17): the DM what awaits verification, the DDO what awaits approval.
  const role = activeAssignment(me.data)?.role;
  const desk = role === 'department_manager' ? 'submitted' : role === 'ddo' ? 'verified' : '';
  const [stageChoice, setStage] = useState<string | null>(null);
  const stage = stageChoice ?? desk;
  const [page, setPage] = useState(1);
  const { data, error } = useInvoices(status, stage, page, PAGE_SIZE);
  return (
    <Stack gap={0}>
      <PageTitle title={t('invoice.title')} />
      {can(me.data, 'invoice.generate') && <GenerateForm />}
      {can(me.data, 'invoice.generate') && <MonthForm />}
      {can(me.data, 'agency.self') && <PrefixForm />}
      <Paper withBorder p="lg">
        <Group mb="sm">
          <Select
            label={t('invoice.col.status')}
            data={[
              { value: '', label: t('invoice.status.all') },
              { value: 'active', label: t('invoice.status.active') },
              { value: 'cancelled', label: t('invoice.status.cancelled') },
            ]}
            value={status}
            onChange={(v) => {
              setStatus(v ?? '');
              setPage(1);
            }}
            allowDeselect={false}
            w={200}
          />
          <Select
            label={t('invoice.col.stage')}
            data={[{ value: '', label: t('invoice.status.all') }, ...WORKFLOW_STAGES.map((s) => ({ value: s, label: t(`invoice.worklist.${s}`) }))]}
            value={stage}
            onChange={(v) => {
              setStage(v ?? '');
              setPage(1);
            }}
            allowDeselect={false}
            w={280}
            data-testid="invoice-stage-filter"
          />
        </Group>
        {error && (
          <Alert color="red" role="alert" mb="sm">
            {error.message}
          </Alert>
        )}
        <Table.ScrollContainer minWidth={900}>
          <Table withTableBorder striped data-testid="invoice-list">
            <Table.Caption>{t('invoice.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('invoice.col.number')}</Table.Th>
                <Table.Th>{t('invoice.col.date')}</Table.Th>
                <Table.Th>{t('invoice.col.month')}</Table.Th>
                <Table.Th>{t('invoice.col.contract')}</Table.Th>
                <Table.Th>{t('invoice.col.agency')}</Table.Th>
                <Table.Th>{t('invoice.col.office')}</Table.Th>
                <Table.Th style={right}>{t('invoice.col.resources')}</Table.Th>
                <Table.Th style={right}>{t('invoice.col.total')}</Table.Th>
                <Table.Th>{t('invoice.col.status')}</Table.Th>
                <Table.Th>{t('invoice.col.stage')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {!data && !error && (
                <Table.Tr>
                  <Table.Td colSpan={10}>{t('common.loading')}</Table.Td>
                </Table.Tr>
              )}
              {data?.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={10}>
                    <Text size="sm">{t('invoice.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {data?.items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td style={nowrap}>
                    <Anchor component={Link} to={`/invoices/${i.id}`}>
                      {i.invoiceNo}
                    </Anchor>
                  </Table.Td>
                  <Table.Td style={nowrap}>{formatDate(i.invoiceDate)}</Table.Td>
                  <Table.Td>{monthName(i.month, i18n.language)}</Table.Td>
                  <Table.Td>{i.contractNo}</Table.Td>
                  <Table.Td>{i.agencyName}</Table.Td>
                  <Table.Td>{name(i.officeNameEn, i.officeNameHi)}</Table.Td>
                  <Table.Td style={right}>{i.resources}</Table.Td>
                  <Table.Td style={right}>{money(i.totalPaise)}</Table.Td>
                  <Table.Td>
                    {t(`invoice.status.${i.status}`)}
                    {i.creditNoteNo ? ` — ${t('invoice.creditNote', { no: i.creditNoteNo })}` : ''}
                  </Table.Td>
                  <Table.Td>
                    {i.status === 'active' ? t(`invoice.stage.${i.stage}`) : '—'}
                    {i.gateHeldMonth && (
                      <Badge
                        ml="xs"
                        // Dark amber with white text: axe's 4.5:1 (the light orange badge was 3.6:1).
                        color="#7a4f00"
                        variant="filled"
                        title={t('invoice.gateHeldTitle', { month: monthName(i.gateHeldMonth, i18n.language) })}
                        data-testid="invoice-gate-held"
                      >
                        {t('invoice.gateHeldBadge', { month: monthName(i.gateHeldMonth, i18n.language) })}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {data && <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label={t('invoice.caption')} />}
      </Paper>
    </Stack>
  );
}
