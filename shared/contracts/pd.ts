import { z } from 'zod';
import { ZStepUpCode } from './auth.ts';
import { ZId, ZIdNumber, zDate, zText } from './common.ts';

/**
 * Treasury personal-deposit accounts (spec 08, issue 18). Money is integer paise; an amount is
 * 1 paisa … ₹10 crore (a deposit or e-cheque larger than that is a typing error here).
 */
export const PD_SOURCES = ['consolidated', 'other'] as const;
export const ECHEQUE_STATES = ['prepared', 'passed', 'returned', 'in_efile', 'discharged', 'failed'] as const;
export const DEPOSIT_MODES = ['book_transfer', 'challan'] as const;
export const PAYEE_KINDS = ['vendor', 'book_transfer'] as const;
export const MAX_PD_AMOUNT_PAISE = 10_000_000_000;

const amount = z.number().int().min(1).max(MAX_PD_AMOUNT_PAISE);
const matching = (re: RegExp, code: string, max = 40) =>
  z
    .string()
    .max(max)
    .trim()
    .refine((v) => re.test(v), { params: { code } });

export const ZPdLine = z.object({
  id: z.number().int(),
  budgetLineId: z.number().int().nullable(),
  /** The budget head (demand-major-…-object) of a consolidated-fund line; '' for a purpose. */
  head: z.string(),
  purposeEn: z.string(),
  purposeHi: z.string(),
  availablePaise: z.number().int(),
  reservedPaise: z.number().int(),
});
export type TPdLine = z.infer<typeof ZPdLine>;

export const ZPdAccountSummary = z.object({
  id: z.number().int(),
  accountNo: z.string(),
  source: z.enum(PD_SOURCES),
  nameEn: z.string(),
  nameHi: z.string(),
  treasuryEn: z.string(),
  treasuryHi: z.string(),
  availablePaise: z.number().int(),
  reservedPaise: z.number().int(),
  /** Set when the year-end closed the account (31 March lapse, or dormant); a closed account takes no deposit or e-cheque. */
  closedOn: z.string().nullable(),
  closedReason: z.enum(['lapse', 'dormant']).nullable(),
});
export type TPdAccountSummary = z.infer<typeof ZPdAccountSummary>;

export const ZEcheque = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  accountNo: z.string(),
  lineId: z.number().int(),
  linePurposeEn: z.string(),
  linePurposeHi: z.string(),
  payeeKind: z.enum(PAYEE_KINDS),
  payeeName: z.string(),
  /** Masked: only the last four digits. */
  payeeAccountNo: z.string(),
  payeeIfsc: z.string(),
  headOfAccount: z.string(),
  amountPaise: z.number().int(),
  purpose: z.string(),
  state: z.enum(ECHEQUE_STATES),
  returnReason: z.string(),
  preparedAt: z.string(),
  decidedAt: z.string().nullable(),
  /** The vendor-master payee (null: a book transfer, or an e-cheque made before the master). */
  vendorId: z.number().int().nullable(),
  /** The advice that holds it (ADV-<account no.>-<id>), null while in none. */
  adviceNo: z.string().nullable(),
});
export type TEcheque = z.infer<typeof ZEcheque>;

export const ZPdAccount = ZPdAccountSummary.extend({
  administratorEn: z.string(),
  administratorHi: z.string(),
  lines: z.array(ZPdLine),
  echeques: z.array(ZEcheque),
});
export type TPdAccount = z.infer<typeof ZPdAccount>;

export const ZPdAccountList = z.object({ items: z.array(ZPdAccountSummary) });

/**
 * A deposit. Consolidated-fund accounts: by book transfer from the budget line registered on the
 * account line (`sourceBudgetLineId` must be that line's). Other accounts: by challan, with its
 * number; the line is the purpose.
 */
export const ZDepositCreate = z.strictObject({
  lineId: ZIdNumber,
  amountPaise: amount,
  mode: z.enum(DEPOSIT_MODES),
  sourceBudgetLineId: ZIdNumber.optional(),
  reference: zText({ min: 1, max: 60 }),
  valueDate: zDate('record'),
});
export type TDepositCreate = z.infer<typeof ZDepositCreate>;

/**
 * An e-cheque: to a vendor picked from the account's vendor master (`vendorId`; a new payee is
 * added to the master first — shared/contracts/pd-adv.ts) or by book transfer to a head of
 * account. Sent with an `Idempotency-Key` header.
 */
export const ZEchequeCreate = z.discriminatedUnion('payeeKind', [
  z.strictObject({
    payeeKind: z.literal('vendor'),
    lineId: ZIdNumber,
    amountPaise: amount,
    vendorId: ZIdNumber,
    purpose: zText({ max: 200 }).default(''),
  }),
  z.strictObject({
    payeeKind: z.literal('book_transfer'),
    lineId: ZIdNumber,
    amountPaise: amount,
    payeeName: zText({ min: 2, max: 100 }),
    headOfAccount: matching(/^[0-9]{4}(-[0-9A-Za-z]{1,4}){1,6}$/, 'head_of_account_format'),
    purpose: zText({ max: 200 }).default(''),
  }),
]);
export type TEchequeCreate = z.infer<typeof ZEchequeCreate>;

export { ZIdempotencyHeaders } from './common.ts';

/** The treasury officer's pass of an e-cheque, confirmed with the second factor (bar A5). */
export const ZEchequePass = z.strictObject({ otp: ZStepUpCode.optional() });
export const ZEchequeReturn = z.strictObject({ reason: zText({ min: 3, max: 300 }), otp: ZStepUpCode.optional() });

/** A deposit's correction: a reversing posting, with the reason. */
export const ZReversal = z.strictObject({ reason: zText({ min: 3, max: 200 }) });

/** The treasury's worklists: e-cheques in a state; `payeeKind` splits the vendor worklist from the BT (book-transfer) worklist. */
export const ZWorklistQuery = z.object({ state: z.enum(ECHEQUE_STATES).default('prepared'), payeeKind: z.enum(PAYEE_KINDS).optional() });
export const ZEchequeList = z.object({ items: z.array(ZEcheque) });

export const ZStatementQuery = z.object({ from: zDate('search'), to: zDate('search') });

export const ZStatementEntry = z.object({
  postingId: z.number().int(),
  valueDate: z.string(),
  kind: z.string(),
  reference: z.string(),
  echequeId: z.number().int().nullable(),
  /** + money into the line (deposit, returned e-cheque), − out (e-cheque prepared). */
  amountPaise: z.number().int(),
  balancePaise: z.number().int(),
});

/** A line's statement for a period: opening, deposits, withdrawals (e-cheques, net of returns), closing, all of the line's money (available + reserved). */
export const ZStatementLine = z.object({
  lineId: z.number().int(),
  purposeEn: z.string(),
  purposeHi: z.string(),
  openingPaise: z.number().int(),
  depositsPaise: z.number().int(),
  withdrawalsPaise: z.number().int(),
  closingPaise: z.number().int(),
  entries: z.array(ZStatementEntry),
});
export const ZStatement = z.object({ accountId: z.number().int(), accountNo: z.string(), from: z.string(), to: z.string(), lines: z.array(ZStatementLine) });
export type TStatement = z.infer<typeof ZStatement>;

export const ZPdIdParam = z.object({ id: ZId });
