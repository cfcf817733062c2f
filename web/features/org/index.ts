import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef, withProps } from '../../lib/routes.ts';
import { MASTER_CONFIGS } from './masters.ts';

const MasterPage = lazyPage(
  () => import('./MasterPage.tsx'),
  (m) => m.MasterPage,
);

/** The organisation masters: readable by every `org.read` role, edited by Finance (`org.manage`). */
export const orgPages: PageDef[] = [
  {
    path: '/masters',
    component: lazyPage(
      () => import('./MastersHome.tsx'),
      (m) => m.MastersHome,
    ),
    permission: 'org.read',
  },
  {
    path: '/masters/state-settings',
    component: lazyPage(
      () => import('./StateSettingsPage.tsx'),
      (m) => m.StateSettingsPage,
    ),
    permission: 'org.read',
  },
  ...MASTER_CONFIGS.map((cfg) => ({ path: `/masters/${cfg.path}`, component: withProps(MasterPage, { cfg }), permission: 'org.read' as const })),
];

export const orgNav: NavItem[] = [{ to: '/masters', label: 'org.nav', permission: 'org.read' }];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 60. */
export const feature: WebFeature = { name: 'org', order: 60, area: 'admin', pages: orgPages, nav: orgNav };
