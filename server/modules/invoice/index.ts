// Invoices (spec 06): what other modules may use.
export { invoiceRoutes } from './invoice.routes.ts';
export { provideProofGate, type ProofGate, type ProofGateVerdict } from './invoice.gate.ts';
// For the statutory proof (issue 17 item 2): activeInvoiceCount(db, agencyId, month) — active invoices of the
// agency for a month ('YYYY-MM-01'); billedEpf(db, agencyId, month) — per resource, the EPF wage billed
// (EPF_ER lines' base); billedEsic(db, agencyId, month) — ESIC billed (employer + employee lines).
export { activeInvoiceCount, type BilledEpf, billedEpf, billedEsic } from './invoice.published.ts';
