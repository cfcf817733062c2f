import type { TSanctionOrder, TSanctionOrderSummary, TSanctionPostInput } from '../../../shared/contracts/sanction.ts';
import type { DbOrTx } from '../../db/client.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './sanction.repo.ts';

/** Sanction orders: rows → API shapes, and the shapes audit events record. */

export function summaryOut(r: repo.OrderSummaryRow): TSanctionOrderSummary {
  return {
    id: r.id,
    orderNo: r.orderNo,
    orderDate: r.orderDate,
    issuingOfficerName: r.issuingOfficerName,
    issuingOfficerDesignation: r.issuingOfficerDesignation,
    remark: r.remark,
    kind: r.kind,
    refOrderId: r.refOrderId,
    refOrderNo: r.refOrderNo,
    departmentId: r.departmentId,
    departmentNameEn: r.departmentNameEn,
    departmentNameHi: r.departmentNameHi,
    locked: r.lockedAt !== null,
    lockedAt: r.lockedAt ? r.lockedAt.toISOString() : null,
    postCount: Number(r.postCount),
    totalPosts: Number(r.totalPosts),
    file: { sizeBytes: Number(r.fileSizeBytes), sha256: r.fileSha256 },
    createdAt: r.createdAt.toISOString(),
  };
}

export async function orderOut(db: DbOrTx, id: number): Promise<TSanctionOrder> {
  const s = await repo.getOrderSummary(db, id);
  if (!s) throw new AppError('not_found');
  const locked = s.lockedAt !== null;
  const posts = await repo.listPosts(db, [id]);
  return { ...summaryOut(s), posts: posts.map((p) => ({ ...p, locked })) };
}

export function auditOrder(o: {
  orderNo: string;
  orderDate: string;
  issuingOfficerName: string;
  issuingOfficerDesignation: string;
  remark: string;
  kind: string;
  refOrderId: number | null;
  fileId: number;
  departmentId: number;
}) {
  return {
    orderNo: o.orderNo,
    orderDate: o.orderDate,
    issuingOfficerName: o.issuingOfficerName,
    issuingOfficerDesignation: o.issuingOfficerDesignation,
    remark: o.remark,
    kind: o.kind,
    refOrderId: o.refOrderId,
    fileId: o.fileId,
    departmentId: o.departmentId,
  };
}

export function postAudit(input: TSanctionPostInput) {
  return {
    hodId: input.hodId,
    skillLevelId: input.skillLevelId,
    postNameId: input.postNameId,
    total: input.total,
    offices: input.offices.filter((o) => o.posts !== 0),
  };
}
