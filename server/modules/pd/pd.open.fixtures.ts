import type { MatrixFixture } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the PD opening routes. The demo (pd.open.demo.ts) makes
 * proposal 1 School Education's, its row 1 an application at the Indore treasury — outside every
 * below-state demo user's scope (the Finance Department's office admins, the Bhopal treasury).
 * Bodies are valid so the refusal comes from authorisation, not validation.
 */
const FOREIGN_PROPOSAL_ID = 1;
const FOREIGN_ROW_ID = 1;

const proposal = { params: () => ({ id: FOREIGN_PROPOSAL_ID }) };

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/pd/opening/proposals/:id': proposal,
  'PUT /api/v1/pd/opening/proposals/:id': {
    ...proposal,
    body: () => ({
      hodDesignation: 'Matrix probe',
      source: 'other',
      rows: [
        {
          administratorDesignation: 'Probe',
          administratorOffice: 'Probe office',
          administratorMobile: '9876500099',
          treasuryId: 1,
          purpose: 'Matrix probe',
          items: 'Matrix probe',
          lines: [{ purpose: 'Matrix probe' }],
        },
      ],
    }),
  },
  'POST /api/v1/pd/opening/proposals/:id/submit': proposal,
  'POST /api/v1/pd/opening/proposals/:id/recommend': proposal,
  'POST /api/v1/pd/opening/proposals/:id/sanction': { ...proposal, body: () => ({ sanctionNo: 'MATRIX/1', sanctionDate: '2026-11-01' }) },
  'POST /api/v1/pd/opening/proposals/:id/refuse': { ...proposal, body: () => ({ reason: 'Matrix probe' }) },
  'POST /api/v1/pd/opening/proposals/:id/apply': proposal,
  'POST /api/v1/pd/opening/applications/:id/register': { params: () => ({ id: FOREIGN_ROW_ID }), body: () => ({}) },
};
