import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { expectAccessible, openAs } from './helpers.ts';

/** Manual section 7: the office admin manages the users of an office, in English and in Hindi. */

const L = {
  en: {
    nav: 'Office Users',
    selectOffice: 'Select Office',
    addUser: 'Add User',
    mobile: 'Mobile Number',
    check: 'Check mobile number',
    name: 'User Name',
    employeeId: 'Employee ID',
    email: 'Official E-mail ID',
    designation: 'Designation (Title)',
    role: 'Role',
    save: 'Save',
    newUser: 'No user has this mobile number.',
    existing: 'is already in the selected office',
    created: /has been created/,
    mapped: /has been added to the office/,
    endRole: 'End role',
    deactivate: 'Deactivate',
    confirm: 'Confirm',
    ended: 'The role has been ended.',
    deactivated: 'The user has been deactivated.',
    officeAdmin: 'Office Admin',
    inactive: 'Inactive',
    smsPassword: /(?:Temporary password|अस्थायी पासवर्ड): (\S+)/,
  },
  hi: {
    nav: 'कार्यालय उपयोगकर्ता',
    selectOffice: 'कार्यालय चुनें',
    addUser: 'उपयोगकर्ता जोड़ें',
    mobile: 'मोबाइल नंबर',
    check: 'मोबाइल नंबर जाँचें',
    name: 'उपयोगकर्ता का नाम',
    employeeId: 'कर्मचारी आई डी',
    email: 'कार्यालयीन ईमेल आईडी',
    designation: 'पदनाम',
    role: 'भूमिका',
    save: 'सेव करें',
    newUser: 'इस मोबाइल नंबर का कोई उपयोगकर्ता नहीं है।',
    existing: 'चयनित कार्यालय में पहले से है',
    created: /बना दिया गया है/,
    mapped: /कार्यालय से जोड़ दिया गया है/,
    endRole: 'भूमिका समाप्त करें',
    deactivate: 'निष्क्रिय करें',
    confirm: 'पुष्टि करें',
    ended: 'भूमिका समाप्त कर दी गई है।',
    deactivated: 'उपयोगकर्ता को निष्क्रिय कर दिया गया है।',
    officeAdmin: 'ऑफिस एडमिन',
    inactive: 'निष्क्रिय',
    smsPassword: /अस्थायी पासवर्ड: (\S+)/,
  },
} as const;

async function pickOffice(page: Page, lang: 'en' | 'hi', id: string) {
  const s = L[lang];
  await page.getByRole('link', { name: s.nav, exact: true }).first().click();
  const box = page.getByRole('combobox', { name: s.selectOffice });
  await box.click();
  await box.fill(id);
  await page.getByRole('option', { name: new RegExp(`/ ${id}$`) }).click();
  await expect(page.getByRole('heading', { level: 3 })).toContainText(`(${id})`);
}

async function journey(page: Page, lang: 'en' | 'hi', mobile: string, person: string) {
  // ≈ 27 s on a quiet machine, many dialogs and six accessibility scans: twice the default limit under load.
  test.setTimeout(120_000);
  const s = L[lang];
  await openAs(page, 'officeadmin_state', '/', { lang });
  await pickOffice(page, lang, '79');
  await expect(page.getByRole('cell', { name: /^Ramesh Sharma \(/ })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: `test-results/screens/office-users-${lang}.png`, fullPage: true });

  // Add a new user by mobile number.
  await page.getByRole('button', { name: s.addUser }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(s.mobile).fill(mobile);
  await dialog.getByRole('button', { name: s.check }).click();
  await expect(dialog.getByRole('status')).toContainText(s.newUser);
  await dialog.getByLabel(s.name).fill(person);
  await dialog.getByLabel(s.employeeId).fill(`E-${mobile.slice(-4)}`);
  await dialog.getByLabel(s.email).fill(`${mobile}@mp.gov.in`);
  await dialog.getByLabel(s.designation, { exact: true }).fill('Assistant Grade 3');
  await expectAccessible(page);
  await page.screenshot({ path: `test-results/screens/office-users-add-${lang}.png`, fullPage: true });
  await dialog.getByRole('button', { name: s.save }).dblclick();
  await expect(page.getByRole('status').filter({ hasText: s.created })).toBeVisible();
  const username = /(?:User|उपयोगकर्ता) (\S+) /.exec((await page.getByRole('status').filter({ hasText: s.created }).textContent()) ?? '')?.[1];
  expect(username).toBeTruthy();
  await expect(page.getByRole('cell', { name: new RegExp(`^${person} \\(`) })).toBeVisible();

  // The SMS with the credentials is in the developer outbox.
  await page.goto('/dev/outbox');
  const sms = page.getByRole('row').filter({ hasText: mobile }).filter({ hasText: username! }).first();
  await expect(sms).toBeVisible();
  expect(s.smsPassword.exec((await sms.textContent()) ?? '')?.[1]).toBeTruthy();

  // The same mobile again, as office admin: the existing user is mapped, not created.
  await page.goto('/');
  await pickOffice(page, lang, '79');
  await page.getByRole('button', { name: s.addUser }).click();
  await dialog.getByLabel(s.mobile).fill(mobile);
  await dialog.getByRole('button', { name: s.check }).click();
  await expect(dialog.getByRole('status')).toContainText(s.existing);
  await expect(dialog.getByRole('status')).toContainText(person);
  await dialog.getByRole('combobox', { name: s.role }).click();
  await page.getByRole('option', { name: s.officeAdmin, exact: true }).click();
  await dialog.getByRole('button', { name: s.save }).click();
  await expect(page.getByRole('status').filter({ hasText: s.mapped })).toBeVisible();

  // End the office-admin role of that user.
  const rows = page.getByRole('row').filter({ hasText: person });
  await expect(rows).toHaveCount(2);
  const adminRow = rows.filter({ hasText: s.officeAdmin });
  await adminRow.getByRole('button', { name: s.endRole }).click();
  await expectAccessible(page);
  await page.getByRole('dialog').getByRole('button', { name: s.confirm }).click();
  await expect(page.getByRole('status').filter({ hasText: s.ended })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: person })).toHaveCount(1);

  // Deactivate the user.
  await page.getByRole('row').filter({ hasText: person }).getByRole('button', { name: s.deactivate }).click();
  await page.getByRole('dialog').getByRole('button', { name: s.confirm }).click();
  await expect(page.getByRole('status').filter({ hasText: s.deactivated })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: person })).toContainText(s.inactive);
  await expectAccessible(page);
  await page.screenshot({ path: `test-results/screens/office-users-done-${lang}.png`, fullPage: true });
}

test('office admin manages office users in English', async ({ page }) => {
  await journey(page, 'en', '9000044441', 'Anita Kushwaha');
});

test('office admin manages office users in Hindi', async ({ page }) => {
  await journey(page, 'hi', '9000044442', 'Mohan Lal Patel');
});
