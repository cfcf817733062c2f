import { asc, eq } from 'drizzle-orm';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { budgetLines, departments, districts, treasuries } from '../org/index.ts';
import * as pdRepo from './pd.repo.ts';
import { entriesFor } from './pd.rules.ts';
import { pdAccounts, pdContinuations, pdLines } from './pd.table.ts';
import * as repo from './pd.year.repo.ts';
import { fyEndOf, fyOf } from './pd.year.ts';

const RUPEE = 100;

/**
 * Demo of the PD year-end (issue 18 item 5), appended after pd.demo.ts (its ids are unchanged):
 * at the Bhopal treasury, numbered PD<treasury>09xx so the opening piece's generator (max serial
 * + 1) never meets them —
 *   0901 a consolidated-fund account that lapsed at the close of the last financial year (a run
 *        by the job, its line's balance back to the service head, the account closed);
 *   0902 an other account closed as dormant at the close of 2024-25 (idle since February 2021,
 *        its balance credited to government);
 *   0903 an other account idle since June 2023: a dormant candidate at the close of the current
 *        year, whose second line holds budget money parked by challan (flagged for transfer back);
 * and Finance's continuation of account 1 for the current financial year.
 */
export async function seedPdYearDemo(tx: DbOrTx, now: Date): Promise<void> {
  const [finance] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'finance_admin'));
  const [checker] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'treasury_bhopal'));
  if (!finance || !checker) return;
  const [bhopal] = await tx
    .select({ id: treasuries.id, code: treasuries.code })
    .from(treasuries)
    .innerJoin(districts, eq(districts.id, treasuries.districtId))
    .where(eq(districts.nameEn, 'Bhopal'));
  const [fin] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.code, 'FIN'));
  if (!bhopal || !fin) return;
  const [finA, finB] = await tx.select().from(budgetLines).where(eq(budgetLines.departmentId, fin.id)).orderBy(asc(budgetLines.id));
  const fy = fyOf(todayIst(now));
  const lastFy = fy - 1;

  const account = async (serial: number, source: 'consolidated' | 'other', createdOn: string, en: string, hi: string) =>
    (
      await tx
        .insert(pdAccounts)
        .values({
          accountNo: `PD${bhopal.code}${String(serial).padStart(4, '0')}`,
          source,
          treasuryId: bhopal.id,
          departmentId: fin.id,
          nameEn: en,
          nameHi: hi,
          administratorEn: 'Collector, Bhopal',
          administratorHi: 'कलेक्टर, भोपाल',
          createdAt: new Date(`${createdOn}T10:00:00+05:30`),
        })
        .returning()
    )[0]!;
  const line = async (accountId: number, budgetLineId: number | null, en: string, hi: string) =>
    (await tx.insert(pdLines).values({ accountId, budgetLineId, purposeEn: en, purposeHi: hi }).returning())[0]!;
  const deposit = (accountId: number, lineId: number, rupees: number, reference: string, valueDate: string) =>
    pdRepo.post(tx, { accountId, lineId, kind: 'deposit', reference, valueDate, createdBy: checker.id, createdAt: now }, entriesFor('deposit', rupees * RUPEE));
  /** What a year-end run does to an account with nothing reserved (pd.year.ts closeOne), as the job would have done it. */
  const close = async (runFy: number, accountId: number, lineIds: number[], kind: 'lapse' | 'dormant', dormantYears: number) => {
    const runId = await repo.insertRun(tx, { fy: runFy, startedBy: 'job', runBy: null, dormantYears, at: new Date(`${runFy + 1}-04-01T00:30:00+05:30`) });
    const postingKind = kind === 'lapse' ? 'lapse' : 'unclaimed';
    for (const lineId of lineIds) {
      const [l] = await tx.select().from(pdLines).where(eq(pdLines.id, lineId));
      const amount = Number(l!.availablePaise);
      const postingId =
        amount > 0
          ? await pdRepo.post(
              tx,
              {
                accountId,
                lineId,
                kind: postingKind,
                reference: kind === 'lapse' ? `Lapse ${runFy}` : 'Unclaimed',
                valueDate: fyEndOf(runFy),
                createdBy: null,
                createdAt: now,
              },
              entriesFor(postingKind, amount),
            )
          : null;
      await repo.insertClosing(tx, { runId, fy: runFy, accountId, lineId, outcome: postingKind, amountPaise: amount, postingId });
    }
    await repo.closeAccount(tx, accountId, fyEndOf(runFy), kind);
    await repo.finishRun(tx, runId, new Date(`${runFy + 1}-04-01T00:31:00+05:30`));
  };

  const lapsed = await account(
    901,
    'consolidated',
    `${lastFy}-04-15`,
    'Director, Treasuries and Accounts — training scheme deposits',
    'संचालक, कोष एवं लेखा — प्रशिक्षण योजना निक्षेप',
  );
  const lapsedLine = await line(lapsed.id, finA!.id, finA!.schemeNameEn, finA!.schemeNameHi);
  await deposit(lapsed.id, lapsedLine.id, 340_000, `BT ${lastFy}/FIN/212`, `${lastFy}-05-06`);
  await close(lastFy, lapsed.id, [lapsedLine.id], 'lapse', 3);

  const dormant = await account(902, 'other', '2020-01-10', 'Collector, Bhopal — census 2021 deposits', 'कलेक्टर, भोपाल — जनगणना 2021 निक्षेप');
  const dormantLine = await line(dormant.id, null, 'Census honorarium', 'जनगणना मानदेय');
  await deposit(dormant.id, dormantLine.id, 45_000, 'Challan 1187/2021', '2021-02-01');
  await close(2024, dormant.id, [dormantLine.id], 'dormant', 3);

  const idle = await account(
    903,
    'other',
    '2022-01-05',
    'Superintendent, Central Jail Bhopal — prisoners’ wages',
    'अधीक्षक, केंद्रीय जेल भोपाल — बंदियों का पारिश्रमिक',
  );
  const wages = await line(idle.id, null, 'Prisoners’ wages', 'बंदियों का पारिश्रमिक');
  const parked = await line(idle.id, finB!.id, finB!.schemeNameEn, finB!.schemeNameHi);
  await deposit(idle.id, wages.id, 12_500, 'Challan 2231/2023', '2023-06-01');
  await deposit(idle.id, parked.id, 20_000, 'Challan 2232/2023', '2023-06-01');

  await tx.insert(pdContinuations).values({
    accountId: 1,
    fy,
    orderNo: `F-11-${fy}/PD/4`,
    orderDate: `${fy}-04-02`,
    recordedBy: finance.id,
    recordedAt: now,
  });
}
