import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { type ArrearsLine, arrearsLabels } from './invoice.arrears.ts';

/**
 * Recoveries carried forward (spec 06 "Arrears and recoveries", issue 16; migration 0041).
 *
 * An invoice's recoveries (negative arrears of earlier months, from attendance or rate revisions)
 * may exceed what the month can carry. The invoice is generated all the same and is never negative;
 * what it cannot recover is carried forward to the next invoice of the same contract and agency,
 * until fully recovered. The rules, decided here:
 *
 * - **Two parts, each never negative.** The engine keeps the sub-total (cost) and the reimbursed
 *   value (the bonus) apart — service charge applies to the one, not the other — so each part is
 *   carried on its own: a cost recovery is recovered only from the invoice's cost, a bonus recovery
 *   only from its reimbursed value. What a part can carry ("room") is the month's own amount of that
 *   part plus the arrears (> 0) of that part on the same invoice.
 * - **Order: oldest first.** The room goes first to the balances brought forward (in the order
 *   their invoices were generated, then month, then part), then to this invoice's new recoveries by
 *   the month they belong to, earliest first. So what remains unrecovered is always the newest.
 * - **Lines.** Each balance taken over is one line of stage `recovery` (code `RECOVERY_BF`, the
 *   whole balance, negative, naming its month and the invoice it was carried from); what the
 *   invoice cannot recover — of new recoveries and of balances taken over alike — is one line per
 *   (month, part) of stage `carry_forward` (code `RECOVERY_CF`, positive: it gives back, on this
 *   invoice, the part carried to the next). The recovery lines of the revisions themselves stay
 *   whole (each head's true difference). So on every invoice the lines add up to what it recovers,
 *   and over the invoices the recovered amounts add up to the original recovery, to the paisa.
 * - **Tax follows the recovery.** The amounts carried are pre-tax, like every arrear: they join
 *   the sub-total or the reimbursed value of the invoice that recovers them, and the service charge
 *   and GST are computed once, on that invoice's totals at its rates. Nothing of a balance is taxed
 *   while it is carried; the invoice that recovers a paisa also reduces its tax base by it.
 * - **Rounding**: none of its own. Every figure is integer paise already (each head rounded by its
 *   own rule when the difference was computed); taking the smaller of the room and an amount, and
 *   subtracting, stays in integer paise.
 * - **Once, and idempotent.** A balance is taken over whole by one live settlement (partial unique
 *   index: a second generation racing for it fails and rolls back whole, 409
 *   `invoice_arrears_conflict`); the settling invoice records what it recovered and carries the rest
 *   in its own balance row. Cancelling an invoice releases its settlements (the balances it took
 *   over are open again, in full) and its own balances (void: its recoveries are pending again and
 *   the next invoice computes them afresh). Cancelling an invoice whose balance a later active
 *   invoice took over is refused (`invoice_arrears_settled_later`): cancel the later one first.
 *   Generating the same contract-month again is refused (`invoice_exists`), so it changes nothing.
 */

export type RecoveryPart = 'cost' | 'reimbursed';
export const CARRIED_IN_CODE = 'RECOVERY_BF';
export const CARRIED_OUT_CODE = 'RECOVERY_CF';

/** An open balance: carried forward by an active invoice, not taken over by a live settlement. */
export type OpenBalance = {
  balanceId: number;
  /** The invoice that carried it forward, and its number (named on the line). */
  invoiceId: number;
  invoiceNo: string;
  /** The month the recovery belongs to, 'YYYY-MM-01'. */
  month: string;
  part: RecoveryPart;
  amountPaise: number;
};

export type CarrySettlement = { balanceId: number; invoiceId: number; recoveredPaise: number };
export type CarriedBalance = { month: string; part: RecoveryPart; amountPaise: number };
export type CarryPlan = {
  /** The brought-forward lines (negative) and the carried-forward lines (positive), labelled. */
  lines: ArrearsLine[];
  settlements: CarrySettlement[];
  carried: CarriedBalance[];
  /** The lines' sums per part (they join the totals like any arrear). */
  costPaise: number;
  reimbursedPaise: number;
};

export const NO_CARRY: CarryPlan = { lines: [], settlements: [], carried: [], costPaise: 0, reimbursedPaise: 0 };

/** The open balances of the contract and agency, oldest first (the order they are recovered in). */
export async function openBalances(db: DbOrTx, contractId: number, agencyId: number): Promise<OpenBalance[]> {
  const r = await db.execute<OpenBalance>(sql`
    select b.id as "balanceId", b.invoice_id as "invoiceId", i.invoice_no as "invoiceNo", to_char(b.month, 'YYYY-MM-DD') as month,
           b.part, b.amount_paise::float8 as "amountPaise"
      from invoice_recovery_balances b join invoices i on i.id = b.invoice_id
     where b.contract_id = ${contractId} and b.agency_id = ${agencyId} and b.released_at is null and i.status = 'active'
       and not exists (select 1 from invoice_recovery_settlements s where s.balance_id = b.id and s.released_at is null)
     order by i.generated_at, i.id, b.month, b.part`);
  return r.rows.map((x) => ({ ...x, amountPaise: Number(x.amountPaise) }));
}

const PARTS: readonly RecoveryPart[] = ['cost', 'reimbursed'];

/**
 * What the invoice recovers and what it carries forward (pure; the rules in the header). `own`: the
 * month's own cost and reimbursed amounts; `lines`: its arrears and recoveries (with their part);
 * `open`: the balances brought forward, oldest first.
 */
export function planRecoveries(
  own: { costPaise: number; reimbursedPaise: number },
  lines: readonly Pick<ArrearsLine, 'amountPaise' | 'source' | 'arrearsMonth'>[],
  open: readonly OpenBalance[],
): CarryPlan {
  const cat = arrearsLabels();
  const settlements: CarrySettlement[] = [];
  const carried: CarriedBalance[] = [];
  const inLines: ArrearsLine[] = [];
  for (const part of PARTS) {
    let room =
      (part === 'cost' ? own.costPaise : own.reimbursedPaise) +
      lines.filter((l) => l.source === part && l.amountPaise > 0).reduce((s, l) => s + l.amountPaise, 0);
    const rest = new Map<string, number>();
    const keep = (month: string, amount: number) => {
      if (amount > 0) rest.set(month, (rest.get(month) ?? 0) + amount);
    };
    // 1. The balances brought forward, oldest first: each taken over whole (one line), recovered as far as the room goes.
    for (const b of open.filter((x) => x.part === part)) {
      const take = Math.min(room, b.amountPaise);
      room -= take;
      settlements.push({ balanceId: b.balanceId, invoiceId: b.invoiceId, recoveredPaise: take });
      inLines.push({
        code: CARRIED_IN_CODE,
        kind: 'payable',
        stage: 'recovery',
        basePaise: -b.amountPaise,
        ratePpm: 0,
        amountPaise: -b.amountPaise,
        source: part,
        arrearsMonth: b.month,
        labelEn: cat.en.carriedIn.replace('{{invoiceNo}}', b.invoiceNo).replace('{{part}}', part === 'cost' ? cat.en.partCost : cat.en.partReimbursed),
        labelHi: cat.hi.carriedIn.replace('{{invoiceNo}}', b.invoiceNo).replace('{{part}}', part === 'cost' ? cat.hi.partCost : cat.hi.partReimbursed),
      });
      keep(b.month, b.amountPaise - take);
    }
    // 2. This invoice's new recoveries, by the month they belong to, earliest first.
    const byMonth = new Map<string, number>();
    for (const l of lines) if (l.source === part && l.amountPaise < 0) byMonth.set(l.arrearsMonth, (byMonth.get(l.arrearsMonth) ?? 0) - l.amountPaise);
    for (const month of [...byMonth.keys()].sort()) {
      const amount = byMonth.get(month)!;
      const take = Math.min(room, amount);
      room -= take;
      keep(month, amount - take);
    }
    for (const month of [...rest.keys()].sort()) carried.push({ month, part, amountPaise: rest.get(month)! });
  }
  const outLines: ArrearsLine[] = carried.map((c) => ({
    code: CARRIED_OUT_CODE,
    kind: 'payable',
    stage: 'carry_forward',
    basePaise: c.amountPaise,
    ratePpm: 0,
    amountPaise: c.amountPaise,
    source: c.part,
    arrearsMonth: c.month,
    labelEn: cat.en.carriedOut.replace('{{part}}', c.part === 'cost' ? cat.en.partCost : cat.en.partReimbursed),
    labelHi: cat.hi.carriedOut.replace('{{part}}', c.part === 'cost' ? cat.hi.partCost : cat.hi.partReimbursed),
  }));
  const all = [...inLines, ...outLines];
  const sum = (part: RecoveryPart) => all.filter((l) => l.source === part).reduce((s, l) => s + l.amountPaise, 0);
  return { lines: all, settlements, carried, costPaise: sum('cost'), reimbursedPaise: sum('reimbursed') };
}

/**
 * Our choice — a contract paying workers **directly** (spec 06 "Who pays the worker"; docs/INVOICES.md
 * "Direct payment and carried recoveries"). Its bill pays each worker's net wage of the month to the
 * worker's own account and the agency the rest, so a recovery that cut the invoice below the workers'
 * wages made the bill impossible (`bill_payees_exceed_net`, refused at the DDO's approval). The
 * recovery is the agency's debt; the workers' wages of the month are owed to them and the reason
 * direct payment exists is that they receive them in full. So the invoice recovers only from what the
 * agency would receive: the room is held back (from the cost part first, then the bonus part) by the
 * least amount, found by bisection, that leaves the bill's net payable — at the highest deductions
 * the bill may take (`netFor`: TDS at the higher rate, GST TDS as if the threshold were passed, the
 * bill heads in force at generation) — at or above the workers' net wages. What is held back is
 * carried forward like any unrecovered recovery (same lines, same ledger). The hold is integer paise;
 * the plan made with it follows every rule above. Without a recovery nothing changes.
 */
export function planRecoveriesKeepingWages(
  own: { costPaise: number; reimbursedPaise: number },
  lines: readonly Pick<ArrearsLine, 'amountPaise' | 'source' | 'arrearsMonth'>[],
  open: readonly OpenBalance[],
  wagesPaise: number,
  netFor: (plan: CarryPlan) => number,
): CarryPlan {
  const full = planRecoveries(own, lines, open);
  if (netFor(full) >= wagesPaise) return full;
  const arrearsOf = (part: RecoveryPart) => lines.filter((l) => l.source === part && l.amountPaise > 0).reduce((s, l) => s + l.amountPaise, 0);
  const costRoom = own.costPaise + arrearsOf('cost');
  const reimbursedRoom = own.reimbursedPaise + arrearsOf('reimbursed');
  const withHold = (hold: number) => {
    const fromCost = Math.min(hold, costRoom);
    return planRecoveries(
      { costPaise: own.costPaise - fromCost, reimbursedPaise: own.reimbursedPaise - Math.min(hold - fromCost, reimbursedRoom) },
      lines,
      open,
    );
  };
  let lo = 0;
  let hi = costRoom + reimbursedRoom;
  const most = withHold(hi);
  // Nothing recovered and still short (the month itself does not cover its wages): recover nothing.
  if (netFor(most) < wagesPaise) return most;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (netFor(withHold(mid)) >= wagesPaise) hi = mid;
    else lo = mid;
  }
  return withHold(hi);
}

/**
 * Writes the plan in the generating transaction: the origin invoices locked FOR SHARE (a racing
 * cancel waits, then sees the settlement and is refused; one that committed first makes this
 * generation fail: `invoice_arrears_conflict`), a settlement per balance taken over (the live unique
 * index decides a race), and this invoice's own balances.
 */
export async function insertCarry(tx: DbOrTx, invoice: { id: number; contractId: number; agencyId: number }, plan: CarryPlan): Promise<void> {
  const origins = [...new Set(plan.settlements.map((s) => s.invoiceId))];
  if (origins.length > 0) {
    const r = await tx.execute<{ id: number }>(sql`
      select id from invoices where id in (${sql.join(
        origins.map((i) => sql`${i}`),
        sql`, `,
      )}) and status = 'active' for share`);
    if (r.rows.length !== origins.length) throw new AppError('invoice_arrears_conflict');
  }
  for (const s of plan.settlements)
    await tx.execute(sql`
      insert into invoice_recovery_settlements (balance_id, invoice_id, recovered_paise) values (${s.balanceId}, ${invoice.id}, ${s.recoveredPaise})`);
  for (const c of plan.carried)
    await tx.execute(sql`
      insert into invoice_recovery_balances (invoice_id, contract_id, agency_id, month, part, amount_paise)
      values (${invoice.id}, ${invoice.contractId}, ${invoice.agencyId}, ${c.month}, ${c.part}, ${c.amountPaise})`);
}

/** Cancelling an invoice: the balances it took over are open again, its own are void (in the cancelling transaction). */
export async function releaseCarry(tx: DbOrTx, invoiceId: number, at: Date): Promise<void> {
  await tx.execute(sql`update invoice_recovery_settlements set released_at = ${at.toISOString()} where invoice_id = ${invoiceId} and released_at is null`);
  await tx.execute(sql`update invoice_recovery_balances set released_at = ${at.toISOString()} where invoice_id = ${invoiceId} and released_at is null`);
}
