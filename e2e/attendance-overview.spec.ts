import { expect, type Page } from '@playwright/test';
import type { TOverview, TTotals } from '../shared/contracts/attendance.ts';
import { todayIst } from '../shared/domain/dates.ts';
import { test } from './fixtures.ts';
import { axeViolations, openAs, tr } from './helpers.ts';

// Issue 15 item 7 end to end: the attendance overview. In English, Finance sees every
// office-month of a month statewide, by department — last month finalised (the demo), the month
// before with an office overdue (never begun), this month pending — filters "overdue only", and
// moves the deadline. In Hindi, the department manager of office 79 sees its office alone and no
// deadline form. axe-core must find nothing on either.

test.setTimeout(120_000);
test.describe.configure({ mode: 'serial' });

type Lang = 'hi' | 'en';
function monthBefore(month: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}
const CUR = todayIst().slice(0, 7);
const LAST = monthBefore(CUR);
const PREV = monthBefore(LAST);

async function openOverview(page: Page, lang: Lang) {
  await page
    .getByRole('link', { name: tr(lang, 'attendance.nav.overview'), exact: true })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: tr(lang, 'attendance.overview.title') })).toBeVisible();
}
const pickMonth = (page: Page, lang: Lang, month: string) =>
  page.getByRole('main').getByLabel(tr(lang, 'attendance.overview.month'), { exact: true }).selectOption(month);
const totals = async (page: Page) => (await (await page.request.get('/api/v1/attendance/totals')).json()) as TTotals;
/** The month's row of the monthly table shows the API's figures (present and paid days, as formatted in the page's language). */
async function monthlyRowShows(page: Page, lang: Lang, month: string) {
  const m = (await totals(page)).months.find((x) => x.month === month)!;
  expect(m.sheets).toBeGreaterThan(0);
  const nf = new Intl.NumberFormat(lang === 'hi' ? 'hi-IN' : 'en-IN');
  const row = page.getByTestId(`overview-monthly-${month}`);
  await expect(row).toContainText(nf.format(m.present));
  await expect(row).toContainText(nf.format(m.paidDays));
}
const overview = async (page: Page, month: string) => (await (await page.request.get(`/api/v1/attendance/overview?month=${month}`)).json()) as TOverview;

test('Finance: the statewide overview by department, overdue only, and the deadline (English)', async ({ page }) => {
  const lang = 'en';
  await openAs(page, 'finance_admin', '/', { lang });
  await openOverview(page, lang);
  // Last month by default: every office-month finalised by the demo.
  const last = await overview(page, LAST);
  expect(last.totals.offices).toBeGreaterThan(0);
  await expect(page.getByTestId('overview-total-finalised')).toContainText(String(last.totals.finalised));
  await expect(page.getByTestId('overview-departments')).toBeVisible();
  // Finalised attendance by month, statewide (maintained totals, bar S4): last month's row.
  await monthlyRowShows(page, lang, LAST);
  for (const o of last.offices)
    await expect(page.getByTestId(`overview-status-${o.officeId}`)).toHaveText(tr(lang, `attendance.overview.statusLabel.${o.status}`));
  expect(await axeViolations(page)).toEqual([]);

  // The month before: an office never begun is overdue.
  await pickMonth(page, lang, PREV);
  const prev = await overview(page, PREV);
  const late = prev.offices.filter((o) => o.status === 'overdue');
  expect(late.length).toBeGreaterThan(0);
  await expect(page.getByTestId('overview-total-overdue')).toContainText(String(prev.totals.overdue));
  await expect(page.getByTestId(`overview-status-${late[0]!.officeId}`)).toHaveText('Overdue');
  await page.screenshot({ path: 'test-results/screens/attendance-overview-en.png', fullPage: true });
  await page.getByLabel(tr(lang, 'attendance.overview.overdueOnly')).check();
  await expect(page.getByTestId('overview-offices').locator('tbody tr')).toHaveCount(late.length);
  for (const o of prev.offices.filter((x) => x.status !== 'overdue')) await expect(page.getByTestId(`overview-office-${o.officeId}`)).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);

  // This month: pending (open, half filled), none overdue.
  await pickMonth(page, lang, CUR);
  await expect(page.getByText(tr(lang, 'attendance.overview.noneOverdue'))).toBeVisible();
  await page.getByLabel(tr(lang, 'attendance.overview.overdueOnly')).uncheck();
  const cur = await overview(page, CUR);
  await expect(page.getByTestId('overview-total-pending')).toContainText(String(cur.totals.pending));
  await expect(page.getByTestId(`overview-status-${cur.offices[0]!.officeId}`)).toHaveText('Pending');

  // The deadline: Finance sets day 12 of the next month; the sentence follows.
  await page.getByTestId('deadline-day').fill('12');
  await page.getByTestId('deadline-save').click();
  await expect(page.getByTestId('deadline-status')).toHaveText(tr(lang, 'attendance.overview.deadlineSaved', { day: 12 }));
  await expect(page.getByTestId('overview-deadline')).toContainText('day 12 of the next month');
  expect(await axeViolations(page)).toEqual([]);
});

test('the department manager of office 79 sees its office alone (Hindi)', async ({ page }) => {
  const lang = 'hi';
  await openAs(page, 'dm_bhopal', '/', { lang, office: 79 });
  await openOverview(page, lang);
  await pickMonth(page, lang, CUR);
  await expect(page.getByTestId('overview-offices')).toBeVisible();
  await expect(page.getByTestId('overview-offices').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('overview-status-79')).toHaveText(tr(lang, 'attendance.overview.statusLabel.pending'));
  await expect(page.getByTestId('overview-total-offices')).toContainText('1');
  // No deadline form for a department.
  await expect(page.getByTestId('deadline-day')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/attendance-overview-hi.png', fullPage: true });
  await pickMonth(page, lang, LAST);
  await expect(page.getByTestId('overview-status-79')).toHaveText(tr(lang, 'attendance.overview.statusLabel.finalised'));
  // Its own office's finalised months only: last month's figures are office 79's.
  await monthlyRowShows(page, lang, LAST);
  expect(await axeViolations(page)).toEqual([]);
});
