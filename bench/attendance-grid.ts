// Issue 15 item 2: the attendance grid (web/features/attendance/AttendancePage.tsx) "stays fast
// with 500 rows". Starts ROAMS in demo mode on a temporary embedded PGlite data directory (the
// demo seed, then the built web app from dist/web — run `npx vite build` first), gives office 79
// (the demo department manager dm_bhopal's) 20 resources on the rolls in one open month and 500
// in the next (set-based INSERTs cloning one approved resource of the office), saves every row
// balanced through the API, and drives Debian Chromium headless with Playwright's library API:
//   (a) load: from the month's `change` event to the grid's last row painted;
//   (b) keyboard latency deep in the grid (rows 400–449 of 500): a digit typed into a cell (until
//       the row's balance indicator shows the new sum), Tab (until the next cell has focus),
//       Enter (until the row left behind shows "Balanced", i.e. saved and re-rendered), ArrowDown;
//   (c) the same on the 20-row month: the floor, measured in the same run (ratio 500 / 20);
//   (d) the JS heap after load (after a forced GC) and the DOM size.
// Latencies are measured inside the page: a capturing listener stamps performance.now() at the
// keydown (or change), a MutationObserver/focusin watcher sees the expected state, and the figure
// ends at the next frame after it (requestAnimationFrame, then a task: the paint has happened).
//   npx vite build --logLevel warn && npm run bench:grid
// BENCH_ROUNDS (5), BENCH_GRID_ROWS (50: rows edited per round in the 500-row grid; the 20-row
// grid edits its first 19), BENCH_GRID_BIG (500), BENCH_GRID_FROM (400: first edited row),
// CHROMIUM (/usr/bin/chromium). Not part of npm test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type APIRequestContext, chromium, type Page } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { seedDemo } from '../server/db/seed/demo.ts';
import type { TAttendanceSheet } from '../shared/contracts/attendance.ts';
import type { TMe } from '../shared/contracts/auth.ts';
import { todayIst } from '../shared/domain/dates.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EDIT_ROWS = Number(process.env.BENCH_GRID_ROWS ?? 50);
const BIG = Number(process.env.BENCH_GRID_BIG ?? 500);
const FROM = Number(process.env.BENCH_GRID_FROM ?? 400);
const SMALL = 20;
const OFFICE = 79;
const PASSWORD = 'Roams@Demo2026';

const cat = JSON.parse(readFileSync('shared/locales/en/attendance.json', 'utf8')) as Record<string, string>;
const tr = (k: string, p: Record<string, string | number> = {}) => (cat[k] ?? '').replace(/\{\{(\w+)\}\}/g, (_, n: string) => String(p[n] ?? ''));
const TXT = {
  over1: tr('overBy', { diff: 1 }),
  off1: tr('offBy', { diff: 1 }),
  balancedUnsaved: `${tr('balanced')} · ${tr('unsaved')}`,
  balanced: tr('balanced'),
};

function monthsBack(back: number): string {
  const d = new Date(`${todayIst().slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 7);
}
const SMALL_MONTH = monthsBack(5);
const BIG_MONTH = monthsBack(4);

// ---- the app, in this process, on a temporary PGlite data directory -------------------------
const t0 = performance.now();
const dir = mkdtempSync(path.join(os.tmpdir(), 'roams-grid-'));
const config = loadConfig({
  ROAMS_MODE: 'demo',
  DATA_DIR: dir,
  FILES_DIR: path.join(dir, 'files'),
  WEB_DIST: process.env.WEB_DIST ?? 'dist/web',
  LOG_LEVEL: 'warn',
});
const database = await openDatabase({ dataDir: path.join(dir, 'pglite') });
await migrateDatabase(database);
await seedDemo(database.db, { password: PASSWORD });
const db = database.db;
const app = await buildApp({ database, config, logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
process.stderr.write(`demo seeded and listening at ${base} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true });
const context = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 900 }, locale: 'en-IN' });
await context.addCookies([{ name: 'roams_lang', value: 'en', url: base, sameSite: 'Strict' }]);
const api: APIRequestContext = context.request;

// Log in as the department manager of office 79 (the page and these API calls share the cookies).
let me = (await (await api.post('/api/v1/auth/login', { data: { username: 'dm_bhopal', password: PASSWORD } })).json()) as TMe;
const write = async (method: 'put' | 'post', url: string, data: unknown) => {
  const r = await api[method](url, { data, headers: { 'x-csrf-token': me.csrfToken } });
  if (r.status() !== 200) throw new Error(`${method} ${url}: ${r.status()} ${await r.text()}`);
  return r;
};
if (me.user.locale !== 'en') await write('put', '/api/v1/auth/locale', { locale: 'en' });
const assignment = me.assignments.find((a) => a.officeId === OFFICE);
if (!assignment) throw new Error(`dm_bhopal has no role at office ${OFFICE}`);
me = (await (await write('post', '/api/v1/auth/switch', { assignmentId: assignment.id })).json()) as TMe;

const sheetUrl = (month: string) => `/api/v1/attendance/offices/${OFFICE}/months/${month}`;
const getSheet = async (month: string) => (await (await api.get(sheetUrl(month))).json()) as TAttendanceSheet;

// ---- the data: 20 rows in SMALL_MONTH, BIG rows in BIG_MONTH, at office 79 -------------------
async function addResources(count: number, joining: string, from: number) {
  if (count <= 0) return;
  const cols = (
    await db.execute<{ c: string }>(
      sql`select column_name as c from information_schema.columns where table_name = 'resources' and table_schema = current_schema() and column_name <> 'id' order by ordinal_position`,
    )
  ).rows.map((x) => x.c);
  const over: Record<string, string> = {
    name_en: `'Grid Bench ' || g`,
    name_hi: `'ग्रिड बेंच कर्मी ' || g`,
    mobile: `'7' || lpad(g::text, 9, '0')`,
    bank_account: `'9100' || lpad(g::text, 10, '0')`,
    aadhaar_ref: 'null',
    aadhaar_hash: 'null',
    aadhaar_last4: `lpad((g % 10000)::text, 4, '0')`,
    status: `'approved'`,
    office_id: String(OFFICE),
    joining_date: `'${joining}'::date`,
    relieved_on: 'null',
    relieve_reason: 'null',
    created_at: 'now()',
    updated_at: 'now()',
  };
  const select = cols.map((c) => over[c] ?? `t.${c}`).join(', ');
  await db.execute(
    sql.raw(`insert into resources (${cols.join(', ')})
      select ${select} from resources t cross join generate_series(${from}, ${from + count - 1}) g
       where t.id = (select id from resources where office_id = ${OFFICE} and status = 'approved' order by id limit 1)`),
  );
}
const small0 = (await getSheet(SMALL_MONTH)).rows.length;
const big0 = (await getSheet(BIG_MONTH)).rows.length;
if (small0 > SMALL) throw new Error(`office ${OFFICE} already has ${small0} rows in ${SMALL_MONTH}`);
await addResources(SMALL - small0, `${SMALL_MONTH}-01`, 1);
await addResources(BIG - big0 - (SMALL - small0), `${BIG_MONTH}-01`, 1000);
const sheets = { small: await getSheet(SMALL_MONTH), big: await getSheet(BIG_MONTH) };
if (sheets.small.rows.length !== SMALL || sheets.big.rows.length !== BIG)
  throw new Error(`rows: ${sheets.small.rows.length} in ${SMALL_MONTH}, ${sheets.big.rows.length} in ${BIG_MONTH}`);
for (const s of Object.values(sheets)) if (!s.editable || s.state !== 'open') throw new Error(`${s.month} is not an open month the manager may fill`);

/** Every row saved balanced as (days−3, 1, 2, 0): the edits below go +1, −2, +1 and end balanced again. */
async function resetRows(month: string) {
  const s = await getSheet(month);
  const rows = s.rows.map((r) => {
    const d = r.daysOnRolls;
    const v = d >= 3 ? { present: d - 3, paidLeave: 1, offs: 2, absence: 0 } : { present: d, paidLeave: 0, offs: 0, absence: 0 };
    return { resourceId: r.resourceId, version: r.version, ...v };
  });
  for (let i = 0; i < rows.length; i += 250) await write('put', `${sheetUrl(month)}/rows`, { rows: rows.slice(i, i + 250) });
}

// ---- the page and its in-page stopwatch -------------------------------------------------------
const page: Page = await context.newPage();
// A string, not a function: tsx's name-keeping helper (__name) does not exist in the page.
await page.addInitScript(`(() => {
  const b = { seq: 0, t: 0 };
  window.__b = b;
  // Event Timing: where an input's time goes (its handlers, i.e. React's render, vs. the rest up to the next paint).
  window.__ev = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__ev.push([e.name, e.processingEnd - e.processingStart, e.duration]);
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  for (const type of ['keydown', 'change'])
    window.addEventListener(type, () => { b.seq++; b.t = performance.now(); }, true);
  window.__bWait = (seq0, cond) =>
    new Promise((resolve, reject) => {
      const deadline = performance.now() + 60000;
      let done = false;
      let mo = null;
      let iv = 0;
      const stop = () => {
        done = true;
        mo.disconnect();
        clearInterval(iv);
        document.removeEventListener('focusin', check, true);
      };
      const check = () => {
        if (done) return;
        if (b.seq > seq0 && cond()) {
          stop();
          const start = b.t;
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
        } else if (performance.now() > deadline) {
          stop();
          reject(new Error('timed out waiting for ' + cond));
        }
      };
      mo = new MutationObserver(check);
      mo.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      document.addEventListener('focusin', check, true);
      iv = setInterval(check, 4);
      check();
    });
})()`);
const cdp = await context.newCDPSession(page);

const q = (testid: string) => `document.querySelector('[data-testid="${testid}"]')`;
const focused = (testid: string) => `document.activeElement?.getAttribute('data-testid') === '${testid}'`;
const shows = (testid: string, text: string) => `${q(testid)}?.textContent === ${JSON.stringify(text)}`;

/** Runs `doIt` (a key press, a selection) and returns the in-page ms from its event to the frame after `cond` held. */
async function timed(doIt: () => Promise<unknown>, cond: string): Promise<number> {
  const seq = (await page.evaluate('window.__b.seq')) as number;
  const waiting = page.evaluate(`window.__bWait(${seq}, () => ${cond})`) as Promise<number>;
  await doIt();
  return waiting;
}
const key = (k: string, cond: string) => timed(() => page.keyboard.press(k), cond);

type Size = 'small' | 'big';
const samples = new Map<string, number[]>();
const add = (k: string, v: number) => samples.set(k, [...(samples.get(k) ?? []), v]);

async function round(size: Size) {
  const month = size === 'small' ? SMALL_MONTH : BIG_MONTH;
  await resetRows(month);
  const sheet = await getSheet(month);
  const rows = sheet.rows;
  await page.goto('/attendance');
  await page.getByRole('main').getByLabel(tr('office'), { exact: true }).selectOption(String(OFFICE));
  await page.getByTestId('attendance-grid').waitFor(); // the default month's grid (not measured)
  // (a) load: month chosen → last row painted (its balance reads "Balanced": entries are in).
  const last = rows[rows.length - 1]!.resourceId;
  add(
    `${size}:load`,
    await timed(() => page.getByRole('main').getByLabel(tr('month'), { exact: true }).selectOption(month), shows(`balance-${last}`, TXT.balanced)),
  );
  // (d) heap after load, after a forced GC; the DOM's size.
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  add(`${size}:heapMB`, heap.usedSize / 1048576);
  add(`${size}:domNodes`, (await page.evaluate('document.getElementsByTagName("*").length')) as number);

  // (b) editing, row by row: paid leave 1→2, Tab, offs 2→0, Tab, absence 0→1, Enter (saves the row, goes down).
  const from = size === 'small' ? 0 : FROM;
  const to = size === 'small' ? rows.length - 1 : Math.min(FROM + EDIT_ROWS, rows.length - 1);
  const id = (i: number) => rows[i]!.resourceId;
  await page.evaluate('window.__ev.splice(0)');
  await page.getByTestId(`cell-${id(from)}-paidLeave`).focus();
  for (let i = from; i < to; i++) {
    const r = id(i);
    add(`${size}:digit`, await key('2', `${q(`cell-${r}-paidLeave`)}.value === '2' && ${shows(`balance-${r}`, TXT.over1)}`));
    add(`${size}:tab`, await key('Tab', focused(`cell-${r}-offs`)));
    add(`${size}:digit`, await key('0', `${q(`cell-${r}-offs`)}.value === '0' && ${shows(`balance-${r}`, TXT.off1)}`));
    add(`${size}:tab`, await key('Tab', focused(`cell-${r}-absence`)));
    add(`${size}:digit`, await key('1', `${q(`cell-${r}-absence`)}.value === '1' && ${shows(`balance-${r}`, TXT.balancedUnsaved)}`));
    add(`${size}:enterSave`, await key('Enter', `${focused(`cell-${id(i + 1)}-absence`)} && ${shows(`balance-${r}`, TXT.balanced)}`));
    await key('ArrowLeft', focused(`cell-${id(i + 1)}-offs`));
    await key('ArrowLeft', focused(`cell-${id(i + 1)}-paidLeave`));
  }
  // The digits' input events (≥ 16 ms only: Event Timing reports nothing shorter).
  for (const [name, js, total] of (await page.evaluate('window.__ev.splice(0)')) as [string, number, number][])
    if (name === 'input') {
      add(`${size}:inputJs`, js);
      add(`${size}:inputRest`, total - js);
    }
  // ArrowDown across the same rows (nothing dirty: focus moves, nothing is saved).
  await page.getByTestId(`cell-${id(from)}-present`).focus();
  for (let i = from; i < to; i++) add(`${size}:arrowDown`, await key('ArrowDown', focused(`cell-${id(i + 1)}-present`)));
  // Every edited row was saved as typed.
  const after = await getSheet(month);
  const bad = after.rows.slice(from, to).filter((r) => r.paidLeave !== 2 || r.offs !== 0 || r.absence !== 1 || !r.balanced);
  if (bad.length) throw new Error(`${bad.length} edited rows of ${month} not saved as typed`);
}

const load = (await import('node:os')).loadavg();
for (let r = 0; r < ROUNDS; r++) {
  for (const size of (r % 2 === 0 ? ['small', 'big'] : ['big', 'small']) as Size[]) await round(size);
  process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
}
const loadAfter = os.loadavg();

const sorted = (k: string) => [...(samples.get(k) ?? [])].sort((a, b) => a - b);
const pct = (k: string, p: number) => {
  const s = sorted(k);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
console.log(
  `\nAttendance grid, ${SMALL} vs ${BIG} rows; ${ROUNDS} rounds; Chromium ${browser.version()} headless; node ${process.version}; ${new Date().toISOString().slice(0, 16)}Z; load average before ${load.map(f1).join(' ')}, after ${loadAfter.map(f1).join(' ')}`,
);
console.log(`| measure | n (${SMALL}/${BIG}) | ${SMALL} rows median | ${SMALL} rows p95 | ${BIG} rows median | ${BIG} rows p95 | ratio median | ratio p95 |`);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [k, label] of [
  ['load', 'load: month chosen → last row painted (ms)'],
  ['digit', 'digit typed → balance updated (ms)'],
  ['tab', 'Tab → next cell focused (ms)'],
  ['arrowDown', 'ArrowDown → next row focused (ms)'],
  ['enterSave', 'Enter → row saved and shown (ms)'],
] as const) {
  const s = `small:${k}`;
  const b = `big:${k}`;
  console.log(
    `| ${label} | ${samples.get(s)?.length}/${samples.get(b)?.length} | ${f0(pct(s, 50))} | ${f0(pct(s, 95))} | ${f0(pct(b, 50))} | ${f0(pct(b, 95))} | ${(pct(b, 50) / pct(s, 50)).toFixed(1)}× | ${(pct(b, 95) / pct(s, 95)).toFixed(1)}× |`,
  );
}
console.log(
  `| JS heap after load, after GC (MB) | | ${f1(pct('small:heapMB', 50))} | | ${f1(pct('big:heapMB', 50))} | | ${(pct('big:heapMB', 50) / pct('small:heapMB', 50)).toFixed(1)}× | |`,
);
console.log(`| DOM elements | | ${pct('small:domNodes', 50)} | | ${pct('big:domNodes', 50)} | | | |`);
console.log(
  `\nEvent Timing of the typed digits' input events (entries ≥ 16 ms only; n ${samples.get('small:inputJs')?.length ?? 0}/${samples.get('big:inputJs')?.length ?? 0}): handlers (React's render and commit) median ${f0(pct('small:inputJs', 50))} / ${f0(pct('big:inputJs', 50))} ms, the rest to the next paint (style, layout, paint) median ${f0(pct('small:inputRest', 50))} / ${f0(pct('big:inputRest', 50))} ms (${SMALL} / ${BIG} rows)`,
);
const keyP95 = Math.max(...['digit', 'tab', 'arrowDown'].map((k) => pct(`big:${k}`, 95)));
console.log(
  `\nTarget: keystroke latency p95 < 100 ms at ${BIG} rows (digit, Tab, ArrowDown; Enter includes the save's round trip): ${keyP95 < 100 ? 'met' : 'NOT met'} (worst p95 ${f0(keyP95)} ms)`,
);

await browser.close();
await app.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
