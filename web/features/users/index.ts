import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';
import { OfficeUsersPage } from './OfficeUsersPage.tsx';

export const usersPages: PageDef[] = [{ path: '/office-users', component: OfficeUsersPage, permission: 'users.manage' }];
export const usersNav: NavItem[] = [{ to: '/office-users', label: 'users.nav', permission: 'users.manage' }];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 10. */
export const feature: WebFeature = { name: 'users', order: 10, pages: usersPages, nav: usersNav };
