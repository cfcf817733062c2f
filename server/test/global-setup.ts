import type { TestProject } from 'vitest/node';
import { buildTemplates, type Templates } from './template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    roamsTemplates: Templates;
  }
}

/** Vitest globalSetup: migrate + seed once per run; every test file clones the result (harness.ts). */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const { templates, dispose } = await buildTemplates(process.env.TEST_DATABASE_URL || undefined);
  project.provide('roamsTemplates', templates);
  console.log(`test database templates (${templates.engine}) built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dispose;
}
