import type { ServerModule } from '../../platform/module.ts';
import { agencyAccess, agencyOversight } from './agency.policy.ts';
import { seedAgencyDemo } from './agency.demo.ts';
import { agencyRoutes } from './agency.routes.ts';
import * as tables from './agency.table.ts';

/** The agency module's manifest (see ServerModule); listed in server/modules/registry.ts. */
export const agencyModule: ServerModule = {
  name: 'agency',
  routes: agencyRoutes,
  tables,
  access: [agencyAccess, agencyOversight],
  seedDemo: (tx, { now }) => seedAgencyDemo(tx, now),
};
