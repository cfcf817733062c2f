import { expect, type Page } from '@playwright/test';
import { formatPaise } from '../shared/domain/money.ts';
import { test } from './fixtures.ts';
import { axeViolations, enterStepUpCode, openAs } from './helpers.ts';

// Issue 18, the slice built so far: the PD administrator records a deposit on a line of the
// consolidated-fund account, adds a vendor to the account's vendor master (with a proof of the
// bank account, multipart), prepares an e-cheque to that vendor picked from the master (the
// line's money is reserved), puts it into a new advice and approves the advice with the second
// factor; the Bhopal treasury officer passes it from the worklist, and the administrator's
// statement shows the line's new balance — in English and in Hindi, axe-clean on every screen.
// Each language uses its own line of PD account 1 (English the first, Hindi the second) and its
// own vendor, so the two can share a server.

const T = {
  en: {
    nav: 'PD accounts',
    line: 'Budget line / purpose',
    amount: 'Amount (₹)',
    btRef: 'Bill / book-transfer no.',
    depositTitle: 'Record a deposit',
    deposit: 'Record deposit',
    depositSaved: 'The deposit is recorded',
    vendorsTitle: 'Vendor master',
    vendorName: 'Vendor name',
    accountNo: 'Bank account no.',
    ifsc: 'IFSC',
    proofKind: 'Proof of bank account',
    cheque: 'Cancelled cheque',
    proofFile: 'Proof document (PDF, JPEG or PNG, at most 2 MB)',
    addVendor: 'Add vendor',
    vendorSaved: (name: string) => `${name} is added to the vendor master.`,
    vendor: 'Vendor',
    prepareTitle: 'Prepare an e-cheque',
    prepare: 'Prepare e-cheque',
    prepared: /E-cheque (\d+) is prepared/,
    select: (id: string) => `Select e-cheque ${id}`,
    makeAdvice: 'Make advice',
    made: /Advice (ADV-\S+) is made/,
    approve: (no: string) => `Approve advice ${no}`,
    approveButton: 'Approve',
    approved: (no: string) => `Advice ${no} is approved and sent to the treasury.`,
    approvedState: 'Approved',
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
    vendorsTitle: 'विक्रेता मास्टर',
    vendorName: 'विक्रेता का नाम',
    accountNo: 'बैंक खाता क्र.',
    ifsc: 'IFSC',
    proofKind: 'बैंक खाते का प्रमाण',
    cheque: 'निरस्त चेक',
    proofFile: 'प्रमाण दस्तावेज़ (PDF, JPEG या PNG, अधिकतम 2 MB)',
    addVendor: 'विक्रेता जोड़ें',
    vendorSaved: (name: string) => `${name} विक्रेता मास्टर में जोड़ दिया गया।`,
    vendor: 'विक्रेता',
    prepareTitle: 'ई-चेक तैयार करें',
    prepare: 'ई-चेक तैयार करें',
    prepared: /ई-चेक (\d+) तैयार/,
    select: (id: string) => `ई-चेक ${id} चुनें`,
    makeAdvice: 'एडवाइस बनाएँ',
    made: /एडवाइस (ADV-\S+) बन गई/,
    approve: (no: string) => `एडवाइस ${no} अनुमोदित करें`,
    approveButton: 'अनुमोदित करें',
    approved: (no: string) => `एडवाइस ${no} अनुमोदित होकर कोषालय को भेज दी गई।`,
    approvedState: 'अनुमोदित',
    worklist: 'ई-चेक कार्यसूची',
    pass: (id: string) => `ई-चेक ${id} पारित करें`,
    passButton: 'पारित करें',
    passed: (id: string) => `ई-चेक ${id} पारित हो गया।`,
    passedState: 'पारित',
  },
} as const;

const paiseOf = (text: string) => Number(text.replace(/[^0-9]/g, ''));

async function openSelect(form: ReturnType<Page['locator']>, label: string) {
  await form
    .getByRole('textbox', { name: label })
    .or(form.getByRole('combobox', { name: label }))
    .first()
    .click();
}

async function pickLine(page: Page, form: ReturnType<Page['locator']>, label: string, index: number) {
  await openSelect(form, label);
  await page.getByRole('option').nth(index).click();
}

/** The PD administrator's mobile (server/db/seed/demo.ts): the advice's approval code goes there. */
const PD_ADMIN_MOBILE = '9876500008';
/** A one-page PDF: the vendor's proof of bank account (the server judges the file by its content). */
const PROOF_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');

async function openAccount(page: Page, nav: string) {
  await page.getByRole('link', { name: nav, exact: true }).first().click();
  await page.getByTestId('pd-accounts').getByRole('link').first().click();
  await expect(page.getByTestId('pd-lines')).toBeVisible();
  await expect(page.getByTestId('pd-statement').locator('tbody tr').first()).toBeVisible();
}

for (const [lang, L] of Object.entries(T) as ['en' | 'hi', (typeof T)['en' | 'hi']][]) {
  test(`deposit → vendor → e-cheque → advice approved → treasury passes → statement shows the balance (${lang})`, async ({ page }) => {
    // Three logins and seven axe runs on a shared two-core machine.
    test.setTimeout(180_000);
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

    // A new vendor in the account's vendor master, with a cancelled cheque as the proof (multipart).
    const vendorName = `E2E Stationers ${lang}`;
    const bankAccountNo = lang === 'en' ? '123456789012' : '123456789013';
    const vendors = page.getByTestId('pd-vendors-panel');
    await expect(vendors.getByRole('heading', { level: 3, name: L.vendorsTitle })).toBeVisible();
    const add = vendors.getByTestId('pd-vendor-add');
    await add.getByRole('textbox', { name: L.vendorName }).fill(vendorName);
    await add.getByRole('textbox', { name: L.accountNo }).fill(bankAccountNo);
    await add.getByRole('textbox', { name: L.ifsc }).fill('sbin0001308');
    await openSelect(add, L.proofKind);
    await page.getByRole('option', { name: L.cheque, exact: true }).click();
    await add.locator('input[type="file"]').setInputFiles({ name: 'cancelled-cheque.pdf', mimeType: 'application/pdf', buffer: PROOF_PDF });
    await add.getByRole('button', { name: L.addVendor, exact: true }).click();
    await expect(add.getByRole('status')).toHaveText(L.vendorSaved(vendorName));
    // The list shows the bank account masked, and the proof opens.
    const row = vendors.getByTestId('pd-vendors').locator('tbody tr', { hasText: vendorName });
    await expect(row).toContainText(bankAccountNo.slice(-4));
    await expect(row).not.toContainText(bankAccountNo);
    const proof = await page.request.get((await row.getByRole('link').getAttribute('href')) ?? '');
    expect(proof.status()).toBe(200);
    expect((await proof.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await axeViolations(page)).toEqual([]);

    // An e-cheque of ₹400.50 to that vendor, picked from the master: reserved at once.
    const ech = page.locator('section', { has: page.getByRole('heading', { level: 3, name: L.prepareTitle }) });
    await pickLine(page, ech, L.line, lineIndex);
    await ech.getByRole('textbox', { name: L.amount }).fill('400.50');
    await openSelect(ech, L.vendor);
    await page.getByRole('option', { name: new RegExp(`^${vendorName} — `) }).click();
    await ech.getByRole('button', { name: L.prepare }).click();
    await expect(ech.getByRole('status')).toContainText(L.prepared);
    const id = ((await ech.getByRole('status').textContent()) ?? '').match(L.prepared)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(await axeViolations(page)).toEqual([]);

    // Into a new advice, approved with the code sent to the administrator's mobile (bar A5).
    const advices = page.getByTestId('pd-advices-panel');
    await advices.getByRole('checkbox', { name: L.select(id), exact: true }).check();
    await advices.getByRole('button', { name: L.makeAdvice, exact: true }).click();
    const advStatus = advices.getByTestId('pd-advice-status');
    await expect(advStatus).toContainText(L.made);
    const adviceNo = ((await advStatus.textContent()) ?? '').match(L.made)?.[1] ?? '';
    expect(adviceNo).not.toBe('');
    await expect(advices.getByTestId(`advice-pending-${id}`)).toHaveCount(0);
    await advices.getByRole('button', { name: L.approve(adviceNo), exact: true }).click();
    const approveDialog = page.getByRole('dialog');
    await enterStepUpCode(page, PD_ADMIN_MOBILE);
    expect(await axeViolations(page)).toEqual([]);
    await approveDialog.getByRole('button', { name: L.approveButton, exact: true }).click();
    await expect(approveDialog).toHaveCount(0);
    await expect(advStatus).toHaveText(L.approved(adviceNo));
    await expect(advices.getByTestId('pd-advices').locator('tbody tr', { hasText: adviceNo })).toContainText(L.approvedState);
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
