import { sql } from 'drizzle-orm';
import type { Db } from '../server/db/client.ts';
import { agencies } from '../server/modules/agency/agency.table.ts';
import { contractPosts, contracts, contractVersionBudgetLines, contractVersions } from '../server/modules/contract/contract.table.ts';
import { minimumWages } from '../server/modules/rates/rates.table.ts';
import { sanctionOrders, sanctionPostOffices, sanctionPosts } from '../server/modules/sanction/sanction.table.ts';
import { storedFiles } from '../server/platform/files/files.table.ts';

/**
 * The state-scale generator for agencies and contracts (issue 4), run after generateOrgMasters:
 * the 1 Oct 2025 minimum wages, one locked sanction order per department whose posts give every
 * office of every HOD 40 positions on each of three (skill level, post name) lines, ~2,000
 * agencies (valid PAN / GSTIN with its check character; 90 % verified, some pending, suspended
 * and blacklisted) and ~5,000 contracts of verified agencies with an in-force version of one or
 * two post lines of 30–40 positions inside the sanctioned capacity. Deterministic. Rows are inserted directly (the
 * service's checks are what the benchmark measures, not what builds its data), in the order the
 * database guards allow: posts while the order / version is a draft, then lock / bring in force.
 */

export const CONTRACT_SCALE = { agencies: 2_000, contracts: 5_000 } as const;
const BATCH = 2000;
const B36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** GSTIN check character (the published mod-36 algorithm) of the first 14 characters. */
export function gstinCheckChar(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const p = B36.indexOf(first14[i]!) * (i % 2 ? 2 : 1);
    sum += Math.floor(p / 36) + (p % 36);
  }
  return B36[(36 - (sum % 36)) % 36]!;
}

const TYPES = [
  { type: 'private_company', letter: 'C' },
  { type: 'firm', letter: 'F' },
  { type: 'proprietor', letter: 'P' },
  { type: 'society', letter: 'A' },
] as const;

/** The i-th generated PAN: 3 series letters, the holder-type letter, a name letter, 4 digits, a letter; unique for i < 260,000. */
export function benchPan(i: number): { pan: string; type: (typeof TYPES)[number]['type'] } {
  const t = TYPES[i % TYPES.length]!;
  const n = Math.floor(i / TYPES.length);
  return {
    pan: `A${LETTERS[n % 26]}${LETTERS[Math.floor(n / 26) % 26]}${t.letter}B${String(i % 10000).padStart(4, '0')}${LETTERS[Math.floor(i / 10000) % 26]}`,
    type: t.type,
  };
}

function* chunks<T>(rows: T[], size = BATCH): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

export type ContractGenReport = {
  agencies: number;
  contracts: number;
  contractPosts: number;
  sanctionPostOffices: number;
  ms: number;
  largestDepartmentId: number;
};

export async function generateAgenciesContracts(db: Db, opts: { agencies?: number; contracts?: number } = {}): Promise<ContractGenReport> {
  const started = performance.now();
  const nAgencies = opts.agencies ?? CONTRACT_SCALE.agencies;
  const nContracts = opts.contracts ?? CONTRACT_SCALE.contracts;
  const out = await db.transaction(async (tx) => {
    const skills = (await tx.execute<{ id: number; code: string }>(sql`select id, code from skill_levels order by sort_order`)).rows;
    const posts = (await tx.execute<{ id: number; code: string }>(sql`select id, code from post_names order by id`)).rows;
    const skill = (c: string) => skills.find((s) => s.code === c)!.id;
    const post = (c: string) => posts.find((p) => p.code === c)!.id;
    const MIN = {
      unskilled: [957_500, 257_500],
      semi_skilled: [1_057_100, 257_500],
      skilled: [1_229_400, 257_500],
      highly_skilled: [1_391_900, 257_500],
    } as const;
    await tx.insert(minimumWages).values(
      Object.entries(MIN).map(([code, [basic, vda]]) => ({
        skillLevelId: skill(code),
        effectiveFrom: '2025-10-01',
        basicPaise: basic,
        vdaPaise: vda,
        notificationRef: 'MP Labour Department, minimum wages from 1 Oct 2025 (bench)',
      })),
    );
    // The three sanctioned lines every office gets, with the wage contracts pay on them.
    const LINES = [
      { skillLevelId: skill('unskilled'), postNameId: post('peon'), basic: 1_000_000, vda: 257_500 },
      { skillLevelId: skill('skilled'), postNameId: post('deo'), basic: 1_250_000, vda: 257_500 },
      { skillLevelId: skill('semi_skilled'), postNameId: post('driver'), basic: 1_100_000, vda: 257_500 },
    ];
    // 40 a line: room for the ~200,000 resources of generate-resources.ts (≈ 27 a contract line).
    const PER_OFFICE = 40;

    const [file] = await tx
      .insert(storedFiles)
      .values({ sha256: 'b'.repeat(64), sizeBytes: 1024, mime: 'application/pdf', originalName: 'bench-order.pdf', storageKey: `bb/${'b'.repeat(64)}` })
      .returning({ id: storedFiles.id });
    const [admin] = (await tx.execute<{ id: number }>(sql`select id from users order by id limit 1`)).rows;
    const depts = (await tx.execute<{ id: number }>(sql`select id from departments order by id`)).rows;
    const hodsOf = (await tx.execute<{ id: number; department_id: number }>(sql`select id, department_id from hods order by id`)).rows;
    const officesOf = (await tx.execute<{ id: number; hod_id: number; department_id: number }>(sql`select id, hod_id, department_id from offices order by id`))
      .rows;
    const byHod = new Map<number, number[]>();
    for (const o of officesOf) byHod.set(o.hod_id, [...(byHod.get(o.hod_id) ?? []), o.id]);

    let spo = 0;
    for (const d of depts) {
      const [order] = await tx
        .insert(sanctionOrders)
        .values({
          departmentId: d.id,
          orderNo: `BENCH/${d.id}/2026`,
          orderDate: '2026-03-15',
          issuingOfficerName: 'Bench Officer',
          issuingOfficerDesignation: 'Secretary',
          fileId: file!.id,
        })
        .returning({ id: sanctionOrders.id });
      for (const h of hodsOf.filter((x) => x.department_id === d.id)) {
        const offs = byHod.get(h.id) ?? [];
        if (!offs.length) continue;
        const sp = await tx
          .insert(sanctionPosts)
          .values(
            LINES.map((l) => ({ orderId: order!.id, hodId: h.id, skillLevelId: l.skillLevelId, postNameId: l.postNameId, total: offs.length * PER_OFFICE })),
          )
          .returning({ id: sanctionPosts.id });
        const rows = sp.flatMap((p) => offs.map((officeId) => ({ postId: p.id, officeId, posts: PER_OFFICE })));
        for (const c of chunks(rows)) await tx.insert(sanctionPostOffices).values(c);
        spo += rows.length;
      }
      await tx
        .update(sanctionOrders)
        .set({ lockedAt: new Date('2026-03-20T06:00:00Z'), lockedBy: admin!.id })
        .where(sql`${sanctionOrders.id} = ${order!.id}`);
    }

    // Agencies: every 20th pending, every 50th suspended, every 97th blacklisted, the rest verified.
    const districtIds = (await tx.execute<{ id: number }>(sql`select id from districts order by id`)).rows.map((r) => r.id);
    const agencyRows: (typeof agencies.$inferInsert)[] = [];
    for (let i = 0; i < nAgencies; i++) {
      const { pan, type } = benchPan(i);
      const g14 = `23${pan}1Z`;
      const status = i % 97 === 5 ? 'blacklisted' : i % 50 === 7 ? 'suspended' : i % 20 === 3 ? 'pending' : 'verified';
      agencyRows.push({
        legalName: `Bench Manpower Agency ${String(i + 1).padStart(4, '0')}`,
        type,
        pan,
        gstin: g14 + gstinCheckChar(g14),
        epfoCode: `MPBPL${String(i).padStart(7, '0')}000`,
        esicCode: `18${String(i).padStart(15, '0')}`,
        licenceNo: `CLRA/BENCH/${i + 1}`,
        licenceWorkmen: 200 + (i % 5) * 100,
        licenceValidTo: i % 40 === 9 ? '2026-12-10' : '2027-12-31',
        address: `Plot ${i + 1}, Industrial Area`,
        districtId: districtIds[i % districtIds.length]!,
        contactName: `Contact ${i + 1}`,
        mobile: `8${String(i + 1).padStart(9, '0')}`,
        email: `agency${i + 1}@bench.example.in`,
        bankAccount: String(30_000_000_000 + i),
        ifsc: 'SBIN0001308',
        status,
        registeredVia: i % 3 ? 'self' : 'department',
        ...(status === 'blacklisted' || status === 'suspended'
          ? { statusReason: 'Bench', statusOrderRef: `BENCH/BL/${i}`, statusFrom: '2026-06-01', statusTo: '2027-05-31' }
          : {}),
      });
    }
    const agencyIds: { id: number; status: string }[] = [];
    for (const c of chunks(agencyRows)) agencyIds.push(...(await tx.insert(agencies).values(c).returning({ id: agencies.id, status: agencies.status })));
    const verified = agencyIds.filter((a) => a.status === 'verified').map((a) => a.id);

    // Contracts: round the offices (so each office has at most one contract per line while
    // nContracts ≤ offices), the contracting office's DDO code and budget line, 1–2 lines.
    const ddoOf = new Map(
      (await tx.execute<{ office_id: number; ddo_code_id: number }>(sql`select office_id, ddo_code_id from ddo_office_map`)).rows.map((r) => [
        r.office_id,
        r.ddo_code_id,
      ]),
    );
    const blOf = new Map(
      (await tx.execute<{ office_id: number; budget_line_id: number }>(sql`select office_id, budget_line_id from budget_line_map`)).rows.map((r) => [
        r.office_id,
        r.budget_line_id,
      ]),
    );
    const cRows: (typeof contracts.$inferInsert)[] = [];
    for (let i = 0; i < nContracts; i++) {
      const o = officesOf[(i * 7) % officesOf.length]!;
      const gem = i % 3 !== 2;
      const legacy = i % 5 === 0;
      const date = legacy ? `2025-${String(1 + (i % 12)).padStart(2, '0')}-15` : `2026-${String(4 + (i % 7)).padStart(2, '0')}-10`;
      cRows.push({
        departmentId: o.department_id,
        officeId: o.id,
        agencyId: verified[i % verified.length]!,
        contractNo: `BENCH/${o.id}/${i + 1}`,
        contractDate: date,
        procurementMode: gem ? 'gem' : 'open_tender',
        gemContractNo: gem ? `GEMC-5116877${String(i).padStart(8, '0')}` : '',
        gemBidNo: gem ? `GEM/2026/B/${6_000_000 + i}` : '',
        isLegacy: legacy,
        status: 'active',
      });
    }
    const cIds: { id: number; officeId: number; contractDate: string }[] = [];
    for (const c of chunks(cRows))
      cIds.push(...(await tx.insert(contracts).values(c).returning({ id: contracts.id, officeId: contracts.officeId, contractDate: contracts.contractDate })));
    const vRows = cIds.map((c, i) => ({
      contractId: c.id,
      versionNo: 1,
      kind: 'original' as const,
      state: 'draft' as const,
      startDate: c.contractDate,
      endDate: i % 11 === 4 ? '2026-12-31' : '2027-03-31',
      ddoCodeId: ddoOf.get(c.officeId)!,
      paymentMode: i % 4 === 0 ? ('direct' as const) : ('through_agency' as const),
      wageBasis: i % 6 === 0 ? ('daily' as const) : ('monthly' as const),
      serviceChargeBp: 200 + (i % 300),
      epfMode: 'capped' as const,
      esicApplies: true,
      bonusBp: i % 2 ? 833 : 0,
    }));
    const vIds: number[] = [];
    for (const c of chunks(vRows)) vIds.push(...(await tx.insert(contractVersions).values(c).returning({ id: contractVersions.id })).map((r) => r.id));
    const pRows: (typeof contractPosts.$inferInsert)[] = [];
    const blRows: (typeof contractVersionBudgetLines.$inferInsert)[] = [];
    cIds.forEach((c, i) => {
      const lines = i % 2 ? [LINES[i % 3]!, LINES[(i + 1) % 3]!] : [LINES[i % 3]!];
      for (const l of lines)
        pRows.push({
          versionId: vIds[i]!,
          officeId: c.officeId,
          skillLevelId: l.skillLevelId,
          postNameId: l.postNameId,
          positions: 30 + (i % 3) * 5,
          basicPaise: l.basic,
          vdaPaise: l.vda,
        });
      blRows.push({ versionId: vIds[i]!, budgetLineId: blOf.get(c.officeId)! });
    });
    for (const c of chunks(pRows)) await tx.insert(contractPosts).values(c);
    for (const c of chunks(blRows)) await tx.insert(contractVersionBudgetLines).values(c);
    await tx.execute(sql`update contract_versions set state = 'in_force', activated_at = created_at where state = 'draft' and version_no = 1`);

    const [big] = (
      await tx.execute<{ department_id: number }>(sql`select department_id from contracts group by department_id order by count(*) desc, department_id limit 1`)
    ).rows;
    return {
      agencies: agencyIds.length,
      contracts: cIds.length,
      contractPosts: pRows.length,
      sanctionPostOffices: spo,
      largestDepartmentId: big?.department_id ?? 0,
    };
  });
  await db.execute(sql`analyze`);
  return { ...out, ms: Math.round(performance.now() - started) };
}
