import { z } from 'zod';
import { BANK_ACCOUNT_RE, IFSC_RE } from '../domain/identifiers.ts';
import { ZStepUpCode } from './auth.ts';
import { ZEcheque } from './pd.ts';
import { ZIdNumber, zText } from './common.ts';

/**
 * The vendor master and advices of a PD account (spec 08 withdrawals 2 and 4; seed 004 annexure
 * para 3(4), 3(6)). Money is integer paise.
 */
export const PROOF_KINDS = ['cancelled_cheque', 'bank_statement', 'passbook'] as const;
export const ADVICE_STATES = ['draft', 'approved'] as const;
/** A vendor's proof document: at most 2 MB (like the sanction order's PDF), a PDF, JPEG or PNG by content. */
export const MAX_VENDOR_PROOF_BYTES = 2 * 1024 * 1024;
/** The multipart part that carries the proof. */
export const VENDOR_PROOF_FIELD = 'proof';
/** At most this many e-cheques in one advice (a day's payments of one account). */
export const MAX_ADVICE_ECHEQUES = 200;

const matching = (re: RegExp, code: string, max = 40) =>
  z
    .string()
    .max(max)
    .trim()
    .transform((v) => v.toUpperCase())
    .refine((v) => re.test(v), { params: { code } });

/**
 * A new vendor (the text fields of the multipart form; the proof is the `proof` file part).
 * `bankName` may be left out: the bank is then named from the IFSC's first four letters.
 */
export const ZVendorCreate = z.strictObject({
  name: zText({ min: 2, max: 100 }),
  bankAccountNo: matching(BANK_ACCOUNT_RE, 'bank_account_format'),
  ifsc: matching(IFSC_RE, 'ifsc_format'),
  bankName: zText({ max: 100 }).optional(),
  proofKind: z.enum(PROOF_KINDS),
});
export type TVendorCreate = z.infer<typeof ZVendorCreate>;

export const ZVendor = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  name: z.string(),
  /** Masked: only the last four digits. */
  bankAccountNo: z.string(),
  bankName: z.string(),
  ifsc: z.string(),
  proofKind: z.enum(PROOF_KINDS),
  proofMime: z.string(),
  createdAt: z.string(),
});
export type TVendor = z.infer<typeof ZVendor>;
export const ZVendorList = z.object({ items: z.array(ZVendor) });

/** A vendor's or an advice's id under an account: /accounts/:id/vendors/:vendorId. */
export const ZVendorParam = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647), vendorId: z.coerce.number().int().min(1).max(2_147_483_647) });

/** A new advice: the prepared e-cheques of the account to send. Sent with an `Idempotency-Key` header. */
export const ZAdviceCreate = z.strictObject({
  echequeIds: z.array(ZIdNumber).max(MAX_ADVICE_ECHEQUES),
});
export type TAdviceCreate = z.infer<typeof ZAdviceCreate>;

/** The administrator's approval, confirmed with the second factor (bar A5). Sent with an `Idempotency-Key` header. */
export const ZAdviceApprove = z.strictObject({ otp: ZStepUpCode.optional() });

export const ZAdvice = z.object({
  id: z.number().int(),
  /** ADV-<account no.>-<id>: what the treasury sees on its worklist. */
  adviceNo: z.string(),
  accountId: z.number().int(),
  accountNo: z.string(),
  state: z.enum(ADVICE_STATES),
  totalPaise: z.number().int(),
  count: z.number().int(),
  createdAt: z.string(),
  approvedAt: z.string().nullable(),
  echeques: z.array(ZEcheque),
});
export type TAdvice = z.infer<typeof ZAdvice>;
export const ZAdviceList = z.object({ items: z.array(ZAdvice) });

export const ZAdviceParam = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
