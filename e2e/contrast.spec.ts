import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { axeViolations, openAs, setLanguage } from './helpers.ts';

/**
 * High contrast on every page (issue 12.1, bar W1): the roles whose pages are busiest log in, turn
 * high contrast on with the accessibility bar's toggle, and visit every page in their menu plus
 * the detail pages (an order, a contract, an agency); axe runs on each with its colour-contrast
 * rule (the other AA rules run in each module's journeys), and any violation fails. One browser
 * context per role, one login, pages in sequence. Screenshots of the busiest pages go to
 * test-results/screens/contrast-*.
 *
 * Each page is swept in one language: a role's first half of pages in one, the rest in the other,
 * and the next role the other way round (one language switch per role). The menu's order is much
 * the same for every role, so a page most roles share (home, orders, contracts, profile…) is seen
 * in both, and every role sees both. Colour pairs come from the theme, not from the text, so one sweep per
 * page finds what two did; the longer Hindi labels still wrap and stack (a label over a coloured
 * badge) on half of each role's pages. Before: ten sweeps (role × language) of every page, a
 * quarter of the journeys' time (docs/TESTING.md).
 */

const ROLES = ['finance_admin', 'dm_bhopal', 'officeadmin_state', 'agency_admin', 'auditor_state'] as const;
/** dm_bhopal holds several roles: the sweep acts as the department manager at office 79 (the demo's), not on the choose-role page. */
const OFFICE: Partial<Record<(typeof ROLES)[number], number>> = { dm_bhopal: 79 };
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
  // One test per role, so the workers share the sweep. The tests are independent: they may run in
  // several workers at once (playwright.config.ts runs a file in one worker otherwise).
  test.describe.configure({ mode: 'parallel' });
  for (const [r, user] of ROLES.entries())
    test(`${user} (${r % 2 === 0 ? 'en, then hi' : 'hi, then en'})`, async ({ page }) => {
      test.setTimeout(240_000);
      await openAs(page, user, '/', { office: OFFICE[user] });
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
      const seen = { en: 0, hi: 0 };
      for (const [i, path] of pages.entries()) {
        const lang = (r + (i < pages.length / 2 ? 0 : 1)) % 2 === 0 ? 'en' : 'hi';
        if (i === 0) await page.goto(path);
        else await navigateInApp(page, path);
        await settle(page);
        if ((await page.locator('html').getAttribute('lang')) !== lang) {
          // The switch re-renders the page in place (no navigation).
          await setLanguage(page, lang);
          await settle(page);
        }
        await expect(page.locator('html')).toHaveAttribute('data-contrast', 'high');
        for (const v of await axeViolations(page, ['color-contrast'])) failures.push(`${lang} ${path} ${v}`);
        seen[lang]++;
        const shot = shots[path];
        if (shot) await page.screenshot({ path: `test-results/screens/contrast-${shot}-${user}-${lang}.png` });
      }
      expect(failures).toEqual([]);
      // Both languages swept (a role with one page would not be, and none has fewer than five).
      expect(seen.en).toBeGreaterThan(0);
      expect(seen.hi).toBeGreaterThan(0);
    });
});
