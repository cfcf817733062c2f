import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.ts';
import { meta } from '../meta.table.ts';
import {
  budgetLineMap,
  budgetLines,
  ddoCodes,
  ddoOfficeMap,
  departments,
  districts,
  hods,
  offices,
  postNames,
  skillLevels,
  stateSettings,
  treasuries,
} from '../../modules/org/org.table.ts';
import { roleAssignments, users } from '../../platform/auth/auth.table.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { localFileStore } from '../../platform/files/files.ts';
import { MODULES } from '../../modules/registry.ts';

/**
 * The demo dataset: real Madhya Pradesh districts, a dozen real departments with directorates,
 * a few hundred offices with DDO codes and budget lines, and a user for every role. Loaded only
 * in demo/test mode (config refuses SEED_DEMO in production) and marked in `meta` so that a
 * production start refuses a database that holds it.
 */

type Dept = { code: string; en: string; hi: string; demand: string; major: string; hods: { code: string; en: string; hi: string; districtOffices: boolean }[] };

export const DEMO_DEPARTMENTS: Dept[] = [
  {
    code: 'GAD',
    en: 'General Administration Department',
    hi: 'सामान्य प्रशासन विभाग',
    demand: '01',
    major: '2052',
    hods: [
      { code: 'GAD-SEC', en: 'Secretariat, General Administration', hi: 'सचिवालय, सामान्य प्रशासन', districtOffices: false },
      { code: 'GAD-ATI', en: 'R.C.V.P. Noronha Academy of Administration', hi: 'आर.सी.वी.पी. नरोन्हा प्रशासन अकादमी', districtOffices: false },
    ],
  },
  {
    code: 'FIN',
    en: 'Finance Department',
    hi: 'वित्त विभाग',
    demand: '06',
    major: '2054',
    hods: [
      { code: 'FIN-CIF', en: 'Commissioner, Institutional Finance, Bhopal', hi: 'आयुक्त, संस्थागत वित्त, भोपाल', districtOffices: false },
      { code: 'FIN-DTA', en: 'Directorate of Treasuries and Accounts', hi: 'कोष एवं लेखा संचालनालय', districtOffices: true },
    ],
  },
  {
    code: 'SED',
    en: 'School Education Department',
    hi: 'स्कूल शिक्षा विभाग',
    demand: '27',
    major: '2202',
    hods: [
      { code: 'SED-DPI', en: 'Directorate of Public Instruction', hi: 'लोक शिक्षण संचालनालय', districtOffices: true },
      { code: 'SED-RSK', en: 'Rajya Shiksha Kendra', hi: 'राज्य शिक्षा केन्द्र', districtOffices: false },
    ],
  },
  {
    code: 'PHFW',
    en: 'Public Health and Family Welfare Department',
    hi: 'लोक स्वास्थ्य एवं परिवार कल्याण विभाग',
    demand: '19',
    major: '2210',
    hods: [{ code: 'PHFW-DHS', en: 'Directorate of Health Services', hi: 'संचालनालय स्वास्थ्य सेवाएं', districtOffices: true }],
  },
  {
    code: 'HOME',
    en: 'Home Department',
    hi: 'गृह विभाग',
    demand: '03',
    major: '2055',
    hods: [
      { code: 'HOME-PHQ', en: 'Police Headquarters', hi: 'पुलिस मुख्यालय', districtOffices: true },
      { code: 'HOME-JAIL', en: 'Directorate of Jails', hi: 'जेल संचालनालय', districtOffices: false },
    ],
  },
  {
    code: 'REV',
    en: 'Revenue Department',
    hi: 'राजस्व विभाग',
    demand: '08',
    major: '2029',
    hods: [{ code: 'REV-CLR', en: 'Commissioner, Land Records', hi: 'आयुक्त, भू-अभिलेख', districtOffices: true }],
  },
  {
    code: 'UDH',
    en: 'Urban Development and Housing Department',
    hi: 'नगरीय विकास एवं आवास विभाग',
    demand: '22',
    major: '2217',
    hods: [{ code: 'UDH-CUDA', en: 'Commissioner, Urban Administration and Development', hi: 'आयुक्त, नगरीय प्रशासन एवं विकास', districtOffices: false }],
  },
  {
    code: 'PRD',
    en: 'Panchayat and Rural Development Department',
    hi: 'पंचायत एवं ग्रामीण विकास विभाग',
    demand: '30',
    major: '2515',
    hods: [{ code: 'PRD-CPR', en: 'Commissioner, Panchayat Raj', hi: 'आयुक्त, पंचायत राज', districtOffices: true }],
  },
  {
    code: 'WCD',
    en: 'Women and Child Development Department',
    hi: 'महिला एवं बाल विकास विभाग',
    demand: '55',
    major: '2235',
    hods: [{ code: 'WCD-DIR', en: 'Directorate of Women and Child Development', hi: 'संचालनालय महिला एवं बाल विकास', districtOffices: true }],
  },
  {
    code: 'HED',
    en: 'Higher Education Department',
    hi: 'उच्च शिक्षा विभाग',
    demand: '44',
    major: '2202',
    hods: [{ code: 'HED-CHE', en: 'Commissioner, Higher Education', hi: 'आयुक्त, उच्च शिक्षा', districtOffices: false }],
  },
  {
    code: 'PWD',
    en: 'Public Works Department',
    hi: 'लोक निर्माण विभाग',
    demand: '24',
    major: '2059',
    hods: [{ code: 'PWD-ENC', en: 'Engineer-in-Chief, Public Works', hi: 'प्रमुख अभियंता, लोक निर्माण', districtOffices: false }],
  },
  {
    code: 'TAD',
    en: 'Tribal Affairs Department',
    hi: 'जनजातीय कार्य विभाग',
    demand: '41',
    major: '2225',
    hods: [{ code: 'TAD-COM', en: 'Commissioner, Tribal Development', hi: 'आयुक्त, जनजातीय विकास', districtOffices: false }],
  },
];

export const DEMO_SKILL_LEVELS = [
  { code: 'unskilled', nameEn: 'Unskilled', nameHi: 'अकुशल', sortOrder: 1 },
  { code: 'semi_skilled', nameEn: 'Semi-skilled', nameHi: 'अर्द्धकुशल', sortOrder: 2 },
  { code: 'skilled', nameEn: 'Skilled', nameHi: 'कुशल', sortOrder: 3 },
  { code: 'highly_skilled', nameEn: 'High Skilled', nameHi: 'उच्च कुशल', sortOrder: 4 },
];

export const DEMO_POST_NAMES = [
  { code: 'accountant', nameEn: 'Accountant', nameHi: 'लेखापाल' },
  { code: 'deo', nameEn: 'Data Entry Operator', nameHi: 'डाटा एंट्री ऑपरेटर' },
  { code: 'driver', nameEn: 'Driver', nameHi: 'वाहन चालक' },
  { code: 'peon', nameEn: 'Peon / Multi-tasking staff', nameHi: 'भृत्य / मल्टी-टास्किंग स्टाफ' },
  { code: 'guard', nameEn: 'Security Guard', nameHi: 'सुरक्षा गार्ड' },
  { code: 'sweeper', nameEn: 'Sweeper', nameHi: 'सफाईकर्मी' },
  { code: 'programmer', nameEn: 'Programmer', nameHi: 'प्रोग्रामर' },
  { code: 'stenographer', nameEn: 'Stenographer', nameHi: 'स्टेनोग्राफर' },
];

/** The demo logins the README lists (all share DEMO_PASSWORD). */
export const DEMO_USERS = [
  { username: 'finance_admin', name: 'Finance Administrator', mobile: '9876500001', role: 'finance_admin', scope: 'state' },
  { username: 'officeadmin_state', name: 'State Office Admin', mobile: '9876543210', role: 'office_admin', scope: 'state' },
  { username: 'officeadmin_fin', name: 'Finance Office Admin', mobile: '9876500003', role: 'office_admin', scope: 'dept:FIN' },
  { username: 'dm_bhopal', name: 'Ramesh Sharma', mobile: '9876500004', role: 'department_manager', scope: 'office:79' },
  { username: 'ddo_bhopal', name: 'Sunita Verma', mobile: '9876500005', role: 'ddo', scope: 'ddo:79' },
  { username: 'agency_admin', name: 'Narmada Manpower Services', mobile: '9876500006', role: 'agency_admin', scope: 'agency:1' },
  { username: 'treasury_bhopal', name: 'Treasury Officer Bhopal', mobile: '9876500007', role: 'treasury_officer', scope: 'treasury:Bhopal' },
  { username: 'pd_admin', name: 'PD Account Administrator', mobile: '9876500008', role: 'pd_admin', scope: 'pd:1' },
  { username: 'auditor_state', name: 'State Auditor', mobile: '9876500009', role: 'auditor', scope: 'state' },
  // Keeps Bhopal district's local holidays (issue 15 item 4); shown under office 79 (in Bhopal).
  { username: 'districtadmin_bhopal', name: 'District Admin Bhopal', mobile: '9876500012', role: 'district_admin', scope: 'district:Bhopal' },
  { username: 'firstlogin_demo', name: 'New Office User', mobile: '9876500010', role: 'department_manager', scope: 'office:4881' },
] as const;

const csvPath = (f: string) => new URL(`./${f}`, import.meta.url);

export async function isDemoSeeded(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select().from(meta).where(eq(meta.key, 'demo_data'));
  return Boolean(row);
}

export async function seedDemo(db: Db, opts: { password: string; districtOfficeLimit?: number; filesDir?: string }): Promise<void> {
  const passwordHash = await hashPassword(opts.password);
  await db.transaction(async (tx) => {
    await tx.insert(stateSettings).values({
      nameEn: 'Madhya Pradesh',
      nameHi: 'मध्यप्रदेश',
      gstStateCode: '23',
      currentFyStart: 2026,
      helpEmail: 'eservices@mp.gov.in',
      helpPhone: '0755-2551000',
    });

    const rows = parse(readFileSync(csvPath('mp-districts.csv')), { columns: true, skip_empty_lines: true }) as { name_en: string; name_hi: string }[];
    const ds = await tx
      .insert(districts)
      .values(rows.map((r, i) => ({ code: String(i + 1).padStart(2, '0'), nameEn: r.name_en, nameHi: r.name_hi })))
      .returning();
    const trs = await tx
      .insert(treasuries)
      .values(ds.map((d) => ({ code: `T${d.code}`, nameEn: `District Treasury ${d.nameEn}`, nameHi: `जिला कोषालय ${d.nameHi}`, districtId: d.id })))
      .returning();
    const bhopal = ds.find((d) => d.nameEn === 'Bhopal')!;
    const treasuryOf = (districtId: number) => trs.find((t) => t.districtId === districtId)!;
    await tx.insert(skillLevels).values(DEMO_SKILL_LEVELS);
    await tx.insert(postNames).values(DEMO_POST_NAMES);

    // Offices: each directorate has a head office in Bhopal; those that run district offices
    // have one in each of the first N districts (alphabetical), for a few hundred in all.
    // The manual's own ids: 79 and 4881 (Institutional Finance), 4889 (GAD).
    const fixedIds: Record<string, number> = { 'FIN-CIF': 79, 'GAD-SEC': 4889 };
    let nextId = 5001;
    let ddoSeq = 1;
    const limit = opts.districtOfficeLimit ?? 24;
    const deptIds: Record<string, number> = {};
    for (const d of DEMO_DEPARTMENTS) {
      const [dept] = await tx.insert(departments).values({ code: d.code, nameEn: d.en, nameHi: d.hi }).returning();
      deptIds[d.code] = dept!.id;
      const [bl1, bl2] = await tx
        .insert(budgetLines)
        .values([
          {
            demandNo: d.demand,
            majorHead: d.major,
            subMajorHead: '00',
            minorHead: '001',
            subHead: '0101',
            detailedHead: '31',
            objectHead: '007',
            schemeNameEn: `${d.en} — establishment (outsourced services)`,
            schemeNameHi: `${d.hi} — स्थापना (आउटसोर्स सेवाएँ)`,
            departmentId: dept!.id,
          },
          {
            demandNo: d.demand,
            majorHead: d.major,
            subMajorHead: '00',
            minorHead: '800',
            subHead: '0102',
            detailedHead: '31',
            objectHead: '008',
            schemeNameEn: `${d.en} — district offices (outsourced services)`,
            schemeNameHi: `${d.hi} — जिला कार्यालय (आउटसोर्स सेवाएँ)`,
            departmentId: dept!.id,
          },
        ])
        .returning();
      for (const h of d.hods) {
        const [hod] = await tx.insert(hods).values({ departmentId: dept!.id, code: h.code, nameEn: h.en, nameHi: h.hi }).returning();
        const officeRows: (typeof offices.$inferInsert)[] = [
          {
            id: fixedIds[h.code] ?? nextId++,
            hodId: hod!.id,
            departmentId: dept!.id,
            nameEn: h.code === 'GAD-SEC' ? d.en : h.en,
            nameHi: h.code === 'GAD-SEC' ? d.hi : h.hi,
            districtId: bhopal.id,
            treasuryId: treasuryOf(bhopal.id).id,
            address: 'Bhopal',
            phone: '0755-2550000',
          },
        ];
        if (h.code === 'FIN-CIF') {
          officeRows.push({
            id: 4881,
            hodId: hod!.id,
            departmentId: dept!.id,
            nameEn: 'AD Directorate of Institutional Finance Bhopal',
            nameHi: 'सहायक संचालक, संस्थागत वित्त संचालनालय भोपाल',
            districtId: bhopal.id,
            treasuryId: treasuryOf(bhopal.id).id,
            address: 'Bhopal',
            phone: '0755-2550001',
          });
        }
        if (h.districtOffices) {
          for (const dist of ds.slice(0, limit)) {
            officeRows.push({
              id: nextId++,
              hodId: hod!.id,
              departmentId: dept!.id,
              nameEn: `${h.en}, District Office ${dist.nameEn}`,
              nameHi: `${h.hi}, जिला कार्यालय ${dist.nameHi}`,
              districtId: dist.id,
              treasuryId: treasuryOf(dist.id).id,
              address: dist.nameEn,
              phone: '',
            });
          }
        }
        const inserted = await tx.insert(offices).values(officeRows).returning();
        // Every office draws through a DDO of its own, except 4881, which draws through 79's.
        const ddoRows = inserted
          .filter((o) => o.id !== 4881)
          .map((o) => ({
            code: `${String(o.districtId).padStart(2, '0')}${String(ddoSeq++).padStart(5, '0')}`,
            designationEn: `Drawing & Disbursing Officer, ${o.nameEn}`,
            designationHi: `आहरण एवं संवितरण अधिकारी, ${o.nameHi}`,
            officeId: o.id,
            treasuryId: o.treasuryId!,
          }));
        const ddoInserted = await tx.insert(ddoCodes).values(ddoRows).returning();
        const mapRows = ddoInserted.map((x) => ({ ddoCodeId: x.id, officeId: x.officeId }));
        const ddo79 = ddoInserted.find((x) => x.officeId === 79);
        if (ddo79) mapRows.push({ ddoCodeId: ddo79.id, officeId: 4881 });
        await tx.insert(ddoOfficeMap).values(mapRows);
        await tx.insert(budgetLineMap).values(inserted.map((o) => ({ budgetLineId: o.districtId === bhopal.id ? bl1!.id : bl2!.id, officeId: o.id })));
      }
    }

    const [ddo79] = await tx.select().from(ddoCodes).where(eq(ddoCodes.officeId, 79));
    const bhopalTreasury = treasuryOf(bhopal.id);
    const scopeOf = (s: string): { scopeKind: string; scopeId: number; officeId: number | null } => {
      if (s === 'state') return { scopeKind: 'state', scopeId: 0, officeId: 4889 };
      const [k, v] = s.split(':') as [string, string];
      if (k === 'dept') return { scopeKind: 'department', scopeId: deptIds[v]!, officeId: 79 };
      if (k === 'office') return { scopeKind: 'office', scopeId: Number(v), officeId: Number(v) };
      if (k === 'ddo') return { scopeKind: 'ddo', scopeId: ddo79!.id, officeId: 79 };
      if (k === 'treasury') return { scopeKind: 'treasury', scopeId: bhopalTreasury.id, officeId: null };
      if (k === 'agency') return { scopeKind: 'agency', scopeId: Number(v), officeId: null };
      if (k === 'district') return { scopeKind: 'district', scopeId: ds.find((d) => d.nameEn === v)!.id, officeId: 79 };
      return { scopeKind: 'pd_account', scopeId: Number(v), officeId: null };
    };
    for (const [i, u] of DEMO_USERS.entries()) {
      const [user] = await tx
        .insert(users)
        .values({
          username: u.username,
          name: u.name,
          mobile: u.mobile,
          employeeId: String(2000 + i),
          passwordHash,
          mustChangePassword: u.username === 'firstlogin_demo',
          locale: 'hi',
        })
        .returning();
      await tx.insert(roleAssignments).values({
        userId: user!.id,
        role: u.role,
        ...scopeOf(u.scope),
        designation: u.role === 'office_admin' && u.scope === 'state' ? 'OfficeAdmin- StateUser' : '',
      });
      // One user with two assignments, to show the role / office switcher.
      if (u.username === 'dm_bhopal')
        await tx.insert(roleAssignments).values({ userId: user!.id, role: 'department_manager', scopeKind: 'office', scopeId: 4881, officeId: 4881 });
    }

    // Each module's demo data, in registry order: sanction orders (their PDFs through the file
    // store, FILES_DIR, as the app uses), agencies (verified, pending, blacklisted), minimum wages
    // from 1 Oct 2025, then contracts of office 79 with agency 1.
    const env = { files: localFileStore(opts.filesDir ?? process.env.FILES_DIR ?? './data/files'), now: new Date() };
    for (const m of MODULES) await m.seedDemo?.(tx, env);

    await tx.insert(meta).values({ key: 'demo_data', value: sql`'true'::jsonb` });
    await recordAudit(tx, { actor: null, ip: '' }, { entity: 'system', action: 'demo_data_loaded' });
  });
}
