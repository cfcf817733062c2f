import { mkdirSync } from 'node:fs';
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { chooseFile, expectAccessible, openAs, setLanguage, tr } from './helpers.ts';

// Spec 04 (resources) end to end, once in Hindi and once in English: the agency's administrator adds
// a resource under the demo contract FIN/CIF/2025/112, completes Aadhaar e-KYC with the sandbox
// OTP read from the developer outbox (a wrong Verhoeff digit and a wrong OTP are refused first),
// submits it; the department manager of office 79 approves it; the agency asks to relieve it and
// the department approves that. A second test shows the duplicate-Aadhaar refusal and the ghost
// list. Labels come from the catalogs, so each journey runs in the language it names.

test.setTimeout(240_000);
test.describe.configure({ mode: 'serial' });

type Lang = 'hi' | 'en';

/** Synthetic sandbox residents (server/platform/adapters/ekyc.sandbox.ts) not used by the demo data. */
const PEOPLE: Record<
  Lang,
  { aadhaar: string; nameEn: string; nameHi: string; dob: string; gender: 'M' | 'F'; otpMobile: string; mobile: string; bank: string }
> = {
  hi: {
    aadhaar: '999900003706',
    nameEn: 'Pooja Rajput',
    nameHi: 'पूजा राजपूत',
    dob: '29/02/2000',
    gender: 'F',
    otpMobile: '9000000110',
    mobile: '9425099101',
    bank: '50100012345601',
  },
  en: {
    aadhaar: '999900004078',
    nameEn: 'Deepak Malviya',
    nameHi: 'दीपक मालवीय',
    dob: '10/10/1993',
    gender: 'M',
    otpMobile: '9000000111',
    mobile: '9425099102',
    bank: '50100012345602',
  },
};
/** Resident 0 of the sandbox: the demo's approved School Education worker (agency 3). */
const DEPLOYED_AADHAAR = '999900000379';
/** The demo contract the journeys add under (a post of it has a vacancy). */
const CONTRACT = 'FIN/CIF/2026/GEM-07';

/** A sandbox resident whose Aadhaar has no linked mobile (e-KYC refuses before any OTP), not used by the demo data. */
const NO_MOBILE = {
  aadhaar: '999900004819',
  nameEn: 'Ganga Ram Bhil',
  nameHi: 'गंगा राम भील',
  dob: '26/01/1976',
  gender: 'M' as const,
  otpMobile: '',
  mobile: '9425099103',
  bank: '50100012345603',
};

/** A minimal one-page PDF (the server checks the `%PDF-` magic bytes). */
const PDF = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ].join('\n'),
  'latin1',
);

/** A 1×1 PNG (the server checks the PNG signature, not the name). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const SHOTS = '/tmp/res-shots';
mkdirSync(SHOTS, { recursive: true });
mkdirSync('test-results/screens', { recursive: true });
async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  await page.screenshot({ path: `test-results/screens/resource-${name}.png`, fullPage: true });
}
async function check(page: Page, name: string) {
  await expectAccessible(page);
  await shot(page, name);
}

function todayUi(): string {
  const iso = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

const box = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });

async function pick(page: Page, label: string, option: string | RegExp, scope: Page | ReturnType<Page['locator']> = page) {
  await scope
    .getByRole('textbox', { name: label, exact: true })
    .or(scope.getByRole('combobox', { name: label, exact: true }))
    .first()
    .click();
  await page.getByRole('option', { name: option }).first().click();
}

async function logout(page: Page, lang: Lang) {
  await page.getByRole('button', { name: tr(lang, 'common.logout') }).click();
  await expect(page).toHaveURL(/\/login$/);
}

async function loginDm(page: Page, lang: Lang) {
  await openAs(page, 'dm_bhopal', '/', { lang, office: 79 });
}

async function loginAgency(page: Page, lang: Lang) {
  await openAs(page, 'agency_admin', '/', { lang });
}

/** The newest OTP the sandbox sent to `mobile` (developer outbox API), other than `not`. */
async function sandboxOtp(req: APIRequestContext, mobile: string, not: string | null = null): Promise<string> {
  let code: string | null = null;
  await expect
    .poll(
      async () => {
        const r = await req.get(`/api/v1/dev/outbox?recipient=${mobile}`);
        const { items } = (await r.json()) as { items: { body: string }[] };
        const c = items[0] ? (/(\d{6})/.exec(items[0].body)?.[1] ?? null) : null;
        code = c && c !== not ? c : null;
        return code !== null;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return code!;
}

/** The agency fills the add form for `p` and saves it; returns the new resource's id. */
async function addResource(page: Page, lang: Lang, p: (typeof PEOPLE)[Lang], contract = CONTRACT) {
  await page
    .getByRole('navigation', { name: tr(lang, 'common.menu') })
    .getByRole('link', { name: tr(lang, 'resource.nav.resources'), exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: tr(lang, 'resource.title') })).toBeVisible();
  await page.getByRole('link', { name: tr(lang, 'resource.list.addButton') }).click();
  await expect(page.getByRole('heading', { level: 2, name: tr(lang, 'resource.form.addTitle') })).toBeVisible();
  await pick(page, tr(lang, 'resource.field.contract'), new RegExp(contract));
  // A post with a vacancy: "— 1 of 2 filled" / "— 2 में से 1 भरे" (the two numbers differ).
  await page
    .getByRole('textbox', { name: tr(lang, 'resource.field.post'), exact: true })
    .or(page.getByRole('combobox', { name: tr(lang, 'resource.field.post'), exact: true }))
    .first()
    .click();
  const texts = await page.getByRole('option').allInnerTexts();
  const open = texts.findIndex((x) => {
    const m = /(\d+)\D+(\d+)\D*$/.exec(x);
    return m !== null && m[1] !== m[2];
  });
  expect(open, texts.join(' | ')).toBeGreaterThanOrEqual(0);
  await page.getByRole('option').nth(open).click();
  await box(page, tr(lang, 'resource.field.nameEn')).fill(p.nameEn);
  await box(page, tr(lang, 'resource.field.nameHi')).fill(p.nameHi);
  await box(page, tr(lang, 'resource.field.relativeName')).fill('Ram Prasad');
  await box(page, tr(lang, 'resource.field.dob')).fill(p.dob);
  await pick(page, tr(lang, 'resource.field.gender'), tr(lang, `resource.gender.${p.gender}`));
  await box(page, tr(lang, 'resource.field.mobile')).fill(p.mobile);
  await pick(page, tr(lang, 'resource.field.qualification'), tr(lang, 'resource.qualification.graduate'));
  await page.getByRole('textbox', { name: tr(lang, 'resource.field.address') }).fill('12, Arera Colony, Bhopal 462016');
  await box(page, tr(lang, 'resource.field.bankAccount')).fill(p.bank);
  // An IFSC in small letters is accepted (upper-cased); a UAN of 11 digits is refused on its field.
  await box(page, tr(lang, 'resource.field.ifsc')).fill('sbin0001308');
  await box(page, tr(lang, 'resource.field.uan')).fill('10012345678');
  await chooseFile(page, tr(lang, 'resource.field.photo'), { name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByTestId('resource-photo-preview')).toBeVisible();
  await page.getByRole('button', { name: tr(lang, 'resource.form.save') }).click();
  await expect(page.getByTestId('resource-form-error')).toBeVisible();
  await expect(page.getByText(tr(lang, 'validation.uan_format'))).toBeVisible();
  await check(page, `form-${lang}`);
  await box(page, tr(lang, 'resource.field.uan')).fill('100123456789');
  await page.getByRole('button', { name: tr(lang, 'resource.form.save') }).click();
  await expect(page.getByRole('heading', { level: 2, name: `${tr(lang, 'resource.detail.heading')}: ${lang === 'hi' ? p.nameHi : p.nameEn}` })).toBeVisible();
  await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.form.created'));
  await expect(page.getByRole('cell', { name: 'SBIN0001308' })).toBeVisible();
  return Number(/\/resources\/(\d+)$/.exec(page.url())?.[1]);
}

for (const lang of ['hi', 'en'] as const) {
  test(`resource life (${lang}): add, e-KYC with the sandbox OTP, submit, approve, request and approve relieving`, async ({ page }) => {
    const p = PEOPLE[lang];
    await loginAgency(page, lang);
    const id = await addResource(page, lang, p);
    expect(id).toBeGreaterThan(0);

    // e-KYC: consent (both languages shown), the Aadhaar number checked here (Verhoeff), then the OTP.
    const kyc = page.getByTestId('kyc-panel');
    await expect(kyc.getByTestId('kyc-consent-text')).toContainText(tr('hi', 'resource.kyc.consentText').slice(0, 30));
    await expect(kyc.getByTestId('kyc-consent-text')).toContainText(tr('en', 'resource.kyc.consentText').slice(0, 30));
    const aadhaarBox = kyc.getByRole('textbox', { name: tr(lang, 'resource.field.aadhaarNumber') });
    await aadhaarBox.fill(`${p.aadhaar.slice(0, 11)}${(Number(p.aadhaar[11]) + 1) % 10}`);
    await kyc.getByRole('button', { name: tr(lang, 'resource.kyc.sendOtp') }).click();
    await expect(kyc.getByText(tr(lang, 'resource.kyc.consentRequired'))).toBeVisible();
    await expect(kyc.getByText(tr(lang, 'validation.aadhaar_checksum'))).toBeVisible();
    await kyc.getByRole('checkbox', { name: tr(lang, 'resource.kyc.consentCheck') }).check();
    await aadhaarBox.fill(p.aadhaar);
    await expect(aadhaarBox).toHaveValue(`${p.aadhaar.slice(0, 4)} ${p.aadhaar.slice(4, 8)} ${p.aadhaar.slice(8)}`);
    await check(page, `kyc-consent-${lang}`);
    await kyc.getByRole('button', { name: tr(lang, 'resource.kyc.sendOtp') }).click();
    await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.kyc.otpSent', { mobile: '' }).slice(0, 12));
    const otp = await sandboxOtp(page.request, p.otpMobile);
    // A wrong OTP: the provider's refusal, translated, and the draft stays as it was.
    const otpBox = kyc.getByRole('textbox', { name: tr(lang, 'resource.kyc.otp') });
    await otpBox.fill(otp === '000000' ? '111111' : '000000');
    await kyc.getByRole('button', { name: tr(lang, 'resource.kyc.verify') }).click();
    await expect(kyc.getByTestId('kyc-error')).toContainText(tr(lang, 'errors.ekyc_invalid_otp'));
    await expect(kyc.getByTestId('kyc-error')).toContainText(tr(lang, 'resource.kyc.retry'));
    await check(page, `kyc-otp-${lang}`);
    await otpBox.fill(otp);
    await kyc.getByRole('button', { name: tr(lang, 'resource.kyc.verify') }).click();
    await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.kyc.verified'));
    await expect(kyc.getByTestId('kyc-result')).toBeVisible();
    await expect(kyc.getByTestId('kyc-aadhaar')).toHaveText(`XXXX XXXX ${p.aadhaar.slice(8)}`);
    await check(page, `kyc-verified-${lang}`);

    // Submit, confirmed in a dialog.
    await page.getByTestId('resource-submit').click();
    const submitDialog = page.getByRole('dialog', { name: tr(lang, 'resource.action.submitTitle') });
    await submitDialog.getByRole('button', { name: tr(lang, 'resource.action.submitConfirm') }).dblclick();
    await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.action.submitted'));
    await expect(page.getByTestId('resource-status')).toHaveText(tr(lang, 'resource.status.submitted'));
    await logout(page, lang);

    // The department manager of office 79 approves it (office, post, contract, joining date).
    await loginDm(page, lang);
    await page
      .getByRole('navigation', { name: tr(lang, 'common.menu') })
      .getByRole('link', { name: tr(lang, 'resource.nav.resources'), exact: true })
      .click();
    await page.getByRole('searchbox').fill(p.nameEn);
    await expect(page.getByRole('row').filter({ hasText: `XXXX XXXX ${p.aadhaar.slice(8)}` })).toHaveCount(1);
    await check(page, `list-dm-${lang}`);
    await page.goto(`/resources/${id}`);
    await page.getByTestId('resource-approve').click();
    const approve = page.getByRole('dialog');
    await expect(approve.getByRole('textbox', { name: tr(lang, 'resource.field.joiningDate') })).toHaveValue(todayUi());
    await check(page, `approve-dialog-${lang}`);
    await approve.getByRole('button', { name: tr(lang, 'resource.action.approveConfirm') }).dblclick();
    await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.action.approved'));
    await expect(page.getByTestId('resource-status')).toHaveText(tr(lang, 'resource.status.approved'));
    await logout(page, lang);

    // Later the agency asks to relieve the worker: date, reason code, remark.
    await loginAgency(page, lang);
    await page.goto(`/resources/${id}`);
    await page.getByTestId('resource-relieve-request').click();
    const ask = page.getByRole('dialog');
    await pick(page, tr(lang, 'resource.field.relieveReason'), tr(lang, 'resource.relieveReason.resigned'), ask);
    await ask.getByRole('textbox', { name: tr(lang, 'resource.field.remark') }).fill('Letter of resignation dated today');
    await check(page, `relieve-request-${lang}`);
    await ask.getByRole('button', { name: tr(lang, 'resource.action.requestRelievingConfirm') }).click();
    await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.action.relievingRequested'));
    await expect(page.getByTestId('resource-relievings')).toContainText(tr(lang, 'resource.relieving.state.requested'));
    await expect(page.getByTestId('resource-status')).toHaveText(tr(lang, 'resource.status.approved'));
    await logout(page, lang);

    // The department approves it with a remark; the record shows the reason.
    await loginDm(page, lang);
    await page.goto(`/resources/${id}`);
    await page.getByTestId('resource-relieve-approve').click();
    const decide = page.getByRole('dialog');
    await decide.getByRole('textbox', { name: tr(lang, 'resource.field.remark') }).fill('Resignation accepted');
    await decide.getByRole('button', { name: tr(lang, 'resource.action.approveRelievingConfirm') }).click();
    await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.action.relievingApproved'));
    await expect(page.getByTestId('resource-status')).toHaveText(tr(lang, 'resource.status.relieved'));
    await expect(page.getByTestId('resource-relieved')).toContainText(tr(lang, 'resource.relieveReason.resigned'));
    const timeline = page.getByTestId('resource-timeline');
    for (const a of ['create', 'kyc_verify', 'submit', 'approve', 'relieving_request', 'relieving_approve'])
      await expect(timeline.getByRole('cell', { name: tr(lang, `resource.timeline.action.${a}`), exact: true })).toBeVisible();
    await check(page, `relieved-${lang}`);
  });
}

test('no mobile linked to the Aadhaar (hi): the department verifies another document through the dialog, then the agency submits', async ({ page }) => {
  const lang: Lang = 'hi';
  await loginAgency(page, lang);
  const id = await addResource(page, lang, NO_MOBILE);
  // e-KYC cannot start: the provider refuses before any OTP, and says trying again will not help.
  const kyc = page.getByTestId('kyc-panel');
  await kyc.getByRole('checkbox', { name: tr(lang, 'resource.kyc.consentCheck') }).check();
  await kyc.getByRole('textbox', { name: tr(lang, 'resource.field.aadhaarNumber') }).fill(NO_MOBILE.aadhaar);
  await kyc.getByRole('button', { name: tr(lang, 'resource.kyc.sendOtp') }).click();
  await expect(kyc.getByTestId('kyc-error')).toContainText(tr(lang, 'errors.ekyc_no_mobile'));
  await expect(kyc.getByTestId('kyc-error')).toContainText(tr(lang, 'resource.kyc.noRetry'));
  // The agency cannot verify another document itself, nor submit yet.
  await expect(page.getByTestId('resource-verify-alternative')).toHaveCount(0);
  await expect(page.getByTestId('resource-submit')).toHaveCount(0);
  await logout(page, lang);

  // The department manager of office 79 verifies the resource's Voter ID instead.
  await loginDm(page, lang);
  await page.goto(`/resources/${id}`);
  await page.getByTestId('resource-verify-alternative').click();
  const dialog = page.getByRole('dialog', { name: tr(lang, 'resource.alt.title') });
  const confirm = dialog.getByRole('button', { name: tr(lang, 'resource.alt.confirm') });
  // Nothing filled: each field says what it needs, and nothing is sent.
  await confirm.click();
  await expect(dialog.getByTestId('alt-error')).toContainText(tr(lang, 'resource.alt.fixErrors'));
  await expect(dialog.getByText(tr(lang, 'validation.required'))).toHaveCount(2);
  await expect(dialog.getByText(tr(lang, 'validation.file_required', { max: '2 MB', types: 'pdf' }))).toBeVisible();
  await pick(page, tr(lang, 'resource.alt.docType'), tr(lang, 'resource.altDoc.voter_id'), dialog);
  const number = dialog.getByRole('textbox', { name: tr(lang, 'resource.alt.docNumber') });
  await number.fill('MP#12');
  await chooseFile(page, tr(lang, 'resource.alt.document'), { name: 'voter-id.pdf', mimeType: 'application/pdf', buffer: PDF });
  await dialog.getByRole('textbox', { name: tr(lang, 'resource.alt.remark') }).fill('मूल मतदाता पहचान पत्र देखा गया');
  await confirm.click();
  await expect(dialog.getByText(tr(lang, 'resource.alt.docNumberFormat'))).toBeVisible();
  await expect(dialog.getByText(tr(lang, 'validation.file_required', { max: '2 MB', types: 'pdf' }))).toHaveCount(0);
  await number.fill('MP/04/123/987321');
  await expect(dialog.getByTestId('alt-error')).toHaveCount(0);
  await check(page, 'alt-dialog-hi');
  await confirm.dblclick();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.alt.done'));
  // Only the last four characters are kept and shown, masked.
  const done = page.getByTestId('kyc-alternative');
  await expect(done).toHaveText(tr(lang, 'resource.kyc.alternativeDone', { doc: tr(lang, 'resource.altDoc.voter_id'), number: 'XXXX7321' }));
  await expect(page.getByText('987321')).toHaveCount(0);
  await expect(page.getByTestId('resource-verify-alternative')).toHaveCount(0);
  await expect(page.getByRole('cell', { name: tr(lang, 'resource.verification.alternative_document') })).toBeVisible();
  await expect(
    page.getByTestId('resource-timeline').getByRole('cell', { name: tr(lang, 'resource.timeline.action.kyc_alternative'), exact: true }),
  ).toBeVisible();
  await check(page, 'alt-verified-hi');
  await logout(page, lang);

  // The agency can now submit it for approval.
  await loginAgency(page, lang);
  await page.goto(`/resources/${id}`);
  await expect(page.getByTestId('kyc-alternative')).toBeVisible();
  await page.getByTestId('resource-submit').click();
  const submitDialog = page.getByRole('dialog', { name: tr(lang, 'resource.action.submitTitle') });
  await submitDialog.getByRole('button', { name: tr(lang, 'resource.action.submitConfirm') }).click();
  await expect(page.getByTestId('resource-flash')).toContainText(tr(lang, 'resource.action.submitted'));
  await expect(page.getByTestId('resource-status')).toHaveText(tr(lang, 'resource.status.submitted'));
});

test('the same Aadhaar cannot be deployed twice; the ghost list shows a shared bank account', async ({ page }) => {
  const lang: Lang = 'en';
  await loginAgency(page, lang);
  await page.goto('/resources');
  // The page loads lazily: check it once it is there, not the loading spinner.
  await expect(page.getByRole('heading', { level: 2, name: tr(lang, 'resource.title') })).toBeVisible();
  await check(page, 'list-agency-en');
  await setLanguage(page, 'hi');
  await check(page, 'list-agency-hi');
  await setLanguage(page, 'en');
  const id = await addResource(page, lang, {
    ...PEOPLE.en,
    nameEn: 'Sunita Verma',
    nameHi: 'सुनीता वर्मा',
    dob: '14/03/1992',
    mobile: '9425099109',
    bank: '50100012345609',
  });
  const kyc = page.getByTestId('kyc-panel');
  await kyc.getByRole('checkbox', { name: tr(lang, 'resource.kyc.consentCheck') }).check();
  await kyc.getByRole('textbox', { name: tr(lang, 'resource.field.aadhaarNumber') }).fill(DEPLOYED_AADHAAR);
  await kyc.getByRole('button', { name: tr(lang, 'resource.kyc.sendOtp') }).click();
  await expect(kyc.getByTestId('kyc-error')).toContainText(tr(lang, 'errors.aadhaar_already_deployed'));
  await check(page, 'duplicate-aadhaar-en');
  // Nothing of the number was kept: the resource has no Aadhaar and is still a draft.
  await page.reload();
  await expect(page.getByTestId('kyc-aadhaar')).toHaveCount(0);
  await expect(page.getByTestId('resource-status')).toHaveText(tr(lang, 'resource.status.draft'));
  expect(id).toBeGreaterThan(0);
  await logout(page, lang);

  // Finance sees the possible ghosts statewide (the demo's pair sharing one bank account).
  await openAs(page, 'finance_admin', '/');
  await page
    .getByRole('navigation', { name: tr(lang, 'common.menu') })
    .getByRole('link', { name: tr(lang, 'resource.nav.ghosts'), exact: true })
    .click();
  for (const l of ['hi', 'en'] as const) {
    await setLanguage(page, l);
    await expect(page.getByRole('heading', { level: 2, name: tr(l, 'resource.ghosts.title') })).toBeVisible();
    const row = page.getByTestId('ghost-row').filter({ hasText: tr(l, 'resource.ghosts.kinds.bank_account') });
    await expect(row.first()).toBeVisible();
    await expect(row.first().getByRole('link')).toHaveCount(2);
    await check(page, `ghosts-${l}`);
  }
});
