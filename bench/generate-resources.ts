import { createCipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../server/db/client.ts';
import { type VaultKeyring, vaultKeyring } from '../server/platform/vault/index.ts';
import { verhoeffDigit } from '../shared/domain/aadhaar.ts';
import { BENCH_ADMIN } from './generate.ts';

/**
 * The state-scale generator for resources (issue 14, "Scale and speed"), run after
 * generateAgenciesContracts: ~200,000 outsourced workers under the generated contracts' in-force
 * posts. Deterministic apart from the vault's random reference keys and nonces.
 *  - Each resource sits on one contract post line (office, skill level, post), round the lines;
 *    its status is drawn: ≈ 80 % approved (deployed on that line; never more than the line's
 *    positions — an overflow waits as submitted), 5 % drafts (half before e-KYC), 5 % submitted,
 *    7.5 % relieved with a reason, 2.5 % rejected.
 *  - Everyone past the draft's first steps has a synthetic, Verhoeff-valid Aadhaar number (first
 *    digit 2–8, never UIDAI's 9999 test range the sandbox e-KYC uses) stored in the vault exactly
 *    as vaultPut stores it — AES-256-GCM under the current key with the reference key as
 *    additional data, HMAC-SHA256 lookup hash — but computed here in bulk and inserted 5,000 rows
 *    a statement (vaultPut's per-number look-up and insert would take ~10 minutes).
 *  - One resource in 5,000 shares the previous one's bank account (a possible ghost).
 *  - Users for the list benchmarks: an agency admin for each of the 10 agencies with the most
 *    resources, and a department-scope auditor of the department with the most.
 * Rows are inserted with `json_populate_recordset` (one parameter a batch; both engines).
 */

export const RESOURCE_SCALE = { resources: 200_000 } as const;
const BATCH = 5000;

export type ResourceGenReport = {
  resources: number;
  vault: number;
  byStatus: Record<string, number>;
  ms: number;
  /** Agency admins (password BENCH_PASSWORD) of the agencies with the most resources, most first. */
  agencyUsernames: string[];
  /** A department-scope auditor of the department with the most resources. */
  departmentUsername: string;
  departmentId: number;
  departmentResources: number;
  agencyResources: number[];
  /** Ids of approved resources in that department (the worker page). */
  sampleIds: number[];
  /** A surname and a full mobile number of that department's resources (its searches). */
  commonSurname: string;
  sampleMobile: string;
  sampleLast4: string;
  /** Drafts of the first agency with consent recorded and no number yet (the duplicate-Aadhaar scenario enters one). */
  consentedDraftIds: number[];
  /** The number of an approved resource: entering it on any other draft is refused as already deployed. */
  heldAadhaar: string;
};

const FIRST: [string, string, 'M' | 'F'][] = [
  ['Ramesh', 'रमेश', 'M'],
  ['Sunita', 'सुनीता', 'F'],
  ['Anil', 'अनिल', 'M'],
  ['Kavita', 'कविता', 'F'],
  ['Rajesh', 'राजेश', 'M'],
  ['Pooja', 'पूजा', 'F'],
  ['Suresh', 'सुरेश', 'M'],
  ['Neha', 'नेहा', 'F'],
  ['Mahesh', 'महेश', 'M'],
  ['Anita', 'अनीता', 'F'],
  ['Dinesh', 'दिनेश', 'M'],
  ['Rekha', 'रेखा', 'F'],
  ['Vijay', 'विजय', 'M'],
  ['Seema', 'सीमा', 'F'],
  ['Sanjay', 'संजय', 'M'],
  ['Meena', 'मीना', 'F'],
  ['Ashok', 'अशोक', 'M'],
  ['Geeta', 'गीता', 'F'],
  ['Manoj', 'मनोज', 'M'],
  ['Priya', 'प्रिया', 'F'],
  ['Rakesh', 'राकेश', 'M'],
  ['Usha', 'उषा', 'F'],
  ['Deepak', 'दीपक', 'M'],
  ['Lata', 'लता', 'F'],
  ['Pankaj', 'पंकज', 'M'],
  ['Mukesh', 'मुकेश', 'M'],
  ['Kiran', 'किरण', 'F'],
  ['Naveen', 'नवीन', 'M'],
  ['Santosh', 'संतोष', 'M'],
  ['Rani', 'रानी', 'F'],
  ['Gopal', 'गोपाल', 'M'],
  ['Shanti', 'शांति', 'F'],
];
const LAST: [string, string][] = [
  ['Sharma', 'शर्मा'],
  ['Verma', 'वर्मा'],
  ['Patel', 'पटेल'],
  ['Yadav', 'यादव'],
  ['Tiwari', 'तिवारी'],
  ['Mishra', 'मिश्रा'],
  ['Chouhan', 'चौहान'],
  ['Singh', 'सिंह'],
  ['Dubey', 'दुबे'],
  ['Shukla', 'शुक्ला'],
  ['Jain', 'जैन'],
  ['Pandey', 'पांडे'],
  ['Rajput', 'राजपूत'],
  ['Kushwaha', 'कुशवाहा'],
  ['Thakur', 'ठाकुर'],
  ['Soni', 'सोनी'],
  ['Gupta', 'गुप्ता'],
  ['Saxena', 'सक्सेना'],
  ['Malviya', 'मालवीय'],
  ['Ahirwar', 'अहिरवार'],
  ['Dwivedi', 'द्विवेदी'],
  ['Tripathi', 'त्रिपाठी'],
  ['Meena', 'मीणा'],
  ['Lodhi', 'लोधी'],
  ['Bhil', 'भील'],
  ['Gond', 'गोंड'],
];
const QUALS = ['none', 'primary', 'middle', 'secondary', 'secondary', 'higher_secondary', 'higher_secondary', 'iti', 'diploma', 'graduate', 'postgraduate'];
const REASONS = ['resigned', 'resigned', 'resigned', 'contract_ended', 'terminated', 'absconding', 'deceased', 'other'];

/** The i-th synthetic Aadhaar number: first digit 2–8 (never 9999…), 10 digits of i, the Verhoeff check digit. */
export function benchAadhaar(i: number): string {
  const body = `${2 + (i % 7)}${String(i).padStart(10, '0')}`;
  return body + verhoeffDigit(body);
}

/** vaultPut's sealing (server/platform/vault/vault.ts), in bulk: the same cipher, key, nonce size and additional data. */
function sealRow(number: string, keyring: VaultKeyring) {
  const refKey = randomUUID();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.keys.get(keyring.current)!, iv);
  cipher.setAAD(Buffer.from(refKey));
  const ciphertext = Buffer.concat([cipher.update(number, 'utf8'), cipher.final()]);
  return {
    ref_key: refKey,
    ciphertext: ciphertext.toString('base64'),
    iv: iv.toString('base64'),
    auth_tag: cipher.getAuthTag().toString('base64'),
    key_version: keyring.current,
    hash: createHmac('sha256', keyring.hmacKey).update(number).digest('hex'),
    last4: number.slice(-4),
  };
}

/** A small deterministic PRNG (mulberry32), so runs and engines get the same data. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const RESOURCE_COLS = [
  'agency_id',
  'contract_id',
  'department_id',
  'contract_office_id',
  'office_id',
  'skill_level_id',
  'post_name_id',
  'name_en',
  'name_hi',
  'relation',
  'relative_name',
  'dob',
  'gender',
  'mobile',
  'address',
  'qualification',
  'bank_account',
  'ifsc',
  'uan',
  'esic_ip',
  'status',
  'aadhaar_ref',
  'aadhaar_last4',
  'aadhaar_hash',
  'kyc_status',
  'consent_given_by',
  'consent_at',
  'consent_text_version',
  'consent_language',
  'kyc_name',
  'kyc_dob',
  'kyc_gender',
  'kyc_ref_id',
  'kyc_at',
  'verification_method',
  'submitted_at',
  'joining_date',
  'decided_at',
  'rejection_reason',
  'relieved_on',
  'relieve_reason',
  'relieve_remark',
  'kyc_resolution_remark',
  'alt_remark',
  'created_at',
  'updated_at',
] as const;
const VAULT_COLS = ['ref_key', 'ciphertext', 'iv', 'auth_tag', 'key_version', 'hash', 'last4'] as const;

async function insertJson(db: Db, table: string, cols: readonly string[], rows: Record<string, unknown>[]) {
  const list = sql.raw(cols.join(', '));
  for (let i = 0; i < rows.length; i += BATCH) {
    const json = JSON.stringify(rows.slice(i, i + BATCH));
    await db.execute(sql`insert into ${sql.raw(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.raw(table)}, ${json}::json)`);
  }
}

export async function generateResources(db: Db, opts: { resources?: number; now?: Date; keyring?: VaultKeyring } = {}): Promise<ResourceGenReport> {
  const started = performance.now();
  const n = opts.resources ?? RESOURCE_SCALE.resources;
  const now = (opts.now ?? new Date()).getTime();
  const keyring = opts.keyring ?? vaultKeyring();
  const lines = (
    await db.execute<{
      contract_id: number;
      agency_id: number;
      department_id: number;
      office_id: number;
      skill_level_id: number;
      post_name_id: number;
      positions: number;
      start_date: string;
    }>(sql`
      select c.id as contract_id, c.agency_id, c.department_id, c.office_id, cp.skill_level_id, cp.post_name_id, cp.positions, v.start_date::text as start_date
        from contracts c join contract_versions v on v.contract_id = c.id and v.state = 'in_force'
        join contract_posts cp on cp.version_id = v.id and cp.office_id = c.office_id
       where c.status = 'active' order by c.id, cp.id`)
  ).rows;
  if (!lines.length) throw new Error('generateResources: no in-force contract posts (run generateAgenciesContracts first)');
  const approvedOn = new Array<number>(lines.length).fill(0);
  const rand = rng(14);
  const rows: Record<string, unknown>[] = [];
  const vault: Record<string, unknown>[] = [];
  const byStatus: Record<string, number> = {};
  let heldIndex = -1;
  for (let i = 0; i < n; i++) {
    const li = i % lines.length;
    const l = lines[li]!;
    const s = Math.floor(rand() * 40);
    let status = s < 2 ? 'draft' : s < 4 ? 'submitted' : s < 7 ? 'relieved' : s < 8 ? 'rejected' : 'approved';
    if (status === 'approved' && approvedOn[li]! >= Number(l.positions)) status = 'submitted';
    if (status === 'approved') approvedOn[li]! += 1;
    if (status === 'approved' && heldIndex < 0) heldIndex = i;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const [fe, fh, gender] = FIRST[Math.floor(rand() * FIRST.length)]!;
    const [le, lh] = LAST[Math.floor(rand() * LAST.length)]!;
    const [re] = FIRST.filter((f) => f[2] === 'M')[Math.floor(rand() * 16)]!;
    const start = Date.parse(`${l.start_date}T00:00:00Z`);
    // Recently added drafts and submissions; deployed people from any time since the contract began.
    const createdMs =
      status === 'draft' || status === 'submitted'
        ? now - Math.floor(rand() * 60) * DAY - Math.floor(rand() * DAY)
        : start + Math.floor(rand() * Math.max(1, now - start - 30 * DAY));
    const created = new Date(createdMs).toISOString();
    const kycDone = !(status === 'draft' && s === 0);
    const joining = status === 'approved' || status === 'relieved' ? isoDate(createdMs + 7 * DAY) : null;
    const relievedOn = status === 'relieved' ? isoDate(Math.min(now - DAY, createdMs + (30 + Math.floor(rand() * 300)) * DAY)) : null;
    const dob = isoDate(Date.UTC(1968 + Math.floor(rand() * 37), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)));
    let sealed: ReturnType<typeof sealRow> | null = null;
    if (kycDone) {
      sealed = sealRow(benchAadhaar(i), keyring);
      vault.push(sealed);
    }
    const at = new Date(createdMs + 3_600_000).toISOString();
    rows.push({
      agency_id: l.agency_id,
      contract_id: l.contract_id,
      department_id: l.department_id,
      contract_office_id: l.office_id,
      office_id: joining ? l.office_id : null,
      skill_level_id: l.skill_level_id,
      post_name_id: l.post_name_id,
      name_en: `${fe} ${le}`,
      name_hi: `${fh} ${lh}`,
      relation: gender === 'F' && rand() < 0.4 ? 'spouse' : 'father',
      relative_name: `${re} ${le}`,
      dob,
      gender,
      mobile: `9${String((i * 7919 + 123_457) % 1_000_000_000).padStart(9, '0')}`,
      address: `House ${1 + (i % 400)}, Ward ${1 + (i % 48)}`,
      qualification: QUALS[Math.floor(rand() * QUALS.length)],
      bank_account: String(50_000_000_000 + (i % 5000 === 4999 ? i - 1 : i)),
      ifsc: 'SBIN0001308',
      uan: joining ? String(100_000_000_000 + i) : '',
      esic_ip: joining ? String(3_100_000_000 + i) : '',
      status,
      aadhaar_ref: sealed?.ref_key ?? null,
      aadhaar_last4: sealed?.last4 ?? null,
      aadhaar_hash: sealed?.hash ?? null,
      kyc_status: kycDone ? 'verified' : 'none',
      consent_given_by: kycDone ? `${fe} ${le}` : null,
      consent_at: kycDone ? at : null,
      consent_text_version: kycDone ? 'ekyc-consent-v1' : null,
      consent_language: kycDone ? (i % 3 ? 'hi' : 'en') : null,
      kyc_name: kycDone ? `${fe} ${le}` : null,
      kyc_dob: kycDone ? dob : null,
      kyc_gender: kycDone ? gender : null,
      kyc_ref_id: kycDone ? `BENCHKYC${i}` : null,
      kyc_at: kycDone ? at : null,
      verification_method: kycDone ? 'ekyc_otp' : null,
      submitted_at: status === 'draft' ? null : at,
      joining_date: joining,
      decided_at: status === 'approved' || status === 'relieved' || status === 'rejected' ? new Date(createdMs + 2 * DAY).toISOString() : null,
      rejection_reason: status === 'rejected' ? 'Documents did not match (bench)' : '',
      relieved_on: relievedOn,
      relieve_reason: relievedOn ? REASONS[i % REASONS.length] : null,
      relieve_remark: '',
      kyc_resolution_remark: '',
      alt_remark: '',
      created_at: created,
      updated_at: created,
    });
  }
  await insertJson(db, 'aadhaar_vault', VAULT_COLS, vault);
  await insertJson(db, 'resources', RESOURCE_COLS, rows);
  rows.length = 0;
  vault.length = 0;

  // Users for the list benchmarks, with the bench admin's password hash.
  const [admin] = (await db.execute<{ password_hash: string }>(sql`select password_hash from users where username = ${BENCH_ADMIN}`)).rows;
  const hash =
    admin?.password_hash ?? (await db.execute<{ password_hash: string }>(sql`select password_hash from users order by id limit 1`)).rows[0]!.password_hash;
  const topAgencies = (
    await db.execute<{ agency_id: number; n: number }>(
      sql`select agency_id, count(*)::int as n from resources group by agency_id order by count(*) desc, agency_id limit 10`,
    )
  ).rows;
  const agencyUsernames: string[] = [];
  for (const [k, a] of topAgencies.entries()) {
    const username = `bench_agency_${String(k + 1).padStart(2, '0')}`;
    const [u] = (
      await db.execute<{ id: number }>(sql`insert into users (username, name, mobile, password_hash, must_change_password, locale)
        values (${username}, ${`Bench Agency Admin ${k + 1}`}, ${`61${String(k).padStart(8, '0')}`}, ${hash}, false, 'en') returning id`)
    ).rows;
    await db.execute(sql`insert into role_assignments (user_id, role, scope_kind, scope_id, designation)
      values (${u!.id}, 'agency_admin', 'agency', ${a.agency_id}, 'Proprietor')`);
    agencyUsernames.push(username);
  }
  const consented = (
    await db.execute<{ id: number }>(sql`update resources set kyc_status = 'consented', consent_given_by = name_en, consent_at = now(),
        consent_text_version = 'ekyc-consent-v1', consent_language = 'hi'
      where id in (select id from resources where agency_id = ${topAgencies[0]!.agency_id} and status = 'draft' and kyc_status = 'none' order by id limit 10)
      returning id`)
  ).rows;
  const [dept] = (
    await db.execute<{ department_id: number; n: number }>(
      sql`select department_id, count(*)::int as n from resources group by department_id order by count(*) desc, department_id limit 1`,
    )
  ).rows;
  const departmentUsername = 'bench_dept_auditor';
  const [du] = (
    await db.execute<{ id: number }>(sql`insert into users (username, name, mobile, password_hash, must_change_password, locale)
      values (${departmentUsername}, 'Bench Department Auditor', '6200000000', ${hash}, false, 'en') returning id`)
  ).rows;
  await db.execute(sql`insert into role_assignments (user_id, role, scope_kind, scope_id, designation)
    values (${du!.id}, 'auditor', 'department', ${dept!.department_id}, 'Internal Auditor')`);
  const sample = (
    await db.execute<{ id: number; mobile: string; last4: string; surname: string }>(
      sql`select id, mobile, aadhaar_last4 as last4, split_part(name_en, ' ', 2) as surname from resources
           where department_id = ${dept!.department_id} and status = 'approved' order by id limit 50`,
    )
  ).rows;
  await db.execute(sql`analyze`);
  const counts = (
    await db.execute<{ r: number; v: number }>(sql`select (select count(*)::int from resources) as r, (select count(*)::int from aadhaar_vault) as v`)
  ).rows[0]!;
  return {
    resources: Number(counts.r),
    vault: Number(counts.v),
    byStatus,
    ms: Math.round(performance.now() - started),
    agencyUsernames,
    agencyResources: topAgencies.map((a) => Number(a.n)),
    departmentUsername,
    departmentId: dept!.department_id,
    departmentResources: Number(dept!.n),
    sampleIds: sample.map((x) => x.id),
    commonSurname: sample[0]?.surname ?? 'Sharma',
    sampleMobile: sample[1]?.mobile ?? '',
    sampleLast4: sample[2]?.last4 ?? '',
    consentedDraftIds: consented.map((x) => x.id),
    heldAadhaar: benchAadhaar(heldIndex),
  };
}
