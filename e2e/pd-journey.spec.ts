import { expect, type Locator, type Page } from '@playwright/test';
import { formatPaise } from '../shared/domain/money.ts';
import { test } from './fixtures.ts';
import { axeViolations, enterStepUpCode, type Lang, login, openAs, tr } from './helpers.ts';

// Issue 18 "Done means": one PD account's whole life, each step by the person who takes it,
// through the screens — in English and in Hindi, axe-clean on every new screen.
//
// The Finance Department's office admin drafts a proposal for an account of other money (form A)
// and submits it; the HOD's office admin recommends it; Finance sanctions it (order no. + code);
// the department applies to the treasury; the Bhopal treasury officer registers the application
// (code) and the account opens, its number the administrator's login. The administrator logs in
// for the first time with the password the SMS brought and must change it; records a challan
// deposit; adds a vendor to the master; prepares two e-cheques to it and a book transfer; puts
// them in an advice approved with the code sent to the administrator's mobile. The treasury
// officer passes one vendor e-cheque and returns the other with a reason (the book transfer waits
// on the BT worklist), generates the e-file (code) and uploads the bank's scroll, which discharges
// the passed one. The administrator's statement then shows deposit − discharged, the returned
// e-cheque's money available again and the book transfer's still reserved.
//
// A book transfer needs no consolidated-fund account: pd.rules.ts ties only the *deposit* mode to
// the source (consolidated: by book transfer; other money: by challan); any account may pay by BT.
//
// Each language runs on a server of its own (not the one per file of fixtures.ts): the treasury
// officer confirms four steps with a code per run (registration, pass, return, e-file), and a login
// gets at most five codes an hour (bar A5, OTP_MAX_PER_HOUR), so the second run on a shared
// server would be refused its codes.
test.use({
  baseURL: async ({ roamsServerFor }, use, testInfo) => {
    await use(await roamsServerFor(`${testInfo.file}#${testInfo.title}`));
  },
});

/** The administrator's mobile of each run: no other demo user has it (the first password and the advice's code go there). */
const ADMIN_MOBILE = { en: '9876500072', hi: '9876500073' } as const;
const FINANCE_MOBILE = '9876500001';
const TREASURY_MOBILE = '9876500007';
/** A one-page PDF: the vendor's proof of bank account (the server judges the file by its content). */
const PROOF_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
const SCROLL_HEADER = 'efile_no,echeque_no,amount_paise,status,bank_ref,value_date,reason\n';
const todayIst = () => new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);

/** What each run types: its own purpose (the treasury's register button names it), vendor and words. */
const DATA = {
  en: {
    hod: 'Commissioner, Treasury and Accounts',
    designation: 'Joint Director',
    office: 'Directorate of Treasury and Accounts, Bhopal',
    purpose: 'Court deposits of the journey',
    items: 'Amounts deposited by order of the court',
    linePurpose: 'Court deposits',
    vendor: 'Journey Court Stationers',
    bankAccountNo: '223456789012',
    btPayee: 'Accountant General',
    returnReason: 'The bill does not match the supply order',
    newPassword: 'teak ledger english monsoon 72',
  },
  hi: {
    hod: 'आयुक्त, कोष एवं लेखा',
    designation: 'संयुक्त संचालक',
    office: 'संचालनालय कोष एवं लेखा, भोपाल',
    purpose: 'यात्रा के न्यायालय जमा',
    items: 'न्यायालय के आदेश से जमा राशि',
    linePurpose: 'न्यायालय जमा',
    vendor: 'यात्रा न्यायालय स्टेशनर्स',
    bankAccountNo: '223456789013',
    btPayee: 'महालेखाकार',
    returnReason: 'देयक प्रदाय आदेश से मेल नहीं खाता',
    newPassword: 'sheesham bahi hindi barsaat 73',
  },
} as const;

// The money: a deposit of ₹5,000; e-cheques of ₹1,250.50 (passed, then discharged) and ₹800
// (returned) to the vendor; a book transfer of ₹300 (left awaiting the treasury).
const DEPOSIT = 500_000;
const PAID = 125_050;
const RETURNED = 80_000;
const BT = 30_000;

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A catalog message as a pattern: each {{param}} named in `groups` becomes that regular expression, the rest is literal. */
function pattern(lang: Lang, key: string, groups: Record<string, string>): RegExp {
  const names = Object.keys(groups);
  let s = esc(tr(lang, key, Object.fromEntries(names.map((n, i) => [n, `\u0000${i}\u0000`]))));
  names.forEach((n, i) => {
    s = s.replaceAll(`\u0000${i}\u0000`, groups[n]!);
  });
  return new RegExp(s);
}

/** The first group of `re` in the element's text, once it is there. */
async function captured(el: Locator, re: RegExp, not?: string): Promise<string> {
  let got = '';
  await expect
    .poll(async () => {
      got = re.exec((await el.textContent()) ?? '')?.[1] ?? '';
      return got !== '' && got !== not;
    })
    .toBe(true);
  return got;
}

async function expectAxeClean(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/pd-journey-${name}.png`, fullPage: true });
}

/** `user` signed in (API, helpers.ts openAs) on "Opening PD accounts". */
async function openingAs(page: Page, lang: Lang, user: string) {
  await page.context().clearCookies();
  await openAs(page, user, '/', { lang });
  const nav = tr(lang, 'pd-open.nav');
  await page.getByRole('link', { name: nav, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: nav })).toBeVisible();
}

/** Opens the first select or combobox labelled `label` in `scope` (Mantine Select renders a textbox). */
async function openSelect(scope: Locator, label: string) {
  await scope
    .getByRole('textbox', { name: label })
    .or(scope.getByRole('combobox', { name: label }))
    .first()
    .click();
}

const section = (page: Page, heading: string) => page.locator('section', { has: page.getByRole('heading', { level: 3, name: heading, exact: true }) });

for (const lang of ['en', 'hi'] as const) {
  const D = DATA[lang];
  const t = (key: string, params: Record<string, string | number> = {}) => tr(lang, key, params);
  const mobile = ADMIN_MOBILE[lang];

  test(`a PD account's life: proposal → HOD → Finance → treasury registers → first login → deposit → e-cheques and BT → advice → pass / return → e-file → scroll → statement (${lang})`, async ({
    page,
  }) => {
    // Eight logins, about twenty axe scans and seven codes on a shared two-core machine.
    test.setTimeout(300_000);
    const status = page.getByTestId('pd-open-status');

    // 1. The department's office admin drafts the proposal through the form and submits it.
    await openingAs(page, lang, 'officeadmin_fin');
    await expect(page.getByTestId('pd-open-proposals')).toBeVisible();
    await page.getByRole('button', { name: t('pd-open.form.open') }).click();
    const form = page.getByTestId('pd-open-form');
    await form.getByRole('textbox', { name: t('pd-open.form.hodDesignation') }).fill(D.hod);
    await form.getByRole('combobox', { name: t('pd-open.form.source') }).selectOption('other');
    const treasury = form.getByRole('combobox', { name: t('pd-open.form.treasury') });
    const bhopal = await treasury
      .locator('option', { hasText: /Bhopal|भोपाल/ })
      .first()
      .getAttribute('value');
    await treasury.selectOption(bhopal!);
    await form.getByRole('textbox', { name: t('pd-open.form.administratorDesignation') }).fill(D.designation);
    await form.getByRole('textbox', { name: t('pd-open.form.administratorOffice') }).fill(D.office);
    await form.getByRole('textbox', { name: t('pd-open.form.administratorMobile') }).fill(mobile);
    await form.getByRole('textbox', { name: t('pd-open.form.purpose') }).fill(D.purpose);
    await form.getByRole('textbox', { name: t('pd-open.form.items') }).fill(D.items);
    await form.getByRole('textbox', { name: t('pd-open.form.linePurpose', { n: 1 }) }).fill(D.linePurpose);
    await expectAxeClean(page);
    await form.getByRole('button', { name: t('pd-open.form.save') }).click();
    const proposal = Number(await captured(status, pattern(lang, 'pd-open.done.created', { id: '(\\d+)' })));
    await expect(page.getByTestId('pd-open-detail')).toContainText(D.purpose);
    await page.getByRole('button', { name: t('pd-open.action.submitLabel', { id: proposal }) }).click();
    await expect(status).toHaveText(t('pd-open.done.submitted', { id: proposal }));
    await expectAxeClean(page);

    // 2. The HOD's office admin recommends it.
    await openingAs(page, lang, 'hod_fin');
    await page.getByRole('button', { name: t('pd-open.action.recommendLabel', { id: proposal }) }).click();
    await expect(status).toHaveText(t('pd-open.done.recommended', { id: proposal }));

    // 3. Finance sanctions it: the order number, and the code sent to Finance's mobile.
    await openingAs(page, lang, 'finance_admin');
    await page.getByRole('button', { name: t('pd-open.action.sanctionLabel', { id: proposal }) }).click();
    const sanction = page.getByRole('dialog');
    await sanction.getByRole('textbox', { name: t('pd-open.sanction.no') }).fill(`F-11-${proposal}/2026/FIN`);
    await enterStepUpCode(page, FINANCE_MOBILE);
    await expectAxeClean(page);
    await sanction.getByRole('button', { name: t('pd-open.action.sanction'), exact: true }).click();
    await expect(sanction).toHaveCount(0);
    await expect(status).toHaveText(t('pd-open.done.sanctioned', { id: proposal }));

    // 4. The department applies to the treasury.
    await openingAs(page, lang, 'officeadmin_fin');
    await page.getByRole('button', { name: t('pd-open.action.applyLabel', { id: proposal }) }).click();
    await expect(status).toHaveText(t('pd-open.done.applied', { id: proposal }));

    // 5. The Bhopal treasury officer registers the application (code): the account opens, and
    //    its number is the administrator's login.
    await openingAs(page, lang, 'treasury_bhopal');
    await expect(page.getByTestId('pd-open-applications')).toContainText(D.purpose);
    await expectAxeClean(page);
    await page.getByRole('button', { name: t('pd-open.action.registerLabel', { purpose: D.purpose }) }).click();
    const register = page.getByRole('dialog');
    await enterStepUpCode(page, TREASURY_MOBILE);
    await expectAxeClean(page);
    await register.getByRole('button', { name: t('pd-open.action.register'), exact: true }).click();
    await expect(register).toHaveCount(0);
    const accountNo = await captured(status, pattern(lang, 'pd-open.done.registered', { accountNo: '(\\S+)', login: '\\1' }));
    await expect(page.getByTestId('pd-open-applications')).not.toContainText(D.purpose);
    await shot(page, `registered-${lang}`);
    await expectAxeClean(page);

    // 6. The administrator's first login: the password the SMS brought, then a password of its own.
    let firstPassword = '';
    await expect
      .poll(async () => {
        const r = await page.request.get(`/api/v1/dev/outbox?recipient=${mobile}`);
        const { items } = (await r.json()) as { items: { body: string }[] };
        firstPassword = items.map((i) => /(?:Temporary password|अस्थायी पासवर्ड): (\S+)/.exec(i.body)?.[1]).find(Boolean) ?? '';
        return firstPassword !== '';
      })
      .toBe(true);
    await page.context().clearCookies();
    await login(page, accountNo, firstPassword, lang);
    await expect(page).toHaveURL(/\/change-password$/);
    await expect(page.getByRole('status').filter({ hasText: t('auth.mustChange') })).toBeVisible();
    await expectAxeClean(page);
    await page.locator('input[name=currentPassword]').fill(firstPassword);
    await page.locator('input[name=newPassword]').fill(D.newPassword);
    await page.locator('input[name=confirmPassword]').fill(D.newPassword);
    await page.getByRole('button', { name: t('auth.changeTitle') }).click();
    await expect(page).toHaveURL(/\/$/);
    await page
      .getByRole('link', { name: t('pd.nav.accounts'), exact: true })
      .first()
      .click();
    await expect(page.getByTestId('pd-accounts')).toContainText(accountNo);
    await page.getByTestId('pd-accounts').getByRole('link', { name: accountNo }).click();
    await expect(page.getByRole('heading', { name: t('pd.account.title', { accountNo }) })).toBeVisible();
    const lines = page.getByTestId('pd-lines').locator('tbody tr').first();
    await expect(lines).toContainText(D.linePurpose);
    await expectAxeClean(page);

    // 7. A deposit by challan (an account of other money takes money only so).
    const dep = section(page, t('pd.deposit.title'));
    await openSelect(dep, t('pd.col.line'));
    await page.getByRole('option').first().click();
    await dep.getByRole('textbox', { name: t('pd.form.amount') }).fill(String(DEPOSIT / 100));
    await dep.getByRole('textbox', { name: t('pd.deposit.challanNo') }).fill(`CH/${lang}/${proposal}`);
    await dep.getByRole('button', { name: t('pd.deposit.submit') }).click();
    await expect(dep.getByRole('status')).toHaveText(t('pd.deposit.saved'));
    await expect(lines.locator('td').nth(3)).toHaveText(formatPaise(DEPOSIT));

    // 8. The vendor, in the account's vendor master with a cancelled cheque as the proof.
    const vendors = page.getByTestId('pd-vendors-panel');
    const add = vendors.getByTestId('pd-vendor-add');
    await add.getByRole('textbox', { name: t('pd-adv.vendor.name') }).fill(D.vendor);
    await add.getByRole('textbox', { name: t('pd-adv.vendor.bankAccountNo') }).fill(D.bankAccountNo);
    await add.getByRole('textbox', { name: t('pd-adv.vendor.ifsc') }).fill('SBIN0001308');
    await openSelect(add, t('pd-adv.vendor.proofKind'));
    await page.getByRole('option', { name: t('pd-adv.proofKind.cancelled_cheque'), exact: true }).click();
    await add.locator('input[type="file"]').setInputFiles({ name: 'cancelled-cheque.pdf', mimeType: 'application/pdf', buffer: PROOF_PDF });
    await add.getByRole('button', { name: t('pd-adv.vendor.submit'), exact: true }).click();
    await expect(add.getByRole('status')).toHaveText(t('pd-adv.vendor.saved', { name: D.vendor }));
    await expectAxeClean(page);

    // 9. Two e-cheques to the vendor and a book transfer to a head of account: each reserved at once.
    const ech = section(page, t('pd.echeque.title'));
    const echStatus = ech.getByRole('status');
    const saved = pattern(lang, 'pd-adv.echeque.saved', { id: '(\\d+)' });
    // The form keeps the line chosen for the next e-cheque; choosing it again keeps it (it cleared it before).
    const chooseLine = async () => {
      await openSelect(ech, t('pd.col.line'));
      await page.getByRole('option').first().click();
      await expect(
        ech
          .getByRole('textbox', { name: t('pd.col.line') })
          .or(ech.getByRole('combobox', { name: t('pd.col.line') }))
          .first(),
      ).toHaveValue(new RegExp(`^${esc(D.linePurpose)} `));
    };
    const prepareToVendor = async (paise: number, previous?: string) => {
      await chooseLine();
      await ech.getByRole('textbox', { name: t('pd.form.amount') }).fill((paise / 100).toFixed(2));
      await openSelect(ech, t('pd-adv.echeque.vendor'));
      await page.getByRole('option', { name: new RegExp(`^${esc(D.vendor)} — `) }).click();
      await ech.getByRole('button', { name: t('pd.echeque.submit') }).click();
      return captured(echStatus, saved, previous);
    };
    const paid = await prepareToVendor(PAID);
    const returned = await prepareToVendor(RETURNED, paid);
    await ech.getByText(t('pd.echeque.toHead'), { exact: true }).click();
    await chooseLine();
    await ech.getByRole('textbox', { name: t('pd.form.amount') }).fill(String(BT / 100));
    await ech.getByRole('textbox', { name: t('pd.echeque.payeeName') }).fill(D.btPayee);
    await ech.getByRole('textbox', { name: t('pd.echeque.head') }).fill('0075-00-800');
    await ech.getByRole('button', { name: t('pd.echeque.submit') }).click();
    const bt = await captured(echStatus, saved, returned);
    await expect(lines.locator('td').nth(2)).toHaveText(formatPaise(PAID + RETURNED + BT));

    // 10. The three go into one advice, approved with the code sent to the administrator's mobile.
    const advices = page.getByTestId('pd-advices-panel');
    for (const id of [paid, returned, bt]) await advices.getByRole('checkbox', { name: t('pd-adv.advice.select', { id }), exact: true }).check();
    await advices.getByRole('button', { name: t('pd-adv.advice.make'), exact: true }).click();
    const advStatus = advices.getByTestId('pd-advice-status');
    const adviceNo = await captured(advStatus, pattern(lang, 'pd-adv.advice.made', { no: '(ADV-[0-9A-Za-z-]+)' }));
    await advices.getByRole('button', { name: t('pd-adv.advice.approveLabel', { no: adviceNo }), exact: true }).click();
    const approve = page.getByRole('dialog');
    await enterStepUpCode(page, mobile);
    await expectAxeClean(page);
    await approve.getByRole('button', { name: t('pd-adv.advice.approve'), exact: true }).click();
    await expect(approve).toHaveCount(0);
    await expect(advStatus).toHaveText(t('pd-adv.advice.approved', { no: adviceNo }));
    await expect(advices.getByTestId('pd-advices').locator('tbody tr', { hasText: adviceNo })).toContainText(t('pd-adv.advice.state.approved'));

    // 11. The treasury officer passes one vendor e-cheque and returns the other with a reason.
    await page.context().clearCookies();
    await openAs(page, 'treasury_bhopal', '/', { lang });
    await page
      .getByRole('link', { name: t('pd.nav.worklist'), exact: true })
      .first()
      .click();
    await expect(page.getByTestId(`echeque-${paid}`)).toContainText(adviceNo);
    await expect(page.getByTestId(`echeque-${returned}`)).toBeVisible();
    await expectAxeClean(page);
    const worklistStatus = page.getByRole('status');
    await page.getByRole('button', { name: t('pd.worklist.passLabel', { id: paid }), exact: true }).click();
    const pass = page.getByRole('dialog');
    await enterStepUpCode(page, TREASURY_MOBILE);
    await pass.getByRole('button', { name: t('pd.worklist.pass'), exact: true }).click();
    await expect(pass).toHaveCount(0);
    await expect(worklistStatus).toHaveText(t('pd.worklist.passed', { id: paid }));
    await page.getByRole('button', { name: t('pd.worklist.returnLabel', { id: returned }), exact: true }).click();
    const ret = page.getByRole('dialog');
    await ret.getByRole('textbox', { name: t('pd.worklist.reason') }).fill(D.returnReason);
    await enterStepUpCode(page, TREASURY_MOBILE);
    await expectAxeClean(page);
    await ret.getByRole('button', { name: t('pd.worklist.return'), exact: true }).click();
    await expect(ret).toHaveCount(0);
    await expect(worklistStatus).toHaveText(t('pd.worklist.returned', { id: returned }));
    await expect(page.getByTestId(`echeque-${paid}`)).toHaveCount(0);
    await expect(page.getByTestId(`echeque-${returned}`)).toHaveCount(0);
    // The book transfer is on the BT worklist, awaiting its own decision.
    await page.getByText(t('pd.worklist.btList'), { exact: true }).click();
    await expect(page.getByTestId(`echeque-${bt}`)).toContainText(D.btPayee);

    // 12. The e-file of the passed vendor e-cheques (code), and the bank's scroll discharging ours.
    await page
      .getByRole('link', { name: t('pd-efile.nav'), exact: true })
      .first()
      .click();
    await expect(page.getByTestId(`echeque-${paid}`)).toBeVisible();
    await expectAxeClean(page);
    await enterStepUpCode(page, TREASURY_MOBILE);
    await page.getByRole('button', { name: pattern(lang, 'pd-efile.awaiting.generate', { count: '\\d+' }) }).click();
    const fileNo = await captured(page.getByRole('status').first(), pattern(lang, 'pd-efile.generated', { fileNo: '(EF\\w+)', count: '\\d+' }));
    const detail = page.getByTestId('efile-detail');
    await expect(detail.getByTestId(`efile-item-${paid}`)).toBeVisible();
    const scroll = `${SCROLL_HEADER}${fileNo},${paid},${PAID},PAID,UTR${paid}4455667,${todayIst()},\n`;
    const upload = page.getByTestId('scroll-upload');
    await upload.locator('input[type="file"]').setInputFiles({ name: `scroll-${fileNo}.csv`, mimeType: 'text/csv', buffer: Buffer.from(scroll) });
    await upload.getByRole('button', { name: t('pd-efile.scroll.upload') }).click();
    await expect(detail.getByRole('status')).toHaveText(t('pd-efile.scroll.done', { paid: 1, failed: 0 }));
    await expect(detail.getByTestId(`efile-item-${paid}`)).toContainText(t('pd.state.discharged'));
    await expectAxeClean(page);

    // 13. The administrator's statement: ₹5,000 in, ₹1,250.50 out; the returned ₹800 available
    //     again, the book transfer's ₹300 still reserved.
    await page.context().clearCookies();
    await openAs(page, accountNo, '/', { lang, password: D.newPassword });
    await page
      .getByRole('link', { name: t('pd.nav.accounts'), exact: true })
      .first()
      .click();
    await page.getByTestId('pd-accounts').getByRole('link', { name: accountNo }).click();
    await expect(lines.locator('td').nth(1)).toHaveText(formatPaise(DEPOSIT - PAID - BT));
    await expect(lines.locator('td').nth(2)).toHaveText(formatPaise(BT));
    await expect(lines.locator('td').nth(3)).toHaveText(formatPaise(DEPOSIT - PAID));
    const statement = page.getByTestId('pd-statement').locator('tbody tr').first();
    await expect(statement.locator('td')).toHaveText([formatPaise(0), formatPaise(DEPOSIT), formatPaise(PAID), formatPaise(DEPOSIT - PAID)]);
    const echeques = page.getByTestId('pd-echeques');
    await expect(echeques.getByTestId(`echeque-${paid}`)).toContainText(t('pd.state.discharged'));
    await expect(echeques.getByTestId(`echeque-${returned}`)).toContainText(t('pd.state.returned'));
    await expect(echeques.getByTestId(`echeque-${returned}`)).toContainText(D.returnReason);
    await expect(echeques.getByTestId(`echeque-${bt}`)).toContainText(t('pd.state.prepared'));
    await page.getByTestId('pd-statement').scrollIntoViewIfNeeded();
    await shot(page, `statement-${lang}`);
    await expectAxeClean(page);
  });
}
