import type { NavItem } from './nav.ts';
import type { PageDef } from './routes.ts';

/**
 * A feature of the web app (one per server module that has screens): its pages and menu
 * entries. Each `web/features/<name>/index.ts` exports one as `feature`; the app finds them by
 * convention — nothing else to edit to add a feature. `order` places its entries in the menu;
 * `name` is the module's name (and its catalog namespace).
 */
export type WebFeature = { name: string; order: number; area?: TArea; pages: PageDef[]; nav: NavItem[] };

/**
 * The areas of work the menu and the home page group entries by, in this order: what a department
 * sanctions and contracts, the workers and their attendance, the money that follows, the PD
 * accounts, and administration (users, masters, audit) last. Names: `common.areas.<area>`.
 */
export const AREAS = ['orders', 'workers', 'money', 'pd', 'admin'] as const;
export type TArea = (typeof AREAS)[number];

const found = import.meta.glob<WebFeature>('../features/*/index.ts', { eager: true, import: 'feature' });

/** Every feature, in menu order. */
export const FEATURES: WebFeature[] = Object.values(found)
  .filter((f): f is WebFeature => Boolean(f))
  .sort((a, b) => a.order - b.order);
