import { z } from 'zod';
import { ZStepUpCode } from './auth.ts';
import { ZIdNumber, ZQueryBool, zDate, zText } from './common.ts';

/**
 * Bills to IFMIS, payments, worker credits and pay dates (spec 06, issue 17; docs/PAYMENTS.md).
 * Money is integer paise. A UTR is 6–22 capitals or digits (NEFT 16, RTGS 22, IMPS 12).
 */

/** The largest payment or credit file (CSV or Excel): 2 MB (its base64 fits `contentBase64`'s 2,800,000 characters). */
export const MAX_PAYMENT_FILE_BYTES = 2 * 1024 * 1024;

export const UTR_RE = /^[A-Z0-9]{6,22}$/;
export const BILL_STATUSES = ['prepared', 'sent', 'acknowledged', 'rejected', 'not_payable'] as const;
export const PAYMENT_STATUSES = ['credited', 'returned'] as const;
export const CREDIT_FLAGS = ['ok', 'short', 'missing', 'over'] as const;
export const MAX_PAYMENT_PAISE = 10_000_000_000;

const utr = z
  .string()
  .trim()
  .max(22)
  .transform((v) => v.toUpperCase())
  .refine((v) => UTR_RE.test(v), { params: { code: 'utr_invalid' } });
const amount = z.number().int().min(1).max(MAX_PAYMENT_PAISE);

export const ZBillPayee = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  kind: z.enum(['agency', 'worker']),
  name: z.string(),
  /** Masked: only the last four digits. */
  bankAccount: z.string(),
  ifsc: z.string(),
  amountPaise: z.number().int(),
  paidPaise: z.number().int(),
  outstandingPaise: z.number().int(),
});
export const ZPaymentRow = z.object({
  id: z.number().int(),
  payeeSeq: z.number().int(),
  payDate: z.string(),
  utr: z.string(),
  amountPaise: z.number().int(),
  status: z.enum(PAYMENT_STATUSES),
  source: z.enum(['import', 'hand']),
  reversesId: z.number().int().nullable(),
});
export type TPaymentRow = z.infer<typeof ZPaymentRow>;

export const ZBill = z.object({
  id: z.number().int(),
  invoiceId: z.number().int(),
  invoiceNo: z.string(),
  billNo: z.string(),
  agencyId: z.number().int(),
  ddoCode: z.string(),
  budgetLine: z.string(),
  paymentMode: z.enum(['through_agency', 'direct']),
  grossPaise: z.number().int(),
  deductionsPaise: z.number().int(),
  netPayablePaise: z.number().int(),
  deductions: z.array(z.object({ code: z.string(), basePaise: z.number().int(), ratePpm: z.number().int(), amountPaise: z.number().int() })),
  status: z.enum(BILL_STATUSES),
  ifmisRef: z.string().nullable(),
  ifmisReason: z.string(),
  sentAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  stage: z.string(),
  paidPaise: z.number().int(),
  outstandingPaise: z.number().int(),
  payees: z.array(ZBillPayee),
  payments: z.array(ZPaymentRow),
  maySend: z.boolean(),
  mayRecordPayment: z.boolean(),
});
export type TBill = z.infer<typeof ZBill>;

export const ZBillSummary = ZBill.pick({
  id: true,
  invoiceId: true,
  invoiceNo: true,
  billNo: true,
  ddoCode: true,
  status: true,
  ifmisRef: true,
  netPayablePaise: true,
  paidPaise: true,
  outstandingPaise: true,
  stage: true,
});
export const ZBillList = z.object({ items: z.array(ZBillSummary) });

export const ZSendBill = z.strictObject({ code: ZStepUpCode.optional() });

export const ZPaymentCreate = z.strictObject({
  billId: ZIdNumber,
  payeeSeq: z.number().int().min(1).max(100_000),
  payDate: zDate('record'),
  utr,
  amountPaise: amount,
  status: z.enum(PAYMENT_STATUSES).default('credited'),
  reason: zText({ max: 200 }).default(''),
  code: ZStepUpCode.optional(),
});
export type TPaymentCreate = z.infer<typeof ZPaymentCreate>;

/** A file as base64 (CSV or XLSX, ≤ 2 MB). */
export const ZFileUpload = z.strictObject({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .refine((v) => /\.(csv|xlsx)$/i.test(v), { params: { code: 'file_type_invalid' } }),
  contentBase64: z.string().min(1).max(2_800_000),
});

export const ZPaymentImport = ZFileUpload.extend({
  /** Check only: list every row with its errors, save nothing. */
  dryRun: z.boolean().default(true),
  /** Save the good rows of a file that has bad rows (the bad ones are listed, not saved). */
  saveGoodRows: z.boolean().default(false),
  code: ZStepUpCode.optional(),
});
export type TPaymentImport = z.infer<typeof ZPaymentImport>;

export const ZRowError = z.object({ field: z.string(), code: z.string() });
export const ZImportRow = z.object({
  row: z.number().int(),
  billNo: z.string(),
  payee: z.string(),
  payDate: z.string(),
  utr: z.string(),
  amountPaise: z.number().int().nullable(),
  status: z.string(),
  errors: z.array(ZRowError),
});
export type TImportRow = z.infer<typeof ZImportRow>;
export const ZImportResult = z.object({
  dryRun: z.boolean(),
  saved: z.boolean(),
  batchId: z.number().int().nullable(),
  rowsTotal: z.number().int(),
  rowsGood: z.number().int(),
  rowsBad: z.number().int(),
  rows: z.array(ZImportRow),
});
export type TImportResult = z.infer<typeof ZImportResult>;

export const ZCreditItem = z.strictObject({
  resourceId: ZIdNumber,
  utr,
  amountPaise: amount,
  creditDate: zDate('record'),
});
export const ZCreditCreate = z.strictObject({ items: z.array(ZCreditItem).min(1).max(5000) });
export type TCreditCreate = z.infer<typeof ZCreditCreate>;
export const ZCreditImport = ZFileUpload.extend({ dryRun: z.boolean().default(true), saveGoodRows: z.boolean().default(false) });

export const ZWorkerCredit = z.object({
  invoiceDetailId: z.number().int(),
  resourceId: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
  netWagePaise: z.number().int(),
  creditedPaise: z.number().int(),
  shortPaise: z.number().int(),
  lastCreditDate: z.string().nullable(),
  utrs: z.array(z.string()),
  flag: z.enum(CREDIT_FLAGS),
});
export type TWorkerCredit = z.infer<typeof ZWorkerCredit>;
export const ZInvoiceCredits = z.object({
  invoiceId: z.number().int(),
  invoiceNo: z.string(),
  month: z.string(),
  agencyId: z.number().int(),
  paymentMode: z.enum(['through_agency', 'direct']).nullable(),
  workers: z.array(ZWorkerCredit),
  flagged: z.number().int(),
  mayRecord: z.boolean(),
});
export type TInvoiceCredits = z.infer<typeof ZInvoiceCredits>;

export const ZCreditFlag = z.object({
  invoiceId: z.number().int(),
  invoiceNo: z.string(),
  month: z.string(),
  agencyId: z.number().int(),
  resourceId: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
  netWagePaise: z.number().int(),
  creditedPaise: z.number().int(),
  flag: z.enum(CREDIT_FLAGS),
});
export const ZCreditFlagList = z.object({ items: z.array(ZCreditFlag) });
export const ZCreditFlagQuery = z.object({ agencyId: z.coerce.number().int().min(1).max(2_147_483_647).optional() });

export const ZPayDate = z.object({
  invoiceId: z.number().int(),
  invoiceNo: z.string(),
  agencyId: z.number().int(),
  agencyName: z.string(),
  month: z.string(),
  workersOnRolls: z.number().int(),
  dueDate: z.string(),
  invoiceDate: z.string(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  billedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  creditedOn: z.string().nullable(),
  daysLate: z.number().int(),
  breached: z.boolean(),
});
export type TPayDate = z.infer<typeof ZPayDate>;
export const ZPayDateList = z.object({ items: z.array(ZPayDate) });
// 'true' / 'false' as the page sends it (z.coerce.boolean read 'false' as true: the page's unticked box showed breaches only).
export const ZPayDateQuery = z.object({ breachedOnly: ZQueryBool.default(false) });

export const ZIfmisQueueQuery = z.object({ since: z.iso.datetime({ offset: true }).optional() });
export const ZIfmisQueueItem = z.object({
  billNo: z.string(),
  ddoCode: z.string(),
  budgetLine: z.string(),
  grossPaise: z.number().int(),
  deductionsPaise: z.number().int(),
  netPaise: z.number().int(),
  deductions: z.array(z.object({ code: z.string(), amountPaise: z.number().int() })),
  payees: z.array(
    z.object({ seq: z.number().int(), kind: z.string(), name: z.string(), bankAccount: z.string(), ifsc: z.string(), amountPaise: z.number().int() }),
  ),
  invoicePdfSha256: z.string(),
  status: z.enum(BILL_STATUSES),
  ifmisRef: z.string().nullable(),
  createdAt: z.string(),
});
export const ZIfmisQueue = z.object({ items: z.array(ZIfmisQueueItem), next: z.string().nullable() });
