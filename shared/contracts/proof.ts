import { z } from 'zod';
import { ZMonth } from './attendance.ts';
import { ZId, ZPage, ZPageQuery, zDate, zText, zTextInt } from './common.ts';

/**
 * The statutory proof (spec 06 "Statutory proof and the gate", issue 17 item 2): the agency's
 * EPFO ECR with the challan's TRRN and payment date, and the ESIC challan, per wage month; what
 * the reconciliation with ROAMS's invoices found; Finance's gate switch per department. Money in
 * integer paise; months 'YYYY-MM'; dates 'YYYY-MM-DD'.
 */

/** Largest ECR accepted: 50,000 members with Devanagari names fit well under this. */
export const MAX_ECR_BYTES = 12 * 1024 * 1024;

export const PROOF_STATUSES = ['reconciled', 'differences'] as const;
export const ZProofStatus = z.enum(PROOF_STATUSES);
export const DIFFERENCE_KINDS = ['missing', 'wage_short', 'no_uan', 'esic_short'] as const;

/** The upload form's text fields (multipart; the file part is `ecr`). */
export const ZProofUpload = z.strictObject({
  month: ZMonth,
  /** EPFO's Temporary Return Reference Number: 13 digits. */
  trrn: z.string().regex(/^\d{13}$/),
  paymentDate: zDate('record'),
  esicChallanNo: z.string().regex(/^[A-Za-z0-9/-]{4,30}$/),
  esicChallanDate: zDate('record'),
  esicAmountPaise: zTextInt(100_000_000_000_00),
});
export type TProofUpload = z.infer<typeof ZProofUpload>;

export const ZProofListQuery = ZPageQuery.extend({
  month: ZMonth.optional(),
  agencyId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  status: ZProofStatus.optional(),
});
export type TProofListQuery = z.infer<typeof ZProofListQuery>;

export const ZProofSummary = z.object({
  id: z.number().int(),
  agencyId: z.number().int(),
  agencyName: z.string(),
  month: z.string(),
  version: z.number().int(),
  /** True for the version in force (the highest of its agency and month). */
  current: z.boolean(),
  status: ZProofStatus,
  trrn: z.string(),
  paymentDate: z.string(),
  esicChallanNo: z.string(),
  esicChallanDate: z.string(),
  esicAmountPaise: z.number().int(),
  billedEsicPaise: z.number().int(),
  members: z.number().int(),
  billedResources: z.number().int(),
  differences: z.number().int(),
  uploadedAt: z.string(),
});
export type TProofSummary = z.infer<typeof ZProofSummary>;

export const ZProofDifference = z.object({
  kind: z.enum(DIFFERENCE_KINDS),
  resourceId: z.number().int().nullable(),
  uan: z.string(),
  nameEn: z.string(),
  nameHi: z.string(),
  billedPaise: z.number().int(),
  foundPaise: z.number().int().nullable(),
});
export type TProofDifference = z.infer<typeof ZProofDifference>;

export const ZProof = ZProofSummary.extend({
  ecrFileName: z.string(),
  epfWagesPaise: z.number().int(),
  differenceList: z.array(ZProofDifference),
});
export type TProof = z.infer<typeof ZProof>;

export const ZProofList = ZPage(ZProofSummary);

export const ZGateSetting = z.object({
  departmentId: z.number().int(),
  departmentNameEn: z.string(),
  departmentNameHi: z.string(),
  enabled: z.boolean(),
  reason: z.string(),
  changedAt: z.string().nullable(),
});
export type TGateSetting = z.infer<typeof ZGateSetting>;
export const ZGateSettings = z.object({ items: z.array(ZGateSetting) });

export const ZGateParams = z.object({ departmentId: ZId });
export const ZGateChange = z.strictObject({ enabled: z.boolean(), reason: zText({ min: 10, max: 500 }) });
export type TGateChange = z.infer<typeof ZGateChange>;
