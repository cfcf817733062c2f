import type ExcelJS from 'exceljs';

let loaded: Promise<typeof ExcelJS> | undefined;

/**
 * exceljs, loaded on first use: it is the heaviest module the server imports (≈ 0.5–1 s of a core),
 * and only a spreadsheet upload or export needs it. Every process that imports the app pays it
 * otherwise — each server start (bar S6) and each test file of the suite (twice per CI run).
 * Types stay `import type ExcelJS from 'exceljs'`; values come from `await excel()`.
 */
export function excel(): Promise<typeof ExcelJS> {
  loaded ??= import('exceljs').then((m) => (m as unknown as { default: typeof ExcelJS }).default ?? (m as unknown as typeof ExcelJS));
  return loaded;
}
