import { todayIst } from '../../../shared/domain/dates.ts';
import type { DbOrTx } from '../../db/client.ts';
import { capKey } from '../sanction/index.ts';
import * as capacityRepo from './contract.capacity.repo.ts';
import { OPEN_END, peakCoverage } from './contract.rules.ts';

/**
 * Coverage (spec 03): how many positions of an (office, skill level, post name) contracts hold.
 * Contracts own it, so it is computed here once — the rows from the repository, the peak by the
 * tested rule `peakCoverage` — for the capacity check on activation and for sanction's capacity
 * page (through index.ts).
 */
export type CapacityKey = { officeId: number; skillLevelId: number; postNameId: number };

/**
 * The most positions that in-force versions of active contracts cover at one time on any day of
 * [from, to] (`to` null: from `from` on, with no end), per key (every key answered, 0 when none).
 * `exceptContractId` leaves one contract out.
 */
export async function peakCoverageByKey(
  db: DbOrTx,
  keys: CapacityKey[],
  from: string,
  to: string | null,
  exceptContractId: number | null = null,
): Promise<Map<string, number>> {
  const rows = await capacityRepo.coverageRows(db, keys, from, to, exceptContractId);
  const byKey = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = capKey(r.officeId, r.skillLevelId, r.postNameId);
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  return new Map(
    keys.map((k) => {
      const key = capKey(k.officeId, k.skillLevelId, k.postNameId);
      return [key, peakCoverage(byKey.get(key) ?? [], from, to ?? OPEN_END)];
    }),
  );
}

/**
 * Positions covered per key from a date on (default today, IST): the most that in-force versions
 * of active contracts cover at one time on any day from `onDate` (contracts starting later count
 * — they are commitments; two successive contracts are not added together).
 */
export async function coveredFor(db: DbOrTx, keys: CapacityKey[], onDate: string = todayIst()): Promise<Map<string, number>> {
  return peakCoverageByKey(db, keys, onDate, null);
}
