import type { MatrixFixture, MatrixIds } from '../../test/matrix-fixtures.ts';

/**
 * Authorisation-matrix inputs for this module's routes (see server/test/matrix-fixtures.ts).
 * The demo seed (sanction.demo.ts, DEMO_SANCTION_ORDERS) creates, in a fresh database, orders
 * 1 and 2 for Finance and order 3 (locked; its post is id 4) for School Education — a record of
 * another department than every below-state demo user's, so they must get 404 for it. Bodies are
 * valid, so that the refusal comes from authorisation and not from validation.
 */
const FOREIGN_ORDER_ID = 3;
const FOREIGN_POST_ID = 4;

const order = { params: () => ({ id: FOREIGN_ORDER_ID }) };
const post = { params: () => ({ id: FOREIGN_ORDER_ID, postId: FOREIGN_POST_ID }) };
const postBody = (ids: MatrixIds) => ({
  hodId: ids.foreignHodId,
  skillLevelId: 1,
  postNameId: 1,
  total: 1,
  offices: [{ officeId: ids.foreignOfficeId, posts: 1 }],
});

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/sanction-orders/:id': order,
  'GET /api/v1/sanction-orders/:id/file': order,
  'PUT /api/v1/sanction-orders/:id': {
    ...order,
    body: () => ({ orderNo: 'MATRIX/1', orderDate: '2025-01-01', issuingOfficerName: 'Matrix', issuingOfficerDesignation: 'Probe', remark: '' }),
  },
  'DELETE /api/v1/sanction-orders/:id': order,
  'PUT /api/v1/sanction-orders/:id/file': order,
  'POST /api/v1/sanction-orders/:id/lock': { ...order, body: () => ({}) },
  'POST /api/v1/sanction-orders/:id/posts': { ...order, body: postBody },
  'PUT /api/v1/sanction-orders/:id/posts/:postId': { ...post, body: postBody },
  'DELETE /api/v1/sanction-orders/:id/posts/:postId': post,
  'GET /api/v1/sanction/hods/:hodId/offices': { params: (ids) => ({ hodId: ids.foreignHodId }) },
};
