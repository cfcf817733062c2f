// What other modules may use from the organisation masters.
export { orgRoutes } from './org.routes.ts';
