import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'Roams@Demo2026';

/** WCAG 2.1 AA: axe-core must find nothing (bar W1). */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map(
    (v) =>
      `${v.id}: ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
  expect(summary).toEqual([]);
}

export async function setLanguage(page: Page, lang: 'hi' | 'en') {
  await page.getByRole('button', { name: lang === 'hi' ? 'हिन्दी' : 'English', exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

export async function login(page: Page, username: string, password = DEMO_PASSWORD, lang: 'hi' | 'en' = 'en') {
  await page.goto('/login');
  await setLanguage(page, lang);
  await page.getByLabel(lang === 'hi' ? 'यूजर आई डी' : 'User ID').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: lang === 'hi' ? 'लॉगिन करें' : 'Login' }).click();
}

/** Chooses a file through a labelled chooser button (Mantine FileInput), as a person would: click it, pick the file. */
export async function chooseFile(page: Page, label: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: label, exact: true }).click();
  await (await chooser).setFiles(file);
}
