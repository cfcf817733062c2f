// Contract use cases, one concern a file; routes call them through this one name.
export * from './contract.queries.ts';
export * from './contract.lifecycle.ts';
export * from './contract.versions.ts';
