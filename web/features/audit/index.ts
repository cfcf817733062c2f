import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';
import { AuditPage } from './AuditPage.tsx';

export const auditPages: PageDef[] = [{ path: '/audit', component: AuditPage, permission: 'audit.read' }];
export const auditNav: NavItem[] = [{ to: '/audit', label: 'audit.nav', permission: 'audit.read' }];
