import { asc, desc, ilike, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { likeOf } from '../../db/query.ts';
import { agencies } from './agency.table.ts';
// Agencies (spec 03): what other modules may use. Keep these signatures stable.
// agencyContractability(db, agencyId, onDate): may the agency get / work under a contract that day
//   ({ ok, status, reason?: 'not_verified' | 'blacklisted' | 'suspended' | 'licence_expired', legalName }).
// getAgencyStatusBadge(db, agencyId, today): status, order reference and period, licence alert — for contract pages.
// sendLicenceAlerts(db, now): the daily licence-expiry alerts (once per agency, licence date and threshold).
export { agencyContractability, getAgencyStatusBadge, sendLicenceAlerts } from './agency.service.ts';
export { agencyRoutes } from './agency.routes.ts';
export { agencies, agencyDocuments, agencyStatusEvents } from './agency.table.ts';

// Read by the contract module (issue 10: modules own their data), so it never reads agency tables:
// agencyParties(db, ids): name, status and contacts of the given agencies (contract lists, alerts);
// searchAgencies(db, q, limit?): agencies whose legal name or PAN contains q, verified first;
// agencyIdsNamed(db, q): ids of the agencies whose legal name contains q (contract search).

export type AgencyParty = { id: number; legalName: string; status: string; statusReason: string; mobile: string; email: string };

/** Name, status and contacts of the given agencies (unknown ids are left out). */
export async function agencyParties(db: DbOrTx, ids: number[]): Promise<AgencyParty[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: agencies.id, legalName: agencies.legalName, status: agencies.status, statusReason: agencies.statusReason, mobile: agencies.mobile, email: agencies.email })
    .from(agencies)
    .where(inArray(agencies.id, [...new Set(ids)]));
}

/** Agencies whose legal name or PAN contains `q` (all when q is empty), verified first, by name. */
export async function searchAgencies(db: DbOrTx, q: string | undefined, limit = 50) {
  const where = q ? or(ilike(agencies.legalName, likeOf(q)), ilike(agencies.pan, likeOf(q))) : undefined;
  return db
    .select({ id: agencies.id, legalName: agencies.legalName, status: agencies.status, licenceValidTo: agencies.licenceValidTo })
    .from(agencies)
    .where(where)
    .orderBy(desc(sql`${agencies.status} = 'verified'`), asc(agencies.legalName), asc(agencies.id))
    .limit(limit);
}

/** Ids of the agencies whose legal name contains `q`. */
export async function agencyIdsNamed(db: DbOrTx, q: string): Promise<number[]> {
  const rows = await db.select({ id: agencies.id }).from(agencies).where(ilike(agencies.legalName, likeOf(q)));
  return rows.map((r) => r.id);
}
