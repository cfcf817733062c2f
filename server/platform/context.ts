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
  /** The login (session id hash), when the call comes from one: a second-factor code is bound to it. */
  sessionId?: string;
};

/** The logged-in actor of a service call; a call without one is refused (routes declare a permission, so this is a second lock). */
export function actorOf(ctx: Pick<Ctx, 'actor'>): Actor {
  if (!ctx.actor) throw new AppError('forbidden');
  return ctx.actor;
}
