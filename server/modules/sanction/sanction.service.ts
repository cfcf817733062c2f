// Sanction use cases, one concern a file; routes (and index.ts for getCapacity) use them through this one name.
export * from './sanction.queries.ts';
export * from './sanction.orders.ts';
export * from './sanction.posts.ts';
