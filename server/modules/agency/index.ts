// Agencies (spec 03): what other modules may use. Keep these signatures stable.
// agencyContractability(db, agencyId, onDate): may the agency get / work under a contract that day
//   ({ ok, status, reason?: 'not_verified' | 'blacklisted' | 'suspended' | 'licence_expired', legalName }).
// getAgencyStatusBadge(db, agencyId, today): status, order reference and period, licence alert — for contract pages.
// sendLicenceAlerts(db, now): the daily licence-expiry alerts (once per agency, licence date and threshold).
export { agencyContractability, getAgencyStatusBadge, sendLicenceAlerts } from './agency.service.ts';
export { agencyRoutes } from './agency.routes.ts';
// Read by the contract module (issue 10: modules own their data), so it never reads agency tables:
// agencyParties(db, ids): name, status and contacts of the given agencies (contract lists, alerts);
// searchAgencies(db, q, limit?): agencies whose legal name or PAN contains q, verified first;
// agencyIdsNamed(db, q): ids of the agencies whose legal name contains q (contract search).
export { type AgencyParty, agencyIdsNamed, agencyParties, searchAgencies } from './agency.repo.ts';
// agencyNamesSql(): agencies' names as a relation (id, legal_name) to join in another module's query;
// agencyLicence(db, id): the licence's workmen limit and last valid day (resource approval).
export { agencyLicence, agencyNamesSql } from './agency.repo.ts';
// provideContractParties(relation): the registry wires the contracts' parties (agency.seams.ts).
export { provideContractParties } from './agency.seams.ts';
// agencyInvoiceParty(db, id): legal name, GSTIN, PAN and address (what an invoice prints).
export { type AgencyInvoiceParty, agencyInvoiceParties, agencyInvoiceParty } from './agency.repo.ts';
// agencyPayee(db, id): legal name, bank account, IFSC and PAN (a bill's payee, TDS by the PAN's holder type).
export { agencyPayee } from './agency.repo.ts';
