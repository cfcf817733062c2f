import type { TPermission } from '../../shared/permissions.ts';

/** A menu entry: shown only to roles holding `permission`. `label` is a translation key. */
export type NavItem = { to: string; label: string; permission: TPermission };
