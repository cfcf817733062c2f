import { z } from 'zod';
import { EMAIL_RE } from '../domain/validators.ts';
import { ROLES, SCOPE_KINDS } from '../roles.ts';
import { ZIdNumber, zText } from './common.ts';

export const ZLoginBody = z.strictObject({
  username: zText({ min: 1, max: 128 }),
  password: z.string().min(1).max(1024),
});

export const ZAssignment = z.object({
  id: z.number().int(),
  role: z.enum(ROLES),
  scopeKind: z.enum(SCOPE_KINDS),
  scopeId: z.number().int(),
  officeId: z.number().int().nullable(),
  officeNameEn: z.string().nullable(),
  officeNameHi: z.string().nullable(),
  /**
   * The name of what a scope that is not an office names — a district admin's district (named
   * instead of the office it is listed under), a department, HOD, agency (its legal name in both),
   * treasury or PD account; null for a state, office, DDO-code or self scope.
   */
  scopeNameEn: z.string().nullable(),
  scopeNameHi: z.string().nullable(),
  designation: z.string(),
  officialEmail: z.string(),
  emailUpdatedAt: z.string().nullable(),
  /** When the role was given and by whom (null: at set-up), shown to the user (issue 11 finding 7). */
  addedAt: z.string(),
  addedByName: z.string().nullable(),
});
export type TAssignment = z.infer<typeof ZAssignment>;

export const ZMe = z.object({
  user: z.object({ id: z.number().int(), username: z.string(), name: z.string(), mobileMasked: z.string(), locale: z.enum(['hi', 'en']) }),
  mustChangePassword: z.boolean(),
  assignments: z.array(ZAssignment),
  activeAssignmentId: z.number().int().nullable(),
  csrfToken: z.string(),
});
export type TMe = z.infer<typeof ZMe>;

export const ZChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});

export const ZForgotBody = z.strictObject({ username: zText({ min: 1, max: 128 }) });
export const ZForgotReply = z.object({ requestId: z.string() });

/** The second factor before a money action (bar A5): where the code went (masked) and until when it holds. */
export const ZStepUpReply = z.object({ sentTo: z.string(), expiresAt: z.string() });
/** A money action's second-factor code (bar A5), 6 digits; required for Finance, DDO, treasury officer and PD administrator. */
export const ZStepUpCode = z.string().regex(/^[0-9]{6}$/);

export const ZResetBody = z.strictObject({
  requestId: zText({ min: 10, max: 100 }),
  code: z.string().regex(/^[0-9]{6}$/),
  newPassword: z.string().min(1).max(1024),
});

export const ZSwitchBody = z.strictObject({ assignmentId: ZIdNumber });
export const ZLocaleBody = z.strictObject({ locale: z.enum(['hi', 'en']) });

export const ZEmailBody = z.strictObject({ officialEmail: z.string().trim().max(254).regex(EMAIL_RE).or(z.literal('')) });

export const ZProfile = z.object({
  name: z.string(),
  username: z.string(),
  mobile: z.string(),
  employeeId: z.string(),
  assignments: z.array(ZAssignment),
});
