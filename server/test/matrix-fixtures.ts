import { MODULES } from '../modules/registry.ts';
import { fixtures as audit } from '../platform/audit/audit.fixtures.ts';
/**
 * Inputs for the authorisation-matrix test (authz-matrix.test.ts), keyed "METHOD url" exactly as
 * the route is declared. Every route with a path parameter needs an entry whose ids point at a
 * record OUTSIDE the scope of every non-state demo user (e.g. a School Education office, id from
 * `ids.foreignOfficeId`), so the test can check that in-scope-only roles are refused it.
 * A body or query is optional; a valid one makes the check sharper (the refusal must come
 * from authorisation, not from validation).
 */
export type MatrixIds = {
  /** An office of the School Education Department (no demo user below state level holds it). */
  foreignOfficeId: number;
  /** A user who works only in that office. */
  foreignUserId: number;
  /** A role assignment of that user. */
  foreignAssignmentId: number;
  /** Any district / HOD / department / master row id. */
  anyDistrictId: number;
  foreignDepartmentId: number;
  foreignHodId: number;
};

export type MatrixFixture = {
  params?: (ids: MatrixIds) => Record<string, string | number>;
  body?: (ids: MatrixIds) => unknown;
  query?: string;
  /**
   * Roles for which this record is in scope by design although they are below the state (e.g.
   * department roles see every agency): the matrix does not expect them to be refused.
   */
  inScopeFor?: readonly string[];
};

/** Each module's `<name>.fixtures.ts`, found by the registry's names (a module with routes must have one). */
const moduleFixtures: Record<string, MatrixFixture>[] = await Promise.all(
  MODULES.filter((m) => m.routes).map(
    async (m) => ((await import(`../modules/${m.name}/${m.name}.fixtures.ts`)) as { fixtures: Record<string, MatrixFixture> }).fixtures,
  ),
);

export const MATRIX_FIXTURES: Record<string, MatrixFixture> = {
  ...audit,
  ...Object.assign({}, ...moduleFixtures),
  'PUT /api/v1/profile/assignments/:id/email': { params: (ids) => ({ id: ids.foreignAssignmentId }), body: () => ({ officialEmail: 'x@mp.gov.in' }) },
  'POST /api/v1/auth/login': { body: () => ({ username: 'nobody', password: 'nothing-at-all-1' }) },
};
