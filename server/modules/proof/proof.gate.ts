import type { DbOrTx } from '../../db/client.ts';
import * as repo from './proof.repo.ts';
import { previousMonth } from './proof.rules.ts';

/** The proof gate's verdict for an invoice of `month` (spec 06 "Statutory proof and the gate"). */
export type ProofGateVerdict = { held: false; waived?: boolean } | { held: true; reason: 'proof_missing' | 'proof_differences'; proofMonth: string };

/**
 * May the DDO approve an agency's invoice for `month` ('YYYY-MM-01')? Held when the agency
 * billed anything (an active invoice, any department) for the month before and its proof for
 * that month is missing or its version in force has differences — unless Finance has switched
 * the gate off for the invoice's department (then not held, `waived`). No invoice the month
 * before: nothing to prove, not held. Reads only; call it inside the approval's transaction.
 */
export async function proofGate(db: DbOrTx, q: { agencyId: number; departmentId: number; month: string }): Promise<ProofGateVerdict> {
  const prev = previousMonth(`${q.month.slice(0, 7)}-01`);
  const proofMonth = prev.slice(0, 7);
  if ((await repo.billedInvoices(db, q.agencyId, prev)) === 0) return { held: false };
  const latest = await repo.latestProof(db, q.agencyId, prev);
  if (latest?.status === 'reconciled') return { held: false };
  const gate = await repo.gateOf(db, q.departmentId);
  if (gate && !gate.enabled) return { held: false, waived: true };
  return { held: true, reason: latest ? 'proof_differences' : 'proof_missing', proofMonth };
}
