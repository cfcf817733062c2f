import type { MatrixFixture, MatrixIds } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the attendance routes: an office-month of a School Education
 * office (outside every below-state demo user's scope, and with no finalised sheet an agency
 * could read), so every below-state role must be refused. The body is valid.
 */
const sheet = { params: (ids: MatrixIds) => ({ officeId: ids.foreignOfficeId, month: '2026-10' }) };

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/attendance/offices/:officeId/months/:month': sheet,
  'PUT /api/v1/attendance/offices/:officeId/months/:month/rows': {
    ...sheet,
    body: () => ({ rows: [{ resourceId: 1, version: 0, present: 20, paidLeave: 1, offs: 10, absence: 0 }] }),
  },
  'POST /api/v1/attendance/offices/:officeId/months/:month/finalise': sheet,
  'GET /api/v1/attendance/offices/:officeId/months/:month/template': { ...sheet, query: 'format=xlsx' },
  'POST /api/v1/attendance/offices/:officeId/months/:month/upload': sheet,
  // A department no below-state demo user reaches (School Education): every one of them is refused.
  'GET /api/v1/attendance/departments/:departmentId/months/:month/template': {
    params: (ids: MatrixIds) => ({ departmentId: ids.foreignDepartmentId, month: '2026-10' }),
    query: 'format=xlsx',
  },
  'POST /api/v1/attendance/departments/:departmentId/months/:month/upload': {
    params: (ids: MatrixIds) => ({ departmentId: ids.foreignDepartmentId, month: '2026-10' }),
  },
  'POST /api/v1/attendance/offices/:officeId/months/:month/revisions': {
    ...sheet,
    body: () => ({ reason: 'Leave recorded late', rows: [{ resourceId: 1, present: 20, paidLeave: 1, offs: 10, absence: 0 }] }),
  },
  // The multipart form (no body here: every role is refused before or at reading it; the office is foreign).
  'POST /api/v1/attendance/offices/:officeId/months/:month/revisions/with-document': sheet,
  // A request id no one has: nobody may download its document (not found).
  'GET /api/v1/attendance/revisions/:id/document': { params: () => ({ id: 999_999 }) },
  // A request id no one has: its maker alone could add a document (not found for everyone), nor read one.
  'POST /api/v1/attendance/revisions/:id/documents': { params: () => ({ id: 999_999 }) },
  'GET /api/v1/attendance/revisions/:id/documents/:documentId': { params: () => ({ id: 999_999, documentId: 1 }) },
  // A request id no one has: every DDO is refused (not found).
  'POST /api/v1/attendance/revisions/:id/decision': { params: () => ({ id: 999_999 }), body: () => ({ decision: 'approve', remarks: '' }) },
  'DELETE /api/v1/attendance/holidays/:id': { params: () => ({ id: 999_999 }) },
  'PATCH /api/v1/attendance/holidays/:id': {
    params: () => ({ id: 999_999 }),
    body: () => ({ date: '2027-05-10', nameEn: 'Fair', nameHi: 'मेला', kind: 'local' }),
  },
  // Finance only; a valid body, so that other roles' refusal comes from authorisation.
  'PUT /api/v1/attendance/deadline': { body: () => ({ deadlineDay: 5 }) },
};
