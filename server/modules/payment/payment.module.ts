import type { ServerModule } from '../../platform/module.ts';
import { seedPaymentDemo } from './payment.demo.ts';
import { seedInchargeDdoDemo } from './payment.ddo.demo.ts';
import { billAccess, creditInvoiceAccess } from './payment.policy.ts';
import { paymentRoutes } from './payment.routes.ts';
import * as tables from './payment.table.ts';

/**
 * Bills to IFMIS, payments, worker credits and pay-date tracking (spec 06, issue 17;
 * docs/PAYMENTS.md). Listed in server/modules/registry.ts after invoice.
 */
export const paymentModule: ServerModule = {
  name: 'payment',
  routes: (deps, opts) => paymentRoutes(deps, opts),
  tables,
  access: [billAccess, creditInvoiceAccess],
  seedDemo: async (tx, { now }) => {
    await seedPaymentDemo(tx, now);
    await seedInchargeDdoDemo(tx);
  },
};
