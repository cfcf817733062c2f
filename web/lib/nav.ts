import type { TPermission } from '../../shared/permissions.ts';

/** A menu entry: shown only to roles holding `permission`. `label` is a translation key. */
export type NavItem = { to: string; label: string; permission: TPermission; area?: string };

/**
 * The one menu entry that is current on `pathname`: the longest entry the path lies under, so
 * /resources/ghosts marks "Possible Ghost Workers" and not "Resources" as well, while a page under
 * an entry (/contracts/12) keeps that entry current.
 */
export function currentNavEntry(items: readonly { to: string }[], pathname: string): string | undefined {
  const under = (to: string) => pathname === to || pathname.startsWith(`${to}/`);
  return items.filter((n) => under(n.to)).sort((a, b) => b.to.length - a.to.length)[0]?.to;
}
