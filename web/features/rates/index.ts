import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';
import { MinimumWagesPage } from './MinimumWagesPage.tsx';

export const ratesPages: PageDef[] = [{ path: '/minimum-wages', component: MinimumWagesPage, permission: 'rates.read' }];

export const ratesNav: NavItem[] = [{ to: '/minimum-wages', label: 'rates.nav.minimumWages', permission: 'rates.read' }];
