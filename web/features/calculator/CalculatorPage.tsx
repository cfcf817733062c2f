import { Alert, Button, Checkbox, Fieldset, Group, Paper, Radio, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TCalculatorInput, TCalculatorLine, TCalculatorResult, TCalculatorSkillLevels } from '../../../shared/contracts/calculator.ts';
import { CALCULATOR_MAX_BONUS_BP, CALCULATOR_MAX_ROWS, CALCULATOR_MAX_SERVICE_CHARGE_BP } from '../../../shared/contracts/calculator.ts';
import { formatDate } from '../../../shared/domain/dates.ts';
import { formatPaise } from '../../../shared/domain/money.ts';
import { parseRupees } from '../../../shared/domain/wages.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useBilingual } from '../../lib/bilingual.ts';
import { parseIndianDate } from '../../lib/dates.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { parseWhole, percentToBp, ppmToPercent } from '../../lib/percent.ts';

const URL = '/api/v1/public/cost-calculator';
const right = { textAlign: 'right' } as const;

type Row = {
  mode: 'parts' | 'wage';
  wage: string;
  basic: string;
  vda: string;
  allowances: string;
  skillLevelId: string | null;
  paidDays: string;
  daysInMonth: string;
  count: string;
};

/** The spec's worked reference (unskilled, MP rates of 1 Oct 2025, a full month of 31 days) as the first row. */
const firstRow: Row = {
  mode: 'parts',
  wage: '',
  basic: '9575.00',
  vda: '2575.00',
  allowances: '',
  skillLevelId: null,
  paidDays: '31',
  daysInMonth: '31',
  count: '1',
};
const emptyRow: Row = { mode: 'parts', wage: '', basic: '', vda: '', allowances: '', skillLevelId: null, paidDays: '', daysInMonth: '', count: '1' };

type RowText = 'wage' | 'basic' | 'vda' | 'allowances' | 'paidDays' | 'daysInMonth' | 'count';
const MONEY_FIELDS: readonly RowText[] = ['wage', 'basic', 'vda', 'allowances'];

function useSkillLevels() {
  return useQuery({ queryKey: ['calculator', 'skill-levels'], queryFn: () => api<TCalculatorSkillLevels>('GET', `${URL}/skill-levels`), staleTime: 300_000 });
}

/**
 * What workers cost under the heads in force (issue 16 item 5): an agency preparing a GeM bid or a
 * department checking one types the wages, days and heads; the server's invoice engine (the same as
 * real invoices) answers line by line. Amounts are typed in rupees and parsed exactly to paise.
 */
export function CalculatorPage() {
  const { t } = useTranslation();
  const name = useBilingual();
  const skills = useSkillLevels();
  const [wageBasis, setWageBasis] = useState<'monthly' | 'daily'>('monthly');
  const [rows, setRows] = useState<Row[]>([firstRow]);
  const [epf, setEpf] = useState<'none' | 'capped' | 'uncapped'>('capped');
  const [esic, setEsic] = useState(true);
  const [bonus, setBonus] = useState('0');
  const [serviceCharge, setServiceCharge] = useState('3.85');
  const [supply, setSupply] = useState<'intra_state' | 'inter_state'>('inter_state');
  const [on, setOn] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<TCalculatorResult | null>(null);
  const [busy, setBusy] = useState(false);
  const resultRef = useRef<HTMLHeadingElement>(null);

  const setRow = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));

  /** Builds the request from the typed text, or records a message per field that cannot be read. */
  function build(): TCalculatorInput | null {
    const errs: Record<string, string> = {};
    const money = (field: string, v: string, required: boolean) => {
      if (v.trim() === '') {
        if (required) errs[field] = t('validation.required');
        return undefined;
      }
      const p = parseRupees(v);
      if (p === null) errs[field] = t('calculator.errors.amount');
      return p ?? undefined;
    };
    const whole = (field: string, v: string) => {
      const n = parseWhole(v);
      if (n === null) errs[field] = t('calculator.errors.whole');
      return n ?? 0;
    };
    const out = rows.map((r, i) => {
      const base = {
        paidDays: whole(`rows.${i}.paidDays`, r.paidDays),
        daysInMonth: whole(`rows.${i}.daysInMonth`, r.daysInMonth),
        count: whole(`rows.${i}.count`, r.count),
        ...(r.skillLevelId ? { skillLevelId: Number(r.skillLevelId) } : {}),
      };
      if (r.mode === 'wage') return { ...base, wagePaise: money(`rows.${i}.wagePaise`, r.wage, true) };
      const allowances = money(`rows.${i}.allowancesPaise`, r.allowances, false);
      return {
        ...base,
        basicPaise: money(`rows.${i}.basicPaise`, r.basic, true),
        vdaPaise: money(`rows.${i}.vdaPaise`, r.vda, false) ?? 0,
        ...(allowances !== undefined ? { allowancesPaise: allowances } : {}),
      };
    });
    // The API's bounds are in basis points; said here in the percent the user typed.
    const bonusBp = percentToBp(bonus || '0');
    if (bonusBp === null) errs.bonusBp = t('calculator.errors.percent');
    else if (bonusBp > CALCULATOR_MAX_BONUS_BP) errs.bonusBp = t('calculator.errors.percentMax', { max: CALCULATOR_MAX_BONUS_BP / 100 });
    const serviceChargeBp = percentToBp(serviceCharge || '0');
    if (serviceChargeBp === null) errs.serviceChargeBp = t('calculator.errors.percent');
    else if (serviceChargeBp > CALCULATOR_MAX_SERVICE_CHARGE_BP)
      errs.serviceChargeBp = t('calculator.errors.percentMax', { max: CALCULATOR_MAX_SERVICE_CHARGE_BP / 100 });
    let onIso: string | undefined;
    if (on.trim()) {
      onIso = parseIndianDate(on) ?? undefined;
      if (!onIso) errs.on = t('validation.date_format');
    }
    setErrors(errs);
    if (Object.keys(errs).length) return null;
    return {
      wageBasis,
      rows: out as TCalculatorInput['rows'],
      epf,
      esic,
      bonusBp: bonusBp ?? 0,
      serviceChargeBp: serviceChargeBp ?? 0,
      supply,
      ...(onIso ? { on: onIso } : {}),
    };
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setProblem(null);
    const body = build();
    if (!body) {
      setResult(null);
      setProblem(t('calculator.errors.fix'));
      return;
    }
    setBusy(true);
    try {
      setResult(await api<TCalculatorResult>('POST', URL, body));
      setTimeout(() => resultRef.current?.focus(), 0);
    } catch (err) {
      setResult(null);
      if (err instanceof ApiError) {
        setErrors(err.fieldErrors());
        setProblem(err.problem.title);
      } else setProblem(t('calculator.errors.network'));
    } finally {
      setBusy(false);
    }
  };

  const skillOptions = (skills.data?.items ?? []).map((s) => ({
    value: String(s.id),
    label: s.minimumWagePaise != null ? `${name(s.nameEn, s.nameHi)} (${formatPaise(s.minimumWagePaise)})` : name(s.nameEn, s.nameHi),
  }));
  const lineName = (l: { nameEn: string; nameHi: string }) => name(l.nameEn, l.nameHi);
  /** A worker row's field: an amount in rupees (its message under the API's `rows.N.<field>Paise`) or a whole number. */
  const rowField = (i: number, r: Row, field: RowText) => {
    const money = MONEY_FIELDS.includes(field);
    return (
      <TypedField
        label={t(`calculator.row.${field}`)}
        inputMode={money ? 'decimal' : 'numeric'}
        value={r[field]}
        onChange={(v) => setRow(i, { [field]: v })}
        error={errors[`rows.${i}.${field}${money ? 'Paise' : ''}`]}
      />
    );
  };

  return (
    <Stack maw={1100}>
      <PageTitle title={t('calculator.title')} />
      <Text>{t('calculator.intro')}</Text>
      <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label={t('calculator.formLabel')}>
        <Stack>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
              {errors.rows && <Text size="sm">{errors.rows}</Text>}
            </Alert>
          )}
          <Radio.Group label={t('calculator.wageBasis')} value={wageBasis} onChange={(v) => setWageBasis(v as 'monthly' | 'daily')}>
            <Group mt="xs">
              <Radio value="monthly" label={t('calculator.basis.monthly')} />
              <Radio value="daily" label={t('calculator.basis.daily')} />
            </Group>
          </Radio.Group>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position (the API's field paths use it too)
            <Fieldset key={i} legend={t('calculator.row.legend', { n: i + 1 })}>
              <Stack gap="xs">
                <Radio.Group value={r.mode} onChange={(v) => setRow(i, { mode: v as Row['mode'] })} label={t('calculator.row.mode')}>
                  <Group mt="xs">
                    <Radio value="parts" label={t('calculator.row.parts')} />
                    <Radio value="wage" label={t('calculator.row.wholeWage')} />
                  </Group>
                </Radio.Group>
                <Group align="flex-start" grow>
                  {r.mode === 'wage' ? (
                    rowField(i, r, 'wage')
                  ) : (
                    <>
                      {rowField(i, r, 'basic')}
                      {rowField(i, r, 'vda')}
                      {rowField(i, r, 'allowances')}
                    </>
                  )}
                  <Select
                    label={t('calculator.row.skillLevel')}
                    description={t('calculator.row.skillHint')}
                    data={skillOptions}
                    value={r.skillLevelId}
                    onChange={(v) => setRow(i, { skillLevelId: v })}
                    clearable
                    error={errors[`rows.${i}.skillLevelId`]}
                  />
                </Group>
                <Group align="flex-start" grow>
                  {rowField(i, r, 'paidDays')}
                  {rowField(i, r, 'daysInMonth')}
                  {rowField(i, r, 'count')}
                </Group>
                {rows.length > 1 && (
                  <Group>
                    <Button variant="outline" color="red.9" onClick={() => setRows((rs) => rs.filter((_, k) => k !== i))}>
                      {t('calculator.row.remove', { n: i + 1 })}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Fieldset>
          ))}
          <Group>
            <Button variant="outline" disabled={rows.length >= CALCULATOR_MAX_ROWS} onClick={() => setRows((rs) => [...rs, emptyRow])}>
              {t('calculator.row.add')}
            </Button>
          </Group>
          <Fieldset legend={t('calculator.heads')}>
            <Stack gap="xs">
              <Radio.Group label={t('calculator.epf.label')} value={epf} onChange={(v) => setEpf(v as typeof epf)}>
                <Group mt="xs">
                  <Radio value="capped" label={t('calculator.epf.capped')} />
                  <Radio value="uncapped" label={t('calculator.epf.uncapped')} />
                  <Radio value="none" label={t('calculator.epf.none')} />
                </Group>
              </Radio.Group>
              <Checkbox label={t('calculator.esic')} checked={esic} onChange={(e) => setEsic(e.currentTarget.checked)} />
              <Group align="flex-start" grow>
                <TypedField
                  label={t('calculator.bonus')}
                  description={t('calculator.bonusHint')}
                  inputMode="decimal"
                  value={bonus}
                  onChange={setBonus}
                  error={errors.bonusBp}
                />
                <TypedField
                  label={t('calculator.serviceCharge')}
                  inputMode="decimal"
                  value={serviceCharge}
                  onChange={setServiceCharge}
                  error={errors.serviceChargeBp}
                />
                <DateInput label={t('calculator.on')} value={on} onChange={setOn} error={errors.on} />
              </Group>
              <Radio.Group label={t('calculator.supply.label')} value={supply} onChange={(v) => setSupply(v as typeof supply)}>
                <Group mt="xs">
                  <Radio value="intra_state" label={t('calculator.supply.intra')} />
                  <Radio value="inter_state" label={t('calculator.supply.inter')} />
                </Group>
              </Radio.Group>
            </Stack>
          </Fieldset>
          <Group>
            <Button type="submit" loading={busy}>
              {t('calculator.calculate')}
            </Button>
          </Group>
        </Stack>
      </Paper>

      {result && (
        <Paper withBorder p="md" component="section" aria-labelledby="calc-result">
          <Stack>
            <Title order={3} id="calc-result" tabIndex={-1} ref={resultRef}>
              {t('calculator.result.title', { date: formatDate(result.on), workers: result.workers })}
            </Title>
            <Text size="sm">{t(`calculator.result.wageDefinition.${result.wageDefinition.kind}`)}</Text>
            {result.rows.map((r) => (
              <Table key={r.row} withTableBorder striped>
                <caption>{t('calculator.result.rowCaption', { n: r.row + 1, count: r.count })}</caption>
                <ColumnHeads />
                <Table.Tbody>
                  {r.dayRatePaise != null && (
                    <Table.Tr>
                      <Table.Th scope="row">{t('calculator.result.dayRate')}</Table.Th>
                      <Table.Td />
                      <Table.Td />
                      <Table.Td style={right}>{formatPaise(r.dayRatePaise)}</Table.Td>
                    </Table.Tr>
                  )}
                  <Table.Tr>
                    <Table.Th scope="row">{t('calculator.result.earnedWage')}</Table.Th>
                    <Table.Td />
                    <Table.Td />
                    <Table.Td style={right}>{formatPaise(r.earnedWagePaise)}</Table.Td>
                  </Table.Tr>
                  {r.lines
                    .filter((l) => l.stage === 'cost')
                    .map((l) => (
                      <LineRow key={l.code} l={l} label={lineName(l)} />
                    ))}
                  <Table.Tr>
                    <Table.Th scope="row">{t('calculator.result.cost')}</Table.Th>
                    <Table.Td />
                    <Table.Td />
                    <Table.Td style={right}>{formatPaise(r.costPaise)}</Table.Td>
                  </Table.Tr>
                  {r.lines
                    .filter((l) => l.stage === 'reimbursed')
                    .map((l) => (
                      <LineRow key={l.code} l={l} label={lineName(l)} />
                    ))}
                  {r.lines
                    .filter((l) => l.stage === 'employee')
                    .map((l) => (
                      <LineRow key={l.code} l={l} label={t('calculator.result.withheld', { head: lineName(l) })} />
                    ))}
                  <Table.Tr>
                    <Table.Th scope="row">{t('calculator.result.netWage')}</Table.Th>
                    <Table.Td />
                    <Table.Td />
                    <Table.Td style={right}>{formatPaise(r.netWagePaise)}</Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            ))}
            <Table withTableBorder striped data-testid="calc-totals">
              <caption>{t('calculator.result.totalsCaption', { workers: result.workers })}</caption>
              <ColumnHeads />
              <Table.Tbody>
                <TotalRow label={t('calculator.result.earnedWage')} paise={result.earnedWagePaise} />
                {result.headTotals
                  .filter((h) => h.stage === 'cost')
                  .map((h) => (
                    <TotalRow key={h.code} label={lineName(h)} paise={h.amountPaise} />
                  ))}
                <TotalRow label={t('calculator.result.subtotal')} paise={result.subtotalPaise} strong />
                {result.lines
                  .filter((l) => l.stage === 'service')
                  .map((l) => (
                    <LineRow key={l.code} l={l} label={lineName(l)} />
                  ))}
                {result.headTotals
                  .filter((h) => h.stage === 'reimbursed')
                  .map((h) => (
                    <TotalRow key={h.code} label={lineName(h)} paise={h.amountPaise} />
                  ))}
                <TotalRow label={t('calculator.result.taxable')} paise={result.taxablePaise} strong />
                {result.lines
                  .filter((l) => l.stage === 'tax')
                  .map((l) => (
                    <LineRow key={l.code} l={l} label={lineName(l)} />
                  ))}
                <TotalRow label={t('calculator.result.gross')} paise={result.grossTotalPaise} />
                <TotalRow label={t('calculator.result.roundOff')} paise={result.roundOffPaise} />
                <TotalRow label={t('calculator.result.total')} paise={result.totalPaise} strong />
                {result.headTotals
                  .filter((h) => h.stage === 'employee')
                  .map((h) => (
                    <TotalRow key={h.code} label={t('calculator.result.withheld', { head: lineName(h) })} paise={h.amountPaise} />
                  ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

/** A field the user types a figure into: its label, an optional hint, its message. */
function TypedField(p: {
  label: string;
  description?: string;
  inputMode: 'decimal' | 'numeric';
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}) {
  return (
    <TextInput
      label={p.label}
      description={p.description}
      inputMode={p.inputMode}
      value={p.value}
      onChange={(e) => p.onChange(e.currentTarget.value)}
      error={p.error}
    />
  );
}

/** The columns of every result table: head, base, rate, amount (figures right-aligned). */
function ColumnHeads() {
  const { t } = useTranslation();
  return (
    <Table.Thead>
      <Table.Tr>
        <Table.Th scope="col">{t('calculator.col.head')}</Table.Th>
        {(['base', 'rate', 'amount'] as const).map((c) => (
          <Table.Th key={c} scope="col" style={right}>
            {t(`calculator.col.${c}`)}
          </Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
}

function LineRow({ l, label }: { l: TCalculatorLine; label: string }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" fw="normal">
        {label}
      </Table.Th>
      <Table.Td style={right}>{formatPaise(l.basePaise)}</Table.Td>
      <Table.Td style={right}>{`${ppmToPercent(l.ratePpm)} %`}</Table.Td>
      <Table.Td style={right}>{formatPaise(l.amountPaise)}</Table.Td>
    </Table.Tr>
  );
}

function TotalRow({ label, paise, strong = false }: { label: string; paise: number; strong?: boolean }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={strong ? 700 : 'normal'}>
        {label}
      </Table.Th>
      <Table.Td />
      <Table.Td />
      <Table.Td style={{ ...right, fontWeight: strong ? 700 : undefined }}>{formatPaise(paise)}</Table.Td>
    </Table.Tr>
  );
}
