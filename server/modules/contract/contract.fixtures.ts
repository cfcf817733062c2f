import type { MatrixFixture, MatrixIds } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the contract routes (see server/test/matrix-fixtures.ts). The
 * demo seed (contract.demo.ts) makes contract 4 a School Education contract with agency 3 —
 * outside the department, office, DDO and agency of every below-state demo user, who must get
 * 404 for it. Bodies are valid so the refusal comes from authorisation, not validation.
 */
const FOREIGN_CONTRACT_ID = 4;

const contract = { params: () => ({ id: FOREIGN_CONTRACT_ID }) };
const version = { params: () => ({ id: FOREIGN_CONTRACT_ID, versionNo: 1 }) };
/** The wage terms of every test contract: paid through the agency, monthly, the usual service charge, EPF capped, ESIC, bonus. */
export const WAGE_TERMS = {
  paymentMode: 'through_agency',
  wageBasis: 'monthly',
  serviceChargeBp: 385,
  epfMode: 'capped',
  esicApplies: true,
  bonusBp: 833,
} as const;

/** A test contract's terms on office 79's DDO code and budget line (`ids`, read by the test's set-up), from 1 Dec 2026. */
export const office79Terms = (ids: { ddo79: number; bl79: number }, endDate = '2027-03-31') => ({
  startDate: '2026-12-01',
  endDate,
  ddoCodeId: ids.ddo79,
  budgetLineIds: [ids.bl79],
  ...WAGE_TERMS,
});

const terms = (ids: MatrixIds) => ({
  startDate: '2026-05-01',
  endDate: '2027-03-31',
  ddoCodeId: 1,
  budgetLineIds: [1],
  ...WAGE_TERMS,
  remark: '',
  posts: [{ officeId: ids.foreignOfficeId, skillLevelId: 3, postNameId: 2, positions: 1, basicPaise: 1229400, vdaPaise: 257500 }],
});

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/contracts/:id': contract,
  'PUT /api/v1/contracts/:id': {
    ...contract,
    body: () => ({ contractNo: 'MATRIX/1', contractDate: '2026-04-15', agencyId: 1, procurementMode: 'open_tender', gemContractNo: '', gemBidNo: '' }),
  },
  'DELETE /api/v1/contracts/:id': contract,
  'POST /api/v1/contracts/:id/terminate': { ...contract, body: () => ({ terminatedOn: '2026-12-31', reason: 'Matrix probe' }) },
  'POST /api/v1/contracts/:id/versions': { ...contract, body: (ids) => ({ kind: 'amendment', ...terms(ids) }) },
  'PUT /api/v1/contracts/:id/versions/:versionNo': { ...version, body: terms },
  'DELETE /api/v1/contracts/:id/versions/:versionNo': version,
  'POST /api/v1/contracts/:id/versions/:versionNo/activate': { ...version, body: () => ({}) },
  'GET /api/v1/contracts/:id/versions/:versionNo/document': version,
  'PUT /api/v1/contracts/:id/versions/:versionNo/document': version,
};
