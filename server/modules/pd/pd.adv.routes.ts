import { createHash } from 'node:crypto';
import { fileLimit } from '../../../shared/domain/file-limits.ts';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  MAX_VENDOR_PROOF_BYTES,
  VENDOR_PROOF_FIELD,
  ZAdvice,
  ZAdviceApprove,
  ZAdviceCreate,
  ZAdviceList,
  ZAdviceParam,
  ZVendor,
  ZVendorCreate,
  ZVendorList,
  ZVendorParam,
} from '../../../shared/contracts/pd-adv.ts';
import { ZPdIdParam } from '../../../shared/contracts/pd.ts';
import { AppError, fileRefusal } from '../../platform/errors.ts';
import { type AcceptedFile, contentDisposition, localFileStore, safeFileName } from '../../platform/files/files.ts';
import { allowEmptyJsonBody, parseMultipartFields } from '../../platform/files/multipart.ts';
import { ctxOf, type HttpDeps } from '../../platform/http/http.ts';
import type { ModuleOptions } from '../../platform/module.ts';
import * as service from './pd.adv.ts';
import { extensionOf, proofKindOf } from './pd.adv.rules.ts';

/** A vendor's proof: PDF, JPEG or PNG, at most 2 MB (its messages say so). */
const VENDOR_PROOF_LIMIT = fileLimit(MAX_VENDOR_PROOF_BYTES, 'pdfImage');

/**
 * The vendor form: its text fields and one `proof` file part — a PDF, JPEG or PNG judged by its
 * content (a renamed ZIP or HTML is refused, 400 file_not_document), at most
 * MAX_VENDOR_PROOF_BYTES (413, never truncated); any other file part is refused.
 */
async function readVendorForm(req: FastifyRequest): Promise<{ fields: Record<string, string>; file: AcceptedFile }> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type');
  const field = VENDOR_PROOF_FIELD;
  const fields: Record<string, string> = {};
  let file: AcceptedFile | null = null;
  const refuse = (code: 'file_too_large' | 'file_empty' | 'file_not_document') =>
    code === 'file_too_large' ? fileRefusal(code, VENDOR_PROOF_LIMIT, field) : new AppError(code, { errors: [{ field, code }] });
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') {
        if (part.valueTruncated || part.fieldnameTruncated) throw new AppError('validation_failed', { errors: [{ field: part.fieldname, code: 'too_long' }] });
        fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      if (part.fieldname !== field || file) {
        part.file.resume();
        throw new AppError('validation_failed', { errors: [{ field: part.fieldname, code: 'unknown_field' }] });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size <= MAX_VENDOR_PROOF_BYTES) chunks.push(chunk);
      }
      if (size > MAX_VENDOR_PROOF_BYTES || part.file.truncated) throw refuse('file_too_large');
      if (size === 0) throw refuse('file_empty');
      const bytes = Buffer.concat(chunks, size);
      const mime = proofKindOf(bytes);
      if (!mime) throw refuse('file_not_document');
      const ext = extensionOf(mime);
      file = {
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sizeBytes: size,
        mime,
        safeName: safeFileName(part.filename ?? '', `${field}${ext}`, field, ext),
      };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw refuse('file_too_large');
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('payload_too_large');
    throw new AppError('bad_request');
  }
  if (!file) throw fileRefusal('file_required', VENDOR_PROOF_LIMIT, field);
  return { fields, file };
}

const keyOf = (req: FastifyRequest) => {
  const raw = req.headers['idempotency-key'];
  return Array.isArray(raw) ? undefined : raw;
};
const created = <T>(reply: FastifyReply, r: { replayed: boolean }, body: T, code = 201) => {
  if (r.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(code).send(body);
};

/**
 * The vendor master and advices of PD accounts (issue 18 item 4; pd.adv.ts). Reads need
 * `pd.read` (kept to the account's scope by the service: anything else is "not found"); adding
 * a vendor, making and approving an advice `pd.withdraw` (the PD administrator). Making and
 * approving an advice carry an `Idempotency-Key` header (bar M1); approval the second factor.
 */
export const pdadvRoutes =
  (deps: HttpDeps, opts: ModuleOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['pd'];
    const base = '/api/v1/pd';
    const store = localFileStore(opts.filesDir);
    await app.register(multipart, {
      preservePath: true,
      limits: { fileSize: MAX_VENDOR_PROOF_BYTES + 1, files: 2, fields: 10, parts: 12, fieldSize: 1024 },
      throwFileSizeLimit: false,
    });
    allowEmptyJsonBody(app);

    app.get(
      `${base}/accounts/:id/vendors`,
      { config: { permission: 'pd.read' }, schema: { tags, params: ZPdIdParam, response: { 200: ZVendorList } } },
      async (req) => service.listVendors(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.post(
      `${base}/accounts/:id/vendors`,
      { config: { permission: 'pd.withdraw' }, schema: { tags, params: ZPdIdParam, consumes: ['multipart/form-data'], response: { 201: ZVendor } } },
      async (req, reply) => {
        const ctx = ctxOf(req, deps);
        await service.assertVendorAccount(deps.db, ctx, req.params.id);
        const { fields, file } = await readVendorForm(req);
        const body = parseMultipartFields(ZVendorCreate, fields, ['bankName']);
        return reply.code(201).send(await service.createVendor(deps.db, ctx, store, req.params.id, body, file));
      },
    );

    app.get(
      `${base}/accounts/:id/vendors/:vendorId/proof`,
      { config: { permission: 'pd.read' }, schema: { tags, params: ZVendorParam } },
      async (req, reply) => {
        const f = await service.vendorProof(deps.db, ctxOf(req, deps), store, req.params.id, req.params.vendorId);
        return reply
          .header('content-type', f.mime)
          .header('content-disposition', contentDisposition('inline', f.name, extensionOf(f.mime)))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(f.bytes);
      },
    );

    app.get(
      `${base}/accounts/:id/advices`,
      { config: { permission: 'pd.read' }, schema: { tags, params: ZPdIdParam, response: { 200: ZAdviceList } } },
      async (req) => service.listAdvices(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.post(
      `${base}/accounts/:id/advices`,
      { config: { permission: 'pd.withdraw' }, schema: { tags, params: ZPdIdParam, body: ZAdviceCreate, response: { 201: ZAdvice } } },
      async (req, reply) => {
        const r = await service.createAdvice(deps.db, ctxOf(req, deps), req.params.id, keyOf(req), req.body);
        return created(reply, r, r.advice);
      },
    );

    app.get(`${base}/advices/:id`, { config: { permission: 'pd.read' }, schema: { tags, params: ZAdviceParam, response: { 200: ZAdvice } } }, async (req) =>
      service.getAdvice(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.post(
      `${base}/advices/:id/approve`,
      { config: { permission: 'pd.withdraw' }, schema: { tags, params: ZAdviceParam, body: ZAdviceApprove, response: { 200: ZAdvice } } },
      async (req, reply) => {
        const r = await service.approveAdvice(deps.db, ctxOf(req, deps), req.params.id, keyOf(req), req.body?.otp);
        return created(reply, r, r.advice, 200);
      },
    );
  };
