/**
 * IFMIS (the treasury) seam (spec 06 "Verification, approval, bill, payment"): a bill goes out as
 * JSON and comes back acknowledged (an acknowledgement number) or rejected with a reason. IFMIS
 * detects a bill sent twice by its bill number and answers the first acknowledgement again, so a
 * caller may retry after any failure. Payments come back as the treasury's payment file (imported
 * by the payment module), not through this seam.
 *
 * The real integration (IFMIS MP's bill API) replaces `ifmisSandbox` in ifmis.sandbox.ts behind
 * this type; nothing else changes.
 */
export type IfmisBillPayee = { seq: number; kind: 'agency' | 'worker'; name: string; bankAccount: string; ifsc: string; amountPaise: number };
export type IfmisBill = {
  billNo: string;
  ddoCode: string;
  budgetLine: string;
  grossPaise: number;
  deductions: { code: string; amountPaise: number }[];
  deductionsPaise: number;
  netPaise: number;
  payees: IfmisBillPayee[];
  invoicePdfSha256: string;
};

/** Why IFMIS refused a bill (stable codes, translated as `payment.ifmis_reason.<code>`). */
export const IFMIS_REJECT_REASONS = ['invalid_ddo_code', 'budget_exhausted', 'ifsc_unknown', 'amounts_unbalanced'] as const;
export type TIfmisRejectReason = (typeof IFMIS_REJECT_REASONS)[number];

export type IfmisAnswer = { status: 'acknowledged'; ackNo: string } | { status: 'rejected'; reason: TIfmisRejectReason };

/** IFMIS did not answer (time-out, 5xx): nothing is known of the bill; the same bill may be sent again. */
export class IfmisUnavailable extends Error {
  constructor(message = 'IFMIS did not answer') {
    super(message);
    this.name = 'IfmisUnavailable';
  }
}

export type IfmisAdapter = {
  submitBill(bill: IfmisBill): Promise<IfmisAnswer>;
};
