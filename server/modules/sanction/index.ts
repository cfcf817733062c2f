// Sanction orders and posts: what other modules may use.
// getCapacity(db, filters, actor): sanctioned (locked orders only) / covered / deployed / vacant per
// (office, skill level, post name) in the actor's scope — contracts and resources read it.
export { getCapacity } from './sanction.service.ts';
export { sanctionRoutes } from './sanction.routes.ts';
// sanctionedFor(db, keys): posts sanctioned by locked orders per (office, skill level, post name) key;
// capKey(officeId, skillLevelId, postNameId): the key. (Coverage by contracts is the contract module's.)
export { capKey, sanctionedFor } from './sanction.repo.ts';
// provideCapacityCounts({ covered, deployed }): the registry wires what contracts cover and resources
//   deploy (sanction.seams.ts: those modules read the sanction, so it cannot import them).
export { type CapacityProviders, type CountsByKey, provideCapacityCounts } from './sanction.seams.ts';
