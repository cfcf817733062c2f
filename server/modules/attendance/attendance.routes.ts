import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAttendanceOffices,
  ZAttendanceSave,
  ZAttendanceSheet,
  ZSheetParams,
  ZTemplateQuery,
  ZUploadQuery,
  ZUploadReport,
} from '../../../shared/contracts/attendance.ts';
import { AppError } from '../../platform/errors.ts';
import { ctxOf, type HttpDeps, sendExport } from '../../platform/http/http.ts';
import * as sheetFile from './attendance.sheetfile.ts';
import * as service from './attendance.service.ts';

/** Largest upload: a department's template of a few thousand rows is well under this. */
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Monthly attendance (spec 05). Reading: everyone with `attendance.read` within their scope
 * (agencies: finalised months, own resources). Entering and finalising: the department manager
 * of the office (`attendance.manage`).
 */
export const attendanceRoutes =
  (deps: HttpDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['attendance'];
    const read = { permission: 'attendance.read' as const };
    const manage = { permission: 'attendance.manage' as const };
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
        if (!req.isMultipart()) throw new AppError('unsupported_media_type');
        const file = await req.file();
        if (!file) throw new AppError('validation_failed', { errors: [{ field: 'file', code: 'required' }] });
        let buf: Buffer;
        try {
          buf = await file.toBuffer();
        } catch {
          throw new AppError('payload_too_large');
        }
        return sheetFile.upload(deps.db, ctxOf(req, deps), req.params, buf, req.query.saveGood === 'true');
      },
    );
  };
