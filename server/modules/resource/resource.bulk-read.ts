import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { excel } from '../../platform/tabular/excel.ts';
import { AppError } from '../../platform/errors.ts';
import { cellText, isXlsx, readStrictWorkbook, type StrictWorkbook } from '../../platform/tabular/tabular.ts';

/**
 * Reads an uploaded bulk template (issue 14 item 1) like `readStrictWorkbook` — every sheet as
 * cell texts (dates as ISO dates), the sheets beyond `expected`, every formula cell — but with
 * exceljs's streaming reader, which reads each sheet's cells and nothing else. The whole-workbook
 * reader also builds the template's drop-down validations, which exceljs expands to one entry per
 * cell (25,000 for 5,000 rows × 5 columns): measured (bench/resource-bulk.ts, 5,000 rows) that
 * was most of the reading. Refusals are unchanged: not a spreadsheet by content (`file_not_spreadsheet`),
 * and the caller refuses extra sheets, formulas, and another contract's or an unknown template.
 */
export async function readBulkWorkbook(buf: Buffer, expected: readonly string[]): Promise<StrictWorkbook> {
  const { ValueType } = await excel();
  const notSpreadsheet = () => new AppError('unsupported_media_type', { errors: [{ field: 'file', code: 'file_not_spreadsheet' }] });
  if (!isXlsx(buf)) throw notSpreadsheet();
  const out: StrictWorkbook = { sheets: new Map(), extraSheets: [], formulas: [] };
  // Styles are read so that a date cell (a number with a date format) reads as a date.
  const reader = new (await excel()).stream.xlsx.WorkbookReader(Readable.from([buf]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const ws of reader) {
      const name = (ws as unknown as { name?: string }).name ?? '';
      if (!expected.includes(name)) out.extraSheets.push(name);
      const matrix: string[][] = [];
      let width = 0;
      for await (const row of ws) {
        const line: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          // Any <f> element is a formula, also one whose text is empty (a shared formula's other cells).
          const v = cell.value as { formula?: unknown } | null;
          if (cell.type === ValueType.Formula || (v !== null && typeof v === 'object' && 'formula' in v)) out.formulas.push(`${name}!${cell.address}`);
          line[col - 1] = cellText(cell.value);
        });
        for (let c = 0; c < line.length; c++) line[c] ??= '';
        width = Math.max(width, line.length);
        matrix[row.number - 1] = line;
      }
      for (let i = 0; i < matrix.length; i++) {
        const line = (matrix[i] ??= []);
        while (line.length < width) line.push('');
      }
      out.sheets.set(name, matrix);
    }
  } catch {
    // exceljs's streaming reader sometimes meets a worksheet before it has parsed workbook.xml
    // ("Cannot read properties of undefined (reading 'sheets')", about 1 read in 100 of a valid
    // file, seen in CI): the whole-workbook reader then decides — it reads a valid file and
    // refuses a damaged one with the same file_not_spreadsheet.
    return readStrictWorkbook(buf, expected);
  }
  return out;
}
