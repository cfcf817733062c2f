import { fixtures as audit } from '../platform/audit/audit.fixtures.ts';
import { fixtures as org } from '../modules/org/org.fixtures.ts';
import { fixtures as users } from '../modules/users/users.fixtures.ts';
import { fixtures as sanction } from '../modules/sanction/sanction.fixtures.ts';
import { fixtures as agency } from '../modules/agency/agency.fixtures.ts';
import { fixtures as contract } from '../modules/contract/contract.fixtures.ts';
import { fixtures as rates } from '../modules/rates/rates.fixtures.ts';
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

export const MATRIX_FIXTURES: Record<string, MatrixFixture> = {
  ...org,
  ...users,
  ...audit,
  ...sanction,
  ...agency,
  ...contract,
  ...rates,
  'PUT /api/v1/profile/assignments/:id/email': { params: (ids) => ({ id: ids.foreignAssignmentId }), body: () => ({ officialEmail: 'x@mp.gov.in' }) },
  'POST /api/v1/auth/login': { body: () => ({ username: 'nobody', password: 'nothing-at-all-1' }) },
};
