import { asc, eq } from 'drizzle-orm';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { budgetLines, departments, districts, treasuries } from '../org/index.ts';
import { insertApprovedAdvice } from './pd.adv.repo.ts';
import * as repo from './pd.repo.ts';
import { entriesFor } from './pd.rules.ts';
import { pdAccounts, pdLines } from './pd.table.ts';

const RUPEE = 100;

/**
 * Demo PD accounts (issue 18 item 7), so the PD administrator (`pd_admin`, scope PD account 1)
 * and the Bhopal treasury officer each see a working desk:
 * 1. a consolidated-fund account of the Finance Department at the Bhopal treasury with two budget
 *    lines, deposits by book transfer, and e-cheques prepared, passed and returned (each decided
 *    one through an approved advice; pd.adv.demo.ts adds the vendor master and more advices);
 * 2. an other-than-consolidated account at Bhopal (land-acquisition compensation, donations),
 *    deposits by challan;
 * 3. a School Education account at the Indore treasury, outside every below-state demo user's
 *    scope (the authorisation matrix's foreign record; its e-cheque is e-cheque 1).
 * The demo has one PD administrator login, so it is recorded as the maker of every demo e-cheque.
 */
export async function seedPdDemo(tx: DbOrTx, now: Date): Promise<void> {
  const treasuryIn = async (district: string) => {
    const [t] = await tx
      .select({ id: treasuries.id, code: treasuries.code })
      .from(treasuries)
      .innerJoin(districts, eq(districts.id, treasuries.districtId))
      .where(eq(districts.nameEn, district));
    return t!;
  };
  const dept = async (code: string) => (await tx.select({ id: departments.id }).from(departments).where(eq(departments.code, code)))[0]!.id;
  const linesOfDept = (id: number) => tx.select().from(budgetLines).where(eq(budgetLines.departmentId, id)).orderBy(asc(budgetLines.id));
  const [maker] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'pd_admin'));
  const [checker] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'treasury_bhopal'));
  if (!maker || !checker) return;
  const bhopal = await treasuryIn('Bhopal');
  const indore = await treasuryIn('Indore');
  const fin = await dept('FIN');
  const sed = await dept('SED');
  const [finA, finB] = await linesOfDept(fin);
  const [sedA] = await linesOfDept(sed);

  const account = async (v: Omit<typeof pdAccounts.$inferInsert, 'accountNo'>, seq: number, tCode: string) =>
    (
      await tx
        .insert(pdAccounts)
        .values({ ...v, accountNo: `PD${tCode}${String(seq).padStart(4, '0')}` })
        .returning()
    )[0]!;
  const line = async (accountId: number, budgetLineId: number | null, en: string, hi: string) =>
    (await tx.insert(pdLines).values({ accountId, budgetLineId, purposeEn: en, purposeHi: hi }).returning())[0]!;

  const a1 = await account(
    {
      source: 'consolidated',
      treasuryId: bhopal.id,
      departmentId: fin,
      nameEn: 'Commissioner, Institutional Finance — scheme deposits',
      nameHi: 'आयुक्त, संस्थागत वित्त — योजना निक्षेप',
      administratorEn: 'Joint Commissioner, Institutional Finance, Bhopal',
      administratorHi: 'संयुक्त आयुक्त, संस्थागत वित्त, भोपाल',
    },
    1,
    bhopal.code,
  );
  const a2 = await account(
    {
      source: 'other',
      treasuryId: bhopal.id,
      departmentId: fin,
      nameEn: 'Collector, Bhopal — compensation and donations',
      nameHi: 'कलेक्टर, भोपाल — प्रतिकर एवं दान',
      administratorEn: 'Collector, Bhopal',
      administratorHi: 'कलेक्टर, भोपाल',
    },
    2,
    bhopal.code,
  );
  const a3 = await account(
    {
      source: 'consolidated',
      treasuryId: indore.id,
      departmentId: sed,
      nameEn: 'District Education Officer, Indore — scheme deposits',
      nameHi: 'जिला शिक्षा अधिकारी, इंदौर — योजना निक्षेप',
      administratorEn: 'District Education Officer, Indore',
      administratorHi: 'जिला शिक्षा अधिकारी, इंदौर',
    },
    1,
    indore.code,
  );
  const l1 = await line(a1.id, finA!.id, finA!.schemeNameEn, finA!.schemeNameHi);
  const l2 = await line(a1.id, finB!.id, finB!.schemeNameEn, finB!.schemeNameHi);
  const l3 = await line(a2.id, null, 'Land-acquisition compensation', 'भू-अर्जन प्रतिकर');
  const l4 = await line(a2.id, null, 'Donations', 'दान');
  const l5 = await line(a3.id, sedA!.id, sedA!.schemeNameEn, sedA!.schemeNameHi);

  const today = todayIst(now);
  const deposit = (accountId: number, lineId: number, rupees: number, reference: string, valueDate: string) =>
    repo.post(tx, { accountId, lineId, kind: 'deposit', reference, valueDate, createdBy: checker.id, createdAt: now }, entriesFor('deposit', rupees * RUPEE));
  const echeque = async (
    accountId: number,
    lineId: number,
    rupees: number,
    payee: { name: string; accountNo?: string; ifsc?: string; head?: string },
    end: 'prepared' | 'advised' | 'passed' | 'returned',
    key: string,
  ) => {
    const amount = rupees * RUPEE;
    const e = await repo.insertEcheque(tx, {
      accountId,
      lineId,
      payeeKind: payee.head ? 'book_transfer' : 'vendor',
      payeeName: payee.name,
      payeeAccountNo: payee.accountNo ?? '',
      payeeIfsc: payee.ifsc ?? '',
      headOfAccount: payee.head ?? '',
      amountPaise: amount,
      purpose: '',
      idempotencyKey: `demo-${key}`,
      requestHash: 'demo',
      preparedBy: maker.id,
      preparedAt: now,
    });
    const at = { accountId, lineId, echequeId: e.id, reference: `e-cheque ${e.id}`, valueDate: today, createdBy: maker.id, createdAt: now };
    await repo.post(tx, { ...at, kind: 'echeque_prepared' }, entriesFor('echeque_prepared', amount));
    if (end === 'prepared') return;
    // The treasury sees an e-cheque only through an approved advice (migration 0035).
    await insertApprovedAdvice(tx, { accountId, echequeIds: [e.id], by: maker.id, now, key: `demo-advice-${key}` });
    if (end === 'advised') return;
    await repo.decideEcheque(tx, e.id, {
      state: end,
      decidedBy: checker.id,
      decidedAt: now,
      ...(end === 'returned' ? { returnReason: 'Payee bank details do not match the proof' } : {}),
    });
    const kind = end === 'passed' ? 'echeque_passed' : 'echeque_returned';
    await repo.post(tx, { ...at, kind, createdBy: checker.id }, entriesFor(kind, amount));
  };

  // Account 3 first, so that its e-cheque is e-cheque 1 and its approved advice advice 1 (the matrix fixtures).
  await deposit(a3.id, l5.id, 800_000, 'BT 2026/SED/114', '2026-04-20');
  await echeque(a3.id, l5.id, 40_000, { name: 'Indore Stationers', accountNo: '30214456789', ifsc: 'SBIN0000432' }, 'advised', 'a3-1');

  await deposit(a1.id, l1.id, 5_000_000, 'BT 2026/FIN/031', '2026-04-10');
  await deposit(a1.id, l2.id, 1_200_000, 'BT 2026/FIN/047', '2026-05-02');
  await echeque(a1.id, l1.id, 245_000, { name: 'Narmada Manpower Services', accountNo: '50100234567812', ifsc: 'HDFC0001234' }, 'passed', 'a1-1');
  await echeque(a1.id, l1.id, 82_500, { name: 'Malwa Office Supplies', accountNo: '38112004567', ifsc: 'SBIN0001308' }, 'returned', 'a1-2');
  await echeque(a1.id, l1.id, 118_000, { name: 'Bhopal Printing Works', accountNo: '1234567890123', ifsc: 'PUNB0123400' }, 'prepared', 'a1-3');
  await echeque(a1.id, l2.id, 60_000, { name: 'District Treasury Bhopal', head: '0070-60-800' }, 'prepared', 'a1-4');

  await deposit(a2.id, l3.id, 2_750_000, 'Challan 4471/2026', '2026-06-14');
  await deposit(a2.id, l4.id, 150_000, 'Challan 5102/2026', '2026-08-03');
}
