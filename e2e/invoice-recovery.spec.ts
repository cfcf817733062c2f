import { type APIRequestContext, expect } from '@playwright/test';
import type { TAttendanceSheet } from '../shared/contracts/attendance.ts';
import type { TInvoice } from '../shared/contracts/invoice.ts';
import { test } from './fixtures.ts';
import { axeViolations, DEMO_PASSWORD, monthsBack, openAs, tr } from './helpers.ts';

// Recoveries carried forward on the invoice page (docs/INVOICES.md "Recoveries carried forward"),
// on months the demo leaves empty for office 79 (this file's own database). Set up through the API:
// month A worked and invoiced for contract 2, then its days revised away (requested by the office's
// manager, approved by the DDO) — a recovery of the whole month; month B worked one day by one
// worker: its invoice cannot recover it all, shows the recovery and the line carrying the rest
// forward (RECOVERY_CF); month C worked in full: its invoice shows the balance brought forward from
// B's invoice (RECOVERY_BF). The pages, in English and Hindi, axe-clean; before C, Finance's report of
// open recoveries lists B's balance.
const OFFICE = 79;
const CONTRACT_ID = 2;
const [A, B, C] = [monthsBack(7), monthsBack(6), monthsBack(5)];

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

/** Finalises `month` for office 79: `present(resourceId, daysOnRolls)` days present, the rest absent. */
async function finalise(api: APIRequestContext, month: string, present: (resourceId: number, days: number) => number) {
  const dm = await apiLogin(api, 'dm_bhopal', OFFICE);
  const url = `/api/v1/attendance/offices/${OFFICE}/months/${month}`;
  const sheet = (await (await api.get(url)).json()) as TAttendanceSheet;
  expect(sheet.state, `${month} is still open for office ${OFFICE}`).toBe('open');
  const rows = sheet.rows.map((r) => {
    const p = present(r.resourceId, r.daysOnRolls);
    return { resourceId: r.resourceId, version: r.version, present: p, paidLeave: 0, offs: 0, absence: r.daysOnRolls - p };
  });
  const saved = await api.put(`${url}/rows`, { data: { rows }, headers: { 'x-csrf-token': dm } });
  expect(saved.status(), await saved.text()).toBe(200);
  const fin = await api.post(`${url}/finalise`, { headers: { 'x-csrf-token': dm } });
  expect(fin.status(), await fin.text()).toBe(200);
  return sheet;
}

async function generate(api: APIRequestContext, month: string): Promise<TInvoice> {
  const agency = await apiLogin(api, 'agency_admin');
  const gen = await api.post('/api/v1/invoices', { data: { contractId: CONTRACT_ID, month }, headers: { 'x-csrf-token': agency } });
  expect(gen.status(), await gen.text()).toBe(201);
  return (await gen.json()) as TInvoice;
}

test('the invoice page shows the recovery carried forward and, on the next invoice, the balance brought forward (English and Hindi)', async ({ page }) => {
  test.setTimeout(180_000);
  const api = page.request;
  // Month A: everyone present every day; contract 2 invoiced.
  const sheetA = await finalise(api, A, (_id, days) => days);
  const invA = await generate(api, A);
  const billed = new Set(invA.details.map((d) => d.resourceId));
  // A's days of contract 2's workers revised away: asked by the manager, approved by the DDO.
  const dm = await apiLogin(api, 'dm_bhopal', OFFICE);
  const rows = sheetA.rows
    .filter((r) => billed.has(r.resourceId))
    .map((r) => ({ resourceId: r.resourceId, present: 0, paidLeave: 0, offs: 0, absence: r.daysOnRolls }));
  const req = await api.post(`/api/v1/attendance/offices/${OFFICE}/months/${A}/revisions`, {
    data: { reason: 'Days recorded in error: not worked', rows },
    headers: { 'x-csrf-token': dm },
  });
  expect(req.status(), await req.text()).toBe(200);
  const revisionId = ((await req.json()) as { id: number }).id;
  const ddo = await apiLogin(api, 'ddo_bhopal');
  const decided = await api.post(`/api/v1/attendance/revisions/${revisionId}/decision`, {
    data: { decision: 'approve', remarks: '' },
    headers: { 'x-csrf-token': ddo },
  });
  expect(decided.status(), await decided.text()).toBe(200);

  // Month B: one of contract 2's workers present one day — the invoice cannot recover A's month.
  const one = [...billed][0]!;
  await finalise(api, B, (id, days) => (billed.has(id) ? (id === one ? 1 : 0) : days));
  const invB = await generate(api, B);
  const carried = invB.invoiceLines.filter((l) => l.code === 'RECOVERY_CF');
  expect(carried.length).toBeGreaterThan(0);
  expect(invB.totalPaise).toBe(0);
  // The report of open recoveries lists B's balance for Finance, in ₹, axe-clean.
  await openAs(page, 'finance_admin', '/invoices/recovery-balances');
  const open = page.getByTestId('recovery-balances');
  await expect(open.getByRole('row').filter({ hasText: invB.invoiceNo })).toHaveCount(1);
  await expect(open.getByRole('row').filter({ hasText: invB.invoiceNo })).toContainText(tr('en', 'invoice.recoveries.running'));
  expect(await axeViolations(page)).toEqual([]);
  await page.context().clearCookies();
  // Month C: everyone present; its invoice takes the balance over.
  await finalise(api, C, (_id, days) => days);
  const invC = await generate(api, C);
  expect(invC.invoiceLines.filter((l) => l.code === 'RECOVERY_BF').length).toBe(carried.length);

  for (const lang of ['en', 'hi'] as const) {
    await page.context().clearCookies();
    await openAs(page, 'agency_admin', `/invoices/${invB.id}`, { lang });
    const arrearsB = page.getByTestId('invoice-arrears');
    await expect(arrearsB).toBeVisible();
    // The labels name the part after a dash: match what comes before it.
    const label = (key: string, params: Record<string, string> = {}) => tr(lang, key, { ...params, part: '' }).replace(/ — $/, '');
    await expect(arrearsB.getByRole('row').filter({ hasText: label('invoice.arrears.carriedOut') })).toHaveCount(carried.length);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`/invoices/${invC.id}`);
    const arrearsC = page.getByTestId('invoice-arrears');
    await expect(arrearsC).toBeVisible();
    await expect(arrearsC.getByRole('row').filter({ hasText: label('invoice.arrears.carriedIn', { invoiceNo: invB.invoiceNo }) })).toHaveCount(carried.length);
    expect(await axeViolations(page)).toEqual([]);
  }
});
