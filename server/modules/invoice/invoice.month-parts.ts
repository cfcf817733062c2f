import { sql } from 'drizzle-orm';
import { blendMonth, type ContractTerms, computeResource, type ResourceInput, type ResourceOut } from '../../../shared/domain/invoice-engine.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ratesKnownOn, rateRowsSql } from '../rates/index.ts';
import { esicPeriodStart, monthRange } from './invoice.rules.ts';

/**
 * The rates of a month, one part per rate change inside it (spec 06: "a revision applies from its
 * date"). A month starts with the rates in force on its first day; every day from the 2nd to the
 * last on which a rate row of the skill level starts (a minimum wage of that level, any statutory
 * head, a wage definition) starts a new part with the rates in force on that day. The month's
 * figures are `blendMonth` of the parts (shared/domain/invoice-engine.ts): each part is the month
 * computed in full at its rates, weighted by its calendar days, each figure rounded once (a head
 * by its own rounding). Fresh invoices (`splitMonthResources`, called by generation) and both kinds
 * of arrears (`resourceInMonth`) compute a month this one way, so a month billed and its arrears
 * add up to the month computed afresh. ESIC coverage is not per part: it is decided at the start
 * of the contribution period and held (`esicCoveredAt`).
 */

export type Rates = Awaited<ReturnType<typeof ratesKnownOn>>;
export type RatePart = { fromDay: number; days: number; rates: Rates };

/**
 * The wage billed for a month: the post's basic and VDA, raised to the skill level's minimum wage
 * in force (its basic and VDA) when that is higher — a minimum revised back-dated above the post's
 * wage is owed to the worker (invoice.rate-arrears.ts). The minimum (0 when none) is also the bonus
 * cap's floor.
 */
export function wageInputs(
  d: { basicPaise: number; vdaPaise: number },
  minimum: { basicPaise: number; vdaPaise: number } | undefined,
): { basicPaise: number; vdaPaise: number; minimumWagePaise: number } {
  const m = minimum ? minimum.basicPaise + minimum.vdaPaise : 0;
  if (minimum && d.basicPaise + d.vdaPaise < m) return { basicPaise: minimum.basicPaise, vdaPaise: minimum.vdaPaise, minimumWagePaise: m };
  return { basicPaise: d.basicPaise, vdaPaise: d.vdaPaise, minimumWagePaise: m };
}

/** One resource-month over its rate parts (pure): each part by the engine on the same inputs, then blended. */
export function resourceInMonth(
  r: { key: string; basicPaise: number; vdaPaise: number; daysInMonth: number; paidDays: number; esicCovered: boolean },
  skillLevelId: number,
  terms: ContractTerms,
  parts: readonly RatePart[],
): ResourceOut {
  return blendMonth(
    parts.map((p) => ({
      days: p.days,
      heads: p.rates.heads,
      out: computeResource(
        {
          key: r.key,
          ...wageInputs(r, p.rates.minimums.get(skillLevelId)),
          daysInMonth: r.daysInMonth,
          paidDays: r.paidDays,
          esicCovered: r.esicCovered,
        },
        terms,
        p.rates.heads,
        p.rates.def,
      ),
    })),
  );
}

/** Reads the rate parts of months (as recorded by a moment, or now) and ESIC thresholds, each once per reader. */
export function monthRatesReader(db: DbOrTx) {
  const cache = new Map<string, Promise<unknown>>();
  const memo = <T>(k: string, f: () => Promise<T>): Promise<T> => {
    if (!cache.has(k)) cache.set(k, f());
    return cache.get(k) as Promise<T>;
  };
  const ratesOn = (on: string, at: string | null, skill: number) => memo(`r|${on}|${at}|${skill}`, () => ratesKnownOn(db, on, at, [skill]));
  /** The days (2nd … last) on which a rate row starts inside the month, for a skill level. */
  const startsInside = (month: string, at: string | null, skill: number | null) =>
    memo(`s|${month}|${at}|${skill}`, async () => {
      const { first, last } = monthRange(month);
      const r = await db.execute<{ d: string }>(sql`
        select distinct to_char(rr.effective_from, 'YYYY-MM-DD') as d from ${rateRowsSql()} rr
         where rr.effective_from > ${first}::date and rr.effective_from <= ${last}::date
           ${skill === null ? sql`` : sql`and (rr.skill_level_id is null or rr.skill_level_id = ${skill})`}
           ${at === null ? sql`` : sql`and rr.created_at <= ${at}::timestamptz`}
         order by 1`);
      return r.rows.map((x) => Number(String(x.d).slice(8, 10)));
    });
  /** The month's parts for a skill level: the first day's rates, then one part per day a rate row starts. */
  const parts = (month: string, at: string | null, skill: number): Promise<RatePart[]> =>
    memo(`p|${month}|${at}|${skill}`, async () => {
      const { days } = monthRange(month);
      const starts = [1, ...(await startsInside(month, at, skill))];
      // One after another: generation runs in a transaction (one connection; server/db/read-all.ts).
      const out: RatePart[] = [];
      for (const [i, day] of starts.entries()) {
        out.push({ fromDay: day, days: (starts[i + 1] ?? days + 1) - day, rates: await ratesOn(`${month}-${String(day).padStart(2, '0')}`, at, skill) });
      }
      return out;
    });
  /** The ESIC head's threshold in force at the start of the month's contribution period, as recorded by a moment. */
  const esicThreshold = (month: string, at: string | null) =>
    memo(`e|${month}|${at}`, async () => {
      const { heads } = await ratesKnownOn(db, esicPeriodStart(month), at, []);
      return heads.find((h) => h.condition === 'esic' && h.thresholdPaise != null)?.thresholdPaise ?? null;
    });
  return { parts, startsInside, esicThreshold };
}
export type MonthRatesReader = ReturnType<typeof monthRatesReader>;

/**
 * ESIC coverage of an invoiced resource-month as the rates recorded by `at` (null: now) decide it:
 * the decision stored on the detail while the threshold in force at the contribution period's
 * start is what it was when the invoice was generated; after a back-dated revision of that
 * threshold, decided again by generation's rule — covered when the post's monthly basic + VDA (as
 * stored on the detail) is at most the threshold — and held for the whole period (spec 06).
 */
export async function esicCoveredAt(
  reader: MonthRatesReader,
  d: { month: string; generatedAt: string; esicCovered: boolean; basicPaise: number; vdaPaise: number },
  at: string | null,
): Promise<boolean> {
  const then = await reader.esicThreshold(d.month, d.generatedAt);
  const th = await reader.esicThreshold(d.month, at);
  if (th === then) return d.esicCovered;
  return th !== null && d.basicPaise + d.vdaPaise <= th;
}

/**
 * A fresh invoice's resources with the month's rate changes: the resources computed at the first
 * day's rates (`firstDay`, as generation computes them) are kept where no rate row of their skill
 * level starts inside the month; the others are computed over the month's parts.
 */
export async function splitMonthResources(
  db: DbOrTx,
  month: string,
  terms: ContractTerms,
  inputs: readonly (ResourceInput & { person: { skillLevelId: number } })[],
  firstDay: ResourceOut[],
): Promise<ResourceOut[]> {
  const reader = monthRatesReader(db);
  if ((await reader.startsInside(month, null, null)).length === 0) return firstDay;
  const out: ResourceOut[] = [];
  for (const [i, r] of inputs.entries()) {
    const parts = await reader.parts(month, null, r.person.skillLevelId);
    out.push(
      parts.length === 1
        ? firstDay[i]!
        : resourceInMonth(
            {
              key: r.key,
              basicPaise: r.basicPaise,
              vdaPaise: r.vdaPaise,
              daysInMonth: r.daysInMonth,
              paidDays: r.paidDays,
              esicCovered: r.esicCovered ?? false,
            },
            r.person.skillLevelId,
            terms,
            parts,
          ),
    );
  }
  return out;
}
