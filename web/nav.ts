import { FEATURES } from './lib/features.ts';
import type { NavItem } from './lib/nav.ts';

/** The whole menu, from every feature in menu order; each entry is shown only to roles that hold its permission. */
export const NAV: NavItem[] = FEATURES.flatMap((f) => f.nav);
