import { Alert, Button, Group, Paper, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TInvoicePrefix } from '../../../shared/contracts/invoice-prefix.ts';
import { fiscalYearLabel, fiscalYearStart, todayIst } from '../../../shared/domain/dates.ts';
import { api } from '../../lib/api.ts';
import { problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { INVOICE_BASE } from './api.ts';

const PREFIX_URL = `${INVOICE_BASE}/prefix`;
const prefixKey = ['invoice', 'prefix'] as const;

/** The example number shown beside the prefix: this financial year's first number ('2026-27' → 2627). */
function example(prefix: string): string {
  const fy = fiscalYearLabel(fiscalYearStart(todayIst()));
  return `${prefix}/${fy.slice(2, 4)}${fy.slice(5, 7)}/0001`;
}

/**
 * The agency admin's invoice-number prefix (1–6 capital letters or digits). Letters are
 * upper-cased as typed; anything else the server refuses is shown under the field in the user's
 * language. A new prefix applies from the next number.
 */
export function PrefixForm() {
  const { t } = useTranslation();
  const m = useMsg();
  const qc = useQueryClient();
  const current = useQuery({ queryKey: prefixKey, queryFn: () => api<TInvoicePrefix>('GET', PREFIX_URL) });
  const [value, setValue] = useState<string | null>(null);
  const [problem, setProblem] = useState<TMsg | null>(null);
  const [fieldError, setFieldError] = useState<TMsg | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (prefix: string) => api<TInvoicePrefix>('PUT', PREFIX_URL, { prefix }),
    onSuccess: async (p) => {
      setSaved(p.prefix);
      setValue(null);
      await qc.invalidateQueries({ queryKey: prefixKey });
    },
    onError: (e) => {
      const p = problemOf(e);
      setFieldError(p.fields.prefix ?? null);
      setProblem(p.fields.prefix ? null : p.title);
    },
  });
  const shown = value ?? current.data?.prefix ?? '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setFieldError(null);
    setSaved(null);
    save.mutate(shown);
  };
  return (
    <Paper withBorder p="md" mb="md">
      <form onSubmit={submit} noValidate>
        <Title order={2} size="h4" mb="sm">
          {t('invoice.prefix.title')}
        </Title>
        <Text size="sm" mb="sm">
          {t('invoice.prefix.intro', { example: example(current.data?.prefix ?? 'INV') })}
        </Text>
        {current.data && (
          <Text size="sm" mb="sm" data-testid="invoice-prefix-current">
            {t('invoice.prefix.current', { prefix: current.data.prefix })}
            {current.data.isDefault ? ` ${t('invoice.prefix.default')}` : ''}
          </Text>
        )}
        {problem && (
          <Alert color="red" role="alert" mb="sm" data-testid="invoice-prefix-problem">
            {m(problem)}
          </Alert>
        )}
        {saved && (
          <Alert color="green" role="status" mb="sm" data-testid="invoice-prefix-saved">
            {t('invoice.prefix.saved', { prefix: saved })}
          </Alert>
        )}
        <Group align="end">
          <TextInput
            label={t('invoice.prefix.label')}
            description={t('invoice.prefix.hint')}
            value={shown}
            onChange={(e) => setValue(e.currentTarget.value.toUpperCase())}
            error={m(fieldError)}
            required
            w={280}
            autoComplete="off"
            data-testid="invoice-prefix"
          />
          <Button type="submit" loading={save.isPending} data-testid="invoice-prefix-save">
            {t('invoice.prefix.submit')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
