import { expect, type Page } from '@playwright/test';
import type { TAttendanceSheet, TRevision } from '../shared/contracts/attendance.ts';
import { todayIst } from '../shared/domain/dates.ts';
import { test } from './fixtures.ts';
import { axeViolations, openAs, tr } from './helpers.ts';

// Issue 15 item 6 end to end, once in Hindi and once in English: the department manager of
// office 79 asks for a revision of one row of last month (finalised by the demo), the row shows
// it awaiting the DDO; the DDO (ddo_bhopal) opens the revisions page and approves it (Hindi) or
// refuses it — first without remarks, which is refused — (English); the grid then shows the
// figures in force. In English the request also corrects a second resource and attaches a PDF,
// which the DDO sees and downloads; the manager then adds a PNG to the pending request from the
// revisions page, which the DDO sees listed and downloads too. axe-core must find nothing on the grid, the dialogs and the revisions page.

test.setTimeout(180_000);
test.describe.configure({ mode: 'serial' });

type Lang = 'hi' | 'en';

function lastMonth(): string {
  const d = new Date(`${todayIst().slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}
const MONTH = lastMonth();
// The signature and an IHDR header: a PNG by content, which is what the server checks.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const SHEET = `/api/v1/attendance/offices/79/months/${MONTH}`;

async function openGrid(page: Page, lang: Lang) {
  await page
    .getByRole('link', { name: tr(lang, 'attendance.nav.attendance'), exact: true })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: tr(lang, 'attendance.title') })).toBeVisible();
  await page.getByRole('main').getByLabel(tr(lang, 'attendance.office'), { exact: true }).selectOption('79');
  await page.getByRole('main').getByLabel(tr(lang, 'attendance.month'), { exact: true }).selectOption(MONTH);
  await expect(page.getByTestId('attendance-grid')).toBeVisible();
}

async function journey(page: Page, lang: Lang, decision: 'approve' | 'refuse') {
  // The department manager of office 79.
  await openAs(page, 'dm_bhopal', '/', { lang, office: 79 });
  if (lang === 'en') {
    // The holiday calendar: the office's own holiday, added by its department manager, shows on the grid.
    await page
      .getByRole('link', { name: tr(lang, 'attendance.nav.holidays'), exact: true })
      .first()
      .click();
    await expect(page.getByRole('heading', { name: tr(lang, 'attendance.holiday.pageTitle') })).toBeVisible();
    await page.getByRole('main').getByLabel(tr(lang, 'attendance.month'), { exact: true }).selectOption(MONTH);
    await expect(page.getByTestId('holidays-table')).toBeVisible(); // the demo's statewide / local ones
    await page.getByTestId('holiday-date').fill(`23/${MONTH.slice(5, 7)}/${MONTH.slice(0, 4)}`);
    await page.getByLabel(tr(lang, 'attendance.holiday.nameEn')).fill('Office foundation day');
    await page.getByLabel(tr(lang, 'attendance.holiday.nameHi')).fill('कार्यालय स्थापना दिवस');
    await page.getByTestId('holiday-add').click();
    await expect(page.getByTestId('holidays-status')).toHaveText(tr(lang, 'attendance.holiday.added'));
    await expect(page.getByTestId('holidays-table')).toContainText('Office foundation day');
    expect(await axeViolations(page)).toEqual([]);
  }
  await openGrid(page, lang);
  if (lang === 'en') {
    await expect(page.getByTestId('attendance-holidays')).toContainText('Office foundation day');
    await expect(page.getByTestId('attendance-col-offs')).toContainText(tr(lang, 'attendance.holiday.columnMark', { count: 3 }).replace('3', ''));
  }
  const sheet = (await (await page.request.get(SHEET)).json()) as TAttendanceSheet;
  expect(sheet.state).toBe('finalised');
  // The demo: one row revised (its figures in force shown), one awaiting the DDO.
  expect(sheet.rows.some((r) => r.revised !== null)).toBe(true);
  const pendingRow = sheet.rows.find((r) => r.revisionPending)!;
  await expect(page.getByTestId(`revision-pending-${pendingRow.resourceId}`)).toHaveText(tr(lang, 'attendance.revision.pending'));
  // A row with nothing pending (office 79 has few rows: a second revision of a revised row will do).
  const free = sheet.rows.filter((x) => !x.revisionPending && (x.revised?.present ?? x.present!) > 0);
  const r = free.find((x) => x.revised === null) ?? free[0]!;
  const eff = r.revised ?? { present: r.present!, absence: r.absence! };
  expect(await axeViolations(page)).toEqual([]);

  await page.getByTestId(`revise-${r.resourceId}`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(tr(lang, 'attendance.col.present')).fill(String(eff.present - 1));
  await dialog.getByLabel(tr(lang, 'attendance.col.absence')).fill(String(eff.absence + 1));
  await dialog
    .getByLabel(tr(lang, 'attendance.revision.reason'))
    .fill(lang === 'hi' ? 'एक दिन अनुपस्थित, भूल से उपस्थित दर्ज' : 'Absent on one day, marked present by mistake');
  // English: a second resource of the month in the same request, and the leave register as a PDF.
  let second: TAttendanceSheet['rows'][number] | undefined;
  if (lang === 'en') {
    second = free.find((x) => x.resourceId !== r.resourceId);
    expect(second).toBeDefined();
    await dialog.getByTestId('revise-add-select').selectOption(String(second!.resourceId));
    await dialog.getByTestId('revise-add').click();
    const eff2 = second!.revised ?? { present: second!.present!, absence: second!.absence! };
    await dialog.getByTestId(`revise-present-${second!.resourceId}`).fill(String(eff2.present - 1));
    await dialog.getByTestId(`revise-absence-${second!.resourceId}`).fill(String(eff2.absence + 1));
    await dialog
      .locator('input[type=file]')
      .setInputFiles({ name: 'leave-register.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await expect(dialog.getByText('leave-register.pdf')).toBeVisible();
  }
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: tr(lang, 'attendance.revision.submit') }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('attendance-status')).toContainText(tr(lang, 'attendance.revision.requested'));
  await expect(page.getByTestId(`revision-pending-${r.resourceId}`)).toBeVisible();
  const pending = ((await (await page.request.get('/api/v1/attendance/revisions?state=pending')).json()) as { items: TRevision[] }).items;
  const rev = pending.find((x) => x.items.some((i) => i.resourceId === r.resourceId))!;
  expect(rev.canDecide).toBe(false);
  if (second) {
    expect(rev.items.map((i) => i.resourceId).sort()).toEqual([r.resourceId, second.resourceId].sort());
    expect(rev.document?.name).toBe('leave-register.pdf');
    expect(rev.canAddDocument).toBe(true);

    // Later (say the DDO asked for it) the manager adds the register page to the pending request.
    await page
      .getByRole('link', { name: tr(lang, 'attendance.nav.revisions'), exact: true })
      .first()
      .click();
    await expect(page.getByRole('heading', { name: tr(lang, 'attendance.revision.title') })).toBeVisible();
    await page.getByTestId(`revision-add-document-${rev.id}`).click();
    const add = page.getByRole('dialog');
    await expect(add).toBeVisible();
    await add.locator('input[type=file]').setInputFiles({ name: 'register-page.png', mimeType: 'image/png', buffer: PNG });
    await expect(add.getByText('register-page.png')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await add.getByRole('button', { name: tr(lang, 'attendance.revision.addDocumentSubmit') }).click();
    await expect(add).toBeHidden();
    await expect(page.getByTestId('revisions-status')).toContainText(tr(lang, 'attendance.revision.documentAdded', { id: rev.id }));
    await expect(page.getByTestId(`revision-added-${rev.id}`)).toContainText('register-page.png');
    expect(await axeViolations(page)).toEqual([]);
  }

  // The DDO.
  await page.context().clearCookies();
  await openAs(page, 'ddo_bhopal', '/', { lang });
  await page
    .getByRole('link', { name: tr(lang, 'attendance.nav.revisions'), exact: true })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: tr(lang, 'attendance.revision.title') })).toBeVisible();
  await expect(page.getByTestId(`revision-${rev.id}`)).toBeVisible();
  if (second) {
    await expect(page.getByTestId(`revision-document-${rev.id}`)).toHaveText(tr(lang, 'attendance.revision.documentLink', { name: 'leave-register.pdf' }));
    const doc = await page.request.get(`/api/v1/attendance/revisions/${rev.id}/document`);
    expect(doc.status()).toBe(200);
    expect((await doc.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The document added later: listed on the request, downloaded as sent.
    await expect(page.getByTestId(`revision-added-${rev.id}`)).toContainText('register-page.png');
    const listed = ((await (await page.request.get('/api/v1/attendance/revisions?state=pending')).json()) as { items: TRevision[] }).items;
    const added = listed.find((x) => x.id === rev.id)!.documents;
    expect(added.map((d) => d.name)).toEqual(['register-page.png']);
    const png = await page.request.get(`/api/v1/attendance/revisions/${rev.id}/documents/${added[0]!.id}`);
    expect(png.status()).toBe(200);
    expect(png.headers()['content-type']).toBe('image/png');
    expect((await png.body()).equals(PNG)).toBe(true);
  }
  expect(await axeViolations(page)).toEqual([]);
  await page.getByTestId(`revision-${decision}-${rev.id}`).click();
  const decide = page.getByRole('dialog');
  await expect(decide).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  const confirm = decide.getByRole('button', { name: tr(lang, `attendance.revision.${decision}`) });
  if (decision === 'refuse') {
    await confirm.click();
    await expect(page.getByTestId('revision-decide-error')).toBeVisible();
    await decide.getByLabel(tr(lang, 'attendance.revision.remarksRefuse')).fill('No record of the absence in the register.');
  } else {
    await decide.getByLabel(tr(lang, 'attendance.revision.remarks')).fill('सत्यापित');
  }
  await confirm.click();
  await expect(decide).toBeHidden();
  await expect(page.getByTestId('revisions-status')).toContainText(
    tr(lang, decision === 'approve' ? 'attendance.revision.approved' : 'attendance.revision.refused', { id: rev.id }),
  );
  await expect(page.getByTestId(`revision-${rev.id}`)).toHaveCount(0);
  await page.getByTestId('revisions-state').selectOption(decision === 'approve' ? 'approved' : 'refused');
  await expect(page.getByTestId(`revision-state-${rev.id}`)).toHaveText(
    tr(lang, `attendance.revision.state.${decision === 'approve' ? 'approved' : 'refused'}`),
  );
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: `test-results/screens/attendance-revisions-${lang}.png`, fullPage: true });

  // The grid: approved → the figures in force; refused → as finalised, free for a new request.
  await openGrid(page, lang);
  if (decision === 'approve') {
    await expect(page.getByTestId(`revised-${r.resourceId}`)).toBeVisible();
    await expect(page.getByTestId(`effective-${r.resourceId}-present`)).toContainText(String(eff.present - 1));
  } else {
    await expect(page.getByTestId(`revised-${r.resourceId}`)).toHaveCount(r.revised ? 1 : 0);
    await expect(page.getByTestId(`revision-pending-${r.resourceId}`)).toHaveCount(0);
  }
  expect(await axeViolations(page)).toEqual([]);
}

test('हिन्दी: विभागीय प्रबंधक संशोधन माँगते हैं, डीडीओ स्वीकृत करते हैं', async ({ page }) => {
  await journey(page, 'hi', 'approve');
});

test('English: the department manager asks for a revision, the DDO refuses it with remarks', async ({ page }) => {
  await journey(page, 'en', 'refuse');
});
