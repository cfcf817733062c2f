import type { DbOrTx } from '../../db/client.ts';

/**
 * Capacity's seams (docs/ARCHITECTURE.md "Seams"). Sanctioned posts are this module's; what
 * contracts cover and resources deploy is counted by those modules, and both of them read the
 * sanction (a contract's and an approval's vacancy). Importing them here would make a loop
 * (resource → sanction → resource, contract → sanction → contract), so this module declares
 * what it needs and `server/modules/registry.ts` wires the providers once, when it is loaded.
 */

export type CapacityKey = { officeId: number; skillLevelId: number; postNameId: number };

/** Counts per key `office:skill:post` (capKey); a key without a count is 0. */
export type CountsByKey = (db: DbOrTx, keys: CapacityKey[]) => Promise<Map<string, number>>;

export type CapacityProviders = {
  /** The most positions active contracts cover at one time from today on (the contract module). */
  covered: CountsByKey;
  /** Resources approved and not relieved (the resource module). */
  deployed: CountsByKey;
};

let providers: CapacityProviders | null = null;

/** Wires the counts (the registry, at start). A second call replaces the first (tests may stub). */
export function provideCapacityCounts(p: CapacityProviders): void {
  providers = p;
}

/**
 * The wired counts. Not wired is a programming error, not zero: a reduction checked against
 * "0 deployed" would let an order go below the people working there.
 */
export function capacityCounts(): CapacityProviders {
  if (!providers) throw new Error('sanction: capacity counts are not wired (server/modules/registry.ts calls provideCapacityCounts)');
  return providers;
}
