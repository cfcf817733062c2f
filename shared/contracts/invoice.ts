import { z } from 'zod';
import { ZIdNumber, ZPage, ZPageQuery, zText } from './common.ts';
import { ZMonth } from './attendance.ts';

/**
 * Invoices (spec 06, issue 16): the agency's invoice of a contract-month from finalised
 * attendance. Money in integer paise; dates 'YYYY-MM-DD' (IST); months 'YYYY-MM'.
 */
export const INVOICE_STATUSES = ['active', 'cancelled'] as const;
export const ZInvoiceStatus = z.enum(INVOICE_STATUSES);

export const ZInvoiceCreate = z.strictObject({ contractId: ZIdNumber, month: ZMonth });
export type TInvoiceCreate = z.infer<typeof ZInvoiceCreate>;

/** The month's invoices of the agency's contracts at once: all its active contracts, or those named. */
export const ZInvoiceMonthCreate = z.strictObject({ month: ZMonth, contractIds: z.array(ZIdNumber).min(1).max(5000).optional() });
export type TInvoiceMonthCreate = z.infer<typeof ZInvoiceMonthCreate>;
/** Per contract: the invoice made, or the refusal's code and its message in the caller's language (nothing written for it). */
export const ZInvoiceMonthResult = z.object({
  made: z.number().int(),
  refused: z.number().int(),
  results: z.array(
    z.object({
      contractId: z.number().int(),
      ok: z.boolean(),
      invoiceId: z.number().int().nullable(),
      invoiceNo: z.string().nullable(),
      code: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
});
export type TInvoiceMonthResult = z.infer<typeof ZInvoiceMonthResult>;

export const ZInvoiceCancel = z.strictObject({ reason: zText({ min: 3, max: 500 }) });

/**
 * Where an invoice is on its way to payment (issue 17): `draft` until the agency submits it (no
 * workflow row), then submitted → verified (or returned) → approved (its bill made) → billed → paid.
 */
export const WORKFLOW_STAGES = ['draft', 'submitted', 'returned', 'verified', 'approved', 'billed', 'paid'] as const;
export const ZWorkflowStage = z.enum(WORKFLOW_STAGES);
export type TWorkflowStage = z.infer<typeof ZWorkflowStage>;

export const ZInvoiceListQuery = ZPageQuery.extend({
  contractId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  month: ZMonth.optional(),
  status: ZInvoiceStatus.optional(),
  /** A desk's worklist: the department manager's `submitted`, the DDO's `verified`, the agency's `returned`. */
  stage: ZWorkflowStage.optional(),
});
export type TInvoiceListQuery = z.infer<typeof ZInvoiceListQuery>;

export const ZInvoiceLine = z.object({
  code: z.string(),
  nameEn: z.string(),
  nameHi: z.string(),
  kind: z.enum(['payable', 'deduction']),
  stage: z.string(),
  basePaise: z.number().int(),
  ratePpm: z.number().int(),
  amountPaise: z.number().int(),
  /** Arrears / recoveries: the month ('YYYY-MM') the line belongs to. */
  arrearsMonth: z.string().nullable(),
});
export type TInvoiceLine = z.infer<typeof ZInvoiceLine>;

export const ZInvoiceDetail = z.object({
  resourceId: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
  maskedAadhaar: z.string(),
  postEn: z.string(),
  postHi: z.string(),
  skillLevelEn: z.string(),
  skillLevelHi: z.string(),
  paidDays: z.number().int(),
  daysInMonth: z.number().int(),
  monthlyWagePaise: z.number().int(),
  earnedWagePaise: z.number().int(),
  epfPaise: z.number().int(),
  esicPaise: z.number().int(),
  bonusPaise: z.number().int(),
  esicCovered: z.boolean(),
  costPaise: z.number().int(),
  totalPaise: z.number().int(),
  employeeDeductionPaise: z.number().int(),
  netWagePaise: z.number().int(),
  lines: z.array(ZInvoiceLine),
});
export type TInvoiceDetail = z.infer<typeof ZInvoiceDetail>;

export const ZInvoiceSummary = z.object({
  id: z.number().int(),
  invoiceNo: z.string(),
  invoiceDate: z.string(),
  month: ZMonth,
  status: ZInvoiceStatus,
  contractId: z.number().int(),
  contractNo: z.string(),
  agencyId: z.number().int(),
  agencyName: z.string(),
  officeNameEn: z.string(),
  officeNameHi: z.string(),
  ddoCode: z.string(),
  resources: z.number().int(),
  totalPaise: z.number().int(),
  creditNoteNo: z.string().nullable(),
  stage: ZWorkflowStage,
  /**
   * In a list, for an invoice awaiting the DDO (stage `verified`): the month whose PF / ESI proof
   * the gate still waits for, so the DDO's desk shows which invoices cannot be approved yet.
   * Absent when the gate is clear or waived, and outside lists (the invoice carries `workflow.gate`).
   */
  gateHeldMonth: ZMonth.optional(),
});
export type TInvoiceSummary = z.infer<typeof ZInvoiceSummary>;

export const ZInvoiceList = ZPage(ZInvoiceSummary);

// --- The workflow and the bill (issue 17) --------------------------------------------------------

export const WORKFLOW_ACTIONS = ['submit', 'verify', 'return', 'approve'] as const;
export type TWorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** Submit and verify carry nothing but optional remarks; a return needs its remarks. */
export const ZWorkflowRemarks = z.strictObject({ remarks: zText({ max: 500 }).optional() });
export const ZWorkflowReturn = z.strictObject({ remarks: zText({ min: 3, max: 500 }) });
/** The DDO's approval: the one-time code (second factor, bar A5) with optional remarks. */
export const ZWorkflowApprove = z.strictObject({
  otp: z
    .string()
    .trim()
    .regex(/^\d{6}$/)
    .optional(),
  remarks: zText({ max: 500 }).optional(),
});
export type TWorkflowApprove = z.infer<typeof ZWorkflowApprove>;

export const ZInvoiceEvent = z.object({
  action: z.string(),
  at: z.string(),
  actorName: z.string(),
  actorRole: z.string(),
  remarks: z.string(),
});

export const ZInvoiceWorkflow = z.object({
  stage: ZWorkflowStage,
  generatedAt: z.string(),
  submittedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  returnRemarks: z.string(),
  approvedAt: z.string().nullable(),
  billedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  creditedAt: z.string().nullable(),
  events: z.array(ZInvoiceEvent),
  /** What the caller may do now (the web shows these buttons; the server checks again). */
  actions: z.array(z.enum(WORKFLOW_ACTIONS)),
  /**
   * The proof gate's verdict while the invoice awaits the DDO (stage `verified`; null otherwise):
   * held for the agency's PF / ESI proof of `proofMonth` ('YYYY-MM'), or clear (`waived` when
   * Finance switched the gate off for the department). The approval checks it again.
   */
  gate: z
    .object({ held: z.boolean(), reason: z.enum(['proof_missing', 'proof_differences']).nullable(), proofMonth: z.string().nullable(), waived: z.boolean() })
    .nullable(),
});
export type TInvoiceWorkflow = z.infer<typeof ZInvoiceWorkflow>;

export const ZBillDeduction = z.object({
  code: z.string(),
  nameEn: z.string(),
  nameHi: z.string(),
  basePaise: z.number().int(),
  ratePpm: z.number().int(),
  amountPaise: z.number().int(),
});
export const ZBillPayee = z.object({
  kind: z.enum(['agency', 'worker']),
  name: z.string(),
  /** Masked: only the last four digits. */
  bankAccount: z.string(),
  ifsc: z.string(),
  amountPaise: z.number().int(),
});
export const ZBill = z.object({
  id: z.number().int(),
  billNo: z.string(),
  ddoCode: z.string(),
  budgetLine: z.string(),
  paymentMode: z.enum(['through_agency', 'direct']),
  grossPaise: z.number().int(),
  gstPaise: z.number().int(),
  tdsBasePaise: z.number().int(),
  deductionsPaise: z.number().int(),
  netPayablePaise: z.number().int(),
  invoicePdfSha256: z.string(),
  status: z.string(),
  createdAt: z.string(),
  deductions: z.array(ZBillDeduction),
  payees: z.array(ZBillPayee),
});
export type TBill = z.infer<typeof ZBill>;

export const ZInvoice = ZInvoiceSummary.extend({
  gemContractNo: z.string(),
  departmentNameEn: z.string(),
  departmentNameHi: z.string(),
  intraState: z.boolean(),
  wageBasis: z.enum(['monthly', 'daily']),
  serviceChargeBp: z.number().int(),
  bonusBp: z.number().int(),
  subtotalPaise: z.number().int(),
  serviceChargePaise: z.number().int(),
  reimbursedPaise: z.number().int(),
  taxablePaise: z.number().int(),
  gstPaise: z.number().int(),
  roundOffPaise: z.number().int(),
  taxLines: z.array(ZInvoiceLine),
  invoiceLines: z.array(ZInvoiceLine),
  details: z.array(ZInvoiceDetail),
  contentHash: z.string(),
  verifyUrl: z.string(),
  generatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string(),
  creditNoteDate: z.string().nullable(),
  /** The caller may cancel it (the agency's own, still active, not in the workflow unless returned). */
  cancellable: z.boolean(),
  workflow: ZInvoiceWorkflow,
  bill: ZBill.nullable(),
});
export type TInvoice = z.infer<typeof ZInvoice>;

/** Contracts the caller's agency may invoice: active, in force (a form's choices). */
export const ZInvoiceOptions = z.object({
  contracts: z.array(z.object({ id: z.number().int(), contractNo: z.string(), startDate: z.string(), endDate: z.string() })),
  /** The latest month that is over ('YYYY-MM'): the default choice. */
  lastMonth: ZMonth,
});

/** Public verification (no login): by number, agency id and content hash. */
export const ZVerifyQuery = z.object({
  no: z.string().trim().min(1).max(16),
  agency: z.coerce.number().int().min(1).max(2_147_483_647),
  h: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{64}$/),
});
export const ZVerifyResult = z.object({
  /** genuine: the number exists and the hash matches; cancelled: it did, but it was cancelled; altered: the number exists, the hash does not match; unknown: no such invoice. */
  result: z.enum(['genuine', 'cancelled', 'altered', 'unknown']),
  invoiceNo: z.string().nullable(),
  invoiceDate: z.string().nullable(),
  agencyName: z.string().nullable(),
  totalPaise: z.number().int().nullable(),
  month: z.string().nullable(),
});
export type TVerifyResult = z.infer<typeof ZVerifyResult>;
