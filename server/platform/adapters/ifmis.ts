/** IFMIS (treasury) seam (spec 06): bills go out, payment status (UTR) comes back. */
export type IfmisBill = { billRef: string; ddoCode: string; budgetLineId: number; grossPaise: number; netPaise: number };
export type IfmisAdapter = {
  submitBill(bill: IfmisBill, idempotencyKey: string): Promise<{ ifmisBillNo: string }>;
  paymentStatus(ifmisBillNo: string): Promise<{ status: 'pending' | 'paid' | 'rejected'; utr?: string; reason?: string }>;
};
