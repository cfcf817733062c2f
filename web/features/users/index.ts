import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const usersPages: PageDef[] = [
  {
    path: '/office-users',
    component: lazyPage(
      () => import('./OfficeUsersPage.tsx'),
      (m) => m.OfficeUsersPage,
    ),
    permission: 'users.manage',
  },
];
export const usersNav: NavItem[] = [{ to: '/office-users', label: 'users.nav', permission: 'users.manage' }];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 10. */
export const feature: WebFeature = { name: 'users', order: 10, area: 'admin', pages: usersPages, nav: usersNav };
