import { createHash } from 'node:crypto';
import { fileLimit, type TFileTypes } from '../../../shared/domain/file-limits.ts';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdempotencyHeaders, ZIdParam } from '../../../shared/contracts/common.ts';
import {
  MAX_EVENT_DOC_BYTES,
  MAX_ID_DOC_BYTES,
  MAX_PHOTO_BYTES,
  ZDecisionInput,
  ZEsicOverdue,
  ZEsicReportInput,
  ZEventInput,
  ZEventParam,
  ZProfileChangeInput,
  ZReplaceInput,
  ZAadhaarInput,
  ZAlternativeInput,
  ZApproveInput,
  ZConsentInput,
  ZGhostPage,
  ZGhostQuery,
  ZOtpInput,
  ZOtpStarted,
  ZRejectInput,
  ZRelieveDecision,
  ZRelieveRequest,
  ZResolveInput,
  ZResource,
  ZResourceExportQuery,
  ZResourceInput,
  ZResourceListQuery,
  ZResourceOptions,
  ZResourcePage,
  ZTimeline,
} from '../../../shared/contracts/resource.ts';
import { MAX_BULK_BYTES, ZBulkReport, ZBulkTemplateQuery, ZBulkUploadQuery } from '../../../shared/contracts/resource-bulk.ts';
import { AppError, fileRefusal } from '../../platform/errors.ts';
import { type AcceptedFile, contentDisposition, localFileStore, safeFileName } from '../../platform/files/files.ts';
import { allowEmptyJsonBody, parseMultipartFields, readPdfMultipart, requiredFile } from '../../platform/files/multipart.ts';
import { ctxOf, type HttpDeps, sendCreated, sendExport } from '../../platform/http/http.ts';
import * as bulk from './resource.bulk.ts';
import { documentKind, imageKind } from './resource.rules.ts';
import * as service from './resource.service.ts';

const DOC_FIELD = 'document';

/** What one upload form accepts as its single file part: the field, the size limit, the kinds by content. */
type FileRule = {
  field: string;
  maxBytes: number;
  kindOf: (bytes: Buffer) => string | null;
  notKind: 'file_not_image' | 'file_not_document';
  /** The kinds named in its messages (with `maxBytes`). */
  types: TFileTypes;
  /** Whether the form's text fields are read (else they are passed over). */
  withFields: boolean;
};

/** A resource's photo: JPEG or PNG by its content (a PDF renamed `.jpg` is refused). */
const PHOTO: FileRule = { field: 'photo', maxBytes: MAX_PHOTO_BYTES, kindOf: imageKind, notKind: 'file_not_image', types: 'image', withFields: false };
/** An event's document: PDF, JPEG or PNG by its content (a ZIP renamed `.pdf` is refused), beside the event's text fields. */
const EVENT_DOC: FileRule = {
  field: DOC_FIELD,
  maxBytes: MAX_EVENT_DOC_BYTES,
  kindOf: documentKind,
  notKind: 'file_not_document',
  types: 'pdfImage',
  withFields: true,
};

const extOf = (mime: string) => (mime === 'application/pdf' ? '.pdf' : mime === 'image/png' ? '.png' : '.jpg');

/**
 * A multipart form with at most one file part, `rule.field`, of a kind `rule.kindOf` recognises,
 * at most `rule.maxBytes` (over it is a 413, never a truncation); any other file part is refused.
 */
async function readForm(req: FastifyRequest, rule: FileRule): Promise<{ fields: Record<string, string>; file: AcceptedFile | null }> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type');
  const fields: Record<string, string> = {};
  let file: AcceptedFile | null = null;
  const refuse = (code: 'file_too_large' | 'file_empty' | typeof rule.notKind) =>
    code === 'file_too_large'
      ? fileRefusal(code, fileLimit(rule.maxBytes, rule.types), rule.field)
      : new AppError(code, { errors: [{ field: rule.field, code }] });
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') {
        if (!rule.withFields) continue;
        if (part.valueTruncated || part.fieldnameTruncated) throw new AppError('validation_failed', { errors: [{ field: part.fieldname, code: 'too_long' }] });
        fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      if (part.fieldname !== rule.field || file) {
        part.file.resume();
        throw new AppError('validation_failed', { errors: [{ field: part.fieldname, code: 'unknown_field' }] });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size <= rule.maxBytes) chunks.push(chunk);
      }
      if (size > rule.maxBytes || part.file.truncated) throw refuse('file_too_large');
      if (size === 0) throw refuse('file_empty');
      const bytes = Buffer.concat(chunks, size);
      const mime = rule.kindOf(bytes);
      if (!mime) throw refuse(rule.notKind);
      const ext = extOf(mime);
      file = {
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sizeBytes: size,
        mime,
        safeName: safeFileName(part.filename ?? '', `${rule.field}${ext}`, rule.field, ext),
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

/** The photo form: its one file part is required. */
async function readPhoto(req: FastifyRequest): Promise<AcceptedFile> {
  const { file } = await readForm(req, PHOTO);
  if (!file) throw fileRefusal('file_required', fileLimit(PHOTO.maxBytes, PHOTO.types), PHOTO.field);
  return file;
}

/**
 * Resources (spec 04, issue 14) under /api/v1/resources. Reads need `resource.read` (the service
 * keeps each caller to its scope through the access layer: an agency its own resources, a
 * department manager its office's contracts', Finance all — anything else is "not found");
 * adding, e-KYC, submission and relieving requests `resource.edit` (agency roles); decisions and
 * alternative verification `resource.approve` (department managers); the ghost list `resource.ghosts`.
 */
export const resourceRoutes =
  (deps: HttpDeps, opts: { filesDir: string }): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['resource'];
    const read = { permission: 'resource.read' as const };
    const edit = { permission: 'resource.edit' as const };
    const approve = { permission: 'resource.approve' as const };
    const store = localFileStore(opts.filesDir);
    await app.register(multipart, {
      preservePath: true,
      limits: { fileSize: Math.max(MAX_ID_DOC_BYTES, MAX_EVENT_DOC_BYTES) + 1, files: 2, fields: 10, parts: 12, fieldSize: 1024 },
      throwFileSizeLimit: false,
    });
    allowEmptyJsonBody(app);

    const base = '/api/v1/resources';
    const one = { params: ZIdParam, response: { 200: ZResource } };

    app.get(base, { config: read, schema: { tags, querystring: ZResourceListQuery, response: { 200: ZResourcePage } } }, async (req) =>
      service.listResources(deps.db, ctxOf(req, deps), req.query),
    );

    app.get(`${base}/export`, { config: read, schema: { tags, querystring: ZResourceExportQuery } }, async (req, reply) => {
      const { body, filename } = await service.exportResources(deps.db, ctxOf(req, deps), req.query);
      return sendExport(reply, req.query.format, { body, filename });
    });

    app.get(`${base}/options`, { config: read, schema: { tags, response: { 200: ZResourceOptions } } }, async (req) =>
      service.options(deps.db, ctxOf(req, deps)),
    );

    app.get(`${base}/esic-overdue`, { config: read, schema: { tags, response: { 200: ZEsicOverdue } } }, async (req) =>
      service.esicOverdue(deps.db, ctxOf(req, deps)),
    );

    app.get(
      `${base}/ghosts`,
      { config: { permission: 'resource.ghosts' as const }, schema: { tags, querystring: ZGhostQuery, response: { 200: ZGhostPage } } },
      async (req) => service.ghosts(deps.db, ctxOf(req, deps), req.query),
    );

    // --- Bulk onboarding (agency): the template of a contract, and its upload (dry run, then import) ---
    app.get(`${base}/bulk/template`, { config: edit, schema: { tags, querystring: ZBulkTemplateQuery } }, async (req, reply) => {
      const { body, filename } = await bulk.bulkTemplate(deps.db, ctxOf(req, deps), req.query.contractId);
      return sendExport(reply, 'xlsx', { body, filename });
    });

    app.post(
      `${base}/bulk`,
      { config: edit, schema: { tags, querystring: ZBulkUploadQuery, consumes: ['multipart/form-data'], response: { 200: ZBulkReport } } },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('unsupported_media_type');
        const part = await req.file({ limits: { fileSize: MAX_BULK_BYTES + 1, files: 1 } });
        if (!part || part.fieldname !== 'file') {
          part?.file.resume();
          throw fileRefusal('file_required', fileLimit(MAX_BULK_BYTES, 'xlsx'), 'file');
        }
        const buf = await part.toBuffer();
        if (part.file.truncated || buf.length > MAX_BULK_BYTES) throw fileRefusal('file_too_large', fileLimit(MAX_BULK_BYTES, 'xlsx'), 'file');
        if (buf.length === 0) throw new AppError('file_empty', { errors: [{ field: 'file', code: 'file_empty' }] });
        return bulk.bulkUpload(deps.db, ctxOf(req, deps), req.query.contractId, buf, req.query.dryRun === 'true');
      },
    );

    // Idempotent on the optional Idempotency-Key (the add form sends one): a double click adds one draft.
    app.post(base, { config: edit, schema: { tags, headers: ZIdempotencyHeaders, body: ZResourceInput, response: { 201: ZResource } } }, async (req, reply) => {
      const { resource, replayed } = await service.createResource(deps.db, ctxOf(req, deps), req.body, req.headers['idempotency-key']);
      return sendCreated(reply, resource, replayed);
    });

    app.get(`${base}/:id`, { config: read, schema: { tags, ...one } }, async (req) => service.getResource(deps.db, ctxOf(req, deps), req.params.id));

    app.put(`${base}/:id`, { config: edit, schema: { tags, ...one, body: ZResourceInput } }, async (req) =>
      service.updateResource(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );

    app.get(`${base}/:id/timeline`, { config: read, schema: { tags, params: ZIdParam, response: { 200: ZTimeline } } }, async (req) =>
      service.timeline(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.get(`${base}/:id/photo`, { config: read, schema: { tags, params: ZIdParam } }, async (req, reply) => {
      const f = await service.getPhoto(deps.db, ctxOf(req, deps), store, req.params.id);
      return reply.header('content-type', f.mime).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(f.bytes);
    });

    app.put(`${base}/:id/photo`, { config: edit, schema: { tags, ...one, consumes: ['multipart/form-data'] } }, async (req) => {
      const ctx = ctxOf(req, deps);
      await service.assertVisible(deps.db, ctx, req.params.id);
      const file = await readPhoto(req);
      return service.uploadPhoto(deps.db, ctx, store, req.params.id, file);
    });

    // --- e-KYC ---
    app.post(`${base}/:id/kyc/consent`, { config: edit, schema: { tags, ...one, body: ZConsentInput } }, async (req) =>
      service.recordConsent(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.post(`${base}/:id/kyc/aadhaar`, { config: edit, schema: { tags, ...one, body: ZAadhaarInput } }, async (req) =>
      service.enterAadhaar(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.post(`${base}/:id/kyc/otp`, { config: edit, schema: { tags, params: ZIdParam, response: { 200: ZOtpStarted } } }, async (req) =>
      service.startOtp(deps.db, ctxOf(req, deps), req.params.id),
    );
    app.post(`${base}/:id/kyc/verify`, { config: edit, schema: { tags, ...one, body: ZOtpInput } }, async (req) =>
      service.verifyOtp(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.post(`${base}/:id/kyc/resolve`, { config: edit, schema: { tags, ...one, body: ZResolveInput } }, async (req) =>
      service.resolveMismatch(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.post(`${base}/:id/kyc/alternative`, { config: approve, schema: { tags, ...one, consumes: ['multipart/form-data'] } }, async (req) => {
      const ctx = ctxOf(req, deps);
      await service.assertVisible(deps.db, ctx, req.params.id);
      const { fields, files } = await readPdfMultipart(req, { fileFields: [DOC_FIELD], maxBytes: MAX_ID_DOC_BYTES });
      const body = parseMultipartFields(ZAlternativeInput, fields);
      return service.verifyAlternative(deps.db, ctx, store, req.params.id, body, requiredFile(files, DOC_FIELD, MAX_ID_DOC_BYTES));
    });

    // --- Submission and decision ---
    app.post(`${base}/:id/submit`, { config: edit, schema: { tags, ...one } }, async (req) => service.submitResource(deps.db, ctxOf(req, deps), req.params.id));
    app.post(`${base}/:id/approve`, { config: approve, schema: { tags, ...one, body: ZApproveInput } }, async (req) =>
      service.approveResource(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.post(`${base}/:id/reject`, { config: approve, schema: { tags, ...one, body: ZRejectInput } }, async (req) =>
      service.rejectResource(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );

    // --- Relieving ---
    app.post(`${base}/:id/relieving`, { config: edit, schema: { tags, ...one, body: ZRelieveRequest } }, async (req) =>
      service.requestRelieving(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.post(`${base}/:id/relieving/approve`, { config: approve, schema: { tags, ...one, body: ZRelieveDecision } }, async (req) =>
      service.decideRelieving(deps.db, ctxOf(req, deps), req.params.id, true, req.body),
    );
    app.post(`${base}/:id/relieving/refuse`, { config: approve, schema: { tags, ...one, body: ZRelieveDecision } }, async (req) =>
      service.decideRelieving(deps.db, ctxOf(req, deps), req.params.id, false, req.body),
    );

    // --- Replacement (issue 14 item 5): the agency requests, the department approves or replaces at once ---
    app.post(`${base}/:id/replacement`, { config: edit, schema: { tags, ...one, body: ZReplaceInput } }, async (req) =>
      service.replaceResource(deps.db, ctxOf(req, deps), req.params.id, req.body, false),
    );
    app.post(`${base}/:id/replace`, { config: approve, schema: { tags, ...one, body: ZReplaceInput } }, async (req) =>
      service.replaceResource(deps.db, ctxOf(req, deps), req.params.id, req.body, true),
    );
    app.post(`${base}/:id/replacement/approve`, { config: approve, schema: { tags, ...one, body: ZDecisionInput } }, async (req) =>
      service.decideReplacement(deps.db, ctxOf(req, deps), req.params.id, true, req.body),
    );
    app.post(`${base}/:id/replacement/refuse`, { config: approve, schema: { tags, ...one, body: ZDecisionInput } }, async (req) =>
      service.decideReplacement(deps.db, ctxOf(req, deps), req.params.id, false, req.body),
    );

    // --- Profile-change requests ---
    app.post(`${base}/:id/profile-change`, { config: edit, schema: { tags, ...one, body: ZProfileChangeInput } }, async (req) =>
      service.requestProfileChange(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );
    app.put(`${base}/:id/profile-change/photo`, { config: edit, schema: { tags, ...one, consumes: ['multipart/form-data'] } }, async (req) => {
      const ctx = ctxOf(req, deps);
      await service.assertVisible(deps.db, ctx, req.params.id);
      const file = await readPhoto(req);
      return service.attachProfilePhoto(deps.db, ctx, store, req.params.id, file);
    });
    app.post(`${base}/:id/profile-change/approve`, { config: approve, schema: { tags, ...one, body: ZDecisionInput } }, async (req) =>
      service.decideProfileChange(deps.db, ctxOf(req, deps), req.params.id, true, req.body),
    );
    app.post(`${base}/:id/profile-change/refuse`, { config: approve, schema: { tags, ...one, body: ZDecisionInput } }, async (req) =>
      service.decideProfileChange(deps.db, ctxOf(req, deps), req.params.id, false, req.body),
    );

    // --- Events (accident, maternity leave, death) with a document ---
    const events = { permission: 'resource.events' as const };
    const oneEvent = { params: ZEventParam, response: { 200: ZResource } };
    // Idempotent on the optional Idempotency-Key (the event dialog sends one): a double click records one event.
    app.post(
      `${base}/:id/events`,
      { config: events, schema: { tags, ...one, headers: ZIdempotencyHeaders, consumes: ['multipart/form-data'] } },
      async (req, reply) => {
        const ctx = ctxOf(req, deps);
        await service.assertVisible(deps.db, ctx, req.params.id);
        const { fields, file } = await readForm(req, EVENT_DOC);
        const body = parseMultipartFields(ZEventInput, fields, ['atTime', 'toDate', 'esicReportedOn', 'esicReportedTime']);
        const { resource, replayed } = await service.recordEvent(deps.db, ctx, store, req.params.id, body, file, req.headers['idempotency-key']);
        return sendCreated(reply, resource, replayed, 200);
      },
    );
    app.post(`${base}/:id/events/:eventId/esic-report`, { config: events, schema: { tags, ...oneEvent, body: ZEsicReportInput } }, async (req) =>
      service.reportToEsic(deps.db, ctxOf(req, deps), req.params.id, req.params.eventId, req.body),
    );
    app.post(`${base}/:id/events/:eventId/approve`, { config: approve, schema: { tags, ...oneEvent, body: ZDecisionInput } }, async (req) =>
      service.decideEvent(deps.db, ctxOf(req, deps), req.params.id, req.params.eventId, true, req.body),
    );
    app.post(`${base}/:id/events/:eventId/refuse`, { config: approve, schema: { tags, ...oneEvent, body: ZDecisionInput } }, async (req) =>
      service.decideEvent(deps.db, ctxOf(req, deps), req.params.id, req.params.eventId, false, req.body),
    );
    app.get(`${base}/:id/events/:eventId/document`, { config: read, schema: { tags, params: ZEventParam } }, async (req, reply) => {
      const f = await service.getEventDocument(deps.db, ctxOf(req, deps), store, req.params.id, req.params.eventId);
      return reply
        .header('content-type', f.mime)
        .header('content-disposition', contentDisposition('inline', f.name, f.mime === 'application/pdf' ? '.pdf' : f.mime === 'image/png' ? '.png' : '.jpg'))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(f.bytes);
    });
  };
