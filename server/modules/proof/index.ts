// The statutory proof (spec 06 "Statutory proof and the gate", issue 17 item 2): what other modules may use.
// proofGate(db, { agencyId, departmentId, month: 'YYYY-MM-01' }): is the DDO's approval of that invoice held
// by the agency's proof for the month before? Called inside the approval's transaction.
export { type ProofGateVerdict, proofGate } from './proof.gate.ts';
