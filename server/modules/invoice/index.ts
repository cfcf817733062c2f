// Invoices (spec 06): what other modules may use.
export { invoiceRoutes } from './invoice.routes.ts';
export { provideProofGate, type ProofGate, type ProofGateVerdict } from './invoice.gate.ts';
// For the statutory proof (issue 17 item 2): activeInvoiceCount(db, agencyId, month) — active invoices of the
// agency for a month ('YYYY-MM-01'); billedEpf(db, agencyId, month) — per resource, the EPF wage billed
// (EPF_ER lines' base); billedEsic(db, agencyId, month) — ESIC billed (employer + employee lines).
export { activeInvoiceCount, type BilledEpf, billedEpf, billedEsic } from './invoice.published.ts';
// For the payment module (issue 17 part 3, docs/PAYMENTS.md), so that it never names this module's tables.
// Relations to join in its own queries: billsSql() (bills), billPayeesSql() (each bill's payees),
// invoiceFactsSql() (invoice no, month, date, parties, coordinates, status), invoiceDetailsSql()
// (workers and net wages), invoiceWorkflowSql() (stage and step dates). billDeductionsOf(db, billId).
// In the payment's transaction: lockBill, setBillStatus (IFMIS status), insertBillEvent,
// advanceWorkflow (approved → billed, billed → paid), reopenWorkflow (paid → billed after a bank
// return), stampCredited / clearCredited (every worker whole / one short again after a bank
// return); invoiceEventByKey(db, userId, key): the event a user's idempotency key made.
export {
  advanceWorkflow,
  billDeductionsOf,
  billPayeesSql,
  billsSql,
  clearCredited,
  insertBillEvent,
  invoiceDetailsSql,
  invoiceFactsSql,
  invoiceWorkflowSql,
  lockBill,
  reopenWorkflow,
  setBillStatus,
  stampCredited,
} from './invoice.bill.published.ts';
export { eventByKey as invoiceEventByKey } from './invoice.workflow.repo.ts';
// The invoice's PDF as stored (the one whose SHA-256 the bill carries), for the caller's reach: the bill's JSON export attaches it.
export { invoicePdf } from './invoice.service.ts';
