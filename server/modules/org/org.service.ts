import { z } from 'zod';
import type { TImportReport, TMaster, TMasterListQuery } from '../../../shared/contracts/org.ts';
import type { TFieldCode } from '../../../shared/errors.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, isUniqueViolation, pgConstraint, throwDbError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { writeReport } from '../../platform/tabular/report.ts';
import { cells, checkHeaders, readTable, type RowError, validateRows } from '../../platform/tabular/tabular.ts';
import { masterExportColumns, masterExportFilters, masterHeaderAliases } from './org.export.ts';
import { MASTER_DEFS, type MasterDef } from './org.masters.ts';
import * as repo from './org.repo.ts';

/** Masters are written by Finance at state level only (route permission `org.manage` + this check). */
function manager(ctx: Ctx): Actor {
  const a = ctx.actor;
  if (!a || a.role !== 'finance_admin' || a.scopeKind !== 'state') throw new AppError('forbidden');
  return a;
}

const isMap = (d: MasterDef) => !d.id;
const keyOf = (d: MasterDef, row: Record<string, unknown>) => d.key.map((k) => String(row[k] ?? '')).join('\u0001');
const setKeyOf = (fields: string[], row: Record<string, unknown>) => fields.map((k) => String(row[k] ?? '').toLowerCase()).join('\u0001');

/** A list item: the row plus its references; ids stay numbers. */
function toItem(d: MasterDef, row: repo.MasterRow) {
  const out: Record<string, unknown> = { ...row };
  for (const r of d.refs) if (d.cols[r.idField] && !(r.name in out)) out[r.name] = null;
  return out;
}

export async function listMaster(db: Db, master: TMaster, q: TMasterListQuery) {
  const d = MASTER_DEFS[master];
  const { items, total } = await repo.listMaster(db, d, q);
  return { items: items.map((r) => toItem(d, r)), total, page: q.page, pageSize: q.pageSize };
}

/** Unique violation → 409 naming the field; other errors pass through. */
function duplicateOr(d: MasterDef, e: unknown): never {
  if (isUniqueViolation(e)) {
    const field = d.constraints[pgConstraint(e) ?? ''] ?? d.key[d.key.length - 1]!;
    throw new AppError('duplicate', { errors: [{ field, code: 'duplicate' }] });
  }
  throwDbError(e);
}

/** Every referenced id in the body exists (else 400 naming the field). */
async function checkRefs(db: DbOrTx, d: MasterDef, body: Record<string, unknown>) {
  const errors: { field: string; code: TFieldCode }[] = [];
  for (const r of d.refs) {
    if (!(r.idField in d.body.shape)) continue;
    const v = body[r.idField];
    if (v === null || v === undefined) continue;
    if (!(await repo.refExists(db, r, Number(v)))) errors.push({ field: r.idField, code: 'not_found' });
  }
  if (errors.length) throw new AppError('validation_failed', { errors });
}

/** Columns derived from others: an office's department is its HOD's. */
async function derive(db: DbOrTx, d: MasterDef, values: Record<string, unknown>, hodDept?: Map<number, number>) {
  if (d.master !== 'offices' || values.hodId === undefined) return values;
  const map = hodDept ?? (await repo.hodDepartments(db));
  return { ...values, departmentId: map.get(Number(values.hodId)) };
}

function auditDept(d: MasterDef, row: Record<string, unknown>): number | null {
  return d.cols.departmentId && typeof row.departmentId === 'number' ? row.departmentId : null;
}

function entityId(d: MasterDef, row: Record<string, unknown>): string {
  return d.id ? String(row.id) : d.key.map((k) => String(row[k])).join(':');
}

export async function createMaster(db: Db, ctx: Ctx, master: TMaster, body: Record<string, unknown>) {
  manager(ctx);
  const d = MASTER_DEFS[master];
  try {
    const row = await db.transaction(async (tx) => {
      await checkRefs(tx, d, body);
      const values = await derive(tx, d, body);
      const created = await repo.insertMasterRow(tx, d, { ...values, ...(isMap(d) ? {} : { createdAt: ctx.now, updatedAt: ctx.now }) });
      await recordAudit(tx, ctx, { entity: d.entity, entityId: entityId(d, created), action: 'create', after: created, departmentId: auditDept(d, created) });
      return created;
    });
    return await itemOf(db, d, row);
  } catch (e) {
    return duplicateOr(d, e);
  }
}

async function itemOf(db: DbOrTx, d: MasterDef, row: repo.MasterRow) {
  const q = { page: 1, pageSize: 1, dir: 'asc' as const, active: 'all' as const };
  const filter: Record<string, number> = {};
  if (d.id) {
    const f = Object.entries(d.filters).find(([, col]) => col === d.id)?.[0];
    if (f) filter[f] = Number(row.id);
  }
  if (isMap(d)) for (const k of d.key) filter[k] = Number(row[k]);
  // A master the list cannot filter by id (post names, skill levels): the row itself. Listing
  // unfiltered answered a new post name with the first one on the list.
  if (Object.keys(filter).length === 0) return toItem(d, row);
  const [item] = (await repo.listMaster(db, d, { ...q, ...filter })).items;
  return toItem(d, item ?? row);
}

/** Whether `values` change any of the row's own columns (compared as the import compares them). */
function changes(d: MasterDef, before: repo.MasterRow, values: Record<string, unknown>): boolean {
  return Object.entries(values).some(([k, v]) => k in d.cols && String(before[k] ?? '') !== String(v ?? ''));
}

export async function updateMaster(db: Db, ctx: Ctx, master: TMaster, id: number, body: Record<string, unknown>) {
  manager(ctx);
  const d = MASTER_DEFS[master];
  if (isMap(d)) throw new AppError('not_found');
  try {
    const row = await db.transaction(async (tx) => {
      const before = await repo.getMasterRow(tx, d, id);
      if (!before) throw new AppError('not_found');
      await checkRefs(tx, d, body);
      const values = await derive(tx, d, body);
      // The row as it stands (a double click, a retry): nothing to write or audit. `before` was read
      // FOR UPDATE, so twin edits see each other's change and only the first is audited.
      if (!changes(d, before, values)) return before;
      const after = await repo.updateMasterRow(tx, d, { id }, { ...values, updatedAt: ctx.now });
      await recordAudit(tx, ctx, { entity: d.entity, entityId: id, action: 'update', before, after, departmentId: auditDept(d, after ?? before) });
      return after!;
    });
    return await itemOf(db, d, row);
  } catch (e) {
    return duplicateOr(d, e);
  }
}

/** Deactivate / reactivate: masters are never deleted (other records point at them). */
export async function setMasterActive(db: Db, ctx: Ctx, master: TMaster, id: number, active: boolean) {
  manager(ctx);
  const d = MASTER_DEFS[master];
  if (isMap(d) || !d.cols.active) throw new AppError('not_found');
  const row = await db.transaction(async (tx) => {
    const before = await repo.getMasterRow(tx, d, id);
    if (!before) throw new AppError('not_found');
    if (before.active === active) return before;
    const after = await repo.updateMasterRow(tx, d, { id }, { active, updatedAt: ctx.now });
    await recordAudit(tx, ctx, {
      entity: d.entity,
      entityId: id,
      action: active ? 'activate' : 'deactivate',
      before: { active: before.active },
      after: { active },
      departmentId: auditDept(d, before),
    });
    return after!;
  });
  return itemOf(db, d, row);
}

/** Removes a mapping row (a mapping is a link, not a master: removing it keeps both sides). */
export async function removeMapping(db: Db, ctx: Ctx, master: TMaster, key: Record<string, number>) {
  manager(ctx);
  const d = MASTER_DEFS[master];
  if (!isMap(d)) throw new AppError('not_found');
  await db.transaction(async (tx) => {
    const removed = await repo.deleteMapRow(tx, d, key);
    if (!removed) throw new AppError('not_found');
    await recordAudit(tx, ctx, { entity: d.entity, entityId: entityId(d, removed), action: 'delete', before: removed });
  });
  return { ok: true as const };
}

// --- Export ---------------------------------------------------------------------------------

export async function exportMaster(db: Db, ctx: Ctx, master: TMaster, q: Omit<TMasterListQuery, 'page' | 'pageSize'> & { format: 'csv' | 'xlsx' }) {
  const d = MASTER_DEFS[master];
  const actor = actorOf(ctx);
  const rows = await repo.listMasterAll(db, d, q);
  const meta = {
    title: 'export.title.master',
    titleParams: { master: translator(ctx.locale)(`org.masters.${master}`) },
    actor,
    locale: ctx.locale,
    now: ctx.now,
    filters: masterExportFilters(ctx.locale, d, q, rows),
    sheetName: master,
  };
  const body = await writeReport(q.format, meta, masterExportColumns(d), rows);
  await recordAudit(db, ctx, { entity: d.entity, action: 'export', after: { format: q.format, rows: rows.length, q: q.q ?? null } });
  return { body, filename: `${master}-${todayIst(ctx.now)}.${q.format}` };
}

// --- Import ---------------------------------------------------------------------------------

/** The schema of one file row: the create body with references by id plus an optional active flag. */
function rowSchema(d: MasterDef) {
  return d.body.extend({ active: z.boolean().optional() }).strip();
}

/**
 * Imports a CSV / XLSX file: every row is checked (format, references by code, duplicates in
 * the file and against other rows); any bad row → nothing is saved and every error is listed.
 * Rows whose key exists are updated, others created; all in one transaction with their audit.
 */
export async function importMaster(db: Db, ctx: Ctx, master: TMaster, file: Buffer, dryRun: boolean): Promise<TImportReport> {
  manager(ctx);
  const d = MASTER_DEFS[master];
  const t = translator(ctx.locale);
  const table = await readTable(file, { aliases: masterHeaderAliases(d) });
  const report = (errors: RowError[], counts = { created: 0, updated: 0, unchanged: 0 }, saved = false): TImportReport => ({
    dryRun,
    rows: table.rows.length,
    ...counts,
    saved,
    errors: errors.map((e) => ({ row: e.row, field: e.field, code: e.code, message: t(`validation.${e.code}`, e.params ?? {}) })),
  });
  const headerErrors = checkHeaders(table, d.fileColumns);
  if (headerErrors.length) return report(headerErrors);
  if (table.rows.length === 0) return report([{ row: 2, field: d.fileColumns[0]!, code: 'required' }]);

  // References by code → id, loaded once.
  const fileRefs = d.refs.filter((r) => r.idField in d.body.shape);
  const codeMaps = new Map<string, Map<string, number>>();
  for (const r of fileRefs) codeMaps.set(r.idField, await repo.refCodeMap(db, r));
  const toFile = new Map(fileRefs.map((r) => [r.idField, r.fileField]));

  const { ok, errors } = validateRows(table, rowSchema(d), {
    prepare: (c, fail) => {
      const out: Record<string, unknown> = {};
      for (const col of d.fileColumns) {
        const v = c[col] ?? '';
        const ref = fileRefs.find((r) => r.fileField === col);
        if (ref) {
          const code = v.trim();
          if (code === '') {
            out[ref.idField] = ref.nullable ? null : undefined;
          } else {
            const id = codeMaps.get(ref.idField)!.get(code);
            if (id === undefined) fail(col, 'not_found');
            else out[ref.idField] = id;
          }
        } else if (col === 'active') out.active = cells.bool(v);
        else if (d.intColumns.includes(col)) out[col] = cells.int(v);
        else out[col] = v;
      }
      return out;
    },
    fieldName: (p) => toFile.get(p) ?? p,
  });

  // Duplicates inside the file and against other rows of the table.
  const existing = await repo.allMasterRows(db, d);
  const byKey = new Map(existing.map((r) => [keyOf(d, r), r]));
  const seenKeys = new Map<string, number>();
  const uniqueSeen = d.uniques.map((u) => ({
    fields: u,
    inFile: new Map<string, string>(),
    inDb: new Map(existing.map((r) => [setKeyOf(u, r), keyOf(d, r)])),
  }));
  const keyField = toFile.get(d.key[d.key.length - 1]!) ?? d.key[d.key.length - 1]!;
  for (const r of ok) {
    const k = keyOf(d, r.value);
    if (seenKeys.has(k)) errors.push({ row: r.row, field: keyField, code: 'duplicate' });
    seenKeys.set(k, r.row);
    for (const u of uniqueSeen) {
      const uk = setKeyOf(u.fields, r.value);
      const other = u.inFile.get(uk) ?? u.inDb.get(uk);
      if (other !== undefined && other !== k) errors.push({ row: r.row, field: u.fields[0]!, code: 'duplicate' });
      u.inFile.set(uk, k);
    }
  }
  errors.sort((a, b) => a.row - b.row);
  if (errors.length) return report(errors);

  // What would change, against the rows as they are now.
  const planOn = (rows: Map<string, repo.MasterRow>) =>
    ok.map((r) => {
      const before = rows.get(keyOf(d, r.value));
      const values: Record<string, unknown> = { ...r.value };
      if (values.active === undefined) delete values.active;
      if (!before) return { kind: 'create' as const, values };
      return { kind: changes(d, before, values) ? ('update' as const) : ('unchanged' as const), values, before };
    });
  const countsOf = (plan: ReturnType<typeof planOn>) => ({
    created: plan.filter((p) => p.kind === 'create').length,
    updated: plan.filter((p) => p.kind === 'update').length,
    unchanged: plan.filter((p) => p.kind === 'unchanged').length,
  });
  if (dryRun) return report([], countsOf(planOn(byKey)));

  try {
    const counts = await db.transaction(async (tx) => {
      // One import of a master at a time, planned again on the rows read under the lock: twin
      // imports (a double click) write and audit each row once, with the true before — the
      // later ones find the rows as the first left them ("unchanged").
      await repo.lockMasterImport(tx, d);
      const plan = planOn(new Map((await repo.allMasterRows(tx, d)).map((r) => [keyOf(d, r), r])));
      const hodDept = d.master === 'offices' ? await repo.hodDepartments(tx) : undefined;
      for (const p of plan) {
        if (p.kind === 'unchanged') continue;
        const values = await derive(tx, d, p.values, hodDept);
        if (p.kind === 'create') {
          const row = await repo.insertMasterRow(tx, d, { ...values, ...(isMap(d) ? {} : { createdAt: ctx.now, updatedAt: ctx.now }) });
          await recordAudit(tx, ctx, { entity: d.entity, entityId: entityId(d, row), action: 'import_create', after: row, departmentId: auditDept(d, row) });
        } else {
          const where = Object.fromEntries(d.key.map((k) => [k, p.before[k]]));
          const row = await repo.updateMasterRow(tx, d, where, { ...values, updatedAt: ctx.now });
          await recordAudit(tx, ctx, {
            entity: d.entity,
            entityId: entityId(d, p.before),
            action: 'import_update',
            before: p.before,
            after: row,
            departmentId: auditDept(d, p.before),
          });
        }
      }
      return countsOf(plan);
    });
    return report([], counts, true);
  } catch (e) {
    return duplicateOr(d, e);
  }
}

// --- State settings -------------------------------------------------------------------------

function settingsOut(row: NonNullable<Awaited<ReturnType<typeof repo.getStateSettings>>>) {
  return {
    nameEn: row.nameEn,
    nameHi: row.nameHi,
    gstStateCode: row.gstStateCode,
    currentFyStart: row.currentFyStart,
    helpEmail: row.helpEmail,
    helpPhone: row.helpPhone,
    retirementAge: row.retirementAge,
  };
}

/** The retirement age Finance set in the state settings (62 when no settings row exists). */
export async function retirementAgeOf(db: DbOrTx): Promise<number> {
  return (await repo.getStateSettings(db))?.retirementAge ?? 62;
}

export async function getStateSettings(db: Db) {
  const row = await repo.getStateSettings(db);
  if (!row) throw new AppError('not_found');
  return settingsOut(row);
}

export async function saveStateSettings(
  db: Db,
  ctx: Ctx,
  body: {
    nameEn: string;
    nameHi: string;
    gstStateCode: string;
    currentFyStart: number;
    helpEmail: string;
    helpPhone: string;
    retirementAge?: number | undefined;
  },
) {
  manager(ctx);
  const row = await db.transaction(async (tx) => {
    // Locked before the read: twin saves run one after the other, so the audit's before is the real previous state.
    await repo.lockStateSettings(tx);
    const before = await repo.getStateSettings(tx);
    const retirementAge = body.retirementAge ?? before?.retirementAge ?? 62;
    // The settings as they stand (a double click, a retry): nothing to write or audit.
    if (before && JSON.stringify(settingsOut(before)) === JSON.stringify(settingsOut({ ...before, ...body, retirementAge }))) return before;
    const after = await repo.saveStateSettings(tx, { ...body, retirementAge, updatedAt: ctx.now });
    await recordAudit(tx, ctx, {
      entity: 'state_settings',
      entityId: 1,
      action: 'update',
      before: before ? settingsOut(before) : null,
      after: settingsOut(after),
    });
    return after;
  });
  return settingsOut(row);
}
