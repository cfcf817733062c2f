import { AREAS, FEATURES } from './lib/features.ts';
import type { NavItem } from './lib/nav.ts';

/**
 * The whole menu: area by area (lib/features.ts, AREAS), each area's features in their order; each
 * entry is shown only to roles that hold its permission.
 */
export const NAV: NavItem[] = AREAS.flatMap((area) =>
  // A feature that names no area is listed with administration (last), never left out.
  FEATURES.filter((f) => (f.area ?? 'admin') === area).flatMap((f) => f.nav.map((n) => ({ ...n, area }))),
);
