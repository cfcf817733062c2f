import { expect, test } from './fixtures.ts';
import { axeViolations, openAs } from './helpers.ts';

/**
 * The journeys' axe scans skip a page state already scanned clean and scan only the elements of new
 * kinds (e2e/helpers.ts, docs/TESTING.md): this shows that narrowing hides nothing new — a faint
 * paragraph and an image without alt, planted after a clean scan of the same page, are both found.
 */
test('axe scans what is new on a page it scanned before, and finds its faults', async ({ page }) => {
  await openAs(page, 'finance_admin', '/contracts');
  await expect(page.getByRole('heading', { level: 2 })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);
  await page.evaluate(`(() => {
    const p = document.createElement('p');
    p.style.color = '#cccccc';
    p.textContent = 'faint';
    document.querySelector('main').appendChild(p);
  })()`);
  expect((await axeViolations(page)).join('\n')).toMatch(/^color-contrast: /m);
  await page.evaluate(`document.querySelector('main').appendChild(document.createElement('img'))`);
  const found = (await axeViolations(page)).join('\n');
  expect(found).toMatch(/^image-alt: /m);
  expect(found).toMatch(/^color-contrast: /m);
});
