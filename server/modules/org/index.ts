// What other modules may use from the organisation masters. Keep these signatures stable.
export { getOfficePlace, searchOfficesInScope } from './org.repo.ts';
// officeAccess: offices for the access layer (alias `o`), for other modules' office lists and checks.
export { officeAccess } from './org.policy.ts';
export { orgRoutes } from './org.routes.ts';
// retirementAgeOf(db): the retirement age of resources Finance set in the state settings (default 62).
export { retirementAgeOf } from './org.service.ts';
// The one exception to "index files export functions and types, not tables": the organisation
// masters (departments, HODs, offices, districts, treasuries, DDO codes, budget lines and their
// maps, skill levels, post names) are read-only reference data every module joins to. Other
// modules may read them here; only this module writes them (org.service, with its audit).
export { departments, hods, offices, districts, treasuries, ddoCodes, skillLevels, postNames } from './org.table.ts';
export { budgetLineMap, budgetLines, ddoOfficeMap } from './org.table.ts';
