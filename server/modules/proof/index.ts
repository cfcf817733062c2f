import type { DbOrTx } from '../../db/client.ts';

/** The proof gate's verdict for an invoice of `month` (spec 06 "Statutory proof and the gate"). */
export type ProofGateVerdict = { held: false; waived?: boolean } | { held: true; reason: 'proof_missing' | 'proof_differences'; proofMonth: string };

/**
 * PLACEHOLDER (session 23): the statutory-proof module replaces this body. The DDO's approval of
 * an invoice for month M is held until the agency's proof for M−1 reconciles, unless Finance has
 * switched the gate off for the department.
 */
export async function proofGate(_db: DbOrTx, _q: { agencyId: number; departmentId: number; month: string }): Promise<ProofGateVerdict> {
  return { held: false };
}
