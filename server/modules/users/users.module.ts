import type { ServerModule } from '../../platform/module.ts';
import { usersRoutes } from './users.routes.ts';

/**
 * The users module's manifest (see ServerModule); listed in server/modules/registry.ts. Its
 * tables (users, role assignments, sessions) are the identity platform's (platform/auth), which
 * login needs before any module; the users module is the only one that writes them besides login.
 */
export const usersModule: ServerModule = {
  name: 'users',
  routes: usersRoutes,
  tables: {},
};
