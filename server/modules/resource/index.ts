// Resources — outsourced workers (spec 04): what other modules may use.
// deployedCounts(db, keys): approved, not relieved resources per (office, skill level, post name)
//   key `office:skill:post` — the sanction's "deployed" (covered / deployed / vacant).
export { deployedCounts } from './resource.deployed.ts';
export { resourceRoutes } from './resource.routes.ts';
