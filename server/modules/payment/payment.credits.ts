import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { TCreditCreate, TImportResult, TImportRow, TInvoiceCredits } from '../../../shared/contracts/payment.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { reachOf, requireRecord, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, isUniqueViolation, pgConstraint } from '../../platform/errors.ts';
import * as invoice from '../invoice/index.ts';
import { creditInvoiceAccess } from './payment.policy.ts';
import * as repo from './payment.repo.ts';
import { creditFlag, fileDate, rupeesToPaise, UTR_PATTERN } from './payment.rules.ts';
import { batchReplay, decodeFile, hashOf, n, readRows, requireKey, rowErrors, translateDb } from './payment.common.ts';

// --- Worker credits -------------------------------------------------------------------------------

async function invoiceInScope(db: DbOrTx, ctx: Ctx, invoiceId: number): Promise<repo.InvoiceRow> {
  await requireRecord(db, actorOf(ctx), creditInvoiceAccess, invoiceId);
  const inv = await repo.getInvoice(db, invoiceId);
  if (!inv) throw new AppError('not_found');
  return inv;
}

/** Each worker of an invoice: net wage, what was credited, and the flag (ok / short / missing / over). */
export async function invoiceCredits(db: DbOrTx, ctx: Ctx, invoiceId: number): Promise<TInvoiceCredits> {
  const actor = actorOf(ctx);
  const inv = await invoiceInScope(db, ctx, invoiceId);
  const rows = await repo.detailCredits(db, invoiceId);
  const workers = rows.map((r) => {
    const net = n(r.net_wage_paise);
    const credited = n(r.credited_paise);
    return {
      invoiceDetailId: r.detail_id,
      resourceId: r.resource_id,
      nameEn: r.name_en,
      nameHi: r.name_hi,
      netWagePaise: net,
      creditedPaise: credited,
      shortPaise: Math.max(0, net - credited),
      lastCreditDate: r.last_credit_date,
      utrs: r.utrs ?? [],
      flag: creditFlag(net, credited),
    };
  });
  return {
    invoiceId,
    invoiceNo: inv.invoice_no,
    month: inv.month,
    agencyId: inv.agency_id,
    paymentMode: inv.payment_mode,
    workers,
    flagged: workers.filter((w) => w.flag !== 'ok').length,
    mayRecord: (actor.role === 'agency_admin' || actor.role === 'agency_operator') && inv.status === 'active' && inv.payment_mode !== 'direct',
  };
}

/**
 * Keeps the workflow's credited_at true to the credits: stamped (event `credited`) when every
 * worker's credits reach the net wage; cleared (event `credit_reopened`, audited) when a bank return
 * leaves a worker short after it was stamped. `returns` names the returned UTRs for the event.
 */
export async function syncCredited(tx: Tx, ctx: Ctx, invoiceId: number, departmentId: number, returns: readonly string[] = []): Promise<void> {
  const rows = await repo.detailCredits(tx, invoiceId);
  if (rows.length === 0) return;
  const actor = actorOf(ctx);
  const at = ctx.now.toISOString();
  const short = rows.filter((r) => n(r.credited_paise) < n(r.net_wage_paise));
  if (short.length === 0) {
    if (await invoice.stampCredited(tx, invoiceId, at))
      await invoice.insertBillEvent(tx, { invoiceId, action: 'credited', userId: actor.userId, role: actor.role, at });
  } else if (await invoice.clearCredited(tx, invoiceId, at)) {
    await invoice.insertBillEvent(tx, { invoiceId, action: 'credit_reopened', userId: actor.userId, role: actor.role, at, remarks: returns.join(', ') });
    await recordAudit(tx, ctx, {
      entity: 'invoice',
      entityId: invoiceId,
      action: 'credit_reopened',
      before: { credited: true },
      after: { credited: false, shortWorkers: short.map((r) => r.resource_id), returns },
      departmentId,
    });
  }
}

type CreditIn = { resourceId: string; utr: string; amount: string; creditDate: string };
const CREDIT_COLUMNS: Record<string, keyof CreditIn> = {
  resource_id: 'resourceId',
  resource: 'resourceId',
  worker_id: 'resourceId',
  utr: 'utr',
  amount: 'amount',
  date: 'creditDate',
  credit_date: 'creditDate',
};

type CheckedCredit =
  | { ok: true; detailId: number; resourceId: number; utr: string; amountPaise: number; creditDate: string }
  | { ok: false; errors: { field: string; code: string }[]; amountPaise: number | null };

function checkCredits(items: readonly CreditIn[], details: readonly repo.DetailCreditRow[], existing: Set<string>, today: string): CheckedCredit[] {
  const byResource = new Map(details.map((d) => [d.resource_id, d]));
  const seen = new Set<string>();
  return items.map((it): CheckedCredit => {
    const errors: { field: string; code: string }[] = [];
    const d = /^\d{1,10}$/.test(it.resourceId.trim()) ? byResource.get(Number(it.resourceId)) : undefined;
    if (!d) errors.push({ field: 'resourceId', code: 'worker_not_on_invoice' });
    const utr = it.utr.trim().toUpperCase();
    if (!UTR_PATTERN.test(utr)) errors.push({ field: 'utr', code: 'utr_invalid' });
    else if (d && (existing.has(`${d.detail_id}:${utr}`) || seen.has(`${d.detail_id}:${utr}`))) errors.push({ field: 'utr', code: 'utr_duplicate' });
    const amount = rupeesToPaise(it.amount);
    if (amount === null) errors.push({ field: 'amount', code: 'amount_invalid' });
    else if (amount <= 0) errors.push({ field: 'amount', code: 'amount_not_positive' });
    const date = fileDate(it.creditDate);
    if (!date) errors.push({ field: 'creditDate', code: 'date_invalid' });
    else if (date > today) errors.push({ field: 'creditDate', code: 'date_in_future' });
    if (d) seen.add(`${d.detail_id}:${utr}`);
    if (errors.length > 0 || !d || amount === null || !date) return { ok: false, errors, amountPaise: amount };
    return { ok: true, detailId: d.detail_id, resourceId: d.resource_id, utr, amountPaise: amount, creditDate: date };
  });
}

/**
 * The agency records what it paid each worker for an invoice (UTR per worker), by form or from its
 * bank file (CSV / XLSX: resource_id, utr, amount, date). One request is one batch with its
 * Idempotency-Key; all its rows are saved together or none (unless `saveGoodRows` for a file).
 */
export async function recordCredits(
  db: Db,
  ctx: Ctx,
  invoiceId: number,
  key: string | undefined,
  input: { items: CreditIn[]; fileName: string; sha: string; dryRun: boolean; saveGoodRows: boolean },
): Promise<TImportResult> {
  const actor = actorOf(ctx);
  const inv = await invoiceInScope(db, ctx, invoiceId);
  const hash = hashOf({ action: 'credits', invoiceId, sha: input.sha, saveGoodRows: input.saveGoodRows });
  if (!input.dryRun) {
    const replay = await batchReplay(db, actor.userId, key, hash);
    if (replay) return replay;
  }
  if (actor.role !== 'agency_admin' && actor.role !== 'agency_operator') throw new AppError('forbidden');
  if (inv.status !== 'active') throw new AppError('invoice_not_active');
  if (inv.payment_mode === 'direct') throw new AppError('credits_direct_mode');
  const details = await repo.detailCredits(db, invoiceId);
  const checked = checkCredits(input.items, details, await repo.existingCreditUtrs(db, invoiceId), todayIst(ctx.now));
  const rows: TImportRow[] = input.items.map((it, i) => {
    const c = checked[i]!;
    return {
      row: i + 2,
      billNo: '',
      payee: it.resourceId,
      payDate: fileDate(it.creditDate) ?? it.creditDate,
      utr: it.utr.toUpperCase(),
      amountPaise: c.amountPaise,
      status: 'credited',
      errors: c.ok ? [] : c.errors,
    };
  });
  const good = checked.filter((c): c is Extract<CheckedCredit, { ok: true }> => c.ok);
  const result: TImportResult = {
    dryRun: input.dryRun,
    saved: false,
    batchId: null,
    rowsTotal: rows.length,
    rowsGood: good.length,
    rowsBad: rows.length - good.length,
    rows,
  };
  if (input.dryRun) return result;
  if (result.rowsBad > 0 && key && (await repo.batchByKey(db, actor.userId, requireKey(key)))) return recordCredits(db, ctx, invoiceId, key, input);
  if (result.rowsBad > 0 && !input.saveGoodRows) throw new AppError('credit_file_has_errors', { errors: rowErrors(rows) });
  if (good.length === 0) throw new AppError('credit_file_has_errors', { errors: rowErrors(rows) });
  const idem = requireKey(key);
  const at = ctx.now.toISOString();
  try {
    result.batchId = await db.transaction(async (tx) => {
      const batchId = await repo.insertBatch(tx, {
        kind: 'agency_credits',
        fileName: input.fileName,
        sha: input.sha,
        invoiceId,
        total: rows.length,
        saved: good.length,
        key: idem,
        hash,
        userId: actor.userId,
        at,
        rows,
      });
      await repo.insertCredits(
        tx,
        good.map((g) => ({
          invoiceId,
          detailId: g.detailId,
          resourceId: g.resourceId,
          agencyId: inv.agency_id,
          utr: g.utr,
          amountPaise: g.amountPaise,
          creditDate: g.creditDate,
          kind: 'credit' as const,
          reversesId: null,
          source: 'agency' as const,
          paymentId: null,
          batchId,
          userId: actor.userId,
          at,
        })),
      );
      await syncCredited(tx, ctx, invoiceId, inv.department_id);
      await recordAudit(tx, ctx, {
        entity: 'invoice',
        entityId: invoiceId,
        action: 'worker_credits',
        after: { batchId, credits: good.length, totalPaise: good.reduce((s, g) => s + g.amountPaise, 0) },
        departmentId: inv.department_id,
      });
      return batchId;
    });
  } catch (e) {
    if (isUniqueViolation(e) && pgConstraint(e) === 'payment_batches_idem_uq') return recordCredits(db, ctx, invoiceId, key, input);
    translateDb(e);
  }
  result.saved = true;
  return result;
}

export async function recordCreditsForm(db: Db, ctx: Ctx, invoiceId: number, key: string | undefined, input: TCreditCreate): Promise<TImportResult> {
  const items = input.items.map((i) => ({
    resourceId: String(i.resourceId),
    utr: i.utr,
    amount: `${Math.trunc(i.amountPaise / 100)}.${String(i.amountPaise % 100).padStart(2, '0')}`,
    creditDate: i.creditDate,
  }));
  return recordCredits(db, ctx, invoiceId, key, { items, fileName: 'form', sha: hashOf(input), dryRun: false, saveGoodRows: false });
}

export async function importCredits(
  db: Db,
  ctx: Ctx,
  invoiceId: number,
  key: string | undefined,
  input: { fileName: string; contentBase64: string; dryRun: boolean; saveGoodRows: boolean },
): Promise<TImportResult> {
  await invoiceInScope(db, ctx, invoiceId);
  const buf = decodeFile(input.contentBase64);
  const rows = await readRows(buf, CREDIT_COLUMNS);
  const res = await recordCredits(db, ctx, invoiceId, key, {
    items: rows.map((r) => r.cells),
    fileName: input.fileName,
    sha: createHash('sha256').update(buf).digest('hex'),
    dryRun: input.dryRun,
    saveGoodRows: input.saveGoodRows,
  });
  res.rows = res.rows.map((r, i) => ({ ...r, row: rows[i]?.row ?? r.row }));
  return res;
}

/** Workers whose credits do not match their net wage, over the reachable bills (an agency its own). */
export async function creditFlags(db: Db, ctx: Ctx, agencyId: number | undefined) {
  const reach = await reachOf(db, actorOf(ctx));
  const conds: SQL[] = [sourceCondition(reach, creditInvoiceAccess)];
  if (agencyId) conds.push(sql`i.agency_id = ${agencyId}`);
  const rows = await repo.creditFlags(db, sql.join(conds, sql` and `));
  return {
    items: rows.map((r) => ({
      invoiceId: r.invoice_id,
      invoiceNo: r.invoice_no,
      month: r.month,
      agencyId: r.agency_id,
      resourceId: r.resource_id,
      nameEn: r.name_en,
      nameHi: r.name_hi,
      netWagePaise: n(r.net_wage_paise),
      creditedPaise: n(r.credited_paise),
      flag: creditFlag(n(r.net_wage_paise), n(r.credited_paise)),
    })),
  };
}
