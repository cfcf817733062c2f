import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';
import { GhostsPage } from './GhostsPage.tsx';
import { AddResourcePage, EditResourcePage } from './ResourceForm.tsx';
import { ResourcePage } from './ResourcePage.tsx';
import { ResourcesPage } from './ResourcesPage.tsx';

export const resourcePages: PageDef[] = [
  { path: '/resources', component: ResourcesPage, permission: 'resource.read' },
  { path: '/resources/new', component: AddResourcePage, permission: 'resource.edit' },
  { path: '/resources/ghosts', component: GhostsPage, permission: 'resource.ghosts' },
  { path: '/resources/$id', component: ResourcePage, permission: 'resource.read' },
  { path: '/resources/$id/edit', component: EditResourcePage, permission: 'resource.edit' },
];

export const resourceNav: NavItem[] = [
  { to: '/resources', label: 'resource.nav.resources', permission: 'resource.read' },
  { to: '/resources/ghosts', label: 'resource.nav.ghosts', permission: 'resource.ghosts' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 45 (after contracts). */
export const feature: WebFeature = { name: 'resource', order: 45, pages: resourcePages, nav: resourceNav };
