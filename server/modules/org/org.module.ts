import type { ServerModule } from '../../platform/module.ts';
import { officeAccess } from './org.policy.ts';
import { orgRoutes } from './org.routes.ts';
import * as tables from './org.table.ts';

/** The org module's manifest (see ServerModule); listed in server/modules/registry.ts. */
export const orgModule: ServerModule = {
  name: 'org',
  routes: orgRoutes,
  tables,
  access: [officeAccess],
};
