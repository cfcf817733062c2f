import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

// Pages load on first visit (bar W3): only paths and menus are in the first bundle.
const ResourcesPage = lazyPage(
  () => import('./ResourcesPage.tsx'),
  (m) => m.ResourcesPage,
);
const AddResourcePage = lazyPage(
  () => import('./ResourceForm.tsx'),
  (m) => m.AddResourcePage,
);
const EditResourcePage = lazyPage(
  () => import('./ResourceForm.tsx'),
  (m) => m.EditResourcePage,
);
const BulkAddPage = lazyPage(
  () => import('./BulkAddPage.tsx'),
  (m) => m.BulkAddPage,
);
const GhostsPage = lazyPage(
  () => import('./GhostsPage.tsx'),
  (m) => m.GhostsPage,
);
const EsicOverduePage = lazyPage(
  () => import('./EsicOverduePage.tsx'),
  (m) => m.EsicOverduePage,
);
const ResourcePage = lazyPage(
  () => import('./ResourcePage.tsx'),
  (m) => m.ResourcePage,
);

export const resourcePages: PageDef[] = [
  { path: '/resources', component: ResourcesPage, permission: 'resource.read' },
  { path: '/resources/new', component: AddResourcePage, permission: 'resource.edit' },
  { path: '/resources/bulk', component: BulkAddPage, permission: 'resource.edit' },
  { path: '/resources/ghosts', component: GhostsPage, permission: 'resource.ghosts' },
  { path: '/resources/esic-overdue', component: EsicOverduePage, permission: 'resource.events' },
  { path: '/resources/$id', component: ResourcePage, permission: 'resource.read' },
  { path: '/resources/$id/edit', component: EditResourcePage, permission: 'resource.edit' },
];

export const resourceNav: NavItem[] = [
  { to: '/resources', label: 'resource.nav.resources', permission: 'resource.read' },
  { to: '/resources/ghosts', label: 'resource.nav.ghosts', permission: 'resource.ghosts' },
  { to: '/resources/esic-overdue', label: 'resource.nav.esicOverdue', permission: 'resource.events' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 45 (after contracts). */
export const feature: WebFeature = { name: 'resource', order: 45, area: 'workers', pages: resourcePages, nav: resourceNav };
