import { z } from 'zod';
import { ZStepUpCode } from './auth.ts';
import { zDate, zText } from './common.ts';

/**
 * Year-end and closing of PD accounts (issue 18 item 5; docs/PD.md "Year-end and closing").
 * A financial year is named by the calendar year it starts in (April–March, IST): `fy` 2025 is
 * 2025-26 and ends on 31 March 2026. Money is integer paise.
 */
export const PD_CLOSED_REASONS = ['lapse', 'dormant'] as const;
export const PD_YEAR_OUTCOMES = ['lapse', 'unclaimed', 'held'] as const;
export const DORMANT_YEARS_MIN = 1;
export const DORMANT_YEARS_MAX = 10;

/** A financial year's starting year. The online PD process began in 2014 (seed 004). */
export const ZFy = z.coerce.number().int().min(2014).max(2100);

export const ZYearRunCreate = z.strictObject({ fy: z.number().int().min(2014).max(2100), otp: ZStepUpCode.optional() });
export type TYearRunCreate = z.infer<typeof ZYearRunCreate>;

export const ZYearClosing = z.object({
  accountId: z.number().int(),
  accountNo: z.string(),
  accountNameEn: z.string(),
  accountNameHi: z.string(),
  lineId: z.number().int(),
  purposeEn: z.string(),
  purposeHi: z.string(),
  outcome: z.enum(PD_YEAR_OUTCOMES),
  /** lapse / unclaimed: the money moved; held: the money reserved by prepared e-cheques that kept the account open. */
  amountPaise: z.number().int(),
  heldEcheques: z.number().int(),
});
export type TYearClosing = z.infer<typeof ZYearClosing>;

export const ZYearRun = z.object({
  id: z.number().int(),
  fy: z.number().int(),
  startedBy: z.enum(['job', 'finance']),
  runByName: z.string(),
  dormantYears: z.number().int(),
  status: z.enum(['running', 'done']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  lapsedPaise: z.number().int(),
  unclaimedPaise: z.number().int(),
  heldPaise: z.number().int(),
  /** Only the lines of accounts the caller may see. */
  closings: z.array(ZYearClosing),
});
export type TYearRun = z.infer<typeof ZYearRun>;
export const ZYearRunList = z.object({ items: z.array(ZYearRun) });

export const ZYearSettings = z.object({ dormantYears: z.number().int(), updatedAt: z.string() });
export type TYearSettings = z.infer<typeof ZYearSettings>;
export const ZYearSettingsUpdate = z.strictObject({ dormantYears: z.number().int().min(DORMANT_YEARS_MIN).max(DORMANT_YEARS_MAX) });

export const ZContinuationCreate = z.strictObject({
  fy: z.number().int().min(2014).max(2100),
  orderNo: zText({ min: 2, max: 60 }),
  orderDate: zDate('record'),
});
export type TContinuationCreate = z.infer<typeof ZContinuationCreate>;
export const ZContinuation = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  accountNo: z.string(),
  accountNameEn: z.string(),
  accountNameHi: z.string(),
  fy: z.number().int(),
  orderNo: z.string(),
  orderDate: z.string(),
  recordedAt: z.string(),
});
export type TContinuation = z.infer<typeof ZContinuation>;
export const ZContinuationList = z.object({ items: z.array(ZContinuation) });
export const ZFyQuery = z.object({ fy: ZFy.optional() });

/** Finance's report: unspent balances of open accounts by department, and by account. */
export const ZUnspentAccount = z.object({
  accountId: z.number().int(),
  accountNo: z.string(),
  nameEn: z.string(),
  nameHi: z.string(),
  source: z.enum(['consolidated', 'other']),
  treasuryEn: z.string(),
  treasuryHi: z.string(),
  availablePaise: z.number().int(),
  reservedPaise: z.number().int(),
  /** A continuation recorded for the current financial year (consolidated-fund accounts). */
  continued: z.boolean(),
});
export const ZUnspentDepartment = z.object({
  departmentId: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
  availablePaise: z.number().int(),
  reservedPaise: z.number().int(),
  accounts: z.array(ZUnspentAccount),
});
export const ZUnspentReport = z.object({
  fy: z.number().int(),
  departments: z.array(ZUnspentDepartment),
  totalAvailablePaise: z.number().int(),
  totalReservedPaise: z.number().int(),
});
export type TUnspentReport = z.infer<typeof ZUnspentReport>;

/** The treasury's report: other-than-consolidated accounts idle for the period (candidates), and those already closed as dormant. */
export const ZDormantAccount = z.object({
  accountId: z.number().int(),
  accountNo: z.string(),
  nameEn: z.string(),
  nameHi: z.string(),
  treasuryEn: z.string(),
  treasuryHi: z.string(),
  lastTransactionOn: z.string(),
  balancePaise: z.number().int(),
  closedOn: z.string().nullable(),
});
export const ZDormantReport = z.object({
  dormantYears: z.number().int(),
  /** The close of March at which the candidates will be closed (the end of the current financial year). */
  asOf: z.string(),
  candidates: z.array(ZDormantAccount),
  closed: z.array(ZDormantAccount),
});
export type TDormantReport = z.infer<typeof ZDormantReport>;

/** Lines whose money came from a source the account's sanction does not allow: flagged for transfer back (seed 004 annexure 1(b)(5)). */
export const ZTransferBackLine = z.object({
  accountId: z.number().int(),
  accountNo: z.string(),
  nameEn: z.string(),
  nameHi: z.string(),
  lineId: z.number().int(),
  purposeEn: z.string(),
  purposeHi: z.string(),
  reason: z.enum(['budget_line_on_other_account', 'no_budget_line', 'budget_line_of_other_department']),
  balancePaise: z.number().int(),
});
export const ZTransferBackReport = z.object({ items: z.array(ZTransferBackLine) });
export type TTransferBackReport = z.infer<typeof ZTransferBackReport>;
