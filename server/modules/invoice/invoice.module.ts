import type { ServerModule } from '../../platform/module.ts';
import { seedInvoiceDemo } from './invoice.demo.ts';
import { invoiceAccess } from './invoice.policy.ts';
import { invoiceRoutes } from './invoice.routes.ts';
import * as tables from './invoice.table.ts';

/**
 * The invoice module's manifest (spec 06, issue 16): invoices computed by the engine in
 * shared/domain/invoice-engine.ts from finalised attendance, their PDF and public verification.
 */
export const invoiceModule: ServerModule = {
  name: 'invoice',
  routes: (deps, opts) => invoiceRoutes(deps, opts),
  tables,
  access: [invoiceAccess],
  seedDemo: (tx, { files, now }) => seedInvoiceDemo(tx, files, now),
};
