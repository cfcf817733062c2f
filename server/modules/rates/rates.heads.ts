import { sql } from 'drizzle-orm';
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
  return r.rows.map((x) => ({
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
  }));
}

/** The wage definition for EPF / ESIC in force on a date (the seed row applies from 2017). */
export async function wageDefinitionOn(db: DbOrTx, on: string): Promise<WageDefinition> {
  const r = await db.execute<{ kind: WageDefinition['kind']; allowance_share_ppm: number }>(sql`
    select kind, allowance_share_ppm from wage_definitions where effective_from <= ${on}::date order by effective_from desc limit 1`);
  const row = r.rows[0];
  return row ? { kind: row.kind, allowanceSharePpm: Number(row.allowance_share_ppm) } : { kind: 'basic_da', allowanceSharePpm: 500_000 };
}
