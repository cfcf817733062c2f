import { sql, type SQL } from 'drizzle-orm';
import type { TScopeKind } from '../../../shared/roles.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../context.ts';
import { AppError } from '../errors.ts';

/**
 * The one access layer (issue 10): for an actor and a kind of record it answers both
 * "may this actor touch this record" (`mayAccess`, pure) and "the SQL condition that limits a
 * list to what this actor may see" (`accessCondition`). Both come from one rule per
 * (record kind, scope kind), written once as a small condition (`Cond`) and read two ways, so
 * the record check and the list filter cannot disagree (a property test checks it on both
 * engines: server/test/access.property.test.ts).
 *
 * Model (after Immich's requireAccess / checkAccess): a record has coordinates — where it sits
 * in the office tree (department, HOD, office), which DDO codes pay it, which agency is party
 * to it. An actor has a reach — its scope, placed in the office tree once per request
 * (`reachOf`). The rule for a kind says which coordinate must equal which part of the reach.
 * Modules describe their records in `<module>.policy.ts`: the kind, and the SQL column for each
 * coordinate.
 */

/** The kinds of record whose visibility is decided here. Add a kind here and a rule below. */
export const RECORD_KINDS = [
  'office',
  'department_record',
  'contract',
  'agency',
  'agency_oversight',
  'resource',
  'pd_account',
  'statutory_proof',
  'pd_proposal',
  'holiday',
] as const;
export type TRecordKind = (typeof RECORD_KINDS)[number];

/** A record's coordinates. A kind uses only some of them (see `RULES`). */
export type Coords = {
  departmentId?: number | null;
  hodId?: number | null;
  officeId?: number | null;
  /** The DDO codes that pay the record (a contract: the DDO of any of its versions). */
  ddoIds?: readonly number[];
  agencyId?: number | null;
  /** The departments answerable for the record (an agency: the one that registered it, those holding a contract with it). */
  departmentIds?: readonly number[];
  /** A treasury personal-deposit account: the treasury that keeps it, and the account itself. */
  treasuryId?: number | null;
  pdAccountId?: number | null;
  /** A holiday: the district whose admin keeps it (a local holiday of a district; null otherwise). */
  districtId?: number | null;
};
type ScalarField = 'departmentId' | 'hodId' | 'officeId' | 'agencyId' | 'treasuryId' | 'pdAccountId' | 'districtId';

/** The actor's scope and where it sits in the office tree (null where it has no such place). */
export type Reach = {
  scopeKind: TScopeKind;
  scopeId: number;
  departmentId: number | null;
  hodId: number | null;
  officeId: number | null;
};

/** A condition on a record's coordinates (`isNull`: the record has no such coordinate). */
export type Cond =
  | { all: true }
  | { none: true }
  | { eq: ScalarField; value: number }
  | { isNull: ScalarField }
  | { paidBy: number }
  | { tiedTo: number }
  | { or: Cond[] };

const ALL: Cond = { all: true };
const NONE: Cond = { none: true };
const eqOr = (field: ScalarField, value: number | null): Cond => (value === null ? NONE : { eq: field, value });

/**
 * Where an actor's scope reaches in the tree of offices: state everything; a department its
 * department; a HOD its HOD's offices; an office that office; a DDO code the office it belongs to.
 */
function treeRule(r: Reach): Cond {
  switch (r.scopeKind) {
    case 'state':
      return ALL;
    case 'department':
      return { eq: 'departmentId', value: r.scopeId };
    case 'hod':
      return { eq: 'hodId', value: r.scopeId };
    case 'office':
      return { eq: 'officeId', value: r.scopeId };
    case 'ddo':
      return eqOr('officeId', r.officeId);
    default:
      return NONE;
  }
}

/**
 * The rules, one per kind of record. Choices written down:
 * - `office` (offices, and what is shown under an office: users, posts): the tree rule.
 * - `department_record` (sanction orders): a record of the department, seen by every scope
 *   placed inside that department (HOD, office and DDO see their department's orders).
 * - `contract`: the tree rule on the contract's office, plus a DDO sees every contract it pays
 *   (any version), and an agency its own contracts.
 * - `agency`: the registry of agencies is statewide for the government side (state, department,
 *   HOD, office, DDO); an agency's users see only their own agency; other scopes nothing.
 * - `agency_oversight` (who may act on an agency's standing — verify, reject, suspend; issue 11
 *   finding 7): the state, and a scope placed in a department answerable for the agency (it
 *   registered the agency or holds a contract with it). Seeing an agency is not acting on it.
 * - `resource` (outsourced workers): the tree rule on the contracting office (whose department
 *   manager decides on it), and an agency its own resources. A DDO sees its office's.
 * - `statutory_proof` (an agency's EPFO / ESIC proof of a wage month, issue 17): the state; the
 *   agency its own; a scope placed in a department (department, HOD, office, DDO) the proofs of
 *   agencies that department holds a contract with (`tiedTo`). Nothing else.
 * - `pd_account` (treasury personal-deposit accounts and what is under them: lines, e-cheques,
 *   the ledger): the state; a department its department's accounts; a treasury the accounts it
 *   keeps; a PD administrator (scope `pd_account`) its one account. Nothing else.
 * - `pd_proposal` (a proposal to open PD accounts, and each of its rows — the application to a
 *   treasury; issue 18 item 1): the state; a scope placed in a department (department, HOD,
 *   office, DDO) its department's proposals; a treasury the rows at that treasury (a proposal
 *   itself has no treasury: its rows each name one). Nothing else.
 * - `holiday` (who keeps — adds, edits, deletes — a holiday of the calendar; reading the calendar
 *   is open to every role that reads it; issue 15 item 4): the state the holidays of no office
 *   (statewide, and every district's of any kind); a district (the district admin) its district's
 *   local holidays only (`districtId` is set only on a local holiday of a district); an office
 *   (its department manager) that office's own. Nothing else: not an office admin's department or
 *   HOD, not a district admin an office's holiday even inside its district.
 */
const RULES: Record<TRecordKind, (r: Reach) => Cond> = {
  office: treeRule,
  department_record: (r) => (r.scopeKind === 'state' ? ALL : r.scopeKind === 'agency' ? NONE : eqOr('departmentId', r.departmentId)),
  contract: (r) => {
    if (r.scopeKind === 'agency') return { eq: 'agencyId', value: r.scopeId };
    if (r.scopeKind === 'ddo') return { or: [eqOr('officeId', r.officeId), { paidBy: r.scopeId }] };
    return treeRule(r);
  },
  agency: (r) => {
    switch (r.scopeKind) {
      case 'state':
      case 'department':
      case 'hod':
      case 'office':
      case 'ddo':
        return ALL;
      case 'agency':
        return { eq: 'agencyId', value: r.scopeId };
      default:
        return NONE;
    }
  },
  agency_oversight: (r) => {
    if (r.scopeKind === 'state') return ALL;
    if (r.scopeKind === 'agency' || r.departmentId === null) return NONE;
    return { tiedTo: r.departmentId };
  },
  resource: (r) => (r.scopeKind === 'agency' ? { eq: 'agencyId', value: r.scopeId } : treeRule(r)),
  statutory_proof: (r) => {
    if (r.scopeKind === 'state') return ALL;
    if (r.scopeKind === 'agency') return { eq: 'agencyId', value: r.scopeId };
    if (r.departmentId === null) return NONE;
    return { tiedTo: r.departmentId };
  },
  pd_account: (r) => {
    switch (r.scopeKind) {
      case 'state':
        return ALL;
      case 'department':
        return { eq: 'departmentId', value: r.scopeId };
      case 'treasury':
        return { eq: 'treasuryId', value: r.scopeId };
      case 'pd_account':
        return { eq: 'pdAccountId', value: r.scopeId };
      default:
        return NONE;
    }
  },
  pd_proposal: (r) => {
    if (r.scopeKind === 'state') return ALL;
    if (r.scopeKind === 'treasury') return { eq: 'treasuryId', value: r.scopeId };
    if (r.scopeKind === 'agency' || r.scopeKind === 'pd_account' || r.scopeKind === 'self') return NONE;
    return eqOr('departmentId', r.departmentId);
  },
  holiday: (r) => {
    switch (r.scopeKind) {
      case 'state':
        return { isNull: 'officeId' };
      case 'district':
        return { eq: 'districtId', value: r.scopeId };
      case 'office':
        return { eq: 'officeId', value: r.scopeId };
      default:
        return NONE;
    }
  },
};

export function accessRule(kind: TRecordKind, reach: Reach): Cond {
  return RULES[kind](reach);
}

/** Reads a condition on one record's coordinates. */
export function holds(c: Cond, coords: Coords): boolean {
  if ('all' in c) return true;
  if ('none' in c) return false;
  if ('or' in c) return c.or.some((x) => holds(x, coords));
  if ('paidBy' in c) return (coords.ddoIds ?? []).includes(c.paidBy);
  if ('tiedTo' in c) return (coords.departmentIds ?? []).includes(c.tiedTo);
  if ('isNull' in c) return coords[c.isNull] == null;
  return coords[c.eq] === c.value;
}

/** The SQL expression of each coordinate of a kind of record, as a list query names it. */
export type AccessColumns = Partial<Record<ScalarField, SQL>> & { paidBy?: (ddoId: number) => SQL; tiedTo?: (departmentId: number) => SQL };

/** Writes a condition as SQL over a list query's columns. */
export function toSql(c: Cond, cols: AccessColumns): SQL {
  if ('all' in c) return sql`true`;
  if ('none' in c) return sql`false`;
  if ('or' in c)
    return sql`(${sql.join(
      c.or.map((x) => toSql(x, cols)),
      sql` or `,
    )})`;
  if ('paidBy' in c) {
    if (!cols.paidBy) throw new Error('access: this kind of record has no paying DDO column');
    return cols.paidBy(c.paidBy);
  }
  if ('tiedTo' in c) {
    if (!cols.tiedTo) throw new Error('access: this kind of record has no answerable departments column');
    return cols.tiedTo(c.tiedTo);
  }
  if ('isNull' in c) {
    const col = cols[c.isNull];
    if (!col) throw new Error(`access: this kind of record has no ${c.isNull} column`);
    return sql`${col} is null`;
  }
  const col = cols[c.eq];
  if (!col) throw new Error(`access: this kind of record has no ${c.eq} column`);
  return sql`${col} = ${c.value}`;
}

/** May the actor (placed as `reach`) see or act on a record of this kind with these coordinates? */
export function mayAccess(reach: Reach, kind: TRecordKind, coords: Coords): boolean {
  return holds(accessRule(kind, reach), coords);
}

/** The SQL condition that keeps, in a list of records of this kind, only those the actor may see. */
export function accessCondition(reach: Reach, kind: TRecordKind, cols: AccessColumns): SQL {
  return toSql(accessRule(kind, reach), cols);
}

/** As `mayAccess`, throwing "not found" (never "forbidden": no existence leak) when it may not. */
export function requireAccess(reach: Reach, kind: TRecordKind, coords: Coords | null | undefined): void {
  if (!coords || !mayAccess(reach, kind, coords)) throw new AppError('not_found');
}

const reaches = new WeakMap<Actor, Promise<Reach>>();

/**
 * Places the actor's scope in the office tree (one query, remembered for the actor object, which
 * lives for one request). Scope ids that name nothing reach nothing beyond their own kind.
 */
export function reachOf(db: DbOrTx, actor: Actor): Promise<Reach> {
  let p = reaches.get(actor);
  if (!p) {
    p = placeScope(db, actor.scopeKind, actor.scopeId);
    reaches.set(actor, p);
  }
  return p;
}

/**
 * Tells the access layer where the actor's scope sits, when it was read anyway (the session
 * resolution reads it with the session, in the same query): `reachOf` then sends no query.
 */
export function rememberReach(actor: Actor, reach: Reach): void {
  reaches.set(actor, Promise.resolve(reach));
}

export async function placeScope(db: DbOrTx, scopeKind: TScopeKind, scopeId: number): Promise<Reach> {
  const base: Reach = { scopeKind, scopeId, departmentId: null, hodId: null, officeId: null };
  let q: SQL | null = null;
  switch (scopeKind) {
    case 'department':
      return { ...base, departmentId: scopeId };
    case 'hod':
      q = sql`select h.department_id as "departmentId", h.id as "hodId", null::int as "officeId" from hods h where h.id = ${scopeId}`;
      break;
    case 'office':
      q = sql`select o.department_id as "departmentId", o.hod_id as "hodId", o.id as "officeId" from offices o where o.id = ${scopeId}`;
      break;
    case 'ddo':
      q = sql`select o.department_id as "departmentId", o.hod_id as "hodId", o.id as "officeId" from ddo_codes d join offices o on o.id = d.office_id where d.id = ${scopeId}`;
      break;
    default:
      return base;
  }
  const r = await db.execute<{ departmentId: number | null; hodId: number | null; officeId: number | null }>(q);
  const row = r.rows[0];
  return row ? { ...base, departmentId: row.departmentId, hodId: row.hodId, officeId: row.officeId } : base;
}

/**
 * How a module names its records for the access layer (in `<module>.policy.ts`): the kind, the
 * table with the alias its column expressions use, the id, and the SQL of each coordinate.
 * `payers` (an int array expression) reads the paying DDO codes, where the kind has them.
 */
export type AccessSource = {
  kind: TRecordKind;
  from: SQL;
  id: SQL;
  columns: AccessColumns;
  payers?: SQL;
  /** The departments answerable for the record (an int array expression), where the kind has them. */
  ties?: SQL;
};

/** The list condition of a source for an actor. */
export function sourceCondition(reach: Reach, source: AccessSource): SQL {
  return accessCondition(reach, source.kind, source.columns);
}

/** A record's coordinates read through its source (null when there is no such record). */
export async function coordsOf(db: DbOrTx, source: AccessSource, id: number): Promise<Coords | null> {
  const c = source.columns;
  const pick = (x: SQL | undefined) => x ?? sql`null::int`;
  const r = await db.execute<{
    departmentId: number | null;
    hodId: number | null;
    officeId: number | null;
    agencyId: number | null;
    ddoIds: number[] | null;
    departmentIds: number[] | null;
    treasuryId: number | null;
    pdAccountId: number | null;
    districtId: number | null;
  }>(sql`
    select ${pick(c.departmentId)} as "departmentId", ${pick(c.hodId)} as "hodId", ${pick(c.officeId)} as "officeId",
           ${pick(c.agencyId)} as "agencyId", ${source.payers ?? sql`null::int[]`} as "ddoIds", ${source.ties ?? sql`null::int[]`} as "departmentIds",
           ${pick(c.treasuryId)} as "treasuryId", ${pick(c.pdAccountId)} as "pdAccountId", ${pick(c.districtId)} as "districtId"
      from ${source.from} where ${source.id} = ${id}`);
  const row = r.rows[0];
  if (!row) return null;
  return {
    departmentId: row.departmentId,
    hodId: row.hodId,
    officeId: row.officeId,
    agencyId: row.agencyId,
    ddoIds: row.ddoIds ?? [],
    departmentIds: row.departmentIds ?? [],
    treasuryId: row.treasuryId,
    pdAccountId: row.pdAccountId,
    districtId: row.districtId === null ? null : Number(row.districtId),
  };
}

/**
 * The record check services use before reading or changing one record: it exists and the actor
 * may reach it, else "not found" (no existence leak).
 */
export async function requireRecord(db: DbOrTx, actor: Actor, source: AccessSource, id: number): Promise<Coords> {
  const coords = await coordsOf(db, source, id);
  requireAccess(await reachOf(db, actor), source.kind, coords);
  return coords as Coords;
}
