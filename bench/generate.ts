import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../server/db/client.ts';
import { meta } from '../server/db/meta.table.ts';
import { DEMO_DEPARTMENTS, DEMO_POST_NAMES, DEMO_SKILL_LEVELS } from '../server/db/seed/demo.ts';
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
} from '../server/modules/org/org.table.ts';
import { roleAssignments, users } from '../server/platform/auth/auth.table.ts';
import { hashPassword } from '../server/platform/auth/password.ts';

/**
 * The state-scale generator for the organisation masters (spec 11, "Speed and scale"): 55 real
 * districts with a treasury each, ~60 departments with their HODs, ~12,000 offices, ~11,000 DDO
 * codes (the other offices draw through a DDO of the same HOD and district), budget lines and
 * their office mapping, and ~20,000 users with ~22,000 role assignments spread the way a state
 * is: a few very large offices (directorates), a couple of hundred mid-sized ones, and a long
 * tail of one-user offices. Deterministic (no randomness): the same options give the same rows.
 *
 * Rows go in as multi-row INSERTs of up to `BATCH` rows inside one transaction. Every generated
 * user has the same password (one argon2id hash, computed once): hashing 20,000 passwords would
 * take minutes and buys nothing — the login benchmark pays one verification per request either
 * way. The database is marked `demo_data`, so a production start refuses it.
 */

export const BENCH_PASSWORD = 'Bench@Roams2026!';
export const BENCH_ADMIN = 'bench_state_admin';
/** A state-scope Finance administrator: the audit search (audit.read) is theirs and the auditors'. */
export const BENCH_FINANCE = 'bench_state_finance';

export type GenerateOptions = {
  offices?: number;
  ddoCodes?: number;
  departments?: number;
  users?: number;
  /** A precomputed argon2id hash of the password (tests); otherwise BENCH_PASSWORD is hashed. */
  passwordHash?: string;
  /** The "now" of the dataset (ended assignments are dated a month before). */
  now?: Date;
};

export type GenerateReport = {
  counts: Record<string, number>;
  ms: number;
  adminUsername: string;
  financeUsername: string;
  /** Usernames of active users (each can log in with BENCH_PASSWORD). */
  loginUsernames: string[];
  /** The largest offices (the ones with the most users), largest first. */
  largeOfficeIds: number[];
  /** A surname that occurs in every large office, for search benchmarks. */
  commonSurname: string;
};

export const STATE_SCALE = { offices: 12_000, ddoCodes: 11_000, departments: 60, users: 20_000 } as const;

const BATCH = 2000;
const FIRST = [
  'Ramesh',
  'Sunita',
  'Anil',
  'Kavita',
  'Rajesh',
  'Pooja',
  'Suresh',
  'Neha',
  'Mahesh',
  'Anita',
  'Dinesh',
  'Rekha',
  'Vijay',
  'Seema',
  'Sanjay',
  'Meena',
  'Ashok',
  'Geeta',
  'Manoj',
  'Priya',
  'Rakesh',
  'Usha',
  'Alok',
  'Shobha',
  'Deepak',
  'Lata',
  'Pankaj',
  'Asha',
  'Mukesh',
  'Kiran',
  'Naveen',
];
const LAST = [
  'Sharma',
  'Verma',
  'Patel',
  'Yadav',
  'Tiwari',
  'Mishra',
  'Chouhan',
  'Singh',
  'Dubey',
  'Shukla',
  'Jain',
  'Pandey',
  'Rajput',
  'Kushwaha',
  'Thakur',
  'Soni',
  'Gupta',
  'Saxena',
  'Malviya',
  'Ahirwar',
  'Dwivedi',
  'Tripathi',
  'Meena',
];
const DESIGNATIONS = [
  'Assistant Grade 3',
  'Assistant Grade 2',
  'Section Officer',
  'Accountant',
  'Data Entry Operator',
  'Deputy Director',
  'Assistant Director',
  'Office Superintendent',
  'Stenographer',
  'Block Officer',
];
const MAJOR_HEADS = [
  '2052',
  '2054',
  '2202',
  '2210',
  '2055',
  '2029',
  '2217',
  '2515',
  '2235',
  '2059',
  '2225',
  '2401',
  '2403',
  '2406',
  '2701',
  '2851',
  '3451',
  '2070',
];

function* chunks<T>(rows: T[], size = BATCH): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function insertAll<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (const c of chunks(rows)) await insert(c);
}

/** Which office (by index) the i-th user sits in: 20 % in the largest few, 28.5 % in mid-sized ones, the rest spread one by one. */
export function officeIndexForUser(i: number, nUsers: number, nOffices: number, nLarge: number, nMid: number): number {
  const rest = nOffices - nLarge - nMid;
  if (i < nUsers * 0.2 || rest <= 0) return i % nLarge;
  if (i < nUsers * 0.485) return nLarge + (i % nMid);
  return nLarge + nMid + (i % rest);
}

/**
 * Fills an empty, migrated database with the organisation masters and users at the given scale
 * (state scale by default). Refuses a database that already has districts.
 */
export async function generateOrgMasters(db: Db, options: GenerateOptions = {}): Promise<GenerateReport> {
  const started = performance.now();
  const nOffices = options.offices ?? STATE_SCALE.offices;
  const nDdo = options.ddoCodes ?? STATE_SCALE.ddoCodes;
  const nDepts = options.departments ?? STATE_SCALE.departments;
  const nUsers = options.users ?? STATE_SCALE.users;
  const now = options.now ?? new Date();
  const passwordHash = options.passwordHash ?? (await hashPassword(BENCH_PASSWORD));

  const [existing] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from districts`)).rows;
  if ((existing?.n ?? 0) > 0) throw new Error('generateOrgMasters needs an empty database (districts already exist)');

  const report = await db.transaction(async (tx) => {
    await tx.insert(stateSettings).values({ nameEn: 'Madhya Pradesh', nameHi: 'मध्यप्रदेश', gstStateCode: '23', currentFyStart: 2026 });
    await tx.insert(skillLevels).values(DEMO_SKILL_LEVELS);
    await tx.insert(postNames).values(DEMO_POST_NAMES);

    // Districts (the real 55) and one treasury in each.
    const csv = parse(readFileSync(new URL('../server/db/seed/mp-districts.csv', import.meta.url)), { columns: true, skip_empty_lines: true }) as {
      name_en: string;
      name_hi: string;
    }[];
    const ds = await tx
      .insert(districts)
      .values(csv.map((r, i) => ({ code: String(i + 1).padStart(2, '0'), nameEn: r.name_en, nameHi: r.name_hi })))
      .returning({ id: districts.id, code: districts.code, nameEn: districts.nameEn, nameHi: districts.nameHi });
    const trs = await tx
      .insert(treasuries)
      .values(ds.map((d) => ({ code: `T${d.code}`, nameEn: `District Treasury ${d.nameEn}`, nameHi: `जिला कोषालय ${d.nameHi}`, districtId: d.id })))
      .returning({ id: treasuries.id, districtId: treasuries.districtId });
    const treasuryOf = new Map(trs.map((t) => [t.districtId, t.id]));
    const bhopal = ds.find((d) => d.nameEn === 'Bhopal') ?? ds[0]!;

    // Departments: the demo's real ones first, then numbered ones; 1-4 HODs each.
    const deptRows: { code: string; nameEn: string; nameHi: string }[] = [];
    const hodSpecs: { deptIndex: number; code: string; nameEn: string; nameHi: string }[] = [];
    for (let d = 0; d < nDepts; d++) {
      const real = DEMO_DEPARTMENTS[d];
      if (real) {
        deptRows.push({ code: real.code, nameEn: real.en, nameHi: real.hi });
        for (const h of real.hods) hodSpecs.push({ deptIndex: d, code: h.code, nameEn: h.en, nameHi: h.hi });
      } else {
        const n = String(d + 1).padStart(2, '0');
        deptRows.push({ code: `D${n}`, nameEn: `Department No. ${n}`, nameHi: `विभाग क्रमांक ${n}` });
        for (let h = 0; h < 1 + (d % 4); h++)
          hodSpecs.push({
            deptIndex: d,
            code: `D${n}-H${h + 1}`,
            nameEn: `Directorate ${h + 1}, Department No. ${n}`,
            nameHi: `संचालनालय ${h + 1}, विभाग क्रमांक ${n}`,
          });
      }
    }
    const deps = await tx.insert(departments).values(deptRows).returning({ id: departments.id });
    const hodRows = await tx
      .insert(hods)
      .values(hodSpecs.map((h) => ({ departmentId: deps[h.deptIndex]!.id, code: h.code, nameEn: h.nameEn, nameHi: h.nameHi })))
      .returning({ id: hods.id, departmentId: hods.departmentId, nameEn: hods.nameEn, nameHi: hods.nameHi });
    const nHods = hodRows.length;
    if (nOffices < nHods) throw new Error(`need at least ${nHods} offices (one head office per HOD)`);
    if (nDdo < nHods || nDdo > nOffices) throw new Error(`DDO codes must be between ${nHods} and ${nOffices}`);

    // Budget lines: two per department (head office, district offices).
    const blRows = deps.flatMap((dep, d) => [
      {
        demandNo: String(d + 1).padStart(2, '0'),
        majorHead: MAJOR_HEADS[d % MAJOR_HEADS.length]!,
        subMajorHead: '00',
        minorHead: '001',
        subHead: '0101',
        detailedHead: '31',
        objectHead: '007',
        schemeNameEn: `${deptRows[d]!.nameEn} — establishment (outsourced services)`,
        schemeNameHi: `${deptRows[d]!.nameHi} — स्थापना (आउटसोर्स सेवाएँ)`,
        departmentId: dep.id,
      },
      {
        demandNo: String(d + 1).padStart(2, '0'),
        majorHead: MAJOR_HEADS[d % MAJOR_HEADS.length]!,
        subMajorHead: '00',
        minorHead: '800',
        subHead: '0102',
        detailedHead: '31',
        objectHead: '008',
        schemeNameEn: `${deptRows[d]!.nameEn} — district offices (outsourced services)`,
        schemeNameHi: `${deptRows[d]!.nameHi} — जिला कार्यालय (आउटसोर्स सेवाएँ)`,
        departmentId: dep.id,
      },
    ]);
    const bls = await tx
      .insert(budgetLines)
      .values(blRows)
      .returning({ id: budgetLines.id, departmentId: budgetLines.departmentId, minorHead: budgetLines.minorHead });
    const blOf = new Map(bls.map((b) => [`${b.departmentId}:${b.minorHead}`, b.id]));

    // Offices: index k < nHods is HOD k's head office in Bhopal; the rest go round the HODs and
    // the districts. Ids are the state's numeric ids (given, not generated): 1000 + k.
    type OfficeRow = typeof offices.$inferInsert & { id: number; districtId: number; hodId: number; departmentId: number };
    const officeRows: OfficeRow[] = [];
    const seqInPlace = new Map<string, number>();
    for (let k = 0; k < nOffices; k++) {
      const hod = hodRows[k % nHods]!;
      const head = k < nHods;
      const dist = head ? bhopal : ds[Math.floor(k / nHods) % ds.length]!;
      const key = `${hod.id}:${dist.id}`;
      const seq = (seqInPlace.get(key) ?? 0) + 1;
      seqInPlace.set(key, seq);
      officeRows.push({
        id: 1000 + k,
        hodId: hod.id,
        departmentId: hod.departmentId,
        nameEn: head ? hod.nameEn : `${hod.nameEn}, ${dist.nameEn} office ${seq}`,
        nameHi: head ? hod.nameHi : `${hod.nameHi}, ${dist.nameHi} कार्यालय ${seq}`,
        districtId: dist.id,
        treasuryId: treasuryOf.get(dist.id)!,
        address: dist.nameEn,
        phone: `07${String(k % 100).padStart(2, '0')}-${String(2_500_000 + k).slice(-7)}`,
      });
    }
    await insertAll(officeRows, (c) => tx.insert(offices).values(c));

    // DDO codes: offices 0 .. nDdo-1 have their own; each of the others draws through the DDO of
    // an office of the same HOD (same district when there is one).
    const ddoRows = officeRows.slice(0, nDdo).map((o, k) => ({
      code: `${String(ds.findIndex((d) => d.id === o.districtId) + 1).padStart(2, '0')}${String(k + 1).padStart(5, '0')}`,
      designationEn: `Drawing & Disbursing Officer, ${o.nameEn}`,
      designationHi: `आहरण एवं संवितरण अधिकारी, ${o.nameHi}`,
      officeId: o.id,
      treasuryId: o.treasuryId!,
    }));
    const ddoIds: number[] = [];
    for (const c of chunks(ddoRows)) ddoIds.push(...(await tx.insert(ddoCodes).values(c).returning({ id: ddoCodes.id })).map((r) => r.id));
    const drawingOffice = (k: number) => {
      if (k < nDdo) return k;
      const sameDistrict = k - nHods * ds.length;
      return sameDistrict >= nHods && sameDistrict < nDdo ? sameDistrict : k % nHods;
    };
    const ddoOfOffice = (k: number) => ddoIds[drawingOffice(k)]!;
    await insertAll(
      officeRows.map((o, k) => ({ ddoCodeId: ddoOfOffice(k), officeId: o.id })),
      (c) => tx.insert(ddoOfficeMap).values(c),
    );
    await insertAll(
      officeRows.map((o, k) => ({ budgetLineId: blOf.get(`${o.departmentId}:${k < nHods ? '001' : '800'}`)!, officeId: o.id })),
      (c) => tx.insert(budgetLineMap).values(c),
    );

    // Users and their role assignments.
    const nLarge = Math.max(1, Math.round(nOffices / 1200));
    const nMid = Math.max(1, Math.min(nOffices - nLarge, Math.round((nOffices * 190) / 12000)));
    const monthAgo = new Date(now.getTime() - 30 * 86400_000);
    const userRows: (typeof users.$inferInsert)[] = [];
    const loginUsernames: string[] = [];
    for (let i = 0; i < nUsers; i++) {
      const username = `bench${String(i + 1).padStart(5, '0')}`;
      const inactive = i % 33 === 32;
      userRows.push({
        username,
        name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
        employeeId: `E${String(100000 + i)}`,
        mobile: `7${String(i + 1).padStart(9, '0')}`,
        officePhone: i % 3 === 0 ? `0755-${String(2_000_000 + i).slice(-7)}` : '',
        passwordHash,
        mustChangePassword: false,
        status: inactive ? 'inactive' : 'active',
        locale: i % 4 === 0 ? 'en' : 'hi',
        createdAt: monthAgo,
        updatedAt: monthAgo,
        passwordChangedAt: monthAgo,
      });
      if (!inactive) loginUsernames.push(username);
    }
    userRows.push({
      username: BENCH_ADMIN,
      name: 'Bench State Office Admin',
      employeeId: 'E099999',
      mobile: '6000000000',
      passwordHash,
      mustChangePassword: false,
      status: 'active',
      locale: 'en',
    });
    userRows.push({
      username: BENCH_FINANCE,
      name: 'Bench State Finance Admin',
      employeeId: 'E099998',
      mobile: '6000000001',
      passwordHash,
      mustChangePassword: false,
      status: 'active',
      locale: 'en',
    });
    const userIds: number[] = [];
    for (const c of chunks(userRows)) userIds.push(...(await tx.insert(users).values(c).returning({ id: users.id })).map((r) => r.id));

    const raRows: (typeof roleAssignments.$inferInsert)[] = [];
    for (let i = 0; i < nUsers; i++) {
      const k = officeIndexForUser(i, nUsers, nOffices, nLarge, nMid);
      const o = officeRows[k]!;
      const base = {
        userId: userIds[i]!,
        officeId: o.id,
        designation: DESIGNATIONS[i % DESIGNATIONS.length]!,
        officialEmail: i % 2 === 0 ? `${userRows[i]!.username}@mp.gov.in` : '',
        emailUpdatedAt: i % 2 === 0 ? monthAgo : null,
        createdAt: monthAgo,
      };
      if (i % 20 === 1) raRows.push({ ...base, role: 'ddo', scopeKind: 'ddo', scopeId: ddoOfOffice(k) });
      else if (i % 20 === 2) raRows.push({ ...base, role: 'office_admin', scopeKind: 'office', scopeId: o.id });
      else if (i % 97 === 3) raRows.push({ ...base, role: 'auditor', scopeKind: 'department', scopeId: o.departmentId });
      else raRows.push({ ...base, role: 'department_manager', scopeKind: 'office', scopeId: o.id });
      // One user in ten also works (or worked: half of those are ended) in a second office.
      if (i % 10 === 0) {
        const o2 = officeRows[(k + 1 + ((i * 7919) % (nOffices - 1))) % nOffices]!;
        const ended = i % 20 === 10;
        raRows.push({
          userId: userIds[i]!,
          officeId: o2.id,
          role: 'department_manager',
          scopeKind: 'office',
          scopeId: o2.id,
          designation: 'Additional charge',
          createdAt: monthAgo,
          active: !ended,
          endedAt: ended ? now : null,
        });
      }
    }
    raRows.push({
      userId: userIds[nUsers]!,
      officeId: officeRows[0]!.id,
      role: 'office_admin',
      scopeKind: 'state',
      scopeId: 0,
      designation: 'OfficeAdmin- StateUser',
      createdAt: monthAgo,
    });
    raRows.push({
      userId: userIds[nUsers + 1]!,
      officeId: officeRows[0]!.id,
      role: 'finance_admin',
      scopeKind: 'state',
      scopeId: 0,
      designation: 'Finance- StateUser',
      createdAt: monthAgo,
    });
    await insertAll(raRows, (c) => tx.insert(roleAssignments).values(c));

    await tx.insert(meta).values({ key: 'demo_data', value: sql`'{"source":"bench"}'::jsonb` });

    return {
      adminUsername: BENCH_ADMIN,
      financeUsername: BENCH_FINANCE,
      loginUsernames,
      largeOfficeIds: officeRows.slice(0, nLarge).map((o) => o.id),
      commonSurname: LAST[0]!,
    };
  });
  // What autovacuum would do shortly after a bulk load (PGlite has no autovacuum): fresh statistics.
  await db.execute(sql`analyze`);
  return { ...report, counts: await countRows(db), ms: Math.round(performance.now() - started) };
}

export const COUNTED_TABLES = [
  'districts',
  'treasuries',
  'departments',
  'hods',
  'offices',
  'ddo_codes',
  'ddo_office_map',
  'budget_lines',
  'budget_line_map',
  'users',
  'role_assignments',
] as const;

export async function countRows(db: Db | Tx): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of COUNTED_TABLES) {
    const [r] = (await db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from "${t}"`))).rows;
    counts[t] = r?.n ?? 0;
  }
  return counts;
}
