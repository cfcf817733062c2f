import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cells, checkHeaders, readTable, validateRows, writeCsv, writeXlsx } from './tabular.ts';

const cols = [
  { key: 'code', value: (r: { code: string; name: string }) => r.code },
  { key: 'name', value: (r: { code: string; name: string }) => r.name },
];
const rows = [
  { code: '01', name: 'सामान्य प्रशासन विभाग' },
  { code: '02', name: 'Quote " and, comma\nnewline' },
  { code: '03', name: '=HYPERLINK("http://x")' },
];

describe('tabular files', () => {
  it('CSV: BOM, quoting and Hindi survive a round trip; formulas are defused and restored', async () => {
    const buf = writeCsv(cols, rows);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.toString('utf8')).toContain(`"'=HYPERLINK(""http://x"")"`);
    const t = await readTable(buf);
    expect(t.headers).toEqual(['code', 'name']);
    expect(t.rows.map((r) => r.cells)).toEqual(rows);
    expect(t.rows.map((r) => r.row)).toEqual([2, 3, 4]);
  });

  it('XLSX: codes keep leading zeros and Hindi survives', async () => {
    const t = await readTable(await writeXlsx(cols, rows, 'departments'));
    expect(t.rows.map((r) => r.cells)).toEqual(rows);
  });

  it('skips blank lines but keeps spreadsheet row numbers', async () => {
    const t = await readTable(Buffer.from('code,name\n\n01,a\n,\n02,b\n'));
    expect(t.rows.map((r) => [r.row, r.cells.code])).toEqual([
      [3, '01'],
      [5, '02'],
    ]);
  });

  it('checks headers: missing and unknown columns', async () => {
    const t = await readTable(Buffer.from('code,nmae\n1,2\n'));
    expect(checkHeaders(t, ['code', 'name'])).toEqual([
      { row: 1, field: 'name', code: 'required' },
      { row: 1, field: 'nmae', code: 'unknown_field' },
    ]);
  });

  it('validates every row and reports every bad cell with its row number', async () => {
    const t = await readTable(Buffer.from('code,qty,ok\nA1,3,yes\n,x,maybe\nB2,,no\n'));
    const schema = z.object({ code: z.string().min(1), qty: z.number().int().min(1), ok: z.boolean() });
    const res = validateRows(t, schema, {
      prepare: (c, fail) => {
        if (c.code === 'B2') fail('code', 'duplicate');
        return { code: c.code, qty: cells.int(c.qty), ok: cells.bool(c.ok) };
      },
    });
    expect(res.ok.map((r) => r.value)).toEqual([{ code: 'A1', qty: 3, ok: true }]);
    expect(res.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [3, 'code', 'required'],
      [3, 'qty', 'not_integer'],
      [3, 'ok', 'invalid_value'],
      [4, 'code', 'duplicate'],
      [4, 'qty', 'required'],
    ]);
  });

  it('refuses binary content that is not a spreadsheet', async () => {
    await expect(readTable(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]))).rejects.toMatchObject({ code: 'unsupported_media_type' });
  });
});
