import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_COLUMNS } from '../../../shared/contracts/attendance.ts';
import { AppError } from '../../platform/errors.ts';
import { MAX_IMPORT_ROWS, readTable } from '../../platform/tabular/tabular.ts';
import { readUpload, readWholeWorkbook } from './attendance.sheetfile-read.ts';

/**
 * The streaming read of an uploaded attendance workbook (bar S3's bounded memory), beside the
 * route tests of attendance.sheetfile.test.ts: it reads what the whole-workbook read read, and
 * keeps its refusals — formulas (shared ones too), merged cells on any sheet, sheets beyond the
 * instructions, files that are not workbooks — and stops at once past the import's row limit.
 */
const buf = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());
const keys = new Map<string, string>(TEMPLATE_COLUMNS.map((k) => [k, k]));

function template(rows: number): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('2026-11');
  ws.addRow([...TEMPLATE_COLUMNS]);
  for (let i = 0; i < rows; i++)
    ws.addRow(['79', '2026-11', String(1000 + i), i % 2 ? 'राम कुमार' : 'Asha Devi', 'Cleaner', '2026-11-01', '2026-11-30', '30', '26', '0', '4', '0']);
  wb.addWorksheet('Instructions').addRow(['Fill in the days.']);
  return wb;
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}
const codes = (e: AppError) => (e.errors ?? []).map((x) => x.code);
const params = (e: AppError) => (e.errors ?? []).map((x) => x.params);

describe('attendance upload — the streaming workbook read', () => {
  it('reads what the whole-workbook read reads: headers, row numbers, Devanagari, blank rows skipped, a date cell as its date', async () => {
    const wb = template(30);
    const ws = wb.worksheets[0]!;
    ws.getRow(10).values = [];
    ws.getCell('F5').value = new Date(Date.UTC(2026, 10, 3));
    ws.getCell('F5').numFmt = 'dd/mm/yyyy';
    const bytes = await buf(wb);
    const streamed = await readUpload(bytes);
    const whole = await readTable(bytes, { aliases: keys });
    expect(streamed).toEqual(whole);
    expect(streamed.rows).toHaveLength(29);
    expect(streamed.rows.find((r) => r.row === 5)!.cells.fromDate).toBe('2026-11-03');
    expect(streamed.rows.some((r) => r.cells.name === 'राम कुमार')).toBe(true);
  });

  it('refuses shared formulas and formulas on the instructions sheet, naming each cell', async () => {
    const wb = template(5);
    const ws = wb.worksheets[0]!;
    ws.getCell('I2').value = { formula: 'H2-4', result: 26 } as ExcelJS.CellFormulaValue;
    ws.getCell('I3').value = { sharedFormula: 'I2', result: 26 } as ExcelJS.CellSharedFormulaValue;
    wb.worksheets[1]!.getCell('A2').value = { formula: '1+1', result: 2 } as ExcelJS.CellFormulaValue;
    const e = await refusal(readUpload(await buf(wb)));
    expect(e.code).toBe('attendance_file_invalid');
    expect(codes(e)).toEqual(['file_has_formula', 'file_has_formula', 'file_has_formula']);
    expect(params(e).map((p) => p?.cell)).toEqual(['2026-11!I2', '2026-11!I3', 'Instructions!A2']);
  });

  it('refuses merged cells on either sheet, naming the sheet and each range, and an extra sheet', async () => {
    const wb = template(5);
    wb.worksheets[0]!.mergeCells('D2:E2');
    wb.worksheets[0]!.mergeCells('D4:D5');
    wb.worksheets[1]!.mergeCells('A3:C3');
    wb.addWorksheet('My notes').getCell('A1').value = 'scratch';
    const e = await refusal(readUpload(await buf(wb)));
    expect(e.code).toBe('attendance_file_invalid');
    expect(codes(e).sort()).toEqual(['file_extra_sheet', 'file_has_merged_cells', 'file_has_merged_cells', 'file_has_merged_cells']);
    const merged = params(e).filter((p) => p?.range);
    expect(merged.map((p) => `${p!.sheet}:${p!.range}`).sort()).toEqual(['2026-11:D2:E2', '2026-11:D4:D5', 'Instructions:A3:C3']);
    expect(params(e).find((p) => p?.sheet === 'My notes' && !p.range)).toBeDefined();
  });

  it('a damaged or truncated workbook is not a spreadsheet (415), promptly', async () => {
    const good = await buf(template(200));
    for (const bytes of [good.subarray(0, Math.floor(good.length / 2)), Buffer.concat([good.subarray(0, 4), Buffer.alloc(2000, 7)])]) {
      const e = await refusal(readUpload(bytes));
      expect(e.code).toBe('unsupported_media_type');
    }
  });

  it('refuses a data sheet of more rows than an import may have (413), keeping none past the limit', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('2026-11');
    ws.addRow(['resourceId', 'present']);
    for (let i = 0; i < MAX_IMPORT_ROWS + 20; i++) ws.addRow([String(i), '1']);
    const e = await refusal(readUpload(await buf(wb)));
    expect(e.code).toBe('payload_too_large');
  }, 60_000);
});

describe('attendance upload — the whole-workbook fallback', () => {
  it('reads the same table as the streaming read and keeps the refusals (formula, merged cells, extra sheet, not a workbook)', async () => {
    const good = await buf(template(40));
    expect(await readWholeWorkbook(good)).toEqual(await readUpload(good));
    const bad = template(3);
    bad.worksheets[0]!.getCell('H2').value = { formula: '1+1', result: 2 } as ExcelJS.CellValue;
    bad.worksheets[0]!.mergeCells('A5:B5');
    bad.addWorksheet('Extra').addRow(['x']);
    const e = await refusal(readWholeWorkbook(await buf(bad)));
    expect(e.code).toBe('attendance_file_invalid');
    expect(new Set(codes(e))).toEqual(new Set(['file_extra_sheet', 'file_has_merged_cells', 'file_has_formula']));
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 1)]);
    expect((await refusal(readWholeWorkbook(zip))).code).toBe('unsupported_media_type');
  });
});
