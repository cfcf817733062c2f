import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const ratesPages: PageDef[] = [
  {
    path: '/minimum-wages',
    component: lazyPage(
      () => import('./MinimumWagesPage.tsx'),
      (m) => m.MinimumWagesPage,
    ),
    permission: 'rates.read',
  },
  {
    path: '/statutory-heads',
    component: lazyPage(
      () => import('./HeadsPage.tsx'),
      (m) => m.HeadsPage,
    ),
    permission: 'rates.read',
  },
];

export const ratesNav: NavItem[] = [
  { to: '/minimum-wages', label: 'rates.nav.minimumWages', permission: 'rates.read' },
  { to: '/statutory-heads', label: 'rates.heads.nav', permission: 'rates.read' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 50. */
export const feature: WebFeature = { name: 'rates', order: 50, area: 'money', pages: ratesPages, nav: ratesNav };
