import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';

export const sanctionPages: PageDef[] = [];
export const sanctionNav: NavItem[] = [];
