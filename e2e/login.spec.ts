import { expect } from '@playwright/test';
import { test } from './fixtures.ts';
import { expectAccessible, login, setLanguage } from './helpers.ts';

test('office admin logs in in Hindi, switches to English, logs out', async ({ page }) => {
  await page.goto('/login');
  await setLanguage(page, 'hi');
  await expect(page.getByRole('heading', { name: 'कार्यालय लॉगिन' })).toBeVisible();
  await expectAccessible(page);
  await login(page, 'officeadmin_state', undefined, 'hi');
  await expect(page.getByText('स्वागत है, State Office Admin').first()).toBeVisible();
  // The desk groups the role's pages by area of work, in the menu's order.
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 3 })).toHaveText([
    'स्वीकृतियाँ, एजेंसियाँ और अनुबंध',
    'कार्मिक और उपस्थिति',
    'बीजक, देयक और भुगतान',
    'व्यक्तिगत निक्षेप (पीडी) खाते',
    'प्रशासन',
  ]);
  await expect(main.getByRole('region', { name: 'प्रशासन' }).getByRole('link', { name: 'कार्यालय उपयोगकर्ता' })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/screens/home-hi.png', fullPage: true });
  await setLanguage(page, 'en');
  await expect(page.getByText('Welcome, State Office Admin').first()).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/screens/home-en.png', fullPage: true });
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Office Login' })).toBeVisible();
});

test('a wrong password shows a clear message in the chosen language', async ({ page }) => {
  await login(page, 'officeadmin_state', 'not-the-password-1', 'en');
  await expect(page.getByRole('alert')).toHaveText('The user id or password is wrong.');
  await login(page, 'officeadmin_state', 'not-the-password-1', 'hi');
  await expect(page.getByRole('alert')).toHaveText('यूजर आई डी या पासवर्ड गलत है।');
});
