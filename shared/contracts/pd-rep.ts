import { z } from 'zod';
import { ZId, zDate } from './common.ts';
import { ECHEQUE_STATES, PAYEE_KINDS, PD_SOURCES } from './pd.ts';

/**
 * PD accounting reports (issue 18 items 5–6; spec 08 "Accounting and closing", "Reports"): the
 * administrator's report by line for any period and its monthly account, the treasury's monthly
 * account of head 8443-106 and the list of e-cheques for the Accountant General. Money is integer
 * paise; dates are IST calendar dates (a posting's value date), both ends of a period inclusive.
 */
export const ZRepMonth = z.string().regex(/^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$/);

export const ZRepPeriodQuery = z.strictObject({ from: zDate('search'), to: zDate('search') });
export type TRepPeriodQuery = z.infer<typeof ZRepPeriodQuery>;
export const ZRepPeriodFileQuery = ZRepPeriodQuery.extend({ format: z.enum(['pdf', 'xlsx']) });
export const ZRepMonthQuery = z.strictObject({ month: ZRepMonth });
export const ZRepMonthFileQuery = ZRepMonthQuery.extend({ format: z.enum(['pdf', 'xlsx']) });
export const ZRepAgListQuery = ZRepMonthQuery.extend({ format: z.enum(['csv', 'xlsx']) });
export const ZRepTreasuryParam = z.object({ id: ZId });

/** A line's (or the account's) movements over the period, from the ledger. */
export const ZRepFigures = z.object({
  /** Balance (available + reserved) at the start of `from`. */
  openingPaise: z.number().int(),
  /** Deposits credited (book transfer / challan). */
  depositsPaise: z.number().int(),
  /** Deposits taken back by a reversal (a correction). */
  reversedPaise: z.number().int(),
  /** E-cheques passed by the treasury (debited to 8443-106). */
  echequesPaise: z.number().int(),
  /** 31 March: lapsed to the service head. */
  lapsedPaise: z.number().int(),
  /** Dormant account: unclaimed balance credited to government. */
  unclaimedPaise: z.number().int(),
  /** echeques + lapsed + unclaimed. */
  withdrawalsPaise: z.number().int(),
  /** Balance at the end of `to` = opening + deposits − reversed − withdrawals. */
  closingPaise: z.number().int(),
  /** Of the closing balance, held for prepared e-cheques not yet passed or returned. */
  reservedPaise: z.number().int(),
  /** closing − reserved. */
  availablePaise: z.number().int(),
});
export type TRepFigures = z.infer<typeof ZRepFigures>;

export const ZRepLine = ZRepFigures.extend({
  lineId: z.number().int(),
  head: z.string(),
  purposeEn: z.string(),
  purposeHi: z.string(),
});
export type TRepLine = z.infer<typeof ZRepLine>;

export const ZRepAccountReport = z.object({
  accountId: z.number().int(),
  accountNo: z.string(),
  source: z.enum(PD_SOURCES),
  nameEn: z.string(),
  nameHi: z.string(),
  treasuryEn: z.string(),
  treasuryHi: z.string(),
  from: z.string(),
  to: z.string(),
  lines: z.array(ZRepLine),
  totals: ZRepFigures,
});
export type TRepAccountReport = z.infer<typeof ZRepAccountReport>;

export const ZRepTreasury = z.object({ id: z.number().int(), nameEn: z.string(), nameHi: z.string() });
export const ZRepTreasuryList = z.object({ items: z.array(ZRepTreasury) });
export type TRepTreasury = z.infer<typeof ZRepTreasury>;

/** One PD account's part of the treasury's 8443-106 account for the month. */
export const ZRepTreasuryAccount = ZRepFigures.extend({
  accountId: z.number().int(),
  accountNo: z.string(),
  nameEn: z.string(),
  nameHi: z.string(),
  echequeCount: z.number().int(),
});
export type TRepTreasuryAccount = z.infer<typeof ZRepTreasuryAccount>;

/** An e-cheque debited to 8443-106 in the month (its `passed` posting's value date), for the Accountant General. */
export const ZRepAgEcheque = z.object({
  echequeId: z.number().int(),
  debitedOn: z.string(),
  accountNo: z.string(),
  linePurposeEn: z.string(),
  linePurposeHi: z.string(),
  payeeKind: z.enum(PAYEE_KINDS),
  payeeName: z.string(),
  /** Masked (last four digits). */
  payeeAccountNo: z.string(),
  payeeIfsc: z.string(),
  headOfAccount: z.string(),
  amountPaise: z.number().int(),
  state: z.enum(ECHEQUE_STATES),
});
export type TRepAgEcheque = z.infer<typeof ZRepAgEcheque>;

export const ZRepTreasuryMonth = z.object({
  treasuryId: z.number().int(),
  treasuryEn: z.string(),
  treasuryHi: z.string(),
  month: z.string(),
  from: z.string(),
  to: z.string(),
  /** Always 8443-106 (Personal Deposits). */
  head: z.string(),
  accounts: z.array(ZRepTreasuryAccount),
  totals: ZRepFigures.extend({ echequeCount: z.number().int() }),
  echeques: z.array(ZRepAgEcheque),
});
export type TRepTreasuryMonth = z.infer<typeof ZRepTreasuryMonth>;
