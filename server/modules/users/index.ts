// Office users (manual section 7).
export { usersRoutes } from './users.routes.ts';
// Credentials for users other modules create (agencies): a login id and a temporary password.
export { newUsername, temporaryPassword } from './users.service.ts';
