import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { chooseFile, expectAccessible, openAs, setLanguage } from './helpers.ts';

// Spec 03 (contracts) end to end: a department manager of office 79 registers a GeM contract with
// the verified agency "Narmada Manpower Services" against the locked posts of sanction order 1
// (High Skilled Accountant: 4 sanctioned at office 79, 2 covered by the demo's active contract). One position too many and a wage below the
// minimum are refused on the posts row; fixed, the contract is saved and activated. The agency's
// admin then sees it read-only. Key screens in Hindi and English with axe-core.

test.setTimeout(180_000);
// The agency's test reads the contract the department manager's test registers.
test.describe.configure({ mode: 'serial' });
let registered: { id: number; no: string; start: string; end: string } | null = null;

async function loginDm(page: Page) {
  await openAs(page, 'dm_bhopal', '/', { office: 79 });
}

/** A minimal, valid one-page PDF (the server checks the `%PDF-` magic bytes). */
function tinyPdf(): Buffer {
  return Buffer.from(
    [
      '%PDF-1.4',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
      'trailer << /Root 1 0 R >>',
      '%%EOF',
    ].join('\n'),
    'latin1',
  );
}

/** An IST date `days` from today as dd/mm/yyyy and ISO. */
function istDate(days: number): { ui: string; iso: string } {
  const iso = new Date(Date.now() + 330 * 60_000 + days * 86_400_000).toISOString().slice(0, 10);
  const [y, m, d] = iso.split('-');
  return { ui: `${d}/${m}/${y}`, iso };
}

const T = {
  en: {
    menu: 'Menu',
    nav: 'Contracts / Work Orders',
    title: 'Contracts / Work Orders',
    register: 'Register Contract',
    registerTitle: 'Register Contract / Work Order',
    heading: 'Contract',
    draft: 'Draft',
    active: 'Active',
    verified: 'Verified',
    activate: 'Activate',
    activateConfirm: 'Yes, activate',
    activated: 'The contract is now active.',
    readOnly: 'You can see this contract; only the department can change it.',
    ratesNav: 'Minimum Wages',
    ratesTitle: 'Minimum Wages by Skill Level',
    stale: 'No revision has been entered with effect from 01/10/2026',
    legacyNav: 'Contract Registration Progress',
  },
  hi: {
    menu: 'मेन्यू',
    nav: 'अनुबंध / कार्यादेश',
    title: 'अनुबंध / कार्यादेश',
    register: 'अनुबंध पंजीकृत करें',
    registerTitle: 'अनुबंध / कार्यादेश पंजीकृत करें',
    heading: 'अनुबंध',
    draft: 'प्रारूप',
    active: 'सक्रिय',
    verified: 'सत्यापित',
    activate: 'सक्रिय करें',
    activateConfirm: 'हाँ, सक्रिय करें',
    activated: 'अनुबंध अब सक्रिय है।',
    readOnly: 'आप यह अनुबंध देख सकते हैं; केवल विभाग इसमें परिवर्तन कर सकता है।',
    ratesNav: 'न्यूनतम वेतन',
    ratesTitle: 'कौशल स्तरवार न्यूनतम वेतन',
    stale: '01/10/2026 से प्रभावी कोई संशोधन दर्ज नहीं किया गया है',
    legacyNav: 'अनुबंध पंजीयन प्रगति',
  },
} as const;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/contract-${name}.png`, fullPage: true });
}

/** Axe scan and a screenshot of the current screen in both languages; leaves the page in English. */
async function bothLanguages(page: Page, name: string, check: (lang: 'en' | 'hi') => Promise<void>) {
  for (const lang of ['hi', 'en'] as const) {
    await setLanguage(page, lang);
    await check(lang);
    await expectAccessible(page);
    await shot(page, `${name}-${lang}`);
  }
}

async function pick(page: Page, scope: ReturnType<Page['locator']> | Page, label: string, option: string | RegExp) {
  await scope
    .getByRole('textbox', { name: label, exact: true })
    .or(scope.getByRole('combobox', { name: label, exact: true }))
    .first()
    .click();
  await page.getByRole('option', { name: option }).first().click();
}

async function goTo(page: Page, lang: 'en' | 'hi', link: string) {
  await page.getByRole('navigation', { name: T[lang].menu }).getByRole('link', { name: link, exact: true }).click();
}

/** Calls the API from inside the page, with the session cookie and CSRF header, as the app does. */
async function apiFromPage(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return page.evaluate(
    async ([m, u, b]) => {
      const csrf = decodeURIComponent(
        (globalThis as unknown as { document: { cookie: string } }).document.cookie.match(/(?:^|; )roams_csrf=([^;]+)/)?.[1] ?? '',
      );
      const init: RequestInit = {
        method: m as string,
        headers: { 'x-csrf-token': csrf, 'content-type': 'application/json', accept: 'application/json' },
        credentials: 'same-origin',
      };
      if (b !== undefined) init.body = JSON.stringify(b);
      const res = await fetch(u as string, init);
      return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    },
    [method, url, body] as const,
  );
}

test('minimum wages (the rates in force, the day rate, the missing 1 October revision) and the contracts list', async ({ page }) => {
  const L = T.en;
  await loginDm(page);

  // Minimum wages: the 1 Oct 2025 rates in force, the day rate from basic and VDA rounded first, and the missing 1 Oct 2026 revision.
  await goTo(page, 'en', L.ratesNav);
  await expect(page.getByRole('heading', { level: 2, name: L.ratesTitle })).toBeVisible();
  const skilled = page
    .getByTestId('rates-in-force')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'Skilled', exact: true }) });
  await expect(skilled).toContainText('₹12,294.00');
  await expect(skilled).toContainText('₹14,869.00');
  await expect(skilled).toContainText('₹571.89');
  await expect(page.getByTestId('rates-stale')).toContainText(L.stale);
  await expect(page.getByRole('button', { name: 'Add Revision' })).toHaveCount(0); // Finance only
  await bothLanguages(page, 'minimum-wages', async (lang) => {
    await expect(page.getByRole('heading', { level: 2, name: T[lang].ratesTitle })).toBeVisible();
    await expect(page.getByTestId('rates-stale')).toContainText(T[lang].stale);
  });

  // The contracts list (the demo's contracts of office 79), in both languages.
  await goTo(page, 'en', L.nav);
  await bothLanguages(page, 'list', async (lang) => {
    await expect(page.getByRole('heading', { level: 2, name: T[lang].title })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'FIN/CIF/2026/GEM-07' })).toHaveCount(1);
  });
});

test('department manager registers a GeM contract within capacity and minimum wage', async ({ page }) => {
  const L = T.en;
  const contractNo = `E2E/FIN/WO/${Date.now() % 1_000_000}`;
  const contractDate = istDate(-5);
  const start = istDate(5);
  const end = istDate(5 + 364);
  await loginDm(page);

  // The list, then the registration form.
  await goTo(page, 'en', L.nav);
  await expect(page.getByRole('heading', { level: 2, name: L.title })).toBeVisible();
  await page.getByRole('link', { name: L.register }).click();
  await expect(page.getByRole('heading', { level: 2, name: L.registerTitle })).toBeVisible();

  // A length-limited field counts near its limit instead of cutting silently (issue 12.5).
  const contractNoField = page.getByRole('textbox', { name: 'Contract / Work Order Number', exact: true });
  await contractNoField.fill('W'.repeat(55));
  await expect(contractNoField).toHaveAccessibleDescription('55 of 60 characters');
  await page.getByRole('textbox', { name: 'Contract / Work Order Number', exact: true }).fill(contractNo);
  await page.getByRole('textbox', { name: 'Contract Date', exact: true }).fill(contractDate.ui);
  await pick(page, page, 'Agency', /Narmada Manpower Services/);
  await expect(page.getByRole('combobox', { name: 'Procurement Mode', exact: true })).toHaveValue('GeM');
  await page.getByRole('textbox', { name: 'GeM Contract Number', exact: true }).fill('GEMC-511687712345678');
  await page.getByRole('textbox', { name: 'GeM Bid Number', exact: true }).fill('GEM/2026/B/6123456');
  await page.getByRole('textbox', { name: 'Period from', exact: true }).fill(start.ui);
  await page.getByRole('textbox', { name: 'Period to', exact: true }).fill(end.ui);
  await pick(page, page, 'DDO Code that pays', /.+/);
  await pick(page, page, 'Budget Line(s) charged', /.+/);
  await page.keyboard.press('Escape');
  await page.getByRole('textbox', { name: 'Service Charge (%)', exact: true }).fill('3.85');

  const row = page.getByTestId('post-row-0');
  await expect(row.getByRole('combobox', { name: 'Office', exact: true })).toHaveValue(/\(79\)$/);
  await pick(page, row, 'Skill Level', 'High Skilled');
  await pick(page, row, 'Post Name', 'Accountant');
  // What the sanction allows and what the law requires, before anything is submitted.
  await expect(page.getByTestId('post-row-0-available')).toHaveText('2');
  await expect(page.getByTestId('post-row-0-minimum')).toContainText('₹16,494.00');
  // The wage fields hint the minimum for the chosen skill level, and hold no fake value (issue 12.5).
  const basicField = row.getByRole('textbox', { name: 'Basic (₹ / month)', exact: true });
  await expect(basicField).toHaveAccessibleDescription('Minimum basic for this skill level: ₹13,919.00');
  await expect(row.getByRole('textbox', { name: 'VDA (₹ / month)', exact: true })).toHaveAccessibleDescription('Minimum VDA for this skill level: ₹2,575.00');
  await expect(basicField).not.toHaveAttribute('placeholder', /./);
  await row.getByRole('textbox', { name: 'Positions', exact: true }).fill('3');
  await row.getByRole('textbox', { name: 'Basic (₹ / month)', exact: true }).fill('13919.00');
  await row.getByRole('textbox', { name: 'VDA (₹ / month)', exact: true }).fill('2575.00');
  await chooseFile(page, 'Contract document (PDF)', { name: 'work-order.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
  await bothLanguages(page, 'register-form', async (lang) => {
    await expect(page.getByRole('heading', { level: 2, name: T[lang].registerTitle })).toBeVisible();
  });

  // 1. One position too many: refused, the message on the posts row.
  await page.getByRole('button', { name: 'Save Contract' }).click();
  await expect(page.getByTestId('contract-form-error')).toBeVisible();
  await expect(row.getByText('Only 2 positions are available for this post in this office.')).toBeVisible();
  await expect(row.getByRole('textbox', { name: 'Positions', exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await shot(page, 'refused-capacity-en');

  // 2. Two positions, but a basic below the minimum: the server refuses it; its message shows on the row's basic.
  await row.getByRole('textbox', { name: 'Positions', exact: true }).fill('2');
  await row.getByRole('textbox', { name: 'Basic (₹ / month)', exact: true }).fill('12000.00');
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/contracts') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Save Contract' }).click();
  const res = await refused;
  expect(res.status()).toBe(400);
  const problem = (await res.json()) as { code: string; errors?: { field: string; code: string }[] };
  expect(problem.code).toBe('wage_below_minimum');
  expect(problem.errors?.find((e) => e.field === 'posts.0.basicPaise')?.code).toBe('below_minimum_wage');
  await expect(row.getByText('Below the minimum wage of ₹16,494.00 in force from 01/10/2025.')).toBeVisible();
  await expect(row.getByRole('textbox', { name: 'Basic (₹ / month)', exact: true })).toHaveAttribute('aria-invalid', 'true');
  // The refusal follows a change of language: the server's code and parameters, shown in Hindi.
  await bothLanguages(page, 'refused-wage', async (lang) => {
    await expect(
      row.getByText(lang === 'hi' ? '01/10/2025 से लागू न्यूनतम मजदूरी ₹16,494.00 से कम।' : 'Below the minimum wage of ₹16,494.00 in force from 01/10/2025.'),
    ).toBeVisible();
  });

  // 3. Fixed: saved as a draft, then activated.
  await row.getByRole('textbox', { name: 'Basic (₹ / month)', exact: true }).fill('13919.00');
  await page.getByRole('button', { name: 'Save Contract' }).click();
  await expect(page.getByRole('heading', { level: 2, name: `${L.heading}: ${contractNo}` })).toBeVisible();
  const contractId = Number(page.url().split('/').pop());
  expect(contractId).toBeGreaterThan(0);
  await expect(page.getByTestId('contract-status').first()).toHaveText(L.draft);
  await page.getByRole('button', { name: L.activate, exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: L.activateConfirm }).click();
  await expect(page.getByRole('status').filter({ hasText: L.activated })).toBeVisible();
  await expect(page.getByTestId('contract-status').first()).toHaveText(L.active);
  await expect(page.getByTestId('contract-agency-status')).toHaveText(L.verified);
  await expect(page.getByTestId('contract-posts')).toContainText('₹16,494.00');
  await bothLanguages(page, 'detail-dm', async (lang) => {
    await expect(page.getByTestId('contract-status').first()).toHaveText(T[lang].active);
  });

  // What was stored: active, GeM numbers, one post of 2 positions at ₹13,919 + ₹2,575 in paise.
  const saved = await apiFromPage(page, 'GET', `/api/v1/contracts/${contractId}`);
  expect(saved.status).toBe(200);
  const c = saved.json as {
    status: string;
    gemContractNo: string;
    agencyId: number;
    versions: { state: string; document: unknown; posts: { officeId: number; positions: number; basicPaise: number; vdaPaise: number }[] }[];
  };
  expect(c.status).toBe('active');
  expect(c.gemContractNo).toBe('GEMC-511687712345678');
  // The demo's verified agency, found by its name (not by a seeded id).
  const agencies = await apiFromPage(page, 'GET', `/api/v1/agencies?q=${encodeURIComponent('Narmada Manpower Services')}`);
  expect(agencies.status).toBe(200);
  const narmada = (agencies.json.items as { id: number; legalName: string }[]).find((a) => a.legalName === 'Narmada Manpower Services Pvt. Ltd.');
  expect(c.agencyId).toBe(narmada?.id);
  expect(c.versions).toHaveLength(1);
  expect(c.versions[0]!.state).toBe('in_force');
  expect(c.versions[0]!.document).not.toBeNull();
  expect(c.versions[0]!.posts).toEqual([expect.objectContaining({ officeId: 79, positions: 2, basicPaise: 1_391_900, vdaPaise: 257_500 })]);

  // The list shows it, active, once.
  await goTo(page, 'en', L.nav);
  await page.getByRole('searchbox').fill(contractNo);
  await expect(page.getByRole('row').filter({ hasText: contractNo })).toHaveCount(1);
  await expect(page.getByRole('row').filter({ hasText: contractNo })).toContainText(L.active);

  registered = { id: contractId, no: contractNo, start: start.iso, end: end.iso };
});

test('the registration dashboard: progress against 30 June 2026 and the late-registered list', async ({ page }) => {
  await loginDm(page);
  await goTo(page, 'en', T.en.legacyNav);
  await expect(page.getByTestId('legacy-on-time')).toHaveText(/^\d+$/);
  await expect(page.getByRole('progressbar')).toBeVisible();
  await expect(page.getByTestId('late-contracts')).toBeVisible();
  await bothLanguages(page, 'registration-dashboard', async (lang) => {
    await expect(page.getByRole('heading', { level: 2, name: T[lang].legacyNav })).toBeVisible();
  });
});

test("the agency's admin sees the contract read-only; the API refuses a change", async ({ page }) => {
  const L = T.en;
  expect(registered, 'the previous test registered a contract').not.toBeNull();
  const { id: contractId, no: contractNo, start } = registered!;
  await openAs(page, 'agency_admin', '/');
  await goTo(page, 'en', L.nav);
  const agencyRow = page.getByRole('row').filter({ hasText: contractNo });
  await expect(agencyRow).toHaveCount(1);
  await agencyRow.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 2, name: `${L.heading}: ${contractNo}` })).toBeVisible();
  await expect(page.getByText(L.readOnly)).toBeVisible();
  for (const name of [L.activate, 'Terminate', 'New Extension / Amendment']) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'New Extension / Amendment' })).toHaveCount(0);
  await bothLanguages(page, 'detail-agency', async (lang) => {
    await expect(page.getByText(T[lang].readOnly)).toBeVisible();
  });
  const terminate = await apiFromPage(page, 'POST', `/api/v1/contracts/${contractId}/terminate`, { terminatedOn: start, reason: 'agency tries' });
  expect(terminate.status).toBe(403);
});

test('an extension is a new version: the terms in force pre-filled, activated, the old version kept as superseded', async ({ page }) => {
  expect(registered, 'an earlier test registered a contract').not.toBeNull();
  const { id, no, end } = registered!;
  const newEnd = new Date(Date.parse(`${end}T00:00:00Z`) + 181 * 86_400_000).toISOString().slice(0, 10);
  const [y, m, d] = newEnd.split('-');
  await loginDm(page);
  await page.goto(`/contracts/${id}`);
  await expect(page.getByRole('heading', { level: 2, name: `Contract: ${no}` })).toBeVisible();
  await page.getByRole('link', { name: 'New Extension / Amendment' }).click();
  await expect(page.getByRole('heading', { level: 2, name: `New version of contract ${no}` })).toBeVisible();
  // The terms in force are pre-filled: the post row, its wage and the service charge.
  const row = page.getByTestId('post-row-0');
  await expect(row.getByRole('textbox', { name: 'Positions', exact: true })).toHaveValue('2');
  await expect(row.getByRole('textbox', { name: 'Basic (₹ / month)', exact: true })).toHaveValue('13919.00');
  await expect(page.getByRole('textbox', { name: 'Service Charge (%)', exact: true })).toHaveValue('3.85');
  await page.getByRole('textbox', { name: 'Period to', exact: true }).fill(`${d}/${m}/${y}`);
  await chooseFile(page, 'Contract document (PDF)', { name: 'extension.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save Contract' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Version 2 saved as a draft.' })).toBeVisible();
  await page.getByRole('button', { name: 'Activate version 2' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, activate' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Version 2 is now in force.' })).toBeVisible();
  const versions = page.getByTestId('contract-versions');
  await expect(versions.getByRole('row').filter({ hasText: 'Extension' })).toContainText('In force');
  await expect(versions.getByRole('row').filter({ hasText: 'Original' })).toContainText('Superseded');
  await expectAccessible(page);
  await shot(page, 'extension-en');

  const after = await apiFromPage(page, 'GET', `/api/v1/contracts/${id}`);
  const c = after.json as { status: string; endDate: string; versions: { versionNo: number; kind: string; state: string; endDate: string }[] };
  expect(c.status).toBe('active');
  expect(c.endDate).toBe(newEnd);
  expect(c.versions.map((v) => [v.versionNo, v.kind, v.state, v.endDate])).toEqual([
    [2, 'extension', 'in_force', newEnd],
    [1, 'original', 'superseded', end],
  ]);
});

test('Finance adds a minimum-wage revision in rupees and paise; it is stored in paise and comes into force', async ({ page }) => {
  await openAs(page, 'finance_admin', '/');
  await goTo(page, 'en', T.en.ratesNav);
  await expect(page.getByRole('heading', { level: 2, name: T.en.ratesTitle })).toBeVisible();
  await page.getByRole('button', { name: 'Add Revision' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a minimum-wage revision' });
  await expect(dialog).toBeVisible();
  await pick(page, dialog, 'Skill Level', 'Unskilled');
  await dialog.getByRole('textbox', { name: 'Effective from', exact: true }).fill('01/10/2026');
  await dialog.getByRole('textbox', { name: 'Basic for Unskilled (₹ per month)', exact: true }).fill('9,575.00');
  await dialog.getByRole('textbox', { name: 'VDA for Unskilled (₹ per month)', exact: true }).fill('2,800.29');
  // 12,375.29 a month; a day: 368.27 + 107.70 = 475.97.
  await expect(dialog.getByTestId('rates-preview')).toHaveText('Total ₹12,375.29 a month, ₹475.97 a day');
  await dialog.getByRole('textbox', { name: 'Notification number and date', exact: true }).fill('LAB/MW/2026/10 dated 28/10/2026');
  await expectAccessible(page);
  await shot(page, 'add-revision-en');
  await dialog.getByRole('button', { name: 'Save revision' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The revision effective from 01/10/2026 is saved.' })).toBeVisible();

  const unskilled = page
    .getByTestId('rates-in-force')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'Unskilled', exact: true }) });
  await expect(unskilled).toContainText('₹12,375.29');
  await expect(unskilled).toContainText('01/10/2026');
  const history = page.getByTestId('rates-history').getByRole('row').filter({ hasText: 'LAB/MW/2026/10' });
  await expect(history).toContainText('In force');
  await expect(page.getByTestId('rates-history').getByRole('row').filter({ hasText: 'Unskilled' }).filter({ hasText: '30/09/2026' })).toContainText(
    'Superseded',
  );

  const rows = await apiFromPage(page, 'GET', '/api/v1/rates/minimum-wages?sort=effectiveFrom&dir=desc&pageSize=200');
  const added = (rows.json.items as { notificationRef: string; basicPaise: number; vdaPaise: number; effectiveFrom: string; inForceToday: boolean }[]).find(
    (r) => r.notificationRef.startsWith('LAB/MW/2026/10'),
  );
  expect(added).toEqual(expect.objectContaining({ basicPaise: 957_500, vdaPaise: 280_029, effectiveFrom: '2026-10-01', inForceToday: true }));
  await bothLanguages(page, 'minimum-wages-finance', async (lang) => {
    await expect(page.getByRole('heading', { level: 2, name: T[lang].ratesTitle })).toBeVisible();
  });
});

test('a revision above a running contract’s wage flags it: badge in the list, the posts named on the contract', async ({ page }) => {
  // Finance enters the 1 Oct 2026 High Skilled rate (₹17,219 a month) above the demo GeM contract's ₹14,500 + ₹2,575.
  await openAs(page, 'finance_admin', '/');
  await goTo(page, 'en', T.en.ratesNav);
  await page.getByRole('button', { name: 'Add Revision' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a minimum-wage revision' });
  await pick(page, dialog, 'Skill Level', 'High Skilled');
  await dialog.getByRole('textbox', { name: 'Effective from', exact: true }).fill('01/10/2026');
  await dialog.getByRole('textbox', { name: 'Basic for High Skilled (₹ per month)', exact: true }).fill('13919');
  await dialog.getByRole('textbox', { name: 'VDA for High Skilled (₹ per month)', exact: true }).fill('3300');
  await dialog.getByRole('textbox', { name: 'Notification number and date', exact: true }).fill('LAB/MW/2026/11');
  await dialog.getByRole('button', { name: 'Save revision' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The revision effective from 01/10/2026 is saved.' })).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();

  await loginDm(page);
  await goTo(page, 'en', T.en.nav);
  await page.getByRole('combobox', { name: 'Show', exact: true }).click();
  await page.getByRole('option', { name: 'Wage below revised minimum' }).click();
  const flagged = page.getByRole('row').filter({ hasText: 'FIN/CIF/2026/GEM-07' });
  await expect(flagged).toHaveCount(1);
  await expect(flagged).toContainText('Wage below revised minimum');
  await bothLanguages(page, 'list-flagged', async (lang) => {
    await expect(flagged).toContainText(lang === 'hi' ? 'वेतन संशोधित न्यूनतम से कम' : 'Wage below revised minimum');
  });
  await flagged.getByRole('link').click();
  const note = page.getByRole('note').filter({ hasText: 'Wage below revised minimum' });
  await expect(note).toContainText('₹17,075.00 < ₹17,219.00');
  await expect(note).toContainText('LAB/MW/2026/11');
  await expectAccessible(page);
  await shot(page, 'detail-flagged-en');
});
