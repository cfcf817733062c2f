import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/** Authorisation-matrix inputs for this module's routes (see server/test/matrix-fixtures.ts). */
export const fixtures: Record<string, MatrixFixture> = {};
