import type { TResource, TResourceSummary } from '../../../shared/contracts/resource.ts';
import type { DbOrTx } from '../../db/client.ts';
import { reachOf } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { ESIC_REPORT_HOURS } from '../../../shared/contracts/resource.ts';
import * as lc from './resource.lifecycle.repo.ts';
import * as repo from './resource.repo.ts';
import { esicDueAt, esicIsOverdue, maskDocNumber, maskedAadhaar } from './resource.rules.ts';

/** Resources: rows → the contract's shapes (never a raw row: the Aadhaar reference and hash stay inside). */

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());

export function summaryOut(r: repo.SummaryRow): TResourceSummary {
  return {
    id: r.id,
    agencyId: r.agencyId,
    agencyName: r.agencyName,
    contractId: r.contractId,
    contractNo: r.contractNo,
    departmentId: r.departmentId,
    contractOfficeId: r.contractOfficeId,
    officeId: r.officeId,
    officeNameEn: r.officeNameEn,
    officeNameHi: r.officeNameHi,
    skillLevelId: r.skillLevelId,
    skillLevelNameEn: r.skillLevelNameEn,
    skillLevelNameHi: r.skillLevelNameHi,
    postNameId: r.postNameId,
    postNameEn: r.postNameEn,
    postNameHi: r.postNameHi,
    nameEn: r.nameEn,
    nameHi: r.nameHi,
    gender: r.gender,
    dob: r.dob,
    mobile: r.mobile,
    status: r.status,
    kycStatus: r.kycStatus,
    aadhaarMasked: maskedAadhaar(r.aadhaarLast4),
    verificationMethod: r.verificationMethod,
    joiningDate: r.joiningDate,
    relievedOn: r.relievedOn,
    relieveReason: r.relieveReason,
    createdAt: r.createdAt,
  };
}

/** One resource as its page shows it, with what the caller may do now. */
export async function resourceOut(db: DbOrTx, actor: Actor, id: number, now: Date = new Date()): Promise<TResource> {
  const [row, s, relievings] = [await repo.getResource(db, id), await repo.getSummary(db, id), await repo.listRelievings(db, id)];
  const [replacements, changes, events] = [await lc.listReplacements(db, id), await lc.listProfileChanges(db, id), await lc.listEvents(db, id)];
  if (!row || !s) throw new AppError('not_found');
  const reach = await reachOf(db, actor);
  const agencySide = reach.scopeKind === 'agency';
  const deciding = actor.role === 'department_manager';
  const draft = row.status === 'draft';
  const open = relievings.find((x) => x.state === 'requested');
  const working = row.status === 'approved';
  const openReplacement = replacements.some((x) => x.state === 'requested' && x.resourceId === id);
  const openChange = changes.some((x) => x.state === 'requested');
  const openDeath = events.some((x) => x.kind === 'death' && x.state === 'requested');
  return {
    ...summaryOut(s),
    relation: row.relation,
    relativeName: row.relativeName,
    address: row.address,
    qualification: row.qualification,
    bankAccount: row.bankAccount,
    ifsc: row.ifsc,
    uan: row.uan,
    esicIp: row.esicIp,
    hasPhoto: row.photoFileId !== null,
    consent:
      row.consentAt && row.consentGivenBy && row.consentTextVersion && row.consentLanguage
        ? { givenBy: row.consentGivenBy, at: iso(row.consentAt)!, textVersion: row.consentTextVersion, language: row.consentLanguage }
        : null,
    otpSentTo: row.kycStatus === 'otp_sent' ? row.otpMaskedMobile : null,
    kyc:
      row.kycName !== null && row.kycDob !== null && row.kycGender !== null && row.kycAt !== null
        ? {
            name: row.kycName,
            dob: row.kycDob,
            gender: row.kycGender,
            verifiedAt: iso(row.kycAt)!,
            mismatches: row.kycMismatches ?? [],
            resolution: row.kycResolution,
            resolutionRemark: row.kycResolutionRemark,
          }
        : null,
    alternative:
      row.altDocType && row.altDocLast4 && row.altAt
        ? { docType: row.altDocType, docNumberMasked: maskDocNumber(`XXXX${row.altDocLast4}`), remark: row.altRemark, verifiedAt: iso(row.altAt)! }
        : null,
    rejectionReason: row.rejectionReason,
    relieveRemark: row.relieveRemark,
    relievings: relievings.map((x) => ({
      id: x.id,
      state: x.state,
      relieveOn: x.relieveOn,
      reasonCode: x.reasonCode,
      remark: x.remark,
      requestedAt: iso(x.requestedAt)!,
      decidedAt: iso(x.decidedAt),
      decisionRemark: x.decisionRemark,
    })),
    replacements: replacements.map((x) => {
      const out = x.resourceId === id;
      return {
        id: x.id,
        state: x.state,
        direction: out ? ('out' as const) : ('in' as const),
        resourceId: x.resourceId,
        replacementId: x.replacementId,
        otherNameEn: out ? x.inNameEn : x.outNameEn,
        otherNameHi: out ? x.inNameHi : x.outNameHi,
        relieveOn: x.relieveOn,
        joinOn: x.joinOn,
        reasonCode: x.reasonCode,
        remark: x.remark,
        requestedAt: iso(x.requestedAt)!,
        decidedAt: iso(x.decidedAt),
        decisionRemark: x.decisionRemark,
      };
    }),
    profileChanges: changes.map((x) => ({
      id: x.id,
      state: x.state,
      mobile: x.mobile,
      address: x.address,
      qualification: x.qualification,
      bankAccount: x.bankAccount,
      ifsc: x.ifsc,
      hasPhoto: x.photoFileId !== null,
      remark: x.remark,
      requestedAt: iso(x.requestedAt)!,
      decidedAt: iso(x.decidedAt),
      decisionRemark: x.decisionRemark,
    })),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      state: e.state,
      onDate: e.occurredOn,
      occurredAt: iso(e.occurredAt),
      toDate: e.toDate,
      esicReportedAt: iso(e.esicReportedAt),
      esicDueAt: e.occurredAt ? esicDueAt(e.occurredAt, ESIC_REPORT_HOURS).toISOString() : null,
      esicOverdue: e.kind === 'accident' && e.occurredAt !== null && esicIsOverdue(e.occurredAt, e.esicReportedAt, now, ESIC_REPORT_HOURS),
      hasDocument: e.documentFileId !== null,
      remark: e.remark,
      recordedAt: iso(e.recordedAt)!,
      decidedAt: iso(e.decidedAt),
      decisionRemark: e.decisionRemark,
    })),
    can: {
      edit: agencySide && draft,
      kyc: agencySide && draft && row.kycStatus !== 'verified' && row.kycStatus !== 'alternative',
      submit: agencySide && draft && (row.kycStatus === 'verified' || row.kycStatus === 'alternative'),
      decide: deciding && row.status === 'submitted',
      verifyAlternative: deciding && draft && row.kycStatus !== 'verified' && row.kycStatus !== 'alternative',
      requestRelieving: agencySide && row.status === 'approved' && !open,
      decideRelieving: deciding && row.status === 'approved' && Boolean(open),
      requestReplacement: agencySide && working && !openReplacement && !open,
      replace: deciding && working && !openReplacement && !open,
      decideReplacement: deciding && working && openReplacement,
      requestProfileChange: agencySide && working && !openChange,
      decideProfileChange: deciding && working && openChange,
      recordEvent: (agencySide || deciding) && working,
      decideEvent: deciding && working && openDeath,
    },
  };
}
