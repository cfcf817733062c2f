import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type ReportColumn, writeReportCsv, writeReportXlsx, XLSX_HEADER_ROW } from './report.ts';
import { readTable, writeCsv, writeXlsx } from './tabular.ts';

/**
 * Issue 11, finding 4: CSV / Excel formula injection. OWASP's list of leading characters —
 * `=`, `+`, `-`, `@`, tab, carriage return — is neutralised on export (a leading apostrophe),
 * and restored on import; plain negative numbers stay numbers.
 */
const col = [{ key: 'name', value: (r: { name: string | number }) => r.name }];
const ATTACKS = ['=1+1', '+1+cmd|" /C calc"!A0', '-2+3+cmd|" /C calc"!A0', '@SUM(1+9)*cmd|" /C calc"!A0', '\t=1+1', '\r=1+1', '-1+1'];

function csvCells(buf: Buffer): string[] {
  return buf
    .toString('utf8')
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .slice(1, -1);
}

describe('formula injection in exports', () => {
  it.each(ATTACKS)('CSV neutralises %j', async (attack) => {
    const buf = writeCsv(col, [{ name: attack }]);
    const cell = csvCells(buf).join('\r\n').replace(/^"|"$/g, '');
    expect(cell.startsWith("'")).toBe(true);
    const back = await readTable(buf);
    expect(back.rows[0]?.cells.name).toBe(attack);
  });

  it('leaves plain negative numbers (a reduction of posts) and ordinary text alone', () => {
    expect(csvCells(writeCsv(col, [{ name: -12 }, { name: '-3.5' }, { name: 'Narmada-Manpower' }, { name: 'राम' }]))).toEqual([
      '-12',
      '-3.5',
      'Narmada-Manpower',
      'राम',
    ]);
  });

  it('XLSX: every attack is a text cell, never a formula', async () => {
    const buf = await writeXlsx(
      col,
      ATTACKS.map((name) => ({ name })),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    for (let i = 0; i < ATTACKS.length; i++) {
      const cell = ws.getRow(i + 2).getCell(1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeFalsy();
    }
  });
});

describe('formula injection in report exports (the list exports)', () => {
  const meta = {
    title: 'export.title.contracts',
    actor: { name: '=HYPERLINK("http://x")', role: 'finance_admin' as const },
    locale: 'en' as const,
    now: new Date(),
    filters: [],
  };
  const cols: ReportColumn<{ name: string }>[] = [{ header: 'common.status', kind: 'text', value: (r) => r.name }];

  it.each(ATTACKS)('CSV neutralises %j in a text column', async (attack) => {
    const buf = writeReportCsv(meta, cols, [{ name: attack }]);
    const records = parse(buf, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    expect(records.at(-1)![0]!.startsWith("'")).toBe(true);
    // The title block is text a spreadsheet opens too: it starts with words, never a formula.
    expect(records[1]![0]).toBe('Exported by: =HYPERLINK("http://x") (Finance Administrator)');
    const back = await readTable(buf, { aliases: new Map([['Status', 'name']]) });
    expect(back.rows[0]?.cells.name).toBe(attack);
  });

  it('XLSX: every attack (and the title block) is a text cell, never a formula', async () => {
    const buf = await writeReportXlsx(
      meta,
      cols,
      ATTACKS.map((name) => ({ name })),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    for (let n = 1; n <= ws.rowCount; n++) {
      const cell = ws.getRow(n).getCell(1);
      expect(cell.formula).toBeFalsy();
      if (n > XLSX_HEADER_ROW) expect(cell.type).toBe(ExcelJS.ValueType.String);
    }
    expect(ws.getRow(XLSX_HEADER_ROW + 1).getCell(1).value).toBe(ATTACKS[0]);
  });
});
