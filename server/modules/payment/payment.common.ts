import { createHash } from 'node:crypto';
import { fileLimit } from '../../../shared/domain/file-limits.ts';
import { MAX_PAYMENT_FILE_BYTES, type TImportResult, type TImportRow } from '../../../shared/contracts/payment.ts';
import type { TFieldCode, TFieldError } from '../../../shared/errors.ts';
import type { DbOrTx } from '../../db/client.ts';
import { AppError, guardRefusal, isUniqueViolation, pgConstraint, fileRefusal } from '../../platform/errors.ts';
import { readTable } from '../../platform/tabular/tabular.ts';
import * as repo from './payment.repo.ts';

/**
 * Bills to IFMIS, payments, worker credits and pay dates (spec 06, issue 17; docs/PAYMENTS.md).
 *
 * Who does what (decided here, documented in docs/PAYMENTS.md): the DDO who pays the bill sends it
 * to IFMIS and records its payments (by hand or from the treasury's payment file), each with the
 * second factor (bar A5); the agency records what each worker received; Finance and the
 * department read everything in their scope. Every money action takes an Idempotency-Key (bar
 * M1) and writes its rows, the workflow step, the invoice event and the audit entry in one
 * transaction (bar M5).
 *
 * The use cases live one file each: payment.bill-read.ts, payment.bill-send.ts, payment.record.ts,
 * payment.import.ts, payment.credits.ts, payment.pay-dates.ts; this file holds what they share.
 */

export const n = (v: string | number | null | undefined) => Number(v ?? 0);

export function hashOf(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex');
}

/** A file's bad rows as field errors `rows.<row>.<field>` (the problem document's `errors`). */
export function rowErrors(rows: readonly TImportRow[]): TFieldError[] {
  return rows.flatMap((r) => r.errors.map((e) => ({ field: `rows.${r.row}.${e.field}`, code: e.code as TFieldCode })));
}

export function requireKey(key: string | undefined): string {
  const k = key?.trim() ?? '';
  if (k.length < 8 || k.length > 100) throw new AppError('idempotency_key_required');
  return k;
}

/** Database refusals of a money action as the errors users get. */
export function translateDb(e: unknown): never {
  if (e instanceof AppError) throw e;
  const msg = `${(e as Error)?.message ?? ''} ${((e as { cause?: Error }).cause as Error | undefined)?.message ?? ''}`;
  if (msg.includes('ROAMS_OVERPAID')) throw new AppError('payment_above_payable', { errors: [{ field: 'amountPaise', code: 'too_big' }] });
  if (isUniqueViolation(e) && (pgConstraint(e) === 'payments_utr_uq' || pgConstraint(e) === 'worker_credits_utr_uq'))
    throw new AppError('utr_duplicate', { errors: [{ field: 'utr', code: 'duplicate' }] });
  if (isUniqueViolation(e) && pgConstraint(e) === 'payments_reverses_uq') throw new AppError('payment_already_returned');
  throw guardRefusal(e) ?? e;
}

/** Another request with the same key got there first: answer as its replay. */
export class SameKey extends Error {}

export function decodeFile(contentBase64: string): Buffer {
  const buf = Buffer.from(contentBase64, 'base64');
  if (buf.length === 0) throw new AppError('file_empty');
  if (buf.length > MAX_PAYMENT_FILE_BYTES) throw fileRefusal('file_too_large', fileLimit(MAX_PAYMENT_FILE_BYTES, 'table'), 'contentBase64');
  return buf;
}

export async function readRows<K extends string>(buf: Buffer, columns: Record<string, K>): Promise<{ row: number; cells: Record<K, string> }[]> {
  let table: Awaited<ReturnType<typeof readTable>>;
  try {
    table = await readTable(buf);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('import_invalid');
  }
  const keys = [...new Set(Object.values(columns))];
  const out = table.rows.map(({ row, cells }) => {
    const r = {} as Record<K, string>;
    for (const k of keys) r[k] = '';
    for (const [h, v] of Object.entries(cells)) {
      const k = columns[h.trim().toLowerCase()];
      if (k) r[k] = String(v ?? '').trim();
    }
    return { row, cells: r };
  });
  if (out.length === 0) throw new AppError('file_empty');
  if (out.length > 5000) throw new AppError('import_invalid');
  return out;
}

/**
 * A file (or form) saved before under this Idempotency-Key: its result again, rows included (kept with
 * the batch, migration 0046: a double click or a retry gets the answer the save gave);
 * the key used for another request is 422 `idempotency_key_reused`; null when the key is new.
 */
export async function batchReplay(db: DbOrTx, userId: number, key: string | undefined, hash: string): Promise<TImportResult | null> {
  const earlier = await repo.batchByKey(db, userId, requireKey(key));
  if (!earlier) return null;
  if (earlier.request_hash !== hash) throw new AppError('idempotency_key_reused');
  return {
    dryRun: false,
    saved: true,
    batchId: earlier.id,
    rowsTotal: earlier.rows_total,
    rowsGood: earlier.rows_saved,
    rowsBad: earlier.rows_refused,
    // The rows the save answered with: a replay is the same answer (null: a batch older than the column).
    rows: (earlier.result_rows as TImportRow[] | null) ?? [],
  };
}
