import type { ServerModule } from '../../platform/module.ts';
import { sanctionOrderAccess } from './sanction.policy.ts';
import { seedSanctionDemo } from './sanction.demo.ts';
import { sanctionRoutes } from './sanction.routes.ts';
import * as tables from './sanction.table.ts';

/** The sanction module's manifest (see ServerModule); listed in server/modules/registry.ts. */
export const sanctionModule: ServerModule = {
  name: 'sanction',
  routes: sanctionRoutes,
  tables,
  access: [sanctionOrderAccess],
  seedDemo: (tx, { files, now }) => seedSanctionDemo(tx, files, now),
};
