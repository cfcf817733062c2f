import { expect } from '@playwright/test';
import { test } from './fixtures.ts';
import { expectAccessible, openAs, setLanguage } from './helpers.ts';

// Issue 12.6 (GIGW 3.0): the owner's identity in the header, the footer's site pages (open
// without a login, in both languages), help as mailto:/tel:, "last updated", and a sitemap of
// what the current user can reach. Issue 12.4: page titles in the page's language.

test('a visitor finds the state mark, the footer pages and the sitemap without logging in (Hindi and English)', async ({ page }) => {
  await page.goto('/login');
  await setLanguage(page, 'hi');
  await expect(page).toHaveTitle('कार्यालय लॉगिन — ROAMS');
  await expect(page.getByRole('img', { name: 'मध्य प्रदेश शासन / Government of Madhya Pradesh' })).toBeVisible();
  await expect(page.getByTestId('department-identity')).toHaveText('वित्त विभाग, मध्यप्रदेश शासन');
  const footer = page.getByRole('contentinfo');
  await expect(footer.locator('a[href="mailto:eservices@mp.gov.in"]')).toHaveText('ई-मेल से सहायता: eservices@mp.gov.in');
  await expect(footer.locator('a[href="tel:+917552551000"]')).toHaveText('फ़ोन से सहायता: 0755-2551000');
  await expect(footer.getByTestId('last-updated')).toHaveText(/^अंतिम अद्यतन: \d{2}\/\d{2}\/\d{4}$/);
  const links = footer.getByRole('navigation', { name: 'साइट संबंधी जानकारी' }).getByRole('link');
  await expect(links).toHaveText(['सुगम्यता विवरण', 'उपयोग की शर्तें', 'गोपनीयता नीति', 'सहायता', 'साइटमैप']);

  await links.filter({ hasText: 'सुगम्यता विवरण' }).click();
  await expect(page).toHaveURL(/\/accessibility-statement$/);
  await expect(page.getByRole('heading', { level: 2, name: 'सुगम्यता विवरण' })).toBeVisible();
  await expect(page).toHaveTitle('सुगम्यता विवरण — ROAMS');
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/screens/site-accessibility-hi.png', fullPage: true });

  await setLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 2, name: 'Accessibility statement' })).toBeVisible();
  await expect(page).toHaveTitle('Accessibility statement — ROAMS');
  for (const [name, url] of [
    ['Terms of use', /\/terms-of-use$/],
    ['Privacy policy', /\/privacy-policy$/],
    ['Help', /\/help$/],
  ] as const) {
    await page.getByRole('contentinfo').getByRole('link', { name, exact: true }).click();
    await expect(page).toHaveURL(url);
    await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  }
  await expect(page.getByRole('main').locator('a[href="mailto:eservices@mp.gov.in"]')).toHaveText('Help by e-mail: eservices@mp.gov.in');

  await page.getByRole('contentinfo').getByRole('link', { name: 'Sitemap', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Sitemap' })).toBeVisible();
  const main = page.getByRole('main');
  await expect(main.getByRole('link', { name: 'Office Login' })).toBeVisible();
  await expect(main.getByRole('link', { name: 'Privacy policy' })).toBeVisible();
  await expect(main.getByRole('heading', { name: 'Your pages' })).toHaveCount(0);
  await expectAccessible(page);
});

test('the sitemap lists the pages the role can reach, and no others', async ({ page }) => {
  await openAs(page, 'auditor_state', '/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Sitemap', exact: true }).click();
  const mine = page.getByRole('region', { name: 'Your pages' });
  await expect(mine.getByRole('link', { name: 'Audit trail' })).toBeVisible();
  await expect(mine.getByRole('link', { name: 'Home' })).toBeVisible();
  await expect(mine.getByRole('link', { name: 'Sanction Orders' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'My agency' })).toHaveCount(0);
  await expect(page.getByRole('main').getByRole('link', { name: 'Office Login' })).toHaveCount(0);
  await mine.getByRole('link', { name: 'Audit trail' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Audit trail' })).toBeVisible();
});

test('the demo agency was verified by a department manager, and its page names it once', async ({ page }) => {
  await openAs(page, 'auditor_state', '/agencies/1');
  await expect(page.getByRole('heading', { level: 2, name: 'Narmada Manpower Services Pvt. Ltd.' })).toBeVisible();
  await expect(page.getByRole('main').getByText('Narmada Manpower Services Pvt. Ltd.', { exact: true })).toHaveCount(2); // the heading and its breadcrumb
  const history = page.getByRole('table').filter({ hasText: 'Ramesh Sharma' });
  await expect(history).toBeVisible();
  await expect(page.getByText('The agency', { exact: true })).toHaveCount(1); // the pending sign-up only
});
