import { createHash } from 'node:crypto';
import { fileLimit } from '../../../shared/domain/file-limits.ts';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAttendanceOffices,
  ZAttendanceSave,
  ZAttendanceSheet,
  ZDeadlineSetting,
  ZDeadlineUpdate,
  ZDepartmentMonthParams,
  ZHoliday,
  ZHolidayCreate,
  ZHolidayImportQuery,
  ZHolidayImportReport,
  ZHolidayList,
  ZHolidayQuery,
  ZHolidayUpdate,
  MAX_REVISION_DOC_BYTES,
  ZOverview,
  ZOverviewQuery,
  ZRevision,
  ZRevisionCreate,
  ZRevisionDecision,
  ZRevisionDocumentParams,
  ZRevisionForm,
  ZRevisionList,
  ZRevisionListQuery,
  ZSheetParams,
  ZTemplateQuery,
  ZTotals,
  ZTotalsQuery,
  ZUploadQuery,
  ZUploadReport,
} from '../../../shared/contracts/attendance.ts';
import { ZIdParam, ZOk } from '../../../shared/contracts/common.ts';
import { AppError, fileRefusal } from '../../platform/errors.ts';
import { type AcceptedFile, contentDisposition, localFileStore, safeFileName } from '../../platform/files/files.ts';
import { parseMultipartFields } from '../../platform/files/multipart.ts';
import { ctxOf, type HttpDeps, sendExport } from '../../platform/http/http.ts';
import type { ModuleOptions } from '../../platform/module.ts';
import * as holidays from './attendance.holidays.ts';
import * as overview from './attendance.overview.ts';
import * as revisionDocs from './attendance.revision-docs.ts';
import * as revisions from './attendance.revisions.ts';
import * as totals from './attendance.totals.ts';
import * as sheetFile from './attendance.sheetfile.ts';
import * as departmentFile from './attendance.sheetfile-department.ts';
import * as service from './attendance.service.ts';

/** Largest upload: a department's template of a few thousand rows is well under this. */
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The one file of a multipart upload (415 when the request is not multipart, 413 beyond the limit). */
async function uploadedFile(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type');
  const file = await req.file();
  if (!file) throw new AppError('validation_failed', { errors: [{ field: 'file', code: 'required' }] });
  try {
    return await file.toBuffer();
  } catch {
    throw fileRefusal('file_too_large', SHEET_LIMIT, 'file');
  }
}

const DOC = 'document';
/** A revision's document: PDF, JPEG or PNG, at most 5 MB (its messages say so). */
const REVISION_DOC_LIMIT = fileLimit(MAX_REVISION_DOC_BYTES, 'pdfImage');
/** An attendance sheet or holiday list: CSV or Excel, at most 5 MB. */
const SHEET_LIMIT = fileLimit(MAX_UPLOAD_BYTES, 'table');
const extOf = (mime: string) => (mime === 'application/pdf' ? '.pdf' : mime === 'image/png' ? '.png' : '.jpg');

/**
 * The multipart form of a revision request: text fields `reason` and `rows` (JSON) and at most one
 * file part, `document` — PDF, JPEG or PNG by its content (a renamed file is refused naming the
 * part), at most MAX_REVISION_DOC_BYTES (over it is refused, never truncated), a safe name.
 * `textFields: false` (a document added to a request later): the file part alone.
 */
async function readRevisionForm(req: FastifyRequest, textFields = true): Promise<{ fields: Record<string, string>; file: AcceptedFile | null }> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type');
  const fields: Record<string, string> = {};
  let file: AcceptedFile | null = null;
  const refuse = (code: 'file_too_large' | 'file_empty' | 'file_not_document') =>
    code === 'file_too_large' ? fileRefusal(code, REVISION_DOC_LIMIT, DOC) : new AppError(code, { errors: [{ field: DOC, code }] });
  try {
    for await (const part of req.parts({ limits: { fileSize: MAX_REVISION_DOC_BYTES, files: 1, fields: 2, parts: 3, fieldSize: 256 * 1024 } })) {
      if (part.type !== 'file') {
        if (!textFields) throw new AppError('validation_failed', { errors: [{ field: part.fieldname, code: 'unknown_field' }] });
        if (part.valueTruncated || part.fieldnameTruncated) throw new AppError('validation_failed', { errors: [{ field: part.fieldname, code: 'too_long' }] });
        fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      if (part.fieldname !== DOC || file) {
        part.file.resume();
        throw new AppError('validation_failed', { errors: [{ field: part.fieldname, code: 'unknown_field' }] });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size <= MAX_REVISION_DOC_BYTES) chunks.push(chunk);
      }
      if (size > MAX_REVISION_DOC_BYTES || part.file.truncated) throw refuse('file_too_large');
      if (size === 0) throw refuse('file_empty');
      const bytes = Buffer.concat(chunks, size);
      const mime = revisionDocs.revisionDocumentKind(bytes);
      if (!mime) throw refuse('file_not_document');
      const ext = extOf(mime);
      file = {
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sizeBytes: size,
        mime,
        safeName: safeFileName(part.filename ?? '', `${DOC}${ext}`, DOC, ext),
      };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw refuse('file_too_large');
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('payload_too_large');
    throw new AppError('bad_request');
  }
  return { fields, file };
}

/**
 * Monthly attendance (spec 05). Reading: everyone with `attendance.read` within their scope
 * (agencies: finalised months, own resources). Entering and finalising: the department manager
 * of the office (`attendance.manage`).
 */
export const attendanceRoutes =
  (deps: HttpDeps, opts: ModuleOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const store = localFileStore(opts.filesDir);
    const tags = ['attendance'];
    const read = { permission: 'attendance.read' as const };
    const manage = { permission: 'attendance.manage' as const };
    const approve = { permission: 'attendance.approve' as const };
    const seeRevisions = { permission: 'attendance.revisions' as const };
    const keepHolidays = { permission: 'attendance.holidays' as const };
    const readCalendar = { permission: 'attendance.calendar' as const };
    const seeOverview = { permission: 'attendance.overview' as const };
    const setDeadline = { permission: 'attendance.deadline' as const };
    const sheet = '/api/v1/attendance/offices/:officeId/months/:month';
    await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 2, parts: 3 } });

    app.get('/api/v1/attendance/offices', { config: read, schema: { tags, response: { 200: ZAttendanceOffices } } }, async (req) =>
      service.listOffices(deps.db, ctxOf(req, deps)),
    );

    app.get(sheet, { config: read, schema: { tags, params: ZSheetParams, response: { 200: ZAttendanceSheet } } }, async (req) =>
      service.getSheet(deps.db, ctxOf(req, deps), req.params),
    );

    app.put(
      `${sheet}/rows`,
      { config: manage, schema: { tags, params: ZSheetParams, body: ZAttendanceSave, response: { 200: ZAttendanceSheet } } },
      async (req) => service.saveRows(deps.db, ctxOf(req, deps), req.params, req.body),
    );

    app.post(`${sheet}/finalise`, { config: manage, schema: { tags, params: ZSheetParams, response: { 200: ZAttendanceSheet } } }, async (req) =>
      service.finalise(deps.db, ctxOf(req, deps), req.params),
    );

    app.get(`${sheet}/template`, { config: manage, schema: { tags, params: ZSheetParams, querystring: ZTemplateQuery } }, async (req, reply) => {
      const { body, filename } = await sheetFile.template(deps.db, ctxOf(req, deps), req.params, req.query.format);
      return sendExport(reply, req.query.format, { body, filename });
    });

    app.post(
      `${sheet}/upload`,
      { config: manage, schema: { tags, params: ZSheetParams, querystring: ZUploadQuery, response: { 200: ZUploadReport } } },
      async (req) => {
        await sheetFile.requireUploadAccess(deps.db, ctxOf(req, deps), req.params);
        return sheetFile.upload(deps.db, ctxOf(req, deps), req.params, await uploadedFile(req), req.query.saveGood === 'true');
      },
    );

    // The department-wide template: readers of the overview download it (their offices of the department); the department manager uploads it.
    const department = '/api/v1/attendance/departments/:departmentId/months/:month';
    app.get(
      `${department}/template`,
      { config: seeOverview, schema: { tags, params: ZDepartmentMonthParams, querystring: ZTemplateQuery } },
      async (req, reply) => {
        const { body, filename } = await departmentFile.departmentTemplate(deps.db, ctxOf(req, deps), req.params, req.query.format);
        return sendExport(reply, req.query.format, { body, filename });
      },
    );

    app.post(
      `${department}/upload`,
      { config: manage, schema: { tags, params: ZDepartmentMonthParams, querystring: ZUploadQuery, response: { 200: ZUploadReport } } },
      async (req) => {
        await departmentFile.requireDepartmentAccess(deps.db, ctxOf(req, deps), req.params);
        return departmentFile.uploadDepartment(deps.db, ctxOf(req, deps), req.params, await uploadedFile(req), req.query.saveGood === 'true');
      },
    );

    // Revisions after finalisation: the department manager requests, the office's DDO decides.
    app.post(
      `${sheet}/revisions`,
      { config: manage, schema: { tags, params: ZSheetParams, body: ZRevisionCreate, response: { 200: ZRevision } } },
      async (req) => revisions.requestRevision(deps.db, ctxOf(req, deps), req.params, req.body),
    );

    // The same request with a supporting document (multipart: `reason`, `rows` as JSON, file `document`).
    app.post(
      `${sheet}/revisions/with-document`,
      { config: manage, schema: { tags, params: ZSheetParams, consumes: ['multipart/form-data'], response: { 200: ZRevision } } },
      async (req) => {
        const ctx = ctxOf(req, deps);
        await revisions.requireRevisionAccess(deps.db, ctx, req.params);
        const { fields, file } = await readRevisionForm(req);
        const body = parseMultipartFields(ZRevisionForm, fields);
        return revisions.requestRevision(deps.db, ctx, req.params, body, file ? { store, file } : undefined);
      },
    );

    // The supporting document, for whoever may read the request (else 404).
    const sendDocument = (reply: FastifyReply, f: { bytes: Buffer; name: string; mime: string }) =>
      reply
        .header('content-type', f.mime)
        .header('content-disposition', contentDisposition('attachment', f.name, extOf(f.mime)))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(f.bytes);
    app.get('/api/v1/attendance/revisions/:id/document', { config: seeRevisions, schema: { tags, params: ZIdParam } }, async (req, reply) =>
      sendDocument(reply, await revisionDocs.revisionDocument(deps.db, store, ctxOf(req, deps), req.params.id)),
    );
    // A document added to a pending request by its maker (multipart, one file part `document`):
    // the request is authorised before the file is read.
    app.post(
      '/api/v1/attendance/revisions/:id/documents',
      { config: manage, schema: { tags, params: ZIdParam, consumes: ['multipart/form-data'], response: { 200: ZRevision } } },
      async (req) => {
        const ctx = ctxOf(req, deps);
        await revisionDocs.requireAddableRevision(deps.db, ctx, req.params.id);
        const { file } = await readRevisionForm(req, false);
        if (!file) throw fileRefusal('file_required', REVISION_DOC_LIMIT, DOC);
        return revisionDocs.addRevisionDocument(deps.db, ctx, store, req.params.id, file);
      },
    );
    app.get(
      '/api/v1/attendance/revisions/:id/documents/:documentId',
      { config: seeRevisions, schema: { tags, params: ZRevisionDocumentParams } },
      async (req, reply) =>
        sendDocument(reply, await revisionDocs.addedRevisionDocument(deps.db, store, ctxOf(req, deps), req.params.id, req.params.documentId)),
    );

    app.get(
      '/api/v1/attendance/revisions',
      { config: seeRevisions, schema: { tags, querystring: ZRevisionListQuery, response: { 200: ZRevisionList } } },
      async (req) => ({ items: await revisions.listRevisions(deps.db, ctxOf(req, deps), req.query) }),
    );

    app.post(
      '/api/v1/attendance/revisions/:id/decision',
      { config: approve, schema: { tags, params: ZIdParam, body: ZRevisionDecision, response: { 200: ZRevision } } },
      async (req) => revisions.decideRevision(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );

    // The overview: office-months finalised / pending / overdue within the user's offices, and the deadline (Finance sets it).
    app.get('/api/v1/attendance/overview', { config: seeOverview, schema: { tags, querystring: ZOverviewQuery, response: { 200: ZOverview } } }, async (req) =>
      overview.overview(deps.db, ctxOf(req, deps), req.query),
    );

    // The dashboard: finalised attendance per month (24 by default) within the user's offices, from maintained totals (bar S4).
    app.get('/api/v1/attendance/totals', { config: seeOverview, schema: { tags, querystring: ZTotalsQuery, response: { 200: ZTotals } } }, async (req) =>
      totals.monthlyTotals(deps.db, ctxOf(req, deps), req.query),
    );

    app.get('/api/v1/attendance/deadline', { config: seeOverview, schema: { tags, response: { 200: ZDeadlineSetting } } }, async () =>
      overview.getDeadline(deps.db),
    );

    app.put('/api/v1/attendance/deadline', { config: setDeadline, schema: { tags, body: ZDeadlineUpdate, response: { 200: ZDeadlineSetting } } }, async (req) =>
      overview.setDeadline(deps.db, ctxOf(req, deps), req.body),
    );

    // The holiday calendar.
    app.get(
      '/api/v1/attendance/holidays',
      { config: readCalendar, schema: { tags, querystring: ZHolidayQuery, response: { 200: ZHolidayList } } },
      async (req) => holidays.listHolidays(deps.db, ctxOf(req, deps), req.query),
    );

    app.post('/api/v1/attendance/holidays', { config: keepHolidays, schema: { tags, body: ZHolidayCreate, response: { 200: ZHoliday } } }, async (req) =>
      holidays.addHoliday(deps.db, ctxOf(req, deps), req.body),
    );

    // An edit: date, names, kind (the holiday's keeper, as it is and as it will be; another's is not found).
    app.patch(
      '/api/v1/attendance/holidays/:id',
      { config: keepHolidays, schema: { tags, params: ZIdParam, body: ZHolidayUpdate, response: { 200: ZHoliday } } },
      async (req) => holidays.updateHoliday(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );

    // Import from a spreadsheet (Finance; a district admin its district's local holidays): a dry run lists every bad row; a save keeps all the rows or none.
    app.post(
      '/api/v1/attendance/holidays/import',
      { config: keepHolidays, schema: { tags, querystring: ZHolidayImportQuery, response: { 200: ZHolidayImportReport } } },
      async (req) => {
        const ctx = ctxOf(req, deps);
        holidays.requireImporter(ctx);
        if (!req.isMultipart()) throw new AppError('unsupported_media_type');
        const file = await req.file();
        if (!file) throw new AppError('validation_failed', { errors: [{ field: 'file', code: 'required' }] });
        let buf: Buffer;
        try {
          buf = await file.toBuffer();
        } catch {
          throw fileRefusal('file_too_large', SHEET_LIMIT, 'file');
        }
        return holidays.importHolidays(deps.db, ctx, buf, req.query.save === 'true');
      },
    );

    app.delete('/api/v1/attendance/holidays/:id', { config: keepHolidays, schema: { tags, params: ZIdParam, response: { 200: ZOk } } }, async (req) =>
      holidays.deleteHoliday(deps.db, ctxOf(req, deps), req.params.id),
    );
  };
