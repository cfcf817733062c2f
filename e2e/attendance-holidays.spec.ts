import { expect, type Page } from '@playwright/test';
import { todayIst } from '../shared/domain/dates.ts';
import { test } from './fixtures.ts';
import { axeViolations, chooseFile, openAs, tr } from './helpers.ts';

// Issue 15 item 4 end to end, in English and in Hindi: Finance keeps a district's local holiday
// (Bhopal, the district of office 79) and imports holidays from a spreadsheet — the check lists a
// bad row with its reason and saves nothing, a corrected file is checked and saved whole. The
// department manager of office 79 then sees the district holiday on the attendance grid.
// axe-core must find nothing on the calendar page with its import table.

test.setTimeout(180_000);
test.describe.configure({ mode: 'serial' });

type Lang = 'hi' | 'en';
const CUR = todayIst().slice(0, 7);
const NEXT_YEAR = Number(CUR.slice(0, 4)) + 1;
const HOLIDAYS = '/attendance/holidays';

async function openCalendar(page: Page, lang: Lang) {
  await openAs(page, 'finance_admin', HOLIDAYS, { lang });
  await expect(page.getByRole('heading', { name: tr(lang, 'attendance.holiday.pageTitle') })).toBeVisible();
}

async function pickBhopal(page: Page, lang: Lang) {
  const select = page.getByTestId('holidays-district');
  const option = select.locator('option', { hasText: lang === 'hi' ? 'भोपाल' : 'Bhopal' }).first();
  await expect(option).toBeAttached();
  await select.selectOption((await option.getAttribute('value'))!);
}

const csv = (rows: string[][]) => Buffer.from(`\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');

async function importFile(page: Page, lang: Lang, rows: string[][]) {
  await chooseFile(page, tr(lang, 'holidays.import.file'), { name: 'holidays.csv', mimeType: 'text/csv', buffer: csv(rows) });
  await page.getByTestId('holidays-import-check').click();
  await expect(page.getByTestId('holidays-import-table')).toBeVisible();
}

for (const lang of ['en', 'hi'] as const) {
  test(`Finance keeps a district holiday and imports a calendar (${lang})`, async ({ page }) => {
    const header = ['date', 'nameEn', 'nameHi', 'kind', 'districtCode'].map((k) => tr(lang, `holidays.column.${k}`));
    const day = lang === 'en' ? 11 : 12;
    const holiday = lang === 'en' ? 'Bhoj Utsav' : 'Raja Bhoj Jayanti';
    const holidayHi = lang === 'en' ? 'भोज उत्सव' : 'राजा भोज जयंती';
    await openCalendar(page, lang);
    await page.getByRole('main').getByLabel(tr(lang, 'attendance.month'), { exact: true }).selectOption(CUR);
    await pickBhopal(page, lang);
    await page.getByTestId('holiday-date').fill(`${day}/${CUR.slice(5, 7)}/${CUR.slice(0, 4)}`);
    await page.getByLabel(tr(lang, 'attendance.holiday.nameEn')).fill(holiday);
    await page.getByLabel(tr(lang, 'attendance.holiday.nameHi')).fill(holidayHi);
    await expect(page.getByLabel(tr(lang, 'attendance.holiday.kind'))).toHaveValue('local');
    await page.getByTestId('holiday-add').click();
    await expect(page.getByTestId('holidays-status')).toHaveText(tr(lang, 'attendance.holiday.added'));
    const row = page
      .getByTestId('holidays-table')
      .getByRole('row')
      .filter({ hasText: lang === 'en' ? holiday : holidayHi });
    await expect(row).toContainText(tr(lang, 'attendance.holiday.local'));
    await expect(row).toContainText(lang === 'en' ? 'Bhopal' : 'भोपाल');

    // Import: a file with a bad row is checked, each row shown; nothing is saved and no save is offered.
    const m = lang === 'en' ? '02' : '03';
    const good = [
      [`01/${m}/${NEXT_YEAR}`, `Imported day ${lang}`, `आयातित दिवस ${lang}`, 'gazetted', ''],
      [`02/${m}/${NEXT_YEAR}`, `Imported fair ${lang}`, `आयातित मेला ${lang}`, 'local', ''],
    ];
    await importFile(page, lang, [header, ...good]);
    await expect(page.getByTestId('holidays-import-status')).toContainText(tr(lang, 'holidays.import.hasErrors'));
    await expect(page.getByTestId('holidays-import-table')).toContainText(tr(lang, 'holidays.reason.local_statewide', { row: 3 }));
    await expect(page.getByTestId('holidays-import-save')).toHaveCount(0);
    expect(await axeViolations(page)).toEqual([]);

    // Corrected (the local holiday gets its district): checked clean, then saved whole.
    const code = ((await page.getByTestId('holidays-district').locator('option:checked').textContent()) ?? '').match(/\(([^)]+)\)\s*$/)?.[1] ?? '';
    expect(code).not.toBe('');
    good[1]![4] = code;
    await importFile(page, lang, [header, ...good]);
    await expect(page.getByTestId('holidays-import-status')).toContainText(tr(lang, 'holidays.import.allGood', { rows: 2 }));
    await page.getByTestId('holidays-import-save').click();
    await expect(page.getByTestId('holidays-import-status')).toContainText(tr(lang, 'holidays.import.saved', { count: 2 }));
    await page.getByRole('main').getByLabel(tr(lang, 'attendance.month'), { exact: true }).selectOption(`${NEXT_YEAR}-${m}`);
    await expect(page.getByTestId('holidays-table')).toContainText(lang === 'en' ? `Imported fair ${lang}` : `आयातित मेला ${lang}`);
    expect(await axeViolations(page)).toEqual([]);

    // The department manager of office 79 (in Bhopal) sees the district holiday on the grid.
    await openAs(page, 'dm_bhopal', '/attendance', { lang, office: 79 });
    await page.getByRole('main').getByLabel(tr(lang, 'attendance.office'), { exact: true }).selectOption('79');
    await page.getByRole('main').getByLabel(tr(lang, 'attendance.month'), { exact: true }).selectOption(CUR);
    await expect(page.getByTestId('attendance-holidays')).toContainText(lang === 'en' ? holiday : holidayHi);
  });
}

test('the district admin keeps its district’s local holidays (en)', async ({ page }) => {
  const lang = 'en' as const;
  await openAs(page, 'districtadmin_bhopal', HOLIDAYS, { lang });
  await expect(page.getByRole('heading', { name: tr(lang, 'attendance.holiday.pageTitle') })).toBeVisible();
  await page.getByRole('main').getByLabel(tr(lang, 'attendance.month'), { exact: true }).selectOption(CUR);
  // No district to pick: its own. The demo's local holiday it added is listed, with a change and a remove button.
  await expect(page.getByTestId('holidays-district')).toHaveCount(0);
  const table = page.getByTestId('holidays-table');
  await expect(table.getByRole('row').filter({ hasText: 'Bhopal Utsav' })).toContainText(tr(lang, 'attendance.holiday.local'));
  // Only local holidays can be added.
  await expect(page.getByLabel(tr(lang, 'attendance.holiday.kind')).locator('option')).toHaveCount(1);

  const mm = CUR.slice(5, 7);
  const yyyy = CUR.slice(0, 4);
  await page.getByTestId('holiday-date').fill(`23/${mm}/${yyyy}`);
  await page.getByLabel(tr(lang, 'attendance.holiday.nameEn')).fill('Upper Lake Day');
  await page.getByLabel(tr(lang, 'attendance.holiday.nameHi')).fill('बड़ा तालाब दिवस');
  await page.getByTestId('holiday-add').click();
  await expect(page.getByTestId('holidays-status')).toHaveText(tr(lang, 'attendance.holiday.added'));
  const row = table.getByRole('row').filter({ hasText: 'Upper Lake Day' });
  await expect(row).toContainText('Bhopal');

  // Change it: the form takes its values; saved under a new name and date.
  await page.getByRole('button', { name: tr(lang, 'holidays.edit.one', { name: 'Upper Lake Day' }) }).click();
  await expect(page.getByLabel(tr(lang, 'attendance.holiday.nameEn'))).toHaveValue('Upper Lake Day');
  await page.getByTestId('holiday-date').fill(`24/${mm}/${yyyy}`);
  await page.getByLabel(tr(lang, 'attendance.holiday.nameEn')).fill('Upper Lake Festival');
  await page.getByTestId('holiday-add').click();
  await expect(page.getByTestId('holidays-status')).toHaveText(tr(lang, 'holidays.edit.done'));
  const changed = table.getByRole('row').filter({ hasText: 'Upper Lake Festival' });
  await expect(changed).toContainText(`24/${mm}/${yyyy}`);
  expect(await axeViolations(page)).toEqual([]);

  // Import: a row of another district is refused, named by its row; nothing is saved, no save offered.
  const intro = (await page.getByTestId('holidays-import').textContent()) ?? '';
  const own = intro.match(/\((\w+), your district\)/)?.[1] ?? '';
  expect(own).not.toBe('');
  const other = own === '01' ? '02' : '01';
  const header = ['date', 'nameEn', 'nameHi', 'kind', 'districtCode'].map((k) => tr(lang, `holidays.column.${k}`));
  await importFile(page, lang, [
    header,
    [`05/04/${NEXT_YEAR}`, 'Home fair', 'घर का मेला', 'local', own],
    [`06/04/${NEXT_YEAR}`, 'Away fair', 'दूसरा मेला', 'local', other],
  ]);
  await expect(page.getByTestId('holidays-import-status')).toContainText(tr(lang, 'holidays.import.hasErrors'));
  await expect(page.getByTestId('holidays-import-table')).toContainText(tr(lang, 'holidays.reason.not_own_district', { row: 3, own }));
  await expect(page.getByTestId('holidays-import-save')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);

  // Remove the holiday it added.
  await page.getByRole('button', { name: tr(lang, 'attendance.holiday.removeOne', { name: 'Upper Lake Festival' }) }).click();
  await expect(page.getByTestId('holidays-status')).toHaveText(tr(lang, 'attendance.holiday.removed', { name: 'Upper Lake Festival' }));
  await expect(table.getByRole('row').filter({ hasText: 'Upper Lake Festival' })).toHaveCount(0);

  // The department manager of office 79 (in Bhopal) sees the district admin's demo holiday on the grid.
  await openAs(page, 'dm_bhopal', '/attendance', { lang, office: 79 });
  await page.getByRole('main').getByLabel(tr(lang, 'attendance.office'), { exact: true }).selectOption('79');
  await page.getByRole('main').getByLabel(tr(lang, 'attendance.month'), { exact: true }).selectOption(CUR);
  await expect(page.getByTestId('attendance-holidays')).toContainText('Bhopal Utsav');
});
