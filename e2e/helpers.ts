import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'Roams@Demo2026';

/**
 * What axe-core finds against WCAG 2.1 AA (bar W1), one line per element, with what it saw
 * (colours and ratio for colour-contrast). The colour-contrast rule is enabled explicitly, so a
 * change of axe's defaults cannot switch it off silently.
 */
export async function axeViolations(page: Page, only?: string[]): Promise<string[]> {
  // `only`: a few rules by id (the high-contrast sweep runs colour-contrast alone; the journeys run every AA rule).
  // Colours are judged at rest: a dialog still fading in blends its buttons with the page (CI saw
  // a red button read as 3.4:1 mid-fade), so running transitions and animations finish first.
  // (Endless ones, such as a loader's spin, are left alone.)
  await page.evaluate(
    'Promise.all(document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined)))',
  );
  const results = await new AxeBuilder({ page })
    .options(
      only
        ? { runOnly: { type: 'rule', values: only } }
        : { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, rules: { 'color-contrast': { enabled: true } } },
    )
    .analyze();
  return results.violations.flatMap((v) =>
    v.nodes.slice(0, 5).map((n) => `${v.id}: ${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`),
  );
}

/** WCAG 2.1 AA: axe-core must find nothing (bar W1), colour contrast included. */
export async function expectAccessible(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
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
  // Wait for the outcome: the app has left the login page, or it shows why not. A menu click made
  // before the app's own navigation after login can be overtaken by it (the PD journey's worklist
  // click landed on the dashboard).
  await expect
    .poll(async () => !new URL(page.url()).pathname.startsWith('/login') || (await page.getByRole('alert').count()) > 0, { timeout: 15_000 })
    .toBe(true);
}

/** Chooses a file through a labelled chooser button (Mantine FileInput), as a person would: click it, pick the file. */
export async function chooseFile(page: Page, label: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: label, exact: true }).click();
  await (await chooser).setFiles(file);
}

/**
 * The second factor in a money dialog (bar A5): presses "send code", reads the new code from the
 * developer outbox (the sandbox SMS to `mobile`, newest first) and types it into the code field.
 */
export async function enterStepUpCode(page: Page, mobile: string) {
  const newest = async () => {
    const r = await page.request.get(`/api/v1/dev/outbox?recipient=${mobile}`);
    const { items } = (await r.json()) as { items: { id: number; body: string }[] };
    return items[0] ?? null;
  };
  const before = (await newest())?.id ?? 0;
  await page.getByTestId('step-up-send').click();
  await expect(page.getByTestId('step-up-sent')).toBeVisible();
  let code = '';
  await expect
    .poll(
      async () => {
        const m = await newest();
        code = m && m.id > before ? (/\b(\d{6})\b/.exec(m.body)?.[1] ?? '') : '';
        return code !== '';
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  await page.getByTestId('step-up-code').fill(code);
}
