import type { DbOrTx } from '../../db/client.ts';

/** The proof gate's verdict for an invoice of `month` (spec 06 "Statutory proof and the gate"). */
export type ProofGateVerdict = { held: false; waived?: boolean } | { held: true; reason: 'proof_missing' | 'proof_differences'; proofMonth: string };
export type ProofGate = (db: DbOrTx, q: { agencyId: number; departmentId: number; month: string }) => Promise<ProofGateVerdict>;

/**
 * Seam (docs/ARCHITECTURE.md "Seams"): the DDO's approval of an invoice for month M is held until
 * the agency's statutory proof (EPFO ECR + ESIC challan) for M−1 reconciles, unless Finance has
 * switched the gate off for the department. The proof module, which depends on invoices, provides
 * the gate; server/modules/registry.ts wires it once. Until it is wired every approval is refused
 * (`proof_gate_unwired`): a gate that silently lets everything through would be worse.
 */
let gate: ProofGate | null = null;

export function provideProofGate(fn: ProofGate): void {
  gate = fn;
}

export function proofGate(db: DbOrTx, q: { agencyId: number; departmentId: number; month: string }): Promise<ProofGateVerdict> {
  if (!gate) throw new Error('proof_gate_unwired: server/modules/registry.ts must provide the proof gate');
  return gate(db, q);
}
