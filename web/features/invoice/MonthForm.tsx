import { Alert, Anchor, Button, Group, Paper, Select, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TInvoiceMonthResult } from '../../../shared/contracts/invoice.ts';
import { api } from '../../lib/api.ts';
import { TableCaption } from '../../ui/TableCaption.tsx';
import { problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { INVOICE_BASE, invoiceKeys, monthName, monthsUpTo, useInvoiceOptions } from './api.ts';

/**
 * The agency's month end (issue 16, `POST /api/v1/invoices/month`): one click generates the
 * month's invoice of every active contract; the table says, per contract, the invoice made or why
 * it was refused (in the caller's language, from the server). Running it again is safe: a contract
 * already invoiced for the month is refused, nothing is written twice. A second click while the
 * first runs is ignored (the ref, before React re-renders the button as loading).
 */
export function MonthForm() {
  const { t, i18n } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const options = useInvoiceOptions(true);
  const [month, setMonth] = useState<string | null>(null);
  const [problem, setProblem] = useState<TMsg | null>(null);
  const [result, setResult] = useState<{ month: string; data: TInvoiceMonthResult } | null>(null);
  const running = useRef(false);
  const run = useMutation({
    mutationFn: (body: { month: string }) => api<TInvoiceMonthResult>('POST', `${INVOICE_BASE}/month`, body),
    onSuccess: async (data, body) => {
      setResult({ month: body.month, data });
      await qc.invalidateQueries({ queryKey: invoiceKeys.all });
    },
    onError: (e) => setProblem(problemOf(e).title),
    onSettled: () => {
      running.current = false;
    },
  });
  const chosen = month ?? options.data?.lastMonth ?? null;
  const contractNo = new Map((options.data?.contracts ?? []).map((c) => [c.id, c.contractNo]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || running.current) return;
    running.current = true;
    setProblem(null);
    setResult(null);
    run.mutate({ month: chosen });
  };
  return (
    <Paper withBorder p="md" mb="md">
      <form onSubmit={submit} noValidate>
        <Title order={2} size="h4" mb="sm">
          {t('invoice.month.title')}
        </Title>
        <Text size="sm" mb="sm">
          {t('invoice.month.intro')}
        </Text>
        {problem && (
          <Alert color="red" role="alert" mb="sm" data-testid="invoice-month-error">
            {m(problem)}
          </Alert>
        )}
        <Group align="end">
          <Select
            label={t('invoice.generate.month')}
            data={options.data ? monthsUpTo(options.data.lastMonth).map((v) => ({ value: v, label: monthName(v, i18n.language) })) : []}
            value={chosen}
            onChange={setMonth}
            allowDeselect={false}
            required
            w={220}
            data-testid="invoice-month-all-month"
          />
          <Button type="submit" loading={run.isPending} data-testid="invoice-month-all">
            {t('invoice.month.submit')}
          </Button>
        </Group>
      </form>
      {result && (
        <>
          <Alert color={result.data.refused ? 'yellow' : 'green'} role="status" mt="md" data-testid="invoice-month-summary">
            {t('invoice.month.summary', { month: monthName(result.month, i18n.language), made: result.data.made, refused: result.data.refused })}
          </Alert>
          {result.data.results.length > 0 && (
            <Table.ScrollContainer minWidth={600} mt="sm">
              <Table withTableBorder striped data-testid="invoice-month-results">
                <TableCaption>{t('invoice.month.caption', { month: monthName(result.month, i18n.language) })}</TableCaption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('invoice.col.contract')}</Table.Th>
                    <Table.Th>{t('invoice.month.outcome')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {result.data.results.map((r) => (
                    <Table.Tr key={r.contractId}>
                      <Table.Td>{contractNo.get(r.contractId) ?? r.contractId}</Table.Td>
                      <Table.Td>
                        {r.ok && r.invoiceId !== null ? (
                          <Anchor component={Link} to={`/invoices/${r.invoiceId}`}>
                            {t('invoice.month.made', { no: r.invoiceNo })}
                          </Anchor>
                        ) : (
                          <Text size="sm" c="red.9">
                            {t('invoice.month.refused', { reason: r.message ?? r.code })}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      )}
    </Paper>
  );
}
