/**
 * The sandbox treasury: behaves like IFMIS for bills. It keeps what it received in
 * `ifmis_sandbox_bills` (its own memory, not ROAMS's), so the same bill number sent twice gets the
 * same acknowledgement number, as the real service's duplicate check.
 *
 * Deterministic answers from the bill's own data (listed in adapters/README.md):
 * - a DDO code starting `0000` → rejected `invalid_ddo_code`;
 * - a budget line whose object head is `99` (e.g. `2059-80-001-01-01-99`) → `budget_exhausted`;
 * - a payee IFSC of bank `ZZZZ` → `ifsc_unknown`;
 * - payees that do not add up to the net, or deductions that do not add up → `amounts_unbalanced`;
 * - `SANDBOX_IFMIS_DOWN=1`, or `ifmisSandboxFaults.down > 0` (tests: that many calls fail, then it
 *   answers again) → IfmisUnavailable (a time-out), nothing recorded on its side.
 */
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type IfmisAdapter, type IfmisAnswer, type IfmisBill, IfmisUnavailable, type TIfmisRejectReason } from './ifmis.ts';
import { ifmisSandboxBills } from './ifmis.sandbox.table.ts';

/** Test hooks: the next `down` calls time out. */
export const ifmisSandboxFaults = { down: 0 };

export function ifmisRejection(bill: IfmisBill): TIfmisRejectReason | null {
  if (bill.ddoCode.startsWith('0000')) return 'invalid_ddo_code';
  if (/-99$/.test(bill.budgetLine)) return 'budget_exhausted';
  if (bill.payees.some((p) => p.ifsc.startsWith('ZZZZ'))) return 'ifsc_unknown';
  const payees = bill.payees.reduce((s, p) => s + p.amountPaise, 0);
  const deds = bill.deductions.reduce((s, d) => s + d.amountPaise, 0);
  if (payees !== bill.netPaise || deds !== bill.deductionsPaise || bill.grossPaise - bill.deductionsPaise !== bill.netPaise) return 'amounts_unbalanced';
  return null;
}

export function ifmisSandbox(db: DbOrTx, now: () => Date = () => new Date()): IfmisAdapter {
  return {
    async submitBill(bill: IfmisBill): Promise<IfmisAnswer> {
      if (process.env.SANDBOX_IFMIS_DOWN === '1') throw new IfmisUnavailable();
      if (ifmisSandboxFaults.down > 0) {
        ifmisSandboxFaults.down -= 1;
        throw new IfmisUnavailable();
      }
      const reason = ifmisRejection(bill);
      if (reason) return { status: 'rejected', reason };
      const sha = createHash('sha256').update(JSON.stringify(bill)).digest('hex');
      const ackNo = `IFMIS${createHash('sha256').update(`ack:${bill.billNo}`).digest('hex').slice(0, 12).toUpperCase()}`;
      await db.insert(ifmisSandboxBills).values({ billNo: bill.billNo, ackNo, payloadSha256: sha, receivedAt: now() }).onConflictDoNothing();
      const [row] = await db.select().from(ifmisSandboxBills).where(eq(ifmisSandboxBills.billNo, bill.billNo)).limit(1);
      return { status: 'acknowledged', ackNo: row?.ackNo ?? ackNo };
    },
  };
}

/** How many bills the sandbox holds (tests). */
export async function ifmisSandboxCount(db: DbOrTx): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from ifmis_sandbox_bills`);
  return r.rows[0]?.n ?? 0;
}
