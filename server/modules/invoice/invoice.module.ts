import type { ServerModule } from '../../platform/module.ts';

/**
 * The invoice module's manifest (spec 06): invoices computed by the engine in
 * shared/domain/invoice-engine.ts from finalised attendance, their PDF and public verification.
 * Tables, routes and demo data arrive with the module's first slice.
 */
export const invoiceModule: ServerModule = {
  name: 'invoice',
  tables: {},
};
