import { fileLimit } from '../../../shared/domain/file-limits.ts';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParam } from '../../../shared/contracts/common.ts';
import {
  MAX_ECR_BYTES,
  ZGateChange,
  ZGateParams,
  ZGateSetting,
  ZGateSettings,
  ZProof,
  ZProofList,
  ZProofListQuery,
  ZProofUpload,
} from '../../../shared/contracts/proof.ts';
import type { TFieldError } from '../../../shared/errors.ts';
import { AppError, fileRefusal } from '../../platform/errors.ts';
import { contentDisposition, localFileStore } from '../../platform/files/files.ts';
import { parseMultipartFields } from '../../platform/files/multipart.ts';
import { ctxOf, type HttpDeps } from '../../platform/http/http.ts';
import type { ModuleOptions } from '../../platform/module.ts';
import * as service from './proof.service.ts';

/** The EPFO's ECR text file, at most 12 MB (its messages say so). */
const ECR_LIMIT = fileLimit(MAX_ECR_BYTES, 'text');

const FIELDS = ['month', 'trrn', 'paymentDate', 'esicChallanNo', 'esicChallanDate', 'esicAmountPaise'] as const;

/**
 * The statutory proof (spec 06, issue 17 item 2). Agency roles upload their proof of a wage month
 * (`proof.upload`, multipart: the text fields and the ECR file as part `ecr`, at most 12 MB);
 * everyone with `proof.read` lists and reads the proofs in reach (the agency its own, department
 * roles those of agencies their department contracts with, Finance all — else "not found");
 * Finance reads and switches the gate per department (`proof.gate`), with a reason. The stored ECR
 * file is downloaded by whoever may read its proof.
 */
export const proofRoutes =
  (deps: HttpDeps, opts: ModuleOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['proof'];
    const base = '/api/v1/proofs';
    const store = localFileStore(opts.filesDir);
    await app.register(multipart, { limits: { fileSize: MAX_ECR_BYTES, files: 1, fields: FIELDS.length, parts: FIELDS.length + 1, fieldSize: 1024 } });

    app.get(base, { config: { permission: 'proof.read' }, schema: { tags, querystring: ZProofListQuery, response: { 200: ZProofList } } }, async (req) =>
      service.listProofs(deps.db, ctxOf(req, deps), req.query),
    );

    app.post(
      base,
      { config: { permission: 'proof.upload' }, schema: { tags, consumes: ['multipart/form-data'], response: { 201: ZProof } } },
      async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('unsupported_media_type');
        const fields: Record<string, string> = {};
        const errors: TFieldError[] = [];
        let ecr: { bytes: Buffer; filename: string } | null = null;
        try {
          for await (const part of req.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'ecr' || ecr) {
                part.file.resume();
                errors.push({ field: part.fieldname, code: 'unknown_field' });
                continue;
              }
              const bytes = await part.toBuffer();
              ecr = { bytes, filename: part.filename ?? '' };
            } else if (part.valueTruncated || part.fieldnameTruncated) errors.push({ field: part.fieldname, code: 'too_long' });
            else fields[part.fieldname] = String(part.value ?? '');
          }
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileRefusal('file_too_large', ECR_LIMIT, 'ecr');
          if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('payload_too_large');
          throw new AppError('bad_request');
        }
        if (errors.length) throw new AppError('validation_failed', { errors });
        const input = parseMultipartFields(ZProofUpload, fields);
        if (!ecr) throw fileRefusal('file_required', ECR_LIMIT, 'ecr');
        if (ecr.bytes.length === 0) throw new AppError('file_empty', { errors: [{ field: 'ecr', code: 'file_empty' }] });
        return reply.code(201).send(await service.uploadProof(deps.db, store, ctxOf(req, deps), input, ecr));
      },
    );

    app.get(`${base}/gate`, { config: { permission: 'proof.gate' }, schema: { tags, response: { 200: ZGateSettings } } }, async () =>
      service.listGate(deps.db),
    );

    app.put(
      `${base}/gate/:departmentId`,
      { config: { permission: 'proof.gate' }, schema: { tags, params: ZGateParams, body: ZGateChange, response: { 200: ZGateSetting } } },
      async (req) => service.setGate(deps.db, ctxOf(req, deps), req.params.departmentId, req.body),
    );

    app.get(`${base}/:id/ecr`, { config: { permission: 'proof.read' }, schema: { tags, params: ZIdParam } }, async (req, reply) => {
      const f = await service.ecrFile(deps.db, store, ctxOf(req, deps), req.params.id);
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', f.name, '.txt'))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(f.bytes);
    });

    app.get(`${base}/:id`, { config: { permission: 'proof.read' }, schema: { tags, params: ZIdParam, response: { 200: ZProof } } }, async (req) =>
      service.getProof(deps.db, ctxOf(req, deps), req.params.id),
    );
  };
