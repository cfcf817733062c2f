import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';
import { RegisterContractPage } from './ContractForm.tsx';
import { ContractPage, NewVersionPage } from './ContractPage.tsx';
import { ContractsPage } from './ContractsPage.tsx';
import { LegacyDashboardPage } from './LegacyDashboardPage.tsx';

export const contractPages: PageDef[] = [
  { path: '/contracts', component: ContractsPage, permission: 'contract.read' },
  { path: '/contracts/new', component: RegisterContractPage, permission: 'contract.manage' },
  { path: '/contract-registration', component: LegacyDashboardPage, permission: 'contract.read' },
  { path: '/contracts/$id', component: ContractPage, permission: 'contract.read' },
  { path: '/contracts/$id/versions/new', component: NewVersionPage, permission: 'contract.manage' },
];

export const contractNav: NavItem[] = [
  { to: '/contracts', label: 'contract.nav.contracts', permission: 'contract.read' },
  { to: '/contract-registration', label: 'contract.nav.legacy', permission: 'contract.read' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 40. */
export const feature: WebFeature = { name: 'contract', order: 40, pages: contractPages, nav: contractNav };
