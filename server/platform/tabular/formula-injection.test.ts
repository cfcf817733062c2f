import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
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
