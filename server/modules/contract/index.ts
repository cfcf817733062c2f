// Contracts / work orders (spec 03): what other modules may use.
// runDailyAlerts(db, now): expire contracts past their end date, "ending in 30/60/90 days" alerts
//   to both sides, and the agency licence alerts; dailyAlertsJob runs it once per 6-hour slot across instances.
export { dailyAlertsJob, runDailyAlerts } from './contract.alerts.ts';
export { contractRoutes } from './contract.routes.ts';
export { seedContractDemo } from './contract.demo.ts';
// coveredFor(db, keys, onDate?): per (office, skill level, post name) key, the most positions the
//   in-force versions of active contracts cover at one time from that date on (sanction's capacity).
export { type CapacityKey, coveredFor } from './contract.coverage.ts';
// Read by other modules, which never name contract tables (contract.published.ts):
// contractPlace(db, id): a contract's parties, number, status and in-force period;
// activeContractsWhere(db, cond): active contracts in force meeting cond (over contractFactsSql's columns as c);
// contractFactsSql(): relation (id, agency_id, department_id, office_id, contract_no, status) to join;
// inForcePostsSql(): relation (contract_id, office_id, skill_level_id, post_name_id, positions) to join.
// contractInvoiceTerms(db, id): parties, in-force terms, DDO code and post wages (the invoice module).
// contractBillTerms(db, versionId): payment mode, the budget line charged and the estimated value (bills).
export {
  activeContractsWhere,
  type ContractBillTerms,
  contractBillTerms,
  type ContractInvoiceTerms,
  type ContractPlace,
  contractFactsSql,
  contractInvoiceTerms,
  contractsInvoiceTerms,
  contractPlace,
  inForcePostsSql,
} from './contract.published.ts';
