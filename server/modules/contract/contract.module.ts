import type { ServerModule } from '../../platform/module.ts';
import { dailyAlertsJob } from './contract.alerts.ts';
import { contractAccess } from './contract.policy.ts';
import { seedContractDemo } from './contract.demo.ts';
import { contractRoutes } from './contract.routes.ts';
import * as tables from './contract.table.ts';

/** The contract module's manifest (see ServerModule); listed in server/modules/registry.ts. */
export const contractModule: ServerModule = {
  name: 'contract',
  routes: contractRoutes,
  tables,
  access: [contractAccess],
  seedDemo: (tx, { files, now }) => seedContractDemo(tx, files, now),
  // Contract expiry, the 30/60/90-day alerts and the agencies' licence alerts (every 6 h).
  jobs: [dailyAlertsJob],
};
