import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import type { FileStore } from '../../platform/files/files.ts';
import * as lc from './resource.lifecycle.repo.ts';
import * as repo from './resource.repo.ts';
import { vaultPut } from '../../platform/vault/index.ts';
import { SANDBOX_RESIDENTS } from '../../platform/adapters/ekyc.ts';

type Demo = {
  contractNo: string;
  skill: string;
  post: string;
  nameEn: string;
  nameHi: string;
  gender: 'M' | 'F' | 'T';
  dob: string;
  mobile: string;
  bank: string;
  status: 'draft' | 'submitted' | 'approved' | 'rejected' | 'relieved';
  kyc: 'none' | 'consented' | 'verified' | 'alternative';
  joining?: string;
  relieved?: { on: string; reason: 'resigned' | 'contract_ended' | 'terminated' | 'absconding' | 'deceased' | 'other'; remark: string };
  rejection?: string;
  /** Index into the e-KYC sandbox's residents: the person's Aadhaar (through the vault) and KYC name. */
  resident?: number;
  /** A profile change the agency asked for, awaiting the department (the old account stays in force). */
  profileChange?: { bankAccount: string; ifsc: string; remark: string };
  /** An accident this many hours before the seed, not yet reported to ESIC (overdue after 24 h). */
  accidentHoursAgo?: number;
};

/**
 * A dozen resources under the demo contracts, one of each state a newcomer should see. First
 * (id 1 on a fresh database), a worker of agency 3 under the School Education contract — the
 * authorisation matrix's foreign record. Then, for agency 1 under Finance's contracts (office
 * 79): a working accountant and DEOs (inside the contracts' posts and the sanction), one awaiting
 * e-KYC, one awaiting approval, one rejected, one relieved (resigned), and a pair flagged as
 * possible ghosts (one bank account on two active resources).
 */
const DEMO: Demo[] = [
  {
    contractNo: 'SED/DPI/2026/44',
    skill: 'skilled',
    post: 'deo',
    nameEn: 'Sunita Verma',
    nameHi: 'सुनीता वर्मा',
    gender: 'F',
    dob: '1992-03-14',
    mobile: '9425010001',
    bank: '30112233440001',
    status: 'approved',
    kyc: 'verified',
    joining: '2026-07-01',
    resident: 0,
  },
  {
    contractNo: 'FIN/CIF/2026/GEM-07',
    skill: 'highly_skilled',
    post: 'accountant',
    nameEn: 'Ramesh Kumar Patel',
    nameHi: 'रमेश कुमार पटेल',
    gender: 'M',
    dob: '1988-07-22',
    mobile: '9425010002',
    bank: '30112233440002',
    status: 'approved',
    kyc: 'verified',
    joining: '2026-05-01',
    resident: 1,
    profileChange: { bankAccount: '50100234567812', ifsc: 'HDFC0001234', remark: 'Salary account moved to HDFC Bank' },
  },
  {
    contractNo: 'FIN/CIF/2026/GEM-07',
    skill: 'highly_skilled',
    post: 'accountant',
    nameEn: 'Anjali Sharma',
    nameHi: 'अंजली शर्मा',
    gender: 'F',
    dob: '1990-11-02',
    mobile: '9425010003',
    bank: '30112233440003',
    status: 'draft',
    kyc: 'consented',
  },
  {
    contractNo: 'FIN/CIF/2025/112',
    skill: 'skilled',
    post: 'deo',
    nameEn: 'Mohan Lal Yadav',
    nameHi: 'मोहन लाल यादव',
    gender: 'M',
    dob: '1985-01-30',
    mobile: '9425010004',
    bank: '30112233440004',
    status: 'approved',
    kyc: 'verified',
    joining: '2025-10-01',
    resident: 3,
    accidentHoursAgo: 30,
  },
  {
    contractNo: 'FIN/CIF/2025/112',
    skill: 'skilled',
    post: 'deo',
    nameEn: 'Priya Singh',
    nameHi: 'प्रिया सिंह',
    gender: 'F',
    dob: '1996-05-18',
    mobile: '9425010005',
    bank: '30112233440005',
    status: 'approved',
    kyc: 'alternative',
    joining: '2026-08-01',
  },
  {
    contractNo: 'FIN/CIF/2025/112',
    skill: 'skilled',
    post: 'deo',
    nameEn: 'Vikas Tiwari',
    nameHi: 'विकास तिवारी',
    gender: 'M',
    dob: '1991-09-09',
    mobile: '9425010006',
    bank: '30112233440006',
    status: 'relieved',
    kyc: 'verified',
    joining: '2025-10-01',
    relieved: { on: '2026-07-31', reason: 'resigned', remark: 'Joined a state job' },
    resident: 4,
  },
  {
    contractNo: 'FIN/CIF/2026/GEM-07',
    skill: 'highly_skilled',
    post: 'accountant',
    nameEn: 'Neha Gupta',
    nameHi: 'नेहा गुप्ता',
    gender: 'F',
    dob: '1994-12-12',
    mobile: '9425010007',
    bank: '30112233440007',
    status: 'draft',
    kyc: 'consented',
  },
  {
    contractNo: 'FIN/CIF/2026/GEM-07',
    skill: 'highly_skilled',
    post: 'accountant',
    nameEn: 'Arjun Mehta',
    nameHi: 'अर्जुन मेहता',
    gender: 'M',
    dob: '1993-04-04',
    mobile: '9425010008',
    bank: '30112233440008',
    status: 'submitted',
    kyc: 'verified',
    resident: 5,
  },
  {
    contractNo: 'FIN/CIF/2025/112',
    skill: 'skilled',
    post: 'deo',
    nameEn: 'Kavita Joshi',
    nameHi: 'कविता जोशी',
    gender: 'F',
    dob: '1989-06-25',
    mobile: '9425010009',
    bank: '30112233440009',
    status: 'rejected',
    kyc: 'verified',
    rejection: 'Typing speed certificate not attached',
    resident: 6,
  },
  // The possible ghost pair: Ramesh's bank account again, on a draft of another name.
  {
    contractNo: 'FIN/CIF/2026/GEM-07',
    skill: 'highly_skilled',
    post: 'accountant',
    nameEn: 'Suresh Patel',
    nameHi: 'सुरेश पटेल',
    gender: 'M',
    dob: '1987-02-11',
    mobile: '9425010010',
    bank: '30112233440002',
    status: 'draft',
    kyc: 'none',
  },
  {
    contractNo: 'FIN/CIF/2026/GEM-07',
    skill: 'highly_skilled',
    post: 'accountant',
    nameEn: 'Deepak Chouhan',
    nameHi: 'दीपक चौहान',
    gender: 'M',
    dob: '1998-08-08',
    mobile: '9425010011',
    bank: '30112233440011',
    status: 'draft',
    kyc: 'none',
  },
  {
    contractNo: 'FIN/CIF/2025/112',
    skill: 'skilled',
    post: 'deo',
    nameEn: 'Rekha Bai',
    nameHi: 'रेखा बाई',
    gender: 'F',
    dob: '1984-10-15',
    mobile: '9425010012',
    bank: '30112233440012',
    status: 'draft',
    kyc: 'consented',
  },
];

export async function seedResourceDemo(tx: DbOrTx, _files: FileStore, now: Date): Promise<void> {
  const ids = async (q: ReturnType<typeof sql>) => new Map((await tx.execute<{ k: string; id: number }>(q)).rows.map((r) => [r.k, Number(r.id)]));
  const skills = await ids(sql`select code as k, id from skill_levels`);
  const posts = await ids(sql`select code as k, id from post_names`);
  const users = await ids(sql`select username as k, id from users where username in ('agency_admin', 'dm_bhopal')`);
  // Active sandbox residents with a linked mobile: their numbers go through the vault like any other.
  const residents = SANDBOX_RESIDENTS.filter((r) => r.status === 'active' && r.mobile !== null && !r.serviceDown);
  for (const d of DEMO) {
    const c = await repo.contractPlace(
      tx,
      (await ids(sql`select contract_no as k, id from contracts where contract_no = ${d.contractNo}`)).get(d.contractNo) ?? 0,
    );
    if (!c) continue;
    const resident = d.resident !== undefined ? residents[d.resident] : undefined;
    const v = resident ? await vaultPut(tx, resident.aadhaar) : null;
    const placed = d.status === 'approved' || d.status === 'relieved';
    const kycDone = d.kyc === 'verified' && resident;
    const r = await repo.insertResource(tx, {
      agencyId: c.agencyId,
      contractId: c.id,
      departmentId: c.departmentId,
      contractOfficeId: c.officeId,
      officeId: placed ? c.officeId : null,
      skillLevelId: skills.get(d.skill)!,
      postNameId: posts.get(d.post)!,
      nameEn: resident?.name ?? d.nameEn,
      nameHi: resident?.nameHi ?? d.nameHi,
      relation: 'father',
      relativeName: 'Shri Ram Prasad',
      dob: resident?.dob ?? d.dob,
      gender: resident?.gender ?? d.gender,
      mobile: d.mobile,
      address: 'Ward 12, Arera Colony, Bhopal',
      qualification: d.post === 'accountant' ? 'graduate' : 'higher_secondary',
      bankAccount: d.bank,
      ifsc: 'SBIN0001308',
      // Placed workers have a UAN (12 digits, made from the mobile): the statutory-proof demo finds them in its ECR.
      uan: placed ? `1010${d.mobile.slice(-8)}` : '',
      status: d.status,
      aadhaarRef: v?.refKey ?? null,
      aadhaarLast4: v?.last4 ?? null,
      aadhaarHash: v?.hash ?? null,
      kycStatus: d.kyc === 'verified' ? (kycDone ? 'verified' : 'alternative') : d.kyc,
      consentGivenBy: d.kyc === 'none' ? null : (resident?.name ?? d.nameEn),
      consentAt: d.kyc === 'none' ? null : now,
      consentTextVersion: d.kyc === 'none' ? null : 'ekyc-consent-v1',
      consentLanguage: d.kyc === 'none' ? null : 'hi',
      consentBy: d.kyc === 'none' ? null : (users.get('agency_admin') ?? null),
      kycName: kycDone ? resident.name : null,
      kycDob: kycDone ? resident.dob : null,
      kycGender: kycDone ? resident.gender : null,
      kycAt: kycDone ? now : null,
      kycMismatches: kycDone ? [] : null,
      verificationMethod: kycDone ? 'ekyc_otp' : d.kyc === 'verified' || d.kyc === 'alternative' ? 'alternative_document' : null,
      altDocType: !kycDone && (d.kyc === 'verified' || d.kyc === 'alternative') ? 'voter_id' : null,
      altDocLast4: !kycDone && (d.kyc === 'verified' || d.kyc === 'alternative') ? '4821' : null,
      altAt: !kycDone && (d.kyc === 'verified' || d.kyc === 'alternative') ? now : null,
      altBy: !kycDone && (d.kyc === 'verified' || d.kyc === 'alternative') ? (users.get('dm_bhopal') ?? null) : null,
      submittedAt: d.status === 'draft' ? null : now,
      joiningDate: placed ? (d.joining ?? null) : null,
      decidedBy: placed || d.status === 'rejected' ? (users.get('dm_bhopal') ?? null) : null,
      decidedAt: placed || d.status === 'rejected' ? now : null,
      rejectionReason: d.rejection ?? '',
      relievedOn: d.relieved?.on ?? null,
      relieveReason: d.relieved?.reason ?? null,
      relieveRemark: d.relieved?.remark ?? '',
      createdBy: users.get('agency_admin') ?? null,
      createdAt: now,
      updatedAt: now,
    });
    const audit = (action: string, after: Record<string, unknown>) =>
      recordAudit(tx, { actor: null, ip: '' }, { entity: 'resource', entityId: r.id, action, departmentId: c.departmentId, after });
    await audit('create', { demo: true, status: 'draft' });
    if (d.status !== 'draft') await audit('submit', { status: 'submitted' });
    if (placed) await audit('approve', { status: 'approved', joiningDate: d.joining });
    if (d.status === 'rejected') await audit('reject', { status: 'rejected', reason: d.rejection });
    if (d.relieved) {
      const x = await repo.insertRelieving(tx, {
        resourceId: r.id,
        relieveOn: d.relieved.on,
        reasonCode: d.relieved.reason,
        remark: d.relieved.remark,
        requestedBy: users.get('agency_admin') ?? null,
        requestedAt: now,
      });
      await repo.decideRelieving(tx, x.id, {
        state: 'approved',
        decidedBy: users.get('dm_bhopal') ?? null,
        decidedAt: now,
        decisionRemark: 'Resignation accepted',
      });
      await audit('relieving_request', { relieveOn: d.relieved.on, reasonCode: d.relieved.reason });
      await audit('relieving_approve', { status: 'relieved', reasonCode: d.relieved.reason });
    }
    if (d.profileChange) {
      const x = await lc.insertProfileChange(tx, {
        resourceId: r.id,
        ...d.profileChange,
        requestedBy: users.get('agency_admin') ?? null,
        requestedAt: now,
      });
      await audit('profile_change_request', {
        profileChangeId: x.id,
        bankAccount: `XXXXXXXXXX${d.profileChange.bankAccount.slice(-4)}`,
        ifsc: d.profileChange.ifsc,
      });
    }
    if (d.accidentHoursAgo) {
      const at = new Date(now.getTime() - d.accidentHoursAgo * 3_600_000);
      const e = await lc.insertEvent(tx, {
        resourceId: r.id,
        kind: 'accident',
        occurredOn: new Date(at.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 10),
        occurredAt: at,
        remark: 'Hand injured by a paper-cutting machine; first aid at the district hospital',
        recordedBy: users.get('agency_admin') ?? null,
        recordedAt: now,
      });
      await audit('event_accident', { eventId: e.id, kind: 'accident', occurredAt: at.toISOString() });
    }
  }
}
