import { sql } from 'drizzle-orm';
import {
  HOLIDAY_IMPORT_COLUMNS,
  HOLIDAY_KINDS,
  type THoliday,
  type THolidayCreate,
  type THolidayImportReason,
  type THolidayImportReport,
  type THolidayKind,
  type THolidayList,
  type THolidayUpdate,
} from '../../../shared/contracts/attendance.ts';
import { hasBadChars } from '../../../shared/contracts/common.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { mayAccess, reachOf, requireRecord } from '../../platform/access/access.ts';
import { type AuditEvent, recordAudit, recordAudits } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { isXlsx, readTable } from '../../platform/tabular/tabular.ts';
import { officeAccess } from '../org/index.ts';
import { holidayAccess, holidayCoords } from './attendance.policy.ts';
import { monthBounds } from './attendance.rules.ts';
import { holidays } from './attendance.table.ts';

/**
 * The holiday calendar (issue 15 item 4). A holiday is
 * - statewide (office and district null) — kept by Finance;
 * - a district's (`district_id`, usually `local`) — kept by Finance; its local ones also by the
 *   district's admin (role `district_admin`, scope kind `district`);
 * - an office's own (`office_id`) — kept by the office's department manager.
 * Who keeps which holiday is the access layer's `holiday` rule (attendance.policy `holidayAccess`):
 * a holiday by id outside the actor's keeping is "not found"; a new or changed holiday of a scope
 * the actor does not keep is refused `holiday_not_keeper` (403).
 * An office takes the statewide holidays, its district's and its own. They are shown on the grid,
 * marked in the template and pre-fill the offs of a row never saved (`prefillOffs`).
 */
const cols = sql`h.id, h.date::text as date, h.office_id as "officeId", h.district_id as "districtId", d.code as "districtCode",
  d.name_en as "districtNameEn", d.name_hi as "districtNameHi", h.name_en as "nameEn", h.name_hi as "nameHi", h.kind`;
const from = sql`holidays h left join districts d on d.id = h.district_id`;

function typed(h: THoliday): THoliday {
  return { ...h, id: Number(h.id), officeId: h.officeId === null ? null : Number(h.officeId), districtId: h.districtId === null ? null : Number(h.districtId) };
}

/** The scope of a listing: statewide only, statewide and a district's, or an office's (statewide, its district's, its own). */
export type HolidayScope = { officeId: number } | { districtId: number } | null;

/** Holidays between two dates within a scope (a bare office id: that office's). */
export async function holidaysOf(db: DbOrTx, scope: HolidayScope | number, first: string, last: string): Promise<THoliday[]> {
  const s = typeof scope === 'number' ? { officeId: scope } : scope;
  const extra =
    s === null
      ? sql``
      : 'officeId' in s
        ? sql`or h.office_id = ${s.officeId} or h.district_id = (select o.district_id from offices o where o.id = ${s.officeId})`
        : sql`or h.district_id = ${s.districtId}`;
  const r = await db.execute<THoliday>(sql`
    select ${cols} from ${from}
     where h.date between ${first} and ${last} and ((h.office_id is null and h.district_id is null) ${extra})
     order by h.date, h.district_id nulls first, h.office_id nulls first, h.id`);
  return r.rows.map(typed);
}

/** The month's holidays for the actor: statewide, and a district's or an office's when asked (government users: within their offices). */
export async function listHolidays(
  db: Db,
  ctx: Ctx,
  q: { month: string; officeId?: number | undefined; districtId?: number | undefined },
): Promise<THolidayList> {
  const actor = actorOf(ctx);
  const { first, last } = monthBounds(q.month);
  if (actor.scopeKind === 'agency') return { items: await holidaysOf(db, null, first, last) };
  if (q.officeId !== undefined) {
    await requireRecord(db, actor, officeAccess, q.officeId);
    return { items: await holidaysOf(db, { officeId: q.officeId }, first, last) };
  }
  // A district admin's calendar is its district's (another district's is as public as the statewide one).
  const districtId = q.districtId ?? (actor.scopeKind === 'district' ? actor.scopeId : undefined);
  if (districtId === undefined) return { items: await holidaysOf(db, null, first, last) };
  const d = await db.execute<{ id: number; code: string; nameEn: string; nameHi: string }>(
    sql`select id, code, name_en as "nameEn", name_hi as "nameHi" from districts where id = ${districtId}`,
  );
  const items = await holidaysOf(db, { districtId }, first, last);
  return d.rows[0] ? { items, district: { ...d.rows[0], id: Number(d.rows[0].id) } } : { items };
}

/**
 * Sundays and the office's holidays (gazetted and local; optional ones are each person's choice,
 * so not counted) from `from` to `to`, both inclusive, each date once — the offs a row never saved
 * starts with.
 */
export function prefillOffs(from: string, to: string, list: readonly Pick<THoliday, 'date' | 'kind'>[]): number {
  const holidayDates = new Set(list.filter((h) => h.kind !== 'optional').map((h) => h.date));
  let n = 0;
  for (let d = dayNumber(from); d <= dayNumber(to); d++) {
    const dt = new Date(d * 86_400_000);
    if (dt.getUTCDay() === 0 || holidayDates.has(dt.toISOString().slice(0, 10))) n++;
  }
  return n;
}

function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
}

async function districtExists(db: DbOrTx, id: number): Promise<boolean> {
  return (await db.execute(sql`select 1 from districts where id = ${id}`)).rows.length > 0;
}

/**
 * May the actor keep a holiday of this scope and kind (a new one, or one as it will be after an
 * edit)? An office's holiday outside the actor's offices is "not found" (no existence leak); a
 * district that does not exist a field error; a scope the actor does not keep `holiday_not_keeper`
 * (the access layer's `holiday` rule). Returns the department for the audit entry.
 */
async function requireKeeper(db: DbOrTx, ctx: Ctx, h: { officeId: number | null; districtId: number | null; kind: THolidayKind }): Promise<number | null> {
  const actor = actorOf(ctx);
  let departmentId: number | null = null;
  if (h.officeId !== null) departmentId = (await requireRecord(db, actor, officeAccess, h.officeId)).departmentId ?? null;
  else if (h.districtId !== null && !(await districtExists(db, h.districtId)))
    throw new AppError('validation_failed', { errors: [{ field: 'districtId', code: 'not_found' }] });
  if (!mayAccess(await reachOf(db, actor), 'holiday', holidayCoords(h))) throw new AppError('holiday_not_keeper');
  return departmentId;
}

const duplicate = () => new AppError('holiday_exists', { errors: [{ field: 'date', code: 'holiday_exists' }] });
const uniqueIndexes = { holidays_state_date_uq: duplicate, holidays_office_date_uq: duplicate, holidays_district_date_uq: duplicate };

async function readOne(db: DbOrTx, id: number): Promise<THoliday | undefined> {
  const r = await db.execute<THoliday>(sql`select ${cols} from ${from} where h.id = ${id}`);
  return r.rows[0] ? typed(r.rows[0]) : undefined;
}

export async function addHoliday(db: Db, ctx: Ctx, body: THolidayCreate): Promise<THoliday> {
  const departmentId = await requireKeeper(db, ctx, body);
  try {
    return await db.transaction(async (tx) => {
      const [h] = await tx
        .insert(holidays)
        .values({
          date: body.date,
          officeId: body.officeId,
          districtId: body.districtId,
          nameEn: body.nameEn,
          nameHi: body.nameHi,
          kind: body.kind,
          createdBy: actorOf(ctx).userId,
          createdAt: ctx.now,
        })
        .returning({ id: holidays.id });
      const out = (await readOne(tx, h!.id))!;
      await recordAudit(tx, ctx, { entity: 'holiday', entityId: out.id, action: 'create', departmentId, before: null, after: out });
      return out;
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e, uniqueIndexes);
  }
}

/** A holiday by id that the actor keeps (else "not found"), with the department for the audit entry. */
async function requireKept(db: DbOrTx, ctx: Ctx, id: number): Promise<{ h: THoliday; departmentId: number | null }> {
  const actor = actorOf(ctx);
  await requireRecord(db, actor, holidayAccess, id);
  // Deleted since the check (a delete of it at the same moment): not found, as after it.
  const h = await readOne(db, id);
  if (!h) throw new AppError('not_found');
  const departmentId = h.officeId === null ? null : ((await requireRecord(db, actor, officeAccess, h.officeId)).departmentId ?? null);
  return { h, departmentId };
}

/**
 * Edits a holiday's date, names and kind (its scope stays): the actor must keep it as it is and
 * as it will be — a district admin cannot turn its local holiday into a gazetted one. Audited
 * (`holiday` / `update`, before and after).
 */
export async function updateHoliday(db: Db, ctx: Ctx, id: number, body: THolidayUpdate): Promise<THoliday> {
  const { h, departmentId } = await requireKept(db, ctx, id);
  if (body.kind === 'local' && h.officeId === null && h.districtId === null)
    throw new AppError('validation_failed', { errors: [{ field: 'kind', code: 'invalid_value' }] });
  await requireKeeper(db, ctx, { officeId: h.officeId, districtId: h.districtId, kind: body.kind });
  try {
    return await db.transaction(async (tx) => {
      // The holiday as it is now, locked: of edits at once each audits what the one before it left, and one deleted meanwhile is not found.
      const before = await lockedHoliday(tx, id);
      await tx.execute(sql`update holidays set date = ${body.date}, name_en = ${body.nameEn}, name_hi = ${body.nameHi}, kind = ${body.kind} where id = ${id}`);
      const after = (await readOne(tx, id))!;
      await recordAudit(tx, ctx, { entity: 'holiday', entityId: id, action: 'update', departmentId, before, after });
      return after;
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e, uniqueIndexes);
  }
}

/**
 * The holiday locked for a change (FOR UPDATE), as it is now; "not found" when it is gone — a
 * delete of the same holiday got there first (two tabs, a double click): the others wait for it
 * and then find nothing, so a holiday is deleted, and audited, once.
 */
async function lockedHoliday(tx: DbOrTx, id: number): Promise<THoliday> {
  if ((await tx.execute(sql`select id from holidays where id = ${id} for update`)).rows.length === 0) throw new AppError('not_found');
  return (await readOne(tx, id))!;
}

export async function deleteHoliday(db: Db, ctx: Ctx, id: number): Promise<{ ok: true }> {
  const { departmentId } = await requireKept(db, ctx, id);
  await db.transaction(async (tx) => {
    const before = await lockedHoliday(tx, id);
    await tx.execute(sql`delete from holidays where id = ${id}`);
    await recordAudit(tx, ctx, { entity: 'holiday', entityId: id, action: 'delete', departmentId, before, after: null });
  });
  return { ok: true };
}

// ── Import from a spreadsheet ─────────────────────────────────────────────────────────────────

/** At most this many holidays in one file (a state's year of gazetted and local holidays is a few hundred). */
export const MAX_HOLIDAY_ROWS = 2_000;

type Col = (typeof HOLIDAY_IMPORT_COLUMNS)[number];

/** Header words in either language (and the keys themselves) → column key. */
function aliases(): Map<string, string> {
  const m = new Map<string, string>();
  for (const k of HOLIDAY_IMPORT_COLUMNS) {
    m.set(k, k);
    m.set(k.toLowerCase(), k);
    for (const lang of ['en', 'hi'] as const) m.set(translator(lang)(`holidays.column.${k}`), k);
  }
  return m;
}

/** A kind as written in the file: the key, or its word in either language. */
function kindOf(s: string): THolidayKind | null {
  const v = s.trim().toLowerCase();
  for (const k of HOLIDAY_KINDS) {
    if (v === k) return k;
    for (const lang of ['en', 'hi'] as const) if (v === translator(lang)(`attendance.holiday.${k}`).toLowerCase()) return k;
  }
  return null;
}

/** dd/mm/yyyy (also d/m/yyyy, with - or .) or ISO yyyy-mm-dd → ISO, or null when not a real date. */
export function parseHolidayDate(s: string): string | null {
  const v = s.trim();
  let y: number;
  let mo: number;
  let d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) [d, mo, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else return null;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

/** The dates an import may hold: from 1 January of last year to 31 December of the year after next (IST). */
export function importRange(today: string): { from: string; to: string } {
  const y = Number(today.slice(0, 4));
  return { from: `${y - 1}-01-01`, to: `${y + 2}-12-31` };
}

const DEVANAGARI = /[\u0900-\u097F]/;

/**
 * A spreadsheet is an .xlsx workbook (a zip, told by its first bytes) or CSV text (UTF-8, no NUL
 * byte, not a PDF). Anything else — a PDF renamed .xlsx, an image — is refused before parsing.
 */
function requireSpreadsheet(buf: Buffer): void {
  const refuse = () => new AppError('unsupported_media_type', { errors: [{ field: 'file', code: 'file_not_spreadsheet' }] });
  if (buf.length === 0) throw new AppError('validation_failed', { errors: [{ field: 'file', code: 'file_empty' }] });
  if (isXlsx(buf)) return;
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-' || buf.includes(0)) throw refuse();
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw refuse();
  }
}

/**
 * Finance imports (statewide and district holidays), and a district admin (its district's local
 * holidays only; each row is checked by the `holiday` rule); checked before the file is read.
 */
export function requireImporter(ctx: Ctx) {
  const actor = actorOf(ctx);
  if (actor.role !== 'finance_admin' && actor.role !== 'district_admin') throw new AppError('forbidden');
  return actor;
}

/**
 * Import of holidays from a spreadsheet (Finance, or a district admin): columns date, name in
 * English, name in Hindi, kind and district code (blank: statewide). The whole file is checked and
 * every bad row reported with its reason (bad date, outside the range, names, kind, unknown
 * district, the same date and scope twice in the file or already in the calendar; for a district
 * admin also a row of another district or statewide, and a kind other than local — the access
 * layer's `holiday` rule on each row). A dry run saves nothing; a save saves every
 * row or — with any bad row — none. One audit entry per holiday (`holiday` / `import_create`).
 */
export async function importHolidays(db: Db, ctx: Ctx, file: Buffer, save: boolean): Promise<THolidayImportReport> {
  const actor = requireImporter(ctx);
  requireSpreadsheet(file);
  const table = await readTable(file, { aliases: aliases() });
  const t = translator(ctx.locale);
  const range = importRange(todayIst(ctx.now));
  const errors: THolidayImportReport['errors'] = [];
  const bad = (row: number, field: string, code: THolidayImportReason, params: Record<string, string | number> = {}) =>
    errors.push({ row, field, code, message: t(`holidays.reason.${code}`, { row, column: t(`holidays.column.${field}`), ...params }) });

  for (const k of HOLIDAY_IMPORT_COLUMNS) if (!table.headers.includes(k)) bad(1, k, 'missing_column');
  if (errors.length === 0 && table.rows.length === 0) bad(2, 'date', 'empty_file');
  if (table.rows.length > MAX_HOLIDAY_ROWS) bad(1, 'date', 'too_many_rows', { max: MAX_HOLIDAY_ROWS });
  const report = (items: THolidayImportReport['items'], saved: number): THolidayImportReport => ({
    rows: table.rows.length,
    valid: items.filter((i) => i.ok).length,
    saved,
    ...range,
    items,
    errors,
  });
  if (errors.length) return report([], 0);

  const districtRows = await db.execute<{ id: number; code: string }>(sql`select id, code from districts`);
  const districtByCode = new Map(districtRows.rows.map((d) => [d.code.trim().toUpperCase(), Number(d.id)]));
  const reach = await reachOf(db, actor);
  const ownCode = actor.scopeKind === 'district' ? (districtRows.rows.find((d) => Number(d.id) === actor.scopeId)?.code ?? '') : '';
  type Good = { row: number; date: string; nameEn: string; nameHi: string; kind: THolidayKind; districtId: number | null };
  const items: THolidayImportReport['items'] = [];
  const good: Good[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of table.rows) {
    const before = errors.length;
    const c = (k: Col) => (cells[k] ?? '').trim();
    const date = parseHolidayDate(c('date'));
    if (!date) bad(row, 'date', 'bad_date', { value: c('date') });
    else if (date < range.from || date > range.to) bad(row, 'date', 'date_out_of_range', { from: dmy(range.from), to: dmy(range.to) });
    for (const k of ['nameEn', 'nameHi'] as const) {
      const v = c(k);
      if (!v) bad(row, k, 'name_required');
      else if (v.length > 200) bad(row, k, 'name_too_long', { max: 200 });
      else if (hasBadChars(v)) bad(row, k, 'name_bad_chars');
      else if (k === 'nameHi' && !DEVANAGARI.test(v)) bad(row, k, 'name_hi_not_devanagari');
    }
    const kind = kindOf(c('kind'));
    if (!kind) bad(row, 'kind', 'bad_kind', { value: c('kind') });
    const code = c('districtCode');
    const districtId = code === '' ? null : (districtByCode.get(code.toUpperCase()) ?? undefined);
    if (districtId === undefined) bad(row, 'districtCode', 'unknown_district', { value: code });
    else if (kind === 'local' && districtId === null) bad(row, 'kind', 'local_statewide');
    // Rows the importer does not keep (a district admin: statewide, another district's, not local).
    if (kind && districtId !== undefined && !(kind === 'local' && districtId === null)) {
      if (!mayAccess(reach, 'holiday', holidayCoords({ officeId: null, districtId, kind }))) {
        if (actor.scopeKind === 'district' && districtId !== actor.scopeId) bad(row, 'districtCode', 'not_own_district', { value: code, own: ownCode });
        else bad(row, 'kind', 'not_keeper_kind');
      }
    }
    if (date && districtId !== undefined) {
      const key = `${date}|${districtId ?? 'state'}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) bad(row, 'date', 'duplicate_in_file', { first });
      else firstRowOf.set(key, row);
    }
    const ok = errors.length === before;
    items.push({ row, date, nameEn: c('nameEn'), nameHi: c('nameHi'), kind: kind ?? c('kind'), districtCode: code, ok });
    if (ok) good.push({ row, date: date!, nameEn: c('nameEn'), nameHi: c('nameHi'), kind: kind!, districtId: districtId! });
  }

  // Already in the calendar: the same date and scope (statewide, or the district).
  const present = async (tx: DbOrTx) => {
    if (good.length === 0) return;
    const dates = [...new Set(good.map((g) => g.date))];
    const r = await tx.execute<{ date: string; districtId: number | null }>(sql`
      select date::text as date, district_id as "districtId" from holidays
       where office_id is null and date in (${sql.join(
         dates.map((d) => sql`${d}`),
         sql`, `,
       )})`);
    const have = new Set(r.rows.map((x) => `${x.date}|${x.districtId === null ? 'state' : Number(x.districtId)}`));
    for (const g of good) {
      if (!have.has(`${g.date}|${g.districtId ?? 'state'}`)) continue;
      bad(g.row, 'date', 'already_present');
      const item = items.find((i) => i.row === g.row);
      if (item) item.ok = false;
    }
  };
  const sorted = () => errors.sort((a, b) => a.row - b.row);

  if (!save) {
    await present(db);
    sorted();
    return report(items, 0);
  }
  let saved = 0;
  try {
    await db.transaction(async (tx) => {
      await present(tx);
      if (errors.length) return;
      const ins = await tx
        .insert(holidays)
        .values(
          good.map((g) => ({
            date: g.date,
            districtId: g.districtId,
            nameEn: g.nameEn,
            nameHi: g.nameHi,
            kind: g.kind,
            createdBy: actor.userId,
            createdAt: ctx.now,
          })),
        )
        .returning({ id: holidays.id });
      const r = await tx.execute<THoliday>(
        sql`select ${cols} from ${from} where h.id in (${sql.join(
          ins.map((x) => sql`${x.id}`),
          sql`, `,
        )}) order by h.id`,
      );
      const events: AuditEvent[] = r.rows
        .map(typed)
        .map((h) => ({ entity: 'holiday', entityId: h.id, action: 'import_create', departmentId: null, before: null, after: h }));
      await recordAudits(tx, ctx, events);
      saved = ins.length;
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e, uniqueIndexes);
  }
  sorted();
  return report(items, saved);
}

function dmy(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}
