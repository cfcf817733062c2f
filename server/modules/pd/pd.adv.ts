import { createHash } from 'node:crypto';
import type { TAdvice, TAdviceCreate, TVendor, TVendorCreate } from '../../../shared/contracts/pd-adv.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, guardRefusal, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, getStoredFile, saveUpload } from '../../platform/files/files.ts';
import { assertMayWithdraw } from './pd.open.register.ts';
import * as advRepo from './pd.adv.repo.ts';
import { adviceNoOf, bankOfIfsc, extensionOf } from './pd.adv.rules.ts';
import { pdAccountAccess } from './pd.policy.ts';
import * as repo from './pd.repo.ts';
import { echequeOut } from './pd.service.ts';

/**
 * The vendor master and advices of a PD account (spec 08 withdrawals 2 and 4; seed 004 annexure
 * para 3(4) and 3(6)); docs/PD.md "Vendor master and advices".
 *
 * Who: the PD administrator (`pd.withdraw`) adds vendors and makes and approves advices on its
 * own account; reads (`pd.read`) follow the account's scope — the administrator its account, the
 * treasury officer its treasury's, Finance all; a record outside it is "not found" (404), as on
 * every PD route. The seed gives the advice to the administrator alone (one login per account:
 * it makes and approves the advice); the checker of every e-cheque stays the treasury officer,
 * who cannot be its maker (bar A3, pd_echeques_maker_checker).
 */

async function accountInScope(db: DbOrTx, ctx: Ctx, id: number): Promise<repo.AccountRow> {
  await requireRecord(db, actorOf(ctx), pdAccountAccess, id);
  const a = await repo.getAccount(db, id);
  if (!a) throw new AppError('not_found');
  return a;
}

/**
 * Refuses (not found) before the vendor form is read when the account is outside the user's
 * scope, so someone else's account never learns more than "not found" — not even that the
 * request was not a form (bar: authorised on the object, whatever the body).
 */
export async function assertVendorAccount(db: DbOrTx, ctx: Ctx, accountId: number): Promise<void> {
  await accountInScope(db, ctx, accountId);
}

function vendorOut(v: advRepo.VendorRow): TVendor {
  return {
    id: v.id,
    accountId: v.accountId,
    name: v.name,
    bankAccountNo: maskAccount(v.bankAccountNo),
    bankName: v.bankName,
    ifsc: v.ifsc,
    proofKind: v.proofKind,
    proofMime: v.proofMime,
    createdAt: v.createdAt.toISOString(),
  };
}

export async function listVendors(db: Db, ctx: Ctx, accountId: number): Promise<{ items: TVendor[] }> {
  await accountInScope(db, ctx, accountId);
  return { items: (await advRepo.vendorsOf(db, accountId)).map(vendorOut) };
}

/**
 * Adds a vendor to the account's master with its proof (cancelled cheque, bank statement or
 * passbook), already accepted by the route as a PDF, JPEG or PNG by content within the size
 * limit. The same bank account and IFSC twice on one account is 409; nothing is saved then.
 */
export async function createVendor(db: Db, ctx: Ctx, store: FileStore, accountId: number, input: TVendorCreate, proof: AcceptedFile): Promise<TVendor> {
  const actor = actorOf(ctx);
  const a = await accountInScope(db, ctx, accountId);
  const dup = () => new AppError('pd_vendor_duplicate', { errors: [{ field: 'bankAccountNo', code: 'already_added' }] });
  if (await advRepo.vendorByBank(db, accountId, input.bankAccountNo, input.ifsc)) throw dup();
  const bankName = input.bankName && input.bankName !== '' ? input.bankName : bankOfIfsc(input.ifsc);
  let id: number;
  try {
    id = await db.transaction(async (tx) => {
      const { file } = await saveUpload(tx, store, proof, actor.userId, ctx.now);
      const v = await advRepo.insertVendor(tx, {
        accountId,
        name: input.name,
        bankAccountNo: input.bankAccountNo,
        bankName,
        ifsc: input.ifsc,
        proofKind: input.proofKind,
        proofFileId: file.id,
        createdBy: actor.userId,
        createdAt: ctx.now,
      });
      await recordAudit(tx, ctx, {
        entity: 'pd_vendor',
        entityId: v.id,
        action: 'create',
        after: {
          accountId,
          name: input.name,
          bankAccountNo: maskAccount(input.bankAccountNo),
          ifsc: input.ifsc,
          bankName,
          proofKind: input.proofKind,
          proofFileId: file.id,
        },
        departmentId: a.departmentId,
      });
      return v.id;
    });
  } catch (e) {
    if (isUniqueViolation(e) && pgConstraint(e) === 'pd_vendors_bank_uq') throw dup();
    throw guardRefusal(e) ?? e;
  }
  return vendorOut((await advRepo.getVendor(db, id))!);
}

/** A vendor's proof document, for whoever may see the account. */
export async function vendorProof(db: Db, ctx: Ctx, store: FileStore, accountId: number, vendorId: number) {
  await accountInScope(db, ctx, accountId);
  const v = await advRepo.getVendor(db, vendorId);
  if (!v || v.accountId !== accountId) throw new AppError('not_found');
  const f = await getStoredFile(db, v.proofFileId);
  if (!f) throw new AppError('not_found');
  return { bytes: await store.get(f.storageKey), mime: f.mime, name: `${v.proofKind}-${v.id}${extensionOf(f.mime)}` };
}

async function adviceOut(db: DbOrTx, rows: advRepo.AdviceRow[]): Promise<TAdvice[]> {
  if (rows.length === 0) return [];
  const items = await advRepo.echequesOfAdvices(
    db,
    rows[0]!.accountId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    adviceNo: adviceNoOf(r.accountNo, r.id),
    accountId: r.accountId,
    accountNo: r.accountNo,
    state: r.state,
    totalPaise: Number(r.totalPaise),
    count: Number(r.count),
    createdAt: r.createdAt.toISOString(),
    approvedAt: r.approvedAt ? r.approvedAt.toISOString() : null,
    echeques: (items.get(r.id) ?? []).map(echequeOut),
  }));
}

export async function listAdvices(db: Db, ctx: Ctx, accountId: number): Promise<{ items: TAdvice[] }> {
  await accountInScope(db, ctx, accountId);
  return { items: await adviceOut(db, await advRepo.advicesOf(db, accountId)) };
}

async function adviceInScope(db: DbOrTx, ctx: Ctx, id: number): Promise<advRepo.AdviceRow> {
  const a = await advRepo.getAdvice(db, id);
  if (!a) throw new AppError('not_found');
  await requireRecord(db, actorOf(ctx), pdAccountAccess, a.accountId);
  return a;
}

export async function getAdvice(db: Db, ctx: Ctx, id: number): Promise<TAdvice> {
  const a = await adviceInScope(db, ctx, id);
  return (await adviceOut(db, [a]))[0]!;
}

const hashOf = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

function keyOf(key: string | undefined): string {
  const k = key?.trim() ?? '';
  if (k.length < 8 || k.length > 100) throw new AppError('idempotency_key_required');
  return k;
}

/**
 * The administrator selects some or all prepared e-cheques of ONE account into an advice (a
 * draft). Refused, nothing saved: no e-cheque (400 pd_advice_empty); an e-cheque not of this
 * account, or none at all (400 pd_advice_echeque_not_on_account — another account's e-cheque is
 * not told apart from a missing one); one not prepared (409); one already in an advice (409).
 * Idempotent on the key (bar M1): the same key and selection give the same advice; the same key
 * with another selection is 422; no key is 400.
 */
export async function createAdvice(
  db: Db,
  ctx: Ctx,
  accountId: number,
  key: string | undefined,
  input: TAdviceCreate,
): Promise<{ advice: TAdvice; replayed: boolean }> {
  const a = await accountInScope(db, ctx, accountId);
  const idemKey = keyOf(key);
  const ids = [...new Set(input.echequeIds)].sort((x, y) => x - y);
  const hash = hashOf({ accountId, echequeIds: ids });
  const replay = async (row: advRepo.AdviceRow) => {
    if (row.requestHash !== hash) throw new AppError('idempotency_key_reused');
    return { advice: (await adviceOut(db, [row]))[0]!, replayed: true };
  };
  const existing = await advRepo.adviceByKey(db, accountId, idemKey);
  if (existing) return replay(existing);
  try {
    const id = await createOnce(db, ctx, a.departmentId, accountId, idemKey, hash, ids, input.echequeIds);
    return { advice: (await adviceOut(db, [(await advRepo.getAdvice(db, id))!]))[0]!, replayed: false };
  } catch (e) {
    // The same key at the same moment: another request made the advice — while this one was
    // checking its e-cheques (now "in an advice") or inside the transaction (the key's or an
    // e-cheque's unique index). Every such refusal is that advice's replay (20 identical
    // requests at once: one advice, twenty 201s; PostgreSQL showed 409s here).
    const other = await advRepo.adviceByKey(db, accountId, idemKey);
    if (other) return replay(other);
    if (isUniqueViolation(e) && pgConstraint(e) === 'pd_advice_items_echeque_uq') throw new AppError('pd_advice_echeque_in_advice');
    if (e instanceof AppError) throw e;
    throw guardRefusal(e) ?? e;
  }
}

async function createOnce(
  db: Db,
  ctx: Ctx,
  departmentId: number | null,
  accountId: number,
  idemKey: string,
  hash: string,
  ids: number[],
  asSent: number[],
): Promise<number> {
  const actor = actorOf(ctx);
  if (ids.length === 0) throw new AppError('pd_advice_empty', { errors: [{ field: 'echequeIds', code: 'required' }] });
  const found = new Map((await advRepo.echequesForAdvice(db, ids)).map((e) => [e.id, e]));
  const at = (i: number) => `echequeIds.${asSent.indexOf(ids[i]!)}`;
  for (const [i, id] of ids.entries()) {
    const e = found.get(id);
    if (!e || e.accountId !== accountId) throw new AppError('pd_advice_echeque_not_on_account', { errors: [{ field: at(i), code: 'not_found' }] });
  }
  for (const [i, id] of ids.entries()) {
    const e = found.get(id)!;
    if (e.state !== 'prepared') throw new AppError('pd_advice_echeque_not_prepared', { errors: [{ field: at(i), code: 'invalid_value' }] });
    if (e.inAdvice !== null) throw new AppError('pd_advice_echeque_in_advice', { errors: [{ field: at(i), code: 'invalid_value' }] });
  }
  return db.transaction(async (tx) => {
    const adviceId = await advRepo.insertAdvice(
      tx,
      { accountId, idempotencyKey: idemKey, requestHash: hash, createdBy: actor.userId, createdAt: ctx.now },
      ids,
    );
    await recordAudit(tx, ctx, {
      entity: 'pd_advice',
      entityId: adviceId,
      action: 'create',
      after: { accountId, echequeIds: ids, state: 'draft' },
      departmentId,
    });
    return adviceId;
  });
}

/**
 * The administrator approves a draft advice with the second factor (bar A5, the platform's one
 * step-up mechanism): its e-cheques go to the treasury officer's worklist. Idempotent on the key
 * (bar M1): the same key on the same advice answers the approved advice again; the key used for
 * another advice is 422; an advice already approved under another key is 409. Every e-cheque
 * must still be prepared.
 */
export async function approveAdvice(
  db: Db,
  ctx: Ctx,
  id: number,
  key: string | undefined,
  otp: string | undefined,
): Promise<{ advice: TAdvice; replayed: boolean }> {
  const actor = actorOf(ctx);
  const a = await adviceInScope(db, ctx, id);
  // An account opened with an issued password withdraws nothing until it is changed (pd.open.ts).
  await assertMayWithdraw(db, ctx);
  const approveKey = keyOf(key);
  const hash = hashOf({ adviceId: id });
  const replayed = async (): Promise<{ advice: TAdvice; replayed: true } | null> => {
    const byKey = await advRepo.adviceByApproveKey(db, a.accountId, approveKey);
    if (!byKey) return null;
    if (byKey.approveHash !== hash) throw new AppError('idempotency_key_reused');
    return { advice: (await adviceOut(db, [byKey]))[0]!, replayed: true };
  };
  const earlier = await replayed();
  if (earlier) return earlier;
  if (a.state !== 'draft') throw new AppError('pd_advice_not_draft');
  const items = (await advRepo.echequesOfAdvices(db, a.accountId, [id])).get(id) ?? [];
  if (items.some((e) => e.state !== 'prepared')) throw new AppError('pd_advice_echeque_not_prepared');
  const stepUpKey = `pd-advice-approval:${id}`;
  await checkStepUp(db, ctx, otp, stepUpKey);
  const account = await repo.getAccount(db, a.accountId);
  try {
    await db.transaction(async (tx) => {
      await consumeStepUp(tx, ctx, otp, stepUpKey);
      const changed = await advRepo.approveAdvice(tx, id, { approveKey, approveHash: hash, approvedBy: actor.userId, approvedAt: ctx.now });
      if (!changed) throw new AppError('pd_advice_not_draft');
      await recordAudit(tx, ctx, {
        entity: 'pd_advice',
        entityId: id,
        action: 'approve',
        before: { state: 'draft' },
        after: { state: 'approved', echequeIds: items.map((e) => e.id), totalPaise: Number(a.totalPaise) },
        departmentId: account?.departmentId ?? null,
      });
    });
  } catch (e) {
    // The same key sent at the same moment: the other request approved it.
    if ((e instanceof AppError && e.code === 'pd_advice_not_draft') || (isUniqueViolation(e) && pgConstraint(e) === 'pd_advices_approve_uq')) {
      const other = await replayed();
      if (other) return other;
    }
    if (e instanceof AppError) throw e;
    throw guardRefusal(e) ?? e;
  }
  return { advice: (await adviceOut(db, [(await advRepo.getAdvice(db, id))!]))[0]!, replayed: false };
}
