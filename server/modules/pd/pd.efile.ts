import { createHash } from 'node:crypto';
import { fileLimit } from '../../../shared/domain/file-limits.ts';
import {
  MAX_SCROLL_BYTES,
  type TAccountBankersCheques,
  type TBankersCheque,
  type TBankersChequeCreate,
  type TEfile,
  type TEfileCreate,
  type TEfileSummary,
  type TScrollResult,
  type TScrollUpload,
} from '../../../shared/contracts/pd-efile.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { formatPaise } from '../../../shared/domain/money.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, fieldError, guardRefusal, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import * as repo from './pd.efile.repo.ts';
import { pdEfileAccess } from './pd.efile.policy.ts';
import { buildEfile, efileNo, readScroll, scrollText } from './pd.efile.rules.ts';
import { pdAccountAccess } from './pd.policy.ts';
import { getEcheque } from './pd.repo.ts';
import { echequeOut } from './pd.service.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * The e-file to the bank and the bank's payment scroll (issue 18 items 4–5; seed 004 para 3(7),
 * 3(8) and 5; docs/PD-EFILE.md). The treasury officer generates an e-file from passed vendor
 * e-cheques (they go to in_efile), downloads it for the bank, imports the bank's scroll (paid
 * e-cheques are discharged, failed ones marked failed with the bank's reason) and records the
 * banker's cheque that replaces a failed e-payment. No PD money moves here: it left the line when
 * the e-cheque was passed.
 */

function totalsOut(r: repo.EfileSummaryRow): TEfileSummary {
  const status = r.outstanding_count === 0 ? 'reconciled' : r.outstanding_count === r.sent_count ? 'awaiting_scroll' : 'part_reconciled';
  return {
    id: r.id,
    fileNo: r.file_no,
    treasuryEn: r.treasury_en,
    treasuryHi: r.treasury_hi,
    createdAt: new Date(r.created_at).toISOString(),
    status,
    scrolls: r.scrolls,
    totals: {
      sentCount: r.sent_count,
      sentPaise: r.sent_paise,
      dischargedCount: r.discharged_count,
      dischargedPaise: r.discharged_paise,
      failedCount: r.failed_count,
      failedPaise: r.failed_paise,
      outstandingCount: r.outstanding_count,
      outstandingPaise: r.outstanding_paise,
      bankersChequeCount: r.bankers_count,
    },
  };
}

function bankersChequeOut(b: Awaited<ReturnType<typeof repo.bankersChequesOf>>[number]): TBankersCheque {
  return {
    id: b.id,
    echequeId: b.echequeId,
    chequeNo: b.chequeNo,
    chequeDate: b.chequeDate,
    bankName: b.bankName,
    amountPaise: Number(b.amountPaise),
    recordedAt: b.recordedAt.toISOString(),
  };
}

/** The e-files the caller may see (the treasury officer its treasury's; the state all), with their reconciliation. */
export async function listEfiles(db: Db, ctx: Ctx): Promise<{ items: TEfileSummary[] }> {
  const reach = await reachOf(db, actorOf(ctx));
  return { items: (await repo.listEfiles(db, reach)).map(totalsOut) };
}

async function efileInScope(db: DbOrTx, ctx: Ctx, id: number): Promise<repo.EfileRow> {
  await requireRecord(db, actorOf(ctx), pdEfileAccess, id);
  const f = await repo.getEfile(db, id);
  if (!f) throw new AppError('not_found');
  return f;
}

async function efileOut(db: DbOrTx, f: repo.EfileRow): Promise<TEfile> {
  const [summary, items, scrolls] = await readAll(db, [() => repo.efileSummary(db, f.id), () => repo.itemsOf(db, f.id), () => repo.scrollsOf(db, f.id)]);
  const ids = items.map((i) => i.echequeId);
  const [echeques, cheques] = await readAll(db, [() => repo.echequeRows(db, ids), () => repo.bankersChequesOf(db, ids)]);
  const byId = new Map(echeques.map((e) => [e.id, e]));
  const chequeOf = new Map(cheques.map((b) => [b.echequeId, b]));
  return {
    ...totalsOut(summary!),
    sha256: f.sha256,
    items: items.map((i) => {
      const b = chequeOf.get(i.echequeId);
      return {
        seq: i.seq,
        echeque: echequeOut(byId.get(i.echequeId)!),
        outcome: i.outcome,
        bankRef: i.bankRef ?? '',
        valueDate: i.valueDate,
        reason: i.reason ?? '',
        bankersCheque: b ? bankersChequeOut(b) : null,
      };
    }),
    scrollList: scrolls.map((s) => ({
      id: s.id,
      fileName: s.fileName,
      rowsTotal: s.rowsTotal,
      paid: s.paid,
      failed: s.failed,
      importedAt: s.importedAt.toISOString(),
    })),
  };
}

export async function getEfile(db: Db, ctx: Ctx, id: number): Promise<TEfile> {
  return efileOut(db, await efileInScope(db, ctx, id));
}

/** The e-file's text exactly as generated (the bank's copy), with its file name. */
export async function efileText(db: Db, ctx: Ctx, id: number): Promise<{ body: string; filename: string }> {
  const f = await efileInScope(db, ctx, id);
  return { body: f.content, filename: f.fileNo };
}

/** The treasury whose officer the caller is; e-files are made and reconciled only there. */
function treasuryOf(ctx: Ctx): number {
  const actor = actorOf(ctx);
  if (actor.scopeKind !== 'treasury') throw new AppError('pd_efile_treasury_only');
  return actor.scopeId;
}

function requestHash(treasuryId: number, ids: readonly number[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ treasuryId, echequeIds: ids }))
    .digest('hex');
}

async function replay(db: DbOrTx, existing: repo.EfileRow, hash: string): Promise<{ efile: TEfile; replayed: true }> {
  if (existing.requestHash !== hash) throw new AppError('idempotency_key_reused');
  return { efile: await efileOut(db, existing), replayed: true };
}

/**
 * Generates an e-file from passed vendor e-cheques of the officer's treasury. Each e-cheque must
 * be on an account of that treasury (else not found), a vendor payment (a book transfer is
 * settled by book entry, never sent to the bank), passed (not already in an e-file) and not
 * prepared by the officer (bar A3). The e-cheques move to in_efile and the file is stored in one
 * transaction with its audit entries. Idempotent on the key (bar M1); confirmed with the second
 * factor (bar A5). Two generations at once cannot share an e-cheque: the move re-reads each
 * e-cheque's state under its row lock, and the database holds one e-file per e-cheque.
 */
export async function generateEfile(db: Db, ctx: Ctx, key: string | undefined, input: TEfileCreate): Promise<{ efile: TEfile; replayed: boolean }> {
  const treasuryId = treasuryOf(ctx);
  const idemKey = key?.trim() ?? '';
  if (idemKey.length < 8 || idemKey.length > 100) throw new AppError('idempotency_key_required');
  const ids = [...new Set(input.echequeIds)].sort((a, b) => a - b);
  const hash = requestHash(treasuryId, ids);
  const existing = await repo.efileByKey(db, treasuryId, idemKey);
  if (existing) return replay(db, existing, hash);
  try {
    return { efile: await generateOnce(db, ctx, treasuryId, idemKey, ids, hash, input.otp), replayed: false };
  } catch (err) {
    // The same key at the same moment: another request made the e-file — while this one was
    // checking its e-cheques (now in that e-file, "not passed"), its second factor (consumed) or
    // inside the transaction (the key's unique index). Every such refusal is that e-file's replay
    // (20 identical requests at once: one e-file, twenty 201s; CI once saw two 409s here).
    const other = await repo.efileByKey(db, treasuryId, idemKey);
    if (other) return replay(db, other, hash);
    if (isUniqueViolation(err) && pgConstraint(err) === 'pd_efile_items_echeque_uq') throw new AppError('pd_echeque_not_passed', { params: { id: ids[0]! } });
    if (err instanceof AppError) throw err;
    throw guardRefusal(err) ?? err;
  }
}

async function generateOnce(db: Db, ctx: Ctx, treasuryId: number, idemKey: string, ids: number[], hash: string, otp: TEfileCreate['otp']): Promise<TEfile> {
  const actor = actorOf(ctx);
  const rows = await repo.echequesForEfile(db, ids);
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const e = found.get(id);
    if (!e) throw new AppError('not_found');
    await requireRecord(db, actor, pdAccountAccess, e.accountId);
  }
  for (const e of rows) {
    if (e.payeeKind !== 'vendor') throw new AppError('pd_echeque_book_transfer', { params: { id: e.id } });
    if (e.preparedBy === actor.userId) throw new AppError('maker_checker');
    if (e.state !== 'passed') throw new AppError('pd_echeque_not_passed', { params: { id: e.id } });
  }
  const stepUpKey = `pd-efile:${treasuryId}:${idemKey}`;
  try {
    await checkStepUp(db, ctx, otp, stepUpKey);
  } catch (err) {
    // A twin under another key (a second click) may have put these e-cheques in its e-file since
    // the first look, and spent the code doing so: that is "not passed" (409), not the code's 422.
    // (generateEfile answers this key's own replay first.)
    if (!(err instanceof AppError) || err.code !== 'otp_expired') throw err;
    const gone = (await repo.echequesForEfile(db, ids)).find((e) => e.state !== 'passed');
    if (gone) throw new AppError('pd_echeque_not_passed', { params: { id: gone.id } });
    throw err;
  }
  const code = await repo.treasuryCode(db, treasuryId);
  const createdOn = todayIst(ctx.now);
  const efileId = await db.transaction(async (tx) => {
    // The e-cheques' state before the code: a twin past the code check while the first was being
    // written finds them in that e-file (409), not the code spent (422).
    const moved = new Set(await repo.markInEfile(tx, ids));
    const missing = ids.find((id) => !moved.has(id));
    if (missing !== undefined) throw new AppError('pd_echeque_not_passed', { params: { id: missing } });
    await consumeStepUp(tx, ctx, otp, stepUpKey);
    const id = await repo.nextEfileId(tx);
    const fileNo = efileNo(code, createdOn, id);
    const content = buildEfile(
      { fileNo, treasuryCode: code, createdOn },
      rows.map((e) => ({
        echequeId: e.id,
        accountNo: e.accountNo,
        payeeName: e.payeeName,
        payeeAccountNo: e.payeeAccountNo,
        payeeIfsc: e.payeeIfsc,
        amountPaise: Number(e.amountPaise),
      })),
    );
    const total = rows.reduce((s, e) => s + Number(e.amountPaise), 0);
    await repo.insertEfile(
      tx,
      {
        id,
        fileNo,
        treasuryId,
        echequeCount: rows.length,
        totalPaise: total,
        content,
        sha256: createHash('sha256').update(content, 'utf8').digest('hex'),
        idempotencyKey: idemKey,
        requestHash: hash,
        createdBy: actor.userId,
        createdAt: ctx.now,
      },
      rows.map((e, i) => ({ efileId: id, seq: i + 1, echequeId: e.id, amountPaise: Number(e.amountPaise) })),
    );
    await recordAudit(tx, ctx, {
      entity: 'pd_efile',
      entityId: id,
      action: 'generate',
      after: { fileNo, treasuryId, echequeIds: ids, count: rows.length, totalPaise: total },
    });
    for (const e of rows)
      await recordAudit(tx, ctx, {
        entity: 'pd_echeque',
        entityId: e.id,
        action: 'efile',
        before: { state: 'passed' },
        after: { state: 'in_efile', efileId: id, fileNo },
        departmentId: e.departmentId,
      });
    return id;
  });
  return efileOut(db, (await repo.getEfile(db, efileId))!);
}

/**
 * Imports the bank's scroll for an e-file (format: docs/PD-EFILE.md). The whole file is checked
 * first — a text file, the header, each row's form, then each row against the e-file: a known
 * e-cheque, in this e-file, still awaiting the bank, not given twice, for the amount sent — and
 * any error refuses the whole file (422, every error naming its row, nothing saved). A good scroll
 * discharges the paid e-cheques and marks the failed ones with the bank's reason, in one
 * transaction with its audit entries. The same file again is the same import (nothing changes).
 */
export async function importScroll(db: Db, ctx: Ctx, efileId: number, input: TScrollUpload): Promise<TScrollResult> {
  const f = await efileInScope(db, ctx, efileId);
  treasuryOf(ctx);
  const buf = Buffer.from(input.contentBase64, 'base64');
  if (buf.length === 0) throw new AppError('validation_failed', { errors: [{ field: 'contentBase64', code: 'file_empty' }] });
  if (buf.length > MAX_SCROLL_BYTES) {
    const limit = fileLimit(MAX_SCROLL_BYTES, 'text');
    throw new AppError('validation_failed', { errors: [{ field: 'contentBase64', code: 'file_too_large', params: limit }] });
  }
  const text = scrollText(buf);
  if (text === null) throw new AppError('pd_scroll_not_text');
  const sha = createHash('sha256').update(buf).digest('hex');
  const done = await repo.scrollBySha(db, f.id, sha);
  if (done) return { efile: await efileOut(db, f), scrollId: done.id, replayed: true, paid: done.paid, failed: done.failed };
  try {
    return await importOnce(db, ctx, f, input, text, sha);
  } catch (err) {
    // The same file at the same moment: another request imported it — while this one was checking
    // its rows (now settled: "not outstanding") or inside the transaction (the file's unique
    // index, the settled e-cheques). Every such refusal is that scroll's replay.
    const other = await repo.scrollBySha(db, f.id, sha);
    if (other) return { efile: await efileOut(db, f), scrollId: other.id, replayed: true, paid: other.paid, failed: other.failed };
    throw err;
  }
}

async function importOnce(db: Db, ctx: Ctx, f: repo.EfileRow, input: TScrollUpload, text: string, sha: string): Promise<TScrollResult> {
  const actor = actorOf(ctx);
  const { rows, errors } = readScroll(text, todayIst(ctx.now));
  const items = await repo.itemsOf(db, f.id);
  const inFile = new Map(items.map((i) => [i.echequeId, i]));
  const visible = await repo.visibleEcheques(
    db,
    await reachOf(db, actor),
    rows.map((r) => r.echequeId),
  );
  const firstRow = new Map<number, number>();
  const rowErrors: TFieldError[] = [...errors];
  for (const r of rows) {
    const at = { row: r.row, echeque: r.echequeId };
    const push = (code: TFieldError['code'], params: Record<string, string | number> = {}) =>
      rowErrors.push({ field: `rows.${r.row}.echeque_no`, code, params: { ...at, ...params } });
    const item = inFile.get(r.echequeId);
    if (firstRow.has(r.echequeId)) push('scroll_duplicate_row', { first: firstRow.get(r.echequeId)! });
    else if (!item && !visible.has(r.echequeId)) push('scroll_unknown_echeque');
    else if (!item || r.efileNo !== f.fileNo) push('scroll_not_in_efile', { efile: f.fileNo });
    else if (item.state !== 'in_efile') push('scroll_not_outstanding');
    else if (item.amountPaise !== r.amountPaise) push('scroll_amount_differs', { expected: item.amountPaise, amount: r.amountPaise });
    if (!firstRow.has(r.echequeId)) firstRow.set(r.echequeId, r.row);
  }
  if (rowErrors.length > 0) {
    rowErrors.sort((a, b) => Number(a.params?.row ?? 0) - Number(b.params?.row ?? 0));
    throw new AppError('pd_scroll_has_errors', { errors: rowErrors.slice(0, 200) });
  }
  const paid = rows.filter((r) => r.outcome === 'paid');
  const failed = rows.filter((r) => r.outcome === 'failed');
  let scrollId: number;
  try {
    scrollId = await db.transaction(async (tx) => {
      const id = await repo.insertScroll(
        tx,
        {
          efileId: f.id,
          fileName: input.fileName,
          sha256: sha,
          rowsTotal: rows.length,
          paid: paid.length,
          failed: failed.length,
          importedBy: actor.userId,
          importedAt: ctx.now,
        },
        rows.map((r) => ({
          rowNo: r.row,
          echequeId: r.echequeId,
          outcome: r.outcome,
          amountPaise: r.amountPaise,
          bankRef: r.bankRef,
          valueDate: r.valueDate,
          reason: r.reason,
        })),
      );
      const discharged = await repo.settle(
        tx,
        f.id,
        paid.map((r) => r.echequeId),
        'discharged',
      );
      const failedIds = await repo.settle(
        tx,
        f.id,
        failed.map((r) => r.echequeId),
        'failed',
      );
      // Another scroll settled some of these meanwhile: refuse this one whole.
      if (discharged.length !== paid.length || failedIds.length !== failed.length) throw new AppError('pd_echeque_transition');
      await recordAudit(tx, ctx, {
        entity: 'pd_efile',
        entityId: f.id,
        action: 'import_scroll',
        after: { scrollId: id, fileName: input.fileName, sha256: sha, rows: rows.length, paid: paid.length, failed: failed.length },
      });
      for (const r of rows)
        await recordAudit(tx, ctx, {
          entity: 'pd_echeque',
          entityId: r.echequeId,
          action: r.outcome === 'paid' ? 'discharge' : 'payment_failed',
          before: { state: 'in_efile' },
          after:
            r.outcome === 'paid'
              ? { state: 'discharged', bankRef: r.bankRef, valueDate: r.valueDate, scrollId: id }
              : { state: 'failed', reason: r.reason, scrollId: id },
        });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err) && pgConstraint(err) === 'pd_scroll_rows_echeque_uq') throw new AppError('pd_echeque_transition');
    if (err instanceof AppError) throw err;
    throw guardRefusal(err) ?? err;
  }
  return { efile: await efileOut(db, f), scrollId, replayed: false, paid: paid.length, failed: failed.length };
}

/**
 * Records the banker's cheque the bank issued in place of a failed e-payment (seed 004 para
 * 3(8)): its number, date, bank and amount, which must be the e-cheque's. Only for a failed
 * e-cheque of the officer's treasury, once; not by the e-cheque's maker (bar A3). The e-cheque
 * stays failed with the cheque linked; no PD money moves.
 */
export async function recordBankersCheque(db: Db, ctx: Ctx, echequeId: number, input: TBankersChequeCreate): Promise<TBankersCheque> {
  const actor = actorOf(ctx);
  const e = await getEcheque(db, echequeId);
  if (!e) throw new AppError('not_found');
  await requireRecord(db, actor, pdAccountAccess, e.accountId);
  treasuryOf(ctx);
  if (e.preparedBy === actor.userId) throw new AppError('maker_checker');
  if (e.state !== 'failed') throw new AppError('pd_echeque_not_failed');
  if (input.amountPaise !== Number(e.amountPaise))
    throw new AppError('validation_failed', {
      errors: [{ field: 'amountPaise', code: 'bankers_cheque_amount', params: { amount: formatPaise(Number(e.amountPaise)) } }],
    });
  if (input.chequeDate > todayIst(ctx.now)) throw fieldError('chequeDate', 'date_in_future');
  try {
    const b = await db.transaction(async (tx) => {
      const row = await repo.insertBankersCheque(tx, {
        echequeId,
        accountId: e.accountId,
        chequeNo: input.chequeNo,
        chequeDate: input.chequeDate,
        bankName: input.bankName,
        amountPaise: input.amountPaise,
        recordedBy: actor.userId,
        recordedAt: ctx.now,
      });
      await recordAudit(tx, ctx, {
        entity: 'pd_echeque',
        entityId: echequeId,
        action: 'bankers_cheque',
        after: { bankersChequeId: row.id, chequeNo: input.chequeNo, chequeDate: input.chequeDate, bankName: input.bankName, amountPaise: input.amountPaise },
      });
      return row;
    });
    return bankersChequeOut(b);
  } catch (err) {
    if (isUniqueViolation(err) && pgConstraint(err) === 'pd_bankers_cheques_echeque_uq') throw new AppError('pd_bankers_cheque_exists');
    if (err instanceof AppError) throw err;
    throw guardRefusal(err) ?? err;
  }
}

/** The banker's cheques recorded against an account (its administrator, its treasury, the state). */
export async function accountBankersCheques(db: Db, ctx: Ctx, accountId: number): Promise<TAccountBankersCheques> {
  await requireRecord(db, actorOf(ctx), pdAccountAccess, accountId);
  const rows = await repo.bankersChequesOfAccount(db, accountId);
  return { items: rows.map((r) => ({ ...bankersChequeOut(r.b), payeeName: r.payeeName, reason: r.reason ?? '' })) };
}
