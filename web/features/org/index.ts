import type { WebFeature } from '../../lib/features.ts';
import { createElement } from 'react';
import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';
import { MasterPage } from './MasterPage.tsx';
import { MastersHome } from './MastersHome.tsx';
import { MASTER_CONFIGS } from './masters.ts';
import { StateSettingsPage } from './StateSettingsPage.tsx';

/** The organisation masters: readable by every `org.read` role, edited by Finance (`org.manage`). */
export const orgPages: PageDef[] = [
  { path: '/masters', component: MastersHome, permission: 'org.read' },
  { path: '/masters/state-settings', component: StateSettingsPage, permission: 'org.read' },
  ...MASTER_CONFIGS.map((cfg) => ({ path: `/masters/${cfg.path}`, component: () => createElement(MasterPage, { cfg }), permission: 'org.read' as const })),
];

export const orgNav: NavItem[] = [{ to: '/masters', label: 'org.nav', permission: 'org.read' }];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 60. */
export const feature: WebFeature = { name: 'org', order: 60, pages: orgPages, nav: orgNav };
