import { type Page, expect } from '@playwright/test';
import { test } from './fixtures.ts';
import { axeViolations, enterStepUpCode, login, openAs } from './helpers.ts';

// Issue 17: an invoice on its way to the bill. The demo agency submits last month's invoice, the
// department manager of the office verifies it, and the DDO approves it with the one-time code
// read from the developer outbox — then the bill (deductions, net payable, payee) is on the
// invoice page. In English on contract 1's invoice, in Hindi on contract 2's; axe-clean throughout.

const T = {
  en: {
    nav: 'Invoices',
    contract: 'FIN/CIF/2026/GEM-07',
    draft: 'Draft (not submitted)',
    submit: 'Submit for verification',
    submitted: 'Submitted — awaiting verification',
    verify: 'Verify',
    verified: 'Verified — awaiting DDO approval',
    approve: 'Approve and prepare the bill',
    approved: 'Approved — bill prepared',
    net: 'Net payable',
  },
  hi: {
    nav: 'बीजक',
    contract: 'FIN/CIF/2025/112',
    draft: 'प्रारूप (प्रस्तुत नहीं)',
    submit: 'सत्यापन हेतु प्रस्तुत करें',
    submitted: 'प्रस्तुत — सत्यापन की प्रतीक्षा',
    verify: 'सत्यापित करें',
    verified: 'सत्यापित — डीडीओ स्वीकृति की प्रतीक्षा',
    approve: 'स्वीकृत करें और देयक तैयार करें',
    approved: 'स्वीकृत — देयक तैयार',
    net: 'शुद्ध देय राशि',
  },
} as const;

async function confirmIn(page: Page, action: string, name: string) {
  await page.getByTestId(`invoice-${action}`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name, exact: true }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
}

for (const [lang, L] of Object.entries(T) as ['en' | 'hi', (typeof T)['en' | 'hi']][]) {
  test(`agency submits, the DM verifies, the DDO approves with the SMS code, and the bill is shown (${lang})`, async ({ page }) => {
    test.setTimeout(240_000);
    // The agency opens last month's draft invoice of the contract and submits it.
    await login(page, 'agency_admin', undefined, lang);
    await page.getByRole('link', { name: L.nav, exact: true }).first().click();
    const list = page.getByTestId('invoice-list');
    await list.locator('tbody tr').filter({ hasText: L.contract }).filter({ hasText: L.draft }).first().getByRole('link').first().click();
    await expect(page.getByTestId('invoice-stage')).toHaveText(L.draft);
    const url = page.url();
    await confirmIn(page, 'submit', L.submit);
    await expect(page.getByTestId('invoice-stage')).toHaveText(L.submitted);
    expect(await axeViolations(page)).toEqual([]);

    // The department manager of the office: the invoice is on the worklist; verifies it.
    await page.context().clearCookies();
    await login(page, 'dm_bhopal', undefined, lang);
    // Two offices: the manager picks the invoice's (79) to act in.
    await page.getByRole('button').filter({ hasText: '(79)' }).first().click();
    await page.getByRole('link', { name: L.nav, exact: true }).first().click();
    await expect(page.getByTestId('invoice-list').locator('tbody tr').filter({ hasText: L.contract }).first()).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(url);
    await confirmIn(page, 'verify', L.verify);
    await expect(page.getByTestId('invoice-stage')).toHaveText(L.verified);

    // The DDO approves with the one-time code sent to the registered mobile.
    await page.context().clearCookies();
    await login(page, 'ddo_bhopal', undefined, lang);
    await page.getByRole('link', { name: L.nav, exact: true }).first().click();
    await expect(page.getByTestId('invoice-list').locator('tbody tr').filter({ hasText: L.contract }).first()).toBeVisible();
    await page.goto(url);
    await page.getByTestId('invoice-approve').click();
    const dialog = page.getByRole('dialog');
    // A new code each time (the English run's code is older and used): the helper waits for a newer SMS.
    await enterStepUpCode(page, '9876500005');
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: L.approve, exact: true }).click();
    await expect(dialog).toBeHidden({ timeout: 60_000 });
    await expect(page.getByTestId('invoice-stage')).toHaveText(L.approved);
    const bill = page.getByTestId('invoice-bill');
    await expect(bill).toContainText(L.net);
    await expect(page.getByTestId('invoice-bill-net')).toContainText('₹');
    await expect(page.getByTestId('invoice-bill-payees').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('invoice-events')).toContainText('Sunita Verma');
    expect(await axeViolations(page)).toEqual([]);
  });
}

// Issue 17 item 7: the demo's invoice held by the proof gate, at the DDO's desk in Hindi — the page
// says which month's PF / ESI proof is missing before the DDO tries, and the approval is refused.
test('the DDO sees an invoice held by the proof gate, and its approval is refused (hi)', async ({ page }) => {
  test.setTimeout(180_000);
  await openAs(page, 'ddo_bhopal', '/invoices', { lang: 'hi' });
  const verified = (await (await page.request.get('/api/v1/invoices?stage=verified')).json()) as { items: { id: number }[] };
  let heldId = 0;
  for (const { id } of verified.items) {
    const inv = (await (await page.request.get(`/api/v1/invoices/${id}`)).json()) as { workflow: { gate: { held: boolean } | null } };
    if (inv.workflow.gate?.held) heldId = id;
  }
  expect(heldId, 'the demo has a verified invoice held by the proof gate').toBeGreaterThan(0);
  // The desk's list (it opens on what awaits the DDO) marks it before the DDO opens anything: one
  // badge, on that invoice's row.
  const badge = page.getByTestId('invoice-gate-held');
  await expect(badge).toHaveCount(1);
  await expect(badge).toContainText('प्रमाण-द्वार पर रुका');
  await expect(badge).not.toContainText(/\d{4}-\d{2}/);
  await page.getByRole('row').filter({ has: badge }).getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/invoices/${heldId}$`));
  const gate = page.getByTestId('invoice-gate');
  await expect(gate).toHaveAttribute('data-held', 'true');
  await expect(gate).toContainText('प्रमाण-द्वार पर रोका गया');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByTestId('invoice-approve').click();
  const dialog = page.getByRole('dialog');
  await enterStepUpCode(page, '9876500005');
  await dialog.getByRole('button', { name: T.hi.approve, exact: true }).click();
  await expect(page.getByTestId('invoice-step-error')).toContainText('स्वीकृति रोकी गई है');
  // The month by its name, as on the page ("अप्रैल 2026"), not "2026-04".
  await expect(page.getByTestId('invoice-step-error')).not.toContainText(/\d{4}-\d{2}/);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: 'test-results/invoice-gate-held-hi.png', fullPage: true });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('invoice-stage')).toHaveText(T.hi.verified);
});
