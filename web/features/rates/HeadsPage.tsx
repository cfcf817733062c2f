import { Alert, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { THeadCreate, THeadHistory, THeadsInForce, TStatutoryHead, TWageDefinitionCreate } from '../../../shared/contracts/rates.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import {
  HEAD_BASES,
  HEAD_CEILING_WHEN,
  HEAD_CONDITIONS,
  HEAD_KINDS,
  HEAD_RATE_SOURCES,
  HEAD_STAGES,
  ROUNDINGS,
  WAGE_DEFINITIONS,
} from '../../../shared/domain/invoice-engine.ts';
import { formatPaise } from '../../../shared/domain/money.ts';
import { paiseToInput, parseRupees } from '../../../shared/domain/wages.ts';
import { ApiError, api, qs } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { percentToPpm, ppmToPercent } from '../../lib/percent.ts';
import { can, useMe } from '../../lib/session.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';

const BASE = '/api/v1/rates/heads';
const right = { textAlign: 'right' } as const;
const keys = { inForce: (on: string) => ['rates', 'heads', on] as const, history: ['rates', 'heads', 'history'] as const };

function rate(h: TStatutoryHead, t: (k: string) => string) {
  if (h.lumpSumPaise != null) return formatPaise(h.lumpSumPaise);
  if (h.rateFrom !== 'head') return t(`rates.heads.rateFrom.${h.rateFrom}`);
  return `${ppmToPercent(h.ratePpm)} %`;
}

/**
 * Finance's heads master (issue 16 item 1): the statutory heads and the wage definition in force on
 * a date, each head's history, and — for Finance only — a revision from today or a later date, or
 * the deletion of a row not yet in force. Rows in force are history: the server refuses changes.
 */
export function HeadsPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const { data: me } = useMe();
  const manage = can(me, 'rates.manage');
  const qc = useQueryClient();
  const [onText, setOnText] = useState('');
  const onIso = parseIndianDate(onText) ?? '';
  const inForce = useQuery({ queryKey: keys.inForce(onIso), queryFn: () => api<THeadsInForce>('GET', `${BASE}${qs(onIso ? { on: onIso } : {})}`) });
  const history = useQuery({ queryKey: keys.history, queryFn: () => api<THeadHistory>('GET', `${BASE}/history`) });
  const [editing, setEditing] = useState<Partial<TStatutoryHead> | null>(null);
  const [addingDef, setAddingDef] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const del = useMutation({
    mutationFn: (url: string) => api('DELETE', url),
    onSuccess: async () => {
      setStatus(t('rates.heads.deleted'));
      await qc.invalidateQueries({ queryKey: ['rates', 'heads'] });
    },
    onError: (e) => setStatus(e instanceof ApiError ? e.problem.title : String(e)),
  });
  const saved = async () => {
    setEditing(null);
    setAddingDef(false);
    setStatus(t('rates.heads.saved'));
    await qc.invalidateQueries({ queryKey: ['rates', 'heads'] });
  };
  const codes = [...new Set((history.data?.rows ?? []).map((r) => r.code))];
  const rows = (history.data?.rows ?? []).filter((r) => !code || r.code === code);

  return (
    <Stack maw={1200}>
      <PageTitle title={t('rates.heads.title')} />
      <Text>{t('rates.heads.intro')}</Text>
      <div role="status" aria-live="polite">
        {status && <Alert color="blue">{status}</Alert>}
      </div>
      {(inForce.error || history.error) && (
        <Alert color="red" role="alert">
          {(inForce.error ?? history.error)?.message}
        </Alert>
      )}
      <Paper withBorder p="md">
        <Stack>
          <Group align="flex-end">
            <DateInput label={t('rates.heads.on')} value={onText} onChange={setOnText} />
            {manage && <Button onClick={() => setEditing({})}>{t('rates.heads.addNew')}</Button>}
          </Group>
          {inForce.data && (
            <Table withTableBorder striped>
              <caption>{t('rates.heads.inForceCaption', { date: formatDate(inForce.data.on) })}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('rates.heads.col.code')}</Table.Th>
                  <Table.Th scope="col">{t('rates.heads.col.name')}</Table.Th>
                  <Table.Th scope="col">{t('rates.heads.col.base')}</Table.Th>
                  <Table.Th scope="col" style={right}>
                    {t('rates.heads.col.rate')}
                  </Table.Th>
                  <Table.Th scope="col" style={right}>
                    {t('rates.heads.col.ceiling')}
                  </Table.Th>
                  <Table.Th scope="col">{t('rates.heads.col.condition')}</Table.Th>
                  <Table.Th scope="col">{t('rates.heads.col.rounding')}</Table.Th>
                  <Table.Th scope="col">{t('rates.heads.col.from')}</Table.Th>
                  {manage && <Table.Th scope="col">{t('rates.heads.col.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {inForce.data.heads.map((h) => (
                  <Table.Tr key={h.id}>
                    <Table.Th scope="row">{h.code}</Table.Th>
                    <Table.Td>{name(h.nameEn, h.nameHi)}</Table.Td>
                    <Table.Td>{t(`rates.heads.base.${h.base}`)}</Table.Td>
                    <Table.Td style={right}>{rate(h, t)}</Table.Td>
                    <Table.Td style={right}>
                      {h.ceilingPaise != null ? `${formatPaise(h.ceilingPaise)} (${t(`rates.heads.ceilingWhen.${h.ceilingWhen}`)})` : '—'}
                    </Table.Td>
                    <Table.Td>
                      {h.condition ? t(`rates.heads.condition.${h.condition}`) : '—'}
                      {h.thresholdPaise != null ? ` · ${formatPaise(h.thresholdPaise)}` : ''}
                    </Table.Td>
                    <Table.Td>{t(`rates.heads.rounding.${h.rounding}`)}</Table.Td>
                    <Table.Td>{formatDate(h.effectiveFrom)}</Table.Td>
                    {manage && (
                      <Table.Td>
                        <Button size="xs" variant="outline" onClick={() => setEditing(h)} aria-label={t('rates.heads.reviseLabel', { code: h.code })}>
                          {t('rates.heads.revise')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {inForce.data && (
            <Text>
              {inForce.data.wageDefinition
                ? t(`rates.heads.wageDefinition.${inForce.data.wageDefinition.kind}`, {
                    share: ppmToPercent(inForce.data.wageDefinition.allowanceSharePpm),
                  })
                : '—'}
            </Text>
          )}
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack>
          <Title order={3}>{t('rates.heads.historyTitle')}</Title>
          <Select
            label={t('rates.heads.filterCode')}
            data={codes}
            value={code}
            onChange={setCode}
            clearable
            placeholder={t('rates.heads.allCodes')}
            maw={320}
          />
          <Table withTableBorder striped>
            <caption>{t('rates.heads.historyCaption')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('rates.heads.col.code')}</Table.Th>
                <Table.Th scope="col">{t('rates.heads.col.from')}</Table.Th>
                <Table.Th scope="col">{t('rates.heads.col.name')}</Table.Th>
                <Table.Th scope="col" style={right}>
                  {t('rates.heads.col.rate')}
                </Table.Th>
                <Table.Th scope="col">{t('rates.heads.col.notification')}</Table.Th>
                <Table.Th scope="col">{t('rates.heads.col.status')}</Table.Th>
                {manage && <Table.Th scope="col">{t('rates.heads.col.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Th scope="row">{h.code}</Table.Th>
                  <Table.Td>{formatDate(h.effectiveFrom)}</Table.Td>
                  <Table.Td>{h.withdrawn ? t('rates.heads.withdrawn') : name(h.nameEn, h.nameHi)}</Table.Td>
                  <Table.Td style={right}>{rate(h, t)}</Table.Td>
                  <Table.Td>{h.notificationRef}</Table.Td>
                  <Table.Td>{h.future ? t('rates.future') : t('rates.heads.history')}</Table.Td>
                  {manage && (
                    <Table.Td>
                      {h.future && (
                        <Button
                          size="xs"
                          color="red.9"
                          variant="outline"
                          loading={del.isPending}
                          onClick={() => del.mutate(`${BASE}/${h.id}`)}
                          aria-label={t('rates.heads.deleteLabel', { code: h.code, date: formatDate(h.effectiveFrom) })}
                        >
                          {t('rates.heads.delete')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={4}>{t('rates.heads.wageDefinitionsTitle')}</Title>
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('rates.heads.col.from')}</Table.Th>
                <Table.Th scope="col">{t('rates.heads.col.definition')}</Table.Th>
                <Table.Th scope="col">{t('rates.heads.col.notification')}</Table.Th>
                {manage && <Table.Th scope="col">{t('rates.heads.col.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(history.data?.wageDefinitions ?? []).map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{formatDate(d.effectiveFrom)}</Table.Td>
                  <Table.Td>{t(`rates.heads.wageDefinition.${d.kind}`, { share: ppmToPercent(d.allowanceSharePpm) })}</Table.Td>
                  <Table.Td>{d.notificationRef}</Table.Td>
                  {manage && (
                    <Table.Td>
                      {d.future && (
                        <Button size="xs" color="red.9" variant="outline" onClick={() => del.mutate(`${BASE}/wage-definitions/${d.id}`)}>
                          {t('rates.heads.delete')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {manage && (
            <Group>
              <Button variant="outline" onClick={() => setAddingDef(true)}>
                {t('rates.heads.addDefinition')}
              </Button>
            </Group>
          )}
        </Stack>
      </Paper>
      {editing && <HeadModal from={editing} codes={codes} onClose={() => setEditing(null)} onSaved={saved} />}
      {addingDef && <DefinitionModal onClose={() => setAddingDef(false)} onSaved={saved} />}
    </Stack>
  );
}

const opt = (t: (k: string) => string, group: string, values: readonly string[]) => values.map((v) => ({ value: v, label: t(`rates.heads.${group}.${v}`) }));
const money = (p: number | null | undefined) => (p == null ? '' : paiseToInput(p));

type TextKey = 'nameEn' | 'nameHi' | 'rate' | 'lumpSum' | 'ceiling' | 'threshold' | 'sortOrder' | 'notificationRef';

function HeadModal({ from, codes, onClose, onSaved }: { from: Partial<TStatutoryHead>; codes: string[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState({
    code: from.code ?? '',
    effectiveFrom: '',
    nameEn: from.nameEn ?? '',
    nameHi: from.nameHi ?? '',
    kind: from.kind ?? 'payable',
    stage: from.stage ?? 'cost',
    base: from.base ?? 'earned_wage',
    rateFrom: from.rateFrom ?? 'head',
    rate: from.ratePpm != null ? ppmToPercent(from.ratePpm) : '',
    lumpSum: money(from.lumpSumPaise),
    ceiling: money(from.ceilingPaise),
    ceilingWhen: from.ceilingWhen ?? null,
    condition: from.condition ?? null,
    threshold: money(from.thresholdPaise),
    rounding: from.rounding ?? 'paisa_half_up',
    sortOrder: String(from.sortOrder ?? ''),
    notificationRef: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<typeof f>) => setF((x) => ({ ...x, ...patch }));
  const save = useMutation({
    mutationFn: (body: THeadCreate) => api<TStatutoryHead>('POST', BASE, body),
    onSuccess: onSaved,
    onError: (e) => {
      if (e instanceof ApiError) {
        setErrors(e.fieldErrors());
        setProblem(e.problem.title);
      } else setProblem(String(e));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    const iso = parseIndianDate(f.effectiveFrom);
    if (!iso) fe.effectiveFrom = t('validation.date_format');
    const ratePpm = f.rate.trim() === '' ? 0 : percentToPpm(f.rate);
    if (ratePpm === null || ratePpm > 1_000_000) fe.ratePpm = t('rates.heads.errors.rate');
    const amount = (k: string, v: string) => {
      if (v.trim() === '') return null;
      const p = parseRupees(v);
      if (p === null) fe[k] = t('calculator.errors.amount');
      return p;
    };
    const lumpSumPaise = amount('lumpSumPaise', f.lumpSum);
    const ceilingPaise = amount('ceilingPaise', f.ceiling);
    const thresholdPaise = amount('thresholdPaise', f.threshold);
    if (!/^\d{1,5}$/.test(f.sortOrder.trim())) fe.sortOrder = t('calculator.errors.whole');
    setErrors(fe);
    if (Object.keys(fe).length) {
      setProblem(t('calculator.errors.fix'));
      return;
    }
    save.mutate({
      code: f.code.trim(),
      effectiveFrom: iso!,
      withdrawn: false,
      nameEn: f.nameEn,
      nameHi: f.nameHi,
      kind: f.kind,
      stage: f.stage,
      base: f.base,
      rateFrom: f.rateFrom,
      ratePpm: ratePpm ?? 0,
      lumpSumPaise,
      ceilingPaise,
      ceilingWhen: f.ceilingWhen,
      condition: f.condition,
      thresholdPaise,
      rounding: f.rounding,
      sortOrder: Number(f.sortOrder),
      notificationRef: f.notificationRef,
    });
  };
  /** A typed field of the form; its message is the one the form or the API gives `error` (the field's API name, if other). */
  const txt = (k: TextKey, label: string, o: { error?: string; inputMode?: 'decimal' | 'numeric'; required?: boolean } = {}) => (
    <TextInput
      label={label}
      inputMode={o.inputMode}
      value={f[k]}
      onChange={(e) => set({ [k]: e.currentTarget.value })}
      error={errors[o.error ?? k]}
      required={o.required}
    />
  );
  const sel = <K extends keyof typeof f>(k: K, group: string, values: readonly string[], label: string, clearable = false) => (
    <Select
      label={label}
      data={opt(t, group, values)}
      value={f[k] as string | null}
      onChange={(v) => set({ [k]: clearable ? v : (v ?? f[k]) } as Partial<typeof f>)}
      clearable={clearable}
      allowDeselect={clearable}
      error={errors[k]}
    />
  );
  return (
    <Modal opened onClose={onClose} title={t('rates.heads.modalTitle')} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Text size="sm">{t('rates.heads.modalIntro', { codes: codes.join(', ') })}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('rates.heads.col.code')}
              value={f.code}
              onChange={(e) => set({ code: e.currentTarget.value.toUpperCase() })}
              error={errors.code}
              required
            />
            <DateInput
              label={t('rates.heads.col.from')}
              value={f.effectiveFrom}
              onChange={(v) => set({ effectiveFrom: v })}
              error={errors.effectiveFrom}
              required
            />
            {txt('nameEn', t('rates.heads.nameEn'), { required: true })}
            {txt('nameHi', t('rates.heads.nameHi'), { required: true })}
            {sel('kind', 'kind', HEAD_KINDS, t('rates.heads.col.kind'))}
            {sel('stage', 'stage', HEAD_STAGES, t('rates.heads.col.stage'))}
            {sel('base', 'base', HEAD_BASES, t('rates.heads.col.base'))}
            {sel('rateFrom', 'rateFrom', HEAD_RATE_SOURCES, t('rates.heads.col.rateFrom'))}
            {txt('rate', t('rates.heads.ratePercent'), { error: 'ratePpm', inputMode: 'decimal' })}
            {txt('lumpSum', t('rates.heads.lumpSum'), { error: 'lumpSumPaise', inputMode: 'decimal' })}
            {txt('ceiling', t('rates.heads.ceiling'), { error: 'ceilingPaise', inputMode: 'decimal' })}
            {sel('ceilingWhen', 'ceilingWhen', HEAD_CEILING_WHEN, t('rates.heads.col.ceilingWhen'), true)}
            {sel('condition', 'condition', HEAD_CONDITIONS, t('rates.heads.col.condition'), true)}
            {txt('threshold', t('rates.heads.threshold'), { error: 'thresholdPaise', inputMode: 'decimal' })}
            {sel('rounding', 'rounding', ROUNDINGS, t('rates.heads.col.rounding'))}
            {txt('sortOrder', t('rates.heads.sortOrder'), { inputMode: 'numeric' })}
            {txt('notificationRef', t('rates.heads.col.notification'), { required: true })}
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('rates.heads.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('rates.heads.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DefinitionModal({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [kind, setKind] = useState<(typeof WAGE_DEFINITIONS)[number]>('labour_code');
  const [share, setShare] = useState('50');
  const [ref, setRef] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: TWageDefinitionCreate) => api('POST', `${BASE}/wage-definitions`, body),
    onSuccess: onSaved,
    onError: (e) => {
      if (e instanceof ApiError) {
        setErrors(e.fieldErrors());
        setProblem(e.problem.title);
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const iso = parseIndianDate(effectiveFrom);
    const ppm = percentToPpm(share);
    const fe: Record<string, string> = {};
    if (!iso) fe.effectiveFrom = t('validation.date_format');
    if (ppm === null || ppm > 1_000_000) fe.allowanceSharePpm = t('rates.heads.errors.rate');
    setErrors(fe);
    if (Object.keys(fe).length) return;
    save.mutate({ effectiveFrom: iso!, kind, allowanceSharePpm: ppm!, notificationRef: ref });
  };
  return (
    <Modal opened onClose={onClose} title={t('rates.heads.addDefinition')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <DateInput label={t('rates.heads.col.from')} value={effectiveFrom} onChange={setEffectiveFrom} error={errors.effectiveFrom} required />
          <Select
            label={t('rates.heads.col.definition')}
            data={WAGE_DEFINITIONS.map((k) => ({ value: k, label: t(`rates.heads.definitionKind.${k}`) }))}
            value={kind}
            onChange={(v) => v && setKind(v as typeof kind)}
            allowDeselect={false}
          />
          {kind === 'labour_code' && (
            <TextInput
              label={t('rates.heads.share')}
              inputMode="decimal"
              value={share}
              onChange={(e) => setShare(e.currentTarget.value)}
              error={errors.allowanceSharePpm}
            />
          )}
          <TextInput
            label={t('rates.heads.col.notification')}
            value={ref}
            onChange={(e) => setRef(e.currentTarget.value)}
            error={errors.notificationRef}
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('rates.heads.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('rates.heads.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
