// Invoices (spec 06): what other modules may use.
export { invoiceRoutes } from './invoice.routes.ts';
