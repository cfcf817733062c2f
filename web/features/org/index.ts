import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';

export const orgPages: PageDef[] = [];
export const orgNav: NavItem[] = [];
