import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParam } from '../../../shared/contracts/common.ts';
import {
  MAX_CONTRACT_FILE_BYTES,
  ZContract,
  ZContractCreate,
  ZContractDashboard,
  ZContractExportQuery,
  ZContractListQuery,
  ZContractOptions,
  ZContractOptionsQuery,
  ZContractPage,
  ZContractUpdate,
  ZTerminateBody,
  ZVersionCreate,
  ZVersionParams,
  ZVersionTerms,
} from '../../../shared/contracts/contract.ts';
import { localFileStore } from '../../platform/files/files.ts';
import { allowEmptyJsonBody, readPdfMultipart, requiredFile } from '../../platform/files/multipart.ts';
import { ctxOf, type HttpDeps, sendStoredPdf, sendExport } from '../../platform/http/http.ts';
import * as service from './contract.service.ts';

const FILE_FIELD = 'document';

/**
 * Contracts / work orders (spec 03, notes/contract-api.md). Reads need `contract.read` (the
 * service keeps each caller to its scope: department, office, DDO or its own agency — anything
 * else is "not found"); writes `contract.manage` (department managers).
 */
export const contractRoutes =
  (deps: HttpDeps, opts: { filesDir: string }): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['contract'];
    const read = { permission: 'contract.read' as const };
    const manage = { permission: 'contract.manage' as const };
    const store = localFileStore(opts.filesDir);
    await app.register(multipart, {
      preservePath: true,
      limits: { fileSize: MAX_CONTRACT_FILE_BYTES + 1, files: 2, fields: 4, parts: 6, fieldSize: 1024 },
      throwFileSizeLimit: false,
    });

    allowEmptyJsonBody(app);

    const base = '/api/v1/contracts';

    app.get(
      base,
      {
        config: read,
        schema: { tags, querystring: ZContractListQuery, response: { 200: ZContractPage } },
      },
      async (req) => service.listContracts(deps.db, ctxOf(req, deps), req.query),
    );

    app.get(
      `${base}/export`,
      {
        config: read,
        schema: { tags, querystring: ZContractExportQuery },
      },
      async (req, reply) => {
        const { body, filename } = await service.exportContracts(deps.db, ctxOf(req, deps), req.query);
        return sendExport(reply, req.query.format, { body, filename });
      },
    );

    app.get(
      `${base}/options`,
      {
        config: read,
        schema: { tags, querystring: ZContractOptionsQuery, response: { 200: ZContractOptions } },
      },
      async (req) => service.options(deps.db, ctxOf(req, deps), req.query),
    );

    app.get(
      `${base}/dashboard`,
      {
        config: read,
        schema: { tags, response: { 200: ZContractDashboard } },
      },
      async (req) => service.dashboard(deps.db, ctxOf(req, deps)),
    );

    app.post(
      base,
      {
        config: manage,
        schema: { tags, body: ZContractCreate, response: { 201: ZContract } },
      },
      async (req, reply) => reply.code(201).send(await service.createContract(deps.db, ctxOf(req, deps), req.body)),
    );

    app.get(
      `${base}/:id`,
      {
        config: read,
        schema: { tags, params: ZIdParam, response: { 200: ZContract } },
      },
      async (req) => service.getContract(deps.db, ctxOf(req, deps), req.params.id),
    );

    app.put(
      `${base}/:id`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, body: ZContractUpdate, response: { 200: ZContract } },
      },
      async (req) => service.updateContract(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );

    app.delete(
      `${base}/:id`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, response: { 204: z.null() } },
      },
      async (req, reply) => {
        await service.deleteContract(deps.db, ctxOf(req, deps), req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      `${base}/:id/terminate`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, body: ZTerminateBody, response: { 200: ZContract } },
      },
      async (req) => service.terminateContract(deps.db, ctxOf(req, deps), req.params.id, req.body),
    );

    app.post(
      `${base}/:id/versions`,
      {
        config: manage,
        schema: { tags, params: ZIdParam, body: ZVersionCreate, response: { 201: ZContract } },
      },
      async (req, reply) => reply.code(201).send(await service.createVersion(deps.db, ctxOf(req, deps), req.params.id, req.body)),
    );

    app.put(
      `${base}/:id/versions/:versionNo`,
      {
        config: manage,
        schema: { tags, params: ZVersionParams, body: ZVersionTerms, response: { 200: ZContract } },
      },
      async (req) => service.updateVersion(deps.db, ctxOf(req, deps), req.params.id, req.params.versionNo, req.body),
    );

    app.delete(
      `${base}/:id/versions/:versionNo`,
      {
        config: manage,
        schema: { tags, params: ZVersionParams, response: { 200: ZContract } },
      },
      async (req) => service.deleteVersion(deps.db, ctxOf(req, deps), req.params.id, req.params.versionNo),
    );

    app.post(
      `${base}/:id/versions/:versionNo/activate`,
      {
        config: manage,
        schema: { tags, params: ZVersionParams, body: z.strictObject({}).optional(), response: { 200: ZContract } },
      },
      async (req) => service.activateVersion(deps.db, ctxOf(req, deps), req.params.id, req.params.versionNo),
    );

    app.get(
      `${base}/:id/versions/:versionNo/document`,
      {
        config: read,
        schema: { tags, params: ZVersionParams },
      },
      async (req, reply) => {
        const f = await service.getVersionDocument(deps.db, ctxOf(req, deps), store, req.params.id, req.params.versionNo);
        return sendStoredPdf(reply, f);
      },
    );

    app.put(
      `${base}/:id/versions/:versionNo/document`,
      {
        config: manage,
        schema: { tags, params: ZVersionParams, consumes: ['multipart/form-data'], response: { 200: ZContract } },
      },
      async (req, reply) => {
        const ctx = ctxOf(req, deps);
        await service.assertVersionVisible(deps.db, ctx, req.params.id, req.params.versionNo);
        const file = requiredFile(
          (await readPdfMultipart(req, { fileFields: [FILE_FIELD], maxBytes: MAX_CONTRACT_FILE_BYTES })).files,
          FILE_FIELD,
          MAX_CONTRACT_FILE_BYTES,
        );
        const { contract, duplicateOfFileId } = await service.uploadVersionDocument(deps.db, ctx, store, req.params.id, req.params.versionNo, file);
        if (duplicateOfFileId !== null) reply.header('x-roams-duplicate-file', String(duplicateOfFileId));
        return contract;
      },
    );
  };
