import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

/** Contracts: capacity — the activation lock per key and the coverage rows contract.coverage.ts sums. */

// --- Capacity -----------------------------------------------------------------------------------

/** Serialises activations touching one (office, skill level, post name): call in key order. */
export async function lockCapacityKey(db: DbOrTx, key: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`roams-contract-capacity:${key}`}, 0))`);
}

/**
 * Coverage rows: one per (in-force version of an active contract, post) for the given
 * (office, skill level, post name) keys, with the version's period and positions, whose period
 * meets [from, to] (`to` null: no end). `exceptContractId` leaves one contract out (the one being
 * checked). contract.coverage.ts turns them into the peak per key.
 */
export async function coverageRows(
  db: DbOrTx,
  keys: { officeId: number; skillLevelId: number; postNameId: number }[],
  from: string,
  to: string | null,
  exceptContractId: number | null,
) {
  if (keys.length === 0) return [];
  const tuples = sql.join(
    keys.map((k) => sql`(${k.officeId}::int, ${k.skillLevelId}::int, ${k.postNameId}::int)`),
    sql`, `,
  );
  const r = await db.execute<{ office_id: number; skill_level_id: number; post_name_id: number; start_date: string; end_date: string; positions: number }>(sql`
    select cp.office_id, cp.skill_level_id, cp.post_name_id, to_char(cv.start_date, 'YYYY-MM-DD') as start_date, to_char(cv.end_date, 'YYYY-MM-DD') as end_date, cp.positions
      from contract_posts cp
      join contract_versions cv on cv.id = cp.version_id and cv.state = 'in_force'
      join contracts c on c.id = cv.contract_id and c.status = 'active'
     where (cp.office_id, cp.skill_level_id, cp.post_name_id) in (${tuples})
       ${exceptContractId === null ? sql`` : sql`and c.id <> ${exceptContractId}`}
       ${to === null ? sql`` : sql`and cv.start_date <= ${to}::date`} and cv.end_date >= ${from}::date`);
  return r.rows.map((x) => ({
    officeId: Number(x.office_id),
    skillLevelId: Number(x.skill_level_id),
    postNameId: Number(x.post_name_id),
    startDate: x.start_date,
    endDate: x.end_date,
    positions: Number(x.positions),
  }));
}
