import type { ServerModule } from '../../platform/module.ts';
import { seedRatesDemo } from './rates.demo.ts';
import { ratesRoutes } from './rates.routes.ts';
import * as tables from './rates.table.ts';

/** The rates module's manifest (see ServerModule); listed in server/modules/registry.ts. */
export const ratesModule: ServerModule = {
  name: 'rates',
  routes: ratesRoutes,
  tables,
  seedDemo: (tx, { now }) => seedRatesDemo(tx, now),
};
