// Resources — outsourced workers (spec 04): what other modules may use.
// deployedCounts(db, keys): approved, not relieved resources per (office, skill level, post name)
//   key `office:skill:post` — the sanction's "deployed" (covered / deployed / vacant).
export { deployedCounts } from './resource.deployed.ts';
// deploymentsSql(): resources as a relation (id, names, agency_id, office_id, post_name_id,
//   joining_date, relieved_on, status, contract_id, skill_level_id, aadhaar_last4, uan) to join in another
//   module's query (attendance's roster, invoices, the statutory proof).
export { deploymentsSql } from './resource.published.ts';
// bankAccountsOf(db, ids): each resource's bank account and IFSC in force (direct-payment bills).
export { bankAccountsOf } from './resource.published.ts';
export { resourceRoutes } from './resource.routes.ts';
