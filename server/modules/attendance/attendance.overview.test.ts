import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDeadlineSetting, TOverview, TOverviewStatus } from '../../../shared/contracts/attendance.ts';
import { todayIst } from '../../../shared/domain/dates.ts';
import { runDueJobs } from '../../platform/jobs/jobs.ts';
import { type Client, createTestApp, fakeClock, type TestApp } from '../../test/harness.ts';
import { checksOn } from '../../test/helpers.ts';
import { overdueRemindersJob, sendOverdueReminders } from './attendance.overview.ts';
import { monthBounds, monthsPastDeadline, nextMonth, previousMonth } from './attendance.rules.ts';

/**
 * The attendance overview and its reminders (issue 15 item 7) on the demo data. The demo (seeded
 * on the real clock) has LAST month finalised for every office with resources, the current month
 * CUR open and half filled, and nothing for the month before (PREV): so with the clock in CUR,
 * LAST is finalised, CUR pending and PREV overdue. The tests move the clock; each logs in afresh
 * (a session does not survive a month's jump).
 */
const CUR = todayIst(new Date()).slice(0, 7);
const LAST = previousMonth(CUR);
const PREV = previousMonth(LAST);
const AFTER = nextMonth(CUR);
const OVERVIEW = '/api/v1/attendance/overview';
const DEADLINE = '/api/v1/attendance/deadline';
/** 11:30 IST on a day. */
const at = (isoDate: string, hourUtc = 6) => new Date(`${isoDate}T${String(hourUtc).padStart(2, '0')}:00:00Z`);

let t: TestApp;
const { refused } = checksOn(() => t.database);

type Expected = { officeId: number; departmentId: number; status: TOverviewStatus };

/** The overview computed from the tables, independently of the service: offices with a resource on the rolls in the month, or saved rows. */
async function expected(month: string, deadlineDay: number): Promise<Expected[]> {
  const { first, last } = monthBounds(month);
  const r = await t.database.db.execute<{ id: number; dept: number; state: string | null }>(sql`
    select o.id, o.department_id as dept, s.state from offices o
      left join attendance_sheets s on s.office_id = o.id and s.month = ${first}
     where exists (select 1 from resources r where r.office_id = o.id and r.status in ('approved', 'relieved')
                     and r.joining_date <= ${last} and (r.relieved_on is null or r.relieved_on >= ${first}))
        or exists (select 1 from attendance_rows ar where ar.sheet_id = s.id)`);
  const today = todayIst(t.clock.now());
  const deadline = `${nextMonth(month)}-${String(deadlineDay).padStart(2, '0')}`;
  return r.rows.map((x) => ({
    officeId: Number(x.id),
    departmentId: Number(x.dept),
    status: x.state === 'finalised' ? 'finalised' : today > deadline ? 'overdue' : 'pending',
  }));
}

function count(rows: Expected[]) {
  return {
    offices: rows.length,
    finalised: rows.filter((r) => r.status === 'finalised').length,
    pending: rows.filter((r) => r.status === 'pending').length,
    overdue: rows.filter((r) => r.status === 'overdue').length,
  };
}

/** A fresh login; dm_bhopal (department manager of offices 79 and 4881) acts for office 79. */
async function login(username: string): Promise<Client> {
  const c = await t.login(username);
  const me = (await c.get('/api/v1/auth/me')).json() as { activeAssignmentId: number | null; assignments: { id: number; officeId: number | null }[] };
  const a = me.assignments.find((x) => x.officeId === 79) ?? me.assignments[0];
  if (a && me.activeAssignmentId !== a.id) expect((await c.post('/api/v1/auth/switch', { assignmentId: a.id })).statusCode).toBe(200);
  return c;
}

async function overviewAs(username: string, qs: string): Promise<TOverview> {
  const c = await login(username);
  const res = await c.get(`${OVERVIEW}?${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as TOverview;
}

async function outboxCount(): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where template like 'attendance.reminder.%'`);
  return Number(r.rows[0]!.n);
}

/** Overdue office-months with at least one active department manager, for the months the job looks at. */
async function remindable(months: string[]): Promise<{ officeId: number; month: string; managers: number }[]> {
  const out: { officeId: number; month: string; managers: number }[] = [];
  for (const month of months) {
    for (const e of (await expected(month, 5)).filter((x) => x.status === 'overdue')) {
      const m = await t.database.db.execute<{ n: number }>(sql`
        select count(*)::int as n from role_assignments ra join users u on u.id = ra.user_id
         where ra.role = 'department_manager' and ra.scope_kind = 'office' and ra.scope_id = ${e.officeId} and ra.active and u.status = 'active'`);
      const n = Number(m.rows[0]!.n);
      if (n > 0) out.push({ officeId: e.officeId, month, managers: n });
    }
  }
  return out;
}

beforeAll(async () => {
  t = await createTestApp({ clock: fakeClock(at(`${CUR}-20`)) });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('attendance overview — counts and scope', () => {
  it('Finance sees every office-month statewide, counted per department as the tables say; the demo has finalised, pending and overdue months', async () => {
    t.clock.set(at(`${CUR}-20`));
    const seen: Record<TOverviewStatus, number> = { finalised: 0, pending: 0, overdue: 0 };
    for (const month of [PREV, LAST, CUR]) {
      const o = await overviewAs('finance_admin', `month=${month}`);
      const exp = await expected(month, 5);
      expect(o.month).toBe(month);
      expect(o.deadline).toBe(`${nextMonth(month)}-05`);
      expect(o.totals).toEqual(count(exp));
      const depts = [...new Set(exp.map((e) => e.departmentId))].sort((a, b) => a - b);
      expect(o.departments.map((d) => d.departmentId).sort((a, b) => a - b)).toEqual(depts);
      for (const d of o.departments) {
        const { offices, finalised, pending, overdue } = d;
        expect({ offices, finalised, pending, overdue }, `department ${d.departmentId}`).toEqual(count(exp.filter((e) => e.departmentId === d.departmentId)));
      }
      expect(new Map(o.offices.map((x) => [x.officeId, x.status]))).toEqual(new Map(exp.map((e) => [e.officeId, e.status])));
      for (const s of ['finalised', 'pending', 'overdue'] as const) seen[s] += o.totals[s];
    }
    // The demo: last month finalised, this month pending (open, half filled), the month before overdue (never begun).
    const last = await overviewAs('finance_admin', `month=${LAST}`);
    expect(last.totals.finalised).toBeGreaterThan(0);
    expect(last.totals.finalised).toBe(last.totals.offices);
    const cur = await overviewAs('finance_admin', `month=${CUR}`);
    expect(cur.totals.pending).toBeGreaterThan(0);
    expect(cur.offices.some((x) => x.sheet === 'open' && x.saved > 0)).toBe(true);
    const prev = await overviewAs('finance_admin', `month=${PREV}`);
    expect(prev.totals.overdue).toBeGreaterThan(0);
    expect(prev.offices.filter((x) => x.status !== 'finalised').every((x) => x.sheet === 'none' && x.status === 'overdue')).toBe(true);
    expect(seen.finalised * seen.pending * seen.overdue).toBeGreaterThan(0);
    // Without a month: last month.
    expect((await overviewAs('finance_admin', '')).month).toBe(LAST);
  });

  it('"overdue only" lists only the overdue office-months and leaves the counts whole; a department filter keeps its offices', async () => {
    t.clock.set(at(`${AFTER}-10`));
    const all = await overviewAs('finance_admin', `month=${CUR}`);
    const only = await overviewAs('finance_admin', `month=${CUR}&overdueOnly=true`);
    expect(only.totals).toEqual(all.totals);
    expect(only.offices.length).toBe(all.totals.overdue);
    expect(only.offices.every((x) => x.status === 'overdue')).toBe(true);
    expect(all.totals.overdue).toBeGreaterThan(0);
    const dept = all.departments[0]!;
    const one = await overviewAs('finance_admin', `month=${CUR}&departmentId=${dept.departmentId}`);
    expect(one.departments).toHaveLength(1);
    expect(one.totals.offices).toBe(dept.offices);
    expect(one.offices.every((x) => x.departmentId === dept.departmentId)).toBe(true);
  });

  it("a department's office admin sees only its department's offices, a department manager only its office; another department's office is not listed", async () => {
    t.clock.set(at(`${CUR}-20`));
    const exp = await expected(LAST, 5);
    const fin = await t.database.db.execute<{ id: number }>(sql`select id from departments where code = 'FIN'`);
    const finId = Number(fin.rows[0]!.id);
    const others = exp.filter((e) => e.departmentId !== finId);
    expect(others.length, 'the demo has office-months outside the Finance department').toBeGreaterThan(0);

    const oa = await overviewAs('officeadmin_fin', `month=${LAST}`);
    expect(oa.offices.map((x) => x.officeId).sort()).toEqual(
      exp
        .filter((e) => e.departmentId === finId)
        .map((e) => e.officeId)
        .sort(),
    );
    expect(oa.departments.map((d) => d.departmentId)).toEqual([finId]);
    for (const e of others) expect(oa.offices.some((x) => x.officeId === e.officeId)).toBe(false);
    // Asking for another department gives nothing of it.
    const asked = await overviewAs('officeadmin_fin', `month=${LAST}&departmentId=${others[0]!.departmentId}`);
    expect(asked.totals.offices).toBe(0);
    expect(asked.offices).toEqual([]);

    const dm = await overviewAs('dm_bhopal', `month=${LAST}`);
    expect(dm.offices.map((x) => x.officeId)).toEqual([79]);
    expect(dm.totals.offices).toBe(1);
  });

  it('a DDO and an agency get 403; anonymous 401; a future month 409; a bad month 400 — nothing changes', async () => {
    t.clock.set(at(`${CUR}-20`));
    for (const u of ['ddo_bhopal', 'agency_admin']) {
      const c = await login(u);
      await refused(() => c.get(`${OVERVIEW}?month=${LAST}`), 403, 'forbidden');
      await refused(() => c.get(DEADLINE), 403, 'forbidden');
    }
    expect((await t.anon.get(`${OVERVIEW}?month=${LAST}`)).statusCode).toBe(401);
    const f = await t.login('finance_admin');
    await refused(() => f.get(`${OVERVIEW}?month=${AFTER}`), 409, 'attendance_month_future');
    await refused(() => f.get(`${OVERVIEW}?month=2026-13`), 400, 'validation_failed', 'month');
  });
});

describe('attendance overview — the deadline', () => {
  it('defaults to the 5th; Finance changes it (audited), which moves what is overdue; bad days are refused and change nothing; others may not set it', async () => {
    t.clock.set(at(`${AFTER}-08`));
    const f = await t.login('finance_admin');
    expect((await f.get(DEADLINE)).json()).toEqual({ deadlineDay: 5, updatedAt: null, updatedBy: null });
    const before = (await f.get(`${OVERVIEW}?month=${CUR}`)).json() as TOverview;
    expect(before.deadline).toBe(`${AFTER}-05`);
    expect(before.totals.overdue).toBeGreaterThan(0);

    for (const bad of [0, 29, 2.5, '10', null]) await refused(() => f.put(DEADLINE, { deadlineDay: bad }), 400, 'validation_failed', 'deadlineDay');
    await refused(() => f.put(DEADLINE, { deadlineDay: 10, extra: 1 }), 400, 'validation_failed');
    for (const u of ['officeadmin_state', 'dm_bhopal', 'auditor_state']) {
      const c = await login(u);
      await refused(() => c.put(DEADLINE, { deadlineDay: 10 }), 403, 'forbidden');
    }

    const res = await f.put(DEADLINE, { deadlineDay: 10 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ deadlineDay: 10, updatedBy: 'Finance Administrator' });
    const audit = await t.database.db.execute<{ action: string; before: unknown; after: unknown; actor_name: string }>(
      sql`select action, before, after, actor_name from audit_log where entity = 'attendance_settings' order by seq desc limit 1`,
    );
    expect(audit.rows[0]).toMatchObject({ action: 'update', before: { deadlineDay: 5 }, after: { deadlineDay: 10 }, actor_name: 'Finance Administrator' });

    // The 8th is now before the deadline (the 10th): this month is pending again, nothing overdue.
    const after = (await f.get(`${OVERVIEW}?month=${CUR}`)).json() as TOverview;
    expect(after.deadline).toBe(`${AFTER}-10`);
    expect(after.deadlineDay).toBe(10);
    expect(after.totals.overdue).toBe(0);
    expect(after.totals).toEqual(count(await expected(CUR, 10)));
    // Others read it.
    const dm = await login('dm_bhopal');
    expect(((await dm.get(DEADLINE)).json() as TDeadlineSetting).deadlineDay).toBe(10);

    // Back to the default for the tests below.
    expect((await f.put(DEADLINE, { deadlineDay: 5 })).statusCode).toBe(200);
  });
});

describe('attendance overview — reminders through the outbox', () => {
  it('after the deadline, one reminder per overdue office-month to its department managers, not again the same day, again the next day; none for finalised months', async () => {
    const day = `${AFTER}-10`;
    t.clock.set(at(day));
    const months = monthsPastDeadline(day, 5);
    expect(months.slice(0, 3)).toEqual([CUR, LAST, PREV].filter((m) => m >= '2026-04'));
    const due = await remindable(months);
    expect(due.some((d) => d.month === CUR && d.officeId === 79)).toBe(true);
    expect(due.some((d) => d.month === LAST)).toBe(false);
    const outboxBefore = await outboxCount();

    const n = await sendOverdueReminders(t.database.db, t.clock.now());
    expect(n).toBe(due.length);
    const alerts = await t.database.db.execute<{ kind: string; entity_id: number }>(
      sql`select kind, entity_id from sent_alerts where kind like 'attendance_overdue_%' and about_date = ${day}`,
    );
    const keys = new Set(alerts.rows.map((a) => `${a.kind}:${a.entity_id}`));
    for (const d of due) expect(keys.has(`attendance_overdue_${d.month}:${d.officeId}`), `${d.month} office ${d.officeId}`).toBe(true);
    // Finalised months are never reminded.
    expect([...keys].some((k) => k.startsWith(`attendance_overdue_${LAST}:`))).toBe(false);
    expect(alerts.rows.length).toBe(n);

    // dm_bhopal (department manager of office 79) got an SMS for office 79's open month, in Hindi.
    const sms = await t.database.db.execute<{ n: number }>(sql`
      select count(*)::int as n from outbox where recipient = '9876500004' and template = 'attendance.reminder.sms' and params->>'office' like '%(79)'`);
    expect(Number(sms.rows[0]!.n)).toBeGreaterThan(0);
    const afterFirst = await outboxCount();
    // One SMS per manager, and an e-mail where the assignment has an official e-mail.
    const emails = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where template = 'attendance.reminder.email'`);
    expect(afterFirst - outboxBefore).toBe(due.reduce((s, d) => s + d.managers, 0) + Number(emails.rows[0]!.n));
    const audit = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'office' and action = 'alert_sent' and after->>'kind' = 'attendance_overdue'`,
    );
    expect(Number(audit.rows[0]!.n)).toBe(n);

    // Delivered: the text names the office and the month.
    await t.flushOutbox();
    expect(await t.lastSms('9876500004')).toMatch(/उपस्थिति|attendance/);

    // Again the same day (a later slot too): nothing more.
    expect(await sendOverdueReminders(t.database.db, t.clock.now())).toBe(0);
    t.clock.set(at(day, 12));
    expect(await sendOverdueReminders(t.database.db, t.clock.now())).toBe(0);
    expect(await outboxCount()).toBe(afterFirst);

    // The next day: reminded again, once.
    t.clock.set(at(`${AFTER}-11`));
    expect(await sendOverdueReminders(t.database.db, t.clock.now())).toBe(n);
    expect(await outboxCount()).toBe(afterFirst + (afterFirst - outboxBefore));
  });

  it('before the deadline nothing is sent for the month; a month finalised is no longer reminded', async () => {
    // The 5th: CUR's deadline day itself, still in time — only older months are reminded.
    t.clock.set(at(`${AFTER}-05`));
    await sendOverdueReminders(t.database.db, t.clock.now());
    const r = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from sent_alerts where kind = ${`attendance_overdue_${CUR}`} and about_date = ${`${AFTER}-05`}`,
    );
    expect(Number(r.rows[0]!.n)).toBe(0);

    // Finalise office 79's CUR sheet (fill it as the department manager would): no reminder for it any more.
    const sheet = await t.database.db.execute<{ id: number }>(sql`select id from attendance_sheets where office_id = 79 and month = ${`${CUR}-01`}`);
    const sheetId = sheet.rows[0]!.id;
    await t.database.db.execute(sql`update attendance_sheets set state = 'finalised', finalised_at = now() where id = ${sheetId}`);
    t.clock.set(at(`${AFTER}-12`));
    await sendOverdueReminders(t.database.db, t.clock.now());
    const after = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from sent_alerts where kind = ${`attendance_overdue_${CUR}`} and entity_id = 79 and about_date = ${`${AFTER}-12`}`,
    );
    expect(Number(after.rows[0]!.n)).toBe(0);
    const o = await overviewAs('dm_bhopal', `month=${CUR}`);
    expect(o.offices.find((x) => x.officeId === 79)?.status).toBe('finalised');
  });

  it('two runners at once: one job run, one set of reminders', async () => {
    t.clock.set(at(`${AFTER}-13`));
    const before = await outboxCount();
    const runs = await Promise.all(
      ['a', 'b'].map((instance) => runDueJobs(t.database.db, [overdueRemindersJob], { instance: `test-${instance}`, now: () => t.clock.now() })),
    );
    expect(runs.flat().filter((r) => r.ran)).toHaveLength(1);
    const once = (await outboxCount()) - before;
    expect(once).toBeGreaterThan(0);
    // Two calls of the job's work at once (e.g. a later slot on two instances) on a new day: still one set.
    t.clock.set(at(`${AFTER}-14`));
    const mid = await outboxCount();
    const [a, b] = await Promise.all([sendOverdueReminders(t.database.db, t.clock.now()), sendOverdueReminders(t.database.db, t.clock.now())]);
    expect((await outboxCount()) - mid).toBe(once);
    const perOffice = await t.database.db.execute<{ n: number }>(sql`
      select count(*)::int as n from sent_alerts where kind like 'attendance_overdue_%' and about_date = ${`${AFTER}-14`}`);
    expect(a + b).toBe(Number(perOffice.rows[0]!.n));
  });
});
