import { z } from 'zod';
import { BANK_ACCOUNT_RE, gstinProblem, ifscProblem, panProblem } from '../domain/identifiers.ts';
import { EMAIL_RE, MOBILE_RE, USERNAME_RE } from '../domain/validators.ts';
import { ZId, ZPage, ZPageQuery, zDate, zText } from './common.ts';

/**
 * Agencies (spec 03): registration (self sign-up with mobile OTP, or by a department),
 * verification, documents, operators. Identifiers are checked by shared/domain/identifiers.ts,
 * which the web forms also use, so both say the same thing with the same field codes.
 */

export const AGENCY_TYPES = ['private_company', 'firm', 'proprietor', 'society', 'government'] as const;
export const AGENCY_STATUSES = ['pending', 'verified', 'rejected', 'suspended', 'blacklisted'] as const;
export const AGENCY_DOC_KINDS = ['pan_card', 'gst_certificate', 'labour_licence', 'registration_certificate', 'other'] as const;
/** Documents every registration must carry (the registration certificate and others are optional). */
export const REQUIRED_DOC_KINDS = ['pan_card', 'gst_certificate', 'labour_licence'] as const;
export type TAgencyType = (typeof AGENCY_TYPES)[number];
export type TAgencyStatus = (typeof AGENCY_STATUSES)[number];
export type TAgencyDocKind = (typeof AGENCY_DOC_KINDS)[number];

/** The largest document accepted (2 MiB). */
export const MAX_AGENCY_DOC_BYTES = 2 * 1024 * 1024;
/** Licence alerts start this many days before expiry. */
export const LICENCE_ALERT_DAYS = 30;

const id = ZId;
const text = (max: number) => zText({ min: 1, max });
const idCode = <C extends string>(problem: (v: string) => C | null) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((v, ctx) => {
      const p = problem(v);
      if (p) ctx.addIssue({ code: 'custom', message: p, params: { code: p } });
    });

/** The particulars of an agency, as sent by the sign-up and the department registration. */
export const ZAgencyParticulars = z
  .strictObject({
    legalName: text(200),
    type: z.enum(AGENCY_TYPES),
    pan: idCode(panProblem),
    gstin: idCode((v) => gstinProblem(v)),
    epfoCode: z
      .string()
      .trim()
      .toUpperCase()
      .min(1)
      .max(22)
      .regex(/^[A-Z0-9/]+$/),
    esicCode: z
      .string()
      .trim()
      .min(1)
      .max(17)
      .regex(/^[0-9]+$/),
    licenceNo: text(60),
    licenceWorkmen: z.coerce.number().int().min(1).max(1_000_000),
    licenceValidTo: zDate('record'),
    address: zText({ min: 1, max: 500, multiLine: true }),
    districtId: id,
    contactName: text(120),
    mobile: z
      .string()
      .trim()
      .refine((v) => MOBILE_RE.test(v), { params: { code: 'mobile_format' } }),
    email: z
      .string()
      .trim()
      .max(254)
      .refine((v) => EMAIL_RE.test(v), { params: { code: 'email_format' } }),
    bankAccount: z
      .string()
      .trim()
      .refine((v) => BANK_ACCOUNT_RE.test(v), { params: { code: 'bank_account_format' } }),
    ifsc: idCode(ifscProblem),
  })
  .superRefine((v, ctx) => {
    // The PAN inside the GSTIN, once both are well formed on their own.
    if (!panProblem(v.pan) && !gstinProblem(v.gstin) && gstinProblem(v.gstin, v.pan)) {
      ctx.addIssue({ code: 'custom', path: ['gstin'], message: 'gstin_pan_mismatch', params: { code: 'gstin_pan_mismatch' } });
    }
  });
export type TAgencyParticulars = z.infer<typeof ZAgencyParticulars>;

/** Sign-up step 1: the mobile number that will receive the one-time code. */
export const ZSignupOtpBody = z.strictObject({
  mobile: z
    .string()
    .trim()
    .refine((v) => MOBILE_RE.test(v), { params: { code: 'mobile_format' } }),
});
export const ZSignupOtpReply = z.object({ requestId: z.string(), expiresInSeconds: z.number().int() });

/** Sign-up step 2 (multipart text fields; the documents are file parts named by kind). */
export const ZSignupFields = z
  .strictObject({
    ...ZAgencyParticulars.shape,
    requestId: zText({ min: 20, max: 100 }),
    otp: z
      .string()
      .trim()
      .regex(/^[0-9]{6}$/),
    username: z
      .string()
      .trim()
      .refine((v) => USERNAME_RE.test(v), { params: { code: 'invalid_format' } }),
    password: z.string().min(1).max(1000),
  })
  .superRefine((v, ctx) => {
    if (!panProblem(v.pan) && !gstinProblem(v.gstin) && gstinProblem(v.gstin, v.pan)) {
      ctx.addIssue({ code: 'custom', path: ['gstin'], message: 'gstin_pan_mismatch', params: { code: 'gstin_pan_mismatch' } });
    }
  });
export type TSignupFields = z.infer<typeof ZSignupFields>;
export const ZSignupReply = z.object({ agencyId: z.number().int(), username: z.string(), status: z.enum(AGENCY_STATUSES) });

export const ZRegisterReply = z.object({ agencyId: z.number().int(), username: z.string() });

export const ZLicenceAlert = z.object({ kind: z.enum(['expiring', 'expired']), days: z.number().int() }).nullable();
export type TLicenceAlert = z.infer<typeof ZLicenceAlert>;

export const ZAgencySummary = z.object({
  id: z.number().int(),
  legalName: z.string(),
  type: z.enum(AGENCY_TYPES),
  pan: z.string(),
  gstin: z.string(),
  districtId: z.number().int(),
  districtNameEn: z.string(),
  districtNameHi: z.string(),
  status: z.enum(AGENCY_STATUSES),
  licenceValidTo: z.string(),
  licenceWorkmen: z.number().int(),
  licenceAlert: ZLicenceAlert,
  registeredVia: z.enum(['self', 'department']),
  createdAt: z.string(),
});
export type TAgencySummary = z.infer<typeof ZAgencySummary>;
export const ZAgencyPage = ZPage(ZAgencySummary);
export type TAgencyPage = z.infer<typeof ZAgencyPage>;

export const ZAgencyListQuery = z.strictObject({
  q: zText({ max: 100 }).default(''),
  status: z.enum(AGENCY_STATUSES).optional(),
  districtId: id.optional(),
  /** `alert`: licence expired or expiring within 30 days. */
  licence: z.enum(['alert']).optional(),
  sort: z.enum(['legalName', 'createdAt', 'licenceValidTo', 'status']).default('legalName'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  ...ZPageQuery.shape,
});
export type TAgencyListQuery = z.infer<typeof ZAgencyListQuery>;

export const ZStatusEvent = z.object({
  id: z.number().int(),
  fromStatus: z.enum(AGENCY_STATUSES).nullable(),
  toStatus: z.enum(AGENCY_STATUSES),
  reason: z.string(),
  orderRef: z.string(),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  byName: z.string().nullable(),
  at: z.string(),
});
export type TStatusEvent = z.infer<typeof ZStatusEvent>;

export const ZAgencyDocument = z.object({
  id: z.number().int(),
  kind: z.enum(AGENCY_DOC_KINDS),
  name: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
  /** A newer upload of the same kind exists. */
  superseded: z.boolean(),
});
export type TAgencyDocument = z.infer<typeof ZAgencyDocument>;

export const ZAgency = ZAgencySummary.extend({
  epfoCode: z.string(),
  esicCode: z.string(),
  licenceNo: z.string(),
  address: z.string(),
  contactName: z.string(),
  mobile: z.string(),
  email: z.string(),
  /** In full for Finance, department managers and the agency itself; `XXXXXXX1234` for others. */
  bankAccount: z.string(),
  bankAccountMasked: z.boolean(),
  ifsc: z.string(),
  statusReason: z.string(),
  statusOrderRef: z.string(),
  statusFrom: z.string().nullable(),
  statusTo: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  /** The department whose suspension is in force (null: statewide, or not suspended). */
  statusDepartmentId: z.number().int().nullable(),
  /** The status moves the caller may make now (the server decides again on each move). */
  actions: z.array(z.enum(['verify', 'reject', 'suspend', 'blacklist', 'reinstate'])),
  events: z.array(ZStatusEvent),
  documents: z.array(ZAgencyDocument),
});
export type TAgency = z.infer<typeof ZAgency>;

export const ZDocParams = z.object({ id, docId: id });

// --- Verification -------------------------------------------------------------------------------

const reason = zText({ min: 1, max: 1000, multiLine: true });
export const ZVerifyBody = z.strictObject({ remark: zText({ max: 1000, multiLine: true }).default('') });
export const ZReasonBody = z.strictObject({ reason });
export const ZSanctionBody = z
  .strictObject({ reason, orderRef: zText({ min: 1, max: 100 }), periodFrom: zDate('record'), periodTo: zDate('record') })
  .superRefine((v, ctx) => {
    if (v.periodTo < v.periodFrom) ctx.addIssue({ code: 'custom', path: ['periodTo'], message: 'period_order', params: { code: 'period_order' } });
  });
export type TSanctionBody = z.infer<typeof ZSanctionBody>;
export const STATUS_ACTIONS = ['verify', 'reject', 'suspend', 'blacklist', 'reinstate'] as const;
export type TStatusAction = (typeof STATUS_ACTIONS)[number];

// --- Operators ----------------------------------------------------------------------------------

export const ZOperator = z.object({
  userId: z.number().int(),
  assignmentId: z.number().int(),
  name: z.string(),
  username: z.string(),
  mobile: z.string(),
  role: z.enum(['agency_admin', 'agency_operator']),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
});
export type TOperator = z.infer<typeof ZOperator>;
export const ZOperatorList = z.object({ items: z.array(ZOperator) });
export const ZAddOperatorBody = z.strictObject({
  name: text(120),
  mobile: z
    .string()
    .trim()
    .refine((v) => MOBILE_RE.test(v), { params: { code: 'mobile_format' } }),
});
export const ZAddOperatorReply = z.object({ userId: z.number().int(), assignmentId: z.number().int(), username: z.string() });

/** What other screens (contracts) show about an agency's standing. */
export const ZAgencyBadge = z.object({
  id: z.number().int(),
  legalName: z.string(),
  status: z.enum(AGENCY_STATUSES),
  statusOrderRef: z.string(),
  statusFrom: z.string().nullable(),
  statusTo: z.string().nullable(),
  licenceAlert: ZLicenceAlert,
});
export type TAgencyBadge = z.infer<typeof ZAgencyBadge>;
