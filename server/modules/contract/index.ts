// Contracts / work orders (spec 03): what other modules may use.
// runDailyAlerts(db, now): expire contracts past their end date, "ending in 30/60/90 days" alerts
//   to both sides, and the agency licence alerts; dailyAlertsJob runs it once per 6-hour slot across instances.
export { dailyAlertsJob, runDailyAlerts } from './contract.alerts.ts';
export { contractRoutes } from './contract.routes.ts';
export { seedContractDemo } from './contract.demo.ts';
// coveredFor(db, keys, onDate?): per (office, skill level, post name) key, the most positions the
//   in-force versions of active contracts cover at one time from that date on (sanction's capacity).
export { type CapacityKey, coveredFor } from './contract.coverage.ts';
