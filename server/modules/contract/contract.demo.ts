import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { type FileStore, saveUpload } from '../../platform/files/files.ts';
import { getOfficePlace, hods, offices, postNames, skillLevels } from '../org/index.ts';
import { demoPdf } from '../sanction/sanction.demo.ts';
import * as repo from './contract.repo.ts';
import * as mastersRepo from './contract.masters.repo.ts';
import { isLegacy } from './contract.rules.ts';

type DemoVersion = {
  kind: 'original' | 'extension';
  start: string;
  end: string;
  activatedOn: string | null;
  remark: string;
  posts: { skill: string; post: string; positions: number; basic: number; vda: number }[];
};
type DemoContract = {
  no: string;
  date: string;
  mode: 'gem' | 'open_tender' | 'other';
  gemNo?: string;
  gemBid?: string;
  office?: { hod: string };
  agencyId?: number;
  versions: DemoVersion[];
};

/**
 * Demo contracts of the Finance Department's office 79 with agency 1 (verified), inside the
 * locked sanction order FIN/OS/2025/101 (79: 4 accountants, highly skilled; 3 DEOs, skilled) and
 * at or above the 1 Oct 2025 minimum wages: a GeM contract in force, a legacy contract dated 2025
 * registered before the 30 June 2026 deadline and since extended (two versions; ends within 90
 * days of late November 2026, so the daily job alerts), and a draft. Last (id 4 on a fresh
 * database), a School Education contract with agency 3, blacklisted after the contract was
 * signed — another department's and another agency's record (the authorisation matrix uses it),
 * and the blacklisting shows on it.
 */
export const DEMO_CONTRACTS: DemoContract[] = [
  {
    no: 'FIN/CIF/2026/GEM-07',
    date: '2026-04-10',
    mode: 'gem',
    gemNo: 'GEMC-511687712345678',
    gemBid: 'GEM/2026/B/6123456',
    versions: [
      {
        kind: 'original',
        start: '2026-05-01',
        end: '2027-04-30',
        activatedOn: '2026-04-20',
        remark: 'Accountants for Institutional Finance (GeM)',
        posts: [{ skill: 'highly_skilled', post: 'accountant', positions: 2, basic: 1450000, vda: 257500 }],
      },
    ],
  },
  {
    no: 'FIN/CIF/2025/112',
    date: '2025-09-20',
    mode: 'open_tender',
    versions: [
      {
        kind: 'original',
        start: '2025-10-01',
        end: '2026-09-30',
        activatedOn: '2026-06-12',
        remark: 'Data entry operators (running contract, registered as legacy)',
        posts: [{ skill: 'skilled', post: 'deo', positions: 2, basic: 1229400, vda: 257500 }],
      },
      {
        kind: 'extension',
        start: '2025-10-01',
        end: '2027-01-31',
        activatedOn: '2026-09-15',
        remark: 'Extended by four months pending a new tender',
        posts: [{ skill: 'skilled', post: 'deo', positions: 2, basic: 1229400, vda: 257500 }],
      },
    ],
  },
  {
    no: 'FIN/CIF/2026/318',
    date: '2026-11-10',
    mode: 'other',
    versions: [
      {
        kind: 'original',
        start: '2026-12-01',
        end: '2027-11-30',
        activatedOn: null,
        remark: 'Draft: one more DEO and two accountants',
        posts: [
          { skill: 'skilled', post: 'deo', positions: 1, basic: 1300000, vda: 257500 },
          { skill: 'highly_skilled', post: 'accountant', positions: 2, basic: 1450000, vda: 257500 },
        ],
      },
    ],
  },
  {
    no: 'SED/DPI/2026/44',
    date: '2026-04-15',
    mode: 'open_tender',
    office: { hod: 'SED-DPI' },
    agencyId: 3,
    versions: [
      {
        kind: 'original',
        start: '2026-05-01',
        end: '2027-03-31',
        activatedOn: '2026-04-28',
        remark: 'Data entry operators for the Directorate',
        posts: [{ skill: 'skilled', post: 'deo', positions: 3, basic: 1229400, vda: 257500 }],
      },
    ],
  },
];

export async function seedContractDemo(tx: DbOrTx, store: FileStore, now: Date): Promise<void> {
  const [creator] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'dm_bhopal'));
  const by = creator?.id ?? null;
  const skills = new Map((await tx.select({ id: skillLevels.id, code: skillLevels.code }).from(skillLevels)).map((s) => [s.code, s.id]));
  const posts = new Map((await tx.select({ id: postNames.id, code: postNames.code }).from(postNames)).map((p) => [p.code, p.id]));
  for (const c of DEMO_CONTRACTS) {
    let OFFICE = 79;
    if (c.office) {
      const [h] = await tx.select({ id: hods.id }).from(hods).where(eq(hods.code, c.office.hod));
      const [first] = h
        ? await tx
            .select({ id: offices.id })
            .from(offices)
            .where(and(eq(offices.hodId, h.id), eq(offices.active, true)))
            .orderBy(asc(offices.id))
            .limit(1)
        : [];
      if (!first) continue;
      OFFICE = first.id;
    }
    const AGENCY = c.agencyId ?? 1;
    const departmentId = (await getOfficePlace(tx, OFFICE))?.departmentId;
    const [ddo] = await mastersRepo.ddoCodesForOffice(tx, OFFICE);
    const [line] = await mastersRepo.budgetLinesForOffice(tx, OFFICE);
    if (departmentId === undefined || !ddo || !line) continue;
    const contract = await repo.insertContract(tx, {
      departmentId,
      officeId: OFFICE,
      agencyId: AGENCY,
      contractNo: c.no,
      contractDate: c.date,
      procurementMode: c.mode,
      gemContractNo: c.gemNo ?? '',
      gemBidNo: c.gemBid ?? '',
      isLegacy: isLegacy(c.date),
      status: 'draft',
      createdBy: by,
      createdAt: now,
      updatedAt: now,
    });
    for (const [i, v] of c.versions.entries()) {
      const bytes = demoPdf([
        'Government of Madhya Pradesh, Finance Department',
        `Work order ${c.no} dated ${c.date}${i > 0 ? ` - ${v.kind} (version ${i + 1})` : ''}`,
        v.remark,
        `Period ${v.start} to ${v.end}`,
        'ROAMS demo document',
      ]);
      const saved = await saveUpload(
        tx,
        store,
        {
          bytes,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          sizeBytes: bytes.length,
          mime: 'application/pdf',
          safeName: `${c.no.replace(/\//g, '-')}-v${i + 1}.pdf`,
        },
        by,
        now,
      );
      const created = v.activatedOn ? new Date(`${v.activatedOn}T05:30:00Z`) : now;
      const version = await repo.insertVersion(
        tx,
        {
          contractId: contract.id,
          versionNo: i + 1,
          kind: v.kind,
          state: 'draft',
          startDate: v.start,
          endDate: v.end,
          ddoCodeId: ddo.id,
          paymentMode: 'through_agency',
          wageBasis: 'monthly',
          serviceChargeBp: 385,
          epfMode: 'capped',
          esicApplies: true,
          bonusBp: 833,
          fileId: saved.file.id,
          remark: v.remark,
          createdBy: by,
          createdAt: created,
        },
        [line.id],
        v.posts.map((p) => ({
          officeId: OFFICE,
          skillLevelId: skills.get(p.skill)!,
          postNameId: posts.get(p.post)!,
          positions: p.positions,
          basicPaise: p.basic,
          vdaPaise: p.vda,
        })),
      );
      if (v.activatedOn) {
        if (i > 0) await repo.supersede(tx, contract.id);
        await repo.bringInForce(tx, version.id, by ?? 1, new Date(`${v.activatedOn}T06:00:00Z`));
        await repo.updateContract(tx, contract.id, { status: 'active' });
      }
    }
  }
}
