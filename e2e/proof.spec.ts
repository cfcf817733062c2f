import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { axeViolations, login } from './helpers.ts';

// Issue 17 item 2: the demo agency opens its statutory proof of last month (the demo's ECR left a
// worker's EPF wages ₹500 short), sees the differences per worker, is refused an ECR saved with
// commas instead of #~# (the line named, in its language), and uploads an ECR holding only the
// workers the proof listed, with lower wages — a new version whose differences it reads worker by
// worker. Both languages, axe-clean on every screen.

const T = {
  en: {
    nav: 'Statutory proof',
    differences: 'Differences',
    separator: /Line 1: fields must be separated by #~#/,
    short: 'EPF wages lower than billed',
    missing: 'Not in the ECR',
  },
  hi: { nav: 'वैधानिक प्रमाण', differences: 'अंतर हैं', separator: /पंक्ति 1: क्षेत्र #~# से अलग/, short: 'ईपीएफ वेतन बिल से कम', missing: 'ईसीआर में नहीं' },
} as const;

const ecrLine = (uan: string, name: string, epf: number) => [uan, name, epf, epf, epf, epf, Math.round(epf * 0.12), 0, 0, 0, 0].join('#~#');

async function chooseEcr(page: Page, name: string, text: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('proof-file').click();
  await (await chooser).setFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });
}

async function fillChallans(page: Page, lang: 'en' | 'hi') {
  const L = lang === 'en';
  await page.getByLabel(L ? 'TRRN (EPFO challan)' : 'टीआरआरएन (ईपीएफओ चालान)').fill('3126000012345');
  await page.getByLabel(L ? 'EPF payment date' : 'ईपीएफ भुगतान तिथि').fill('05/11/2026');
  await page.getByLabel(L ? 'ESIC challan number' : 'ईएसआईसी चालान संख्या').fill('ESIC-DEMO-77');
  await page.getByLabel(L ? 'ESIC challan date' : 'ईएसआईसी चालान तिथि').fill('06/11/2026');
  await page.getByLabel(L ? 'ESIC challan amount (₹)' : 'ईएसआईसी चालान राशि (₹)').fill('1,00,000');
}

for (const [lang, L] of Object.entries(T) as ['en' | 'hi', (typeof T)['en' | 'hi']][]) {
  test(`the agency reads its proof's differences and uploads a new ECR (${lang})`, async ({ page }) => {
    test.setTimeout(150_000);
    await login(page, 'agency_admin', undefined, lang);
    await page.getByRole('link', { name: L.nav, exact: true }).first().click();
    const list = page.getByTestId('proof-list');
    await expect(list.locator('tbody tr').filter({ hasText: L.differences }).first()).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);

    // The demo's proof: the differences per worker, with their UANs.
    await list.locator('tbody tr').filter({ hasText: L.differences }).last().getByRole('link').first().click();
    await expect(page.getByTestId('proof-status')).toHaveText(L.differences);
    const diffs = page.getByTestId('proof-differences');
    await expect(diffs.locator('tbody tr').filter({ hasText: L.short })).toHaveCount(1);
    expect(await axeViolations(page)).toEqual([]);
    const uans = (await diffs.locator('tbody tr td:nth-child(2)').allTextContents()).map((s) => s.trim()).filter((s) => /^\d{12}$/.test(s));
    expect(uans.length).toBeGreaterThanOrEqual(1);

    // A spreadsheet saved with commas: refused, the line named, nothing saved.
    await page.getByRole('link', { name: L.nav, exact: true }).first().click();
    await fillChallans(page, lang);
    await chooseEcr(page, 'ecr.txt', ecrLine(uans[0]!, 'Asha', 100).replaceAll('#~#', ','));
    await page.getByTestId('proof-upload').click();
    await expect(page.getByTestId('proof-upload-error')).toContainText(L.separator);
    expect(await axeViolations(page)).toEqual([]);

    // Only the listed workers, with lower wages (one with a Devanagari name): a new version with differences.
    // The two languages' journeys share a server: their wages differ, since the same file again would be
    // refused as a repeat of the version in force (proof_same_upload, proof.races.test.ts).
    const wage = lang === 'en' ? 100 : 90;
    await chooseEcr(page, 'ecr-corrected.txt', uans.map((u, i) => ecrLine(u, i % 2 ? 'Asha Kumari' : 'सुनीता देवी', wage)).join('\n'));
    await page.getByTestId('proof-upload').click();
    await expect(page.getByTestId('proof-status')).toHaveText(L.differences);
    await expect(page.getByTestId('proof-differences').locator('tbody tr').filter({ hasText: L.short })).toHaveCount(uans.length);
    expect(await axeViolations(page)).toEqual([]);
  });
}
