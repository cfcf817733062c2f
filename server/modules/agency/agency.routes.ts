import { fileLimit } from '../../../shared/domain/file-limits.ts';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AGENCY_DOC_KINDS,
  MAX_AGENCY_DOC_BYTES,
  type TAgencyDocKind,
  ZAddOperatorBody,
  ZAddOperatorReply,
  ZAgency,
  ZAgencyDocument,
  ZAgencyListQuery,
  ZAgencyPage,
  ZAgencyParticulars,
  ZDocParams,
  ZOperatorList,
  ZReasonBody,
  ZRegisterReply,
  ZSanctionBody,
  ZSignupFields,
  ZSignupOtpBody,
  ZSignupOtpReply,
  ZSignupReply,
  ZVerifyBody,
} from '../../../shared/contracts/agency.ts';
import { ZIdempotencyHeaders, ZIdParam } from '../../../shared/contracts/common.ts';
import { fileRefusal } from '../../platform/errors.ts';
import { localFileStore } from '../../platform/files/files.ts';
import { parseMultipartFields, readPdfMultipart } from '../../platform/files/multipart.ts';
import { ctxOf, type HttpDeps, sendCreated, sendStoredPdf } from '../../platform/http/http.ts';
import * as service from './agency.service.ts';

/**
 * Agencies (spec 03). Reads: `agency.read` (department roles see every agency, agency users only
 * their own — another is 404). Registration by a department: `agency.register`; status moves:
 * `agency.verify` (reinstating: Finance only, checked by the service); the agency's own documents
 * and operators: `agency.self`. The sign-up is public: a code by SMS, then the particulars.
 */
export const agencyRoutes =
  (deps: HttpDeps, opts: { filesDir: string }): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['agency'];
    const read = { permission: 'agency.read' as const };
    const self = { permission: 'agency.self' as const };
    const verify = { permission: 'agency.verify' as const };
    const store = localFileStore(opts.filesDir);
    await app.register(multipart, {
      preservePath: true,
      limits: { fileSize: MAX_AGENCY_DOC_BYTES + 1, files: 6, fields: 30, parts: 40, fieldSize: 8 * 1024 },
      throwFileSizeLimit: false,
    });

    // --- Public sign-up ---
    app.get(
      '/api/v1/agency-signup/districts',
      {
        config: { permission: 'public' },
        schema: { tags, response: { 200: z.object({ items: z.array(z.object({ id: z.number().int(), nameEn: z.string(), nameHi: z.string() })) }) } },
      },
      async () => ({ items: await service.signupDistricts(deps.db) }),
    );

    app.post(
      '/api/v1/agency-signup/otp',
      {
        config: { permission: 'public' },
        schema: { tags, body: ZSignupOtpBody, response: { 202: ZSignupOtpReply } },
      },
      async (req, reply) => reply.code(202).send(await service.requestSignupOtp(deps.db, ctxOf(req, deps), req.body.mobile)),
    );

    app.post(
      '/api/v1/agency-signup',
      {
        config: { permission: 'public' },
        schema: { tags, consumes: ['multipart/form-data'], response: { 201: ZSignupReply } },
      },
      async (req, reply) => {
        const { fields, files } = await readPdfMultipart(req, { fileFields: AGENCY_DOC_KINDS, maxBytes: MAX_AGENCY_DOC_BYTES });
        const parsed = parseMultipartFields(ZSignupFields, fields);
        return reply.code(201).send(await service.signup(deps.db, ctxOf(req, deps), store, parsed, files));
      },
    );

    // --- Agencies ---
    app.get(
      '/api/v1/agencies',
      {
        config: read,
        schema: { tags, querystring: ZAgencyListQuery, response: { 200: ZAgencyPage } },
      },
      async (req) => service.listAgencies(deps.db, ctxOf(req, deps), req.query),
    );

    app.post(
      '/api/v1/agencies',
      {
        config: { permission: 'agency.register' },
        schema: { tags, consumes: ['multipart/form-data'], response: { 201: ZRegisterReply } },
      },
      async (req, reply) => {
        const { fields, files } = await readPdfMultipart(req, { fileFields: AGENCY_DOC_KINDS, maxBytes: MAX_AGENCY_DOC_BYTES });
        const parsed = parseMultipartFields(ZAgencyParticulars, fields);
        return reply.code(201).send(await service.registerAgency(deps.db, ctxOf(req, deps), store, parsed, files));
      },
    );

    app.get(
      '/api/v1/agencies/:id',
      {
        config: read,
        schema: { tags, params: ZIdParam, response: { 200: ZAgency } },
      },
      async (req) => service.getAgency(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.get(
      '/api/v1/my-agency',
      {
        config: read,
        schema: { tags, response: { 200: ZAgency } },
      },
      async (req) => service.myAgency(deps.db, ctxOf(req, deps)),
    );

    // --- Documents ---
    app.get(
      '/api/v1/agencies/:id/documents',
      {
        config: read,
        schema: { tags, params: ZIdParam, response: { 200: z.object({ items: z.array(ZAgencyDocument) }) } },
      },
      async (req) => ({ items: await service.listDocuments(deps.db, ctxOf(req, deps), req.params.id) }),
    );

    app.get(
      '/api/v1/agencies/:id/documents/:docId/file',
      {
        config: read,
        schema: { tags, params: ZDocParams },
      },
      async (req, reply) => {
        const f = await service.getDocumentFile(deps.db, ctxOf(req, deps), store, req.params.id, req.params.docId);
        return sendStoredPdf(reply, f);
      },
    );

    app.post(
      '/api/v1/agencies/:id/documents',
      {
        config: self,
        schema: { tags, params: ZIdParam, headers: ZIdempotencyHeaders, consumes: ['multipart/form-data'], response: { 201: ZAgency } },
      },
      async (req, reply) => {
        const ctx = ctxOf(req, deps);
        service.assertOwnAgency(ctx, req.params.id);
        const { fields, files } = await readPdfMultipart(req, { fileFields: ['file'], maxBytes: MAX_AGENCY_DOC_BYTES });
        const { kind } = parseMultipartFields(z.strictObject({ kind: z.enum(AGENCY_DOC_KINDS) }), fields);
        if (!files.file) throw fileRefusal('file_required', fileLimit(MAX_AGENCY_DOC_BYTES, 'pdf'), 'file');
        const { agency, replayed } = await service.uploadDocument(
          deps.db,
          ctx,
          store,
          req.params.id,
          kind as TAgencyDocKind,
          files.file,
          req.headers['idempotency-key'],
        );
        return sendCreated(reply, agency, replayed);
      },
    );

    // --- Verification ---
    // Each status move has its own route (one permission, one body schema each); the service
    // checks the move against the status read and, for reinstating, that the caller is Finance.
    const moves = [
      ['verify', ZVerifyBody],
      ['reject', ZReasonBody],
      ['suspend', ZSanctionBody],
      ['blacklist', ZSanctionBody],
      ['reinstate', ZReasonBody],
    ] as const;
    for (const [action, body] of moves) {
      app.post(
        `/api/v1/agencies/:id/${action}`,
        {
          config: verify,
          schema: { tags, params: ZIdParam, body, response: { 200: ZAgency } },
        },
        async (req) => service.moveStatus(deps.db, ctxOf(req, deps), req.params.id, action, req.body as service.StatusBody),
      );
    }

    // --- Operators of the caller's own agency ---
    app.get(
      '/api/v1/my-agency/operators',
      {
        config: self,
        schema: { tags, response: { 200: ZOperatorList } },
      },
      async (req) => service.listOperators(deps.db, ctxOf(req, deps)),
    );

    app.post(
      '/api/v1/my-agency/operators',
      {
        config: self,
        schema: { tags, body: ZAddOperatorBody, response: { 201: ZAddOperatorReply } },
      },
      async (req, reply) => reply.code(201).send(await service.addOperator(deps.db, ctxOf(req, deps), req.body)),
    );

    app.post(
      '/api/v1/my-agency/operators/:id/deactivate',
      {
        config: self,
        schema: { tags, params: ZIdParam, response: { 200: ZOperatorList } },
      },
      async (req) => service.removeOperator(deps.db, ctxOf(req, deps), req.params.id),
    );
  };
