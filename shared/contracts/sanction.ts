import { z } from 'zod';
import { ZId, ZPage, ZPageQuery, zDate, zText } from './common.ts';

/**
 * Sanction orders and sanctioned posts (spec 02; API contract in notes/sanction-api.md).
 * web/features/sanction/types.ts re-exports the inferred types.
 */

const id = ZId;
const isoDate = zDate('record');

export const ORDER_KINDS = ['original', 'reduction', 'cancellation'] as const;
export const ZOrderKind = z.enum(ORDER_KINDS);
export type TOrderKind = z.infer<typeof ZOrderKind>;

/** The largest order / letter accepted (2 MiB). */
export const MAX_ORDER_FILE_BYTES = 2 * 1024 * 1024;

export const ZNamed = z.object({ id: z.number().int(), nameEn: z.string(), nameHi: z.string() });
export type TNamed = z.infer<typeof ZNamed>;

export const ZSanctionOrderSummary = z.object({
  id: z.number().int(),
  orderNo: z.string(),
  orderDate: z.string(),
  issuingOfficerName: z.string(),
  issuingOfficerDesignation: z.string(),
  remark: z.string(),
  kind: ZOrderKind,
  refOrderId: z.number().int().nullable(),
  refOrderNo: z.string().nullable(),
  departmentId: z.number().int(),
  departmentNameEn: z.string(),
  departmentNameHi: z.string(),
  locked: z.boolean(),
  lockedAt: z.string().nullable(),
  postCount: z.number().int(),
  totalPosts: z.number().int(),
  file: z.object({ sizeBytes: z.number().int(), sha256: z.string() }),
  createdAt: z.string(),
});
export type TSanctionOrderSummary = z.infer<typeof ZSanctionOrderSummary>;

export const ZSanctionPostOffice = z.object({ officeId: z.number().int(), officeNameEn: z.string(), officeNameHi: z.string(), posts: z.number().int() });
export type TSanctionPostOffice = z.infer<typeof ZSanctionPostOffice>;

export const ZSanctionPost = z.object({
  id: z.number().int(),
  orderId: z.number().int(),
  hodId: z.number().int(),
  hodNameEn: z.string(),
  hodNameHi: z.string(),
  skillLevelId: z.number().int(),
  skillLevelNameEn: z.string(),
  skillLevelNameHi: z.string(),
  postNameId: z.number().int(),
  postNameEn: z.string(),
  postNameHi: z.string(),
  total: z.number().int(),
  locked: z.boolean(),
  offices: z.array(ZSanctionPostOffice),
});
export type TSanctionPost = z.infer<typeof ZSanctionPost>;

export const ZSanctionOrder = ZSanctionOrderSummary.extend({ posts: z.array(ZSanctionPost) });
export type TSanctionOrder = z.infer<typeof ZSanctionOrder>;

export const ZSanctionOrderPage = ZPage(ZSanctionOrderSummary);

/** Whole numbers (JSON numbers; a decimal is refused as not_integer). */
const count = z.number().int().min(-1_000_000).max(1_000_000);

export const ZSanctionPostInput = z.strictObject({
  hodId: id,
  skillLevelId: id,
  postNameId: id,
  total: count,
  offices: z.array(z.strictObject({ officeId: id, posts: count })).max(20_000),
});
export type TSanctionPostInput = z.infer<typeof ZSanctionPostInput>;

const orderNo = zText({ min: 1, max: 50 });
const officer = zText({ min: 1, max: 100 });
const remark = zText({ max: 500, multiLine: true }).default('');

/** The multipart fields of "Create Outsourced Sanction Order" (the PDF comes as the file part `order`). */
export const ZCreateOrderFields = z.strictObject({
  orderNo,
  orderDate: isoDate,
  issuingOfficerName: officer,
  issuingOfficerDesignation: officer,
  remark,
  kind: ZOrderKind.default('original'),
  refOrderId: id.optional(),
  departmentId: id.optional(),
});
export type TCreateOrderFields = z.infer<typeof ZCreateOrderFields>;

/**
 * Correcting an unlocked order's particulars. `kind` and `refOrderId` are fixed at creation; the
 * screen sends them back, so they are accepted but must be unchanged.
 */
export const ZUpdateOrderBody = z.strictObject({
  orderNo,
  orderDate: isoDate,
  issuingOfficerName: officer,
  issuingOfficerDesignation: officer,
  remark,
  kind: ZOrderKind.optional(),
  refOrderId: id.nullable().optional(),
});
export type TUpdateOrderBody = z.infer<typeof ZUpdateOrderBody>;

export const ZOrderListQuery = ZPageQuery.extend({
  q: zText({ max: 100 }).optional(),
  locked: z.enum(['true', 'false']).optional(),
  sort: z.enum(['orderDate', 'orderNo', 'createdAt']).default('createdAt'),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
export type TOrderListQuery = z.infer<typeof ZOrderListQuery>;

export const ZOrderExportQuery = ZOrderListQuery.omit({ page: true, pageSize: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export type TOrderExportQuery = z.infer<typeof ZOrderExportQuery>;

export const ZOrderPostParams = z.object({ id, postId: id });
export const ZHodParam = z.object({ hodId: id });

export const ZSanctionOptions = z.object({
  departments: z.array(ZNamed),
  hods: z.array(ZNamed.extend({ departmentId: z.number().int() })),
  skillLevels: z.array(ZNamed),
  postNames: z.array(ZNamed),
});
export type TSanctionOptions = z.infer<typeof ZSanctionOptions>;

export const ZCapacityQuery = ZPageQuery.extend({ hodId: id.optional(), officeId: id.optional(), skillLevelId: id.optional(), postNameId: id.optional() });
export type TCapacityQuery = z.infer<typeof ZCapacityQuery>;

export const ZCapacityRow = z.object({
  officeId: z.number().int(),
  officeNameEn: z.string(),
  officeNameHi: z.string(),
  skillLevelId: z.number().int(),
  skillLevelNameEn: z.string(),
  skillLevelNameHi: z.string(),
  postNameId: z.number().int(),
  postNameEn: z.string(),
  postNameHi: z.string(),
  sanctioned: z.number().int(),
  covered: z.number().int(),
  deployed: z.number().int(),
  vacant: z.number().int(),
});
export type TCapacityRow = z.infer<typeof ZCapacityRow>;
export const ZCapacityPage = ZPage(ZCapacityRow);

export type TPage<T> = { items: T[]; total: number; page: number; pageSize: number };
