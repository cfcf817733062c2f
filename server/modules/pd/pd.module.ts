import type { ServerModule } from '../../platform/module.ts';
import { seedPdAdvDemo } from './pd.adv.demo.ts';
import { pdadvRoutes } from './pd.adv.routes.ts';
import { seedPdDemo } from './pd.demo.ts';
import { pdEfileAccess } from './pd.efile.policy.ts';
import { pdefileRoutes } from './pd.efile.routes.ts';
import { seedPdEfileDemo } from './pd.efile.demo.ts';
import { pdAccountAccess } from './pd.policy.ts';
import { seedPdOpenDemo } from './pd.open.demo.ts';
import { pdProposalAccess, pdProposalRowAccess } from './pd.open.policy.ts';
import { pdopenRoutes } from './pd.open.routes.ts';
import { pdRoutes } from './pd.routes.ts';
import { seedPdRepDemo } from './pd.rep.demo.ts';
import { pdrepRoutes } from './pd.rep.routes.ts';
import { seedPdYearDemo } from './pd.year.demo.ts';
import { pdyearRoutes } from './pd.year.routes.ts';
import { yearEndJob } from './pd.year.ts';
import * as tables from './pd.table.ts';

/**
 * Treasury personal-deposit accounts (spec 08, issue 18); listed in server/modules/registry.ts.
 * Each piece of the PD chain (accounts and e-cheques; advices and vendors; e-file and bank
 * scroll; opening; year-end) is its own route plugin, demo step and, where it has one, job — one
 * line each below, in the order the chain runs (a later demo step builds on the earlier ones).
 */
export const pdModule: ServerModule = {
  name: 'pd',
  routes: (deps, opts) => async (app) => {
    await app.register(pdRoutes(deps));
    await app.register(pdrepRoutes(deps));
    await app.register(pdadvRoutes(deps, opts));
    await app.register(pdefileRoutes(deps));
    await app.register(pdopenRoutes(deps));
    await app.register(pdyearRoutes(deps));
  },
  tables,
  access: [pdAccountAccess, pdEfileAccess, pdProposalAccess, pdProposalRowAccess],
  jobs: [yearEndJob],
  seedDemo: async (tx, { files, now }) => {
    await seedPdDemo(tx, now);
    await seedPdRepDemo(tx, now);
    await seedPdAdvDemo(tx, files, now);
    await seedPdEfileDemo(tx, now);
    await seedPdOpenDemo(tx, now);
    await seedPdYearDemo(tx, now);
  },
};
