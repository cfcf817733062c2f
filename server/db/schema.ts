// Every table, for Drizzle and drizzle-kit. Each table is defined by the module that owns it.
export * from '../modules/agency/agency.table.ts';
export * from '../modules/contract/contract.table.ts';
export * from '../modules/org/org.table.ts';
export * from '../modules/rates/rates.table.ts';
export * from '../modules/resource/resource.table.ts';
export * from '../modules/sanction/sanction.table.ts';
export * from '../platform/adapters/ekyc.sandbox.table.ts';
export * from '../platform/audit/audit.table.ts';
export * from '../platform/auth/auth.table.ts';
export * from '../platform/files/files.table.ts';
export * from '../platform/jobs/jobs.table.ts';
export * from '../platform/outbox/outbox.table.ts';
export * from '../platform/security/security.table.ts';
export * from '../platform/vault/vault.table.ts';
export * from './meta.table.ts';
export * from '../modules/pd/pd.table.ts';
