import { z } from 'zod';
import { MOBILE_RE } from '../domain/validators.ts';
import { ZStepUpCode } from './auth.ts';
import { ZId, ZIdNumber, zDate, zText } from './common.ts';
import { PD_SOURCES } from './pd.ts';

/**
 * The opening of a PD account (issue 18 item 1; seed 004 annexure para 1(a) and its form
 * "प्रपत्र-अ"). A proposal of an administrative department: the HOD's designation, one source of
 * money, and rows — one PD account each — with the administrator's designation and office, the
 * treasury, the purpose, the items to be deposited, the budget lines down to scheme head
 * (consolidated fund) or the purposes (other money), the validity date and a remark.
 */
export const PD_PROPOSAL_STATES = ['draft', 'submitted', 'recommended', 'sanctioned', 'refused', 'applied', 'registered'] as const;
export type TPdProposalState = (typeof PD_PROPOSAL_STATES)[number];
export const PD_INSTITUTIONS = ['government', 'non_government'] as const;
/** Rows per proposal and lines per row: a form, not a bulk import. */
export const MAX_PROPOSAL_ROWS = 20;
export const MAX_ROW_LINES = 20;

const ZMobileOrEmpty = z
  .string()
  .trim()
  .max(10)
  .refine((v) => v === '' || MOBILE_RE.test(v), { params: { code: 'mobile_format' } });

/** A budget line (consolidated fund; the purpose is its scheme name) or a named purpose (other money). */
export const ZProposalLineIn = z.strictObject({
  budgetLineId: ZIdNumber.optional(),
  purpose: zText({ max: 200 }).default(''),
});

export const ZProposalRowIn = z.strictObject({
  institution: z.enum(PD_INSTITUTIONS).default('government'),
  administratorDesignation: zText({ min: 2, max: 200 }),
  administratorOffice: zText({ min: 2, max: 200 }),
  /** Where the login's first password is sent (the "sealed envelope"); required for a government institution. */
  administratorMobile: ZMobileOrEmpty.default(''),
  treasuryId: ZIdNumber,
  purpose: zText({ min: 3, max: 300 }),
  items: zText({ min: 3, max: 500 }),
  validityDate: zDate('record').optional(),
  remark: zText({ max: 300 }).default(''),
  lines: z.array(ZProposalLineIn).min(1).max(MAX_ROW_LINES),
});
export type TProposalRowIn = z.infer<typeof ZProposalRowIn>;

export const ZProposalIn = z.strictObject({
  hodDesignation: zText({ min: 2, max: 200 }),
  source: z.enum(PD_SOURCES),
  rows: z.array(ZProposalRowIn).min(1).max(MAX_PROPOSAL_ROWS),
});
export type TProposalIn = z.infer<typeof ZProposalIn>;

export const ZProposalLine = z.object({
  id: z.number().int(),
  budgetLineId: z.number().int().nullable(),
  /** The budget head (demand-major-…-object) of a budget line; '' for a purpose. */
  head: z.string(),
  purpose: z.string(),
});

export const ZProposalRow = z.object({
  id: z.number().int(),
  position: z.number().int(),
  institution: z.enum(PD_INSTITUTIONS),
  administratorDesignation: z.string(),
  administratorOffice: z.string(),
  /** Masked except to the department that proposed it. */
  administratorMobile: z.string(),
  treasuryId: z.number().int(),
  treasuryEn: z.string(),
  treasuryHi: z.string(),
  purpose: z.string(),
  items: z.string(),
  validityDate: z.string().nullable(),
  remark: z.string(),
  lines: z.array(ZProposalLine),
  /** After registration: the PD account, its number — the administrator's login id (null for a non-government institution: no online access). */
  accountId: z.number().int().nullable(),
  accountNo: z.string().nullable(),
  loginId: z.string().nullable(),
  registeredAt: z.string().nullable(),
});
export type TProposalRow = z.infer<typeof ZProposalRow>;

export const ZProposal = z.object({
  id: z.number().int(),
  departmentId: z.number().int(),
  departmentEn: z.string(),
  departmentHi: z.string(),
  hodDesignation: z.string(),
  source: z.enum(PD_SOURCES),
  state: z.enum(PD_PROPOSAL_STATES),
  sanctionNo: z.string(),
  sanctionDate: z.string().nullable(),
  refusalReason: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Whether the caller made it (the HOD's recommendation must come from someone else). */
  mine: z.boolean(),
  rows: z.array(ZProposalRow),
});
export type TProposal = z.infer<typeof ZProposal>;

export const ZProposalSummary = ZProposal.omit({ rows: true }).extend({ rowCount: z.number().int() });
export type TProposalSummary = z.infer<typeof ZProposalSummary>;
export const ZProposalList = z.object({ items: z.array(ZProposalSummary) });
export const ZProposalListQuery = z.object({ state: z.enum(PD_PROPOSAL_STATES).optional() });

export const ZSanctionIn = z.strictObject({ sanctionNo: zText({ min: 2, max: 60 }), sanctionDate: zDate('record'), otp: ZStepUpCode.optional() });
export const ZRefuseIn = z.strictObject({ reason: zText({ min: 3, max: 300 }), otp: ZStepUpCode.optional() });
export const ZRegisterIn = z.strictObject({ otp: ZStepUpCode.optional() });

/** A row of an applied (or registered) proposal, as the treasury officer's worklist shows it. */
export const ZApplication = ZProposalRow.extend({
  proposalId: z.number().int(),
  departmentEn: z.string(),
  departmentHi: z.string(),
  source: z.enum(PD_SOURCES),
  sanctionNo: z.string(),
  sanctionDate: z.string().nullable(),
});
export type TApplication = z.infer<typeof ZApplication>;
export const ZApplicationList = z.object({ items: z.array(ZApplication) });
export const ZApplicationQuery = z.object({ registered: z.enum(['yes', 'no']).default('no') });

/** A budget line the proposing department may name (the org masters'), for the picker. */
export const ZBudgetLineOption = z.object({ id: z.number().int(), head: z.string(), schemeNameEn: z.string(), schemeNameHi: z.string() });
export const ZBudgetLineOptions = z.object({ items: z.array(ZBudgetLineOption) });
export const ZTreasuryOption = z.object({ id: z.number().int(), code: z.string(), nameEn: z.string(), nameHi: z.string() });
export const ZTreasuryOptions = z.object({ items: z.array(ZTreasuryOption) });

export const ZOpenIdParam = z.object({ id: ZId });
