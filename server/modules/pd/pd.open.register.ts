import type { TApplication } from '../../../shared/contracts/pd-open.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { sha256 } from '../../platform/auth/tokens.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import { createUserWithAssignment, mobileRegistered, temporaryPassword, usernameTaken } from '../users/index.ts';
import { rowOut, STEP_UP_KEYS, translateDb } from './pd.open.ts';
import { pdProposalRowAccess } from './pd.open.policy.ts';
import * as repo from './pd.open.repo.ts';

/**
 * The treasury's side of a PD account's opening (issue 18 item 1; seed 004 annexure para
 * 1(a)(5)–(8); docs/PD.md "Opening"): the worklist of applications the departments sent, the
 * registration that creates the account, its lines and the administrator's login, and the guard
 * every withdrawal calls until that login's first password is changed. The proposal's way to the
 * application (draft → HOD → Finance → applied) is pd.open.ts.
 */

function applicationOut(r: repo.RowRow & { proposal: repo.ProposalRow }, lines: repo.LineRow[]): TApplication {
  return {
    ...rowOut(r, lines, false),
    proposalId: r.proposalId,
    departmentEn: r.proposal.departmentEn,
    departmentHi: r.proposal.departmentHi,
    source: r.proposal.source,
    sanctionNo: r.proposal.sanctionNo,
    sanctionDate: r.proposal.sanctionDate,
  };
}

/** The treasury officer's worklist: applications at its treasury awaiting registration (or registered). */
export async function listApplications(db: Db, ctx: Ctx, registered: boolean): Promise<{ items: TApplication[] }> {
  const rows = await repo.listApplications(db, await reachOf(db, actorOf(ctx)), registered);
  const lines = await repo.linesOf(
    db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => applicationOut(r, lines)) };
}

async function applicationInScope(db: DbOrTx, ctx: Ctx, rowId: number) {
  await requireRecord(db, actorOf(ctx), pdProposalRowAccess, rowId);
  const r = await repo.getRow(db, rowId);
  if (!r) throw new AppError('not_found');
  const p = await repo.getProposal(db, r.proposalId);
  if (!p) throw new AppError('not_found');
  return { row: r, proposal: p };
}

/**
 * The refusal when the administrator's mobile already has a login: if this very row was
 * registered meanwhile (a second click or a second tab — the first registration made that login),
 * the row is already registered, not the mobile taken by someone else. Twenty identical requests
 * on PostgreSQL showed it: a request that read the row before the first committed found the
 * first one's new login and told the officer to give another number (pd.races.test.ts).
 */
async function mobileTakenOr(db: DbOrTx, rowId: number): Promise<AppError> {
  const now = await repo.getRow(db, rowId);
  return new AppError(now?.accountId != null ? 'pd_open_already_registered' : 'pd_open_mobile_taken');
}

/**
 * The treasury officer registers an application (para 1(a)(5)–(6)): the PD account with its
 * lines (consolidated fund: the sanctioned budget lines; other money: the purposes), its number
 * generated under the treasury's lock, and — for a government institution — the administrator's
 * login: user id = the account number, role pd_admin scoped to this account only, a random first
 * password sent by SMS through the outbox (never shown, logged or audited) that must be changed
 * at first login and before any withdrawal. A non-government institution's account is registered
 * without a login (para 1(a)(8): it keeps the manual process). When the last row of the proposal
 * is registered, the proposal is registered.
 */
export async function registerApplication(db: Db, ctx: Ctx, rowId: number, otp: string | undefined): Promise<TApplication> {
  const actor = actorOf(ctx);
  const { row, proposal } = await applicationInScope(db, ctx, rowId);
  if (row.accountId !== null) throw new AppError('pd_open_already_registered');
  if (proposal.state !== 'applied') throw new AppError('pd_open_wrong_state');
  const withLogin = row.institution === 'government';
  if (withLogin && (await mobileRegistered(db, row.administratorMobile))) throw await mobileTakenOr(db, rowId);
  const key = STEP_UP_KEYS.register(rowId);
  await checkStepUp(db, ctx, otp, key);
  // Hash outside the transaction (it takes a while); the password itself leaves only by SMS.
  const password = withLogin ? temporaryPassword() : null;
  const passwordHash = password ? await hashPassword(password) : null;
  try {
    await db.transaction(async (tx) => {
      await consumeStepUp(tx, ctx, otp, key);
      // Lock order everywhere: the proposal, then the treasury (nextAccountNo).
      const p = await repo.getProposal(tx, proposal.id, true);
      if (p?.state !== 'applied') throw new AppError('pd_open_wrong_state');
      const accountNo = await repo.nextAccountNo(tx, row.treasuryId, (no) => usernameTaken(tx, no));
      const accountId = await repo.insertAccount(tx, {
        accountNo,
        source: proposal.source,
        treasuryId: row.treasuryId,
        departmentId: proposal.departmentId,
        nameEn: row.purpose,
        nameHi: row.purpose,
        administratorEn: `${row.administratorDesignation}, ${row.administratorOffice}`,
        administratorHi: `${row.administratorDesignation}, ${row.administratorOffice}`,
        createdAt: ctx.now,
      });
      const lines = await repo.linesOf(tx, [row.id]);
      const masters = new Map(
        (
          await repo.budgetLinesByIds(
            tx,
            lines.flatMap((l) => (l.budgetLineId === null ? [] : [l.budgetLineId])),
          )
        ).map((b) => [b.id, b]),
      );
      await repo.insertLines(
        tx,
        lines.map((l) => {
          const b = l.budgetLineId === null ? undefined : masters.get(l.budgetLineId);
          return { accountId, budgetLineId: l.budgetLineId, purposeEn: b?.schemeNameEn ?? l.purpose, purposeHi: b?.schemeNameHi ?? l.purpose };
        }),
      );
      let loginUserId: number | null = null;
      if (withLogin) {
        const { user } = await createUserWithAssignment(
          tx,
          ctx,
          { username: accountNo, name: row.administratorDesignation, mobile: row.administratorMobile, passwordHash: passwordHash!, mustChangePassword: true },
          { role: 'pd_admin', scopeKind: 'pd_account', scopeId: accountId, designation: row.administratorDesignation },
          { departmentId: proposal.departmentId },
        );
        loginUserId = user.id;
        await enqueueMessage(tx, {
          channel: 'sms',
          recipient: user.mobile,
          template: 'auth.sms.new_user',
          params: { username: user.username, password: password! },
          locale: user.locale,
        });
      }
      const marked = await repo.markRegistered(tx, row.id, {
        accountId,
        loginUserId,
        passwordIssuedAt: withLogin ? ctx.now : null,
        issuedPasswordDigest: passwordHash ? sha256(passwordHash) : null,
        registeredBy: actor.userId,
        registeredAt: ctx.now,
      });
      if (!marked) throw new AppError('pd_open_already_registered');
      await recordAudit(tx, ctx, {
        entity: 'pd_account',
        entityId: accountId,
        action: 'open',
        departmentId: proposal.departmentId,
        after: {
          accountNo,
          proposalId: proposal.id,
          rowId: row.id,
          treasuryId: row.treasuryId,
          source: proposal.source,
          lines: lines.length,
          login: withLogin ? accountNo : null,
        },
      });
      await recordAudit(tx, ctx, {
        entity: 'pd_proposal',
        entityId: proposal.id,
        action: 'register_row',
        departmentId: proposal.departmentId,
        after: { rowId: row.id, accountId, accountNo },
      });
      if ((await repo.unregisteredRows(tx, proposal.id)) === 0) {
        await repo.transition(tx, proposal.id, 'applied', { state: 'registered', updatedAt: ctx.now });
        await recordAudit(tx, ctx, {
          entity: 'pd_proposal',
          entityId: proposal.id,
          action: 'registered',
          departmentId: proposal.departmentId,
          before: { state: 'applied' },
          after: { state: 'registered' },
        });
      }
    });
  } catch (e) {
    if (isUniqueViolation(e) && pgConstraint(e) === 'users_mobile_uq') throw await mobileTakenOr(db, rowId);
    translateDb(e);
  }
  const after = await applicationInScope(db, ctx, rowId);
  const lines = await repo.linesOf(db, [rowId]);
  return applicationOut({ ...after.row, proposal: after.proposal }, lines);
}

/**
 * Refuses a withdrawal (an e-cheque, an advice's approval) by a PD administrator whose login
 * still has the password the treasury issued (seed 004 para 3(2): the password must be changed
 * at the first withdrawal). Other roles pass; call it first in every withdrawal use case.
 */
export async function assertMayWithdraw(db: DbOrTx, ctx: Ctx): Promise<void> {
  const actor = actorOf(ctx);
  if (actor.role !== 'pd_admin') return;
  if (await repo.passwordStillIssued(db, actor.userId)) throw new AppError('pd_password_not_changed');
}
