import { sql } from 'drizzle-orm';
import { type ContractTerms, computeResource, type LineOut, type ResourceOut } from '../../../shared/domain/invoice-engine.ts';
import { loadCatalogs } from '../../../shared/locales/node.ts';
import type { DbOrTx } from '../../db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { approvedRevisionsSinceSql } from '../attendance/index.ts';
import { esicCoveredAt, monthRatesReader, resourceInMonth } from './invoice.month-parts.ts';

/**
 * Arrears and recoveries from attendance revisions (spec 06, issue 16 item 2).
 *
 * When the invoice of month M is generated for a contract, every approved attendance revision of a
 * resource billed on an earlier **active** invoice of the same contract (month < M), approved
 * **after** that invoice was generated and not settled yet (no live `invoice_arrears_sources`
 * row), is settled on it. Per (earlier invoice, resource): the month is recomputed by the engine
 * from the earlier detail's stored inputs (basic, VDA, minimum wage, ESIC coverage, days in month),
 * the earlier invoice's terms and the month's rates as in force now (its parts when a revision
 * starts inside it, and ESIC coverage re-decided after a back-dated threshold: invoice.month-parts.ts), once with
 * the paid days billed so far (the latest live settlement's, else the earlier detail's) and once
 * with the latest revision's; the difference of each head (the earned wage, each cost head, the
 * reimbursed bonus) is one invoice-level line of stage `arrears` (> 0) or `recovery` (< 0) with
 * `arrears_month`, labelled "head — resource". Cost differences join the sub-total, reimbursed
 * ones the taxable value (`totalInvoice`'s `extra`).
 */

/** The earned wage's difference (not a head: the engine counts it in the cost). */
export const WAGE_CODE = 'WAGE';

export type PendingRevision = {
  revisionId: number;
  revisionNo: number;
  paidDays: number;
  earlierInvoiceId: number;
  month: string;
  /** When the earlier invoice was generated (its ESIC coverage decision stands unless the threshold was revised since). */
  generatedAt: string;
  wageBasis: ContractTerms['wageBasis'];
  epfMode: ContractTerms['epfMode'];
  esicApplies: boolean;
  bonusBp: number;
  serviceChargeBp: number;
  intraState: boolean;
  resourceId: number;
  skillLevelId: number;
  nameEn: string;
  nameHi: string;
  basicPaise: number;
  vdaPaise: number;
  minimumWagePaise: number;
  esicCovered: boolean;
  daysInMonth: number;
  billedPaidDays: number;
};

/** The unsettled revisions to bill on the contract's invoice of the month starting `first`. */
export async function pendingRevisions(db: DbOrTx, contractId: number, first: string): Promise<PendingRevision[]> {
  const r = await db.execute<PendingRevision>(sql`
    select rv.revision_id as "revisionId", rv.revision_no as "revisionNo", rv.paid_days as "paidDays",
           i.id as "earlierInvoiceId", to_char(i.month, 'YYYY-MM') as month,
           to_char(i.generated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "generatedAt", i.wage_basis as "wageBasis", i.epf_mode as "epfMode",
           i.esic_applies as "esicApplies", i.bonus_bp as "bonusBp", i.service_charge_bp as "serviceChargeBp", i.intra_state as "intraState",
           x.resource_id as "resourceId", x.skill_level_id as "skillLevelId", x.name_en as "nameEn", x.name_hi as "nameHi", x.basic_paise::float8 as "basicPaise",
           x.vda_paise::float8 as "vdaPaise", x.minimum_wage_paise::float8 as "minimumWagePaise", x.esic_covered as "esicCovered",
           x.days_in_month as "daysInMonth",
           coalesce((select s.paid_days from invoice_arrears_sources s
                      where s.earlier_invoice_id = i.id and s.resource_id = x.resource_id and s.released_at is null
                      order by s.id desc limit 1), x.paid_days) as "billedPaidDays"
      from invoices i
      join invoice_details x on x.invoice_id = i.id
      join ${approvedRevisionsSinceSql(new Date(0))} rv on rv.resource_id = x.resource_id and rv.month = i.month and rv.revised_at > i.generated_at
     where i.contract_id = ${contractId} and i.status = 'active' and i.month < ${first}
       and not exists (select 1 from invoice_arrears_sources s where s.revision_id = rv.revision_id and s.released_at is null)
     order by i.month, x.resource_id, rv.revision_no`);
  return r.rows.map((x) => ({ ...x, paidDays: Number(x.paidDays), billedPaidDays: Number(x.billedPaidDays) }));
}

/** One head's difference: the line's stage says its sign, `source` whether it joins the sub-total (cost) or the taxable value (reimbursed). */
export type HeadDifference = Omit<LineOut, 'stage'> & { stage: 'arrears' | 'recovery'; source: 'cost' | 'reimbursed' };
/** An arrears line: a head's difference, or a recovery balance brought (`recovery`) or carried (`carry_forward`) forward (invoice.recovery-carry.ts). */
export type ArrearsLine = Omit<HeadDifference, 'stage'> & {
  stage: HeadDifference['stage'] | 'carry_forward';
  arrearsMonth: string;
  labelEn: string;
  labelHi: string;
};
export type ArrearsSource = { revisionId: number; earlierInvoiceId: number; resourceId: number; month: string; billedPaidDays: number; paidDays: number };
export type Arrears = { lines: ArrearsLine[]; sources: ArrearsSource[]; costPaise: number; reimbursedPaise: number };

/**
 * The per-head difference of one resource-month: `after − before`, both computed by the engine
 * with the same inputs and terms. The earned wage's difference first, then each cost and
 * reimbursed head in the heads' order; zero differences are left out.
 */
export function headDifferences(before: ResourceOut, after: ResourceOut): HeadDifference[] {
  const out: HeadDifference[] = [];
  const wage = after.earnedWagePaise - before.earnedWagePaise;
  if (wage !== 0)
    out.push({ code: WAGE_CODE, kind: 'payable', stage: wage > 0 ? 'arrears' : 'recovery', basePaise: wage, ratePpm: 0, amountPaise: wage, source: 'cost' });
  const codes = [...new Set([...after.lines, ...before.lines].filter((l) => l.stage === 'cost' || l.stage === 'reimbursed').map((l) => l.code))];
  for (const code of codes) {
    const a = after.lines.find((l) => l.code === code);
    const b = before.lines.find((l) => l.code === code);
    const diff = (a?.amountPaise ?? 0) - (b?.amountPaise ?? 0);
    if (diff === 0) continue;
    const head = (a ?? b)!;
    out.push({
      code,
      kind: 'payable',
      stage: diff > 0 ? 'arrears' : 'recovery',
      basePaise: (a?.basePaise ?? 0) - (b?.basePaise ?? 0),
      ratePpm: head.ratePpm,
      amountPaise: diff,
      source: head.stage === 'reimbursed' ? 'reimbursed' : 'cost',
    });
  }
  return out;
}

type Labels = { wage: string; line: string; rateLine: string; carriedIn: string; carriedOut: string; partCost: string; partReimbursed: string };
let labels: { en: Labels; hi: Labels } | undefined;
/** The arrears lines' labels of both catalogs (`invoice.arrears`). */
export function arrearsLabels(): { en: Labels; hi: Labels } {
  if (!labels) {
    const c = loadCatalogs();
    const pick = (lang: 'en' | 'hi') => (c[lang].translation.invoice as { arrears: Labels }).arrears;
    labels = { en: pick('en'), hi: pick('hi') };
  }
  return labels;
}
const fill = (template: string, head: string, name: string) => template.replace('{{head}}', head).replace('{{name}}', name);

/**
 * The differences of one resource-month as labelled arrears lines (`kind`: the attendance
 * revision's wording or the rate revision's), with their cost and reimbursed sums — one labelling
 * for both kinds of arrears.
 */
export function labelledLines(
  diffs: readonly HeadDifference[],
  heads: readonly { code: string; nameEn: string; nameHi: string }[],
  kind: 'line' | 'rateLine',
  month: string,
  name: { en: string; hi: string },
): { lines: ArrearsLine[]; costPaise: number; reimbursedPaise: number } {
  const cat = arrearsLabels();
  const headName = new Map(heads.map((h) => [h.code, h]));
  const lines: ArrearsLine[] = [];
  let costPaise = 0;
  let reimbursedPaise = 0;
  for (const d of diffs) {
    const h = headName.get(d.code);
    lines.push({
      ...d,
      arrearsMonth: month,
      labelEn: fill(cat.en[kind], d.code === WAGE_CODE ? cat.en.wage : (h?.nameEn ?? d.code), name.en || name.hi),
      labelHi: fill(cat.hi[kind], d.code === WAGE_CODE ? cat.hi.wage : (h?.nameHi ?? d.code), name.hi || name.en),
    });
    if (d.source === 'cost') costPaise += d.amountPaise;
    else reimbursedPaise += d.amountPaise;
  }
  return { lines, costPaise, reimbursedPaise };
}

/** The arrears and recoveries to bill for the pending revisions (grouped per earlier invoice and resource). */
export async function computeArrears(db: DbOrTx, pending: PendingRevision[]): Promise<Arrears> {
  const groups = new Map<string, PendingRevision[]>();
  for (const p of pending) {
    const k = `${p.earlierInvoiceId}:${p.resourceId}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const reader = monthRatesReader(db);
  const lines: ArrearsLine[] = [];
  const sources: ArrearsSource[] = [];
  let cost = 0;
  let reimbursed = 0;
  for (const group of groups.values()) {
    const latest = group.reduce((a, b) => (b.revisionNo > a.revisionNo ? b : a));
    const first = `${latest.month}-01`;
    const terms: ContractTerms = {
      wageBasis: latest.wageBasis,
      epfMode: latest.epfMode,
      esicApplies: latest.esicApplies,
      bonusBp: latest.bonusBp,
      serviceChargeBp: latest.serviceChargeBp,
      intraState: latest.intraState,
    };
    // The month as it is computed now (its rate parts, the wage raised to a minimum above it, ESIC
    // coverage as the threshold now decides it): a late rate revision moves both sides alike; its
    // own difference is the rate arrear's, billed with this one, so the two kinds add up.
    const parts = await reader.parts(latest.month, null, latest.skillLevelId);
    // Every part's heads, the last part's naming a head last (the labels).
    const heads = parts.flatMap((p) => p.rates.heads);
    const input = {
      key: String(latest.resourceId),
      basicPaise: latest.basicPaise,
      vdaPaise: latest.vdaPaise,
      daysInMonth: latest.daysInMonth,
      esicCovered: await esicCoveredAt(reader, latest, null),
    };
    const before = resourceInMonth({ ...input, paidDays: latest.billedPaidDays }, latest.skillLevelId, terms, parts);
    const after = resourceInMonth({ ...input, paidDays: latest.paidDays }, latest.skillLevelId, terms, parts);
    const l = labelledLines(headDifferences(before, after), heads, 'line', first, { en: latest.nameEn, hi: latest.nameHi });
    lines.push(...l.lines);
    cost += l.costPaise;
    reimbursed += l.reimbursedPaise;
    for (const p of group)
      sources.push({
        revisionId: p.revisionId,
        earlierInvoiceId: p.earlierInvoiceId,
        resourceId: p.resourceId,
        month: first,
        billedPaidDays: latest.billedPaidDays,
        paidDays: latest.paidDays,
      });
  }
  return { lines, sources, costPaise: cost, reimbursedPaise: reimbursed };
}

/*
 * Recoveries larger than what the month can carry are no longer refused: the invoice recovers what
 * it can and carries the rest forward to the next invoice of the contract (invoice.recovery-carry.ts,
 * applied in `computeTotals`).
 */

/** Records the settled revisions (in the generating transaction; the live unique index decides a race). */
export async function insertSources(tx: DbOrTx, invoiceId: number, sources: ArrearsSource[], alsoLock: number[] = []): Promise<void> {
  // The earlier invoices (these and those `alsoLock` names: rate arrears' sources), locked FOR SHARE
  // until the end: a concurrent cancel of one of them waits and then sees this settlement (refused);
  // one that committed first leaves it cancelled here.
  const earlier = [...new Set([...sources.map((s) => s.earlierInvoiceId), ...alsoLock])];
  if (earlier.length > 0) {
    const r = await tx.execute<{ id: number }>(sql`
      select id from invoices where id in (${sql.join(
        earlier.map((i) => sql`${i}`),
        sql`, `,
      )}) and status = 'active' for share`);
    if (r.rows.length !== earlier.length) throw new AppError('invoice_arrears_conflict');
  }
  for (const s of sources)
    await tx.execute(sql`
      insert into invoice_arrears_sources (revision_id, invoice_id, earlier_invoice_id, resource_id, month, billed_paid_days, paid_days)
      values (${s.revisionId}, ${invoiceId}, ${s.earlierInvoiceId}, ${s.resourceId}, ${s.month}, ${s.billedPaidDays}, ${s.paidDays})`);
}

/** Cancelling the settling invoice frees its revisions (attendance and rates) for the next invoice. */
export async function releaseSources(tx: DbOrTx, invoiceId: number, at: Date): Promise<void> {
  await tx.execute(sql`update invoice_arrears_sources set released_at = ${at.toISOString()} where invoice_id = ${invoiceId} and released_at is null`);
  await tx.execute(sql`update invoice_rate_arrears_sources set released_at = ${at.toISOString()} where invoice_id = ${invoiceId} and released_at is null`);
}

/**
 * The active invoice holding live settlements of this (earlier) invoice's revisions (attendance or
 * rates), or having taken over a recovery balance it carried forward, if any.
 */
export async function laterSettlement(tx: DbOrTx, earlierInvoiceId: number): Promise<string | null> {
  const r = await tx.execute<{ invoiceNo: string }>(sql`
    select i.invoice_no as "invoiceNo" from invoice_arrears_sources s join invoices i on i.id = s.invoice_id
     where s.earlier_invoice_id = ${earlierInvoiceId} and s.released_at is null and i.status = 'active'
    union all
    select i.invoice_no from invoice_rate_arrears_sources s join invoices i on i.id = s.invoice_id
     where s.earlier_invoice_id = ${earlierInvoiceId} and s.released_at is null and i.status = 'active'
    union all
    select i.invoice_no from invoice_recovery_balances b join invoice_recovery_settlements s on s.balance_id = b.id
      join invoices i on i.id = s.invoice_id
     where b.invoice_id = ${earlierInvoiceId} and s.released_at is null and i.status = 'active' limit 1`);
  return r.rows[0]?.invoiceNo ?? null;
}
