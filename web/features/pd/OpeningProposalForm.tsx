import { Alert, Button, Fieldset, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PROPOSAL_ROWS, MAX_ROW_LINES, PD_INSTITUTIONS } from '../../../shared/contracts/pd-open.ts';
import { PD_SOURCES } from '../../../shared/contracts/pd.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { MOBILE_RE } from '../../../shared/domain/validators.ts';
import { api, newIdempotencyKey } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { dateProblem, parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { msg, problemOf, type TMsg, useMsg } from '../contract/api.ts';
import { pdKeys } from './api.ts';
import { OPEN_BASE, type TProposal, type TProposalIn, useBudgetLineOptions, useTreasuryOptions } from './open-api.ts';

type TSource = (typeof PD_SOURCES)[number];
type TInstitution = (typeof PD_INSTITUTIONS)[number];
type TLineForm = { budgetLineId: string; purpose: string };
type TRowForm = {
  institution: TInstitution;
  administratorDesignation: string;
  administratorOffice: string;
  administratorMobile: string;
  treasuryId: string;
  purpose: string;
  items: string;
  validityDate: string;
  remark: string;
  lines: TLineForm[];
};
type TForm = { hodDesignation: string; source: TSource; rows: TRowForm[] };

const emptyLine = (): TLineForm => ({ budgetLineId: '', purpose: '' });
const emptyRow = (): TRowForm => ({
  institution: 'government',
  administratorDesignation: '',
  administratorOffice: '',
  administratorMobile: '',
  treasuryId: '',
  purpose: '',
  items: '',
  validityDate: '',
  remark: '',
  lines: [emptyLine()],
});

/** A draft as the form shows it (editing a draft). */
function formOf(p: TProposal | null): TForm {
  if (!p) return { hodDesignation: '', source: 'consolidated', rows: [emptyRow()] };
  return {
    hodDesignation: p.hodDesignation,
    source: p.source,
    rows: p.rows.map((r) => ({
      institution: r.institution,
      administratorDesignation: r.administratorDesignation,
      administratorOffice: r.administratorOffice,
      administratorMobile: r.administratorMobile,
      treasuryId: String(r.treasuryId),
      purpose: r.purpose,
      items: r.items,
      validityDate: r.validityDate ? formatDate(r.validityDate) : '',
      remark: r.remark,
      lines: r.lines.map((l) => ({ budgetLineId: l.budgetLineId === null ? '' : String(l.budgetLineId), purpose: l.budgetLineId === null ? l.purpose : '' })),
    })),
  };
}

/** What the form says, as the server takes it, and the problems seen before sending (field paths as the server's). */
function bodyOf(f: TForm): { body: TProposalIn; errors: Record<string, TMsg> } {
  const errors: Record<string, TMsg> = {};
  const required = msg('validation.required');
  if (f.hodDesignation.trim().length < 2) errors.hodDesignation = required;
  const rows = f.rows.map((r, i) => {
    const at = `rows.${i}`;
    if (r.administratorDesignation.trim().length < 2) errors[`${at}.administratorDesignation`] = required;
    if (r.administratorOffice.trim().length < 2) errors[`${at}.administratorOffice`] = required;
    const mobile = r.administratorMobile.trim();
    if (r.institution === 'government' && mobile === '') errors[`${at}.administratorMobile`] = required;
    else if (mobile !== '' && !MOBILE_RE.test(mobile)) errors[`${at}.administratorMobile`] = msg('validation.mobile_format');
    if (!r.treasuryId) errors[`${at}.treasuryId`] = required;
    if (r.purpose.trim().length < 3) errors[`${at}.purpose`] = msg('pd-open.form.min3');
    if (r.items.trim().length < 3) errors[`${at}.items`] = msg('pd-open.form.min3');
    const validity = r.validityDate.trim() === '' ? undefined : parseIndianDate(r.validityDate);
    if (validity === null) errors[`${at}.validityDate`] = msg(`validation.${dateProblem(r.validityDate) ?? 'date_format'}`);
    const lines = r.lines.map((l, j) => {
      if (f.source === 'consolidated') {
        if (!l.budgetLineId) errors[`${at}.lines.${j}.budgetLineId`] = required;
        return { budgetLineId: Number(l.budgetLineId), purpose: '' };
      }
      if (l.purpose.trim().length < 3) errors[`${at}.lines.${j}.purpose`] = msg('pd-open.form.min3');
      return { purpose: l.purpose.trim() };
    });
    return {
      institution: r.institution,
      administratorDesignation: r.administratorDesignation.trim(),
      administratorOffice: r.administratorOffice.trim(),
      administratorMobile: r.institution === 'government' || mobile !== '' ? mobile : '',
      treasuryId: Number(r.treasuryId),
      purpose: r.purpose.trim(),
      items: r.items.trim(),
      ...(validity ? { validityDate: validity } : {}),
      remark: r.remark.trim(),
      lines,
    };
  });
  return { body: { hodDesignation: f.hodDesignation.trim(), source: f.source, rows }, errors };
}

/**
 * The department's proposal (form "प्रपत्र-अ"): the HOD's designation, the source of money, and one
 * row per PD account — the administrator, the treasury, the purpose, the items, the budget lines
 * (consolidated fund) or the purposes (other money), the validity date and a remark. Saves a new
 * draft (POST) or replaces a draft (PUT); every problem, the form's own or the server's, is shown
 * at its field.
 */
export function OpeningProposalForm({
  draft,
  onClose,
  onSaved,
}: {
  draft: TProposal | null;
  onClose: () => void;
  onSaved: (p: TProposal, created: boolean) => void;
}) {
  const { t } = useTranslation();
  const m = useMsg();
  const name = useBilingual();
  const qc = useQueryClient();
  const [form, setForm] = useState<TForm>(() => formOf(draft));
  const [errors, setErrors] = useState<Record<string, TMsg>>({});
  const [failure, setFailure] = useState<TMsg | null>(null);
  const lines = useBudgetLineOptions();
  const treasuries = useTreasuryOptions();
  // One Idempotency-Key per opened form: a repeat of the save (a retry, a second click) makes one draft.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: (body: TProposalIn) =>
      draft ? api<TProposal>('PUT', `${OPEN_BASE}/proposals/${draft.id}`, body) : api<TProposal>('POST', `${OPEN_BASE}/proposals`, body, { idempotencyKey }),
    onSuccess: async (p) => {
      await qc.invalidateQueries({ queryKey: pdKeys.all });
      onSaved(p, !draft);
    },
    onError: (e) => {
      const p = problemOf(e);
      setErrors(p.fields);
      setFailure(p.title);
    },
  });
  const setRow = (i: number, patch: Partial<TRowForm>) => setForm((f) => ({ ...f, rows: f.rows.map((r, k) => (k === i ? { ...r, ...patch } : r)) }));
  const setLine = (i: number, j: number, patch: Partial<TLineForm>) =>
    setForm((f) => ({
      ...f,
      rows: f.rows.map((r, k) => (k === i ? { ...r, lines: r.lines.map((l, n) => (n === j ? { ...l, ...patch } : l)) } : r)),
    }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    const { body, errors: fe } = bodyOf(form);
    setErrors(fe);
    if (Object.keys(fe).length) {
      setFailure(msg('pd-open.form.fixErrors'));
      return;
    }
    setFailure(null);
    save.mutate(body);
  };
  const err = (path: string) => m(errors[path]);
  const budgetData = [
    { value: '', label: t('pd-open.form.budgetLinePick') },
    ...(lines.data?.items ?? []).map((b) => ({ value: String(b.id), label: `${b.head} · ${name(b.schemeNameEn, b.schemeNameHi)}` })),
  ];
  const treasuryData = [
    { value: '', label: t('pd-open.form.treasuryPick') },
    ...(treasuries.data?.items ?? []).map((x) => ({ value: String(x.id), label: `${name(x.nameEn, x.nameHi)} (${x.code})` })),
  ];
  const titleId = 'pd-open-form-h';
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={titleId} data-testid="pd-open-form">
      <Title order={2} size="h3" id={titleId} mb="sm">
        {draft ? t('pd-open.form.editTitle', { id: draft.id }) : t('pd-open.form.newTitle')}
      </Title>
      <Text size="sm" mb="md">
        {t('pd-open.form.hint')}
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack>
          {failure && (
            <Alert color="red" role="alert">
              {m(failure)}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('pd-open.form.hodDesignation')}
              value={form.hodDesignation}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setForm((f) => ({ ...f, hodDesignation: v }));
              }}
              error={err('hodDesignation')}
              required
              maxLength={200}
            />
            <NativeSelect
              label={t('pd-open.form.source')}
              value={form.source}
              onChange={(e) => {
                const v = e.currentTarget.value as TSource;
                setForm((f) => ({ ...f, source: v, rows: f.rows.map((r) => ({ ...r, lines: [emptyLine()] })) }));
              }}
              data={PD_SOURCES.map((s) => ({ value: s, label: t(`pd.source.${s}`) }))}
              error={err('source')}
              required
            />
          </SimpleGrid>
          {form.source === 'consolidated' && lines.data && lines.data.items.length === 0 && (
            <Alert color="orange" role="status">
              {t('pd-open.form.noBudgetLines')}
            </Alert>
          )}
          {form.rows.map((r, i) => {
            const at = `rows.${i}`;
            const n = i + 1;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own until saved; their position is it.
              <Fieldset key={i} legend={t('pd-open.form.row', { n })} data-testid={`pd-open-row-${n}`}>
                <Stack>
                  <SimpleGrid cols={{ base: 1, sm: 2 }}>
                    <NativeSelect
                      label={t('pd-open.form.institution')}
                      value={r.institution}
                      onChange={(e) => setRow(i, { institution: e.currentTarget.value as TInstitution })}
                      data={PD_INSTITUTIONS.map((x) => ({ value: x, label: t(`pd-open.institution.${x}`) }))}
                      required
                    />
                    <NativeSelect
                      label={t('pd-open.form.treasury')}
                      value={r.treasuryId}
                      onChange={(e) => setRow(i, { treasuryId: e.currentTarget.value })}
                      data={treasuryData}
                      error={err(`${at}.treasuryId`)}
                      required
                    />
                    <TextInput
                      label={t('pd-open.form.administratorDesignation')}
                      value={r.administratorDesignation}
                      onChange={(e) => setRow(i, { administratorDesignation: e.currentTarget.value })}
                      error={err(`${at}.administratorDesignation`)}
                      required
                      maxLength={200}
                    />
                    <TextInput
                      label={t('pd-open.form.administratorOffice')}
                      value={r.administratorOffice}
                      onChange={(e) => setRow(i, { administratorOffice: e.currentTarget.value })}
                      error={err(`${at}.administratorOffice`)}
                      required
                      maxLength={200}
                    />
                    <TextInput
                      label={t('pd-open.form.administratorMobile')}
                      description={t(r.institution === 'government' ? 'pd-open.form.mobileHint' : 'pd-open.form.mobileHintNonGov')}
                      value={r.administratorMobile}
                      onChange={(e) => setRow(i, { administratorMobile: e.currentTarget.value.replace(/\D/g, '').slice(0, 10) })}
                      error={err(`${at}.administratorMobile`)}
                      required={r.institution === 'government'}
                      inputMode="numeric"
                      autoComplete="off"
                      maxLength={10}
                    />
                    <DateInput
                      label={t('pd-open.form.validityDate')}
                      value={r.validityDate}
                      onChange={(v) => setRow(i, { validityDate: v })}
                      error={err(`${at}.validityDate`)}
                    />
                  </SimpleGrid>
                  <TextInput
                    label={t('pd-open.form.purpose')}
                    value={r.purpose}
                    onChange={(e) => setRow(i, { purpose: e.currentTarget.value })}
                    error={err(`${at}.purpose`)}
                    required
                    maxLength={300}
                  />
                  <Textarea
                    label={t('pd-open.form.items')}
                    value={r.items}
                    onChange={(e) => setRow(i, { items: e.currentTarget.value })}
                    error={err(`${at}.items`)}
                    required
                    autosize
                    minRows={2}
                    maxLength={500}
                  />
                  <Fieldset legend={t(form.source === 'consolidated' ? 'pd-open.form.lines' : 'pd-open.form.purposes')} variant="filled">
                    <Stack gap="xs">
                      {r.lines.map((l, j) => {
                        const lat = `${at}.lines.${j}`;
                        const ln = j + 1;
                        return (
                          // biome-ignore lint/suspicious/noArrayIndexKey: a line's position is its identity in the form.
                          <Group key={j} align="flex-end" wrap="nowrap">
                            {form.source === 'consolidated' ? (
                              <NativeSelect
                                style={{ flex: 1 }}
                                label={t('pd-open.form.budgetLine', { n: ln })}
                                value={l.budgetLineId}
                                onChange={(e) => setLine(i, j, { budgetLineId: e.currentTarget.value })}
                                data={budgetData}
                                error={err(`${lat}.budgetLineId`)}
                                required
                              />
                            ) : (
                              <TextInput
                                style={{ flex: 1 }}
                                label={t('pd-open.form.linePurpose', { n: ln })}
                                value={l.purpose}
                                onChange={(e) => setLine(i, j, { purpose: e.currentTarget.value })}
                                error={err(`${lat}.purpose`)}
                                required
                                maxLength={200}
                              />
                            )}
                            {r.lines.length > 1 && (
                              <Button
                                variant="subtle"
                                color="red.9"
                                onClick={() => setRow(i, { lines: r.lines.filter((_, k) => k !== j) })}
                                aria-label={t('pd-open.form.removeLineLabel', { n: ln, row: n })}
                              >
                                {t('pd-open.form.removeLine')}
                              </Button>
                            )}
                          </Group>
                        );
                      })}
                      {r.lines.length < MAX_ROW_LINES && (
                        <Group>
                          <Button
                            variant="light"
                            size="xs"
                            onClick={() => setRow(i, { lines: [...r.lines, emptyLine()] })}
                            aria-label={t('pd-open.form.addLineLabel', { row: n })}
                          >
                            {t('pd-open.form.addLine')}
                          </Button>
                        </Group>
                      )}
                    </Stack>
                  </Fieldset>
                  <TextInput
                    label={t('pd-open.form.remark')}
                    value={r.remark}
                    onChange={(e) => setRow(i, { remark: e.currentTarget.value })}
                    error={err(`${at}.remark`)}
                    maxLength={300}
                  />
                  {form.rows.length > 1 && (
                    <Group>
                      <Button
                        variant="outline"
                        color="red.9"
                        size="xs"
                        onClick={() => setForm((f) => ({ ...f, rows: f.rows.filter((_, k) => k !== i) }))}
                        aria-label={t('pd-open.form.removeRowLabel', { n })}
                      >
                        {t('pd-open.form.removeRow')}
                      </Button>
                    </Group>
                  )}
                </Stack>
              </Fieldset>
            );
          })}
          {form.rows.length < MAX_PROPOSAL_ROWS && (
            <Group>
              <Button variant="light" onClick={() => setForm((f) => ({ ...f, rows: [...f.rows, emptyRow()] }))}>
                {t('pd-open.form.addRow')}
              </Button>
            </Group>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('pd-open.form.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
