import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  ZChangePasswordBody,
  ZEmailBody,
  ZForgotBody,
  ZForgotReply,
  ZLocaleBody,
  ZLoginBody,
  ZMe,
  ZProfile,
  ZResetBody,
  ZStepUpReply,
  ZSwitchBody,
  type TAssignment,
} from '../../../shared/contracts/auth.ts';
import { ZIdParam, ZOk } from '../../../shared/contracts/common.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { AppError } from '../errors.ts';
import { clearSessionCookies, ctxOf, type HttpDeps, LANG_COOKIE, SESSION_COOKIE, setSessionCookies, whoOf } from '../http/http.ts';
import { recordSecurityEvent } from '../security/security.service.ts';
import * as repo from './auth.repo.ts';
import * as auth from './auth.service.ts';
import { requestStepUp } from './step-up.ts';

type AssignmentRow = Awaited<ReturnType<typeof repo.listAssignments>>[number];
function toAssignment(a: AssignmentRow): TAssignment {
  return {
    id: a.id,
    role: a.role as TAssignment['role'],
    scopeKind: a.scopeKind as TAssignment['scopeKind'],
    scopeId: a.scopeId,
    officeId: a.officeId,
    officeNameEn: a.officeNameEn,
    officeNameHi: a.officeNameHi,
    scopeNameEn: a.scopeNameEn,
    scopeNameHi: a.scopeNameHi,
    designation: a.designation,
    officialEmail: a.officialEmail,
    emailUpdatedAt: a.emailUpdatedAt ? a.emailUpdatedAt.toISOString() : null,
    addedAt: a.addedAt.toISOString(),
    addedByName: a.addedByName,
  };
}

export const authRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['auth'];

    app.post(
      '/api/v1/auth/login',
      {
        config: { permission: 'public' },
        schema: { tags, body: ZLoginBody, response: { 200: ZMe } },
      },
      async (req, reply) => {
        const r = await auth.login(deps.db, ctxOf(req, deps), {
          ...req.body,
          previousToken: req.cookies[SESSION_COOKIE],
          failuresPerMinute: deps.loginFailuresPerMinute ?? 0,
          userAgent: req.headers['user-agent'] ?? '',
        });
        setSessionCookies(reply, deps, r.token, r.csrfToken);
        const session = await auth.resolveSession(deps.db, r.token, deps.now());
        if (!session) throw new AppError('internal');
        return meOf(session);
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        config: { permission: 'session' },
        schema: { tags, response: { 200: ZOk } },
      },
      async (req, reply) => {
        await auth.logout(deps.db, ctxOf(req, deps), req.session!);
        clearSessionCookies(reply, deps);
        return { ok: true as const };
      },
    );

    app.get(
      '/api/v1/auth/me',
      {
        config: { permission: 'session' },
        schema: { tags, response: { 200: ZMe } },
      },
      async (req) => meOf(req.session!),
    );

    app.post(
      '/api/v1/auth/switch',
      {
        config: { permission: 'session' },
        schema: { tags, body: ZSwitchBody, response: { 200: ZMe } },
      },
      async (req) => {
        if (req.session!.mustChangePassword) throw new AppError('password_change_required');
        await auth.switchAssignment(deps.db, ctxOf(req, deps), req.session!, req.body.assignmentId);
        const s = await auth.resolveSession(deps.db, req.cookies[SESSION_COOKIE]!, deps.now());
        // Ended meanwhile (a logout or a password change in another tab): said, not a 500.
        if (!s) throw new AppError('session_expired');
        return meOf(s);
      },
    );

    app.post(
      '/api/v1/auth/change-password',
      {
        config: { permission: 'session' },
        schema: { tags, body: ZChangePasswordBody, response: { 200: ZMe } },
      },
      async (req, reply) => {
        const r = await auth.changePassword(deps.db, ctxOf(req, deps), req.session!, { ...req.body, userAgent: req.headers['user-agent'] ?? '' });
        setSessionCookies(reply, deps, r.token, r.csrfToken);
        const s = await auth.resolveSession(deps.db, r.token, deps.now());
        if (!s) throw new AppError('session_expired');
        return meOf(s);
      },
    );

    // The second factor before a money action (bar A5): a code by SMS to the registered mobile, bound to this login.
    app.post('/api/v1/auth/step-up', { config: { permission: 'session' }, schema: { tags, response: { 200: ZStepUpReply } } }, async (req) =>
      requestStepUp(deps.db, ctxOf(req, deps)),
    );

    app.post(
      '/api/v1/auth/forgot',
      {
        config: { permission: 'public' },
        schema: { tags, body: ZForgotBody, response: { 202: ZForgotReply } },
      },
      async (req, reply) => {
        const r = await auth.requestPasswordReset(deps.db, ctxOf(req, deps), req.body.username);
        // The answer is the same either way; the security log records a request for a user id
        // that does not exist or is not active (an enumeration attempt or a mistyped id).
        const user = await repo.findUserByUsername(deps.db, req.body.username);
        if (!user || user.status !== 'active') {
          await recordSecurityEvent(deps.db, {
            ...(await whoOf(deps, req)),
            status: 202,
            code: user ? 'password_reset_inactive_user' : 'password_reset_unknown_user',
            details: { username: req.body.username.slice(0, 64) },
          });
        }
        return reply.code(202).send(r);
      },
    );

    app.post(
      '/api/v1/auth/reset',
      {
        config: { permission: 'public' },
        schema: { tags, body: ZResetBody, response: { 200: ZOk } },
      },
      async (req) => {
        await auth.resetPassword(deps.db, ctxOf(req, deps), req.body);
        return { ok: true as const };
      },
    );

    app.put(
      '/api/v1/auth/locale',
      {
        config: { permission: 'session' },
        schema: { tags, body: ZLocaleBody, response: { 200: ZOk } },
      },
      async (req, reply) => {
        // Logged when the language changed: the same language again (a double click, two tabs) is no event.
        if (await auth.setLocale(deps.db, ctxOf(req, deps), req.session!, req.body.locale))
          await recordSecurityEvent(deps.db, { ...(await whoOf(deps, req)), status: 200, code: 'locale_changed', details: { locale: req.body.locale } });
        reply.setCookie(LANG_COOKIE, req.body.locale, { path: '/', sameSite: 'strict', secure: deps.cookieSecure, maxAge: 365 * 86400 });
        return { ok: true as const };
      },
    );

    app.get(
      '/api/v1/profile',
      {
        config: { permission: 'session' },
        schema: { tags, response: { 200: ZProfile } },
      },
      async (req) => {
        const user = await repo.findUserById(deps.db, req.session!.userId);
        if (!user) throw new AppError('unauthenticated');
        const assignments = await repo.listAssignments(deps.db, user.id);
        return { name: user.name, username: user.username, mobile: user.mobile, employeeId: user.employeeId, assignments: assignments.map(toAssignment) };
      },
    );

    app.put(
      '/api/v1/profile/assignments/:id/email',
      {
        config: { permission: 'profile.edit' },
        schema: { tags, params: ZIdParam, body: ZEmailBody, response: { 200: ZOk } },
      },
      async (req) => {
        const ctx = ctxOf(req, deps);
        await deps.db.transaction(async (tx) => {
          // Locked, then compared: the same address saved twice at once is written and audited once.
          const a = await repo.findAssignment(tx, req.params.id, true);
          // Only one's own assignments; someone else's looks like a missing one.
          if (!a || a.userId !== req.session!.userId || !a.active) throw new AppError('not_found');
          if (a.officialEmail === req.body.officialEmail) return;
          await repo.setAssignmentEmail(tx, a.id, req.body.officialEmail, ctx.now);
          await recordAudit(tx, ctx, {
            entity: 'role_assignment',
            entityId: a.id,
            action: 'email_updated',
            before: { officialEmail: a.officialEmail },
            after: { officialEmail: req.body.officialEmail },
          });
        });
        return { ok: true as const };
      },
    );

    async function meOf(s: auth.LoadedSession): Promise<z.infer<typeof ZMe>> {
      const user = await repo.findUserById(deps.db, s.userId);
      const assignments = await repo.listAssignments(deps.db, s.userId);
      return {
        user: { id: s.userId, username: s.username, name: s.userName, mobileMasked: `XXXXXX${(user?.mobile ?? '').slice(-4)}`, locale: s.locale },
        mustChangePassword: s.mustChangePassword,
        assignments: assignments.map(toAssignment),
        activeAssignmentId: s.actor?.assignmentId ?? null,
        csrfToken: s.csrfToken,
      };
    }
  };
