import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';

export const auditPages: PageDef[] = [];
export const auditNav: NavItem[] = [];
