import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const auditPages: PageDef[] = [
  {
    path: '/audit',
    component: lazyPage(
      () => import('./AuditPage.tsx'),
      (m) => m.AuditPage,
    ),
    permission: 'audit.read',
  },
  {
    path: '/security-log',
    component: lazyPage(
      () => import('./SecurityLogPage.tsx'),
      (m) => m.SecurityLogPage,
    ),
    permission: 'audit.read',
  },
];
export const auditNav: NavItem[] = [
  { to: '/audit', label: 'audit.nav', permission: 'audit.read' },
  { to: '/security-log', label: 'audit.security.nav', permission: 'audit.read' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 70. */
export const feature: WebFeature = { name: 'audit', order: 70, area: 'admin', pages: auditPages, nav: auditNav };
