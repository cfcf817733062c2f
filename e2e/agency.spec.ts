import { mkdirSync } from 'node:fs';
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { expectAccessible, openAs, setLanguage } from './helpers.ts';

/**
 * Agency journey (spec 03): an agency signs up on its own (code read from the sandbox SMS
 * outbox), Finance verifies it (in Hindi), then the agency's administrator logs in and sees it
 * verified (in English). axe-core on every key screen, in both languages.
 */

mkdirSync('test-results/screens', { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/agency-${name}.png`, fullPage: true });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const MOBILE = '9123400901';
const NAME = 'Tawa Manpower Solutions Pvt. Ltd.';
const USERNAME = 'tawa_admin';
const PASSWORD = 'Tawa river morning 2026';

async function smsCode(req: APIRequestContext, mobile: string): Promise<string> {
  let code: string | null = null;
  await expect
    .poll(
      async () => {
        const r = await req.get(`/api/v1/dev/outbox?recipient=${mobile}`);
        const { items } = (await r.json()) as { items: { body: string }[] };
        for (const i of items) code ??= /(\d{6})/.exec(i.body)?.[1] ?? null;
        return code !== null;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return code!;
}

/** A text box by its accessible name (Mantine's required asterisk is not part of it). */
const box = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });

async function pick(page: Page, label: string, option: string) {
  await page
    .getByRole('textbox', { name: label, exact: true })
    .or(page.getByRole('combobox', { name: label, exact: true }))
    .first()
    .click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function attach(page: Page, label: string, name: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: label, exact: true }).click();
  await (await chooser).setFiles({ name, mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.from(name)]) });
}

test.describe.configure({ timeout: 180_000 });
test.use({ actionTimeout: 20_000 });

test('the sign-up page is reachable from the login page and accessible in Hindi', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/login');
  await setLanguage(page, 'hi');
  await page.getByRole('link', { name: 'नई एजेंसी? यहाँ पंजीकरण करें' }).click();
  await expect(page.getByRole('heading', { name: 'एजेंसी पंजीकरण' })).toBeVisible();
  await page.getByRole('button', { name: 'कोड भेजें' }).click();
  await expect(page.getByText('मोबाइल नंबर').first()).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'signup-hi');
});

test('an agency signs up, Finance verifies it, and its administrator sees it verified', async ({ page, request }) => {
  test.setTimeout(180_000);
  // 1. Sign-up (English): mobile → code → particulars.
  await page.goto('/login');
  await setLanguage(page, 'en');
  await page.getByRole('link', { name: 'New agency? Register here' }).click();
  await expect(page.getByRole('heading', { name: 'Agency registration' })).toBeVisible();
  await box(page, 'Mobile number').fill(MOBILE);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText('A 6-digit code has been sent by SMS to XXXXXX0901')).toBeVisible();
  const code = await smsCode(request, MOBILE);
  await box(page, 'One-time code (6 digits)').fill(code);

  await box(page, 'Legal name').fill(NAME);
  await pick(page, 'Type of agency', 'Private company');
  await box(page, 'PAN').fill('aabct1234q');
  // A GSTIN whose check character is wrong: the form says so before anything is sent.
  await box(page, 'GSTIN').fill('23AABCT1234Q1ZA');
  await box(page, 'EPFO establishment code').fill('MPBPL0054321000');
  await box(page, 'ESIC employer code').fill('18000543210001001');
  await box(page, 'Contract-labour licence number').fill('CLRA/BPL/2026/0077');
  await box(page, 'Workmen covered by the licence').fill('150');
  await page.getByLabel('Licence valid until').fill('31/12/2027');
  await box(page, 'Registered address').fill('12, Hoshangabad Road, Bhopal 462026');
  await pick(page, 'District', 'Bhopal');
  await box(page, 'Contact person').fill('Tarun Verma');
  await expect(box(page, 'Mobile number')).toHaveValue(MOBILE);
  await box(page, 'E-mail').fill('office@tawamanpower.in');
  await box(page, 'Bank account number').fill('50100987654321');
  await box(page, 'IFSC').fill('hdfc0000123');
  await attach(page, 'PAN card', 'pan.pdf');
  await attach(page, 'GST registration certificate', 'gst.pdf');
  await attach(page, 'Contract-labour licence', 'licence.pdf');
  await box(page, 'User ID').fill(USERNAME);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('input[name=confirmPassword]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Register agency' }).click();
  await expect(page.getByText('The last character of the GSTIN does not match its check character')).toBeVisible();
  await expect(box(page, 'IFSC')).toHaveValue('HDFC0000123');
  await expectAccessible(page);
  await shot(page, 'signup-errors-en');

  const first14 = '23AABCT1234Q1Z';
  const gstin = first14 + checkChar(first14);
  await box(page, 'GSTIN').fill(gstin);
  await page.getByRole('button', { name: 'Register agency' }).click();
  await expect(page.getByText(`Log in with user ID ${USERNAME}`)).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page);
  await shot(page, 'signup-done-en');

  // 2. Finance verifies it, in Hindi.
  await openAs(page, 'finance_admin', '/agencies', { lang: 'hi' });
  await expect(page.getByRole('heading', { name: 'एजेंसियाँ' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'खोजें' }).fill('Tawa');
  const row = page.getByRole('row').filter({ hasText: NAME });
  await expect(row).toBeVisible();
  await expect(row.getByText('सत्यापन लंबित')).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'list-hi');
  await row.getByRole('link', { name: NAME }).click();
  await expect(page.getByRole('heading', { name: NAME })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'सत्यापित करें' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'verify-dialog-hi');
  await dialog.getByRole('button', { name: 'सत्यापित करें' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('सत्यापित', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'सत्यापन लंबित → सत्यापित' })).toBeVisible();
  await shot(page, 'verified-hi');
  await page.getByRole('button', { name: 'लॉग आउट' }).click();

  // 3. The agency's administrator logs in and sees the agency verified (English).
  await openAs(page, USERNAME, '/', { password: PASSWORD });
  await page.getByRole('link', { name: 'My agency' }).first().click();
  await expect(page.getByRole('heading', { name: 'My agency' })).toBeVisible();
  await expect(page.getByText('Verified', { exact: true }).first()).toBeVisible();
  await expect(page.getByText(NAME).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'licence.pdf' })).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'my-agency-en');
  await page.getByRole('link', { name: 'Agency users' }).first().click();
  await expect(page.getByRole('cell', { name: USERNAME })).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'operators-en');
  await page.getByRole('button', { name: 'Log out' }).click();

  // 4. Finance suspends it by an order for a period typed dd/mm/yyyy; an impossible date is refused first.
  await openAs(page, 'finance_admin', '/agencies');
  await page.getByRole('searchbox').fill('Tawa');
  await page.getByRole('row').filter({ hasText: NAME }).getByRole('link', { name: NAME }).click();
  await expect(page.getByRole('heading', { name: NAME })).toBeVisible();
  await page.getByRole('button', { name: 'Suspend', exact: true }).click();
  const suspend = page.getByRole('dialog');
  await suspend.getByLabel('Reason').fill('Guards not paid for October 2026');
  await suspend.getByLabel('Order reference').fill('FIN/2026/SUS/4');
  await suspend.getByLabel('Period from').fill('31/02/2027');
  await suspend.getByLabel('Period to').fill('30/11/2027');
  await suspend.getByRole('button', { name: 'Suspend', exact: true }).click();
  await expect(suspend.getByText('This date does not exist (check the day and the month).')).toBeVisible();
  await suspend.getByLabel('Period from').fill('01/12/2026');
  await expectAccessible(page);
  await shot(page, 'suspend-dialog-en');
  await suspend.getByRole('button', { name: 'Suspend', exact: true }).click();
  await expect(suspend).toBeHidden();
  await expect(page.getByRole('cell', { name: 'Verified → Suspended' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'FIN/2026/SUS/4' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '01/12/2026 – 30/11/2027' })).toBeVisible();
  await shot(page, 'suspended-en');
});

/** The GSTIN check character (as shared/domain/identifiers.ts), to build a valid one here. */
function checkChar(first14: string): string {
  const A = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const p = A.indexOf(first14[i]!) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(p / 36) + (p % 36);
  }
  return A[(36 - (sum % 36)) % 36]!;
}

test('Finance registers an agency: a PAN with a wrong holder-type letter is refused before anything is sent', async ({ page }) => {
  test.setTimeout(120_000);
  await openAs(page, 'finance_admin', '/agencies/new');
  await expect(page.getByRole('heading', { name: 'Register agency' })).toBeVisible();
  let posted = false;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/agencies')) posted = true;
  });
  await box(page, 'Legal name').fill('Betwa Facility Services');
  await box(page, 'PAN').fill('AABXB1234K');
  await page.getByRole('button', { name: 'Register agency' }).click();
  await expect(page.getByText('The 4th letter of the PAN must be a holder type')).toBeVisible();
  expect(posted).toBe(false);
  // Typing in the field clears its message.
  await box(page, 'PAN').fill('AABFB1234K');
  await expect(page.getByText('The 4th letter of the PAN must be a holder type')).toBeHidden();
  await expectAccessible(page);
  await shot(page, 'register-errors-en');
});
