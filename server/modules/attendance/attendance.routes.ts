import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZAttendanceOffices, ZAttendanceSave, ZAttendanceSheet, ZSheetParams } from '../../../shared/contracts/attendance.ts';
import { ctxOf, type HttpDeps } from '../../platform/http/http.ts';
import * as service from './attendance.service.ts';

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
  };
