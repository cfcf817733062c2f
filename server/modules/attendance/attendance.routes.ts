import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAttendanceOffices,
  ZAttendanceSave,
  ZAttendanceSheet,
  ZDeadlineSetting,
  ZDeadlineUpdate,
  ZHoliday,
  ZHolidayCreate,
  ZHolidayImportQuery,
  ZHolidayImportReport,
  ZHolidayList,
  ZHolidayQuery,
  ZOverview,
  ZOverviewQuery,
  ZRevision,
  ZRevisionCreate,
  ZRevisionDecision,
  ZRevisionList,
  ZRevisionListQuery,
  ZSheetParams,
  ZTemplateQuery,
  ZUploadQuery,
  ZUploadReport,
} from '../../../shared/contracts/attendance.ts';
import { ZIdParam, ZOk } from '../../../shared/contracts/common.ts';
import { AppError } from '../../platform/errors.ts';
import { ctxOf, type HttpDeps, sendExport } from '../../platform/http/http.ts';
import * as holidays from './attendance.holidays.ts';
import * as overview from './attendance.overview.ts';
import * as revisions from './attendance.revisions.ts';
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
    const approve = { permission: 'attendance.approve' as const };
    const seeRevisions = { permission: 'attendance.revisions' as const };
    const keepHolidays = { permission: 'attendance.holidays' as const };
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

    // Revisions after finalisation: the department manager requests, the office's DDO decides.
    app.post(
      `${sheet}/revisions`,
      { config: manage, schema: { tags, params: ZSheetParams, body: ZRevisionCreate, response: { 200: ZRevision } } },
      async (req) => revisions.requestRevision(deps.db, ctxOf(req, deps), req.params, req.body),
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

    app.get('/api/v1/attendance/deadline', { config: seeOverview, schema: { tags, response: { 200: ZDeadlineSetting } } }, async () =>
      overview.getDeadline(deps.db),
    );

    app.put('/api/v1/attendance/deadline', { config: setDeadline, schema: { tags, body: ZDeadlineUpdate, response: { 200: ZDeadlineSetting } } }, async (req) =>
      overview.setDeadline(deps.db, ctxOf(req, deps), req.body),
    );

    // The holiday calendar.
    app.get('/api/v1/attendance/holidays', { config: read, schema: { tags, querystring: ZHolidayQuery, response: { 200: ZHolidayList } } }, async (req) =>
      holidays.listHolidays(deps.db, ctxOf(req, deps), req.query),
    );

    app.post('/api/v1/attendance/holidays', { config: keepHolidays, schema: { tags, body: ZHolidayCreate, response: { 200: ZHoliday } } }, async (req) =>
      holidays.addHoliday(deps.db, ctxOf(req, deps), req.body),
    );

    // Import from a spreadsheet (Finance): a dry run lists every bad row; a save keeps all the rows or none.
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
          throw new AppError('payload_too_large');
        }
        return holidays.importHolidays(deps.db, ctx, buf, req.query.save === 'true');
      },
    );

    app.delete('/api/v1/attendance/holidays/:id', { config: keepHolidays, schema: { tags, params: ZIdParam, response: { 200: ZOk } } }, async (req) =>
      holidays.deleteHoliday(deps.db, ctxOf(req, deps), req.params.id),
    );
  };
