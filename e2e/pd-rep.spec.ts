import { expect } from '@playwright/test';
import { test } from './fixtures.ts';
import { axeViolations, openAs } from './helpers.ts';

// Issue 18 items 5–6: the PD administrator reads its account's report by line and its monthly
// account and downloads them (PDF, Excel); the Bhopal treasury officer reads last month's account
// of head 8443-106 and the list of e-cheques for the Accountant General and downloads it — in
// English and in Hindi, axe-clean. The demo (pd.rep.demo.ts) puts deposits, a reversal and passed
// e-cheques in last month, the month both screens open on.

const T = {
  en: {
    nav: 'PD accounts',
    reports: 'Reports',
    monthly: 'Monthly account',
    total: 'Total',
    treasuryNav: 'PD treasury reports',
    passed: 'Passed',
    monthName: /^[A-Z][a-z]+ \d{4}$/,
  },
  hi: {
    nav: 'पीडी खाते',
    reports: 'प्रतिवेदन',
    monthly: 'मासिक लेखा',
    total: 'योग',
    treasuryNav: 'पीडी कोषालय प्रतिवेदन',
    passed: 'पारित',
    monthName: /^[\u0900-\u097F]+ \d{4}$/,
  },
} as const;

for (const [lang, L] of Object.entries(T) as ['en' | 'hi', (typeof T)['en' | 'hi']][]) {
  test(`the administrator's report and monthly account; the treasury's 8443-106 account and AG list (${lang})`, async ({ page }) => {
    test.setTimeout(150_000);
    await openAs(page, 'pd_admin', '/', { lang });
    await page.getByRole('link', { name: L.nav, exact: true }).first().click();
    await page.getByTestId('pd-accounts').getByRole('link').first().click();
    const panel = page.getByTestId('pd-reports');
    await expect(panel.getByRole('heading', { level: 3, name: L.reports })).toBeVisible();
    await expect(panel.getByTestId('pd-rep-totals')).toContainText(L.total);
    expect(await axeViolations(page)).toEqual([]);

    await panel.getByText(L.monthly, { exact: true }).click();
    await expect(panel.getByTestId('pd-rep-month')).toBeVisible();
    // The month is named in the page's language (a select of named months, not the browser's own month input).
    await expect(panel.getByTestId('pd-rep-month').locator('option:checked')).toHaveText(L.monthName);
    await expect(panel.getByTestId('pd-rep-table')).toBeVisible();
    const pdf = await page.request.get((await panel.getByTestId('pd-rep-pdf').getAttribute('href')) ?? '');
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const xlsx = await page.request.get((await panel.getByTestId('pd-rep-xlsx').getAttribute('href')) ?? '');
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    expect(await axeViolations(page)).toEqual([]);

    await page.context().clearCookies();
    await openAs(page, 'treasury_bhopal', '/', { lang });
    await page.getByRole('link', { name: L.treasuryNav, exact: true }).first().click();
    await expect(page.getByTestId('pd-rep-8443-totals')).toBeVisible();
    await expect(page.getByTestId('pd-rep-month').locator('option:checked')).toHaveText(L.monthName);
    await expect(page.getByTestId('pd-rep-ag').locator('tbody tr').first()).toContainText(L.passed);
    expect(await axeViolations(page)).toEqual([]);
    const csv = await page.request.get((await page.getByTestId('pd-rep-ag-csv').getAttribute('href')) ?? '');
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('PD');
  });
}
