import { z } from 'zod';

/**
 * The agency's invoice-number prefix (spec 06: `PREFIX/YYYY/NNNN`): 1–6 capital letters or digits.
 * Refusals name the field `prefix`: empty → required, longer → too_long, anything else → invalid_format.
 */
export const ZInvoicePrefixSet = z.strictObject({
  prefix: z
    .string()
    .min(1)
    .max(6)
    .regex(/^[A-Z0-9]+$/),
});
export type TInvoicePrefixSet = z.infer<typeof ZInvoicePrefixSet>;

export const ZInvoicePrefix = z.object({
  prefix: z.string(),
  /** True while the agency has set none (the portal's default is used). */
  isDefault: z.boolean(),
});
export type TInvoicePrefix = z.infer<typeof ZInvoicePrefix>;
