// What other modules may use from the organisation masters. Keep these signatures stable.
export { getOfficePlace, officeScopeCondition, searchOfficesInScope } from './org.repo.ts';
export { orgRoutes } from './org.routes.ts';
export { departments, hods, offices, districts, treasuries, ddoCodes, skillLevels, postNames } from './org.table.ts';
export { budgetLineMap, budgetLines, ddoOfficeMap } from './org.table.ts';
