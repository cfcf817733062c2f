import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { BULK_COLUMNS, BULK_SHEETS, MAX_BULK_ROWS, type TBulkColumn, type TBulkReport } from '../../../shared/contracts/resource-bulk.ts';
import { MIN_AGE, ZResourceInput } from '../../../shared/contracts/resource.ts';
import { aadhaarProblem, normaliseAadhaar } from '../../../shared/domain/aadhaar.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { TFieldCode } from '../../../shared/errors.ts';
import type { Db } from '../../db/client.ts';
import { reachOf } from '../../platform/access/access.ts';
import { type AuditEvent, recordAudit, recordAudits } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { type RowError, tableOf, validateRows } from '../../platform/tabular/tabular.ts';
import { aadhaarHash, vaultPutMany } from '../../platform/vault/index.ts';
import { readBulkWorkbook } from './resource.bulk-read.ts';
import { buildTemplate, choiceReaders, headerAliases, MARK_CELL, postChoices, postReader, TEMPLATE_MARK, templateFileName } from './resource.bulk-template.ts';
import * as bulkRepo from './resource.bulk.repo.ts';
import type { BulkDraft } from './resource.bulk.repo.ts';
import { retirementAge, translateDb } from './resource.checks.ts';
import * as repo from './resource.repo.ts';
import { ageProblem } from './resource.rules.ts';

/**
 * Bulk onboarding (spec 04, issue 14 item 1): the template of one of the agency's active
 * contracts, and its upload — a dry run that lists every bad row (row number, column, reason:
 * the single add form's rules, duplicates inside the file, a person this agency already added,
 * an Aadhaar number already deployed), then the import of the good rows as drafts awaiting
 * e-KYC, in one transaction with one audit entry for the batch and one per resource.
 * Our choice: the good rows of a file with bad ones may be imported (an agency with hundreds
 * of workers fixes the few bad rows and uploads them again; a row already added is then refused
 * as `already_added`, and the same file twice creates nothing the second time).
 * The Aadhaar column, when given, goes only to the vault: never into an error, the audit or a log.
 */

/** The caller's agency's active contract (department users never reach here: `resource.edit`). */
async function agencyContract(db: Db, ctx: Ctx, contractId: number) {
  const reach = await reachOf(db, actorOf(ctx));
  const c = await repo.contractPlace(db, contractId);
  if (!c || reach.scopeKind !== 'agency' || c.agencyId !== reach.scopeId) throw fieldError('contractId', 'not_found');
  if (c.status !== 'active' || c.startDate === null)
    throw new AppError('contract_not_active', { errors: [{ field: 'contractId', code: 'contract_not_active' }] });
  return c;
}

export async function bulkTemplate(db: Db, ctx: Ctx, contractId: number) {
  const c = await agencyContract(db, ctx, contractId);
  const posts = postChoices(await repo.contractPosts(db, c.id));
  const body = await buildTemplate(ctx.locale, { id: c.id, contractNo: c.contractNo }, posts);
  return { body, filename: templateFileName(c.contractNo) };
}

function templateInvalid(code: TFieldCode, params?: Record<string, string | number>): AppError {
  return new AppError('bulk_template_invalid', { errors: [{ field: 'file', code, ...(params ? { params } : {}) }] });
}

/** The row schema: the single add form's, with the contract given by the upload. */
const ZRow = ZResourceInput.omit({ contractId: true });
type TRow = z.infer<typeof ZRow>;

/** dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd (a date cell reads as the last) → ISO, or the reason it is not a date. */
export function readDate(v: string): { iso: string } | { code: 'date_format' | 'date_not_exist' } | null {
  const s = v.trim();
  if (s === '') return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  let y: number;
  let mo: number;
  let d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!m) return { code: 'date_format' };
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return { code: 'date_not_exist' };
  return { iso: `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

type Good = { row: number; value: TRow; aadhaar: string | null };

/** Reads and checks the whole file; never stops at the first bad row. */
async function checkFile(db: Db, ctx: Ctx, c: NonNullable<Awaited<ReturnType<typeof repo.contractPlace>>>, file: Buffer) {
  const wb = await readBulkWorkbook(file, Object.values(BULK_SHEETS));
  if (wb.extraSheets.length) throw templateInvalid('file_extra_sheet', { sheet: wb.extraSheets[0]! });
  if (wb.formulas.length) throw templateInvalid('file_has_formula', { cell: wb.formulas[0]! });
  const mark = wb.sheets.get(BULK_SHEETS.instructions)?.[MARK_CELL.row - 1]?.[MARK_CELL.col - 1]?.trim() ?? '';
  const data = wb.sheets.get(BULK_SHEETS.data);
  if (!mark.startsWith(TEMPLATE_MARK) || !data) throw templateInvalid('template_unknown');
  if (mark !== `${TEMPLATE_MARK}${c.id}`) throw templateInvalid('template_other_contract');

  const table = tableOf(data, headerAliases());
  const headerErrors: RowError[] = [];
  for (const h of BULK_COLUMNS) if (h !== 'aadhaar' && !table.headers.includes(h)) headerErrors.push({ row: 1, field: h, code: 'required' });
  for (const h of table.headers) if (h && !(BULK_COLUMNS as readonly string[]).includes(h)) headerErrors.push({ row: 1, field: h, code: 'unknown_field' });
  if (headerErrors.length) return { rows: 0, good: [] as Good[], errors: headerErrors };
  if (table.rows.length > MAX_BULK_ROWS) throw templateInvalid('too_many_rows', { max: MAX_BULK_ROWS });

  const choice = choiceReaders();
  const post = postReader(postChoices(await repo.contractPosts(db, c.id)));
  const { ok, errors } = validateRows(table, ZRow, {
    prepare: (cells, fail) => {
      const p = post(cells.post ?? '');
      if (!p) fail('post', (cells.post ?? '').trim() === '' ? 'required' : 'post_not_in_contract');
      const dob = readDate(cells.dob ?? '');
      if (dob && 'code' in dob) fail('dob', dob.code);
      // A blank required cell is `undefined` (the schema says "required", not "wrong format").
      const req = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
      return {
        skillLevelId: p?.skillLevelId ?? 0,
        postNameId: p?.postNameId ?? 0,
        nameEn: cells.nameEn ?? '',
        nameHi: cells.nameHi ?? '',
        relation: req(cells.relation) && choice.relation(cells.relation!),
        relativeName: req(cells.relativeName),
        dob: dob && 'iso' in dob ? dob.iso : undefined,
        gender: req(cells.gender) && choice.gender(cells.gender!),
        mobile: req(cells.mobile),
        address: req(cells.address),
        qualification: req(cells.qualification) && choice.qualification(cells.qualification!),
        bankAccount: req(cells.bankAccount?.replace(/\s+/g, '')),
        ifsc: req(cells.ifsc),
        uan: (cells.uan ?? '').trim(),
        esicIp: (cells.esicIp ?? '').trim(),
      };
    },
    fieldName: (path) => (path === 'skillLevelId' || path === 'postNameId' ? 'post' : path),
  });

  // The form's own rules beyond the schema, the Aadhaar number, and duplicates.
  const cellsOf = new Map(table.rows.map((r) => [r.row, r.cells]));
  const today = todayIst(ctx.now);
  const maxAge = await retirementAge(db);
  const bad = new Set(errors.map((e) => e.row));
  const hashes = new Map<number, string>();
  const aadhaars = new Map<number, string>();
  for (const r of table.rows) {
    const raw = (r.cells.aadhaar ?? '').trim();
    if (raw === '') continue;
    const problem = aadhaarProblem(raw);
    if (problem) errors.push({ row: r.row, field: 'aadhaar', code: problem });
    else {
      aadhaars.set(r.row, normaliseAadhaar(raw));
      hashes.set(r.row, aadhaarHash(raw));
    }
  }
  for (const r of ok) {
    if (r.value.nameEn === '' && r.value.nameHi === '') errors.push({ row: r.row, field: 'nameEn', code: 'required' });
    if (ageProblem(r.value.dob, today, MIN_AGE, maxAge))
      errors.push({ row: r.row, field: 'dob', code: 'age_out_of_range', params: { min: MIN_AGE, max: maxAge } });
  }
  const deployed = await bulkRepo.activeAadhaarHashes(db, [...new Set(hashes.values())]);
  for (const [row, h] of hashes) if (deployed.has(h)) errors.push({ row, field: 'aadhaar', code: 'aadhaar_already_deployed' });
  const before = await bulkRepo.agencyPeople(db, c.agencyId);
  // A value seen on an earlier row: the later row is the bad one, and names the earlier.
  const firstSeen = { aadhaar: new Map<string, number>(), mobile: new Map<string, number>(), bankAccount: new Map<string, number>() };
  for (const r of table.rows) {
    const cells = cellsOf.get(r.row)!;
    const keys: [keyof typeof firstSeen, string | undefined][] = [
      ['aadhaar', hashes.get(r.row)],
      ['mobile', cells.mobile?.trim()],
      ['bankAccount', cells.bankAccount?.replace(/\s+/g, '')],
    ];
    for (const [field, v] of keys) {
      if (!v) continue;
      const seen = firstSeen[field].get(v);
      if (seen === undefined) firstSeen[field].set(v, r.row);
      else errors.push({ row: r.row, field, code: 'duplicate_in_file', params: { row: seen } });
    }
  }
  for (const r of ok) if (before.has(`${r.value.mobile}|${r.value.bankAccount}`)) errors.push({ row: r.row, field: 'mobile', code: 'already_added' });

  // One error per row and column (the first reason found), in row order.
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const k = `${e.row}|${e.field}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((a, b) => a.row - b.row || BULK_COLUMNS.indexOf(a.field as TBulkColumn) - BULK_COLUMNS.indexOf(b.field as TBulkColumn));
  for (const e of unique) bad.add(e.row);
  const good: Good[] = ok.filter((r) => !bad.has(r.row)).map((r) => ({ row: r.row, value: r.value, aadhaar: aadhaars.get(r.row) ?? null }));
  return { rows: table.rows.length, good, errors: unique };
}

/**
 * The upload: `dryRun` checks only; otherwise the good rows become drafts. The same file under
 * the same contract a second time creates nothing (`alreadyImported`), also when two uploads
 * race: the batch's unique (contract, file hash) decides.
 */
export async function bulkUpload(db: Db, ctx: Ctx, contractId: number, file: Buffer, dryRun: boolean): Promise<TBulkReport> {
  const actor = actorOf(ctx);
  const c = await agencyContract(db, ctx, contractId);
  const t = translator(ctx.locale);
  const sha = createHash('sha256').update(file).digest('hex');
  const { rows, good, errors } = await checkFile(db, ctx, c, file);
  const previous = await bulkRepo.findBatch(db, c.id, sha);
  const report = (created: number, batchId: number | null, alreadyImported: boolean): TBulkReport => ({
    dryRun,
    rows,
    good: good.length,
    created,
    alreadyImported,
    batchId,
    errors: errors.map((e) => ({
      row: e.row,
      field: e.field,
      code: e.code,
      message: t(`validation.${e.code}`, { ...(e.params ?? {}), field: t(`resource.bulk.col.${e.field}`, { defaultValue: e.field }) }),
    })),
  });
  if (dryRun || good.length === 0) return report(0, previous?.id ?? null, previous !== null);
  if (previous) return report(0, previous.id, true);

  try {
    const out = await db.transaction(async (tx) => {
      const batchId = await bulkRepo.insertBatch(tx, {
        agencyId: c.agencyId,
        contractId: c.id,
        fileSha256: sha,
        rows,
        created: 0,
        createdBy: actor.userId,
        createdAt: ctx.now,
      });
      if (batchId === null) return { batchId: (await bulkRepo.findBatch(tx, c.id, sha))?.id ?? null, created: 0 };
      const withAadhaar = good.filter((g) => g.aadhaar !== null);
      const entries = await vaultPutMany(
        tx,
        withAadhaar.map((g) => g.aadhaar!),
      );
      const vaulted = new Map(withAadhaar.map((g, i) => [g.row, entries[i]!]));
      const drafts: BulkDraft[] = good.map((g) => {
        const v = vaulted.get(g.row);
        return {
          ...g.value,
          contractId: c.id,
          agencyId: c.agencyId,
          departmentId: c.departmentId,
          contractOfficeId: c.officeId,
          aadhaarRef: v?.refKey ?? null,
          aadhaarLast4: v?.last4 ?? null,
          aadhaarHash: v?.hash ?? null,
          createdBy: actor.userId,
        };
      });
      const idOf = await bulkRepo.insertResources(tx, drafts, ctx.now);
      const ids = good.map((g) => idOf.get(g.value.mobile)!);
      await bulkRepo.setBatchCreated(tx, batchId, ids.length);
      await recordAudit(tx, ctx, {
        entity: 'resource',
        action: 'bulk_import',
        departmentId: c.departmentId,
        after: {
          batchId,
          contractId: c.id,
          rows,
          created: ids.length,
          rejectedRows: errors.length ? new Set(errors.map((e) => e.row)).size : 0,
          fileSha256: sha,
        },
      });
      const events: AuditEvent[] = good.map((g, i) => ({
        entity: 'resource',
        entityId: ids[i]!,
        action: 'create',
        departmentId: c.departmentId,
        after: {
          ...g.value,
          bankAccount: maskAccount(g.value.bankAccount),
          contractId: c.id,
          batchId,
          row: g.row,
          ...(g.aadhaar ? { last4: g.aadhaar.slice(-4) } : {}),
        },
      }));
      await recordAudits(tx, ctx, events);
      return { batchId, created: ids.length };
    });
    return report(out.created, out.batchId, out.created === 0);
  } catch (e) {
    return translateDb(e);
  }
}
