import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { Ctx } from '../../platform/context.ts';
import type { MatrixFixture } from '../../test/matrix-fixtures.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { insertApprovedAdvice } from './pd.adv.repo.ts';
import * as repo from './pd.repo.ts';
import { entriesFor } from './pd.rules.ts';

/**
 * The e-file piece's test kit. `passedEcheques` is the ONE way fixtures, tests and the demo get
 * passed e-cheques (prepared by the maker, passed by the checker, with their ledger postings), so
 * that when advices become the way to the treasury worklist only this function changes.
 *
 * Authorisation-matrix inputs: the demo (pd.efile.demo.ts) makes e-file 1 an e-file of the Indore
 * treasury (account 3's), outside every below-state demo user's scope; e-cheque 1 is account 3's.
 */
/** The demo's pd_admin (who prepares account 1's e-cheques) and treasury_bhopal (who passes them), with the officer's assignment. */
export type EfileActors = { maker: number; checker: number; treasuryId: number; assignment: number };

export async function efileActors(tx: DbOrTx): Promise<EfileActors> {
  const [u] = (
    await tx.execute<{ maker: number; checker: number; treasury_id: number; assignment: number }>(sql`
      select m.id as maker, c.id as checker, a.scope_id as treasury_id, a.id as assignment
        from users m, users c join role_assignments a on a.user_id = c.id
       where m.username = 'pd_admin' and c.username = 'treasury_bhopal' and a.role = 'treasury_officer'`)
  ).rows;
  return { maker: Number(u!.maker), checker: Number(u!.checker), treasuryId: Number(u!.treasury_id), assignment: Number(u!.assignment) };
}

/** The Bhopal treasury officer called from no login (no second factor to bind): for e-files a test only needs to exist. */
export const officerCtx = (ids: EfileActors, now: Date): Ctx => ({
  actor: { userId: ids.checker, name: 'Officer', assignmentId: ids.assignment, role: 'treasury_officer', scopeKind: 'treasury', scopeId: ids.treasuryId },
  ip: '',
  locale: 'en',
  now,
});

export type PayeeSpec = { name: string; paise: number } & ({ accountNo: string; ifsc: string } | { head: string });

export async function passedEcheques(
  tx: DbOrTx,
  o: { accountId: number; lineId: number; makerId: number; checkerId: number; now: Date; keyPrefix: string; payees: readonly PayeeSpec[] },
): Promise<number[]> {
  const ids: number[] = [];
  const valueDate = todayIst(o.now);
  for (const [i, p] of o.payees.entries()) {
    const e = await repo.insertEcheque(tx, {
      accountId: o.accountId,
      lineId: o.lineId,
      payeeKind: 'head' in p ? 'book_transfer' : 'vendor',
      payeeName: p.name,
      payeeAccountNo: 'head' in p ? '' : p.accountNo,
      payeeIfsc: 'head' in p ? '' : p.ifsc,
      headOfAccount: 'head' in p ? p.head : '',
      amountPaise: p.paise,
      purpose: '',
      idempotencyKey: `${o.keyPrefix}-${i + 1}`,
      requestHash: 'fixture',
      preparedBy: o.makerId,
      preparedAt: o.now,
    });
    const at = { accountId: o.accountId, lineId: o.lineId, echequeId: e.id, reference: `e-cheque ${e.id}`, valueDate, createdAt: o.now };
    await repo.post(tx, { ...at, kind: 'echeque_prepared', createdBy: o.makerId }, entriesFor('echeque_prepared', p.paise));
    // The treasury decides only e-cheques of an approved advice (migration 0035).
    await insertApprovedAdvice(tx, { accountId: o.accountId, echequeIds: [e.id], by: o.makerId, now: o.now, key: `${o.keyPrefix}-${i + 1}-advice` });
    await repo.decideEcheque(tx, e.id, { state: 'passed', decidedBy: o.checkerId, decidedAt: o.now });
    await repo.post(tx, { ...at, kind: 'echeque_passed', createdBy: o.checkerId }, entriesFor('echeque_passed', p.paise));
    ids.push(e.id);
  }
  return ids;
}

const FOREIGN_EFILE_ID = 1;
const FOREIGN_ECHEQUE_ID = 1;
const efile = { params: () => ({ id: FOREIGN_EFILE_ID }) };

export const fixtures: Record<string, MatrixFixture> = {
  'GET /api/v1/pd/efiles/:id': efile,
  'GET /api/v1/pd/efiles/:id/file': efile,
  // Account 3 is the Indore treasury's School Education account.
  'GET /api/v1/pd/accounts/:id/bankers-cheques': { params: () => ({ id: 3 }) },
  'POST /api/v1/pd/efiles/:id/scroll': {
    ...efile,
    body: () => ({
      fileName: 'scroll.csv',
      contentBase64: Buffer.from('efile_no,echeque_no,amount_paise,status,bank_ref,value_date,reason\nEF0000,1,100,PAID,UTR000111,2026-11-20,\n').toString(
        'base64',
      ),
    }),
  },
  // A body that is valid for e-cheque 1 so the refusal is authorisation's (it is account 3's).
  'POST /api/v1/pd/efiles': { body: () => ({ echequeIds: [FOREIGN_ECHEQUE_ID] }) },
  'POST /api/v1/pd/echeques/:id/bankers-cheque': {
    params: () => ({ id: FOREIGN_ECHEQUE_ID }),
    body: () => ({ chequeNo: '100200', chequeDate: '2026-11-20', bankName: 'State Bank of India', amountPaise: 4_000_000 }),
  },
};
