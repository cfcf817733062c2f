import type { TCalculatorInput, TCalculatorLine, TCalculatorResult, TCalculatorSkillLevels } from '../../../shared/contracts/calculator.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import {
  type ContractTerms,
  computeResource,
  EngineError,
  type HeadDef,
  type LineOut,
  type ResourceInput,
  type ResourceOut,
  totalInvoice,
} from '../../../shared/domain/invoice-engine.ts';
import type { Db } from '../../db/client.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { headsInForce, wageDefinitionOn } from './rates.heads.ts';
import * as repo from './rates.repo.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * The public cost calculator (issue 16 item 5): the invoice engine over the heads, the wage
 * definition and the minimum wages in force on a date — the same code path as a real invoice,
 * with the contract's terms typed in. Identical workers are one row × count: each row is computed
 * once and the invoice totals run over every worker (exactly an invoice's); the reply shows one
 * worker per row.
 */
export async function calculate(db: Db, ctx: Ctx, input: TCalculatorInput): Promise<TCalculatorResult> {
  const on = input.on ?? todayIst(ctx.now);
  const [heads, wageDefinition] = await readAll(db, [() => headsInForce(db, on), () => wageDefinitionOn(db, on)]);
  const skillIds = [...new Set(input.rows.flatMap((r) => (r.skillLevelId == null ? [] : [r.skillLevelId])))];
  const active = new Set((await repo.activeSkillLevels(db)).map((s) => s.id));
  const errors = input.rows.flatMap((r, i) =>
    r.skillLevelId != null && !active.has(r.skillLevelId) ? [{ field: `rows.${i}.skillLevelId`, code: 'not_found' as const }] : [],
  );
  if (errors.length) throw new AppError('validation_failed', { errors });
  const minimum = new Map((await repo.rowsOn(db, on, skillIds)).map((w) => [w.skillLevelId, w.basicPaise + w.vdaPaise]));

  const terms: ContractTerms = {
    wageBasis: input.wageBasis,
    epfMode: input.epf,
    esicApplies: input.esic,
    bonusBp: input.bonusBp,
    serviceChargeBp: input.serviceChargeBp,
    intraState: input.supply === 'intra_state',
  };
  // One computation per row (the engine is pure: identical workers have identical lines), then the
  // invoice-level lines over every worker — what computeInvoice does, without 10,000 repeats.
  let perRow: ResourceOut[];
  let inv: ReturnType<typeof totalInvoice>;
  try {
    perRow = input.rows.map((r, i) => {
      const one: ResourceInput = {
        key: String(i),
        basicPaise: r.wagePaise ?? r.basicPaise ?? 0,
        vdaPaise: r.wagePaise != null ? 0 : (r.vdaPaise ?? 0),
        allowancesPaise: r.wagePaise != null ? 0 : (r.allowancesPaise ?? 0),
        paidDays: r.paidDays,
        daysInMonth: r.daysInMonth,
        minimumWagePaise: r.skillLevelId != null ? (minimum.get(r.skillLevelId) ?? 0) : 0,
      };
      return computeResource(one, terms, heads, wageDefinition);
    });
    inv = totalInvoice(
      input.rows.flatMap((r, i) => Array.from({ length: r.count }, () => perRow[i]!)),
      terms,
      heads,
    );
  } catch (e) {
    if (e instanceof EngineError) throw new AppError('validation_failed', { errors: [{ field: 'rows', code: 'invalid_value' }] });
    throw e;
  }

  const byCode = new Map<string, HeadDef>(heads.map((h) => [h.code, h]));
  const named = (l: LineOut): TCalculatorLine => {
    const h = byCode.get(l.code);
    return {
      code: l.code,
      nameEn: h?.nameEn ?? l.code,
      nameHi: h?.nameHi ?? l.code,
      kind: l.kind,
      stage: l.stage,
      basePaise: l.basePaise,
      ratePpm: l.ratePpm,
      amountPaise: l.amountPaise,
    };
  };
  const sums = new Map<string, bigint>();
  let earned = 0n;
  for (const r of inv.resources) {
    earned += BigInt(r.earnedWagePaise);
    for (const l of r.lines) sums.set(l.code, (sums.get(l.code) ?? 0n) + BigInt(l.amountPaise));
  }
  const headTotals = heads
    .filter((h) => sums.has(h.code))
    .map((h) => ({ code: h.code, nameEn: h.nameEn, nameHi: h.nameHi, kind: h.kind, stage: h.stage, amountPaise: Number(sums.get(h.code)) }));

  return {
    on,
    wageDefinition,
    workers: inv.resources.length,
    rows: input.rows.map((r, i) => {
      const out = perRow[i]!;
      return {
        row: i,
        count: r.count,
        dayRatePaise: out.dayRatePaise,
        earnedWagePaise: out.earnedWagePaise,
        pfWagePaise: out.pfWagePaise,
        bonusWagePaise: out.bonusWagePaise,
        esicCovered: out.esicCovered,
        minimumWagePaise: r.skillLevelId != null ? (minimum.get(r.skillLevelId) ?? 0) : 0,
        lines: out.lines.map(named),
        costPaise: out.costPaise,
        reimbursedPaise: out.reimbursedPaise,
        employeeDeductionPaise: out.employeeDeductionPaise,
        netWagePaise: out.netWagePaise,
      };
    }),
    headTotals,
    earnedWagePaise: Number(earned),
    subtotalPaise: inv.subtotalPaise,
    reimbursedPaise: inv.reimbursedPaise,
    serviceChargePaise: inv.serviceChargePaise,
    taxablePaise: inv.taxablePaise,
    gstPaise: inv.gstPaise,
    grossTotalPaise: inv.grossTotalPaise,
    roundOffPaise: inv.roundOffPaise,
    totalPaise: inv.totalPaise,
    lines: inv.lines.map(named),
  };
}

/** The skill levels the calculator offers, each with its minimum wage in force on the date. */
export async function calculatorSkillLevels(db: Db, ctx: Ctx, onDate?: string): Promise<TCalculatorSkillLevels> {
  const on = onDate ?? todayIst(ctx.now);
  const skills = await repo.activeSkillLevels(db);
  const rows = await repo.rowsOn(db, on);
  const min = new Map(rows.map((w) => [w.skillLevelId, w.basicPaise + w.vdaPaise]));
  return { on, items: skills.map((s) => ({ id: s.id, nameEn: s.nameEn, nameHi: s.nameHi, minimumWagePaise: min.get(s.id) ?? null })) };
}
