// Office users (manual section 7).
export { usersRoutes } from './users.routes.ts';
