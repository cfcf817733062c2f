// Bar S3's bounded memory: the reading alone of a department-wide attendance workbook, streaming
// (attendance.sheetfile.ts readUpload) or whole (tabular.ts readTable, exceljs' workbook model).
//   npx tsx bench/attendance-read.ts 49000            writes /tmp/att_probe_49000.xlsx (13 columns, as the department template)
//   node --max-old-space-size=96 --expose-gc --import tsx bench/attendance-read.ts 49000 stream|whole
// Prints the time, the peak heap and rss above the start (sampled every 20 ms) and what the table
// holds after a GC; the smallest --max-old-space-size at which a read still finishes is the bound.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { readUpload } from '../server/modules/attendance/attendance.sheetfile-read.ts';
import { readTable } from '../server/platform/tabular/tabular.ts';
import { TEMPLATE_COLUMNS } from '../shared/contracts/attendance.ts';
const N = Number(process.argv[2] ?? 50000);
const file = `/tmp/att_probe_${N}.xlsx`;
if (!existsSync(file)) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('2026-11');
  ws.addRow(['officeId', 'officeName', ...TEMPLATE_COLUMNS.slice(1)]);
  for (let i = 0; i < N; i++)
    ws.addRow([
      String(100 + (i % 300)),
      'Office of the Collector, Bhopal',
      '2026-11',
      String(100000 + i),
      `Resource name ${i}`,
      'Cleaner',
      '2026-11-01',
      '2026-11-30',
      '30',
      '26',
      '0',
      '4',
      '0',
    ]);
  wb.addWorksheet('Instructions').addRow(['x']);
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  process.exit(0);
}
const b = readFileSync(file);
const which = process.argv[3];
(globalThis as { gc?: () => void }).gc?.();
const m0 = process.memoryUsage();
const peak = { rss: m0.rss, heap: m0.heapUsed };
const h = setInterval(() => {
  const u = process.memoryUsage();
  peak.rss = Math.max(peak.rss, u.rss);
  peak.heap = Math.max(peak.heap, u.heapUsed);
}, 20);
const t0 = performance.now();
const t = which === 'whole' ? await readTable(b, { aliases: new Map(TEMPLATE_COLUMNS.map((k) => [k, k])) }) : await readUpload(b);
const dt = performance.now() - t0;
clearInterval(h);
(globalThis as { gc?: () => void }).gc?.();
const m1 = process.memoryUsage();
console.log(
  which,
  N,
  'rows',
  t.rows.length,
  'file',
  (b.length / 1e6).toFixed(1),
  'MB',
  dt.toFixed(0),
  'ms',
  'peak heap +',
  ((peak.heap - m0.heapUsed) / 1048576).toFixed(0),
  'MB; rss +',
  ((peak.rss - m0.rss) / 1048576).toFixed(0),
  'MB; table held after gc +',
  ((m1.heapUsed - m0.heapUsed) / 1048576).toFixed(0),
  'MB',
);
