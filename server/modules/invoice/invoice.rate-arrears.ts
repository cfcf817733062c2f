import { sql } from 'drizzle-orm';
import type { ContractTerms, LineOut, ResourceOut } from '../../../shared/domain/invoice-engine.ts';
import type { DbOrTx } from '../../db/client.ts';
import { rateRowsSql } from '../rates/index.ts';
import { type ArrearsLine, headDifferences, labelledLines } from './invoice.arrears.ts';
import { esicCoveredAt, monthRatesReader, resourceInMonth } from './invoice.month-parts.ts';

/**
 * Arrears and recoveries from late rate revisions (spec 06 "Rates and heads are data", issue 16
 * item 2). Rules (also in docs/INVOICES.md):
 *
 * - **Pending**: a rate row — a minimum wage of the resource's skill level, any statutory head,
 *   a wage definition — effective on or before the **last day** of an earlier month M, recorded
 *   (`created_at`) after the earlier invoice of M was generated, on an **active** earlier invoice
 *   of the same contract (month < the month being invoiced) with a detail for the resource, and not
 *   caught up yet for that invoice and resource (no live `invoice_rate_arrears_sources` row). A
 *   revision effective inside M applies from its date: M is computed in parts
 *   (invoice.month-parts.ts — the month in full at each part's rates, weighted by calendar days,
 *   each figure rounded once), as generation now computes a fresh invoice.
 * - **What it gives**: the month over its parts as recorded now, on the earlier detail's stored
 *   inputs (basic, VDA, days in month, the earlier invoice's terms) with the paid days billed so far
 *   (the latest live attendance settlement's, else the detail's). A minimum wage above the post's
 *   basic + VDA raises the wage to it for its part: the minimum's basic and VDA are billed (the
 *   worker is owed at least the minimum); the minimum is also the bonus cap's floor. ESIC coverage
 *   as decided at generation, unless the threshold in force at the start of the contribution period
 *   was revised since: then decided again by generation's rule and held for the period.
 * - **What was billed**: the earlier detail's stored lines and earned wage when nothing was settled
 *   for that invoice and resource since; else the month on the same inputs with the rates (and ESIC
 *   threshold) as recorded at the last live settling invoice's generation (every settlement caught up with every
 *   rate row recorded by then, so that is what the three invoices together billed).
 * - **The difference**: per head (earned wage, each cost head, the reimbursed bonus) `what it gives
 *   − what was billed`, each side already rounded by its head's rule (no further rounding); one
 *   invoice-level line of stage `arrears` (> 0) or `recovery` (< 0) naming M, the head, the
 *   resource and the reason ("rate revision"). Cost differences join the new invoice's sub-total
 *   (its service charge and GST apply at the new invoice's rates, rounded there once), reimbursed
 *   ones its taxable value — the attendance arrears' rule.
 * - **Once**: when a (earlier invoice, resource) has a difference, each of its pending rate rows
 *   gets a live source row on the generating invoice, so a later invoice never bills it again (the
 *   partial unique index decides a race; cancelling the settling invoice releases them). A zero
 *   difference records nothing (so it does not hold the earlier invoice against cancelling): the
 *   rows stay pending and give zero again.
 * - A detail without head lines (copied or imported data, never written by the engine) is left
 *   alone: there is no billed head to compare with.
 * - **No detail**: a resource not on the earlier invoice (no paid days that month) gets nothing —
 *   there is no billed wage to revise; if an attendance revision later gives them days, that is
 *   not an arrear either (attendance arrears also need a detail) — the month is cancelled and
 *   generated again.
 */

export type PendingRate = {
  earlierInvoiceId: number;
  month: string;
  generatedAt: string;
  wageBasis: ContractTerms['wageBasis'];
  epfMode: ContractTerms['epfMode'];
  esicApplies: boolean;
  bonusBp: number;
  serviceChargeBp: number;
  intraState: boolean;
  detailId: number;
  resourceId: number;
  skillLevelId: number;
  nameEn: string;
  nameHi: string;
  basicPaise: number;
  vdaPaise: number;
  esicCovered: boolean;
  daysInMonth: number;
  detailPaidDays: number;
  billedPaidDays: number;
  /** The generation time of the latest live invoice that settled something of this month and resource (attendance or rates), else null. */
  lastSettledAt: string | null;
  rateTable: 'minimum_wages' | 'statutory_heads' | 'wage_definitions';
  rateRowId: number;
};

export type RateSource = {
  earlierInvoiceId: number;
  resourceId: number;
  month: string;
  rateTable: PendingRate['rateTable'];
  rateRowId: number;
  paidDays: number;
};
export type RateArrears = { lines: ArrearsLine[]; sources: RateSource[]; costPaise: number; reimbursedPaise: number };

/** The rate rows not yet caught up with, per earlier invoice of the contract and resource, for the invoice of the month starting `first`. */
export async function pendingRateRevisions(db: DbOrTx, contractId: number, first: string): Promise<PendingRate[]> {
  const r = await db.execute<PendingRate>(sql`
    select i.id as "earlierInvoiceId", to_char(i.month, 'YYYY-MM') as month, to_char(i.generated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "generatedAt",
           i.wage_basis as "wageBasis", i.epf_mode as "epfMode", i.esic_applies as "esicApplies", i.bonus_bp as "bonusBp",
           i.service_charge_bp as "serviceChargeBp", i.intra_state as "intraState",
           x.id as "detailId", x.resource_id as "resourceId", x.skill_level_id as "skillLevelId", x.name_en as "nameEn", x.name_hi as "nameHi",
           x.basic_paise::float8 as "basicPaise", x.vda_paise::float8 as "vdaPaise", x.esic_covered as "esicCovered",
           x.days_in_month as "daysInMonth", x.paid_days as "detailPaidDays",
           coalesce((select s.paid_days from invoice_arrears_sources s
                      where s.earlier_invoice_id = i.id and s.resource_id = x.resource_id and s.released_at is null
                      order by s.id desc limit 1), x.paid_days) as "billedPaidDays",
           (select to_char(max(li.generated_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') from invoices li
             where li.status = 'active'
               and (exists (select 1 from invoice_arrears_sources s where s.invoice_id = li.id and s.earlier_invoice_id = i.id
                              and s.resource_id = x.resource_id and s.released_at is null)
                 or exists (select 1 from invoice_rate_arrears_sources s where s.invoice_id = li.id and s.earlier_invoice_id = i.id
                              and s.resource_id = x.resource_id and s.released_at is null))) as "lastSettledAt",
           rr.rate_table as "rateTable", rr.rate_row_id as "rateRowId"
      from invoices i
      join invoice_details x on x.invoice_id = i.id
      join ${rateRowsSql()} rr on rr.effective_from < (i.month + interval '1 month')::date and rr.created_at > i.generated_at
                             and (rr.skill_level_id is null or rr.skill_level_id = x.skill_level_id)
     where i.contract_id = ${contractId} and i.status = 'active' and i.month < ${first}
       and not exists (select 1 from invoice_rate_arrears_sources s
                        where s.earlier_invoice_id = i.id and s.resource_id = x.resource_id
                          and s.rate_table = rr.rate_table and s.rate_row_id = rr.rate_row_id and s.released_at is null)
     order by i.month, x.resource_id, rr.rate_table, rr.rate_row_id`);
  return r.rows.map((x) => ({
    ...x,
    detailId: Number(x.detailId),
    detailPaidDays: Number(x.detailPaidDays),
    billedPaidDays: Number(x.billedPaidDays),
    rateRowId: Number(x.rateRowId),
  }));
}

/** The earlier details' stored earned wage and head lines (what their own invoice billed), in one round trip. */
async function storedResources(db: DbOrTx, detailIds: number[]): Promise<Map<number, ResourceOut>> {
  const out = new Map<number, ResourceOut>();
  if (detailIds.length === 0) return out;
  const r = await db.execute<{ id: number; earned: number; lines: LineOut[] | string }>(sql`
    select d.id, d.earned_wage_paise::float8 as earned,
           coalesce((select json_agg(json_build_object('code', l.code, 'kind', l.kind, 'stage', l.stage, 'basePaise', l.base_paise,
                                                       'ratePpm', l.rate_ppm, 'amountPaise', l.amount_paise) order by l.sort_order)
                       from invoice_lines l where l.detail_id = d.id), '[]'::json) as lines
      from invoice_details d where d.id in (${sql.join(
        [...new Set(detailIds)].map((i) => sql`${i}`),
        sql`, `,
      )})`);
  for (const x of r.rows) {
    const lines = (typeof x.lines === 'string' ? JSON.parse(x.lines) : x.lines) as LineOut[];
    // Only the earned wage and the lines are read by headDifferences.
    out.set(Number(x.id), {
      earnedWagePaise: Number(x.earned),
      lines: lines.map((l) => ({ ...l, basePaise: Number(l.basePaise), ratePpm: Number(l.ratePpm), amountPaise: Number(l.amountPaise) })),
    } as ResourceOut);
  }
  return out;
}

/** The differences to bill for the pending rate rows (grouped per earlier invoice and resource). */
export async function computeRateArrears(db: DbOrTx, pending: PendingRate[]): Promise<RateArrears> {
  const groups = new Map<string, PendingRate[]>();
  for (const p of pending) {
    const k = `${p.earlierInvoiceId}:${p.resourceId}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const lines: ArrearsLine[] = [];
  const sources: RateSource[] = [];
  let cost = 0;
  let reimbursed = 0;
  const storedAll = await storedResources(
    db,
    pending.map((p) => p.detailId),
  );
  // The rate parts of a month and the ESIC thresholds (per skill level and moment known): read once per generation.
  const reader = monthRatesReader(db);
  for (const group of groups.values()) {
    const p = group[0]!;
    const first = `${p.month}-01`;
    const terms: ContractTerms = {
      wageBasis: p.wageBasis,
      epfMode: p.epfMode,
      esicApplies: p.esicApplies,
      bonusBp: p.bonusBp,
      serviceChargeBp: p.serviceChargeBp,
      intraState: p.intraState,
    };
    const stored = storedAll.get(p.detailId);
    // A detail without head lines was not written by the engine (copied or imported data): nothing to compare with.
    if (!stored || stored.lines.length === 0) continue;
    /** The month as the rates recorded by `at` (null: now) compute it: its parts, the wage raised to a minimum above it, ESIC coverage re-decided. */
    const monthAt = async (at: string | null) =>
      resourceInMonth(
        {
          key: String(p.resourceId),
          basicPaise: p.basicPaise,
          vdaPaise: p.vdaPaise,
          daysInMonth: p.daysInMonth,
          paidDays: p.billedPaidDays,
          esicCovered: await esicCoveredAt(reader, p, at),
        },
        p.skillLevelId,
        terms,
        await reader.parts(p.month, at, p.skillLevelId),
      );
    const nowParts = await reader.parts(p.month, null, p.skillLevelId);
    const after = await monthAt(null);
    const before: ResourceOut = p.lastSettledAt === null && p.billedPaidDays === p.detailPaidDays ? stored : await monthAt(p.lastSettledAt ?? p.generatedAt);
    const diffs = headDifferences(before, after);
    // Nothing changes for this month and resource (a row superseded for the month, or one that
    // does not touch its figures): nothing billed, nothing recorded — the row stays pending and
    // gives nothing again on the next invoice.
    if (diffs.length === 0) continue;
    const l = labelledLines(
      diffs,
      nowParts.flatMap((x) => x.rates.heads),
      'rateLine',
      first,
      { en: p.nameEn, hi: p.nameHi },
    );
    lines.push(...l.lines);
    cost += l.costPaise;
    reimbursed += l.reimbursedPaise;
    for (const g of group)
      sources.push({
        earlierInvoiceId: g.earlierInvoiceId,
        resourceId: g.resourceId,
        month: first,
        rateTable: g.rateTable,
        rateRowId: g.rateRowId,
        paidDays: g.billedPaidDays,
      });
  }
  return { lines, sources, costPaise: cost, reimbursedPaise: reimbursed };
}

/** Records what the invoice caught up with (in the generating transaction; the live unique index decides a race). */
export async function insertRateSources(tx: DbOrTx, invoiceId: number, sources: RateSource[]): Promise<void> {
  if (sources.length === 0) return;
  await tx.execute(sql`
    insert into invoice_rate_arrears_sources (invoice_id, earlier_invoice_id, resource_id, month, rate_table, rate_row_id, paid_days)
    values ${sql.join(
      sources.map((s) => sql`(${invoiceId}, ${s.earlierInvoiceId}, ${s.resourceId}, ${s.month}, ${s.rateTable}, ${s.rateRowId}, ${s.paidDays})`),
      sql`, `,
    )}`);
}
