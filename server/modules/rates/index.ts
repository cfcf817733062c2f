// Minimum wages: what other modules may use (contracts check wages; invoices later compute arrears).
// minimumWageOn(db, skillLevelId, isoDate): the row in force on a date, or null.
// minimumWagesOverlapping(db, skillLevelIds, from, to): every row applying on some day of the period.
export { type MinimumWage, minimumWageOn, minimumWagesOverlapping } from './rates.service.ts';
// minimumAboveSql({ skillLevelId, wagePaise, from, to }): SQL, true when a minimum wage applying on
//   some day of the period is above the wage — for the contract list's "below minimum wage" flag.
export { minimumAboveSql } from './rates.repo.ts';
export { ratesRoutes } from './rates.routes.ts';
export { seedRatesDemo } from './rates.demo.ts';
// headsInForce(db, isoDate): the statutory heads in force on a date (the invoice engine's input).
// wageDefinitionOn(db, isoDate): what counts as wages for EPF / ESIC on a date.
export { headsInForce, wageDefinitionOn } from './rates.heads.ts';
// ratesKnownOn(db, isoDate, knownAt | null, skillLevelIds): heads, wage definition and minimum wages
//   in force on a date as recorded by a moment; rateRowsSql(): every rate row with its dates (arrears
//   from late rate revisions).
export { ratesKnownOn, rateRowsSql } from './rates.heads.ts';
