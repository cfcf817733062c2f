import { sql, type SQL } from 'drizzle-orm';
import {
  MAX_REVISION_ADDED_DOCS,
  type TRevision,
  type TRevisionCreate,
  type TRevisionDecision,
  type TRevisionDocument,
  type TRevisionState,
  type TSheetParams,
} from '../../../shared/contracts/attendance.ts';
import { roleHas } from '../../../shared/permissions.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, requireRecord, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type Actor, actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, getStoredFile, saveUpload, withFileCleanup } from '../../platform/files/files.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.service.ts';
import { officeAccess } from '../org/index.ts';
import { deploymentsSql } from '../resource/index.ts';
import * as repo from './attendance.repo.ts';
import { monthBounds, rowProblems } from './attendance.rules.ts';
import { attendanceRevisionDocuments, attendanceRevisionItems, attendanceRevisionRequests } from './attendance.table.ts';

/**
 * Revisions after finalisation (issue 15 item 6, migration 0021). A finalised sheet is never
 * edited: the department manager of the office raises a request with new figures for one or more
 * rows and a reason; the office's DDO approves or refuses it, once, with remarks (maker ≠ checker,
 * checked here and by a CHECK). On approval each row gets its next revision number and the
 * revision's figures become the row's effective attendance (attendance.effective.ts).
 *
 * The approver: a user in the DDO role whose DDO code sits in the office (`ddo_codes.office_id`)
 * or through which the office draws (`ddo_office_map`) — the DDO who pays the office's bills.
 *
 * A request may carry one supporting document (PDF, JPEG or PNG by content, migration 0029), read
 * by whoever may read the request; its maker may add more while it is pending (migration 0042,
 * `addRevisionDocument` in attendance.revision-docs.ts). A transaction that fails after a document's bytes were written deletes
 * them again (`withFileCleanup`); the daily orphan sweep is the safety net. The DDOs who can approve a request are told through the outbox
 * when it is made, and the requester when it is decided — queued in the same transaction.
 */

/** Someone to tell through the outbox: SMS to the mobile, e-mail where the assignment has an official e-mail. */
export type Recipient = { userId: number; mobile: string; locale: TLocale; officialEmail: string };

/**
 * The DDOs who can approve a request of `officeId` (the rule of `ddoOf`): active users in an active
 * DDO assignment whose active DDO code sits in the office or draws for it. Read-only over the
 * users' tables, like `ddoOf` over the DDO codes.
 */
export async function approversOf(tx: DbOrTx, officeId: number): Promise<Recipient[]> {
  const r = await tx.execute<Recipient>(sql`
    select distinct on (u.id) u.id as "userId", u.mobile, u.locale, ra.official_email as "officialEmail"
      from role_assignments ra
      join users u on u.id = ra.user_id
      join ddo_codes d on d.id = ra.scope_id and d.active
     where ra.role = 'ddo' and ra.scope_kind = 'ddo' and ra.active and u.status = 'active'
       and (d.office_id = ${officeId} or exists (select 1 from ddo_office_map m where m.ddo_code_id = d.id and m.office_id = ${officeId}))
     order by u.id, (ra.official_email = '') , ra.id`);
  return r.rows.map((x) => ({ ...x, userId: Number(x.userId) }));
}

/** The requester, if still active, with the official e-mail of its department-manager assignment in the office. */
async function requesterOf(tx: DbOrTx, userId: number, officeId: number): Promise<Recipient[]> {
  const r = await tx.execute<Recipient>(sql`
    select u.id as "userId", u.mobile, u.locale,
           coalesce((select ra.official_email from role_assignments ra
                      where ra.user_id = u.id and ra.role = 'department_manager' and ra.scope_kind = 'office' and ra.scope_id = ${officeId}
                        and ra.active and ra.official_email <> '' order by ra.id limit 1), '') as "officialEmail"
      from users u where u.id = ${userId} and u.status = 'active'`);
  return r.rows.map((x) => ({ ...x, userId: Number(x.userId) }));
}

/** Queues `attendance.revision.notify.<key>Sms` / `…Email` to each recipient in its own language; returns how many were told. */
export async function notify(tx: DbOrTx, to: Recipient[], key: string, params: (locale: TLocale) => Record<string, string | number>): Promise<number> {
  for (const m of to) {
    await enqueueMessage(tx, {
      channel: 'sms',
      recipient: m.mobile,
      template: `attendance.revision.notify.${key}Sms`,
      params: params(m.locale),
      locale: m.locale,
    });
    if (m.officialEmail)
      await enqueueMessage(tx, {
        channel: 'email',
        recipient: m.officialEmail,
        template: `attendance.revision.notify.${key}Email`,
        params: params(m.locale),
        locale: m.locale,
      });
  }
  return to.length;
}

/** "November 2026" / "नवंबर 2026" for a message. */
export const monthName = (month: string, locale: TLocale) =>
  new Intl.DateTimeFormat(locale === 'hi' ? 'hi-IN' : 'en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
export const officeLabel = (o: { nameEn: string; nameHi: string }, id: number, locale: TLocale) => `${nameOf(locale, o, id)} (${id})`;

/** SQL: the actor is the DDO of the office `officeCol` (false for any other role). */
export function ddoOf(actor: Actor, officeCol: SQL): SQL {
  if (actor.role !== 'ddo' || actor.scopeKind !== 'ddo') return sql`false`;
  return sql`exists (select 1 from ddo_codes d where d.id = ${actor.scopeId} and d.active
                        and (d.office_id = ${officeCol} or exists (select 1 from ddo_office_map m where m.ddo_code_id = d.id and m.office_id = ${officeCol})))`;
}

const nameOf = (locale: string, r: { nameEn: string; nameHi: string }, id: number) =>
  (locale === 'hi' ? r.nameHi || r.nameEn : r.nameEn || r.nameHi) || String(id);

/** The office is within the actor's reach (else 404): checked before a request's file is read. */
export async function requireRevisionAccess(db: Db, ctx: Ctx, p: TSheetParams): Promise<void> {
  await requireRecord(db, actorOf(ctx), officeAccess, p.officeId);
}

/**
 * Raises a revision request on a finalised office-month (the department manager of the office),
 * with an optional supporting document already checked by content (`revisionDocumentKind`, attendance.revision-docs.ts). The
 * document is stored and the approving DDOs notified only once every row has passed.
 */
export async function requestRevision(
  db: Db,
  ctx: Ctx,
  p: TSheetParams,
  body: TRevisionCreate,
  doc?: { store: FileStore; file: AcceptedFile },
): Promise<TRevision> {
  const actor = actorOf(ctx);
  const office = await requireRecord(db, actor, officeAccess, p.officeId);
  const { first, last } = monthBounds(p.month);
  const t = translator(ctx.locale);
  let id = 0;
  try {
    // With a document, bytes written by a transaction that then fails are deleted again.
    const write = (store: FileStore | null) =>
      db.transaction(async (tx) => {
        const sheet = await repo.getSheet(tx, p.officeId, first);
        if (sheet?.state !== 'finalised') throw new AppError('attendance_not_finalised');
        const rows = await repo.roster(tx, { officeId: p.officeId, first, last, savedOnly: true });
        const position = new Map(rows.map((r, i) => [r.resourceId, { row: i + 1, r }]));
        const errors: TFieldError[] = [];
        const seen = new Set<number>();
        body.rows.forEach((e, i) => {
          const at = position.get(e.resourceId);
          if (!at) {
            errors.push({ field: `rows.${i}.resourceId`, code: 'attendance_not_on_rolls', params: { row: i + 1, id: e.resourceId } });
            return;
          }
          const name = nameOf(ctx.locale, at.r, e.resourceId);
          if (seen.has(e.resourceId)) {
            errors.push({ field: `rows.${i}.resourceId`, code: 'attendance_duplicate_row', params: { row: at.row, name } });
            return;
          }
          seen.add(e.resourceId);
          const days = at.r.daysOnRolls!;
          const problems = rowProblems(e, days);
          for (const pr of problems)
            errors.push({ field: `rows.${i}.${pr.field}`, code: pr.code, params: { row: at.row, name, column: t(`attendance.col.${pr.field}`), days } });
          if (problems.length) return;
          if (at.r.revisionPending) {
            errors.push({ field: `rows.${i}.resourceId`, code: 'attendance_revision_open', params: { row: at.row, name } });
            return;
          }
          const eff = effectiveOf(at.r);
          if (eff.present === e.present && eff.paidLeave === e.paidLeave && eff.offs === e.offs && eff.absence === e.absence)
            errors.push({ field: `rows.${i}.present`, code: 'attendance_revision_unchanged', params: { row: at.row, name } });
        });
        if (errors.length) throw new AppError('validation_failed', { errors });

        const stored = doc && store ? (await saveUpload(tx, store, doc.file, actor.userId, ctx.now)).file : null;
        const [req] = await tx
          .insert(attendanceRevisionRequests)
          .values({
            sheetId: sheet.id,
            officeId: p.officeId,
            month: first,
            reason: body.reason,
            requestedBy: actor.userId,
            requestedAt: ctx.now,
            documentFileId: stored?.id ?? null,
          })
          .returning({ id: attendanceRevisionRequests.id });
        id = req!.id;
        const items = body.rows.map((e) => {
          const r = position.get(e.resourceId)!.r;
          return {
            requestId: id,
            rowId: r.rowId!,
            resourceId: e.resourceId,
            daysOnRolls: r.daysOnRolls!,
            present: e.present,
            paidLeave: e.paidLeave,
            offs: e.offs,
            absence: e.absence,
          };
        });
        await tx.insert(attendanceRevisionItems).values(items);
        const me = await tx.execute<{ name: string }>(sql`select name from users where id = ${actor.userId}`);
        const o = await tx.execute<{ nameEn: string; nameHi: string }>(
          sql`select name_en as "nameEn", name_hi as "nameHi" from offices where id = ${p.officeId}`,
        );
        const notified = await notify(tx, await approversOf(tx, p.officeId), 'request', (locale) => ({
          id,
          office: officeLabel(o.rows[0]!, p.officeId, locale),
          month: monthName(p.month, locale),
          rows: body.rows.length,
          by: me.rows[0]?.name ?? '',
          reason: body.reason,
        }));
        await recordAudit(tx, ctx, {
          entity: 'attendance_revision',
          entityId: id,
          action: 'request',
          departmentId: office.departmentId ?? null,
          before: null,
          after: {
            officeId: p.officeId,
            month: p.month,
            reason: body.reason,
            rows: body.rows.map((e) => ({ ...e, before: effectiveOf(position.get(e.resourceId)!.r) })),
            document: stored ? { fileId: stored.id, name: stored.originalName, mime: stored.mime, sha256: stored.sha256 } : null,
            notified,
          },
        });
      });
    await (doc ? withFileCleanup(db, doc.store, write) : write(null));
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e, { attendance_revision_items_open_uq: () => new AppError('attendance_revision_open') });
  }
  return (await listRevisions(db, ctx, {}, id))[0]!;
}

function effectiveOf(r: repo.RosterRow) {
  return r.revisionNo !== null
    ? { present: r.revPresent!, paidLeave: r.revPaidLeave!, offs: r.revOffs!, absence: r.revAbsence! }
    : { present: r.present!, paidLeave: r.paidLeave!, offs: r.offs!, absence: r.absence! };
}

type RequestRow = {
  id: number;
  officeId: number;
  officeNameEn: string;
  officeNameHi: string;
  departmentId: number | null;
  month: string;
  reason: string;
  state: TRevisionState;
  requestedById: number;
  requestedBy: string;
  requestedAt: Date | string;
  decidedBy: string | null;
  decidedAt: Date | string | null;
  remarks: string;
  isDdo: boolean;
  docName: string | null;
  docMime: string | null;
  docSize: number | string | null;
};

/**
 * Revision requests the actor may see, newest first: within the actor's offices (the access
 * layer's office tree), and for a DDO also the offices it draws for. Agencies see none.
 */
export async function listRevisions(db: DbOrTx, ctx: Ctx, q: { state?: TRevisionState | undefined }, onlyId?: number): Promise<TRevision[]> {
  const actor = actorOf(ctx);
  if (actor.scopeKind === 'agency') return [];
  const isDdo = ddoOf(actor, sql`q.office_id`);
  const conds: SQL[] = [sql`(${sourceCondition(await reachOf(db, actor), officeAccess)} or ${isDdo})`];
  if (q.state) conds.push(sql`q.state = ${q.state}`);
  if (onlyId !== undefined) conds.push(sql`q.id = ${onlyId}`);
  const r = await db.execute<RequestRow>(sql`
    select q.id, q.office_id as "officeId", o.name_en as "officeNameEn", o.name_hi as "officeNameHi", o.department_id as "departmentId",
           to_char(q.month, 'YYYY-MM') as month, q.reason, q.state, q.requested_by as "requestedById", ru.name as "requestedBy",
           q.requested_at as "requestedAt", du.name as "decidedBy", q.decided_at as "decidedAt", q.remarks, ${isDdo} as "isDdo",
           f.original_name as "docName", f.mime as "docMime", f.size_bytes as "docSize"
      from attendance_revision_requests q
      left join stored_files f on f.id = q.document_file_id
      join offices o on o.id = q.office_id
      join users ru on ru.id = q.requested_by
      left join users du on du.id = q.decided_by
     where ${sql.join(conds, sql` and `)}
     order by (q.state = 'pending') desc, q.id desc
     limit 200`);
  if (r.rows.length === 0) return [];
  const ids = r.rows.map((x) => Number(x.id));
  const items = await db.execute<{
    requestId: number;
    resourceId: number;
    nameEn: string;
    nameHi: string;
    daysOnRolls: number;
    present: number;
    paidLeave: number;
    offs: number;
    absence: number;
    revisionNo: number | null;
    bPresent: number;
    bPaidLeave: number;
    bOffs: number;
    bAbsence: number;
  }>(sql`
    select i.request_id as "requestId", i.resource_id as "resourceId", res.name_en as "nameEn", res.name_hi as "nameHi", i.days_on_rolls as "daysOnRolls",
           i.present, i.paid_leave as "paidLeave", i.offs, i.absence, i.revision_no as "revisionNo",
           coalesce(p.present, ar.present) as "bPresent", coalesce(p.paid_leave, ar.paid_leave) as "bPaidLeave",
           coalesce(p.offs, ar.offs) as "bOffs", coalesce(p.absence, ar.absence) as "bAbsence"
      from attendance_revision_items i
      join attendance_rows ar on ar.id = i.row_id
      join attendance_revision_requests rq on rq.id = i.request_id
      join ${deploymentsSql()} res on res.id = i.resource_id
      -- "Before" is what was in effect when the item was asked for: the latest revision approved
      -- before it (an approved item: the one numbered before it; a pending or refused one: approved
      -- by the time it was requested — not one approved later, which made a refused request look
      -- like it asked for no change).
      left join lateral (select x.present, x.paid_leave, x.offs, x.absence from attendance_revision_items x
                          where x.row_id = i.row_id and x.state = 'approved'
                            and (case when i.revision_no is null then x.approved_at <= rq.requested_at else x.revision_no < i.revision_no end)
                          order by x.revision_no desc limit 1) p on true
     where i.request_id in (${sql.join(
       ids.map((i) => sql`${i}`),
       sql`, `,
     )})
     order by i.request_id, coalesce(nullif(res.name_en, ''), res.name_hi), i.id`);
  const added = await db.execute<{
    id: number;
    requestId: number;
    name: string;
    mime: string;
    sizeBytes: number | string;
    addedBy: string;
    addedAt: Date | string;
  }>(sql`
    select d.id, d.request_id as "requestId", f.original_name as name, f.mime, f.size_bytes as "sizeBytes", u.name as "addedBy", d.added_at as "addedAt"
      from attendance_revision_documents d
      join stored_files f on f.id = d.file_id
      join users u on u.id = d.added_by
     where d.request_id in (${sql.join(
       ids.map((i) => sql`${i}`),
       sql`, `,
     )})
     order by d.id`);
  const docs = new Map<number, TRevisionDocument[]>();
  for (const d of added.rows) {
    const list = docs.get(Number(d.requestId)) ?? [];
    list.push({ id: Number(d.id), name: d.name, mime: d.mime, sizeBytes: Number(d.sizeBytes), addedBy: d.addedBy, addedAt: new Date(d.addedAt).toISOString() });
    docs.set(Number(d.requestId), list);
  }
  const mayAdd = roleHas(actor.role, 'attendance.manage');
  const by = new Map<number, TRevision['items']>();
  for (const it of items.rows) {
    const list = by.get(Number(it.requestId)) ?? [];
    list.push({
      resourceId: Number(it.resourceId),
      nameEn: it.nameEn,
      nameHi: it.nameHi,
      daysOnRolls: it.daysOnRolls,
      before: { present: it.bPresent, paidLeave: it.bPaidLeave, offs: it.bOffs, absence: it.bAbsence },
      after: { present: it.present, paidLeave: it.paidLeave, offs: it.offs, absence: it.absence },
      revisionNo: it.revisionNo,
    });
    by.set(Number(it.requestId), list);
  }
  return r.rows.map((x) => ({
    id: Number(x.id),
    officeId: Number(x.officeId),
    officeNameEn: x.officeNameEn,
    officeNameHi: x.officeNameHi,
    month: x.month,
    reason: x.reason,
    state: x.state,
    requestedBy: x.requestedBy,
    requestedAt: new Date(x.requestedAt).toISOString(),
    decidedBy: x.decidedBy,
    decidedAt: x.decidedAt ? new Date(x.decidedAt).toISOString() : null,
    remarks: x.remarks,
    canDecide: x.state === 'pending' && x.isDdo === true && Number(x.requestedById) !== actor.userId,
    document: x.docName !== null ? { name: x.docName, mime: x.docMime ?? '', sizeBytes: Number(x.docSize) } : null,
    documents: docs.get(Number(x.id)) ?? [],
    canAddDocument:
      x.state === 'pending' && mayAdd && Number(x.requestedById) === actor.userId && (docs.get(Number(x.id))?.length ?? 0) < MAX_REVISION_ADDED_DOCS,
    items: by.get(Number(x.id)) ?? [],
  }));
}

/**
 * The DDO's decision on a pending request, once. The request is locked (FOR UPDATE) and its state
 * checked under the lock, so a double click or two DDOs at once make one decision; the later gets
 * 409 `attendance_revision_decided`. A request of an office the DDO does not pay is not found.
 */
export async function decideRevision(db: Db, ctx: Ctx, id: number, body: TRevisionDecision): Promise<TRevision> {
  const actor = actorOf(ctx);
  if (body.decision === 'refuse' && body.remarks.trim() === '') throw new AppError('validation_failed', { errors: [{ field: 'remarks', code: 'required' }] });
  try {
    await db.transaction(async (tx) => {
      const r = await tx.execute<{
        id: number;
        state: TRevisionState;
        requestedBy: number;
        officeId: number;
        month: string;
        departmentId: number | null;
        isDdo: boolean;
        nameEn: string;
        nameHi: string;
        rows: number;
      }>(sql`
        select q.id, q.state, q.requested_by as "requestedBy", q.office_id as "officeId", to_char(q.month, 'YYYY-MM') as month,
               o.department_id as "departmentId", ${ddoOf(actor, sql`q.office_id`)} as "isDdo", o.name_en as "nameEn", o.name_hi as "nameHi",
               (select count(*) from attendance_revision_items i where i.request_id = q.id)::int as rows
          from attendance_revision_requests q join offices o on o.id = q.office_id
         where q.id = ${id}
           for update of q`);
      const q = r.rows[0];
      if (!q || q.isDdo !== true) throw new AppError('not_found');
      if (Number(q.requestedBy) === actor.userId) throw new AppError('maker_checker');
      if (q.state !== 'pending') throw new AppError('attendance_revision_decided');
      const state = body.decision === 'approve' ? 'approved' : 'refused';
      let numbered: { resourceId: number; revisionNo: number }[] = [];
      if (state === 'approved') {
        const n = await tx.execute<{ resourceId: number; revisionNo: number }>(sql`
          update attendance_revision_items i
             set state = 'approved', approved_at = ${ctx.now.toISOString()},
                 revision_no = coalesce((select max(x.revision_no) from attendance_revision_items x where x.row_id = i.row_id), 0) + 1
           where i.request_id = ${id} and i.state = 'pending'
          returning i.resource_id as "resourceId", i.revision_no as "revisionNo"`);
        numbered = n.rows.map((x) => ({ resourceId: Number(x.resourceId), revisionNo: Number(x.revisionNo) }));
      } else {
        await tx.execute(sql`update attendance_revision_items set state = 'refused' where request_id = ${id} and state = 'pending'`);
      }
      await tx.execute(sql`
        update attendance_revision_requests
           set state = ${state}, decided_by = ${actor.userId}, decided_at = ${ctx.now.toISOString()}, remarks = ${body.remarks}
         where id = ${id}`);
      const me = await tx.execute<{ name: string }>(sql`select name from users where id = ${actor.userId}`);
      const officeId = Number(q.officeId);
      const notified = await notify(tx, await requesterOf(tx, Number(q.requestedBy), officeId), state === 'approved' ? 'approved' : 'refused', (locale) => ({
        id,
        office: officeLabel(q, officeId, locale),
        month: monthName(q.month, locale),
        rows: Number(q.rows),
        by: me.rows[0]?.name ?? '',
        remarks: body.remarks.trim() || '—',
      }));
      await recordAudit(tx, ctx, {
        entity: 'attendance_revision',
        entityId: id,
        action: body.decision,
        departmentId: q.departmentId === null ? null : Number(q.departmentId),
        before: { state: 'pending' },
        after: { state, officeId, month: q.month, remarks: body.remarks, revisions: numbered, notified },
      });
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e);
  }
  return (await listRevisions(db, ctx, {}, id))[0]!;
}
