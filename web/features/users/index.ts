import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';

export const usersPages: PageDef[] = [];
export const usersNav: NavItem[] = [];
