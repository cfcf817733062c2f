import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';
import { AgenciesPage } from './AgenciesPage.tsx';
import { AgencyPage, MyAgencyPage } from './AgencyPage.tsx';
import { OperatorsPage } from './OperatorsPage.tsx';
import { RegisterAgencyPage } from './RegisterAgencyPage.tsx';
import { SignupPage } from './SignupPage.tsx';

export const agencyPages: PageDef[] = [
  { path: '/agency-signup', component: SignupPage, permission: 'public' },
  { path: '/agencies', component: AgenciesPage, permission: 'agency.read' },
  { path: '/agencies/new', component: RegisterAgencyPage, permission: 'agency.register' },
  { path: '/agencies/$id', component: AgencyPage, permission: 'agency.read' },
  { path: '/my-agency', component: MyAgencyPage, permission: 'agency.self' },
  { path: '/my-agency/operators', component: OperatorsPage, permission: 'agency.self' },
];

export const agencyNav: NavItem[] = [
  { to: '/agencies', label: 'agency.nav.list', permission: 'agency.read' },
  { to: '/my-agency', label: 'agency.nav.mine', permission: 'agency.self' },
  { to: '/my-agency/operators', label: 'agency.nav.operators', permission: 'agency.self' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 30. */
export const feature: WebFeature = { name: 'agency', order: 30, pages: agencyPages, nav: agencyNav };
