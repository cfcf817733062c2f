import type { ServerModule } from '../../platform/module.ts';
import { seedResourceDemo } from './resource.demo.ts';
import { resourceAccess } from './resource.policy.ts';
import { resourceRoutes } from './resource.routes.ts';
import * as tables from './resource.table.ts';

/** The resource module's manifest (see ServerModule); listed in server/modules/registry.ts. */
export const resourceModule: ServerModule = {
  name: 'resource',
  routes: resourceRoutes,
  tables,
  access: [resourceAccess],
  seedDemo: (tx, { files, now }) => seedResourceDemo(tx, files, now),
};
