import { z } from 'zod';
import { EMAIL_RE, MOBILE_RE } from '../domain/validators.ts';
import { FINANCE_ASSIGNABLE_ROLES, OFFICE_ASSIGNABLE_ROLES, ROLES } from '../roles.ts';
import { ZId, ZIdNumber, ZPage, ZPageQuery, zText } from './common.ts';

/** Office users (manual section 7): pick an office, see its users, add one by mobile number. */

const ZMobile = z
  .string()
  .trim()
  .refine((v) => MOBILE_RE.test(v), { params: { code: 'mobile_format' } });
const ZOptionalEmail = z
  .string()
  .trim()
  .max(254)
  .refine((v) => v === '' || EMAIL_RE.test(v), { params: { code: 'email_format' } });

export const ZOfficeSearchQuery = z.strictObject({ q: zText({ max: 100 }).default('') });

/** One entry of the "Select Office" picker ("Department / Office / id"). */
export const ZOfficeOption = z.object({
  id: z.number().int(),
  nameEn: z.string(),
  nameHi: z.string(),
  departmentNameEn: z.string(),
  departmentNameHi: z.string(),
});
export type TOfficeOption = z.infer<typeof ZOfficeOption>;
export const ZOfficeOptions = z.object({ items: z.array(ZOfficeOption) });

/** `current` = assignment not ended (user active or not); `all` includes ended assignments. */
export const OFFICE_USER_STATUSES = ['current', 'active', 'inactive', 'ended', 'all'] as const;
export type TOfficeUserStatus = (typeof OFFICE_USER_STATUSES)[number];

export const ZOfficeUsersQuery = z.strictObject({
  officeId: ZId,
  q: zText({ max: 100 }).default(''),
  status: z.enum(OFFICE_USER_STATUSES).default('current'),
  ...ZPageQuery.shape,
});
export type TOfficeUsersQuery = z.infer<typeof ZOfficeUsersQuery>;

/** A row of the manual's table: one role assignment of a user in the office. */
export const ZOfficeUserRow = z.object({
  assignmentId: z.number().int(),
  userId: z.number().int(),
  name: z.string(),
  username: z.string(),
  employeeId: z.string(),
  officeId: z.number().int(),
  officeNameEn: z.string(),
  officeNameHi: z.string(),
  mobile: z.string(),
  officePhone: z.string(),
  officialEmail: z.string(),
  designation: z.string(),
  role: z.enum(ROLES),
  userStatus: z.enum(['active', 'inactive']),
  assignmentActive: z.boolean(),
  endedAt: z.string().nullable(),
});
export type TOfficeUserRow = z.infer<typeof ZOfficeUserRow>;
export const ZOfficeUserPage = ZPage(ZOfficeUserRow);
export type TOfficeUserPage = z.infer<typeof ZOfficeUserPage>;

export const ZAddOfficeUserBody = z.strictObject({
  officeId: ZIdNumber,
  mobile: ZMobile,
  /** Needed only when the mobile number is not yet a user. */
  name: zText({ max: 120 }).default(''),
  employeeId: zText({ max: 40 }).default(''),
  officePhone: z
    .string()
    .trim()
    .max(20)
    .regex(/^[0-9+\- ]*$/)
    .default(''),
  officialEmail: ZOptionalEmail.default(''),
  designation: zText({ max: 120 }).default(''),
  /** A role an office admin gives, or (Finance only, checked by the service) a district admin for the office's district. */
  role: z.enum(ROLES).refine((r) => OFFICE_ASSIGNABLE_ROLES.includes(r) || FINANCE_ASSIGNABLE_ROLES.includes(r), { params: { code: 'invalid_value' } }),
});
export type TAddOfficeUserBody = z.input<typeof ZAddOfficeUserBody>;

export const ZAddOfficeUserReply = z.object({
  outcome: z.enum(['created', 'mapped']),
  userId: z.number().int(),
  assignmentId: z.number().int(),
  username: z.string(),
});
export type TAddOfficeUserReply = z.infer<typeof ZAddOfficeUserReply>;

export const ZLookupQuery = z.strictObject({
  officeId: ZId,
  mobile: ZMobile,
});
/** Whether a mobile number is already a user (name only) and already in the selected office. */
export const ZLookupReply = z.object({ exists: z.boolean(), name: z.string().nullable(), inOffice: z.boolean() });
export type TLookupReply = z.infer<typeof ZLookupReply>;

export const ZUserStatusReply = z.object({ userId: z.number().int(), status: z.enum(['active', 'inactive']) });
export const ZEndAssignmentReply = z.object({ assignmentId: z.number().int(), active: z.boolean(), endedAt: z.string().nullable() });
