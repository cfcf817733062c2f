// Invoices (spec 06): what other modules may use.
export { invoiceRoutes } from './invoice.routes.ts';
export { provideProofGate, type ProofGate, type ProofGateVerdict } from './invoice.gate.ts';
