import { expect, type Page } from '@playwright/test';
import { formatPaise } from '../shared/domain/money.ts';
import { test } from './fixtures.ts';
import { axeViolations, enterStepUpCode, openAs } from './helpers.ts';

// Issue 18, the slice built so far: the PD administrator records a deposit on a line of the
// consolidated-fund account and prepares an e-cheque (the line's money is reserved), the Bhopal
// treasury officer passes it from the worklist, and the administrator's statement shows the
// line's new balance — in English and in Hindi, axe-clean on every screen. Each language uses
// its own line of PD account 1 (English the first, Hindi the second), so the two can share a server.

const T = {
  en: {
    nav: 'PD accounts',
    line: 'Budget line / purpose',
    amount: 'Amount (₹)',
    btRef: 'Bill / book-transfer no.',
    depositTitle: 'Record a deposit',
    deposit: 'Record deposit',
    depositSaved: 'The deposit is recorded',
    payee: 'Payee name',
    accountNo: 'Bank account no.',
    ifsc: 'IFSC',
    prepareTitle: 'Prepare an e-cheque',
    prepare: 'Prepare e-cheque',
    prepared: /E-cheque (\d+) is prepared/,
    worklist: 'E-cheque worklist',
    pass: (id: string) => `Pass e-cheque ${id}`,
    passButton: 'Pass',
    passed: (id: string) => `E-cheque ${id} is passed.`,
    passedState: 'Passed',
  },
  hi: {
    nav: 'पीडी खाते',
    line: 'बजट मद / प्रयोजन',
    amount: 'राशि (₹)',
    btRef: 'देयक / बुक ट्रांसफर क्र.',
    depositTitle: 'जमा दर्ज करें',
    deposit: 'जमा दर्ज करें',
    depositSaved: 'जमा दर्ज हो गई',
    payee: 'प्राप्तकर्ता का नाम',
    accountNo: 'बैंक खाता क्र.',
    ifsc: 'IFSC',
    prepareTitle: 'ई-चेक तैयार करें',
    prepare: 'ई-चेक तैयार करें',
    prepared: /ई-चेक (\d+) तैयार/,
    worklist: 'ई-चेक कार्यसूची',
    pass: (id: string) => `ई-चेक ${id} पारित करें`,
    passButton: 'पारित करें',
    passed: (id: string) => `ई-चेक ${id} पारित हो गया।`,
    passedState: 'पारित',
  },
} as const;

const paiseOf = (text: string) => Number(text.replace(/[^0-9]/g, ''));

async function pickLine(page: Page, form: ReturnType<Page['locator']>, label: string, index: number) {
  await form
    .getByRole('textbox', { name: label })
    .or(form.getByRole('combobox', { name: label }))
    .first()
    .click();
  await page.getByRole('option').nth(index).click();
}

async function openAccount(page: Page, nav: string) {
  await page.getByRole('link', { name: nav, exact: true }).first().click();
  await page.getByTestId('pd-accounts').getByRole('link').first().click();
  await expect(page.getByTestId('pd-lines')).toBeVisible();
  await expect(page.getByTestId('pd-statement').locator('tbody tr').first()).toBeVisible();
}

for (const [lang, L] of Object.entries(T) as ['en' | 'hi', (typeof T)['en' | 'hi']][]) {
  test(`deposit → e-cheque → treasury passes → statement shows the balance (${lang})`, async ({ page }) => {
    // Three logins and four axe runs on a shared two-core machine.
    test.setTimeout(150_000);
    const lineIndex = lang === 'en' ? 0 : 1;
    await openAs(page, 'pd_admin', '/', { lang });
    await openAccount(page, L.nav);
    expect(await axeViolations(page)).toEqual([]);
    const closing = page.getByTestId('pd-statement').locator('tbody tr').nth(lineIndex).locator('td').last();
    const before = paiseOf((await closing.textContent()) ?? '');

    // A deposit of ₹1,000 by book transfer from the line's registered budget head.
    const dep = page.locator('section', { has: page.getByRole('heading', { level: 3, name: L.depositTitle }) });
    await pickLine(page, dep, L.line, lineIndex);
    await dep.getByRole('textbox', { name: L.amount }).fill('1000');
    await dep.getByRole('textbox', { name: L.btRef }).fill(`BT/E2E/${lang}`);
    await dep.getByRole('button', { name: L.deposit }).click();
    await expect(dep.getByRole('status')).toContainText(L.depositSaved);
    await expect(closing).toHaveText(formatPaise(before + 100_000));

    // An e-cheque of ₹400.50 to a vendor: reserved at once.
    const ech = page.locator('section', { has: page.getByRole('heading', { level: 3, name: L.prepareTitle }) });
    await pickLine(page, ech, L.line, lineIndex);
    await ech.getByRole('textbox', { name: L.amount }).fill('400.50');
    await ech.getByRole('textbox', { name: L.payee }).fill('E2E Stationers');
    await ech.getByRole('textbox', { name: L.accountNo }).fill('123456789012');
    await ech.getByRole('textbox', { name: L.ifsc }).fill('sbin0001308');
    await ech.getByRole('button', { name: L.prepare }).click();
    await expect(ech.getByRole('status')).toContainText(L.prepared);
    const id = ((await ech.getByRole('status').textContent()) ?? '').match(L.prepared)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(await axeViolations(page)).toEqual([]);

    // The treasury officer passes it.
    await page.context().clearCookies();
    await openAs(page, 'treasury_bhopal', '/', { lang });
    await page.getByRole('link', { name: L.worklist, exact: true }).first().click();
    await expect(page.getByTestId(`echeque-${id}`)).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: L.pass(id) }).click();
    // The pass is confirmed with the second factor (bar A5): a code by SMS to the officer's mobile.
    const dialog = page.getByRole('dialog');
    await enterStepUpCode(page, '9876500007');
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: L.passButton, exact: true }).click();
    await expect(page.getByRole('status')).toHaveText(L.passed(id));
    await expect(page.getByTestId(`echeque-${id}`)).toHaveCount(0);

    // The administrator's statement: ₹1,000 in, ₹400.50 out.
    await page.context().clearCookies();
    await openAs(page, 'pd_admin', '/', { lang });
    await openAccount(page, L.nav);
    await expect(closing).toHaveText(formatPaise(before + 100_000 - 40_050));
    await expect(page.getByTestId(`echeque-${id}`)).toContainText(L.passedState);
    expect(await axeViolations(page)).toEqual([]);
  });
}
