import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { axeViolations, openAs, setLanguage } from './helpers.ts';

/**
 * High contrast on every page (issue 12.1, bar W1): the roles whose pages are busiest log in, turn
 * high contrast on with the accessibility bar's toggle, and visit every page in their menu plus
 * the detail pages (an order, a contract, an agency), in English and in Hindi; axe runs on each
 * with its colour-contrast rule (the other AA rules run in each module's journeys), and any violation fails. One browser context per role, one
 * login, pages in sequence. Screenshots of the busiest pages go to test-results/screens/contrast-*.
 */

const ROLES = ['finance_admin', 'dm_bhopal', 'officeadmin_state', 'agency_admin', 'auditor_state'] as const;
const SHOTS: Record<string, string> = {
  '/sanction-orders': 'orders',
  '/audit': 'audit',
};
mkdirSync('test-results/screens', { recursive: true });

/** Waits until the page has its heading and nothing is loading any more. */
async function settle(page: Page) {
  await expect(page.locator('main h2').first()).toBeVisible();
  await expect(page.locator('main .mantine-Loader-root')).toHaveCount(0);
}

/**
 * Opens `path` the way a menu link does (history push, no reload): a full page load per page
 * fetches, parses and boots the whole app again, which a user's click does not. The old page's heading is
 * marked first, so settle() waits for the new page's own.
 */
async function navigateInApp(page: Page, path: string) {
  await page.locator('main h2').evaluateAll((hs) => {
    for (const h of hs) h.setAttribute('data-left', '');
  });
  // A string: the server's tsconfig has no DOM library for a function body that runs in the page.
  await page.evaluate(`history.pushState({}, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'));`);
  await expect(page).toHaveURL((u) => u.pathname === path);
  await expect(page.locator('main h2:not([data-left])').first()).toBeVisible();
}

/**
 * The first link on a list page to one of its records (e.g. /contracts/12). Polled: the list's
 * query may not have started when the heading shows (no loader yet), so one look could find none.
 */
async function firstDetail(page: Page, list: string, pattern: RegExp): Promise<string | null> {
  await page.goto(list);
  await settle(page);
  let found: string | null = null;
  await expect
    .poll(
      async () => {
        const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
        found = hrefs.find((h) => pattern.test(h)) ?? null;
        return found;
      },
      { timeout: 15_000 },
    )
    .not.toBeNull()
    .catch(() => undefined);
  return found;
}

test.describe('high contrast passes axe colour-contrast on every page', () => {
  // One test per role and language, so the two workers share the sweep (one role's two languages
  // in one test took 4 minutes for Finance on a loaded 2-core machine). The tests are independent:
  // they may run in several workers at once (playwright.config.ts runs a file in one worker otherwise).
  test.describe.configure({ mode: 'parallel' });
  for (const user of ROLES)
    for (const lang of ['en', 'hi'] as const)
      test(`${user} (${lang})`, async ({ page }) => {
        test.setTimeout(240_000);
        await openAs(page, user, '/');
        const toggle = page.getByRole('button', { name: 'High contrast' });
        await toggle.click();
        await expect(toggle).toHaveAttribute('aria-pressed', 'true');
        await expect(page.locator('html')).toHaveAttribute('data-contrast', 'high');

        const menu = await page
          .getByRole('navigation', { name: 'Menu' })
          .locator('a[href]')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
        const pages = [...new Set(menu)];
        const details: [string, RegExp, string][] = [
          ['/sanction-orders', /^\/sanction-orders\/\d+$/, 'order'],
          ['/contracts', /^\/contracts\/\d+$/, 'contract'],
          ['/agencies', /^\/agencies\/\d+$/, 'agency'],
        ];
        const shots: Record<string, string> = { ...SHOTS, '/my-agency': 'agency' };
        for (const [list, pattern, name] of details) {
          if (!pages.includes(list)) continue;
          const d = await firstDetail(page, list, pattern);
          expect(d, `${user}: no ${name} linked from ${list}`).not.toBeNull();
          pages.push(d!);
          if (name !== 'order') shots[d!] = name;
        }

        const failures: string[] = [];
        await setLanguage(page, lang);
        for (const [i, path] of pages.entries()) {
          if (i === 0) await page.goto(path);
          else await navigateInApp(page, path);
          await settle(page);
          await expect(page.locator('html')).toHaveAttribute('data-contrast', 'high');
          for (const v of await axeViolations(page, ['color-contrast'])) failures.push(`${lang} ${path} ${v}`);
          const shot = shots[path];
          if (shot) await page.screenshot({ path: `test-results/screens/contrast-${shot}-${user}-${lang}.png` });
        }
        expect(failures).toEqual([]);
      });
});
