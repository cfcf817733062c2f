import type { TAgency, TAgencyStatus, TAgencySummary } from '../../../shared/contracts/agency.ts';
import { maskAccount } from '../../../shared/domain/identifiers.ts';
import type { TLocale } from '../../../shared/locales/index.ts';
import type { DbOrTx } from '../../db/client.ts';
import { coordsOf, reachOf } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import * as users from '../users/index.ts';
import { agencyOversight, movesFor, statusSeenBy } from './agency.policy.ts';
import * as repo from './agency.repo.ts';
import { licenceAlert, seesFullBankAccount } from './agency.rules.ts';
import { readAll } from '../../db/read-all.ts';

/**
 * What the agency use cases share: an agency as its pages show it (summary and detail, the bank
 * account masked for most roles), the agency of an agency user, the agency's users and the
 * locale its messages go out in.
 */

/** The agency of an agency user's role; for any other role "not found". */
export function ownAgencyId(actor: Actor): number {
  if (actor.scopeKind !== 'agency') throw new AppError('not_found');
  return actor.scopeId;
}

type SummaryRow = Omit<Awaited<ReturnType<typeof repo.listAgencies>>['items'][number], 'total'>;

export function summaryOut(r: SummaryRow, today: string): TAgencySummary {
  return {
    id: r.id,
    legalName: r.legalName,
    type: r.type,
    pan: r.pan,
    gstin: r.gstin,
    districtId: r.districtId,
    districtNameEn: r.districtNameEn,
    districtNameHi: r.districtNameHi,
    status: r.status,
    licenceValidTo: r.licenceValidTo,
    licenceWorkmen: r.licenceWorkmen,
    licenceAlert: alertFor(r.status, r.licenceValidTo, today),
    registeredVia: r.registeredVia,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Rejected and blacklisted agencies get no licence alert (they cannot work anyway). */
export function alertFor(status: TAgencyStatus, validTo: string, today: string) {
  return status === 'rejected' || status === 'blacklisted' ? null : licenceAlert(validTo, today);
}

export async function agencyOut(db: DbOrTx, actor: Actor, id: number, today: string): Promise<TAgency> {
  const found = await repo.getAgency(db, id);
  const oversight = await coordsOf(db, agencyOversight, id);
  if (!found || !oversight) throw new AppError('not_found');
  const reach = await reachOf(db, actor);
  const status = statusSeenBy(reach, found.a.status, found.a.statusDepartmentId);
  // Another department's suspension: this viewer sees the agency verified, without that order.
  const a = status === found.a.status ? found.a : { ...found.a, status, statusReason: '', statusOrderRef: '', statusFrom: null, statusTo: null };
  const [events, docs] = await readAll(db, [() => repo.listStatusEvents(db, id), () => repo.listDocuments(db, id)]);
  const actions = movesFor(reach, actor.role, { status: found.a.status, statusDepartmentId: found.a.statusDepartmentId, oversight });
  const latest = new Set<string>();
  const full = seesFullBankAccount(actor.role);
  return {
    ...summaryOut({ ...a, districtNameEn: found.districtNameEn, districtNameHi: found.districtNameHi }, today),
    epfoCode: a.epfoCode,
    esicCode: a.esicCode,
    licenceNo: a.licenceNo,
    address: a.address,
    contactName: a.contactName,
    mobile: a.mobile,
    email: a.email,
    bankAccount: full ? a.bankAccount : maskAccount(a.bankAccount),
    bankAccountMasked: !full,
    ifsc: a.ifsc,
    statusReason: a.statusReason,
    statusOrderRef: a.statusOrderRef,
    statusFrom: a.statusFrom,
    statusTo: a.statusTo,
    verifiedAt: a.verifiedAt ? a.verifiedAt.toISOString() : null,
    statusDepartmentId: a.statusDepartmentId,
    actions,
    events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
    documents: docs.map((d) => {
      const superseded = latest.has(d.kind) && d.kind !== 'other';
      latest.add(d.kind);
      return { id: d.id, kind: d.kind, name: d.name, sizeBytes: Number(d.sizeBytes), sha256: d.sha256, uploadedAt: d.uploadedAt.toISOString(), superseded };
    }),
  };
}

/** The agency's admins and operators (users module: users holding a role in the agency's scope). */
export function listAgencyUsers(db: DbOrTx, agencyId: number) {
  return users.listScopeMembers(db, { scopeKind: 'agency', scopeId: agencyId, roles: ['agency_admin', 'agency_operator'] });
}

/** The locale an agency's messages go out in: its first active admin's, else Hindi. */
export async function agencyLocale(db: DbOrTx, agencyId: number): Promise<TLocale> {
  const us = await listAgencyUsers(db, agencyId);
  return us.find((u) => u.role === 'agency_admin' && u.active)?.locale ?? 'hi';
}
