import { expect } from '@playwright/test';
import { test } from './fixtures.ts';
import { axeViolations, enterStepUpCode, openAs } from './helpers.ts';

// Issue 18 item 5: Finance's year-end desk. finance_admin opens "PD year-end", reads the idle
// period, the continuations it has permitted and the runs so far, and runs the year-end for the
// last financial year that ended, confirmed with the second factor — the result names what
// lapsed, what was credited to government and what is held; running it again changes nothing.
// Then "PD reports": unspent balances by department, dormant accounts, transfers back. English
// and Hindi, axe-clean. Both languages share the file's server copy (fixtures.ts): the Hindi run
// finds the year already run, which answers with the same result and changes nothing.

const T = {
  en: { yearNav: 'PD year-end', reportsNav: 'PD reports', run: 'Run the year-end', done: /Year-end .* done/ },
  hi: { yearNav: 'पीडी वर्षांत', reportsNav: 'पीडी प्रतिवेदन', run: 'वर्षांत प्रक्रिया चलाएँ', done: /वर्षांत/ },
} as const;

for (const [lang, L] of Object.entries(T) as ['en' | 'hi', (typeof T)['en' | 'hi']][]) {
  test(`Finance runs the PD year-end with the second factor and reads the year-end reports (${lang})`, async ({ page }) => {
    test.setTimeout(150_000);
    await openAs(page, 'finance_admin', '/', { lang });
    await page.getByRole('link', { name: L.yearNav, exact: true }).first().click();
    await expect(page.getByTestId('pd-year-dormant-years')).toContainText(/\d/);
    await expect(page.getByTestId('pd-continuations')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);

    const run = page.locator('section', { has: page.getByRole('heading', { level: 2, name: L.run }) });
    await enterStepUpCode(page, '9876500001');
    await run.getByRole('button', { name: L.run }).click();
    await expect(run.getByTestId('pd-year-run-done')).toContainText(L.done);
    await expect(run.getByTestId('pd-year-run-done')).toContainText('₹');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: L.reportsNav, exact: true }).first().click();
    await expect(page.getByTestId('pd-unspent')).toBeVisible();
    await expect(page.getByTestId('pd-transfer-back')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
  });
}
