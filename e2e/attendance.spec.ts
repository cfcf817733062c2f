import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import type { TAttendanceSheet } from '../shared/contracts/attendance.ts';
import { test } from './fixtures.ts';
import { axeViolations, monthsBack, openAs, tr } from './helpers.ts';

// Spec 05 (monthly attendance) end to end, once in Hindi and once in English: the department
// manager of office 79 opens a month the demo left empty, fills every row on the grid by keyboard
// alone (Tab through a row, an arrow back to a cell, type to overwrite it, Enter to go down), sees
// each row balance and save as the focus leaves it, finalises with confirmation, and the grid turns
// read-only. axe-core must find nothing on the grid and in the confirmation. Labels come from the
// catalogs, so each journey runs in the language it names.

test.setTimeout(180_000);
test.describe.configure({ mode: 'serial' });

type Lang = 'hi' | 'en';

const SHOTS = 'test-results/screens';
mkdirSync(SHOTS, { recursive: true });

async function loginDm(page: Page, lang: Lang) {
  await openAs(page, 'dm_bhopal', '/', { lang, office: 79 });
}

async function journey(page: Page, lang: Lang, month: string) {
  await loginDm(page, lang);
  await page
    .getByRole('link', { name: tr(lang, 'attendance.nav.attendance') })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: tr(lang, 'attendance.title') })).toBeVisible();
  await page.getByRole('main').getByLabel(tr(lang, 'attendance.office'), { exact: true }).selectOption('79');
  await page.getByRole('main').getByLabel(tr(lang, 'attendance.month'), { exact: true }).selectOption(month);
  const grid = page.getByTestId('attendance-grid');
  await expect(grid).toBeVisible();

  const sheet = (await (await page.request.get(`/api/v1/attendance/offices/79/months/${month}`)).json()) as TAttendanceSheet;
  expect(sheet.state).toBe('open');
  expect(sheet.rows.length).toBeGreaterThan(0);
  expect(sheet.rows.every((r) => r.version === 0)).toBe(true);
  await expect(page.getByTestId('attendance-finalise')).toBeDisabled();
  expect(await axeViolations(page)).toEqual([]);

  // Row by row, by keyboard only. Row 1: a wrong number of offs first, then back with the left
  // arrow and typed over; the balance shows the difference, then "balanced".
  await page.getByTestId(`cell-${sheet.rows[0]!.resourceId}-present`).focus();
  for (const [i, r] of sheet.rows.entries()) {
    const present = r.daysOnRolls - 5;
    await page.keyboard.type(String(present));
    await page.keyboard.press('Tab');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    if (i === 0) {
      await page.keyboard.type('9');
      await page.keyboard.press('Tab');
      await page.keyboard.type('0');
      await expect(page.getByTestId(`balance-${r.resourceId}`)).toHaveText(tr(lang, 'attendance.overBy', { diff: 5 }));
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type('4'); // the cell's text is selected on arrival: typing replaces it
      await expect(page.getByTestId(`cell-${r.resourceId}-offs`)).toHaveValue('4');
      await page.keyboard.press('ArrowRight');
    } else {
      await page.keyboard.type('4');
      await page.keyboard.press('Tab');
      await page.keyboard.type('0');
    }
    if (i < sheet.rows.length - 1) {
      // To the next row's first cell: Enter goes down the column, then the left arrow back to "present".
      await page.keyboard.press('Enter');
      for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowLeft');
      await expect(page.getByTestId(`cell-${sheet.rows[i + 1]!.resourceId}-present`)).toBeFocused();
      // Leaving the row saved it.
      await expect(page.getByTestId(`balance-${r.resourceId}`)).toHaveText(tr(lang, 'attendance.balanced'));
    } else {
      await page.keyboard.press('Enter'); // Enter on the last row saves it
    }
  }
  for (const r of sheet.rows) await expect(page.getByTestId(`balance-${r.resourceId}`)).toHaveText(tr(lang, 'attendance.balanced'));
  await expect(page.getByTestId('attendance-state')).toContainText(tr(lang, 'attendance.progress', { done: sheet.rows.length, total: sheet.rows.length }));
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/attendance-filled-${lang}.png`, fullPage: true });

  // Finalise, with confirmation (checked by axe too).
  const finalise = page.getByTestId('attendance-finalise');
  await expect(finalise).toBeEnabled();
  await finalise.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(tr(lang, 'attendance.finaliseConfirm'));
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: tr(lang, 'attendance.finaliseConfirm') }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('attendance-state')).toContainText(tr(lang, 'attendance.stateFinalised'));
  // Read-only: no cell to type in, no finalise button.
  await expect(grid.locator('input')).toHaveCount(0);
  await expect(page.getByTestId('attendance-finalise')).toHaveCount(0);
  const after = (await (await page.request.get(`/api/v1/attendance/offices/79/months/${month}`)).json()) as TAttendanceSheet;
  expect(after.state).toBe('finalised');
  expect(after.rows.map((r) => [r.present, r.paidLeave, r.offs, r.absence])).toEqual(sheet.rows.map((r) => [r.daysOnRolls - 5, 1, 4, 0]));
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/attendance-finalised-${lang}.png`, fullPage: true });
}

test('हिन्दी: विभागीय प्रबंधक कुंजीपटल से माह की उपस्थिति भरते हैं और अंतिमीकृत करते हैं', async ({ page }) => {
  await journey(page, 'hi', monthsBack(4));
});

test('English: the department manager fills a month by keyboard and finalises it', async ({ page }) => {
  await journey(page, 'en', monthsBack(5));
});

test('English: the agency reads last month’s finalised attendance of its resources, read-only; an open month is not shown to it', async ({ page }) => {
  await openAs(page, 'agency_admin', '/attendance');
  await expect(page.getByRole('heading', { name: tr('en', 'attendance.title') })).toBeVisible();
  await page.getByRole('main').getByLabel(tr('en', 'attendance.office'), { exact: true }).selectOption('79');
  await page.getByRole('main').getByLabel(tr('en', 'attendance.month'), { exact: true }).selectOption(monthsBack(1));
  await expect(page.getByTestId('attendance-state')).toContainText(tr('en', 'attendance.stateFinalised'));
  const grid = page.getByTestId('attendance-grid');
  await expect(grid.locator('tbody tr').first()).toBeVisible();
  await expect(grid.locator('input')).toHaveCount(0);
  await expect(page.getByTestId('attendance-finalise')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('main').getByLabel(tr('en', 'attendance.month'), { exact: true }).selectOption(monthsBack(0));
  await expect(page.getByRole('main').getByRole('alert')).toBeVisible();
  await expect(grid).toHaveCount(0);
});
