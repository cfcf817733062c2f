// Sanction orders and posts: what other modules may use (the capacity function arrives here).
export { sanctionRoutes } from './sanction.routes.ts';
