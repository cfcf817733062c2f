import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { users, roleAssignments } from '../../platform/auth/auth.table.ts';
import { budgetLines, departments, districts, hods, treasuries } from '../org/index.ts';
import { sha256 } from '../../platform/auth/tokens.ts';
import * as repo from './pd.open.repo.ts';
import { pdProposals } from './pd.open.table.ts';

/**
 * Demo proposals to open PD accounts (issue 18 item 1), appended after the PD demo (pd.demo.ts;
 * its ids are untouched). Proposal 1 is School Education's, its row at the Indore treasury — the
 * authorisation matrix's foreign proposal and row (row 1). The Finance Department's proposals show
 * every state: draft, submitted (for `hod_fin` to recommend), recommended (for `finance_admin`),
 * sanctioned (for `officeadmin_fin` to apply), refused, applied (two rows at Bhopal for
 * `treasury_bhopal` to register: a government office and a non-government society, which gets no
 * login) and registered: a new consolidated-fund account at Bhopal whose administrator's login is
 * its account number, with the demo password not yet changed.
 * Adds the demo user `hod_fin` (office admin at a Finance HOD: the HOD's recommendation), with the
 * demo password (the hash of `officeadmin_fin`'s, which the demo seed set).
 */
export async function seedPdOpenDemo(tx: DbOrTx, now: Date): Promise<void> {
  const [maker] = await tx.select().from(users).where(eq(users.username, 'officeadmin_fin'));
  const [stateAdmin] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'officeadmin_state'));
  const [finance] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'finance_admin'));
  const [treasurer] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'treasury_bhopal'));
  if (!maker || !stateAdmin || !finance || !treasurer) return;
  const dept = async (code: string) => (await tx.select({ id: departments.id }).from(departments).where(eq(departments.code, code)))[0]!.id;
  const treasuryIn = async (district: string) =>
    (
      await tx
        .select({ id: treasuries.id, code: treasuries.code })
        .from(treasuries)
        .innerJoin(districts, eq(districts.id, treasuries.districtId))
        .where(eq(districts.nameEn, district))
    )[0]!;
  const fin = await dept('FIN');
  const sed = await dept('SED');
  const bhopal = await treasuryIn('Bhopal');
  const indore = await treasuryIn('Indore');
  const linesOf = (id: number) => tx.select().from(budgetLines).where(eq(budgetLines.departmentId, id)).orderBy(asc(budgetLines.id));
  const [finA, finB] = await linesOf(fin);
  const [sedA] = await linesOf(sed);
  if (!finA || !finB || !sedA) return;

  // The HOD's recommender: another office admin of the Finance Department, at one of its HODs.
  const [hod] = await tx.select({ id: hods.id }).from(hods).where(eq(hods.departmentId, fin)).orderBy(asc(hods.id)).limit(1);
  const [hodUser] = await tx
    .insert(users)
    .values({
      username: 'hod_fin',
      name: 'Finance HOD Office Admin',
      mobile: '9876500031',
      passwordHash: maker.passwordHash,
      mustChangePassword: false,
      locale: 'hi',
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: users.id });
  await tx.insert(roleAssignments).values({
    userId: hodUser!.id,
    role: 'office_admin',
    scopeKind: hod ? 'hod' : 'department',
    scopeId: hod ? hod.id : fin,
    designation: 'Commissioner, Treasuries and Accounts',
    createdAt: now,
  });

  type Row = Parameters<typeof repo.replaceRows>[2][number];
  const row = (over: Partial<Row> & Pick<Row, 'treasuryId' | 'purpose' | 'lines'>): Row => ({
    institution: 'government',
    administratorDesignation: 'Joint Director, Treasuries and Accounts',
    administratorOffice: 'Directorate of Treasuries and Accounts, Bhopal',
    administratorMobile: '',
    items: 'Scheme funds drawn from the budget lines below by book transfer',
    validityDate: null,
    remark: '',
    ...over,
  });
  const consolidatedRow = (mobile: string, purpose: string) =>
    row({
      treasuryId: bhopal.id,
      administratorMobile: mobile,
      purpose,
      lines: [
        { budgetLineId: finA.id, purpose: finA.schemeNameEn },
        { budgetLineId: finB.id, purpose: finB.schemeNameEn },
      ],
    });
  const at = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const proposal = async (
    departmentId: number,
    createdBy: number,
    hodDesignation: string,
    source: 'consolidated' | 'other',
    rows: Row[],
    set: Partial<typeof pdProposals.$inferInsert>,
  ) => {
    const id = await repo.insertProposal(tx, { departmentId, hodDesignation, source, createdBy, createdAt: at(600), updatedAt: at(60) });
    await repo.replaceRows(tx, id, rows);
    if (set.state) await tx.update(pdProposals).set(set).where(eq(pdProposals.id, id));
    return id;
  };
  const sanction = (no: string) => ({ sanctionNo: no, sanctionDate: '2026-11-02', decidedBy: finance.id, decidedAt: at(300) });
  const recommended = { submittedBy: maker.id, submittedAt: at(500), recommendedBy: hodUser!.id, recommendedAt: at(400) };

  // 1. School Education at Indore: applied, awaiting the Indore treasury (the matrix's foreign proposal and row 1).
  await proposal(
    sed,
    stateAdmin.id,
    'Commissioner, Public Instruction',
    'consolidated',
    [
      row({
        treasuryId: indore.id,
        administratorDesignation: 'District Education Officer',
        administratorOffice: 'Office of the District Education Officer, Indore',
        administratorMobile: '9876500041',
        purpose: 'Free textbooks and uniforms',
        lines: [{ budgetLineId: sedA.id, purpose: sedA.schemeNameEn }],
      }),
    ],
    { state: 'applied', submittedBy: stateAdmin.id, submittedAt: at(500), ...sanction('F-11-01/2026/SED'), appliedBy: stateAdmin.id, appliedAt: at(200) },
  );
  // 2. A draft.
  await proposal(fin, maker.id, 'Commissioner, Treasuries and Accounts', 'consolidated', [consolidatedRow('9876500042', 'Computerisation of treasuries')], {});
  // 3. Submitted: for hod_fin to recommend (officeadmin_fin made it and may not).
  await proposal(
    fin,
    maker.id,
    'Commissioner, Treasuries and Accounts',
    'other',
    [
      row({
        treasuryId: bhopal.id,
        administratorDesignation: 'Superintendent',
        administratorOffice: 'Central Jail, Bhopal',
        administratorMobile: '9876500043',
        purpose: "Prisoners' wages",
        items: "Wages earned by prisoners in the jail's workshops",
        lines: [{ budgetLineId: null, purpose: "Prisoners' wages" }],
      }),
    ],
    { state: 'submitted', submittedBy: maker.id, submittedAt: at(500) },
  );
  // 4. Recommended: for Finance to sanction or refuse.
  await proposal(fin, maker.id, 'Commissioner, Institutional Finance', 'consolidated', [consolidatedRow('9876500044', 'Training of accounts staff')], {
    state: 'recommended',
    ...recommended,
  });
  // 5. Sanctioned: for the department to send the administrator's application to the treasury.
  await proposal(
    fin,
    maker.id,
    'Commissioner, Institutional Finance',
    'other',
    [
      row({
        treasuryId: bhopal.id,
        administratorDesignation: 'Land Acquisition Officer',
        administratorOffice: 'Collectorate, Bhopal',
        administratorMobile: '9876500045',
        purpose: 'Land-acquisition compensation',
        items: 'Compensation deposited by requiring bodies',
        validityDate: '2028-03-31',
        lines: [{ budgetLineId: null, purpose: 'Land-acquisition compensation' }],
      }),
    ],
    { state: 'sanctioned', ...recommended, ...sanction('F-11-05/2026/FIN') },
  );
  // 6. Refused, with Finance's reason.
  await proposal(fin, maker.id, 'Commissioner, Institutional Finance', 'consolidated', [consolidatedRow('9876500046', 'Office furniture')], {
    state: 'refused',
    ...recommended,
    decidedBy: finance.id,
    decidedAt: at(300),
    refusalReason: 'Furniture is bought from the budget directly; a PD account is not needed.',
  });
  // 7. Applied: two rows at Bhopal for treasury_bhopal — a government office and a non-government society (no login).
  await proposal(
    fin,
    maker.id,
    'Commissioner, Institutional Finance',
    'other',
    [
      row({
        treasuryId: bhopal.id,
        administratorDesignation: 'Census Officer',
        administratorOffice: 'District Census Cell, Bhopal',
        administratorMobile: '9876500047',
        purpose: 'Census operations',
        items: 'Grants from the Registrar General for the census',
        lines: [{ budgetLineId: null, purpose: 'Census operations' }],
      }),
      row({
        institution: 'non_government',
        treasuryId: bhopal.id,
        administratorDesignation: 'Secretary',
        administratorOffice: 'Bhopal Red Cross Society',
        purpose: 'Donations for flood relief',
        items: 'Donations from the public',
        lines: [{ budgetLineId: null, purpose: 'Donations' }],
      }),
    ],
    { state: 'applied', ...recommended, ...sanction('F-11-07/2026/FIN'), appliedBy: maker.id, appliedAt: at(200) },
  );
  // 8. Registered: a new consolidated-fund account at Bhopal, its login the account number, password not changed.
  const p8 = await proposal(
    fin,
    maker.id,
    'Commissioner, Treasuries and Accounts',
    'consolidated',
    [consolidatedRow('9876500048', 'Pension revision arrears')],
    {
      state: 'applied',
      ...recommended,
      ...sanction('F-11-08/2026/FIN'),
      appliedBy: maker.id,
      appliedAt: at(200),
    },
  );
  const [r8] = await repo.rowsOf(tx, [p8]);
  const accountNo = await repo.nextAccountNo(
    tx,
    bhopal.id,
    async (no) => (await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${no})`)).length > 0,
  );
  const accountId = await repo.insertAccount(tx, {
    accountNo,
    source: 'consolidated',
    treasuryId: bhopal.id,
    departmentId: fin,
    nameEn: r8!.purpose,
    nameHi: 'पेंशन पुनरीक्षण एरियर्स',
    administratorEn: `${r8!.administratorDesignation}, ${r8!.administratorOffice}`,
    administratorHi: 'संयुक्त संचालक, कोष एवं लेखा संचालनालय, भोपाल',
    createdAt: at(100),
  });
  await repo.insertLines(tx, [
    { accountId, budgetLineId: finA.id, purposeEn: finA.schemeNameEn, purposeHi: finA.schemeNameHi },
    { accountId, budgetLineId: finB.id, purposeEn: finB.schemeNameEn, purposeHi: finB.schemeNameHi },
  ]);
  const [login] = await tx
    .insert(users)
    .values({
      username: accountNo,
      name: r8!.administratorDesignation,
      mobile: r8!.administratorMobile,
      passwordHash: maker.passwordHash,
      mustChangePassword: true,
      passwordChangedAt: at(100),
      createdAt: at(100),
      updatedAt: at(100),
    })
    .returning({ id: users.id });
  await tx.insert(roleAssignments).values({
    userId: login!.id,
    role: 'pd_admin',
    scopeKind: 'pd_account',
    scopeId: accountId,
    designation: r8!.administratorDesignation,
    createdAt: at(100),
  });
  await repo.markRegistered(tx, r8!.id, {
    accountId,
    loginUserId: login!.id,
    passwordIssuedAt: at(100),
    issuedPasswordDigest: sha256(maker.passwordHash),
    registeredBy: treasurer.id,
    registeredAt: at(100),
  });
  await tx.update(pdProposals).set({ state: 'registered' }).where(eq(pdProposals.id, p8));
}
