import type { TPdProposalState, TProposal, TProposalIn, TProposalRow, TProposalSummary } from '../../../shared/contracts/pd-open.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { TErrorCode, TFieldError } from '../../../shared/errors.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { createOnce, idempotencyOf } from '../../platform/idempotency/idempotency.ts';
import { AppError, guardRefusal, pgConstraint, pgErrorCode } from '../../platform/errors.ts';
import { pdProposalAccess } from './pd.open.policy.ts';
import * as repo from './pd.open.repo.ts';

/**
 * The opening of a PD account (issue 18 item 1; seed 004 annexure para 1(a), form "प्रपत्र-अ";
 * docs/PD.md "Opening"). The administrative department's office admin makes the proposal
 * (draft → submitted); another office admin of that department placed at the HOD or the whole
 * department recommends it (the HOD's recommendation: never the maker); Finance sanctions it
 * (order number and date; every budget line / purpose is recorded in the sanction) or refuses it
 * with a reason; the department sends the administrator's application to the treasury (applied);
 * the treasury officer of each row's treasury registers the row: the PD account is created with
 * its lines, its number generated (PD + treasury code + serial), and — for a government
 * institution — the administrator's login (the account number) with a first password sent by SMS
 * that must be changed before the first withdrawal (`assertMayWithdraw`). Every transition is
 * one transaction with its audit entry; approvals by Finance and the treasury carry the second
 * factor (bar A5).
 */

export const STEP_UP_KEYS = {
  sanction: (id: number) => `pd-open-decision:${id}`,
  register: (rowId: number) => `pd-open-register:${rowId}`,
};

function maskMobile(m: string): string {
  return m ? `XXXXXX${m.slice(-4)}` : '';
}

export function rowOut(r: repo.RowRow, lines: repo.LineRow[], showMobile: boolean): TProposalRow {
  return {
    id: r.id,
    position: r.position,
    institution: r.institution,
    administratorDesignation: r.administratorDesignation,
    administratorOffice: r.administratorOffice,
    administratorMobile: showMobile ? r.administratorMobile : maskMobile(r.administratorMobile),
    treasuryId: r.treasuryId,
    treasuryEn: r.treasuryEn,
    treasuryHi: r.treasuryHi,
    purpose: r.purpose,
    items: r.items,
    validityDate: r.validityDate,
    remark: r.remark,
    lines: lines.filter((l) => l.rowId === r.id).map((l) => ({ id: l.id, budgetLineId: l.budgetLineId, head: l.head, purpose: l.purpose })),
    accountId: r.accountId,
    accountNo: r.accountNo,
    loginId: r.loginId,
    registeredAt: r.registeredAt ? r.registeredAt.toISOString() : null,
  };
}

function summaryOut(p: repo.ProposalRow, userId: number): TProposalSummary {
  return {
    id: p.id,
    departmentId: p.departmentId,
    departmentEn: p.departmentEn,
    departmentHi: p.departmentHi,
    hodDesignation: p.hodDesignation,
    source: p.source,
    state: p.state,
    sanctionNo: p.sanctionNo,
    sanctionDate: p.sanctionDate,
    refusalReason: p.refusalReason,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    mine: p.createdBy === userId,
    rowCount: p.rowCount,
  };
}

export async function listProposals(db: Db, ctx: Ctx, state?: TPdProposalState): Promise<{ items: TProposalSummary[] }> {
  const actor = actorOf(ctx);
  const rows = await repo.listProposals(db, await reachOf(db, actor), state);
  return { items: rows.map((p) => summaryOut(p, actor.userId)) };
}

async function proposalInScope(db: DbOrTx, ctx: Ctx, id: number, forUpdate = false): Promise<repo.ProposalRow> {
  await requireRecord(db, actorOf(ctx), pdProposalAccess, id);
  const p = await repo.getProposal(db, id, forUpdate);
  if (!p) throw new AppError('not_found');
  return p;
}

export async function getProposal(db: DbOrTx, ctx: Ctx, id: number): Promise<TProposal> {
  const actor = actorOf(ctx);
  const p = await proposalInScope(db, ctx, id);
  const rows = await repo.rowsOf(db, [id]);
  const lines = await repo.linesOf(
    db,
    rows.map((r) => r.id),
  );
  // The administrator's mobile is personal data: the proposing department sees it, others a masked one.
  const showMobile = actor.role === 'office_admin';
  const { rowCount: _n, ...s } = summaryOut(p, actor.userId);
  void _n;
  return { ...s, rows: rows.map((r) => rowOut(r, lines, showMobile)) };
}

/**
 * Checks a proposal's rows against the masters and the rules the form states; refuses with every
 * problem at once (field paths `rows.<i>.<field>`), nothing saved. Consolidated fund: every line a
 * budget line of the proposing department (active), no line twice in a row; other money: named
 * purposes, no budget line. A validity date is today or later (IST). A government institution's
 * row needs the administrator's mobile (the first password goes there); a non-government
 * institution's row gets no login (seed 004 para 1(a)(8)), so its mobile is not asked for.
 */
async function checkRows(db: DbOrTx, departmentId: number, input: TProposalIn, now: Date): Promise<repo.NewRow[]> {
  const errors: TFieldError[] = [];
  let code: TErrorCode | null = null;
  const fail = (c: TErrorCode, field: string, fieldCode: TFieldError['code']) => {
    code ??= c;
    errors.push({ field, code: fieldCode });
  };
  const today = todayIst(now);
  const treasuryIds = new Set((await repo.activeTreasuries(db)).map((t) => t.id));
  const wanted = input.rows.flatMap((r) => r.lines.flatMap((l) => (l.budgetLineId === undefined ? [] : [l.budgetLineId])));
  const known = new Map((await repo.budgetLinesByIds(db, [...new Set(wanted)])).map((b) => [b.id, b]));
  const out: repo.NewRow[] = [];
  input.rows.forEach((r, i) => {
    const at = `rows.${i}`;
    if (!treasuryIds.has(r.treasuryId)) fail('validation_failed', `${at}.treasuryId`, 'not_found');
    if (r.validityDate !== undefined && r.validityDate < today) fail('pd_open_validity_past', `${at}.validityDate`, 'invalid_value');
    if (r.institution === 'government' && r.administratorMobile === '') fail('validation_failed', `${at}.administratorMobile`, 'required');
    const lines: repo.NewRow['lines'] = [];
    const seen = new Set<number>();
    for (const [j, l] of r.lines.entries()) {
      const lat = `${at}.lines.${j}`;
      if (input.source === 'consolidated') {
        if (l.budgetLineId === undefined) {
          fail('pd_open_budget_line_required', `${lat}.budgetLineId`, 'required');
          continue;
        }
        const b = known.get(l.budgetLineId);
        if (!b || !b.active) {
          fail('pd_open_budget_line_foreign', `${lat}.budgetLineId`, 'not_found');
          continue;
        }
        if (b.departmentId !== departmentId) {
          fail('pd_open_budget_line_foreign', `${lat}.budgetLineId`, 'invalid_value');
          continue;
        }
        if (seen.has(b.id)) {
          fail('validation_failed', `${lat}.budgetLineId`, 'duplicate');
          continue;
        }
        seen.add(b.id);
        lines.push({ budgetLineId: b.id, purpose: l.purpose || b.schemeNameEn });
      } else {
        if (l.budgetLineId !== undefined) {
          fail('pd_open_budget_line_not_allowed', `${lat}.budgetLineId`, 'unknown_field');
          continue;
        }
        if (l.purpose.length < 3) {
          fail('validation_failed', `${lat}.purpose`, 'required');
          continue;
        }
        lines.push({ budgetLineId: null, purpose: l.purpose });
      }
    }
    out.push({
      institution: r.institution,
      administratorDesignation: r.administratorDesignation,
      administratorOffice: r.administratorOffice,
      administratorMobile: r.administratorMobile,
      treasuryId: r.treasuryId,
      purpose: r.purpose,
      items: r.items,
      validityDate: r.validityDate ?? null,
      remark: r.remark,
      lines,
    });
  });
  if (errors.length) throw new AppError(code ?? 'validation_failed', { errors });
  return out;
}

/** The department a proposing office admin acts for: its scope's department (the state has none: it cannot propose). */
async function proposingDepartment(db: DbOrTx, ctx: Ctx): Promise<number> {
  const reach = await reachOf(db, actorOf(ctx));
  if (reach.scopeKind === 'state' || reach.departmentId === null) throw new AppError('pd_open_no_department');
  return reach.departmentId;
}

export function translateDb(e: unknown): never {
  if (e instanceof AppError) throw e;
  if (pgErrorCode(e) === '23514' && pgConstraint(e) === 'pd_proposals_maker_checker') throw new AppError('maker_checker');
  throw guardRefusal(e) ?? e;
}

/** A new proposal, as a draft of the actor's department. */
export async function createProposal(db: Db, ctx: Ctx, input: TProposalIn, key?: string): Promise<{ proposal: TProposal; replayed: boolean }> {
  const actor = actorOf(ctx);
  const departmentId = await proposingDepartment(db, ctx);
  const rows = await checkRows(db, departmentId, input, ctx.now);
  // Idempotent on the optional Idempotency-Key (the proposal form sends one): a double click makes one draft.
  const { id, replayed } = await createOnce(db, idempotencyOf(ctx, 'pd.proposal.create', key, input), async (tx) => {
    const id = await repo.insertProposal(tx, {
      departmentId,
      hodDesignation: input.hodDesignation,
      source: input.source,
      createdBy: actor.userId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    await repo.replaceRows(tx, id, rows);
    await recordAudit(tx, ctx, { entity: 'pd_proposal', entityId: id, action: 'create', departmentId, after: { ...input, state: 'draft' } });
    return id;
  });
  return { proposal: await getProposal(db, ctx, id), replayed };
}

/** Do the proposal's rows and their lines, as stored, equal `rows` (the form's, checked)? */
async function sameRows(tx: DbOrTx, id: number, rows: repo.NewRow[]): Promise<boolean> {
  const had = await repo.rowsOf(tx, [id]);
  if (had.length !== rows.length) return false;
  const lines = await repo.linesOf(
    tx,
    had.map((r) => r.id),
  );
  const norm = (v: unknown) => (v === undefined ? null : v);
  return rows.every((r, i) => {
    const h = had[i]! as Record<string, unknown> & { id: number };
    const { lines: want, ...fields } = r;
    if (Object.entries(fields).some(([k, v]) => JSON.stringify(norm(v)) !== JSON.stringify(norm(h[k])))) return false;
    const got = lines.filter((l) => l.rowId === h.id).map((l) => ({ budgetLineId: l.budgetLineId, purpose: l.purpose }));
    return JSON.stringify(got) === JSON.stringify(want.map((l) => ({ budgetLineId: l.budgetLineId, purpose: l.purpose })));
  });
}

/** Replaces a draft's form (its department's office admin); out of the draft it is 409. */
export async function updateProposal(db: Db, ctx: Ctx, id: number, input: TProposalIn): Promise<TProposal> {
  const p = await proposalInScope(db, ctx, id);
  if (p.state !== 'draft') throw new AppError('pd_open_wrong_state');
  const rows = await checkRows(db, p.departmentId, input, ctx.now);
  try {
    await db.transaction(async (tx) => {
      const locked = await repo.getProposal(tx, id, true);
      if (locked?.state !== 'draft') throw new AppError('pd_open_wrong_state');
      // The form as it stands (a double click, a retry): nothing to write or audit.
      if (locked.hodDesignation === input.hodDesignation && locked.source === input.source && (await sameRows(tx, id, rows))) return;
      await repo.replaceRows(tx, id, rows);
      await repo.transition(tx, id, 'draft', { state: 'draft', hodDesignation: input.hodDesignation, source: input.source, updatedAt: ctx.now });
      await recordAudit(tx, ctx, {
        entity: 'pd_proposal',
        entityId: id,
        action: 'update',
        departmentId: p.departmentId,
        // As it stood under the lock (the read above may predate a save that committed meanwhile).
        before: { hodDesignation: locked.hodDesignation, source: locked.source },
        after: input,
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return getProposal(db, ctx, id);
}

type Step = {
  from: TPdProposalState;
  to: TPdProposalState;
  action: string;
  set?: (ctx: Ctx, userId: number) => Record<string, unknown>;
};

/** One step of the proposal's way, with its audit entry; a proposal not (any longer) in `from` is 409. */
async function step(
  db: Db,
  ctx: Ctx,
  p: repo.ProposalRow,
  s: Step,
  extra: Record<string, unknown> = {},
  otp?: { code: string | undefined; key: string },
  auditExtra: Record<string, unknown> = {},
) {
  const actor = actorOf(ctx);
  if (p.state !== s.from) throw new AppError('pd_open_wrong_state');
  if (otp) await checkStepUp(db, ctx, otp.code, otp.key);
  try {
    await db.transaction(async (tx) => {
      if (otp) await consumeStepUp(tx, ctx, otp.code, otp.key);
      const moved = await repo.transition(tx, p.id, s.from, { state: s.to, updatedAt: ctx.now, ...(s.set?.(ctx, actor.userId) ?? {}), ...extra });
      if (!moved) throw new AppError('pd_open_wrong_state');
      await recordAudit(tx, ctx, {
        entity: 'pd_proposal',
        entityId: p.id,
        action: s.action,
        departmentId: p.departmentId,
        before: { state: s.from },
        after: { state: s.to, ...extra, ...auditExtra },
      });
    });
  } catch (e) {
    translateDb(e);
  }
  return getProposal(db, ctx, p.id);
}

export async function submitProposal(db: Db, ctx: Ctx, id: number): Promise<TProposal> {
  const p = await proposalInScope(db, ctx, id);
  return step(db, ctx, p, { from: 'draft', to: 'submitted', action: 'submit', set: (c, u) => ({ submittedBy: u, submittedAt: c.now }) });
}

/**
 * The HOD's recommendation: an office admin of the proposal's department placed at a HOD or the
 * whole department (an office's admin is not the HOD), never the maker (bar A3; the database's
 * CHECK pd_proposals_maker_checker holds it too).
 */
export async function recommendProposal(db: Db, ctx: Ctx, id: number): Promise<TProposal> {
  const actor = actorOf(ctx);
  const p = await proposalInScope(db, ctx, id);
  if (actor.scopeKind !== 'hod' && actor.scopeKind !== 'department') throw new AppError('pd_open_not_hod');
  if (p.createdBy === actor.userId) throw new AppError('maker_checker');
  return step(db, ctx, p, { from: 'submitted', to: 'recommended', action: 'recommend', set: (c, u) => ({ recommendedBy: u, recommendedAt: c.now }) });
}

/** Finance's sanction under subsidiary rule 533: the order's number and date; the audit entry records every line / purpose. */
export async function sanctionProposal(
  db: Db,
  ctx: Ctx,
  id: number,
  input: { sanctionNo: string; sanctionDate: string; otp?: string | undefined },
): Promise<TProposal> {
  const p = await proposalInScope(db, ctx, id);
  if (input.sanctionDate > todayIst(ctx.now)) throw new AppError('validation_failed', { errors: [{ field: 'sanctionDate', code: 'invalid_value' }] });
  const rows = await repo.rowsOf(db, [id]);
  const lines = await repo.linesOf(
    db,
    rows.map((r) => r.id),
  );
  const sanctioned = rows.map((r) => ({
    row: r.position,
    treasuryId: r.treasuryId,
    purpose: r.purpose,
    lines: lines.filter((l) => l.rowId === r.id).map((l) => ({ budgetLineId: l.budgetLineId, head: l.head, purpose: l.purpose })),
  }));
  return step(
    db,
    ctx,
    p,
    { from: 'recommended', to: 'sanctioned', action: 'sanction', set: (c, u) => ({ decidedBy: u, decidedAt: c.now }) },
    { sanctionNo: input.sanctionNo, sanctionDate: input.sanctionDate },
    { code: input.otp, key: STEP_UP_KEYS.sanction(id) },
    { sanctioned },
  );
}

export async function refuseProposal(db: Db, ctx: Ctx, id: number, input: { reason: string; otp?: string | undefined }): Promise<TProposal> {
  const p = await proposalInScope(db, ctx, id);
  return step(
    db,
    ctx,
    p,
    { from: 'recommended', to: 'refused', action: 'refuse', set: (c, u) => ({ decidedBy: u, decidedAt: c.now }) },
    { refusalReason: input.reason },
    { code: input.otp, key: STEP_UP_KEYS.sanction(id) },
  );
}

/** The administrator's application to the treasury, sent by the department on the sanction (para 1(a)(5)). */
export async function applyProposal(db: Db, ctx: Ctx, id: number): Promise<TProposal> {
  const p = await proposalInScope(db, ctx, id);
  return step(db, ctx, p, { from: 'sanctioned', to: 'applied', action: 'apply', set: (c, u) => ({ appliedBy: u, appliedAt: c.now }) });
}

/** The budget lines the actor's department may name in a consolidated-fund proposal (the picker). */
export async function budgetLineOptions(db: Db, ctx: Ctx) {
  const reach = await reachOf(db, actorOf(ctx));
  if (reach.departmentId === null) return { items: [] };
  const rows = await repo.budgetLinesOf(db, reach.departmentId);
  return { items: rows.map((b) => ({ id: b.id, head: b.head, schemeNameEn: b.schemeNameEn, schemeNameHi: b.schemeNameHi })) };
}

export async function treasuryOptions(db: Db) {
  return { items: await repo.activeTreasuries(db) };
}
