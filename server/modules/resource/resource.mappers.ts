import type { TResource, TResourceSummary } from '../../../shared/contracts/resource.ts';
import type { DbOrTx } from '../../db/client.ts';
import { reachOf } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './resource.repo.ts';
import { maskDocNumber, maskedAadhaar } from './resource.rules.ts';

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
    createdAt: iso(r.createdAt)!,
  };
}

/** One resource as its page shows it, with what the caller may do now. */
export async function resourceOut(db: DbOrTx, actor: Actor, id: number): Promise<TResource> {
  const [row, s, relievings] = [await repo.getResource(db, id), await repo.getSummary(db, id), await repo.listRelievings(db, id)];
  if (!row || !s) throw new AppError('not_found');
  const reach = await reachOf(db, actor);
  const agencySide = reach.scopeKind === 'agency';
  const deciding = actor.role === 'department_manager';
  const draft = row.status === 'draft';
  const open = relievings.find((x) => x.state === 'requested');
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
    can: {
      edit: agencySide && draft,
      kyc: agencySide && draft && row.kycStatus !== 'verified' && row.kycStatus !== 'alternative',
      submit: agencySide && draft && (row.kycStatus === 'verified' || row.kycStatus === 'alternative'),
      decide: deciding && row.status === 'submitted',
      verifyAlternative: deciding && draft && row.kycStatus !== 'verified' && row.kycStatus !== 'alternative',
      requestRelieving: agencySide && row.status === 'approved' && !open,
      decideRelieving: deciding && row.status === 'approved' && Boolean(open),
    },
  };
}
