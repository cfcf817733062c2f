// An audit trail at state scale for the audit search scenarios (issue 13; bench/RESULTS.md "Audit
// trail at scale"). A state's trail grows by about ten million entries a year — an entry per
// attendance row uploaded, per login, per record changed — so a trail of the run's own few
// thousand entries says nothing about the audit page. Entries are chained by the database's own
// `audit_append` (migration 0023), 20,000 at a time, so the chain stays valid and every index the
// trail has is written as the application writes it. The mix: mostly attendance rows, then
// logins (entity 'session', the login id as entity_id, as the auth module writes them), then
// workers, contracts and invoices, by the generated users, spread over the 60 departments.
import { sql } from 'drizzle-orm';
import type { Db } from '../server/db/client.ts';

export type AuditGenReport = { entries: number; ms: number };

const BATCH = 20_000;

export async function generateAuditTrail(db: Db, entries: number): Promise<AuditGenReport> {
  const t0 = performance.now();
  const [u] = (await db.execute<{ lo: number; hi: number }>(sql`select min(id)::int as lo, max(id)::int as hi from users`)).rows;
  const lo = Number(u?.lo ?? 1);
  const span = Math.max(1, Number(u?.hi ?? 1) - lo + 1);
  for (let done = 0; done < entries; done += BATCH) {
    const n = Math.min(BATCH, entries - done);
    // g % 20: 0–11 attendance rows, 12–15 logins, 16–17 workers, 18 contracts, 19 invoices.
    await db.execute(sql`
      select audit_append((select json_agg(json_build_object(
        'actor_user_id', u.id, 'actor_name', u.name, 'assignment_id', null,
        'role', case when k < 16 then 'department_manager' when k < 18 then 'agency_admin' else 'ddo' end,
        'ip', '10.' || (g % 250) || '.' || (g / 250 % 250) || '.' || (g % 97),
        'entity', case when k < 12 then 'attendance_row' when k < 16 then 'session' when k < 18 then 'resource' when k = 18 then 'contract' else 'invoice' end,
        'entity_id', case when k between 12 and 15 then u.username else (g::bigint * 7919 % 1000003)::text end,
        'action', case when k < 12 then 'update' when k < 16 then 'login' when k < 18 then 'approve' when k = 18 then 'create' else 'generate' end,
        'department_id', 1 + g % 60,
        'before', null, 'after', case when k < 12 then json_build_object('present', g % 27, 'leave', g % 3) else null end) order by g)
        from (select g, g % 20 as k from generate_series(${done + 1}::int, ${done + n}::int) g) s
        join users u on u.id = ${lo} + (s.g * 31) % ${span}))`);
  }
  await db.execute(sql`analyze audit_log`);
  return { entries, ms: Math.round(performance.now() - t0) };
}
