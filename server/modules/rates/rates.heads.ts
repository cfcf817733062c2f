import { type SQL, sql } from 'drizzle-orm';
import type { HeadDef, WageDefinition } from '../../../shared/domain/invoice-engine.ts';
import type { DbOrTx } from '../../db/client.ts';

type RawHead = {
  code: string;
  name_en: string;
  name_hi: string;
  kind: HeadDef['kind'];
  stage: HeadDef['stage'];
  base: HeadDef['base'];
  rate_from: HeadDef['rateFrom'];
  rate_ppm: number;
  lump_sum_paise: string | number | null;
  ceiling_paise: string | number | null;
  ceiling_when: HeadDef['ceilingWhen'];
  condition: HeadDef['condition'];
  threshold_paise: string | number | null;
  rounding: HeadDef['rounding'];
  sort_order: number;
};

const num = (v: string | number | null) => (v == null ? null : Number(v));

const toHead = (x: RawHead): HeadDef => ({
  code: x.code,
  nameEn: x.name_en,
  nameHi: x.name_hi,
  kind: x.kind,
  stage: x.stage,
  base: x.base,
  rateFrom: x.rate_from,
  ratePpm: Number(x.rate_ppm),
  lumpSumPaise: num(x.lump_sum_paise),
  ceilingPaise: num(x.ceiling_paise),
  ceilingWhen: x.ceiling_when,
  condition: x.condition,
  thresholdPaise: num(x.threshold_paise),
  rounding: x.rounding,
  sortOrder: Number(x.sort_order),
});

/**
 * The statutory heads in force on a date (IST calendar date 'YYYY-MM-DD'): per code the latest row
 * with effective_from ≤ date, unless that row withdraws the head. Ordered by sort order.
 */
export async function headsInForce(db: DbOrTx, on: string): Promise<HeadDef[]> {
  const r = await db.execute<RawHead>(sql`
    select * from (
      select distinct on (code) code, withdrawn, name_en, name_hi, kind, stage, base, rate_from, rate_ppm, lump_sum_paise, ceiling_paise, ceiling_when, condition, threshold_paise, rounding, sort_order
        from statutory_heads where effective_from <= ${on}::date
       order by code, effective_from desc) h
     where not withdrawn order by sort_order, code`);
  return r.rows.map(toHead);
}

/** The wage definition for EPF / ESIC in force on a date (the seed row applies from 2017). */
export async function wageDefinitionOn(db: DbOrTx, on: string): Promise<WageDefinition> {
  const r = await db.execute<{ kind: WageDefinition['kind']; allowance_share_ppm: number }>(sql`
    select kind, allowance_share_ppm from wage_definitions where effective_from <= ${on}::date order by effective_from desc limit 1`);
  const row = r.rows[0];
  return row ? { kind: row.kind, allowanceSharePpm: Number(row.allowance_share_ppm) } : { kind: 'basic_da', allowanceSharePpm: 500_000 };
}

/**
 * The rates of a month as they were known at a moment (for arrears from late rate revisions,
 * issue 16): the heads, the wage definition and each skill level's minimum wage in force on `on`,
 * counting only rows recorded (`created_at`) by `knownAt` (a timestamp with its zone, as text) — or
 * every row when `knownAt` is null.
 * Rows are never updated, and a row is deleted only before it is in force, so this is what an
 * invoice computed at `knownAt` read for a past month.
 */
export async function ratesKnownOn(
  db: DbOrTx,
  on: string,
  knownAt: string | null,
  skillLevelIds: number[],
): Promise<{ heads: HeadDef[]; def: WageDefinition; minimums: Map<number, { basicPaise: number; vdaPaise: number }> }> {
  const by = knownAt ? sql` and created_at <= ${knownAt}::timestamptz` : sql``;
  const h = await db.execute<RawHead>(sql`
    select * from (
      select distinct on (code) code, withdrawn, name_en, name_hi, kind, stage, base, rate_from, rate_ppm, lump_sum_paise, ceiling_paise, ceiling_when, condition, threshold_paise, rounding, sort_order
        from statutory_heads where effective_from <= ${on}::date${by}
       order by code, effective_from desc) h
     where not withdrawn order by sort_order, code`);
  const d = await db.execute<{ kind: WageDefinition['kind']; allowance_share_ppm: number }>(sql`
    select kind, allowance_share_ppm from wage_definitions where effective_from <= ${on}::date${by} order by effective_from desc limit 1`);
  const minimums = new Map<number, { basicPaise: number; vdaPaise: number }>();
  if (skillLevelIds.length > 0) {
    const m = await db.execute<{ skill_level_id: number; basic_paise: string | number; vda_paise: string | number }>(sql`
      select distinct on (skill_level_id) skill_level_id, basic_paise, vda_paise from minimum_wages
       where effective_from <= ${on}::date${by} and skill_level_id in (${sql.join(
         [...new Set(skillLevelIds)].map((i) => sql`${i}`),
         sql`, `,
       )})
       order by skill_level_id, effective_from desc`);
    for (const x of m.rows) minimums.set(Number(x.skill_level_id), { basicPaise: Number(x.basic_paise), vdaPaise: Number(x.vda_paise) });
  }
  const row = d.rows[0];
  return {
    heads: h.rows.map(toHead),
    def: row ? { kind: row.kind, allowanceSharePpm: Number(row.allowance_share_ppm) } : { kind: 'basic_da', allowanceSharePpm: 500_000 },
    minimums,
  };
}

/**
 * Every rate row as a revision an invoice may have to catch up with: `rate_table`, `rate_row_id`,
 * `skill_level_id` (minimum wages; null for heads and wage definitions, which apply to everyone),
 * `effective_from`, `created_at`. For the invoice module's pending rate arrears.
 */
export function rateRowsSql(): SQL {
  return sql`(
    select 'minimum_wages'::text as rate_table, id as rate_row_id, skill_level_id, effective_from, created_at from minimum_wages
    union all select 'statutory_heads'::text, id, null::integer, effective_from, created_at from statutory_heads
    union all select 'wage_definitions'::text, id, null::integer, effective_from, created_at from wage_definitions)`;
}
