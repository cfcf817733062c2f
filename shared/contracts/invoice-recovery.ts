import { z } from 'zod';
import { CONTRACT_STATUSES } from './contract.ts';
import { ZQueryBool } from './common.ts';

/**
 * Open recovery balances (docs/INVOICES.md "Recoveries carried forward — the report"): what
 * invoices carried forward and no later invoice has recovered yet, per contract and agency, so
 * that a balance left when a contract ends is seen and recovered. Money in integer paise; months
 * 'YYYY-MM'.
 */
// 'true' / 'false' as sent in a query string (z.coerce.boolean would read 'false' as true).
export const ZRecoveryBalancesQuery = z.object({ endedOnly: ZQueryBool.default(false) });

export const ZRecoveryBalance = z.object({
  invoiceId: z.number().int(),
  invoiceNo: z.string(),
  /** The month the recovery belongs to. */
  month: z.string(),
  part: z.enum(['cost', 'reimbursed']),
  amountPaise: z.number().int(),
});

export const ZRecoveryBalanceGroup = z.object({
  contractId: z.number().int(),
  contractNo: z.string(),
  contractStatus: z.enum(CONTRACT_STATUSES),
  /** Expired or terminated: no later invoice will recover the balance. */
  contractEnded: z.boolean(),
  agencyId: z.number().int(),
  agencyName: z.string(),
  totalPaise: z.number().int(),
  balances: z.array(ZRecoveryBalance),
});

export const ZRecoveryBalances = z.object({
  items: z.array(ZRecoveryBalanceGroup),
  totalPaise: z.number().int(),
  endedTotalPaise: z.number().int(),
});
export type TRecoveryBalances = z.infer<typeof ZRecoveryBalances>;
export type TRecoveryBalanceGroup = z.infer<typeof ZRecoveryBalanceGroup>;
