import { sql } from 'drizzle-orm';
import { MAX_REVISION_ADDED_DOCS, type TRevision, type TRevisionState } from '../../../shared/contracts/attendance.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reachOf, sourceCondition } from '../../platform/access/access.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { actorOf, type Ctx } from '../../platform/context.ts';
import { AppError, throwDbError } from '../../platform/errors.ts';
import { type AcceptedFile, type FileStore, getStoredFile, saveUpload, withFileCleanup } from '../../platform/files/files.ts';
import { officeAccess } from '../org/index.ts';
import { approversOf, ddoOf, listRevisions, monthName, notify, officeLabel } from './attendance.revisions.ts';
import { attendanceRevisionDocuments } from './attendance.table.ts';

/**
 * The supporting documents of attendance revision requests (split from attendance.revisions.ts):
 * the document a request is made with (migration 0029) and those its maker adds while it is
 * pending (migration 0042), each read by whoever may read the request.
 */

/** PDF (`%PDF-`), JPEG (FF D8 FF) or PNG (89 50 4E 47 0D 0A 1A 0A) by content, whatever the file is called. */
export function revisionDocumentKind(bytes: Buffer): 'application/pdf' | 'image/jpeg' | 'image/png' | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}

/**
 * The supporting document of a request, for whoever may read the request (the same rule as the
 * list: the user's offices, a DDO also the offices it pays); anyone else — and a request without
 * a document — gets "not found". Each download is audited.
 */
export async function revisionDocument(db: Db, store: FileStore, ctx: Ctx, id: number): Promise<{ bytes: Buffer; name: string; mime: string }> {
  const [visible] = await listRevisions(db, ctx, {}, id);
  if (!visible?.document) throw new AppError('not_found');
  const r = await db.execute<{ fileId: number }>(sql`select document_file_id as "fileId" from attendance_revision_requests where id = ${id}`);
  const f = await getStoredFile(db, Number(r.rows[0]!.fileId));
  if (!f) throw new AppError('not_found');
  const bytes = await store.get(f.storageKey);
  await auditDownload(db, ctx, visible.officeId, id, { documentId: null, file: f });
  return { bytes, name: f.originalName, mime: f.mime };
}

/**
 * A revision document leaving the system is audited (`attendance_revision` / `downloaded`, the label the audit catalog already has beside `uploaded`): who (the
 * entry's actor, role and address), which request (the entry's id) and which document — the one the
 * request was made with (`documentId` null) or an added one — by stored file id, name, type, size
 * and digest. Written after the bytes were read, so a download that fails is not recorded.
 */
async function auditDownload(
  db: Db,
  ctx: Ctx,
  officeId: number,
  requestId: number,
  d: { documentId: number | null; file: { id: number; originalName: string; mime: string; sizeBytes: number; sha256: string } },
) {
  const o = await db.execute<{ departmentId: number | null }>(sql`select department_id as "departmentId" from offices where id = ${officeId}`);
  const departmentId = o.rows[0]?.departmentId;
  await recordAudit(db, ctx, {
    entity: 'attendance_revision',
    entityId: requestId,
    action: 'downloaded',
    departmentId: departmentId === null || departmentId === undefined ? null : Number(departmentId),
    after: {
      document: d.documentId === null ? 'request' : 'added',
      documentId: d.documentId,
      fileId: d.file.id,
      name: d.file.originalName,
      mime: d.file.mime,
      sizeBytes: d.file.sizeBytes,
      sha256: d.file.sha256,
    },
  });
}

type AddableRow = {
  id: number;
  state: TRevisionState;
  requestedBy: number;
  officeId: number;
  month: string;
  departmentId: number | null;
  visible: boolean;
  nameEn: string;
  nameHi: string;
  added: number;
};

/**
 * A request its maker may add a document to, checked in this order: the actor may read it (the
 * list's rule; else 404, nothing revealed), made it (else 403 `attendance_revision_not_requester`
 * — e.g. the office's other department manager or its DDO), it is pending (else 409
 * `attendance_revision_decided`) and has room (else 409 `attendance_revision_documents_full`).
 * `lock`: read FOR UPDATE, as a decision does, so an addition and a decision serialise.
 */
async function addableRequest(db: DbOrTx, ctx: Ctx, id: number, lock: boolean): Promise<AddableRow> {
  const actor = actorOf(ctx);
  if (actor.scopeKind === 'agency') throw new AppError('not_found');
  const visible = sql`(${sourceCondition(await reachOf(db, actor), officeAccess)} or ${ddoOf(actor, sql`q.office_id`)})`;
  const r = await db.execute<AddableRow>(sql`
    select q.id, q.state, q.requested_by as "requestedBy", q.office_id as "officeId", to_char(q.month, 'YYYY-MM') as month,
           o.department_id as "departmentId", ${visible} as visible, o.name_en as "nameEn", o.name_hi as "nameHi",
           (select count(*) from attendance_revision_documents d where d.request_id = q.id)::int as added
      from attendance_revision_requests q join offices o on o.id = q.office_id
     where q.id = ${id}
     ${lock ? sql`for update of q` : sql``}`);
  const q = r.rows[0];
  if (!q || q.visible !== true) throw new AppError('not_found');
  if (Number(q.requestedBy) !== actor.userId) throw new AppError('attendance_revision_not_requester');
  if (q.state !== 'pending') throw new AppError('attendance_revision_decided');
  if (Number(q.added) >= MAX_REVISION_ADDED_DOCS) throw new AppError('attendance_revision_documents_full', { params: { max: MAX_REVISION_ADDED_DOCS } });
  return q;
}

/** Checked before an added document's file is read: the request exists for the actor, is its own and pending. */
export async function requireAddableRevision(db: Db, ctx: Ctx, id: number): Promise<void> {
  await addableRequest(db, ctx, id, false);
}

/**
 * Adds a supporting document (already checked by content and size) to a pending request, by its
 * maker — e.g. when the DDO asks for one. The request is locked and re-checked, the bytes stored
 * (deleted again if the transaction fails), the document recorded (the database refuses it too
 * for a request no longer pending or another user), the approving DDOs told through the outbox
 * and the addition audited (`attendance_revision` / `add_document`), all in one transaction.
 */
export async function addRevisionDocument(db: Db, ctx: Ctx, store: FileStore, id: number, file: AcceptedFile): Promise<TRevision> {
  const actor = actorOf(ctx);
  try {
    await withFileCleanup(db, store, (s) =>
      db.transaction(async (tx) => {
        const q = await addableRequest(tx, ctx, id, true);
        // The same content already on the request (a double click, a retry — they wait on the lock
        // above) is refused before its bytes are stored: added once, the others 409.
        const same = await tx.execute(sql`
          select 1 from stored_files f
           where f.sha256 = ${file.sha256}
             and (f.id in (select d.file_id from attendance_revision_documents d where d.request_id = ${id})
                  or f.id = (select q.document_file_id from attendance_revision_requests q where q.id = ${id}))`);
        if (same.rows.length > 0) throw new AppError('attendance_revision_document_duplicate');
        const { file: stored } = await saveUpload(tx, s, file, actor.userId, ctx.now);
        const [doc] = await tx
          .insert(attendanceRevisionDocuments)
          .values({ requestId: id, fileId: stored.id, addedBy: actor.userId, addedAt: ctx.now })
          .returning({ id: attendanceRevisionDocuments.id });
        const me = await tx.execute<{ name: string }>(sql`select name from users where id = ${actor.userId}`);
        const officeId = Number(q.officeId);
        const notified = await notify(tx, await approversOf(tx, officeId), 'document', (locale) => ({
          id,
          office: officeLabel(q, officeId, locale),
          month: monthName(q.month, locale),
          by: me.rows[0]?.name ?? '',
          name: stored.originalName,
        }));
        await recordAudit(tx, ctx, {
          entity: 'attendance_revision',
          entityId: id,
          action: 'add_document',
          departmentId: q.departmentId === null ? null : Number(q.departmentId),
          before: { documents: Number(q.added) },
          after: {
            documentId: doc!.id,
            fileId: stored.id,
            name: stored.originalName,
            mime: stored.mime,
            sizeBytes: stored.sizeBytes,
            sha256: stored.sha256,
            documents: Number(q.added) + 1,
            notified,
          },
        });
      }),
    );
  } catch (e) {
    if (e instanceof AppError) throw e;
    throwDbError(e);
  }
  return (await listRevisions(db, ctx, {}, id))[0]!;
}

/** A document added to a request, for whoever may read the request (else, or another request's document id, 404); audited. */
export async function addedRevisionDocument(
  db: Db,
  store: FileStore,
  ctx: Ctx,
  id: number,
  documentId: number,
): Promise<{ bytes: Buffer; name: string; mime: string }> {
  const [visible] = await listRevisions(db, ctx, {}, id);
  if (!visible?.documents.some((d) => d.id === documentId)) throw new AppError('not_found');
  const r = await db.execute<{ fileId: number }>(
    sql`select file_id as "fileId" from attendance_revision_documents where id = ${documentId} and request_id = ${id}`,
  );
  const f = r.rows[0] ? await getStoredFile(db, Number(r.rows[0].fileId)) : null;
  if (!f) throw new AppError('not_found');
  const bytes = await store.get(f.storageKey);
  await auditDownload(db, ctx, visible.officeId, id, { documentId, file: f });
  return { bytes, name: f.originalName, mime: f.mime };
}
