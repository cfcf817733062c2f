import type { ServerModule } from '../../platform/module.ts';
import { seedPdDemo } from './pd.demo.ts';
import { pdAccountAccess } from './pd.policy.ts';
import { pdRoutes } from './pd.routes.ts';
import * as tables from './pd.table.ts';

/** Treasury personal-deposit accounts (spec 08, issue 18); listed in server/modules/registry.ts. */
export const pdModule: ServerModule = {
  name: 'pd',
  routes: (deps) => pdRoutes(deps),
  tables,
  access: [pdAccountAccess],
  seedDemo: (tx, { now }) => seedPdDemo(tx, now),
};
