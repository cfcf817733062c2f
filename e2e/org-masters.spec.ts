import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { expectAccessible, openAs } from './helpers.ts';

/** Finance manages the organisation masters: add an office, find it, import (bad → fixed), export. */

const L = {
  en: {
    nav: 'Masters',
    offices: 'Offices',
    postNames: 'Post names',
    add: 'Add',
    officeId: 'Office id',
    nameHi: 'Name (Hindi)',
    nameEn: 'Name (English)',
    hod: 'HOD / directorate',
    district: 'District',
    save: 'Save',
    saved: /Saved:/,
    search: 'Search',
    import: 'Import',
    file: 'File to import',
    check: 'Check file',
    confirm: 'Confirm import',
    required: 'This field is required.',
    problems: /problem(s)? found; nothing was saved/,
    clean: /no errors/,
    imported: /Imported 2 rows/,
    excel: 'Export Excel',
    csv: 'Export CSV',
    close: 'Close',
    exportTitle: 'Organisation master: Post names',
    exportHeader: 'Code,Name (English),Name (Hindi),Active',
    yes: 'Yes',
  },
  hi: {
    nav: 'मास्टर',
    offices: 'कार्यालय',
    postNames: 'पद नाम',
    add: 'जोड़ें',
    officeId: 'कार्यालय आईडी',
    nameHi: 'नाम (हिन्दी)',
    nameEn: 'नाम (अंग्रेज़ी)',
    hod: 'विभागाध्यक्ष / संचालनालय',
    district: 'जिला',
    save: 'सेव करें',
    saved: /सेव किया गया:/,
    search: 'खोजें',
    import: 'आयात करें',
    file: 'आयात हेतु फ़ाइल',
    check: 'फ़ाइल जाँचें',
    confirm: 'आयात की पुष्टि करें',
    required: 'यह प्रविष्टि आवश्यक है।',
    problems: /त्रुटि(याँ)? मिल(ी|ीं); कुछ भी सेव नहीं हुआ/,
    clean: /कोई त्रुटि नहीं/,
    imported: /2 पंक्तियाँ आयात की गईं/,
    excel: 'Excel निर्यात करें',
    csv: 'CSV निर्यात करें',
    close: 'बंद करें',
    exportTitle: 'संगठन मास्टर: पद नाम',
    exportHeader: 'कोड,नाम (अंग्रेज़ी),नाम (हिन्दी),सक्रिय',
    yes: 'हाँ',
  },
} as const;

async function pick(page: Page, label: string, search: string, option: RegExp) {
  const input = page.getByRole('dialog').getByRole('combobox', { name: label, exact: true });
  // The options are searched on the server as one types: a click can land on the list the answer
  // is replacing (CI once saved an office without its district). Picked again until the field shows it.
  await expect(async () => {
    await input.click();
    await input.fill(search);
    await page.getByRole('option', { name: option }).first().click({ timeout: 5_000 });
    await expect(input).toHaveValue(option, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

for (const lang of ['en', 'hi'] as const) {
  test(`Finance manages masters (${lang})`, async ({ page }) => {
    test.setTimeout(180_000); // a long journey with five axe scans
    const s = L[lang];
    const officeId = lang === 'en' ? '97001' : '97002';
    const code = `cook_${lang}`;
    await openAs(page, 'finance_admin', '/', { lang });
    await page.getByRole('link', { name: s.nav, exact: true }).first().click();
    await expect(page).toHaveURL(/\/masters$/);
    await expect(page.getByRole('heading', { level: 2 })).toBeVisible();
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/screens/org-home-${lang}.png`, fullPage: true });

    // Add an office.
    await page.getByRole('main').getByRole('link', { name: s.offices, exact: true }).click();
    await expect(page.getByRole('heading', { name: s.offices, level: 2 })).toBeVisible();
    await expect(page.getByRole('table')).toContainText('4881');
    await expectAccessible(page);
    await page.getByRole('button', { name: s.add, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(s.officeId).fill(officeId);
    await dialog.getByLabel(s.nameHi).fill('कोषालय प्रशिक्षण प्रकोष्ठ');
    await dialog.getByLabel(s.nameEn).fill(`Treasury Training Cell ${lang}`);
    await pick(page, s.hod, 'FIN-CIF', /FIN-CIF/);
    await pick(page, s.district, 'Bhopal', /Bhopal|भोपाल/);
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/screens/org-office-form-${lang}.png`, fullPage: true });
    await dialog.getByRole('button', { name: s.save }).click();
    await expect(page.getByRole('status')).toContainText(s.saved);

    // Find it through the search filter (on the server).
    await expect(dialog).toBeHidden();
    const search = page.getByRole('textbox', { name: s.search, exact: true });
    await search.fill(officeId);
    await expect(search).toHaveValue(officeId);
    const rows = page.getByRole('table').getByRole('row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText('कोषालय प्रशिक्षण प्रकोष्ठ');
    await page.screenshot({ path: `test-results/screens/org-offices-${lang}.png`, fullPage: true });

    // Import post names: a bad row is reported, nothing saved; fixed, then confirmed.
    await page.goto('/masters/post-names');
    await expect(page.getByRole('heading', { name: s.postNames, level: 2 })).toBeVisible();
    await page.getByRole('button', { name: s.import, exact: true }).click();
    const bad = `code,nameEn,nameHi,active\n${code},Cook,रसोइया,true\n,Gardener,माली,true\n`;
    await page.locator('input[type=file]').setInputFiles({ name: 'posts.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    await page.getByRole('button', { name: s.check }).click();
    await expect(page.getByRole('dialog').getByRole('alert')).toContainText(s.problems);
    const errRow = page.getByRole('dialog').getByRole('table').getByRole('row').nth(1);
    await expect(errRow).toContainText('3');
    await expect(errRow).toContainText('code');
    await expect(errRow).toContainText(s.required);
    await expect(page.getByRole('button', { name: s.confirm })).toBeDisabled();
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/screens/org-import-errors-${lang}.png`, fullPage: true });
    const before = await page.evaluate(async (c) => ((await (await fetch(`/api/v1/org/post-names?q=${c}`)).json()) as { total: number }).total, code);
    expect(before).toBe(0);

    const good = `code,nameEn,nameHi,active\n${code},Cook,रसोइया,true\ngardener_${lang},Gardener,माली,true\n`;
    await page.locator('input[type=file]').setInputFiles({ name: 'posts.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf8') });
    await page.getByRole('button', { name: s.check }).click();
    await expect(page.getByRole('dialog').getByRole('status')).toContainText(s.clean);
    await page.getByRole('button', { name: s.confirm }).click();
    await expect(page.getByRole('dialog').getByRole('status')).toContainText(s.imported);
    // Closing is ignored while the import's follow-up refresh is still running: click until it is gone
    // (CI once clicked during that moment, and the export links then lay under the dialog).
    await expect(async () => {
      await page.getByRole('dialog').getByRole('button', { name: s.close }).first().click({ timeout: 2_000 });
      await expect(page.getByRole('dialog')).toHaveCount(0, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await page.getByRole('textbox', { name: s.search, exact: true }).fill(code);
    await expect(page.getByRole('table')).toContainText('रसोइया');
    // The search is debounced: export only once the links carry it (else the whole list came back).
    await expect(page.getByRole('link', { name: s.csv })).toHaveAttribute('href', new RegExp(`[?&]q=${code}(&|$)`));

    // Export (Excel and CSV); the CSV carries Hindi.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: s.excel }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^post-names-.*\.xlsx$/);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: s.csv }).click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text).toContain('रसोइया');
    // A report in the page's language: the title block (what, with which filter), the header in words, the one row found.
    const lines = text
      .replace(/^\ufeff/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toBe(s.exportTitle);
    expect(lines[3]).toContain(code);
    expect(lines[5]).toBe(`${s.exportHeader}`);
    expect(lines.slice(6)).toEqual([`${code},Cook,रसोइया,${s.yes}`]);
    await expectAccessible(page);
  });
}
