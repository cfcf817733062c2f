import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const stamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** One row: the state this installation serves. */
export const stateSettings = pgTable(
  'state_settings',
  {
    id: integer('id').primaryKey().default(1),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    /** GSTIN state code (Madhya Pradesh = 23). */
    gstStateCode: text('gst_state_code').notNull(),
    /** The financial year starting April of this calendar year, e.g. 2026 = FY 2026-27. */
    currentFyStart: integer('current_fy_start').notNull(),
    helpEmail: text('help_email').notNull().default(''),
    helpPhone: text('help_phone').notNull().default(''),
    /** The age at which a resource retires (spec 04: 18 to this age may be added or approved); Finance sets it. */
    retirementAge: integer('retirement_age').notNull().default(62),
    ...stamps,
  },
  (t) => [check('state_settings_one_row', sql`${t.id} = 1`), check('state_settings_retirement_age', sql`${t.retirementAge} between 55 and 70`)],
);

export const districts = pgTable(
  'districts',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    active: boolean('active').notNull().default(true),
    ...stamps,
  },
  (t) => [uniqueIndex('districts_code_uq').on(t.code), uniqueIndex('districts_name_en_uq').on(t.nameEn)],
);

export const treasuries = pgTable(
  'treasuries',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    active: boolean('active').notNull().default(true),
    ...stamps,
  },
  (t) => [uniqueIndex('treasuries_code_uq').on(t.code), index('treasuries_district_idx').on(t.districtId)],
);

/** Administrative departments (e.g. General Administration Department). */
export const departments = pgTable(
  'departments',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    active: boolean('active').notNull().default(true),
    ...stamps,
  },
  (t) => [uniqueIndex('departments_code_uq').on(t.code)],
);

/** Heads of department / directorates under a department. */
export const hods = pgTable(
  'hods',
  {
    id: serial('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    code: text('code').notNull(),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    active: boolean('active').notNull().default(true),
    ...stamps,
  },
  (t) => [uniqueIndex('hods_code_uq').on(t.code), index('hods_department_idx').on(t.departmentId)],
);

/**
 * Offices. The id is the state's numeric office id (the manual shows 79, 4881, 4889), given by
 * Finance, not generated. `department_id` is denormalised from the HOD so that scope checks and
 * department-wide lists need no join; a trigger keeps it equal to the HOD's department.
 */
export const offices = pgTable(
  'offices',
  {
    id: integer('id').primaryKey(),
    hodId: integer('hod_id')
      .notNull()
      .references(() => hods.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    treasuryId: integer('treasury_id').references(() => treasuries.id),
    address: text('address').notNull().default(''),
    phone: text('phone').notNull().default(''),
    active: boolean('active').notNull().default(true),
    ...stamps,
  },
  (t) => [
    index('offices_hod_idx').on(t.hodId),
    index('offices_department_idx').on(t.departmentId),
    index('offices_district_idx').on(t.districtId),
    check('offices_id_positive', sql`${t.id} > 0`),
  ],
);

export const ddoCodes = pgTable(
  'ddo_codes',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    designationEn: text('designation_en').notNull(),
    designationHi: text('designation_hi').notNull(),
    /** The office the DDO sits in. */
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    treasuryId: integer('treasury_id')
      .notNull()
      .references(() => treasuries.id),
    active: boolean('active').notNull().default(true),
    ...stamps,
  },
  (t) => [uniqueIndex('ddo_codes_code_uq').on(t.code), index('ddo_codes_office_idx').on(t.officeId)],
);

/** DDO-code mapping: which offices draw through which DDO code. */
export const ddoOfficeMap = pgTable(
  'ddo_office_map',
  {
    ddoCodeId: integer('ddo_code_id')
      .notNull()
      .references(() => ddoCodes.id),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ddoCodeId, t.officeId] }), index('ddo_office_map_office_idx').on(t.officeId)],
);

/** Budget lines: demand number and head of account down to object head. */
export const budgetLines = pgTable(
  'budget_lines',
  {
    id: serial('id').primaryKey(),
    demandNo: text('demand_no').notNull(),
    majorHead: text('major_head').notNull(),
    subMajorHead: text('sub_major_head').notNull(),
    minorHead: text('minor_head').notNull(),
    subHead: text('sub_head').notNull(),
    detailedHead: text('detailed_head').notNull(),
    objectHead: text('object_head').notNull(),
    schemeNameEn: text('scheme_name_en').notNull(),
    schemeNameHi: text('scheme_name_hi').notNull(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    active: boolean('active').notNull().default(true),
    ...stamps,
  },
  (t) => [
    uniqueIndex('budget_lines_head_uq').on(t.demandNo, t.majorHead, t.subMajorHead, t.minorHead, t.subHead, t.detailedHead, t.objectHead),
    index('budget_lines_department_idx').on(t.departmentId),
    check('budget_lines_major_4', sql`${t.majorHead} ~ '^[0-9]{4}$'`),
    check('budget_lines_sub_major_2', sql`${t.subMajorHead} ~ '^[0-9]{2}$'`),
    check('budget_lines_minor_3', sql`${t.minorHead} ~ '^[0-9]{3}$'`),
  ],
);

/** Budget-line mapping: which offices may charge outsourcing to which budget line. */
export const budgetLineMap = pgTable(
  'budget_line_map',
  {
    budgetLineId: integer('budget_line_id')
      .notNull()
      .references(() => budgetLines.id),
    officeId: integer('office_id')
      .notNull()
      .references(() => offices.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.budgetLineId, t.officeId] }), index('budget_line_map_office_idx').on(t.officeId)],
);

export const skillLevels = pgTable(
  'skill_levels',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    ...stamps,
  },
  (t) => [uniqueIndex('skill_levels_code_uq').on(t.code)],
);

export const postNames = pgTable(
  'post_names',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    nameEn: text('name_en').notNull(),
    nameHi: text('name_hi').notNull(),
    active: boolean('active').notNull().default(true),
    ...stamps,
  },
  (t) => [uniqueIndex('post_names_code_uq').on(t.code)],
);
