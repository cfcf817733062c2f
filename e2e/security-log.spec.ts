import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { expectAccessible, login, openAs, setLanguage } from './helpers.ts';

/** Today in India as dd/mm/yyyy, as a person types it. */
function todayIst(): string {
  const d = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
}

async function openSecurityLog(page: Page, lang: 'hi' | 'en') {
  await openAs(page, 'auditor_state', '/', { lang });
  const name = lang === 'hi' ? 'सुरक्षा लॉग' : 'Security log';
  await page.getByRole('link', { name }).first().click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  // Only this menu entry is marked as the current page (not the audit trail's beside it).
  await expect(page.getByRole('navigation', { name: lang === 'hi' ? 'मेन्यू' : 'Menu' }).locator('[aria-current=page]')).toHaveText(name);
}

test('auditor finds a failed login on the security log, in Hindi and in English (issue 11.6)', async ({ page, browser, baseURL }) => {
  // Someone else fails to log in as dm_bhopal, from another browser.
  const other = await browser.newContext({ baseURL });
  const stranger = await other.newPage();
  await login(stranger, 'dm_bhopal', 'not-the-password-7', 'en');
  await expect(stranger.getByRole('alert')).toBeVisible();
  await other.close();

  await openSecurityLog(page, 'hi');
  await expectAccessible(page);
  // What happened is chosen in people's words; the code itself is no choice.
  const kind = page.getByRole('combobox', { name: 'क्या हुआ', exact: true });
  await kind.fill('invalid_credentials');
  await expect(page.getByRole('option')).toHaveCount(0);
  await kind.fill('विफल लॉगिन');
  await page.getByRole('option', { name: 'लॉगिन विफल' }).click();
  await page.getByLabel('यूजर आई डी').fill('dm_bhopal');
  await page.getByLabel('आई पी पता').fill('127.');
  await page.getByLabel('दिनांक से').fill(todayIst());
  await page.getByLabel('दिनांक तक').fill(todayIst());
  await page.getByRole('button', { name: 'खोजें', exact: true }).click();

  const table = page.getByRole('table', { name: /सुरक्षा घटनाएँ/ });
  const row = table.locator('tbody tr').filter({ hasText: 'dm_bhopal' }).first();
  await expect(row).toContainText('लॉगिन विफल');
  await expect(row).toContainText('यूजर आई डी या पासवर्ड गलत था।');
  await expect(row).toContainText('लॉगिन नहीं');
  await expect(row).toContainText('127.0.0.1');
  await expect(row.locator('td').first()).toHaveText(new RegExp(`^${todayIst().replaceAll('/', '\\/')} \\d\\d:\\d\\d:\\d\\d$`));
  // Only the one failed login came back (a fresh server per file), and never a code.
  await expect(table.locator('tbody tr td:nth-child(4)')).toHaveText(['लॉगिन विफल']);
  expect(await table.innerText()).not.toMatch(/invalid_credentials|401/);
  await expectAccessible(page);

  // The same result in English.
  await setLanguage(page, 'en');
  const tableEn = page.getByRole('table', { name: /Security events/ });
  const rowEn = tableEn.locator('tbody tr').filter({ hasText: 'dm_bhopal' }).first();
  await expect(rowEn).toContainText('Failed login');
  await expect(rowEn).toContainText('The user ID or password was wrong.');
  await expect(rowEn).toContainText('User ID typed: dm_bhopal');
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/screens/security-log-en.png', fullPage: true });

  // Another user id finds nothing of it.
  await page.getByLabel('User ID').fill('dm_indore_nobody');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(tableEn.locator('tbody tr').filter({ hasText: 'dm_bhopal' })).toHaveCount(0);
});
