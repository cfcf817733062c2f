import { fileLimit } from '../../../shared/domain/file-limits.ts';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParam, ZOk } from '../../../shared/contracts/common.ts';
import {
  MAP_MASTERS,
  MASTERS,
  ZExportQuery,
  ZImportQuery,
  ZImportReport,
  ZMasterBodies,
  ZMasterItems,
  ZMasterListQuery,
  ZMasterUpdateBodies,
  ZStateSettings,
  ZStateSettingsBody,
} from '../../../shared/contracts/org.ts';
import { ZPage } from '../../../shared/contracts/common.ts';
import { ctxOf, type HttpDeps, sendExport } from '../../platform/http/http.ts';
import { AppError, fileRefusal } from '../../platform/errors.ts';
import { MASTER_DEFS } from './org.masters.ts';
import * as service from './org.service.ts';

/** Largest import file accepted (a state's 12,000 offices as CSV is about 2 MB). */
const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/**
 * Organisation masters (spec 01). For each master under /api/v1/org/<master>: a paged list
 * (`org.read`: masters are not secret), an export, and — for Finance (`org.manage`) — create,
 * update, deactivate / activate (never delete) and a CSV / Excel import with a dry run.
 * Mappings (DDO → office, budget line → office) are added and removed instead.
 */
export const orgRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['org'];
    const read = { permission: 'org.read' as const };
    const manage = { permission: 'org.manage' as const };
    await app.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, parts: 6 } });

    for (const master of MASTERS) {
      const base = `/api/v1/org/${master}`;
      const item = ZMasterItems[master];
      const d = MASTER_DEFS[master];

      app.get(
        base,
        {
          config: read,
          schema: { tags, querystring: ZMasterListQuery, response: { 200: ZPage(item) } },
        },
        async (req) => service.listMaster(deps.db, master, req.query) as never,
      );

      app.get(
        `${base}/export`,
        {
          config: read,
          schema: { tags, querystring: ZExportQuery },
        },
        async (req, reply) => {
          const { body, filename } = await service.exportMaster(deps.db, ctxOf(req, deps), master, req.query);
          return sendExport(reply, req.query.format, { body, filename });
        },
      );

      app.post(
        `${base}/import`,
        {
          config: manage,
          schema: { tags, querystring: ZImportQuery, response: { 200: ZImportReport } },
        },
        async (req) => {
          if (!req.isMultipart()) throw new AppError('unsupported_media_type');
          const file = await req.file();
          if (!file) throw new AppError('validation_failed', { errors: [{ field: 'file', code: 'required' }] });
          let buf: Buffer;
          try {
            buf = await file.toBuffer();
          } catch {
            throw fileRefusal('file_too_large', fileLimit(MAX_IMPORT_BYTES, 'table'), 'file');
          }
          return service.importMaster(deps.db, ctxOf(req, deps), master, buf, req.query.dryRun === 'true');
        },
      );

      app.post(
        base,
        {
          config: manage,
          schema: { tags, body: ZMasterBodies[master], response: { 201: item } },
        },
        async (req, reply) =>
          reply.code(201).send((await service.createMaster(deps.db, ctxOf(req, deps), master, req.body as Record<string, unknown>)) as never),
      );

      if (MAP_MASTERS.includes(master)) {
        const [a, b] = d.key as [string, string];
        app.delete(
          `${base}/:${a}/:${b}`,
          {
            config: manage,
            schema: { tags, params: z.object({ [a]: ZIdParam.shape.id, [b]: ZIdParam.shape.id }), response: { 200: ZOk } },
          },
          async (req) => service.removeMapping(deps.db, ctxOf(req, deps), master, req.params as Record<string, number>),
        );
        continue;
      }

      app.put(
        `${base}/:id`,
        {
          config: manage,
          schema: { tags, params: ZIdParam, body: ZMasterUpdateBodies[master], response: { 200: item } },
        },
        async (req) => service.updateMaster(deps.db, ctxOf(req, deps), master, req.params.id, req.body as Record<string, unknown>) as never,
      );

      app.post(
        `${base}/:id/deactivate`,
        {
          config: manage,
          schema: { tags, params: ZIdParam, response: { 200: item } },
        },
        async (req) => service.setMasterActive(deps.db, ctxOf(req, deps), master, req.params.id, false) as never,
      );

      app.post(
        `${base}/:id/activate`,
        {
          config: manage,
          schema: { tags, params: ZIdParam, response: { 200: item } },
        },
        async (req) => service.setMasterActive(deps.db, ctxOf(req, deps), master, req.params.id, true) as never,
      );
    }

    app.get(
      '/api/v1/org/state-settings',
      {
        config: read,
        schema: { tags, response: { 200: ZStateSettings } },
      },
      async () => service.getStateSettings(deps.db),
    );

    app.put(
      '/api/v1/org/state-settings',
      {
        config: manage,
        schema: { tags, body: ZStateSettingsBody, response: { 200: ZStateSettings } },
      },
      async (req) => service.saveStateSettings(deps.db, ctxOf(req, deps), req.body),
    );
  };
