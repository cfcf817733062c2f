import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const contractPages: PageDef[] = [
  {
    path: '/contracts',
    component: lazyPage(
      () => import('./ContractsPage.tsx'),
      (m) => m.ContractsPage,
    ),
    permission: 'contract.read',
  },
  {
    path: '/contracts/new',
    component: lazyPage(
      () => import('./ContractForm.tsx'),
      (m) => m.RegisterContractPage,
    ),
    permission: 'contract.manage',
  },
  {
    path: '/contract-registration',
    component: lazyPage(
      () => import('./LegacyDashboardPage.tsx'),
      (m) => m.LegacyDashboardPage,
    ),
    permission: 'contract.read',
  },
  {
    path: '/contracts/$id',
    component: lazyPage(
      () => import('./ContractPage.tsx'),
      (m) => m.ContractPage,
    ),
    permission: 'contract.read',
  },
  {
    path: '/contracts/$id/versions/new',
    component: lazyPage(
      () => import('./ContractPage.tsx'),
      (m) => m.NewVersionPage,
    ),
    permission: 'contract.manage',
  },
];

export const contractNav: NavItem[] = [
  { to: '/contracts', label: 'contract.nav.contracts', permission: 'contract.read' },
  { to: '/contract-registration', label: 'contract.nav.legacy', permission: 'contract.read' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 40. */
export const feature: WebFeature = { name: 'contract', order: 40, area: 'orders', pages: contractPages, nav: contractNav };
