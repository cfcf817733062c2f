import { asc, eq } from 'drizzle-orm';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { roleAssignments, users } from '../../platform/auth/auth.table.ts';
import type { Ctx } from '../../platform/context.ts';
import { passedEcheques } from './pd.efile.fixtures.ts';
import { scrollHeaderLine, scrollLine } from './pd.efile.rules.ts';
import { generateEfile, importScroll, recordBankersCheque } from './pd.efile.ts';
import { pdAccounts, pdLines } from './pd.table.ts';

const RUPEE = 100;

/**
 * Demo e-files (issue 18 items 4–5), after the PD accounts' demo, so that the Bhopal treasury
 * officer (`treasury_bhopal`) meets every state:
 * 1. e-file 1: the Indore treasury's, awaiting its scroll — the authorisation matrix's foreign
 *    e-file (the demo has no Indore treasury login: it is recorded as made by `finance_admin`
 *    acting for that treasury, and its e-cheque as passed by them);
 * 2. e-file 2 (Bhopal): fully reconciled — two e-cheques discharged by the bank's scroll and one
 *    failed ("account closed") with the banker's cheque that replaced it;
 * 3. e-file 3 (Bhopal): awaiting its scroll;
 * and passed vendor e-cheques awaiting an e-file (the PD accounts' demo's passed e-cheque and one
 * more on the donations line), besides a passed book transfer that never goes to the bank.
 * Everything goes through the e-file services, as the officer would.
 */
export async function seedPdEfileDemo(tx: DbOrTx, now: Date): Promise<void> {
  const db = tx as Db;
  const userId = async (username: string) => (await tx.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]?.id;
  const maker = await userId('pd_admin');
  const checker = await userId('treasury_bhopal');
  const stand = await userId('finance_admin');
  if (!maker || !checker || !stand) return;
  const [assignment] = await tx.select().from(roleAssignments).where(eq(roleAssignments.userId, checker));
  const accounts = await tx.select().from(pdAccounts).orderBy(asc(pdAccounts.id));
  const [a1, a2, a3] = accounts;
  if (!assignment || !a1 || !a2 || !a3) return;
  const linesOf = async (accountId: number) => tx.select().from(pdLines).where(eq(pdLines.accountId, accountId)).orderBy(asc(pdLines.id));
  const [l1] = await linesOf(a1.id);
  const [l3, l4] = await linesOf(a2.id);
  const [l5] = await linesOf(a3.id);
  if (!l1 || !l3 || !l4 || !l5) return;
  const today = todayIst(now);
  const officer = (userIdOf: number, treasuryId: number): Ctx => ({
    actor: { userId: userIdOf, name: 'demo', assignmentId: assignment.id, role: 'treasury_officer', scopeKind: 'treasury', scopeId: treasuryId },
    ip: '127.0.0.1',
    locale: 'en',
    now,
  });
  const bhopal = officer(checker, a1.treasuryId);

  // 1. Indore's e-file, awaiting its scroll (the matrix's foreign record).
  const indoreIds = await passedEcheques(tx, {
    accountId: a3.id,
    lineId: l5.id,
    makerId: maker,
    checkerId: stand,
    now,
    keyPrefix: 'demo-efile-indore',
    payees: [{ name: 'Malwa School Furniture', accountNo: '30998811223', ifsc: 'SBIN0000432', paise: 125_000 * RUPEE }],
  });
  await generateEfile(db, officer(stand, a3.treasuryId), 'demo-efile-indore-1', { echequeIds: indoreIds });

  // 2. Bhopal, fully reconciled: two paid, one failed and replaced by a banker's cheque.
  const reconciled = await passedEcheques(tx, {
    accountId: a1.id,
    lineId: l1.id,
    makerId: maker,
    checkerId: checker,
    now,
    keyPrefix: 'demo-efile-reconciled',
    payees: [
      { name: 'Vindhya Computer Services', accountNo: '50200011223344', ifsc: 'HDFC0001234', paise: 185_000 * RUPEE },
      { name: 'Satpura Training Institute', accountNo: '38114455667', ifsc: 'SBIN0001308', paise: 6_425_050 },
      { name: 'Ramesh Kumar Ahirwar', accountNo: '112233445566', ifsc: 'PUNB0123400', paise: 27_000 * RUPEE },
    ],
  });
  const e2 = await generateEfile(db, bhopal, 'demo-efile-bhopal-1', { echequeIds: reconciled });
  const amounts = new Map(e2.efile.items.map((i) => [i.echeque.id, i.echeque.amountPaise]));
  const row = (id: number, paid: boolean, ref: string) =>
    scrollLine({
      efileNo: e2.efile.fileNo,
      echequeId: id,
      amountPaise: amounts.get(id)!,
      outcome: paid ? 'paid' : 'failed',
      bankRef: ref,
      valueDate: today,
      reason: paid ? '' : 'Beneficiary account closed',
    });
  const [r1, r2, r3] = reconciled as [number, number, number];
  const scroll = scrollHeaderLine() + row(r1, true, 'SBIN626001234567') + row(r2, true, 'SBIN626001234568') + row(r3, false, '');
  await importScroll(db, bhopal, e2.efile.id, { fileName: `${e2.efile.fileNo}-scroll.csv`, contentBase64: Buffer.from(scroll).toString('base64') });
  await recordBankersCheque(db, bhopal, r3, { chequeNo: '604512', chequeDate: today, bankName: 'Punjab National Bank, Bhopal', amountPaise: amounts.get(r3)! });

  // 3. Bhopal, awaiting its scroll.
  const sent = await passedEcheques(tx, {
    accountId: a2.id,
    lineId: l3.id,
    makerId: maker,
    checkerId: checker,
    now,
    keyPrefix: 'demo-efile-sent',
    payees: [
      { name: 'Kamla Bai (land-acquisition award 114/2026)', accountNo: '62001234509', ifsc: 'CBIN0281234', paise: 340_000 * RUPEE },
      { name: 'Harish Patel (land-acquisition award 117/2026)', accountNo: '62001234777', ifsc: 'CBIN0281234', paise: 212_500 * RUPEE },
    ],
  });
  await generateEfile(db, bhopal, 'demo-efile-bhopal-2', { echequeIds: sent });

  // Awaiting an e-file: one more vendor e-cheque (besides the accounts' demo's), and a passed book transfer.
  await passedEcheques(tx, {
    accountId: a2.id,
    lineId: l4.id,
    makerId: maker,
    checkerId: checker,
    now,
    keyPrefix: 'demo-efile-waiting',
    payees: [
      { name: 'Sewa Bharati Relief Trust', accountNo: '918020012345678', ifsc: 'UTIB0000123', paise: 15_000 * RUPEE },
      { name: 'District Treasury Bhopal', head: '0070-60-800', paise: 5_000 * RUPEE },
    ],
  });
}
