import { createHash } from 'node:crypto';
import type { TDepositCreate, TEcheque, TEchequeCreate, TPdAccount, TPdAccountSummary, TPdLine, TStatement } from '../../../shared/contracts/pd.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { AppError, fieldError, guardRefusal, isUniqueViolation, pgConstraint, pgErrorCode } from '../../platform/errors.ts';
import { createOnce, idempotencyOf } from '../../platform/idempotency/idempotency.ts';
import { payeeOf, requireAdvised } from './pd.adv.payee.ts';
import { assertMayWithdraw } from './pd.open.register.ts';
import { pdAccountAccess } from './pd.policy.ts';
import * as repo from './pd.repo.ts';
import { depositModeOf, entriesFor, reversalOf, type TEntry } from './pd.rules.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * PD account use cases (spec 08): read an account and its statement, record a deposit, prepare
 * an e-cheque (reserving the line's balance), and the treasury officer's pass / return. Every
 * change of money is a posting in the append-only ledger, written with its audit entry in one
 * transaction.
 */

export function summaryOut(a: repo.AccountRow): TPdAccountSummary {
  return {
    id: a.id,
    accountNo: a.accountNo,
    source: a.source,
    nameEn: a.nameEn,
    nameHi: a.nameHi,
    treasuryEn: a.treasuryEn,
    treasuryHi: a.treasuryHi,
    availablePaise: Number(a.availablePaise),
    reservedPaise: Number(a.reservedPaise),
    closedOn: a.closedOn,
    closedReason: a.closedReason,
  };
}

function lineOut(l: repo.LineRow): TPdLine {
  return {
    id: l.id,
    budgetLineId: l.budgetLineId,
    head: l.head,
    purposeEn: l.purposeEn,
    purposeHi: l.purposeHi,
    availablePaise: Number(l.availablePaise),
    reservedPaise: Number(l.reservedPaise),
  };
}

export function echequeOut(e: repo.EchequeRow): TEcheque {
  return {
    id: e.id,
    accountId: e.accountId,
    accountNo: e.accountNo,
    lineId: e.lineId,
    linePurposeEn: e.linePurposeEn,
    linePurposeHi: e.linePurposeHi,
    payeeKind: e.payeeKind,
    payeeName: e.payeeName,
    payeeAccountNo: e.payeeAccountNo ? maskAccount(e.payeeAccountNo) : '',
    payeeIfsc: e.payeeIfsc,
    headOfAccount: e.headOfAccount,
    amountPaise: Number(e.amountPaise),
    purpose: e.purpose,
    state: e.state,
    returnReason: e.returnReason,
    preparedAt: e.preparedAt.toISOString(),
    decidedAt: e.decidedAt ? e.decidedAt.toISOString() : null,
    vendorId: e.vendorId,
    adviceNo: e.adviceNo,
  };
}

/** The accounts the caller may see: the administrator its own, the treasury officer its treasury's, Finance all. */
export async function listAccounts(db: Db, ctx: Ctx): Promise<{ items: TPdAccountSummary[] }> {
  const reach = await reachOf(db, actorOf(ctx));
  return { items: (await repo.listAccounts(db, reach)).map(summaryOut) };
}

async function accountInScope(db: DbOrTx, ctx: Ctx, id: number): Promise<repo.AccountRow> {
  await requireRecord(db, actorOf(ctx), pdAccountAccess, id);
  const a = await repo.getAccount(db, id);
  if (!a) throw new AppError('not_found');
  return a;
}

export async function getAccount(db: Db, ctx: Ctx, id: number): Promise<TPdAccount> {
  const a = await accountInScope(db, ctx, id);
  const [lines, echeques] = await readAll(db, [() => repo.linesOf(db, id), () => repo.echequesOf(db, id)]);
  return {
    ...summaryOut(a),
    administratorEn: a.administratorEn,
    administratorHi: a.administratorHi,
    lines: lines.map(lineOut),
    echeques: echeques.map(echequeOut),
  };
}

/** Database refusals a money action expects, as the errors users get. */
function translateDb(e: unknown): never {
  if (pgErrorCode(e) === '23514' && pgConstraint(e) === 'pd_lines_available_nonneg') throw new AppError('pd_insufficient_balance');
  if (pgErrorCode(e) === '23514' && pgConstraint(e) === 'pd_echeques_maker_checker') throw new AppError('maker_checker');
  throw guardRefusal(e) ?? e;
}

async function lineOfAccount(db: DbOrTx, accountId: number, lineId: number) {
  const line = await repo.getLine(db, lineId);
  if (!line || line.accountId !== accountId) throw new AppError('pd_line_not_on_account', { errors: [{ field: 'lineId', code: 'not_found' }] });
  return line;
}

/**
 * A deposit into a line. Consolidated-fund accounts: by book transfer only, from the budget line
 * registered on that line; other accounts: by challan only. Anything else is refused, nothing saved.
 */
export async function deposit(db: Db, ctx: Ctx, accountId: number, input: TDepositCreate, key?: string): Promise<{ account: TPdAccount; replayed: boolean }> {
  const actor = actorOf(ctx);
  const a = await accountInScope(db, ctx, accountId);
  if (a.closedOn) throw new AppError('pd_account_closed');
  const line = await lineOfAccount(db, accountId, input.lineId);
  if (input.mode !== depositModeOf(a.source)) throw new AppError('pd_deposit_mode_invalid', { errors: [{ field: 'mode', code: 'invalid_value' }] });
  if (a.source === 'consolidated' && (input.sourceBudgetLineId === undefined || input.sourceBudgetLineId !== line.budgetLineId))
    throw new AppError('pd_source_not_registered', { errors: [{ field: 'sourceBudgetLineId', code: 'invalid_value' }] });
  if (a.source === 'other' && input.sourceBudgetLineId !== undefined) throw fieldError('sourceBudgetLineId', 'unknown_field');
  let replayed = false;
  try {
    const reference = `${input.mode === 'book_transfer' ? 'BT' : 'Challan'} ${input.reference}`;
    // Idempotent on the optional Idempotency-Key (the deposit form sends one): a double click credits once.
    ({ replayed } = await createOnce(db, idempotencyOf(ctx, `pd.deposit:${accountId}`, key, input), async (tx) => {
      // One challan (or transfer) is one deposit: saved again without the key — a retry, two tabs —
      // it would credit the line twice. Checked with the line's deposits serialised; a reversed
      // deposit (entered wrongly) does not count.
      await repo.lockLineDeposits(tx, line.id);
      if (await repo.liveDeposit(tx, line.id, reference)) throw new AppError('pd_deposit_duplicate');
      const postingId = await repo.post(
        tx,
        {
          accountId,
          lineId: line.id,
          kind: 'deposit',
          reference,
          valueDate: input.valueDate,
          createdBy: actor.userId,
          createdAt: ctx.now,
        },
        entriesFor('deposit', input.amountPaise),
      );
      await recordAudit(tx, ctx, {
        entity: 'pd_account',
        entityId: accountId,
        action: 'deposit',
        after: { postingId, lineId: line.id, amountPaise: input.amountPaise, mode: input.mode, reference: input.reference, valueDate: input.valueDate },
        departmentId: a.departmentId,
      });
      return postingId;
    }));
  } catch (e) {
    translateDb(e);
  }
  return { account: await getAccount(db, ctx, accountId), replayed };
}

/** The request's fingerprint for its idempotency key: the account and the validated body, keys sorted. */
function requestHash(accountId: number, body: TEchequeCreate): string {
  const sorted = Object.fromEntries(Object.entries(body).sort(([x], [y]) => x.localeCompare(y)));
  return createHash('sha256')
    .update(JSON.stringify({ accountId, ...sorted }))
    .digest('hex');
}

function replay(existing: repo.EchequeRow, hash: string): { echeque: TEcheque; replayed: true } {
  if (existing.requestHash !== hash) throw new AppError('idempotency_key_reused');
  return { echeque: echequeOut(existing), replayed: true };
}

/**
 * Prepares an e-cheque on a line: the amount moves from the line's available balance to its
 * reserved balance in the same transaction, so two e-cheques can never spend the same money (the
 * database refuses a negative balance under the line's row lock; migration 0018). Idempotent on
 * the key (bar M1): the same key and body give the same e-cheque; the same key with another body
 * is 422; no key is 400.
 */
export async function prepareEcheque(
  db: Db,
  ctx: Ctx,
  accountId: number,
  key: string | undefined,
  input: TEchequeCreate,
): Promise<{ echeque: TEcheque; replayed: boolean }> {
  // A PD administrator's login must first change the password the treasury issued (seed 004 para 3(2)).
  await assertMayWithdraw(db, ctx);
  const a = await accountInScope(db, ctx, accountId);
  // A closed account (year-end) takes nothing; the database refuses it too (migration 0038).
  if (a.closedOn) throw new AppError('pd_account_closed');
  const idemKey = key?.trim() ?? '';
  if (idemKey.length < 8 || idemKey.length > 100) throw new AppError('idempotency_key_required');
  const hash = requestHash(accountId, input);
  const existing = await repo.echequeByKey(db, accountId, idemKey);
  if (existing) return replay(existing, hash);
  try {
    const id = await prepareOnce(db, ctx, a.departmentId, accountId, idemKey, hash, input);
    return { echeque: echequeOut((await repo.getEcheque(db, id))!), replayed: false };
  } catch (e) {
    // The same key at the same moment: another request made the e-cheque — while this one was
    // checking the line's balance (now reserved by that e-cheque: "insufficient balance") or
    // inside the transaction (the key's unique index, the balance the database keeps). Every such
    // refusal is that e-cheque's replay (20 at once of the whole balance: PostgreSQL showed a 409).
    const other = await repo.echequeByKey(db, accountId, idemKey);
    if (other) return replay(other, hash);
    if (e instanceof AppError) throw e;
    translateDb(e);
  }
}

async function prepareOnce(
  db: Db,
  ctx: Ctx,
  departmentId: number | null,
  accountId: number,
  idemKey: string,
  hash: string,
  input: TEchequeCreate,
): Promise<number> {
  const actor = actorOf(ctx);
  const line = await lineOfAccount(db, accountId, input.lineId);
  if (Number(line.availablePaise) < input.amountPaise) throw new AppError('pd_insufficient_balance', { errors: [{ field: 'amountPaise', code: 'too_big' }] });
  const payee = await payeeOf(db, accountId, input);
  return db.transaction(async (tx) => {
    const e = await repo.insertEcheque(tx, {
      accountId,
      lineId: line.id,
      payeeKind: input.payeeKind,
      ...payee,
      amountPaise: input.amountPaise,
      purpose: input.purpose,
      idempotencyKey: idemKey,
      requestHash: hash,
      preparedBy: actor.userId,
      preparedAt: ctx.now,
    });
    await repo.post(
      tx,
      {
        accountId,
        lineId: line.id,
        kind: 'echeque_prepared',
        echequeId: e.id,
        reference: `e-cheque ${e.id}`,
        valueDate: todayIst(ctx.now),
        createdBy: actor.userId,
        createdAt: ctx.now,
      },
      entriesFor('echeque_prepared', input.amountPaise),
    );
    await recordAudit(tx, ctx, {
      entity: 'pd_echeque',
      entityId: e.id,
      action: 'prepare',
      after: { accountId, lineId: line.id, payeeKind: input.payeeKind, payeeName: payee.payeeName, vendorId: payee.vendorId, amountPaise: input.amountPaise },
      departmentId,
    });
    return e.id;
  });
}

/** The e-cheques awaiting (or decided by) the caller's treasury. */
export async function worklist(db: Db, ctx: Ctx, state: TEcheque['state'], payeeKind?: 'vendor' | 'book_transfer'): Promise<{ items: TEcheque[] }> {
  const reach = await reachOf(db, actorOf(ctx));
  return { items: (await repo.worklist(db, reach, state, payeeKind)).map(echequeOut) };
}

async function echequeInScope(db: DbOrTx, ctx: Ctx, id: number) {
  const e = await repo.getEcheque(db, id);
  if (!e) throw new AppError('not_found');
  await requireRecord(db, actorOf(ctx), pdAccountAccess, e.accountId);
  return e;
}

/**
 * The treasury officer decides on a prepared e-cheque: pass (the reserved money is paid out,
 * head 8443-106) or return with a reason (the reservation goes back to the line's available
 * balance). Whoever prepared it cannot decide it (bar A3); an e-cheque already decided is 409.
 */
export async function decideEcheque(
  db: Db,
  ctx: Ctx,
  id: number,
  decision: ({ pass: true } | { pass: false; reason: string }) & { otp?: string | undefined },
): Promise<TEcheque> {
  const actor = actorOf(ctx);
  const e = await echequeInScope(db, ctx, id);
  if (e.preparedBy === actor.userId) throw new AppError('maker_checker');
  await requireAdvised(db, id);
  const a = await repo.getAccount(db, e.accountId);
  // The second factor (bar A5): one decision per e-cheque, so the decision is the code's key.
  const stepUpKey = `pd-echeque-decision:${id}`;
  await checkStepUp(db, ctx, decision.otp, stepUpKey);
  try {
    await db.transaction(async (tx) => {
      await consumeStepUp(tx, ctx, decision.otp, stepUpKey);
      const changed = await repo.decideEcheque(tx, id, {
        state: decision.pass ? 'passed' : 'returned',
        decidedBy: actor.userId,
        decidedAt: ctx.now,
        ...(decision.pass ? {} : { returnReason: decision.reason }),
      });
      if (!changed) throw new AppError('pd_echeque_not_pending');
      const kind = decision.pass ? 'echeque_passed' : 'echeque_returned';
      await repo.post(
        tx,
        {
          accountId: e.accountId,
          lineId: e.lineId,
          kind,
          echequeId: id,
          reference: `e-cheque ${id}`,
          valueDate: todayIst(ctx.now),
          createdBy: actor.userId,
          createdAt: ctx.now,
        },
        entriesFor(kind, Number(e.amountPaise)),
      );
      await recordAudit(tx, ctx, {
        entity: 'pd_echeque',
        entityId: id,
        action: decision.pass ? 'pass' : 'return',
        before: { state: 'prepared' },
        after: decision.pass ? { state: 'passed' } : { state: 'returned', reason: decision.reason },
        departmentId: a?.departmentId ?? null,
      });
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    translateDb(err);
  }
  return echequeOut((await repo.getEcheque(db, id))!);
}

/**
 * A correction of a deposit recorded in error: a new posting with the opposite entries (the
 * ledger is never changed). Refused when the deposit is not of this account or already reversed
 * (409 `pd_already_reversed`), or when its money has been reserved or spent (409
 * `pd_insufficient_balance`: the line cannot go below zero). The treasury officer's act.
 */
export async function reverseDeposit(db: Db, ctx: Ctx, postingId: number, reason: string): Promise<TPdAccount> {
  const actor = actorOf(ctx);
  const { posting, entries } = await repo.entriesOfPosting(db, postingId);
  if (!posting || posting.kind !== 'deposit') throw new AppError('not_found');
  const a = await accountInScope(db, ctx, posting.accountId);
  try {
    await db.transaction(async (tx) => {
      const id = await repo.post(
        tx,
        {
          accountId: posting.accountId,
          lineId: posting.lineId,
          kind: 'reversal',
          reversesId: posting.id,
          reference: `Reversal of ${posting.reference}: ${reason}`.slice(0, 300),
          valueDate: todayIst(ctx.now),
          createdBy: actor.userId,
          createdAt: ctx.now,
        },
        reversalOf(entries.map((e): TEntry => ({ ledgerAccount: e.ledgerAccount, amountPaise: Number(e.amountPaise) }))),
      );
      await recordAudit(tx, ctx, {
        entity: 'pd_account',
        entityId: posting.accountId,
        action: 'reverse_deposit',
        after: { postingId: id, reverses: posting.id, reason },
        departmentId: a.departmentId,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e) && pgConstraint(e) === 'pd_postings_reverses_uq') throw new AppError('pd_already_reversed');
    translateDb(e);
  }
  return getAccount(db, ctx, posting.accountId);
}

/** The administrator's statement by line for a period (IST dates, inclusive). */
export async function statement(db: Db, ctx: Ctx, id: number, from: string, to: string): Promise<TStatement> {
  const a = await accountInScope(db, ctx, id);
  if (from > to) throw fieldError('to', 'invalid_value');
  const lines = await repo.linesOf(db, id);
  const { opening, moves } = await repo.statementRows(db, id, from, to);
  return {
    accountId: id,
    accountNo: a.accountNo,
    from,
    to,
    lines: lines.map((l) => {
      const openingPaise = opening.get(l.id) ?? 0;
      let balance = openingPaise;
      let depositsPaise = 0;
      let withdrawalsPaise = 0;
      const entries = moves
        .filter((m) => m.line_id === l.id)
        .map((m) => {
          balance += m.amount;
          if (m.amount > 0) depositsPaise += m.amount;
          else withdrawalsPaise -= m.amount;
          return {
            postingId: m.posting_id,
            valueDate: m.value_date,
            kind: m.kind,
            reference: m.reference,
            echequeId: m.echeque_id === null ? null : Number(m.echeque_id),
            amountPaise: m.amount,
            balancePaise: balance,
          };
        });
      return { lineId: l.id, purposeEn: l.purposeEn, purposeHi: l.purposeHi, openingPaise, depositsPaise, withdrawalsPaise, closingPaise: balance, entries };
    }),
  };
}
