import { z } from 'zod';
import { HEAD_KINDS, HEAD_STAGES, WAGE_DEFINITIONS } from '../domain/invoice-engine.ts';
import { ZIdNumber } from './common.ts';

/**
 * The public cost calculator (spec 06, issue 16 item 5): what a worker costs a department under
 * the heads in force on a date, computed by the same engine as real invoices. No login.
 *
 * Amounts are integer paise. The wage figures of a row are monthly (the post's monthly wage, as a
 * contract states it); on the day basis the engine turns them into a day rate (÷ 26, basic and
 * VDA each rounded first) and multiplies by the paid days. A row gives either one `wagePaise`
 * (counted as basic + DA, all of it wages for EPF / ESIC) or `basicPaise` + `vdaPaise`
 * (+ `allowancesPaise`). `count` identical workers are one row.
 */

/** The first day heads are recorded for (GST, 1 July 2017), and the last date the calculator accepts. */
export const CALCULATOR_FIRST_DATE = '2017-07-01';
export const CALCULATOR_LAST_DATE = '2100-12-31';
export const CALCULATOR_MAX_ROWS = 500;
export const CALCULATOR_MAX_WORKERS = 10_000;
/** Bonus at most 20 %, service charge at most 100 % (basis points). */
export const CALCULATOR_MAX_BONUS_BP = 2_000;
export const CALCULATOR_MAX_SERVICE_CHARGE_BP = 10_000;
/** Requests per minute per address (our choice: a person recalculating, not a crawler). */
export const CALCULATOR_PER_MINUTE = 120;

/** Paise per month, whole, at most ₹10,00,000 (what the engine accepts). */
const paise = z.number().int().min(0).max(100_000_000);

function dmy(iso: string) {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

export const ZCalculatorRow = z
  .strictObject({
    /** The whole monthly wage (basic + DA), instead of basic + VDA. */
    wagePaise: paise.min(1).optional(),
    basicPaise: paise.min(1).optional(),
    vdaPaise: paise.optional(),
    allowancesPaise: paise.optional(),
    /** Optional: the bonus base is capped at max(₹7,000, this skill level's minimum wage in force). */
    skillLevelId: ZIdNumber.optional(),
    paidDays: z.number().int().min(0).max(31),
    daysInMonth: z.number().int().min(28).max(31),
    count: z.number().int().min(1).max(CALCULATOR_MAX_WORKERS),
  })
  .superRefine((r, ctx) => {
    // Only against a month length that is itself valid: 0 days in the month is that field's refusal alone, not also "paid days at most 0".
    if (r.daysInMonth >= 28 && r.daysInMonth <= 31 && r.paidDays > r.daysInMonth)
      ctx.addIssue({ code: 'custom', path: ['paidDays'], message: 'paid days exceed the month', params: { code: 'too_big', max: r.daysInMonth } });
    if (r.wagePaise == null && r.basicPaise == null)
      ctx.addIssue({ code: 'custom', path: ['basicPaise'], message: 'wage or basic', params: { code: 'required' } });
    if (r.wagePaise != null && (r.basicPaise != null || r.vdaPaise != null || r.allowancesPaise != null))
      ctx.addIssue({ code: 'custom', path: ['wagePaise'], message: 'either the wage or its parts', params: { code: 'invalid_value' } });
  });
export type TCalculatorRow = z.infer<typeof ZCalculatorRow>;

export const ZCalculatorInput = z
  .strictObject({
    wageBasis: z.enum(['monthly', 'daily']),
    rows: z.array(ZCalculatorRow).min(1).max(CALCULATOR_MAX_ROWS),
    epf: z.enum(['none', 'capped', 'uncapped']),
    esic: z.boolean(),
    /** Bonus in basis points (833 = 8.33 %); 0 = none. */
    bonusBp: z.number().int().min(0).max(CALCULATOR_MAX_BONUS_BP),
    /** Service charge in basis points (385 = 3.85 %), at most 100 %. */
    serviceChargeBp: z.number().int().min(0).max(CALCULATOR_MAX_SERVICE_CHARGE_BP),
    /** The agency's GSTIN state is the portal's (CGST + SGST) or another (IGST). */
    supply: z.enum(['intra_state', 'inter_state']),
    /** The heads and minimum wages in force on this date (default: today, IST). */
    on: z.iso
      .date()
      .refine((v) => v >= CALCULATOR_FIRST_DATE && v <= CALCULATOR_LAST_DATE, {
        params: { code: 'date_out_of_range', from: dmy(CALCULATOR_FIRST_DATE), to: dmy(CALCULATOR_LAST_DATE) },
      })
      .optional(),
  })
  .superRefine((b, ctx) => {
    const workers = b.rows.reduce((s, r) => s + (Number.isSafeInteger(r.count) ? r.count : 0), 0);
    if (workers > CALCULATOR_MAX_WORKERS)
      ctx.addIssue({ code: 'custom', path: ['rows'], message: 'too many workers', params: { code: 'too_big', max: CALCULATOR_MAX_WORKERS } });
  });
export type TCalculatorInput = z.infer<typeof ZCalculatorInput>;

export const ZCalculatorLine = z.object({
  code: z.string(),
  nameEn: z.string(),
  nameHi: z.string(),
  kind: z.enum(HEAD_KINDS),
  stage: z.enum(HEAD_STAGES),
  basePaise: z.number().int(),
  /** Parts per million of the base (12 % = 120000). */
  ratePpm: z.number().int(),
  amountPaise: z.number().int(),
});
export type TCalculatorLine = z.infer<typeof ZCalculatorLine>;

export const ZCalculatorRowOut = z.object({
  /** Position of the row in the request (0-based). */
  row: z.number().int(),
  count: z.number().int(),
  /** The day rate (day basis only). */
  dayRatePaise: z.number().int().nullable(),
  earnedWagePaise: z.number().int(),
  pfWagePaise: z.number().int(),
  bonusWagePaise: z.number().int(),
  esicCovered: z.boolean(),
  /** The skill level's minimum wage in force on the date (0 when none was given or recorded). */
  minimumWagePaise: z.number().int(),
  /** One worker's lines, head by head. */
  lines: z.array(ZCalculatorLine),
  /** One worker: earned wage + cost heads (what the service charge applies to). */
  costPaise: z.number().int(),
  reimbursedPaise: z.number().int(),
  employeeDeductionPaise: z.number().int(),
  netWagePaise: z.number().int(),
});
export type TCalculatorRowOut = z.infer<typeof ZCalculatorRowOut>;

export const ZCalculatorResult = z.object({
  on: z.string(),
  wageDefinition: z.object({ kind: z.enum(WAGE_DEFINITIONS), allowanceSharePpm: z.number().int() }),
  workers: z.number().int(),
  rows: z.array(ZCalculatorRowOut),
  /** Every worker's heads summed over the rows (amount × count), in the heads' order. */
  headTotals: z.array(
    z.object({ code: z.string(), nameEn: z.string(), nameHi: z.string(), kind: z.enum(HEAD_KINDS), stage: z.enum(HEAD_STAGES), amountPaise: z.number().int() }),
  ),
  earnedWagePaise: z.number().int(),
  subtotalPaise: z.number().int(),
  reimbursedPaise: z.number().int(),
  serviceChargePaise: z.number().int(),
  taxablePaise: z.number().int(),
  gstPaise: z.number().int(),
  grossTotalPaise: z.number().int(),
  roundOffPaise: z.number().int(),
  totalPaise: z.number().int(),
  /** Invoice-level lines: service charge, then CGST + SGST or IGST. */
  lines: z.array(ZCalculatorLine),
});
export type TCalculatorResult = z.infer<typeof ZCalculatorResult>;

export const ZCalculatorSkillLevels = z.object({
  on: z.string(),
  items: z.array(z.object({ id: z.number().int(), nameEn: z.string(), nameHi: z.string(), minimumWagePaise: z.number().int().nullable() })),
});
export type TCalculatorSkillLevels = z.infer<typeof ZCalculatorSkillLevels>;
