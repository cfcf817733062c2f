import { asc, eq } from 'drizzle-orm';
import { todayIst } from '../../../shared/domain/dates.ts';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../platform/auth/auth.table.ts';
import { insertApprovedAdvice } from './pd.adv.repo.ts';
import * as repo from './pd.repo.ts';
import { entriesFor } from './pd.rules.ts';
import { pdLines } from './pd.table.ts';

const RUPEE = 100;

/**
 * Demo for the PD reports (runs after seedPdDemo; appends only). The base demo dates its
 * e-cheques today; this adds a last month the reports can show in full, so the administrator's
 * monthly account and the Bhopal treasury's 8443-106 account and AG list are not empty:
 * on account 2 (other than consolidated fund) a challan deposit, a deposit recorded in error and
 * its reversal, and two e-cheques passed; on account 1 a book-transfer deposit and one passed
 * book-transfer e-cheque. Prepared (reserved) and returned e-cheques come from the base demo.
 * No prepared e-cheque is added: the treasury worklist stays as the base demo leaves it.
 */
export async function seedPdRepDemo(tx: DbOrTx, now: Date): Promise<void> {
  const [maker] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'pd_admin'));
  const [checker] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'treasury_bhopal'));
  if (!maker || !checker) return;
  const linesOf = (accountId: number) => tx.select().from(pdLines).where(eq(pdLines.accountId, accountId)).orderBy(asc(pdLines.id));
  const [l1, l2] = await linesOf(1);
  const [l3] = await linesOf(2);
  if (!l1 || !l2 || !l3) return;

  // Last calendar month (IST), day `d`.
  const today = todayIst(now);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const last = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const day = (d: number) => `${last}-${String(d).padStart(2, '0')}`;
  const at = (d: number) => new Date(`${day(d)}T11:00:00+05:30`);

  const deposit = (accountId: number, lineId: number, rupees: number, reference: string, d: number) =>
    repo.post(
      tx,
      { accountId, lineId, kind: 'deposit', reference, valueDate: day(d), createdBy: checker.id, createdAt: at(d) },
      entriesFor('deposit', rupees * RUPEE),
    );
  const passed = async (
    accountId: number,
    lineId: number,
    rupees: number,
    payee: { name: string; accountNo?: string; ifsc?: string; head?: string },
    d: number,
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
      idempotencyKey: `demo-rep-${key}`,
      requestHash: 'demo',
      preparedBy: maker.id,
      preparedAt: at(d - 1),
    });
    const base = { accountId, lineId, echequeId: e.id, reference: `e-cheque ${e.id}` };
    await repo.post(
      tx,
      { ...base, kind: 'echeque_prepared', valueDate: day(d - 1), createdBy: maker.id, createdAt: at(d - 1) },
      entriesFor('echeque_prepared', amount),
    );
    // The treasury decides only e-cheques of an approved advice (migration 0035).
    await insertApprovedAdvice(tx, { accountId, echequeIds: [e.id], by: maker.id, now: at(d - 1), key: `demo-rep-advice-${key}` });
    await repo.decideEcheque(tx, e.id, { state: 'passed', decidedBy: checker.id, decidedAt: at(d) });
    await repo.post(tx, { ...base, kind: 'echeque_passed', valueDate: day(d), createdBy: checker.id, createdAt: at(d) }, entriesFor('echeque_passed', amount));
  };

  await deposit(2, l3.id, 300_000, 'Challan 6120/2026', 5);
  const wrong = await deposit(2, l3.id, 25_000, 'Challan 6133/2026', 7);
  const { entries } = await repo.entriesOfPosting(tx, wrong);
  await repo.post(
    tx,
    {
      accountId: 2,
      lineId: l3.id,
      kind: 'reversal',
      reversesId: wrong,
      reference: 'Reversal of Challan 6133/2026: credited to the wrong account',
      valueDate: day(8),
      createdBy: checker.id,
      createdAt: at(8),
    },
    entries.map((x) => ({ ledgerAccount: x.ledgerAccount, amountPaise: -Number(x.amountPaise) })).sort((a, b) => a.amountPaise - b.amountPaise),
  );
  await passed(2, l3.id, 412_500, { name: 'Ramesh Kumar Patel (land owner)', accountNo: '20118765432101', ifsc: 'SBIN0001308' }, 12, 'a2-1');
  await passed(2, l3.id, 187_250, { name: 'Sunita Bai (land owner)', accountNo: '33012345678', ifsc: 'CBIN0281234' }, 20, 'a2-2');
  await deposit(1, l2.id, 400_000, 'BT 2026/FIN/088', 3);
  await passed(1, l2.id, 95_000, { name: 'Treasury Bhopal (refund to revenue)', head: '0070-60-800' }, 18, 'a1-rep-1');
}
