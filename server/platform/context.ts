import type { TRole, TScopeKind } from '../../shared/roles.ts';
import { AppError } from './errors.ts';
import type { TLocale } from '../../shared/locales/index.ts';

/** Who is acting: the logged-in user in one role assignment (a role in a scope). */
export type Actor = {
  userId: number;
  name: string;
  assignmentId: number;
  role: TRole;
  scopeKind: TScopeKind;
  scopeId: number;
};

/** What every service call receives besides its input: the actor, where from, and the clock. */
export type Ctx = {
  actor: Actor | null;
  ip: string;
  locale: TLocale;
  now: Date;
};

/** The office-tree coordinates of a record, for scope checks. */
export type OrgPlace = { departmentId: number; hodId: number; officeId: number };

/**
 * Does the actor's scope cover this place in the office tree?
 * @deprecated Use the access layer (platform/access/access.ts): `requireAccess(await reachOf(db, actor), 'office', place)`
 * or `mayAccess`. Still used by the contract module until it moves; remove then. (The access layer
 * also places a DDO scope at its own office; this function does not.)
 */
export function scopeCovers(actor: Pick<Actor, 'scopeKind' | 'scopeId'>, place: OrgPlace): boolean {
  switch (actor.scopeKind) {
    case 'state':
      return true;
    case 'department':
      return place.departmentId === actor.scopeId;
    case 'hod':
      return place.hodId === actor.scopeId;
    case 'office':
      return place.officeId === actor.scopeId;
    default:
      return false;
  }
}

/** The logged-in actor of a service call; a call without one is refused (routes declare a permission, so this is a second lock). */
export function actorOf(ctx: Pick<Ctx, 'actor'>): Actor {
  if (!ctx.actor) throw new AppError('forbidden');
  return ctx.actor;
}
