// Sanction orders and posts: what other modules may use.
// getCapacity(db, filters, actor): sanctioned (locked orders only) / covered / deployed / vacant per
// (office, skill level, post name) in the actor's scope — contracts and resources read it.
export { getCapacity } from './sanction.service.ts';
export { sanctionRoutes } from './sanction.routes.ts';
export { sanctionOrders, sanctionPostOffices, sanctionPosts } from './sanction.table.ts';
// sanctionedFor(db, keys): posts sanctioned by locked orders per key; coveredFor(db, keys, onDate?): positions of active contracts.
export { capKey, sanctionedFor } from './sanction.repo.ts';
export { coveredFor } from './sanction.service.ts';
