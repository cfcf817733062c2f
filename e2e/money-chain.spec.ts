import { mkdirSync, readFileSync } from 'node:fs';
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import type { TAttendanceSheet } from '../shared/contracts/attendance.ts';
import type { TInvoice } from '../shared/contracts/invoice.ts';
import { todayIst } from '../shared/domain/dates.ts';
import { billedRupees, formatEcrLine } from '../shared/domain/ecr.ts';
import { test } from './fixtures.ts';
import { axeViolations, chooseFile, DEMO_PASSWORD, enterStepUpCode, monthsBack, openAs, tr } from './helpers.ts';

// Issue 17, "Done means": the whole money chain on one invoice, once in English and once in
// Hindi. The department manager of office 79 finalises a month's attendance on the grid; the demo
// agency generates contract 2's invoice of that month and submits it; the manager verifies it; the
// DDO's approval is held by the proof gate (the agency billed the month before and has not proved
// its PF / ESI), so the agency uploads that month's EPFO ECR and ESIC challan and it reconciles;
// the DDO approves with the SMS code (read from the developer outbox), downloads the bill as JSON
// and Excel (both hold the net payable the page shows), sends it to the sandbox IFMIS (acknowledged)
// and imports the treasury's payment file covering the net payable; the invoice reads "Paid"; the
// agency records its workers' credits, one worker ₹250 short, and that worker is flagged short.
// Axe-clean on every screen; labels come from the catalogs, so each test runs in the language it
// names. Both tests share the file's database, each on its own months: English August (July before
// it), Hindi June (May before it) — months the demo leaves empty for office 79 (see monthsBack).

test.describe.configure({ mode: 'serial' });

type Lang = 'hi' | 'en';
/** A month as the web's month pickers name it (web/features/invoice/api.ts monthName). */
const monthName = (month: string, lang: Lang) =>
  new Date(`${month}-01T00:00:00Z`).toLocaleDateString(lang === 'hi' ? 'hi-IN' : 'en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The amount a money cell shows ("₹1,234.50"), in paise. */
const paiseOf = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, '')) * 100);
const rupees = (paise: number) => (paise / 100).toFixed(2);

const OFFICE = 79;
/** Contract 2 of the demo agency at office 79: two workers in every month from May to August. */
const CONTRACT_ID = 2;
const CONTRACT_NO = 'FIN/CIF/2025/112';
/**
 * Who approves, sends and records the payments: a login may ask for at most five one-time codes an
 * hour (bar A5) and each chain asks for four, so the English chain is the DDO's (ddo_bhopal) and
 * the Hindi one the in-charge DDO's of the same DDO code (server/modules/payment/payment.ddo.demo.ts).
 */
const DDO: Record<Lang, { username: string; mobile: string }> = {
  en: { username: 'ddo_bhopal', mobile: '9876500005' },
  hi: { username: 'ddo_incharge_bhopal', mobile: '9876500011' },
};

const SHOTS = 'test-results/screens';
mkdirSync(SHOTS, { recursive: true });

async function expectClean(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

async function shot(page: Page, name: string, lang: Lang) {
  await page.screenshot({ path: `${SHOTS}/money-chain-${name}-${lang}.png`, fullPage: true });
}

/** Signs `username` in on an API context of its own; returns the CSRF token of the session (after taking the role at `office`). */
async function apiLogin(api: APIRequestContext, username: string, office?: number): Promise<string> {
  const res = await api.post('/api/v1/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  const me = (await res.json()) as { csrfToken: string; assignments: { id: number; officeId: number | null }[] };
  if (office === undefined) return me.csrfToken;
  const a = me.assignments.find((x) => x.officeId === office);
  const sw = await api.post('/api/v1/auth/switch', { data: { assignmentId: a!.id }, headers: { 'x-csrf-token': me.csrfToken } });
  expect(sw.status(), await sw.text()).toBe(200);
  return ((await sw.json()) as { csrfToken: string }).csrfToken;
}

/**
 * What the chain starts from, made through the API: the month before was worked and billed (the
 * department manager finalised it, the agency generated contract 2's invoice) and its PF / ESI
 * proof is still due. Returns what the agency needs to write that month's ECR and ESIC challan:
 * each billed worker's UAN (from the resource record) and billed EPF wage, and the ESIC billed.
 */
async function billMonthBefore(api: APIRequestContext, month: string) {
  const dm = await apiLogin(api, 'dm_bhopal', OFFICE);
  const url = `/api/v1/attendance/offices/${OFFICE}/months/${month}`;
  const sheet = (await (await api.get(url)).json()) as TAttendanceSheet;
  expect(sheet.state, `${month} is still open for office ${OFFICE}`).toBe('open');
  const rows = sheet.rows.map((r) => ({ resourceId: r.resourceId, version: r.version, present: r.daysOnRolls - 4, paidLeave: 0, offs: 4, absence: 0 }));
  const saved = await api.put(`${url}/rows`, { data: { rows }, headers: { 'x-csrf-token': dm } });
  expect(saved.status(), await saved.text()).toBe(200);
  const fin = await api.post(`${url}/finalise`, { headers: { 'x-csrf-token': dm } });
  expect(fin.status(), await fin.text()).toBe(200);

  const agency = await apiLogin(api, 'agency_admin');
  const gen = await api.post('/api/v1/invoices', { data: { contractId: CONTRACT_ID, month }, headers: { 'x-csrf-token': agency } });
  expect(gen.status(), await gen.text()).toBe(201);
  const inv = (await gen.json()) as TInvoice;
  const members: { uan: string; name: string; epfRupees: number }[] = [];
  let esicPaise = 0;
  for (const d of inv.details) {
    const r = (await (await api.get(`/api/v1/resources/${d.resourceId}`)).json()) as { uan: string };
    const epf = d.lines.find((l) => l.code === 'EPF_ER');
    expect(r.uan, `resource ${d.resourceId} has a UAN`).toMatch(/^\d{12}$/);
    members.push({ uan: r.uan, name: d.nameEn, epfRupees: billedRupees(epf!.basePaise) });
    esicPaise += d.lines.filter((l) => l.code.startsWith('ESIC')).reduce((a, l) => a + l.amountPaise, 0);
  }
  expect(members.length).toBeGreaterThan(0);
  return { members, esicPaise };
}

/** The ECR text file of the EPFO portal (#~# separated), each member with exactly the billed EPF wage. */
function ecrOf(members: { uan: string; name: string; epfRupees: number }[]): string {
  return `${members
    .map((m) => {
      const w = m.epfRupees;
      const ee = Math.round(w * 0.12);
      const eps = Math.round(Math.min(w, 15000) * 0.0833);
      return formatEcrLine({
        uan: m.uan,
        name: m.name,
        grossWages: w,
        epfWages: w,
        epsWages: Math.min(w, 15000),
        edliWages: Math.min(w, 15000),
        eeShare: ee,
        epsShare: eps,
        erShare: ee - eps,
        ncpDays: 0,
        refund: 0,
      });
    })
    .join('\r\n')}\r\n`;
}

/** A date `YYYY-MM-DD` as the date fields take it (DD/MM/YYYY). */
const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** Opens a workflow step's confirmation, checks it with axe, confirms it and waits for it to close. */
async function confirmStep(page: Page, lang: Lang, action: 'submit' | 'verify') {
  await page.getByTestId(`invoice-${action}`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expectClean(page);
  await dialog.getByRole('button', { name: tr(lang, `invoice.workflow.action.${action}`), exact: true }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
}

async function switchUser(page: Page, username: string, path: string, lang: Lang, office?: number) {
  await page.context().clearCookies();
  await openAs(page, username, path, { lang, ...(office === undefined ? {} : { office }) });
}

async function chain(page: Page, api: APIRequestContext, lang: Lang, month: string) {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  const before = d.toISOString().slice(0, 7);
  const LANG = lang.toUpperCase();
  const proofInput = await billMonthBefore(api, before);

  // 1. The department manager finalises the month's attendance of office 79 on the grid.
  await openAs(page, 'dm_bhopal', '/', { lang, office: OFFICE });
  await page
    .getByRole('link', { name: tr(lang, 'attendance.nav.attendance'), exact: true })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: tr(lang, 'attendance.title') })).toBeVisible();
  await page.getByRole('main').getByLabel(tr(lang, 'attendance.office'), { exact: true }).selectOption(String(OFFICE));
  await page.getByRole('main').getByLabel(tr(lang, 'attendance.month'), { exact: true }).selectOption(month);
  const grid = page.getByTestId('attendance-grid');
  await expect(grid).toBeVisible();
  const sheet = (await (await page.request.get(`/api/v1/attendance/offices/${OFFICE}/months/${month}`)).json()) as TAttendanceSheet;
  expect(sheet.state).toBe('open');
  expect(sheet.rows.length).toBeGreaterThan(0);
  for (const [i, r] of sheet.rows.entries()) {
    // Row by row: present, paid leave, offs, absence, Tab between them; the next row's focus saves this one, Enter the last.
    await page.getByTestId(`cell-${r.resourceId}-present`).focus();
    for (const [k, v] of [r.daysOnRolls - 5, 1, 4, 0].entries()) {
      if (k > 0) await page.keyboard.press('Tab');
      await page.keyboard.type(String(v));
    }
    if (i === sheet.rows.length - 1) await page.keyboard.press('Enter');
  }
  for (const r of sheet.rows) await expect(page.getByTestId(`balance-${r.resourceId}`)).toHaveText(tr(lang, 'attendance.balanced'), { timeout: 20_000 });
  await expect(page.getByTestId('attendance-finalise')).toBeEnabled();
  await expectClean(page);
  await page.getByTestId('attendance-finalise').click();
  const confirm = page.getByRole('dialog');
  await expect(confirm).toContainText(tr(lang, 'attendance.finaliseConfirm'));
  await expectClean(page);
  await confirm.getByRole('button', { name: tr(lang, 'attendance.finaliseConfirm') }).click();
  await expect(confirm).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('attendance-state')).toContainText(tr(lang, 'attendance.stateFinalised'));
  await expectClean(page);

  // 2. The agency generates contract 2's invoice of the month from the finalised attendance, and submits it.
  await switchUser(page, 'agency_admin', '/', lang);
  await page
    .getByRole('link', { name: tr(lang, 'invoice.nav.list'), exact: true })
    .first()
    .click();
  await expect(page.getByTestId('invoice-list')).toBeVisible();
  await page.getByTestId('invoice-contract').click();
  await page.getByRole('option', { name: CONTRACT_NO }).click();
  await page.getByTestId('invoice-month').click();
  await page.getByRole('option', { name: monthName(month, lang), exact: true }).click();
  await expectClean(page);
  await page.getByTestId('invoice-generate').click();
  await expect(page.getByTestId('invoice-stage')).toHaveText(tr(lang, 'invoice.stage.draft'), { timeout: 60_000 });
  const invoiceUrl = new URL(page.url()).pathname;
  const invoiceId = Number(invoiceUrl.split('/').pop());
  expect(invoiceId).toBeGreaterThan(0);
  const invoiceNo = (await page.getByTestId('invoice-number').textContent())?.trim() ?? '';
  // One line per worker of the contract on the rolls that month (the office's other contract is billed apart).
  const workers = ((await (await page.request.get(`/api/v1/invoices/${invoiceId}`)).json()) as TInvoice).details.length;
  expect(workers, 'two workers: one credited in full, one short').toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('invoice-details').locator('tbody tr')).toHaveCount(workers);
  await expect(page.getByTestId('invoice-total')).toContainText('₹');
  await expectClean(page);
  await shot(page, 'invoice', lang);
  await confirmStep(page, lang, 'submit');
  await expect(page.getByTestId('invoice-stage')).toHaveText(tr(lang, 'invoice.stage.submitted'));
  await expectClean(page);

  // 3. The department manager verifies it.
  await switchUser(page, 'dm_bhopal', invoiceUrl, lang, OFFICE);
  await confirmStep(page, lang, 'verify');
  await expect(page.getByTestId('invoice-stage')).toHaveText(tr(lang, 'invoice.stage.verified'));
  await expectClean(page);

  // 4. The DDO's approval is held: the agency's proof for the month before is not in.
  await switchUser(page, DDO[lang].username, invoiceUrl, lang);
  await page.getByTestId('invoice-approve').click();
  let dialog = page.getByRole('dialog');
  await enterStepUpCode(page, DDO[lang].mobile);
  await dialog.getByRole('button', { name: tr(lang, 'invoice.workflow.action.approve'), exact: true }).click();
  const held = tr(lang, 'errors.invoice_proof_gate_held', { month: '@' }).split('@')[0]!;
  await expect(page.getByTestId('invoice-step-error')).toContainText(held, { timeout: 60_000 });
  await expectClean(page);
  await dialog.getByRole('button', { name: tr(lang, 'common.cancel'), exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('invoice-stage')).toHaveText(tr(lang, 'invoice.stage.verified'));

  // 5. The agency uploads the month before's ECR and ESIC challan: reconciled.
  await switchUser(page, 'agency_admin', '/', lang);
  await page
    .getByRole('link', { name: tr(lang, 'proof.nav'), exact: true })
    .first()
    .click();
  await expect(page.getByTestId('proof-upload')).toBeVisible();
  await page.getByTestId('proof-month').click();
  await page.getByRole('option', { name: monthName(before, lang), exact: true }).click();
  const paidOn = ddmmyyyy(`${month}-12`);
  await page.getByLabel(tr(lang, 'proof.form.trrn')).fill(`31260000${lang === 'en' ? '55501' : '55502'}`);
  await page.getByLabel(tr(lang, 'proof.form.paymentDate')).fill(paidOn);
  await page.getByLabel(tr(lang, 'proof.form.esicChallanNo')).fill(`ESIC-CHAIN-${LANG}`);
  await page.getByLabel(tr(lang, 'proof.form.esicChallanDate')).fill(paidOn);
  await page.getByLabel(tr(lang, 'proof.form.esicAmount')).fill(rupees(proofInput.esicPaise));
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('proof-file').click();
  await (await chooser).setFiles({ name: `ECR_${before}.txt`, mimeType: 'text/plain', buffer: Buffer.from(ecrOf(proofInput.members), 'utf8') });
  await expectClean(page);
  await page.getByTestId('proof-upload').click();
  await expect(page.getByTestId('proof-status')).toHaveText(tr(lang, 'proof.status.reconciled'), { timeout: 30_000 });
  await expect(page.getByText(tr(lang, 'proof.detail.noDifferences'))).toBeVisible();
  await expectClean(page);
  await shot(page, 'proof', lang);

  // 6. The DDO approves with a new code: the bill is prepared, its net payable on the invoice.
  await switchUser(page, DDO[lang].username, invoiceUrl, lang);
  await page.getByTestId('invoice-approve').click();
  dialog = page.getByRole('dialog');
  await enterStepUpCode(page, DDO[lang].mobile);
  await expectClean(page);
  await dialog.getByRole('button', { name: tr(lang, 'invoice.workflow.action.approve'), exact: true }).click();
  await expect(dialog).toBeHidden({ timeout: 90_000 });
  await expect(page.getByTestId('invoice-stage')).toHaveText(tr(lang, 'invoice.stage.approved'));
  const net = paiseOf((await page.getByTestId('invoice-bill-net').textContent()) ?? '');
  expect(net).toBeGreaterThan(0);
  await expectClean(page);
  const bill = ((await (await page.request.get(`/api/v1/invoices/${invoiceId}`)).json()) as TInvoice).bill!;
  expect(bill.netPayablePaise).toBe(net);

  // 7. The bill's page: the same net payable; the JSON and the Excel for IFMIS hold it too.
  await page
    .getByRole('link', { name: tr(lang, 'payment.nav.bills'), exact: true })
    .first()
    .click();
  await page.getByTestId('payment-bills').getByRole('link', { name: bill.billNo, exact: true }).click();
  await expect(page.getByRole('heading', { name: tr(lang, 'payment.bill.title', { billNo: bill.billNo }) })).toBeVisible();
  const netFact = page.getByText(tr(lang, 'payment.bill.net'), { exact: true }).locator('xpath=following-sibling::*[1]');
  await expect(netFact).toHaveText(/₹/);
  expect(paiseOf((await netFact.textContent()) ?? '')).toBe(net);
  await expect(page.getByText(tr(lang, 'payment.status.prepared'), { exact: true })).toBeVisible();
  await expectClean(page);
  const download = async (label: string) => {
    const dl = page.waitForEvent('download');
    await page.getByRole('link', { name: label, exact: true }).click();
    return readFileSync(await (await dl).path());
  };
  const json = JSON.parse((await download(tr(lang, 'payment.bill.exportJson'))).toString('utf8')) as { billNo: string; netPaise: number };
  expect(json.billNo).toBe(bill.billNo);
  expect(json.netPaise).toBe(net);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await download(tr(lang, 'payment.bill.exportXlsx'))) as unknown as ExcelJS.Buffer);
  const sheetRows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => sheetRows.push((row.values as unknown[]).slice(1)));
  const netRow = sheetRows.find((r) => String(r[0]).startsWith(tr('en', 'payment.bill.net')));
  expect(Math.round(Number(netRow?.[1]) * 100)).toBe(net);

  // 8. The DDO sends it to the sandbox IFMIS with the code: acknowledged.
  await enterStepUpCode(page, DDO[lang].mobile);
  await page.getByRole('button', { name: tr(lang, 'payment.bill.send'), exact: true }).click();
  await expect(page.getByText(tr(lang, 'payment.status.acknowledged'), { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(tr(lang, 'payment.stage.billed'), { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: tr(lang, 'payment.bill.send'), exact: true })).toHaveCount(0);
  await expectClean(page);
  await shot(page, 'bill-acknowledged', lang);

  // 9. The treasury's payment file covers the net payable: checked, then saved with the code.
  // Through the agency: one payee, the agency, paid the whole net payable; its sequence as the bill lists it.
  const payees = page.getByTestId('bill-payees').locator('tbody tr');
  await expect(payees).toHaveCount(1);
  const seq = (await payees.first().locator('td').first().innerText()).trim();
  expect(seq).toBe('1');
  const utr = `SBINCHAIN${LANG}01`;
  const csv = ['bill_no,payee_seq,pay_date,utr,amount,status', `${bill.billNo},${seq},${todayIst()},${utr},${rupees(net)},CREDITED`].join('\n');
  await page
    .getByRole('link', { name: tr(lang, 'payment.nav.import'), exact: true })
    .first()
    .click();
  await chooseFile(page, tr(lang, 'payment.import.file'), { name: `treasury-chain-${lang}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: tr(lang, 'payment.import.check'), exact: true }).click();
  await expect(page.getByText(tr(lang, 'payment.import.summary', { total: 1, good: 1, bad: 0 }), { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('import-rows').locator('tbody tr')).toHaveCount(1);
  await expectClean(page);
  await enterStepUpCode(page, DDO[lang].mobile);
  await page.getByRole('button', { name: tr(lang, 'payment.import.save'), exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: tr(lang, 'payment.import.saved', { count: 1 }) })).toBeVisible({ timeout: 30_000 });
  await expectClean(page);

  // 10. The invoice reads "Paid".
  await page.goto(invoiceUrl);
  await expect(page.getByTestId('invoice-stage')).toHaveText(tr(lang, 'invoice.stage.paid'));
  await expect(page.getByTestId('invoice-events')).toContainText(tr(lang, 'invoice.workflow.event.paid'));
  await expectClean(page);
  await shot(page, 'invoice-paid', lang);

  // 11. The agency records its workers' credits: all in full but the last, ₹250 short — flagged.
  await switchUser(page, 'agency_admin', '/', lang);
  await page
    .getByRole('link', { name: tr(lang, 'payment.nav.bills'), exact: true })
    .first()
    .click();
  await page.getByTestId('payment-bills').getByRole('link', { name: bill.billNo, exact: true }).click();
  await page.getByRole('link', { name: tr(lang, 'payment.bill.credits'), exact: true }).click();
  await expect(page.getByTestId('worker-credits')).toBeVisible();
  await expectClean(page);
  const fieldsets = page.locator('fieldset');
  const n = await fieldsets.count();
  expect(n, 'every worker of the invoice still to credit').toBe(workers);
  for (let i = 0; i < n; i++) {
    const owed = paiseOf((await fieldsets.nth(i).locator('legend').innerText()).split('·').pop() ?? '');
    expect(owed).toBeGreaterThan(25_000);
    await page.getByTestId(`credit-utr-${i}`).fill(`NEFTCHAIN${LANG}${i + 1}`);
    await page.getByTestId(`credit-amount-${i}`).fill(rupees(i === n - 1 ? owed - 25_000 : owed));
  }
  await page.getByRole('button', { name: tr(lang, 'payment.credits.save'), exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: tr(lang, 'payment.credits.saved') })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('credit-flagged')).toHaveText(tr(lang, 'payment.credits.flagged_one', { count: 1 }));
  const rows = page.getByTestId('worker-credits').locator('tbody tr');
  const short = rows.filter({ hasText: `NEFTCHAIN${LANG}${n}` });
  await expect(short).toContainText(tr(lang, 'payment.flag.short'));
  await expect(short).toContainText('₹250.00');
  for (let i = 1; i < n; i++) await expect(rows.filter({ hasText: `NEFTCHAIN${LANG}${i}` })).toContainText(tr(lang, 'payment.flag.ok'));
  await expectClean(page);
  await shot(page, 'credits', lang);
}

test('English: attendance to invoice, proof, approval, IFMIS, payment and a worker short — one invoice through the whole chain', async ({ page, request }) => {
  test.setTimeout(480_000);
  await chain(page, request, 'en', monthsBack(4));
});

test('हिन्दी: उपस्थिति से बीजक, प्रमाण, स्वीकृति, आईएफएमआईएस, भुगतान और एक कर्मी को कम जमा — एक बीजक पूरी कड़ी से', async ({ page, request }) => {
  test.setTimeout(480_000);
  await chain(page, request, 'hi', monthsBack(6));
});
