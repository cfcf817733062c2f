import type { SQL } from 'drizzle-orm';

/**
 * The agency module's seam (docs/ARCHITECTURE.md "Seams"). The departments answerable for an
 * agency include those holding a contract with it (issue 11 finding 7), but contracts are the
 * contract module's, and that module imports this one (contractability, names) — importing it
 * back would make a loop. So this module declares what it needs, the contracts' parties as a
 * relation with at least `agency_id` and `department_id`, and `server/modules/registry.ts` wires
 * the contract module's `contractFactsSql` once, when it is loaded.
 */
let parties: (() => SQL) | null = null;

/** Wires the contracts' parties relation (the registry, at start). */
export function provideContractParties(relation: () => SQL): void {
  parties = relation;
}

/** The wired relation; not wired is a programming error (the oversight rule would silently narrow). */
export function contractParties(): SQL {
  if (!parties) throw new Error('agency: the contracts relation is not wired (server/modules/registry.ts calls provideContractParties)');
  return parties();
}
