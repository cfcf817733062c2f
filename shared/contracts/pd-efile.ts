import { z } from 'zod';
import { ZStepUpCode } from './auth.ts';
import { ZIdNumber, zDate, zText } from './common.ts';
import { MAX_PD_AMOUNT_PAISE, ZEcheque } from './pd.ts';

/**
 * The e-file to the bank and the bank's payment scroll (issue 18 items 4–5; file formats in
 * docs/PD-EFILE.md). Money is integer paise; dates are IST calendar dates (YYYY-MM-DD).
 */

/** The largest bank scroll (a text file): 1 MB (its base64 fits `contentBase64`'s 1,400,000 characters). */
export const MAX_SCROLL_BYTES = 1024 * 1024;

export const MAX_EFILE_ECHEQUES = 500;

/**
 * Generate an e-file from passed vendor e-cheques of the officer's treasury (the ids the officer
 * chose, in any order; the file lists them by id). Sent with an `Idempotency-Key` header and
 * confirmed with the second factor (bar A5): it is the treasury's payment instruction to the bank.
 */
export const ZEfileCreate = z.strictObject({
  echequeIds: z.array(ZIdNumber).min(1).max(MAX_EFILE_ECHEQUES),
  otp: ZStepUpCode.optional(),
});
export type TEfileCreate = z.infer<typeof ZEfileCreate>;

/** How far an e-file's e-cheques have got: sent (all of them), discharged, failed, outstanding (still in_efile). */
export const ZEfileTotals = z.object({
  sentCount: z.number().int(),
  sentPaise: z.number().int(),
  dischargedCount: z.number().int(),
  dischargedPaise: z.number().int(),
  failedCount: z.number().int(),
  failedPaise: z.number().int(),
  outstandingCount: z.number().int(),
  outstandingPaise: z.number().int(),
  /** Failed e-cheques already replaced by a banker's cheque. */
  bankersChequeCount: z.number().int(),
});
export type TEfileTotals = z.infer<typeof ZEfileTotals>;

export const EFILE_STATUSES = ['awaiting_scroll', 'part_reconciled', 'reconciled'] as const;

export const ZEfileSummary = z.object({
  id: z.number().int(),
  fileNo: z.string(),
  treasuryEn: z.string(),
  treasuryHi: z.string(),
  createdAt: z.string(),
  /** awaiting_scroll: nothing settled yet; part_reconciled: some outstanding; reconciled: none outstanding. */
  status: z.enum(EFILE_STATUSES),
  scrolls: z.number().int(),
  totals: ZEfileTotals,
});
export type TEfileSummary = z.infer<typeof ZEfileSummary>;
export const ZEfileList = z.object({ items: z.array(ZEfileSummary) });

export const ZBankersCheque = z.object({
  id: z.number().int(),
  echequeId: z.number().int(),
  chequeNo: z.string(),
  chequeDate: z.string(),
  bankName: z.string(),
  amountPaise: z.number().int(),
  recordedAt: z.string(),
});
export type TBankersCheque = z.infer<typeof ZBankersCheque>;
/** An account's banker's cheques (for its administrator: what the treasury hands over), with the failed e-cheque's payee. */
export const ZAccountBankersCheques = z.object({
  items: z.array(ZBankersCheque.extend({ payeeName: z.string(), reason: z.string() })),
});
export type TAccountBankersCheques = z.infer<typeof ZAccountBankersCheques>;

/** One e-cheque of an e-file, with what the bank's scroll said of it. */
export const ZEfileItem = z.object({
  seq: z.number().int(),
  echeque: ZEcheque,
  outcome: z.enum(['paid', 'failed']).nullable(),
  bankRef: z.string(),
  valueDate: z.string().nullable(),
  reason: z.string(),
  bankersCheque: ZBankersCheque.nullable(),
});
export type TEfileItem = z.infer<typeof ZEfileItem>;

export const ZScroll = z.object({
  id: z.number().int(),
  fileName: z.string(),
  rowsTotal: z.number().int(),
  paid: z.number().int(),
  failed: z.number().int(),
  importedAt: z.string(),
});
export type TScroll = z.infer<typeof ZScroll>;

/** An e-file with its e-cheques and its scroll reconciliation. */
export const ZEfile = ZEfileSummary.extend({
  sha256: z.string(),
  items: z.array(ZEfileItem),
  scrollList: z.array(ZScroll),
});
export type TEfile = z.infer<typeof ZEfile>;

/** The bank's scroll as uploaded: a text file (CSV, UTF-8, ≤ 1 MB) as base64. */
export const ZScrollUpload = z.strictObject({
  fileName: zText({ min: 1, max: 120 }),
  contentBase64: z.string().min(1).max(1_400_000),
});
export type TScrollUpload = z.infer<typeof ZScrollUpload>;

export const ZScrollResult = z.object({
  efile: ZEfile,
  scrollId: z.number().int(),
  /** True when this very file was imported before: nothing changed this time. */
  replayed: z.boolean(),
  paid: z.number().int(),
  failed: z.number().int(),
});
export type TScrollResult = z.infer<typeof ZScrollResult>;

/** The banker's cheque the bank issued in place of a failed e-payment (seed 004 para 3(8)). */
export const ZBankersChequeCreate = z.strictObject({
  chequeNo: z
    .string()
    .trim()
    .max(12)
    .refine((v) => /^[0-9]{6,12}$/.test(v), { params: { code: 'cheque_no_format' } }),
  chequeDate: zDate('record'),
  bankName: zText({ min: 2, max: 100 }),
  amountPaise: z.number().int().min(1).max(MAX_PD_AMOUNT_PAISE),
});
export type TBankersChequeCreate = z.infer<typeof ZBankersChequeCreate>;
