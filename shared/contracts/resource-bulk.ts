import { z } from 'zod';
import { ZId } from './common.ts';

/**
 * Bulk onboarding of resources (spec 04, issue 14 item 1): an agency downloads an Excel template
 * for one of its active contracts, fills it and uploads it; a dry run lists every bad row, then
 * the good rows become drafts awaiting e-KYC. Stable: add, never rename.
 */

/** The template's columns, in order (headers are `resource.bulk.col.<key>` in the user's language). */
export const BULK_COLUMNS = [
  'nameEn',
  'nameHi',
  'relation',
  'relativeName',
  'dob',
  'gender',
  'mobile',
  'address',
  'qualification',
  'post',
  'bankAccount',
  'ifsc',
  'uan',
  'esicIp',
  'aadhaar',
] as const;
export type TBulkColumn = (typeof BULK_COLUMNS)[number];
/** Columns a row may leave blank (a name needs one of nameEn / nameHi). */
export const BULK_OPTIONAL: readonly TBulkColumn[] = ['nameEn', 'nameHi', 'uan', 'esicIp', 'aadhaar'];

/** Sheet names of the template (the workbook may hold these and no others). */
export const BULK_SHEETS = { data: 'resources', instructions: 'instructions', lists: 'lists' } as const;

/** The largest file accepted (5,000 rows are about 400 KB) and the most rows. */
export const MAX_BULK_BYTES = 5 * 1024 * 1024;
export const MAX_BULK_ROWS = 5_000;

export const ZBulkTemplateQuery = z.object({ contractId: ZId });
export const ZBulkUploadQuery = z.object({ contractId: ZId, dryRun: z.enum(['true', 'false']).default('true') });

const int = z.number().int();

export const ZBulkRowError = z.object({ row: int, field: z.string(), code: z.string(), message: z.string() });
export type TBulkRowError = z.infer<typeof ZBulkRowError>;

export const ZBulkReport = z.object({
  dryRun: z.boolean(),
  /** Data rows in the file (blank rows are not counted). */
  rows: int,
  /** Rows that pass every check (would be / were imported). */
  good: int,
  /** Resources created by this upload (0 on a dry run, and when the same file was imported before). */
  created: int,
  /** The same file was already imported under this contract: nothing was created again. */
  alreadyImported: z.boolean(),
  batchId: int.nullable(),
  errors: z.array(ZBulkRowError),
});
export type TBulkReport = z.infer<typeof ZBulkReport>;
