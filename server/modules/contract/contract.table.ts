import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.table.ts';
import { storedFiles } from '../../platform/files/files.table.ts';
import { agencies } from '../agency/agency.table.ts';
import { budgetLines, ddoCodes, departments, offices, postNames, skillLevels } from '../org/org.table.ts';

import {
  CONTRACT_STATUSES,
  EPF_MODES,
  PAYMENT_MODES,
  PROCUREMENT_MODES,
  VERSION_KINDS,
  VERSION_STATES,
  WAGE_BASES,
} from '../../../shared/contracts/contract.ts';

/**
 * Contracts / work orders (spec 03, seed 000 para 2(ii)). The identity of a contract — who, with
 * whom, which number — lives here; its terms live in `contract_versions`. Extensions and
 * amendments are new versions; a version in force is never edited (trigger), so the history of
 * every term is kept. `expired` is also derived from the in-force version's end date when read.
 */
export const contracts = pgTable(
  'contracts',
  {
    id: serial('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    /** The contracting office (the department manager's office). */
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    contractNo: text('contract_no').notNull(),
    contractDate: date('contract_date', { mode: 'string' }).notNull(),
    procurementMode: text('procurement_mode', { enum: PROCUREMENT_MODES }).notNull(),
    /** GeM contract number (GEMC-…) and bid number, when procured on GeM. */
    gemContractNo: text('gem_contract_no').notNull().default(''),
    gemBidNo: text('gem_bid_no').notNull().default(''),
    /** Dated before 1 April 2026 (seed 000 para 2(ii): on the portal by 30 June 2026). */
    isLegacy: boolean('is_legacy').notNull().default(false),
    status: text('status', { enum: CONTRACT_STATUSES }).notNull().default('draft'),
    terminatedOn: date('terminated_on', { mode: 'string' }),
    terminationReason: text('termination_reason').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contracts_dept_no_uq').on(t.departmentId, sql`lower(${t.contractNo})`),
    index('contracts_department_idx').on(t.departmentId, t.id),
    index('contracts_office_idx').on(t.officeId),
    index('contracts_agency_idx').on(t.agencyId, t.id),
    index('contracts_status_idx').on(t.status),
    // The list's default order, newest first (migration 0057).
    index('contracts_created_idx').on(t.createdAt.desc().nullsLast(), t.id.desc()),
    check('contracts_gem_no', sql`(${t.procurementMode} = 'gem') = (${t.gemContractNo} <> '')`),
    check('contracts_terminated', sql`(${t.status} = 'terminated') = (${t.terminatedOn} is not null)`),
  ],
);

/**
 * The terms of a contract, version by version. Version 1 is the original; each extension or
 * amendment is the next number. One version per contract is `in_force` (partial unique index);
 * the previous one becomes `superseded`. Once a version leaves `draft`, only its `state` may change
 * (trigger), and its posts and budget lines are frozen.
 */
export const contractVersions = pgTable(
  'contract_versions',
  {
    id: serial('id').primaryKey(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    versionNo: integer('version_no').notNull(),
    kind: text('kind', { enum: VERSION_KINDS }).notNull(),
    state: text('state', { enum: VERSION_STATES }).notNull().default('draft'),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    /** The DDO code that pays. */
    ddoCodeId: integer('ddo_code_id')
      .notNull()
      .references(() => ddoCodes.id),
    paymentMode: text('payment_mode', { enum: PAYMENT_MODES }).notNull(),
    wageBasis: text('wage_basis', { enum: WAGE_BASES }).notNull(),
    /** Service charge in basis points of a per cent (3.85 % = 385). */
    serviceChargeBp: integer('service_charge_bp').notNull(),
    epfMode: text('epf_mode', { enum: EPF_MODES }).notNull(),
    esicApplies: boolean('esic_applies').notNull(),
    /** Bonus in basis points (0 = none, 833 = 8.33 %, at most 2000 = 20 %). */
    bonusBp: integer('bonus_bp').notNull(),
    fileId: integer('file_id').references(() => storedFiles.id),
    remark: text('remark').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    activatedBy: integer('activated_by').references(() => users.id),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('contract_versions_no_uq').on(t.contractId, t.versionNo),
    uniqueIndex('contract_versions_in_force_uq').on(t.contractId).where(sql`${t.state} = 'in_force'`),
    index('contract_versions_end_idx').on(t.endDate).where(sql`${t.state} = 'in_force'`),
    check('contract_versions_period', sql`${t.endDate} >= ${t.startDate}`),
    check('contract_versions_service_charge', sql`${t.serviceChargeBp} between 0 and 10000`),
    check('contract_versions_bonus', sql`${t.bonusBp} = 0 or ${t.bonusBp} between 833 and 2000`),
  ],
);

/** Budget line(s) a version charges. */
export const contractVersionBudgetLines = pgTable(
  'contract_version_budget_lines',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => contractVersions.id),
    budgetLineId: integer('budget_line_id')
      .notNull()
      .references(() => budgetLines.id),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.budgetLineId] })],
);

/**
 * The posts a version covers: per (office, skill level, post name) a number of positions and
 * the monthly wage per position, basic and VDA in integer paise (EPF wages are basic + DA).
 */
export const contractPosts = pgTable(
  'contract_posts',
  {
    id: serial('id').primaryKey(),
    versionId: integer('version_id')
      .notNull()
      .references(() => contractVersions.id),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    skillLevelId: integer('skill_level_id')
      .notNull()
      .references(() => skillLevels.id),
    postNameId: integer('post_name_id')
      .notNull()
      .references(() => postNames.id),
    positions: integer('positions').notNull(),
    basicPaise: bigint('basic_paise', { mode: 'number' }).notNull(),
    vdaPaise: bigint('vda_paise', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('contract_posts_line_uq').on(t.versionId, t.officeId, t.skillLevelId, t.postNameId),
    index('contract_posts_key_idx').on(t.officeId, t.skillLevelId, t.postNameId),
    check('contract_posts_positions_positive', sql`${t.positions} > 0`),
    check('contract_posts_basic_positive', sql`${t.basicPaise} > 0`),
    check('contract_posts_vda_nonnegative', sql`${t.vdaPaise} >= 0`),
  ],
);
