import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';
import { OfficeUsersPage } from './OfficeUsersPage.tsx';

export const usersPages: PageDef[] = [{ path: '/office-users', component: OfficeUsersPage, permission: 'users.manage' }];
export const usersNav: NavItem[] = [{ to: '/office-users', label: 'users.nav', permission: 'users.manage' }];
