import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TOrderKind, TSanctionOrder } from '../../../shared/contracts/sanction.ts';
import type { Client } from '../../test/harness.ts';
import { multipart } from '../../test/helpers.ts';
import type { MatrixFixture, MatrixIds } from '../../test/matrix-fixtures.ts';
import { demoPdf } from './sanction.demo.ts';

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

/**
 * A new sanction order made by `fin` (officeadmin_fin: Finance's orders), its PDF attached; a
 * reduction or a cancellation (`kind`) names the order it changes. `kind` is sent only when given
 * (the API takes an original by default).
 */
export async function newSanctionOrder(
  fin: Client,
  o: { kind?: TOrderKind; refOrderId?: number; prefix?: string; pdf?: Buffer } = {},
): Promise<TSanctionOrder> {
  const m = multipart(
    {
      orderNo: `${o.prefix ?? 'T'}/${randomBytes(4).toString('hex')}`,
      orderDate: '2026-01-15',
      issuingOfficerName: 'Test',
      issuingOfficerDesignation: 'Deputy Secretary',
      remark: '',
      ...(o.kind ? { kind: o.kind } : {}),
      ...(o.refOrderId ? { refOrderId: String(o.refOrderId) } : {}),
    },
    { field: 'order', name: 'order.pdf', bytes: o.pdf ?? demoPdf(['Sanction order', 'test']) },
  );
  const res = await fin.request({ method: 'POST', url: '/api/v1/sanction-orders', payload: m.payload, headers: m.headers });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** `posts` posts (taken away when negative: a reduction) of one skill and post name under HOD `hodId`, all in office `officeId`. */
export async function addSanctionPosts(
  fin: Client,
  orderId: number,
  p: { hodId: number; skillLevelId: number; postNameId: number; officeId: number; posts: number },
): Promise<void> {
  const res = await fin.post(`/api/v1/sanction-orders/${orderId}/posts`, {
    hodId: p.hodId,
    skillLevelId: p.skillLevelId,
    postNameId: p.postNameId,
    total: p.posts,
    offices: [{ officeId: p.officeId, posts: p.posts }],
  });
  expect(res.statusCode, res.body).toBe(201);
}
