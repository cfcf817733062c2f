import type {
  TContinuation,
  TContinuationCreate,
  TDormantReport,
  TTransferBackReport,
  TUnspentReport,
  TYearRun,
  TYearSettings,
} from '../../../shared/contracts/pd-year.ts';
import { fiscalYearStart, todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { reachOf, requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, fieldError, guardRefusal, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import type { JobSpec } from '../../platform/jobs/jobs.ts';
import { pdAccountAccess } from './pd.policy.ts';
import * as pdRepo from './pd.repo.ts';
import { entriesFor } from './pd.rules.ts';
import * as repo from './pd.year.repo.ts';

/**
 * Year-end and closing of PD accounts (issue 18 item 5; seed 004 annexure paras 1(b)(2), 1(b)(5)
 * and 4(2); docs/PD.md "Year-end and closing"). For a financial year `fy` (April `fy` – 31 March
 * `fy + 1`, IST):
 *   1. every open consolidated-fund account opened by 31 March without Finance's continuation for
 *      that year lapses: each line's available balance goes back to its service head (posting
 *      `lapse`, value date 31 March) and the account closes (`closed_reason` lapse);
 *   2. every open other-than-consolidated account with no transaction since the idle period
 *      before 31 March (Finance's setting, default 3 years) closes and its balance is credited to
 *      government (posting `unclaimed`; `closed_reason` dormant).
 * An account with prepared e-cheques (money reserved on a line) is held, not closed: the seed
 * closes accounts "after crediting the deposited money back", and reserved money is committed to
 * a payee the treasury has not decided on yet. The run reports it (outcome `held`); once the
 * treasury passes or returns those e-cheques the next run (the daily job) closes it.
 * Each account is done in its own transaction under its row lock; the database allows one lapse
 * per line and year and one unclaimed credit per line (migration 0038), so re-running, or twenty
 * runs at once, changes nothing the first did not.
 */

export const fyEndOf = (fy: number) => `${fy + 1}-03-31`;
/** The financial year a day falls in (its starting year). */
export const fyOf = (isoDay: string) => fiscalYearStart(isoDay);
/** The day an account idle since then (or before) is dormant at the close of `fy`: 31 March, `years` years earlier. */
export const dormantCutoff = (fy: number, years: number) => `${fy + 1 - years}-03-31`;

type RunCtx = Pick<Ctx, 'actor' | 'ip'> & { now: Date };
type AccountOutcome = { accountId: number; closed: 'lapse' | 'dormant' | null; movedPaise: number; heldPaise: number };

async function closeOne(
  db: Db,
  ctx: RunCtx,
  runId: number,
  fy: number,
  accountId: number,
  kind: 'lapse' | 'dormant',
  cutoff: string,
): Promise<AccountOutcome | null> {
  const fyEnd = fyEndOf(fy);
  try {
    return await db.transaction(async (tx) => {
      const a = await repo.lockAccount(tx, accountId, fy);
      // Another run closed it first, or Finance continued it, or money moved since the list was read.
      if (!a || a.closedOn !== null) return null;
      if (kind === 'lapse' && (a.source !== 'consolidated' || a.continued)) return null;
      if (kind === 'dormant' && (a.source !== 'other' || a.lastTransactionOn > cutoff)) return null;
      const lines = await repo.linesForClosing(tx, accountId);
      const held = lines.filter((l) => l.reserved > 0);
      if (held.length > 0) {
        for (const l of held)
          await repo.insertClosing(tx, {
            runId,
            fy,
            accountId,
            lineId: l.id,
            outcome: 'held',
            amountPaise: l.reserved,
            postingId: null,
            heldEcheques: l.prepared,
          });
        const heldPaise = held.reduce((s, l) => s + l.reserved, 0);
        await recordAudit(tx, ctx, {
          entity: 'pd_account',
          entityId: accountId,
          action: 'year_end_held',
          after: { fy, runId, kind, lines: held.map((l) => ({ lineId: l.id, reservedPaise: l.reserved, preparedEcheques: l.prepared })) },
          departmentId: a.departmentId,
        });
        return { accountId, closed: null, movedPaise: 0, heldPaise };
      }
      const postingKind = kind === 'lapse' ? 'lapse' : 'unclaimed';
      const moved: { lineId: number; amountPaise: number; postingId: number | null }[] = [];
      for (const l of lines) {
        const postingId =
          l.available > 0
            ? await pdRepo.post(
                tx,
                {
                  accountId,
                  lineId: l.id,
                  kind: postingKind,
                  reference: kind === 'lapse' ? `Lapse ${fy}-${String((fy + 1) % 100).padStart(2, '0')}` : `Unclaimed, idle since ${a.lastTransactionOn}`,
                  valueDate: fyEnd,
                  createdBy: ctx.actor?.userId ?? null,
                  createdAt: ctx.now,
                },
                entriesFor(postingKind, l.available),
              )
            : null;
        await repo.insertClosing(tx, { runId, fy, accountId, lineId: l.id, outcome: postingKind, amountPaise: l.available, postingId });
        moved.push({ lineId: l.id, amountPaise: l.available, postingId });
      }
      await repo.closeAccount(tx, accountId, fyEnd, kind);
      const movedPaise = moved.reduce((s, m) => s + m.amountPaise, 0);
      await recordAudit(tx, ctx, {
        entity: 'pd_account',
        entityId: accountId,
        action: kind === 'lapse' ? 'year_end_lapse' : 'year_end_dormant',
        before: { closedOn: null },
        after: { fy, runId, closedOn: fyEnd, closedReason: kind, lines: moved, totalPaise: movedPaise },
        departmentId: a.departmentId,
      });
      return { accountId, closed: kind, movedPaise, heldPaise: 0 };
    });
  } catch (e) {
    // The database's one-lapse-per-line-and-year rule: another run did it (cannot happen under the row lock; kept as the last word).
    if (isUniqueViolation(e) && ['pd_year_closings_lapse_uq', 'pd_year_closings_unclaimed_uq'].includes(pgConstraint(e) ?? '')) return null;
    throw guardRefusal(e) ?? e;
  }
}

/**
 * One year-end run for `fy` (the job's or Finance's). Safe to repeat: what is closed stays closed
 * and is not touched again; a held account is looked at again.
 */
export async function runYear(
  db: Db,
  ctx: RunCtx,
  fy: number,
  startedBy: 'job' | 'finance',
  beforeStart?: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<void>,
): Promise<{ runId: number; outcomes: AccountOutcome[] }> {
  const { dormantYears } = await repo.dormantYears(db);
  const runId = await db.transaction(async (tx) => {
    if (beforeStart) await beforeStart(tx);
    const id = await repo.insertRun(tx, { fy, startedBy, runBy: ctx.actor?.userId ?? null, dormantYears, at: ctx.now });
    await recordAudit(tx, ctx, { entity: 'pd_year_run', entityId: id, action: 'start', after: { fy, startedBy, dormantYears } });
    return id;
  });
  const cutoff = dormantCutoff(fy, dormantYears);
  const outcomes: AccountOutcome[] = [];
  for (const id of await repo.lapseCandidates(db, fy, fyEndOf(fy))) {
    const o = await closeOne(db, ctx, runId, fy, id, 'lapse', cutoff);
    if (o) outcomes.push(o);
  }
  for (const id of await repo.dormantCandidates(db, cutoff)) {
    const o = await closeOne(db, ctx, runId, fy, id, 'dormant', cutoff);
    if (o) outcomes.push(o);
  }
  await repo.finishRun(db, runId, ctx.now);
  return { runId, outcomes };
}

/** Finance runs the year-end for a year that has ended, with the second factor (bar A5: it moves money). */
export async function startRun(db: Db, ctx: Ctx, fy: number, otp: string | undefined): Promise<TYearRun> {
  actorOf(ctx);
  if (todayIst(ctx.now) <= fyEndOf(fy)) throw new AppError('pd_year_not_over', { errors: [{ field: 'fy', code: 'invalid_value' }] });
  const stepUpKey = `pd-year-run:${fy}`;
  await checkStepUp(db, ctx, otp, stepUpKey);
  // A run has no replay of its own: the code starts one run, and the twins that carry it (a double
  // click, a retry) are refused — before a run row or an audit entry is written.
  const { runId } = await runYear(db, ctx, fy, 'finance', async (tx) => {
    if (!(await consumeStepUp(tx, ctx, otp, stepUpKey))) throw new AppError('pd_year_run_started');
  });
  const [run] = (await listRuns(db, ctx, undefined, runId)).items;
  if (!run) throw new AppError('not_found');
  return run;
}

/** The scheduled job: every day, the year-end of the financial year that ended last (a no-op once everything is closed or continued). */
export const yearEndJob: JobSpec = {
  name: 'pd.year_end',
  everyMs: 24 * 3600_000,
  run: ({ db, now }) => runYear(db, { actor: null, ip: '', now }, fyOf(todayIst(now)) - 1, 'job'),
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function listRuns(db: Db, ctx: Ctx, fy?: number, runId?: number): Promise<{ items: TYearRun[] }> {
  const reach = await reachOf(db, actorOf(ctx));
  const { runs, closings } = await repo.runs(db, reach, fy, runId);
  return {
    items: runs.map((r) => {
      const mine = closings
        .filter((c) => Number(c.run_id) === Number(r.id))
        .map((c) => ({
          accountId: Number(c.account_id),
          accountNo: c.account_no,
          accountNameEn: c.name_en,
          accountNameHi: c.name_hi,
          lineId: Number(c.line_id),
          purposeEn: c.purpose_en,
          purposeHi: c.purpose_hi,
          outcome: c.outcome,
          amountPaise: Number(c.amount_paise),
          heldEcheques: Number(c.held_echeques),
        }));
      const sum = (o: string) => mine.filter((c) => c.outcome === o).reduce((s, c) => s + c.amountPaise, 0);
      return {
        id: Number(r.id),
        fy: Number(r.fy),
        startedBy: r.started_by,
        runByName: r.run_by_name ?? '',
        dormantYears: Number(r.dormant_years),
        status: r.status,
        startedAt: iso(r.started_at)!,
        finishedAt: iso(r.finished_at),
        lapsedPaise: sum('lapse'),
        unclaimedPaise: sum('unclaimed'),
        heldPaise: sum('held'),
        closings: mine,
      };
    }),
  };
}

export async function getSettings(db: Db): Promise<TYearSettings> {
  const s = await repo.dormantYears(db);
  return { dormantYears: s.dormantYears, updatedAt: s.updatedAt.toISOString() };
}

/** Finance changes the idle period (1..10 years; the database checks it too), audited. */
export async function setSettings(db: Db, ctx: Ctx, dormantYears: number): Promise<TYearSettings> {
  const actor = actorOf(ctx);
  await db.transaction(async (tx) => {
    const before = await repo.setDormantYears(tx, dormantYears, actor.userId, ctx.now);
    // Unchanged (the same value sent twice, twenty requests at once): one audit entry, the first's.
    if (before === dormantYears) return;
    await recordAudit(tx, ctx, { entity: 'pd_year_settings', entityId: 1, action: 'update', before: { dormantYears: before }, after: { dormantYears } });
  });
  return getSettings(db);
}

function continuationOut(c: repo.ContinuationRow): TContinuation {
  return {
    id: Number(c.id),
    accountId: Number(c.account_id),
    accountNo: c.account_no,
    accountNameEn: c.name_en,
    accountNameHi: c.name_hi,
    fy: Number(c.fy),
    orderNo: c.order_no,
    orderDate: c.order_date,
    recordedAt: iso(c.recorded_at)!,
  };
}

export async function listContinuations(db: Db, ctx: Ctx, fy?: number): Promise<{ items: TContinuation[] }> {
  const reach = await reachOf(db, actorOf(ctx));
  return { items: (await repo.continuations(db, reach, fy)).map(continuationOut) };
}

/**
 * Finance permits a consolidated-fund account to continue past 31 March of `fy` (order number and
 * date). Only for the current or the next financial year, for an open consolidated-fund account;
 * once per account and year (the database's unique index).
 */
export async function addContinuation(db: Db, ctx: Ctx, accountId: number, input: TContinuationCreate): Promise<TContinuation> {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, pdAccountAccess, accountId);
  const a = await pdRepo.getAccount(db, accountId);
  if (!a) throw new AppError('not_found');
  const current = fyOf(todayIst(ctx.now));
  if (input.fy < current || input.fy > current + 1) throw fieldError('fy', 'invalid_value');
  if (input.orderDate > todayIst(ctx.now)) throw new AppError('date_in_future', { errors: [{ field: 'orderDate', code: 'invalid_value' }] });
  if (a.source !== 'consolidated') throw new AppError('pd_continuation_not_consolidated');
  if (a.closedOn) throw new AppError('pd_account_closed');
  if (await repo.continuationExists(db, accountId, input.fy)) throw new AppError('pd_continuation_exists');
  let id: number;
  try {
    id = await db.transaction(async (tx) => {
      // Under the account's row lock, so a year-end run cannot close it between the check and the insert.
      const locked = await repo.lockAccount(tx, accountId, input.fy);
      if (locked?.closedOn) throw new AppError('pd_account_closed');
      const made = await repo.insertContinuation(tx, { accountId, ...input, recordedBy: actor.userId, recordedAt: ctx.now });
      await recordAudit(tx, ctx, {
        entity: 'pd_account',
        entityId: accountId,
        action: 'continuation',
        after: { continuationId: made, ...input },
        departmentId: a.departmentId,
      });
      return made;
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (isUniqueViolation(e) && pgConstraint(e) === 'pd_continuations_uq') throw new AppError('pd_continuation_exists');
    throw guardRefusal(e) ?? e;
  }
  const reach = await reachOf(db, actor);
  return continuationOut((await repo.continuations(db, reach, undefined, id))[0]!);
}

export async function unspentReport(db: Db, ctx: Ctx): Promise<TUnspentReport> {
  const reach = await reachOf(db, actorOf(ctx));
  const fy = fyOf(todayIst(ctx.now));
  const rows = await repo.unspent(db, reach, fy);
  const departments = new Map<number, TUnspentReport['departments'][number]>();
  for (const r of rows) {
    const id = Number(r.department_id);
    let d = departments.get(id);
    if (!d) {
      d = { departmentId: id, nameEn: r.dept_en, nameHi: r.dept_hi, availablePaise: 0, reservedPaise: 0, accounts: [] };
      departments.set(id, d);
    }
    const available = Number(r.available);
    const reserved = Number(r.reserved);
    d.availablePaise += available;
    d.reservedPaise += reserved;
    d.accounts.push({
      accountId: Number(r.account_id),
      accountNo: r.account_no,
      nameEn: r.name_en,
      nameHi: r.name_hi,
      source: r.source,
      treasuryEn: r.treasury_en,
      treasuryHi: r.treasury_hi,
      availablePaise: available,
      reservedPaise: reserved,
      continued: Boolean(r.continued),
    });
  }
  const list = [...departments.values()];
  return {
    fy,
    departments: list,
    totalAvailablePaise: list.reduce((s, d) => s + d.availablePaise, 0),
    totalReservedPaise: list.reduce((s, d) => s + d.reservedPaise, 0),
  };
}

export async function dormantReport(db: Db, ctx: Ctx): Promise<TDormantReport> {
  const reach = await reachOf(db, actorOf(ctx));
  const { dormantYears } = await repo.dormantYears(db);
  const fy = fyOf(todayIst(ctx.now));
  const rows = await repo.dormant(db, reach, dormantCutoff(fy, dormantYears));
  const out = rows.map((r) => ({
    accountId: Number(r.account_id),
    accountNo: r.account_no,
    nameEn: r.name_en,
    nameHi: r.name_hi,
    treasuryEn: r.treasury_en,
    treasuryHi: r.treasury_hi,
    lastTransactionOn: r.last,
    balancePaise: Number(r.balance),
    closedOn: r.closed_on,
  }));
  return { dormantYears, asOf: fyEndOf(fy), candidates: out.filter((r) => r.closedOn === null), closed: out.filter((r) => r.closedOn !== null) };
}

export async function transferBackReport(db: Db, ctx: Ctx): Promise<TTransferBackReport> {
  const reach = await reachOf(db, actorOf(ctx));
  return {
    items: (await repo.transferBack(db, reach)).map((r) => ({
      accountId: Number(r.account_id),
      accountNo: r.account_no,
      nameEn: r.name_en,
      nameHi: r.name_hi,
      lineId: Number(r.line_id),
      purposeEn: r.purpose_en,
      purposeHi: r.purpose_hi,
      reason: r.reason,
      balancePaise: Number(r.balance),
    })),
  };
}
