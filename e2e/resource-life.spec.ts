import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { axeViolations, chooseFile, openAs, tr } from './helpers.ts';

// Issue 14 item 5 end to end, once in Hindi and once in English: the agency asks to change a
// working resource's bank account (the old account stays in force — the page says a change is
// pending) and records an accident with its PDF more than 24 hours after it happened (the event
// shows "overdue" for ESIC reporting); the department manager of office 79 sees the overdue
// note and list, and approves the bank change, which then is the account shown. Every screen is
// checked with axe-core (WCAG 2.1 AA). Labels come from the catalogs.

test.setTimeout(240_000);
test.describe.configure({ mode: 'serial' });

type Lang = 'hi' | 'en';

const PDF = Buffer.from(['%PDF-1.4', '1 0 obj << /Type /Catalog >> endobj', 'trailer << /Root 1 0 R >>', '%%EOF'].join('\n'), 'latin1');
const NEW_BANK: Record<Lang, string> = { hi: '60200012345671', en: '60200012345672' };

mkdirSync('test-results/screens', { recursive: true });
async function check(page: Page, name: string) {
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: `test-results/screens/resource-life-${name}.png`, fullPage: true });
}

/** An IST date (DD/MM/YYYY) and time (HH:MM) `hours` ago. */
function istAgo(hours: number): { date: string; time: string } {
  const s = new Date(Date.now() - hours * 3_600_000 + 330 * 60_000).toISOString();
  const [y, m, d] = s.slice(0, 10).split('-');
  return { date: `${d}/${m}/${y}`, time: s.slice(11, 16) };
}

async function pick(page: Page, scope: ReturnType<Page['locator']>, label: string, option: string) {
  await scope
    .getByRole('textbox', { name: label, exact: true })
    .or(scope.getByRole('combobox', { name: label, exact: true }))
    .first()
    .click();
  await page.getByRole('option', { name: option, exact: true }).first().click();
}

async function logout(page: Page, lang: Lang) {
  await page.getByRole('button', { name: tr(lang, 'common.logout') }).click();
  await expect(page).toHaveURL(/\/login$/);
}

for (const [i, lang] of (['hi', 'en'] as const).entries()) {
  test(`resource life (${lang}): a bank change approved by the department, an accident overdue for ESIC`, async ({ page }) => {
    await openAs(page, 'agency_admin', '/', { lang });
    // A working resource of the agency under office 79 without a pending profile change (one per language).
    const list = (await (await page.request.get('/api/v1/resources?status=approved&pageSize=100&sort=name&dir=asc')).json()) as {
      items: { id: number; contractOfficeId: number }[];
    };
    const candidates: number[] = [];
    for (const x of list.items.filter((r) => r.contractOfficeId === 79)) {
      const r = (await (await page.request.get(`/api/v1/resources/${x.id}`)).json()) as {
        profileChanges: { state: string }[];
        can: { requestProfileChange: boolean };
      };
      if (r.can.requestProfileChange) candidates.push(x.id);
    }
    const id = candidates[i];
    expect(id, JSON.stringify(candidates)).toBeTruthy();
    await page.goto(`/resources/${id}`);
    await expect(page.getByTestId('resource-timeline')).toBeVisible();
    const oldBank = (await (await page.request.get(`/api/v1/resources/${id}`)).json()).bankAccount as string;

    // The agency asks for a new bank account: nothing changes until the department approves.
    await page.getByTestId('resource-profile-change').click();
    const ask = page.getByRole('dialog', { name: tr(lang, 'resource.profile.dialogTitle') });
    await ask.getByRole('textbox', { name: tr(lang, 'resource.profile.newBankAccount'), exact: true }).fill(NEW_BANK[lang]);
    await ask.getByRole('textbox', { name: tr(lang, 'resource.profile.newIfsc'), exact: true }).fill('hdfc0001234');
    await check(page, `profile-dialog-${lang}`);
    await ask.getByRole('button', { name: tr(lang, 'resource.profile.confirm') }).click();
    await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.profile.requested'));
    await expect(page.getByTestId('profile-change-pending')).toBeVisible();
    await expect(page.getByTestId('resource-profile-changes')).toContainText(`${oldBank} → ${NEW_BANK[lang]}`);

    // An accident 26 hours ago with its PDF: overdue for ESIC reporting.
    await page.getByTestId('resource-record-event').click();
    const ev = page.getByRole('dialog', { name: tr(lang, 'resource.event.dialogTitle') });
    await pick(page, ev, tr(lang, 'resource.event.kind'), tr(lang, 'resource.event.kinds.accident'));
    const when = istAgo(26);
    await ev.getByRole('textbox', { name: tr(lang, 'resource.event.onDate'), exact: true }).fill(when.date);
    await ev.getByRole('textbox', { name: tr(lang, 'resource.event.atTime'), exact: true }).fill(when.time);
    await chooseFile(page, tr(lang, 'resource.event.document'), { name: 'accident-report.pdf', mimeType: 'application/pdf', buffer: PDF });
    await check(page, `event-dialog-${lang}`);
    await ev.getByRole('button', { name: tr(lang, 'resource.event.confirm'), exact: true }).click();
    await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.event.recorded'));
    const row = page.getByTestId('resource-event-accident').first();
    await expect(row).toContainText(tr(lang, 'resource.event.overdue'));
    await expect(row.getByRole('link', { name: tr(lang, 'resource.event.document_link') })).toBeVisible();
    await expect(page.getByTestId('resource-timeline')).toContainText(tr(lang, 'resource.timeline.action.event_accident'));
    await check(page, `agency-after-${lang}`);
    await logout(page, lang);

    // The department manager of office 79: the overdue note and list, then the approval.
    await openAs(page, 'dm_bhopal', '/', { lang, office: 79 });
    await page.goto('/resources');
    await expect(page.getByTestId('esic-overdue-note')).toBeVisible();
    await page.getByTestId('esic-overdue-note').getByRole('link').click();
    await expect(page.getByRole('heading', { level: 2, name: tr(lang, 'resource.esic.title') })).toBeVisible();
    await expect(page.getByTestId('esic-overdue-list').getByRole('link').first()).toBeVisible();
    await check(page, `esic-overdue-${lang}`);

    await page.goto(`/resources/${id}`);
    await expect(page.getByTestId('profile-change-pending')).toBeVisible();
    await check(page, `dm-pending-${lang}`);
    await page.getByTestId('resource-profile-approve').click();
    const approve = page.getByRole('dialog', { name: tr(lang, 'resource.profile.approveTitle') });
    await approve.getByRole('button', { name: tr(lang, 'resource.profile.approveConfirm') }).dblclick();
    await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.profile.approved'));
    await expect(page.getByTestId('profile-change-pending')).toHaveCount(0);
    await expect(page.getByRole('main')).toContainText(NEW_BANK[lang]);
    await expect(page.getByRole('main')).toContainText('HDFC0001234');
    await expect(page.getByTestId('resource-timeline')).toContainText(tr(lang, 'resource.timeline.action.profile_change_approve'));
    await check(page, `dm-approved-${lang}`);
    await logout(page, lang);
  });
}
