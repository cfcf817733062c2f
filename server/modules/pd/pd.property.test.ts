import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Database } from '../../db/client.ts';
import { openTestDatabase } from '../../test/harness.ts';
import { approveInAdvice } from './pd.adv.fixtures.ts';
import { applyEntries, entriesFor, type TEntry, type TLineBalance } from './pd.rules.ts';
import { decideEcheque, deposit, prepareEcheque } from './pd.service.ts';

/**
 * Bar M3 as a property: over random sequences of deposits, e-cheques, passes and returns on a
 * PD account's lines, every posting's entries sum to zero, the balances derived from the entries
 * equal the stored ones, and no line ever goes below zero. 1,000 sequences run against an
 * in-memory model of the ledger (the rules the database's triggers mirror); a smaller number run
 * through the services against the database (PGlite, or PostgreSQL with TEST_DATABASE_URL), each
 * operation accepted by the database exactly when the model accepts it, the end state equal.
 */
type Op =
  | { kind: 'deposit'; line: number; amount: number }
  | { kind: 'prepare'; line: number; amount: number }
  | { kind: 'pass'; pick: number }
  | { kind: 'return'; pick: number };

const LINES = 2;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), line: fc.nat({ max: LINES - 1 }), amount: fc.integer({ min: 1, max: 50_000 }) }),
  fc.record({ kind: fc.constant('prepare' as const), line: fc.nat({ max: LINES - 1 }), amount: fc.integer({ min: 1, max: 60_000 }) }),
  fc.record({ kind: fc.constant('pass' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('return' as const), pick: fc.nat() }),
);

/** The model: postings (entries per line), balances per line, e-cheques and their states. */
type Model = {
  balances: TLineBalance[];
  postings: { line: number; entries: TEntry[] }[];
  echeques: { line: number; amount: number; state: 'prepared' | 'passed' | 'returned' }[];
};

/** Applies one operation to the model; returns whether it was accepted (a refused one changes nothing). */
function step(m: Model, op: Op): boolean {
  const postIt = (line: number, entries: TEntry[]) => {
    const next = applyEntries(m.balances[line]!, entries);
    if (!next) return false;
    m.balances[line] = next;
    m.postings.push({ line, entries });
    return true;
  };
  switch (op.kind) {
    case 'deposit':
      return postIt(op.line, entriesFor('deposit', op.amount));
    case 'prepare': {
      const ok = postIt(op.line, entriesFor('echeque_prepared', op.amount));
      if (ok) m.echeques.push({ line: op.line, amount: op.amount, state: 'prepared' });
      return ok;
    }
    case 'pass':
    case 'return': {
      const e = m.echeques[op.pick % Math.max(1, m.echeques.length)];
      if (!e || e.state !== 'prepared') return false;
      const ok = postIt(e.line, entriesFor(op.kind === 'pass' ? 'echeque_passed' : 'echeque_returned', e.amount));
      if (!ok) throw new Error('a decision on a prepared e-cheque can never overdraw');
      e.state = op.kind === 'pass' ? 'passed' : 'returned';
      return true;
    }
  }
}

function checkModel(m: Model) {
  for (const p of m.postings) expect(p.entries.reduce((s, e) => s + e.amountPaise, 0)).toBe(0);
  for (let line = 0; line < LINES; line++) {
    const of = (acc: string) =>
      m.postings
        .filter((p) => p.line === line)
        .flatMap((p) => p.entries)
        .filter((e) => e.ledgerAccount === acc)
        .reduce((s, e) => s + e.amountPaise, 0);
    const b = m.balances[line]!;
    expect({ availablePaise: of('line_available'), reservedPaise: of('line_reserved') }).toEqual(b);
    expect(b.availablePaise).toBeGreaterThanOrEqual(0);
    expect(b.reservedPaise).toBeGreaterThanOrEqual(0);
    // The reserved money is exactly the prepared e-cheques'.
    expect(b.reservedPaise).toBe(m.echeques.filter((e) => e.line === line && e.state === 'prepared').reduce((s, e) => s + e.amount, 0));
  }
}

const newModel = (): Model => ({ balances: Array.from({ length: LINES }, () => ({ availablePaise: 0, reservedPaise: 0 })), postings: [], echeques: [] });

describe('PD ledger property (bar M3)', () => {
  it('in memory, 1,000 random sequences: postings balance, derived = stored, no line negative', () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const m = newModel();
        for (const op of ops) if (!step(m, op)) refused += 1;
        checkModel(m);
      }),
      { numRuns: 1000 },
    );
    // Not vacuous: some operations were refused (overdrafts, decisions on nothing).
    expect(refused).toBeGreaterThan(0);
  });

  describe('against the database', () => {
    let database: Database & { drop: () => Promise<void> };
    let admin: Ctx;
    let treasury: Ctx;
    beforeAll(async () => {
      database = await openTestDatabase();
      const row = async (q: ReturnType<typeof sql>) => (await database.db.execute<Record<string, number>>(q)).rows[0]!;
      const a = await row(sql`select user_id, scope_id from role_assignments where role = 'pd_admin' limit 1`);
      const t = await row(sql`select user_id, scope_id from role_assignments where role = 'treasury_officer' limit 1`);
      const now = new Date('2026-11-25T05:00:00Z');
      admin = {
        actor: { userId: Number(a.user_id), name: 'PD', assignmentId: 0, role: 'pd_admin', scopeKind: 'pd_account', scopeId: 2 },
        ip: '',
        locale: 'en',
        now,
      };
      treasury = {
        actor: { userId: Number(t.user_id), name: 'TO', assignmentId: 0, role: 'treasury_officer', scopeKind: 'treasury', scopeId: Number(t.scope_id) },
        ip: '',
        locale: 'en',
        now,
      };
    }, 60_000);
    afterAll(async () => {
      await database?.drop();
    });

    it('random sequences through the services: the database accepts exactly what the model accepts, and ends equal to it', async () => {
      const db = database.db;
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { maxLength: 14 }), async (ops) => {
          run += 1;
          // Two fresh lines on PD account 2 (other than consolidated fund: deposits by challan).
          const lines: number[] = [];
          for (let i = 0; i < LINES; i++) {
            const r = await db.execute<{ id: number }>(
              sql`insert into pd_lines (account_id, purpose_en, purpose_hi) values (2, ${`Property ${run}.${i}`}, 'गुण परीक्षण') returning id`,
            );
            lines.push(Number(r.rows[0]!.id));
          }
          const m = newModel();
          const ids: number[] = [];
          let challan = 0;
          for (const op of ops) {
            const before = m.echeques.length;
            const target = op.kind === 'pass' || op.kind === 'return' ? m.echeques[op.pick % Math.max(1, m.echeques.length)] : undefined;
            const targetId = target ? ids[m.echeques.indexOf(target)] : undefined;
            const accepted = step(m, op);
            let dbAccepted = true;
            try {
              if (op.kind === 'deposit')
                await deposit(db, treasury, 2, {
                  lineId: lines[op.line]!,
                  amountPaise: op.amount,
                  mode: 'challan',
                  // A challan each: the same challan again on a line is refused as a repeat (pd_deposit_duplicate).
                  reference: `P${run}-${++challan}`,
                  valueDate: '2026-11-20',
                });
              else if (op.kind === 'prepare') {
                const r = await prepareEcheque(db, admin, 2, `prop-${run}-${ids.length}-${Math.random()}`, {
                  payeeKind: 'book_transfer',
                  lineId: lines[op.line]!,
                  amountPaise: op.amount,
                  payeeName: 'Property payee',
                  headOfAccount: '0070-60-800',
                  purpose: '',
                });
                ids.push(r.echeque.id);
                // The administrator's approved advice sends it to the treasury (migration 0035).
                await approveInAdvice(db, [r.echeque.id]);
              } else if (targetId === undefined) dbAccepted = false;
              else await decideEcheque(db, treasury, targetId, op.kind === 'pass' ? { pass: true } : { pass: false, reason: 'Property test' });
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
              dbAccepted = false;
            }
            expect(dbAccepted, JSON.stringify(op)).toBe(accepted);
            if (op.kind === 'prepare' && !accepted) expect(m.echeques.length).toBe(before);
          }
          checkModel(m);
          const stored = await db.execute<{ id: number; available_paise: string; reserved_paise: string }>(
            sql`select id, available_paise, reserved_paise from pd_lines where id in (${sql.join(lines, sql`, `)}) order by id`,
          );
          expect(stored.rows.map((r) => ({ availablePaise: Number(r.available_paise), reservedPaise: Number(r.reserved_paise) }))).toEqual(m.balances);
        }),
        { numRuns: 25 },
      );
      // The whole database: every posting balanced, stored = derived, nothing negative.
      expect((await db.execute(sql`select posting_id from pd_entries group by posting_id having sum(amount_paise) <> 0`)).rows).toEqual([]);
      const drift = await db.execute(sql`
        select l.id from pd_lines l
         where l.available_paise < 0 or l.reserved_paise < 0
            or l.available_paise <> coalesce((select sum(amount_paise) from pd_entries e where e.line_id = l.id and e.ledger_account = 'line_available'), 0)
            or l.reserved_paise <> coalesce((select sum(amount_paise) from pd_entries e where e.line_id = l.id and e.ledger_account = 'line_reserved'), 0)`);
      expect(drift.rows).toEqual([]);
    }, 120_000);
  });
});
