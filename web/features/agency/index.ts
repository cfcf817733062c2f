import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const agencyPages: PageDef[] = [
  {
    path: '/agency-signup',
    component: lazyPage(
      () => import('./SignupPage.tsx'),
      (m) => m.SignupPage,
    ),
    permission: 'public',
  },
  {
    path: '/agencies',
    component: lazyPage(
      () => import('./AgenciesPage.tsx'),
      (m) => m.AgenciesPage,
    ),
    permission: 'agency.read',
  },
  {
    path: '/agencies/new',
    component: lazyPage(
      () => import('./RegisterAgencyPage.tsx'),
      (m) => m.RegisterAgencyPage,
    ),
    permission: 'agency.register',
  },
  {
    path: '/agencies/$id',
    component: lazyPage(
      () => import('./AgencyPage.tsx'),
      (m) => m.AgencyPage,
    ),
    permission: 'agency.read',
  },
  {
    path: '/my-agency',
    component: lazyPage(
      () => import('./AgencyPage.tsx'),
      (m) => m.MyAgencyPage,
    ),
    permission: 'agency.self',
  },
  {
    path: '/my-agency/operators',
    component: lazyPage(
      () => import('./OperatorsPage.tsx'),
      (m) => m.OperatorsPage,
    ),
    permission: 'agency.self',
  },
];

export const agencyNav: NavItem[] = [
  { to: '/agencies', label: 'agency.nav.list', permission: 'agency.read' },
  { to: '/my-agency', label: 'agency.nav.mine', permission: 'agency.self' },
  { to: '/my-agency/operators', label: 'agency.nav.operators', permission: 'agency.self' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 30. */
export const feature: WebFeature = { name: 'agency', order: 30, area: 'orders', pages: agencyPages, nav: agencyNav };
