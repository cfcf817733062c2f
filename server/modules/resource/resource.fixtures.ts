import type { MatrixFixture, MatrixIds } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for the resource routes (see server/test/matrix-fixtures.ts). The
 * demo seed (resource.demo.ts) makes resource 1 a worker of agency 3 under the School Education
 * contract 4 — outside the department, office, DDO and agency of every below-state demo user,
 * who must get 404 for it. Bodies are valid so the refusal comes from authorisation.
 */
const FOREIGN_RESOURCE_ID = 1;

const one = { params: () => ({ id: FOREIGN_RESOURCE_ID }) };
const event = { params: () => ({ id: FOREIGN_RESOURCE_ID, eventId: 1 }) };
const decision = () => ({ remark: 'Matrix probe' });
const replace = () => ({ replacementId: 2, relieveOn: '2026-12-31', joinOn: '2026-12-31', reasonCode: 'resigned', remark: '' });
const particulars = () => ({
  contractId: 4,
  skillLevelId: 3,
  postNameId: 2,
  nameEn: 'Matrix Probe',
  nameHi: '',
  relation: 'father',
  relativeName: 'Probe Senior',
  dob: '1990-01-01',
  gender: 'M',
  mobile: '9876500000',
  address: 'Bhopal',
  qualification: 'graduate',
  bankAccount: '123456789012',
  ifsc: 'SBIN0001308',
  uan: '',
  esicIp: '',
});

export const fixtures: Record<string, MatrixFixture> = {
  // Bulk onboarding: contract 4 is agency 3's (no demo agency user below state holds it).
  'GET /api/v1/resources/bulk/template': { query: 'contractId=4' },
  'POST /api/v1/resources/bulk': { query: 'contractId=4&dryRun=false' },
  'GET /api/v1/resources/:id': one,
  'PUT /api/v1/resources/:id': { ...one, body: particulars },
  'GET /api/v1/resources/:id/timeline': one,
  'GET /api/v1/resources/:id/photo': one,
  'PUT /api/v1/resources/:id/photo': one,
  'POST /api/v1/resources/:id/kyc/consent': { ...one, body: () => ({ givenBy: 'Matrix Probe', textVersion: 'ekyc-consent-v1', language: 'hi' }) },
  'POST /api/v1/resources/:id/kyc/aadhaar': { ...one, body: () => ({ aadhaar: '2345 6789 0124' }) },
  'POST /api/v1/resources/:id/kyc/otp': { ...one, body: () => ({}) },
  'POST /api/v1/resources/:id/kyc/verify': { ...one, body: () => ({ otp: '123456' }) },
  'POST /api/v1/resources/:id/kyc/resolve': { ...one, body: () => ({ resolution: 'explained', remark: 'Matrix probe' }) },
  'POST /api/v1/resources/:id/kyc/alternative': one,
  'POST /api/v1/resources/:id/submit': { ...one, body: () => ({}) },
  'POST /api/v1/resources/:id/approve': {
    ...one,
    body: (ids: MatrixIds) => ({ contractId: 4, officeId: ids.foreignOfficeId, skillLevelId: 3, postNameId: 2, joiningDate: '2026-12-01' }),
  },
  'POST /api/v1/resources/:id/reject': { ...one, body: () => ({ reason: 'Matrix probe' }) },
  'POST /api/v1/resources/:id/relieving': { ...one, body: () => ({ relieveOn: '2026-12-31', reasonCode: 'resigned', remark: '' }) },
  'POST /api/v1/resources/:id/relieving/approve': { ...one, body: () => ({ remark: 'Matrix probe' }) },
  'POST /api/v1/resources/:id/relieving/refuse': { ...one, body: () => ({ remark: 'Matrix probe' }) },
  // Life cycle (issue 14 item 5): replacement, profile change, events (event 1 may not exist: still "not found").
  'POST /api/v1/resources/:id/replacement': { ...one, body: replace },
  'POST /api/v1/resources/:id/replace': { ...one, body: replace },
  'POST /api/v1/resources/:id/replacement/approve': { ...one, body: decision },
  'POST /api/v1/resources/:id/replacement/refuse': { ...one, body: decision },
  'POST /api/v1/resources/:id/profile-change': { ...one, body: () => ({ mobile: '9876500001' }) },
  'PUT /api/v1/resources/:id/profile-change/photo': one,
  'POST /api/v1/resources/:id/profile-change/approve': { ...one, body: decision },
  'POST /api/v1/resources/:id/profile-change/refuse': { ...one, body: decision },
  'POST /api/v1/resources/:id/events': one,
  'POST /api/v1/resources/:id/events/:eventId/esic-report': { ...event, body: () => ({ reportedOn: '2026-12-01', reportedTime: '10:00' }) },
  'POST /api/v1/resources/:id/events/:eventId/approve': { ...event, body: decision },
  'POST /api/v1/resources/:id/events/:eventId/refuse': { ...event, body: decision },
  'GET /api/v1/resources/:id/events/:eventId/document': event,
};
