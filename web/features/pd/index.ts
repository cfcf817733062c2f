import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const pdPages: PageDef[] = [
  {
    path: '/pd/accounts',
    component: lazyPage(
      () => import('./PdAccountsPage.tsx'),
      (m) => m.PdAccountsPage,
    ),
    permission: 'pd.read',
  },
  {
    path: '/pd/accounts/$id',
    component: lazyPage(
      () => import('./PdAccountPage.tsx'),
      (m) => m.PdAccountPage,
    ),
    permission: 'pd.read',
  },
  {
    path: '/pd/worklist',
    component: lazyPage(
      () => import('./WorklistPage.tsx'),
      (m) => m.WorklistPage,
    ),
    permission: 'pd.pass',
  },
  {
    path: '/pd/treasury-reports',
    component: lazyPage(
      () => import('./TreasuryReportsPage.tsx'),
      (m) => m.TreasuryReportsPage,
    ),
    permission: 'pd.treasury_report',
  },
  {
    path: '/pd/efiles',
    component: lazyPage(
      () => import('./EfilesPage.tsx'),
      (m) => m.EfilesPage,
    ),
    permission: 'pd.pass',
  },
  {
    path: '/pd/year-end',
    component: lazyPage(
      () => import('./YearEndPage.tsx'),
      (m) => m.YearEndPage,
    ),
    permission: 'pd.reports',
  },
  {
    path: '/pd/reports',
    component: lazyPage(
      () => import('./PdReportsPage.tsx'),
      (m) => m.PdReportsPage,
    ),
    permission: 'pd.reports',
  },
  {
    path: '/pd/opening',
    component: lazyPage(
      () => import('./OpeningPage.tsx'),
      (m) => m.OpeningPage,
    ),
    permission: 'pd.open.read',
  },
];

export const pdNav: NavItem[] = [
  { to: '/pd/accounts', label: 'pd.nav.accounts', permission: 'pd.read' },
  { to: '/pd/worklist', label: 'pd.nav.worklist', permission: 'pd.pass' },
  { to: '/pd/treasury-reports', label: 'pd-rep.nav.treasuryReports', permission: 'pd.treasury_report' },
  { to: '/pd/efiles', label: 'pd-efile.nav', permission: 'pd.pass' },
  { to: '/pd/year-end', label: 'pd-year.nav.yearEnd', permission: 'pd.reports' },
  { to: '/pd/reports', label: 'pd-year.nav.reports', permission: 'pd.reports' },
  { to: '/pd/opening', label: 'pd-open.nav', permission: 'pd.open.read' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 70. */
export const feature: WebFeature = { name: 'pd', order: 70, area: 'pd', pages: pdPages, nav: pdNav };
