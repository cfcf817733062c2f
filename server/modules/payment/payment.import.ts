import { createHash } from 'node:crypto';
import type { TImportResult, TImportRow, TPaymentImport } from '../../../shared/contracts/payment.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db } from '../../db/client.ts';
import { checkStepUp, consumeStepUp } from '../../platform/auth/step-up.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import * as repo from './payment.repo.ts';
import { checkPaymentRows, fileDate, type PaymentRowIn } from './payment.rules.ts';
import { batchReplay, decodeFile, hashOf, readRows, requireKey, rowErrors, translateDb } from './payment.common.ts';
import { billFacts, type GoodRow, writePayments } from './payment.record.ts';

const PAYMENT_COLUMNS: Record<string, keyof PaymentRowIn> = {
  bill_no: 'billNo',
  billno: 'billNo',
  'bill no': 'billNo',
  payee_seq: 'payee',
  payee: 'payee',
  account: 'payee',
  account_no: 'payee',
  pay_date: 'payDate',
  date: 'payDate',
  utr: 'utr',
  amount: 'amount',
  status: 'status',
};

/**
 * The treasury's payment file (CSV or XLSX: bill no, payee seq or account, date, UTR, amount in
 * rupees, status). A dry run lists every row with its errors and saves nothing; saving a file with
 * bad rows is refused (422 `payment_file_has_errors`, nothing saved) unless `saveGoodRows`, which
 * saves the good rows and lists the bad. The save (DDO, second factor, Idempotency-Key) writes the
 * batch and every good row in one transaction.
 */
export async function importPayments(
  db: Db,
  ctx: Ctx,
  key: string | undefined,
  input: TPaymentImport,
  codeRefused: AppError | null = null,
): Promise<TImportResult> {
  const actor = actorOf(ctx);
  const buf = decodeFile(input.contentBase64);
  const sha = createHash('sha256').update(buf).digest('hex');
  const hash = hashOf({ action: 'payment_import', sha, saveGoodRows: input.saveGoodRows });
  if (!input.dryRun) {
    const replay = await batchReplay(db, actor.userId, key, hash);
    if (replay) return replay;
  }
  const rows = await readRows(buf, PAYMENT_COLUMNS);
  const facts = await billFacts(
    db,
    ctx,
    rows.map((r) => r.cells.billNo),
  );
  const checked = checkPaymentRows(
    rows.map((r) => r.cells),
    facts,
    todayIst(ctx.now),
  );
  const out: TImportRow[] = rows.map((r, i) => {
    const c = checked[i]!;
    return {
      row: r.row,
      billNo: r.cells.billNo,
      payee: r.cells.payee,
      payDate: fileDate(r.cells.payDate) ?? r.cells.payDate,
      utr: r.cells.utr.toUpperCase(),
      amountPaise: c.ok ? c.amountPaise : c.amountPaise,
      status: r.cells.status.toLowerCase() || 'credited',
      errors: c.ok ? [] : c.errors,
    };
  });
  const good = checked.filter((c): c is GoodRow => c.ok);
  const result: TImportResult = {
    dryRun: input.dryRun,
    saved: false,
    batchId: null,
    rowsTotal: rows.length,
    rowsGood: good.length,
    rowsBad: rows.length - good.length,
    rows: out,
  };
  if (input.dryRun) return result;
  if (actor.role !== 'ddo') throw new AppError('forbidden');
  // The same key sent at the same moment may have saved this file since the first look.
  if ((result.rowsBad > 0 || good.length === 0) && key && (await repo.batchByKey(db, actor.userId, requireKey(key))))
    return importPayments(db, ctx, key, input);
  if (result.rowsBad > 0 && !input.saveGoodRows) throw new AppError('payment_file_has_errors', { errors: rowErrors(out) });
  if (good.length === 0) throw new AppError('payment_file_has_errors', { errors: rowErrors(out) });
  const idem = requireKey(key);
  // The rows pass again after the code was refused as spent: the code's refusal.
  if (codeRefused) throw codeRefused;
  try {
    await checkStepUp(db, ctx, input.code, idem);
  } catch (e) {
    // A twin under another key (a second click) may have saved this file since the rows were
    // checked, and spent the code doing so: look again — its rows now taken is what a later twin
    // gets (422 payment_file_has_errors), not the code's 422 otp_expired.
    if (e instanceof AppError && e.code === 'otp_expired') return importPayments(db, ctx, key, input, e);
    throw e;
  }
  try {
    result.batchId = await db.transaction(async (tx) => {
      await consumeStepUp(tx, ctx, input.code, idem);
      const batchId = await repo.insertBatch(tx, {
        kind: 'treasury_payments',
        fileName: input.fileName,
        sha,
        invoiceId: null,
        total: rows.length,
        saved: good.length,
        key: idem,
        hash,
        userId: actor.userId,
        at: ctx.now.toISOString(),
        rows: out,
      });
      await writePayments(tx, ctx, good, { source: 'import', batchId, key: null, hash: null, reason: '' });
      return batchId;
    });
  } catch (e) {
    if (isUniqueViolation(e) && pgConstraint(e) === 'payment_batches_idem_uq') return importPayments(db, ctx, key, input);
    // The same twin, past the code check while the first was being written: it finds the code spent.
    if (e instanceof AppError && e.code === 'otp_expired' && !codeRefused) return importPayments(db, ctx, key, input, e);
    translateDb(e);
  }
  result.saved = true;
  return result;
}
