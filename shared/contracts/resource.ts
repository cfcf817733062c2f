import { z } from 'zod';
import { BANK_ACCOUNT_RE } from '../domain/identifiers.ts';
import { MOBILE_RE } from '../domain/validators.ts';
import { ZId, ZIdNumber, ZPage, ZPageQuery, zDate, zText } from './common.ts';

/**
 * Resources — outsourced workers (spec 04, issue 14). An agency adds a resource as a draft under
 * one of its active contracts, completes Aadhaar e-KYC (or the department verifies another
 * identity document), and submits it; the department manager approves (office, post, contract,
 * joining date) or rejects it. Relieving is requested by the agency and takes effect when the
 * department approves it. The Aadhaar number itself never appears here: only `XXXX XXXX 1234`.
 *
 * Stable: the web builds its pages on these names — add, never rename.
 */

const id = ZId;
const isoDate = zDate('record');

export const RESOURCE_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'relieved'] as const;
export const KYC_STATUSES = ['none', 'consented', 'aadhaar_entered', 'otp_sent', 'verified', 'mismatch', 'alternative'] as const;
export const VERIFICATION_METHODS = ['ekyc_otp', 'alternative_document'] as const;
export const GENDERS = ['M', 'F', 'T'] as const;
export const RELATIONS = ['father', 'spouse'] as const;
export const QUALIFICATIONS = ['none', 'primary', 'middle', 'secondary', 'higher_secondary', 'diploma', 'iti', 'graduate', 'postgraduate'] as const;
export const RELIEVE_REASONS = ['resigned', 'contract_ended', 'terminated', 'absconding', 'deceased', 'other'] as const;
export const RELIEVING_STATES = ['requested', 'approved', 'refused'] as const;
export const ALT_DOC_TYPES = ['voter_id', 'passport', 'driving_licence', 'pan', 'ration_card', 'other'] as const;
/** Fields compared with the e-KYC response; a mismatch must be resolved before submission. */
export const KYC_FIELDS = ['name', 'dob'] as const;
export const MISMATCH_RESOLUTIONS = ['corrected', 'explained'] as const;
export const CONSENT_LANGUAGES = ['hi', 'en'] as const;
/** Life-cycle events recorded against a working resource (spec 04 "Events"). */
export const EVENT_KINDS = ['accident', 'maternity', 'death'] as const;
/** `recorded` (accident, maternity: in effect at once); a death the agency reports is `requested` until the department approves it. */
export const EVENT_STATES = ['recorded', 'requested', 'approved', 'refused'] as const;
/** An accident to an ESIC-covered worker must be reported to ESIC within this many hours. */
export const ESIC_REPORT_HOURS = 24;
/** The largest event document accepted (2 MiB): PDF, JPEG or PNG by content. */
export const MAX_EVENT_DOC_BYTES = 2 * 1024 * 1024;

/** The consent text version the screens show (both languages); bumped when the text changes. */
export const CONSENT_TEXT_VERSION = 'ekyc-consent-v1';
/** Age bounds at the date of entry (the upper bound is Finance's retirement age when set). */
export const MIN_AGE = 18;
export const DEFAULT_RETIREMENT_AGE = 62;
/** The largest photo accepted (200 KiB), JPEG or PNG by content. */
export const MAX_PHOTO_BYTES = 200 * 1024;
/** The largest alternative identity document accepted (2 MiB, PDF). */
export const MAX_ID_DOC_BYTES = 2 * 1024 * 1024;

export const ZResourceStatus = z.enum(RESOURCE_STATUSES);
export const ZKycStatus = z.enum(KYC_STATUSES);
export const ZGender = z.enum(GENDERS);
export const ZRelieveReason = z.enum(RELIEVE_REASONS);

// --- Inputs -----------------------------------------------------------------------------------

/** A string matching `re` after trimming, else the field code `code`. */
const matching = (re: RegExp, code: string, max = 40) =>
  z
    .string()
    .max(max)
    .trim()
    .refine((v) => re.test(v), { params: { code } });
const digits = (n: number, code: string) => matching(new RegExp(`^[0-9]{${n}}$`), code);

/**
 * A resource's particulars (agency). At least one of `nameEn` / `nameHi`, as in Aadhaar. `ifsc`
 * is upper-cased before it is checked; `uan` (12 digits) and `esicIp` (10 digits) may be empty.
 */
export const ZResourceInput = z.strictObject({
  contractId: ZIdNumber,
  skillLevelId: ZIdNumber,
  postNameId: ZIdNumber,
  nameEn: zText({ max: 100 }).default(''),
  nameHi: zText({ max: 100 }).default(''),
  relation: z.enum(RELATIONS),
  relativeName: zText({ min: 1, max: 100 }),
  dob: isoDate,
  gender: ZGender,
  mobile: matching(MOBILE_RE, 'mobile_format'),
  address: zText({ min: 1, max: 500, multiLine: true }),
  qualification: z.enum(QUALIFICATIONS),
  bankAccount: matching(BANK_ACCOUNT_RE, 'bank_account_format'),
  /** Upper-cased, then checked (`sbin0001308` is accepted as `SBIN0001308`). */
  ifsc: matching(/^[A-Za-z]{4}0[A-Za-z0-9]{6}$/, 'ifsc_format').transform((v) => v.toUpperCase()),
  uan: z.union([z.literal(''), digits(12, 'uan_format')]).default(''),
  esicIp: z.union([z.literal(''), digits(10, 'esic_ip_format')]).default(''),
});
export type TResourceInput = z.infer<typeof ZResourceInput>;

/** Consent to Aadhaar e-KYC, as the resource gave it (the recording user and time are the server's). */
export const ZConsentInput = z.strictObject({
  /** The resource's name as they consented (who). */
  givenBy: zText({ min: 1, max: 100 }),
  textVersion: z.literal(CONSENT_TEXT_VERSION),
  language: z.enum(CONSENT_LANGUAGES),
});
export type TConsentInput = z.infer<typeof ZConsentInput>;

/** The Aadhaar number: spaces and hyphens allowed; 12 digits, first 2–9, Verhoeff (checked on the server). */
export const ZAadhaarInput = z.strictObject({ aadhaar: z.string().max(20) });
export type TAadhaarInput = z.infer<typeof ZAadhaarInput>;

export const ZOtpInput = z.strictObject({ otp: digits(6, 'otp_format') });
export type TOtpInput = z.infer<typeof ZOtpInput>;

/** Resolving the e-KYC mismatches: `corrected` (the entry now matches) or `explained` with a remark. */
export const ZResolveInput = z.strictObject({
  resolution: z.enum(MISMATCH_RESOLUTIONS),
  remark: zText({ max: 500, multiLine: true }).default(''),
});
export type TResolveInput = z.infer<typeof ZResolveInput>;

/** Alternative verification (department manager), multipart fields beside the `document` PDF. */
export const ZAlternativeInput = z.strictObject({
  docType: z.enum(ALT_DOC_TYPES),
  docNumber: matching(/^[A-Za-z0-9/ -]{4,30}$/, 'invalid_format'),
  remark: zText({ max: 500, multiLine: true }).default(''),
});
export type TAlternativeInput = z.infer<typeof ZAlternativeInput>;

export const ZApproveInput = z.strictObject({
  contractId: ZIdNumber,
  officeId: ZIdNumber,
  skillLevelId: ZIdNumber,
  postNameId: ZIdNumber,
  joiningDate: isoDate,
});
export type TApproveInput = z.infer<typeof ZApproveInput>;

export const ZRejectInput = z.strictObject({ reason: zText({ min: 1, max: 500, multiLine: true }) });
export type TRejectInput = z.infer<typeof ZRejectInput>;

export const ZRelieveRequest = z.strictObject({
  relieveOn: isoDate,
  reasonCode: ZRelieveReason,
  remark: zText({ max: 500, multiLine: true }).default(''),
});
export type TRelieveRequest = z.infer<typeof ZRelieveRequest>;

/** The department's decision on a relieving request; a refusal needs a remark. */
export const ZRelieveDecision = z.strictObject({ remark: zText({ max: 500, multiLine: true }).default('') });
export type TRelieveDecision = z.infer<typeof ZRelieveDecision>;

/**
 * Replacement: relieve this resource (A) on `relieveOn` with `reasonCode`, and join
 * `replacementId` (B: a draft or submitted resource of the same agency and contract, identity
 * verified) on A's position on `joinOn` (not before `relieveOn`, within the contract period).
 */
export const ZReplaceInput = z.strictObject({
  replacementId: ZIdNumber,
  relieveOn: isoDate,
  joinOn: isoDate,
  reasonCode: ZRelieveReason,
  remark: zText({ max: 500, multiLine: true }).default(''),
});
export type TReplaceInput = z.infer<typeof ZReplaceInput>;

/** The department's decision on a request (replacement, profile change, death); a refusal needs a remark. */
export const ZDecisionInput = z.strictObject({ remark: zText({ max: 500, multiLine: true }).default('') });
export type TDecisionInput = z.infer<typeof ZDecisionInput>;

/**
 * A profile-change request (agency): only the fields to change (at least one); a bank account
 * comes with its IFSC. Nothing changes until the department approves.
 */
export const ZProfileChangeInput = z.strictObject({
  mobile: matching(MOBILE_RE, 'mobile_format').optional(),
  address: zText({ min: 1, max: 500, multiLine: true }).optional(),
  qualification: z.enum(QUALIFICATIONS).optional(),
  bankAccount: matching(BANK_ACCOUNT_RE, 'bank_account_format').optional(),
  ifsc: matching(/^[A-Za-z]{4}0[A-Za-z0-9]{6}$/, 'ifsc_format')
    .transform((v) => v.toUpperCase())
    .optional(),
  remark: zText({ max: 500, multiLine: true }).default(''),
});
export type TProfileChangeInput = z.infer<typeof ZProfileChangeInput>;

/** `HH:MM` (24-hour, IST). */
const hhmm = matching(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'time_format', 5);

/**
 * An event (multipart fields beside an optional `document`: PDF, JPEG or PNG by content).
 * accident: `onDate` + `atTime` (IST), optionally `esicReportedOn` + `esicReportedTime`;
 * maternity: `onDate` (from) + `toDate`; death: `onDate`.
 */
export const ZEventInput = z.strictObject({
  kind: z.enum(EVENT_KINDS),
  onDate: isoDate,
  atTime: hhmm.optional(),
  toDate: isoDate.optional(),
  esicReportedOn: isoDate.optional(),
  esicReportedTime: hhmm.optional(),
  remark: zText({ max: 500, multiLine: true }).default(''),
});
export type TEventInput = z.infer<typeof ZEventInput>;

/** When the accident was reported to ESIC (IST date and time). */
export const ZEsicReportInput = z.strictObject({ reportedOn: isoDate, reportedTime: hhmm });
export type TEsicReportInput = z.infer<typeof ZEsicReportInput>;

export const ZEventParam = z.object({ id: ZId, eventId: ZId });

export const ZResourceListQuery = ZPageQuery.extend({
  /** Searches names (either script), mobile, the last four Aadhaar digits. */
  q: zText({ max: 100 }).optional(),
  status: ZResourceStatus.optional(),
  kycStatus: ZKycStatus.optional(),
  contractId: id.optional(),
  agencyId: id.optional(),
  officeId: id.optional(),
  departmentId: id.optional(),
  sort: z.enum(['createdAt', 'name', 'joiningDate']).default('createdAt'),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
export type TResourceListQuery = z.infer<typeof ZResourceListQuery>;

export const ZResourceExportQuery = ZResourceListQuery.omit({ page: true, pageSize: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export type TResourceExportQuery = z.infer<typeof ZResourceExportQuery>;

export const ZGhostQuery = ZPageQuery.extend({ departmentId: id.optional() });
export type TGhostQuery = z.infer<typeof ZGhostQuery>;

// --- Outputs ----------------------------------------------------------------------------------

const int = z.number().int();

export const ZKycMismatch = z.object({ field: z.enum(KYC_FIELDS), entered: z.string(), kyc: z.string() });
export type TKycMismatch = z.infer<typeof ZKycMismatch>;

export const ZResourceSummary = z.object({
  id: int,
  agencyId: int,
  agencyName: z.string(),
  contractId: int,
  contractNo: z.string(),
  departmentId: int,
  /** The contracting office (whose department manager decides). */
  contractOfficeId: int,
  /** The office of deployment, once approved. */
  officeId: int.nullable(),
  officeNameEn: z.string(),
  officeNameHi: z.string(),
  skillLevelId: int,
  skillLevelNameEn: z.string(),
  skillLevelNameHi: z.string(),
  postNameId: int,
  postNameEn: z.string(),
  postNameHi: z.string(),
  nameEn: z.string(),
  nameHi: z.string(),
  gender: ZGender,
  dob: z.string(),
  mobile: z.string(),
  status: ZResourceStatus,
  kycStatus: ZKycStatus,
  /** `XXXX XXXX 1234`, or null before the number is entered. */
  aadhaarMasked: z.string().nullable(),
  verificationMethod: z.enum(VERIFICATION_METHODS).nullable(),
  joiningDate: z.string().nullable(),
  relievedOn: z.string().nullable(),
  relieveReason: ZRelieveReason.nullable(),
  createdAt: z.string(),
});
export type TResourceSummary = z.infer<typeof ZResourceSummary>;
/** `totalCapped`: more resources match than the list counts exactly (`total` is then that bound; RESOURCE_COUNT_CAP). */
export const ZResourcePage = ZPage(ZResourceSummary).extend({ totalCapped: z.boolean() });

export const ZRelieving = z.object({
  id: int,
  state: z.enum(RELIEVING_STATES),
  relieveOn: z.string(),
  reasonCode: ZRelieveReason,
  remark: z.string(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionRemark: z.string(),
});
export type TRelieving = z.infer<typeof ZRelieving>;

export const ZReplacement = z.object({
  id: int,
  state: z.enum(RELIEVING_STATES),
  /** `out`: this resource is relieved (A); `in`: it joins (B). */
  direction: z.enum(['out', 'in']),
  resourceId: int,
  replacementId: int,
  /** The other resource's names. */
  otherNameEn: z.string(),
  otherNameHi: z.string(),
  relieveOn: z.string(),
  joinOn: z.string(),
  reasonCode: ZRelieveReason,
  remark: z.string(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionRemark: z.string(),
});
export type TReplacement = z.infer<typeof ZReplacement>;

export const ZProfileChange = z.object({
  id: int,
  state: z.enum(RELIEVING_STATES),
  mobile: z.string().nullable(),
  address: z.string().nullable(),
  qualification: z.enum(QUALIFICATIONS).nullable(),
  bankAccount: z.string().nullable(),
  ifsc: z.string().nullable(),
  hasPhoto: z.boolean(),
  remark: z.string(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionRemark: z.string(),
});
export type TProfileChange = z.infer<typeof ZProfileChange>;

export const ZResourceEvent = z.object({
  id: int,
  kind: z.enum(EVENT_KINDS),
  state: z.enum(EVENT_STATES),
  onDate: z.string(),
  /** The accident's time (ISO). */
  occurredAt: z.string().nullable(),
  toDate: z.string().nullable(),
  esicReportedAt: z.string().nullable(),
  /** The ESIC reporting deadline of an accident (occurredAt + 24 h). */
  esicDueAt: z.string().nullable(),
  /** An accident not reported by its deadline (reported late, or not yet and the deadline passed). */
  esicOverdue: z.boolean(),
  hasDocument: z.boolean(),
  remark: z.string(),
  recordedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionRemark: z.string(),
});
export type TResourceEvent = z.infer<typeof ZResourceEvent>;

/** Accidents overdue for ESIC reporting in the caller's reach (the department's list and badge). */
export const ZEsicOverdue = z.object({
  items: z.array(
    z.object({ eventId: int, resourceId: int, nameEn: z.string(), nameHi: z.string(), agencyName: z.string(), occurredAt: z.string(), esicDueAt: z.string() }),
  ),
  total: int,
});
export type TEsicOverdue = z.infer<typeof ZEsicOverdue>;

export const ZResource = ZResourceSummary.extend({
  relation: z.enum(RELATIONS),
  relativeName: z.string(),
  address: z.string(),
  qualification: z.enum(QUALIFICATIONS),
  bankAccount: z.string(),
  ifsc: z.string(),
  uan: z.string(),
  esicIp: z.string(),
  hasPhoto: z.boolean(),
  consent: z.object({ givenBy: z.string(), at: z.string(), textVersion: z.string(), language: z.enum(CONSENT_LANGUAGES) }).nullable(),
  /** The masked mobile the OTP went to (while an OTP is pending). */
  otpSentTo: z.string().nullable(),
  kyc: z
    .object({
      name: z.string(),
      dob: z.string(),
      gender: ZGender,
      verifiedAt: z.string(),
      mismatches: z.array(ZKycMismatch),
      resolution: z.enum(MISMATCH_RESOLUTIONS).nullable(),
      resolutionRemark: z.string(),
    })
    .nullable(),
  alternative: z.object({ docType: z.enum(ALT_DOC_TYPES), docNumberMasked: z.string(), remark: z.string(), verifiedAt: z.string() }).nullable(),
  rejectionReason: z.string(),
  relieveRemark: z.string(),
  relievings: z.array(ZRelieving),
  replacements: z.array(ZReplacement),
  profileChanges: z.array(ZProfileChange),
  events: z.array(ZResourceEvent),
  /** What the caller may do now (the screens show only these actions). */
  can: z.object({
    edit: z.boolean(),
    kyc: z.boolean(),
    submit: z.boolean(),
    decide: z.boolean(),
    verifyAlternative: z.boolean(),
    requestRelieving: z.boolean(),
    decideRelieving: z.boolean(),
    /** The agency asks for a replacement; the department replaces at once. */
    requestReplacement: z.boolean(),
    replace: z.boolean(),
    decideReplacement: z.boolean(),
    requestProfileChange: z.boolean(),
    decideProfileChange: z.boolean(),
    recordEvent: z.boolean(),
    decideEvent: z.boolean(),
  }),
});
export type TResource = z.infer<typeof ZResource>;

export const ZTimelineEntry = z.object({
  at: z.string(),
  action: z.string(),
  actorName: z.string(),
  role: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export const ZTimeline = z.object({ items: z.array(ZTimelineEntry) });
export type TTimeline = z.infer<typeof ZTimeline>;

export const ZOtpStarted = z.object({ maskedMobile: z.string(), resource: ZResource });

/** Possible ghosts: a bank account or mobile shared by two or more active resources. */
export const ZGhostGroup = z.object({
  kind: z.enum(['bank_account', 'mobile']),
  /** The shared value, masked for a bank account (`XXXXXXX8901`). */
  value: z.string(),
  resources: z.array(z.object({ id: int, nameEn: z.string(), nameHi: z.string(), agencyName: z.string(), status: ZResourceStatus, departmentId: int })),
});
export type TGhostGroup = z.infer<typeof ZGhostGroup>;
export const ZGhostPage = ZPage(ZGhostGroup);

/** For the add form: the caller's active contracts and their posts (office, skill level, post, positions, filled). */
export const ZResourceOptions = z.object({
  contracts: z.array(
    z.object({
      id: int,
      contractNo: z.string(),
      departmentId: int,
      startDate: z.string(),
      endDate: z.string(),
      posts: z.array(
        z.object({
          officeId: int,
          officeNameEn: z.string(),
          officeNameHi: z.string(),
          skillLevelId: int,
          skillLevelNameEn: z.string(),
          skillLevelNameHi: z.string(),
          postNameId: int,
          postNameEn: z.string(),
          postNameHi: z.string(),
          positions: int,
          deployed: int,
        }),
      ),
    }),
  ),
  retirementAge: int,
  consentTextVersion: z.string(),
});
export type TResourceOptions = z.infer<typeof ZResourceOptions>;
