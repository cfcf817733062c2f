import { type APIRequestContext, type Browser, expect, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import { test } from './fixtures.ts';
import { formatDateTimeIst } from '../shared/domain/dates.ts';
// expectAccessible's failure names each element with what axe saw (colours, ratio): a second scan
// here to print the same again is no longer made (it doubled the cost of every check in this file).
import { DEMO_PASSWORD, expectAccessible, login, setLanguage } from './helpers.ts';

/**
 * Identity journeys (manual sections 3, 4 and 6): forced password change, forgot password by SMS
 * code, Your Profile, the role / office switcher, the remembered language and logout, in English
 * and in Hindi. Every test brings its own user (the one seeded first-login user, a demo user whose
 * state it does not change, or a user it creates through the office-users API), so the order
 * of tests does not matter.
 */

type Lang = 'en' | 'hi';

const L = {
  en: {
    loginTitle: 'Office Login',
    username: 'User ID',
    login: 'Login',
    logout: 'Log out',
    forgot: 'Forgot Password',
    submit: 'Submit',
    forgotSent: 'If the user id is registered, a one-time code has been sent',
    otp: 'One-time code (6 digits)',
    resetButton: 'Set a new password',
    resetDone: 'Your password has been changed. Please log in with the new password.',
    otpInvalid: 'The one-time code is wrong.',
    otpExpired: 'The one-time code has expired or was already used. Ask for a new one.',
    changeTitle: 'Change Password',
    mustChange: 'This is your first login',
    tooShort: 'The password must have at least 12 characters.',
    common: 'This password is too common. Choose another.',
    mismatch: 'The two passwords do not match.',
    wrong: 'The user id or password is wrong.',
    welcome: (name: string) => `Welcome, ${name}`,
    profile: 'Your Profile',
    edit: 'Edit',
    save: 'Save',
    email: 'Official Email ID',
    emailBad: 'Enter a valid e-mail address.',
    emailSaved: 'The official e-mail has been saved.',
    chooseRole: 'Choose the role and office to work in',
    dm: 'Department Manager (DM)',
    actingAs: 'Acting as',
    switchRole: 'Switch role / office',
    office79: 'Commissioner, Institutional Finance, Bhopal',
    office4881: 'AD Directorate of Institutional Finance Bhopal',
    outbox: 'Developer outbox (sandbox SMS / e-mail)',
    resetSms: /reset your password|पासवर्ड रीसेट/,
  },
  hi: {
    loginTitle: 'कार्यालय लॉगिन',
    username: 'यूजर आई डी',
    login: 'लॉगिन करें',
    logout: 'लॉग आउट',
    forgot: 'पासवर्ड भूल गए',
    submit: 'सबमिट करें',
    forgotSent: 'यदि यह यूजर आई डी पंजीकृत है, तो उसके पंजीकृत मोबाइल नंबर पर वन-टाइम कोड भेज दिया गया है',
    otp: 'वन-टाइम कोड (6 अंक)',
    resetButton: 'नया पासवर्ड सेट करें',
    resetDone: 'आपका पासवर्ड बदल दिया गया है। कृपया नए पासवर्ड से लॉगिन करें।',
    otpInvalid: 'वन-टाइम कोड गलत है।',
    otpExpired: 'वन-टाइम कोड की अवधि समाप्त हो गई है या वह पहले ही उपयोग हो चुका है। नया कोड माँगें।',
    changeTitle: 'पासवर्ड बदलें',
    mustChange: 'यह आपका पहला लॉगिन है',
    tooShort: 'पासवर्ड में कम से कम 12 अक्षर होने चाहिए।',
    common: 'यह पासवर्ड बहुत सामान्य है। कोई दूसरा चुनें।',
    mismatch: 'दोनों पासवर्ड मेल नहीं खाते।',
    wrong: 'यूजर आई डी या पासवर्ड गलत है।',
    welcome: (name: string) => `स्वागत है, ${name}`,
    profile: 'आपकी प्रोफ़ाइल',
    edit: 'संपादित करें',
    save: 'सेव करें',
    email: 'कार्यालयीन ईमेल आईडी',
    emailBad: 'मान्य ई-मेल पता दर्ज करें।',
    emailSaved: 'कार्यालयीन ई-मेल सेव कर दिया गया है।',
    chooseRole: 'कार्य करने के लिए भूमिका और कार्यालय चुनें',
    dm: 'डिपार्टमेंट मैनेजर (DM)',
    actingAs: 'वर्तमान भूमिका',
    switchRole: 'भूमिका / कार्यालय बदलें',
    office79: 'आयुक्त, संस्थागत वित्त, भोपाल',
    office4881: 'सहायक संचालक, संस्थागत वित्त संचालनालय भोपाल',
    outbox: 'डेवलपर आउटबॉक्स (सैंडबॉक्स SMS / ई-मेल)',
    resetSms: /reset your password|पासवर्ड रीसेट/,
  },
} as const;

// Long journeys (argon2 hashing, the outbox worker) on a shared, busy machine. Every test brings its
// own user (above), so they may run in several workers at once: the largest file is not left to one.
test.describe.configure({ timeout: 180_000, mode: 'parallel' });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/auth-${name}.png`, fullPage: true });

// ---------------------------------------------------------------------------------------------
// Users made for a test, through the office-users API as officeadmin_state (as a real office
// admin would); the temporary password is read from the sandbox SMS, as the person would.

type Made = { username: string; name: string; mobile: string; password: string };

function csrfOf(state: { cookies: { name: string; value: string }[] }): string {
  return decodeURIComponent(state.cookies.find((c) => c.name === 'roams_csrf')?.value ?? '');
}

async function apiLogin(req: APIRequestContext, username: string, password: string) {
  const r = await req.post('/api/v1/auth/login', { data: { username, password } });
  expect(r.status(), await r.text()).toBe(200);
  return csrfOf(await req.storageState());
}

async function smsFor(req: APIRequestContext, mobile: string, re: RegExp): Promise<RegExpExecArray> {
  let m: RegExpExecArray | null = null;
  await expect
    .poll(
      async () => {
        const r = await req.get(`/api/v1/dev/outbox?recipient=${mobile}`);
        const { items } = (await r.json()) as { items: { body: string }[] };
        for (const i of items) if (!m) m = re.exec(i.body);
        return m !== null;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return m!;
}

/**
 * A new department manager of office 79. With `ready`, the temporary password has already been
 * replaced by `password` (as the person would at first login); without, `password` is the
 * temporary one from the SMS and the first login still has to change it.
 */
async function makeUser(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string,
  mobile: string,
  name: string,
  opts: { ready: boolean; email?: string },
): Promise<Made> {
  const admin = await playwright.request.newContext({ baseURL });
  const csrf = await apiLogin(admin, 'officeadmin_state', DEMO_PASSWORD);
  const r = await admin.post('/api/v1/office-users', {
    headers: { 'x-csrf-token': csrf },
    data: {
      officeId: 79,
      mobile,
      name,
      employeeId: `E-${mobile.slice(-4)}`,
      officialEmail: opts.email ?? '',
      designation: 'Section Officer',
      role: 'department_manager',
    },
  });
  expect(r.status(), await r.text()).toBe(201);
  const { username, outcome } = (await r.json()) as { username: string; outcome: string };
  expect(outcome).toBe('created');
  const temp = (await smsFor(admin, mobile, /(?:Temporary password|अस्थायी पासवर्ड): (\S+)/))[1]!;
  await admin.dispose();
  if (!opts.ready) return { username, name, mobile, password: temp };
  const self = await playwright.request.newContext({ baseURL });
  const c = await apiLogin(self, username, temp);
  const password = `river lantern ${mobile.slice(-4)} monsoon`;
  const ch = await self.post('/api/v1/auth/change-password', { headers: { 'x-csrf-token': c }, data: { currentPassword: temp, newPassword: password } });
  expect(ch.status(), await ch.text()).toBe(200);
  await self.dispose();
  return { username, name, mobile, password };
}

/** Logs in without touching the language buttons (login() in helpers.ts always picks one). */
async function loginAsIs(page: Page, lang: Lang, username: string, password: string) {
  const s = L[lang];
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: s.loginTitle })).toBeVisible();
  await page.getByLabel(s.username).fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: s.login, exact: true }).click();
}

async function logout(page: Page, lang: Lang) {
  await page.getByRole('button', { name: L[lang].logout }).click();
  await expect(page.getByRole('heading', { name: L[lang].loginTitle })).toBeVisible();
}

// ---------------------------------------------------------------------------------------------
// 1. Forced password change at first login.

async function firstLogin(page: Page, lang: Lang, u: { username: string; name: string; password: string }) {
  const s = L[lang];
  const newPassword = `saffron kite ${lang} tuesday 47`;
  await login(page, u.username, u.password, lang);
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole('status').filter({ hasText: s.mustChange })).toBeVisible();
  // No way round it: the home page sends the user back to the change.
  await page.goto('/');
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole('heading', { name: s.changeTitle })).toBeVisible();
  await expectAccessible(page);
  await shot(page, `first-login-${lang}`);

  const current = page.locator('input[name=currentPassword]');
  const pw = page.locator('input[name=newPassword]');
  const pw2 = page.locator('input[name=confirmPassword]');
  const submit = page.getByRole('button', { name: s.changeTitle });

  // Too short: refused at the field, in the chosen language.
  await current.fill(u.password);
  await pw.fill('short1!');
  await pw2.fill('short1!');
  await submit.click();
  await expect(pw).toHaveAttribute('aria-invalid', 'true');
  await expect(pw).toHaveAccessibleDescription(new RegExp(s.tooShort));

  // Long enough but common: the server refuses it at the field.
  await pw.fill('Password@2026');
  await pw2.fill('Password@2026');
  await submit.click();
  await expect(pw).toHaveAccessibleDescription(new RegExp(s.common));
  await expect(page).toHaveURL(/\/change-password$/);
  await expectAccessible(page);
  await shot(page, `first-login-common-${lang}`);

  // The two new fields differ.
  await pw.fill(newPassword);
  await pw2.fill(`${newPassword}x`);
  await submit.click();
  await expect(pw2).toHaveAccessibleDescription(new RegExp(s.mismatch));

  // A good one: accepted, straight to the home page.
  await pw2.fill(newPassword);
  await submit.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('main').getByText(s.welcome(u.name))).toBeVisible();
  await expectAccessible(page);
  await shot(page, `first-login-home-${lang}`);

  // Old password no longer works; the new one does, without being asked to change it again.
  await logout(page, lang);
  await login(page, u.username, u.password, lang);
  await expect(page.getByRole('alert')).toHaveText(s.wrong);
  await login(page, u.username, newPassword, lang);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('main').getByText(s.welcome(u.name))).toBeVisible();
}

test('first login (English): firstlogin_demo must set a password of its own', async ({ page }) => {
  await firstLogin(page, 'en', { username: 'firstlogin_demo', name: 'New Office User', password: DEMO_PASSWORD });
});

test('first login (Hindi): a user just created by the office admin must set a password of its own', async ({ page, playwright, baseURL }) => {
  const u = await makeUser(playwright, baseURL!, '9000055501', 'Kavita Raghuvanshi', { ready: false });
  await firstLogin(page, 'hi', u);
});

// ---------------------------------------------------------------------------------------------
// 2. Forgot password: code by (sandbox) SMS, read on the developer outbox page.

async function forgot(page: Page, lang: Lang, u: Made) {
  const s = L[lang];
  const newPassword = `copper meadow ${lang} ${u.mobile.slice(-3)} evening`;
  await page.goto('/login');
  await setLanguage(page, lang);
  await page.getByRole('link', { name: s.forgot }).click();
  await expect(page.getByRole('heading', { name: s.forgot })).toBeVisible();
  await expectAccessible(page);
  await shot(page, `forgot-${lang}`);

  await page.getByLabel(s.username).fill(u.username);
  const forgotReply = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/forgot'));
  await page.getByRole('button', { name: s.submit }).click();
  const { requestId } = (await (await forgotReply).json()) as { requestId: string };
  await expect(page.getByRole('status').filter({ hasText: s.forgotSent })).toBeVisible();
  await expectAccessible(page);

  // The person opens the developer outbox (footer link) in another tab and reads the code.
  const inbox = await page.context().newPage();
  await inbox.goto('/login');
  await inbox.getByRole('link', { name: s.outbox }).click();
  await expect(inbox.getByRole('heading', { name: s.outbox })).toBeVisible();
  const sms = inbox.getByRole('row').filter({ hasText: u.mobile }).filter({ hasText: s.resetSms }).first();
  await expect(sms).toBeVisible({ timeout: 20_000 });
  await expectAccessible(inbox);
  await shot(inbox, `outbox-${lang}`);
  const code = /\b(\d{6})\b/.exec((await sms.getByTestId('sms-body').textContent()) ?? '')?.[1];
  expect(code).toMatch(/^\d{6}$/);
  await inbox.close();

  // A wrong code is refused, and says so.
  const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  await page.getByLabel(s.otp).fill(wrongCode);
  await page.locator('input[name=newPassword]').fill(newPassword);
  await page.locator('input[name=confirmPassword]').fill(newPassword);
  await page.getByRole('button', { name: s.resetButton }).click();
  await expect(page.getByRole('alert')).toHaveText(s.otpInvalid);
  await expectAccessible(page);
  await shot(page, `forgot-wrong-code-${lang}`);

  // The right code: done.
  await page.getByLabel(s.otp).fill(code!);
  await page.getByRole('button', { name: s.resetButton }).click();
  await expect(page.getByRole('status')).toHaveText(s.resetDone);
  await shot(page, `forgot-done-${lang}`);

  // The same code for the same request a second time: refused (single use), in the same language.
  const again = await page.request.post('/api/v1/auth/reset', { data: { requestId, code, newPassword: `${newPassword} again` } });
  expect(again.status()).toBeGreaterThanOrEqual(400);
  expect(((await again.json()) as { title: string }).title).toBe(s.otpExpired);

  // Log in with the new password; the old one is gone.
  await page.getByRole('link', { name: s.login }).click();
  await expect(page.getByRole('heading', { name: s.loginTitle })).toBeVisible();
  await login(page, u.username, u.password, lang);
  await expect(page.getByRole('alert')).toHaveText(s.wrong);
  await login(page, u.username, newPassword, lang);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('main').getByText(s.welcome(u.name))).toBeVisible();
}

test('forgot password by SMS code (English)', async ({ page, playwright, baseURL }) => {
  await forgot(page, 'en', await makeUser(playwright, baseURL!, '9000055511', 'Deepak Tiwari', { ready: true }));
});

test('forgot password by SMS code (Hindi)', async ({ page, playwright, baseURL }) => {
  await forgot(page, 'hi', await makeUser(playwright, baseURL!, '9000055512', 'Savitri Bai', { ready: true }));
});

// ---------------------------------------------------------------------------------------------
// 3. Your Profile: the official e-mail of a role assignment.

function istNowCandidates(): string[] {
  const now = Date.now();
  return [now - 60_000, now, now + 60_000].map((t) => formatDateTimeIst(new Date(t)));
}

async function profile(page: Page, lang: Lang, u: Made) {
  const s = L[lang];
  await login(page, u.username, u.password, lang);
  await page.getByRole('navigation').getByRole('link', { name: s.profile }).click();
  await expect(page.getByRole('heading', { name: s.profile })).toBeVisible();
  await expect(page.getByRole('cell', { name: u.username, exact: true })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: s.office79 });
  await expect(row).toHaveCount(1);
  // Created without an e-mail: none, never updated.
  await expect(row).toContainText('—');
  await expect(row).toContainText('--/--');
  await expectAccessible(page);
  await shot(page, `profile-${lang}`);

  await row.getByRole('button', { name: s.edit }).click();
  const box = row.getByRole('textbox', { name: s.email });
  await box.fill('not-an-email@');
  await row.getByRole('button', { name: s.save }).click();
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  await expect(box).toHaveAccessibleDescription(s.emailBad);
  await expectAccessible(page);
  await shot(page, `profile-bad-email-${lang}`);

  const email = `${u.username}@mp.gov.in`;
  await box.fill(email);
  await row.getByRole('button', { name: s.save }).click();
  await expect(page.getByRole('status')).toHaveText(s.emailSaved);
  await expect(row).toContainText(email);
  const when = istNowCandidates();
  await expect(row).toContainText(new RegExp(when.map((w) => w.replace(/\//g, '\\/')).join('|')));
  await shot(page, `profile-saved-${lang}`);

  // It is stored: a fresh load shows it.
  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: s.office79 })).toContainText(email);
}

test('Your Profile: edit the official e-mail (English)', async ({ page, playwright, baseURL }) => {
  await profile(page, 'en', await makeUser(playwright, baseURL!, '9000055521', 'Harish Chouhan', { ready: true }));
});

test('Your Profile: edit the official e-mail (Hindi)', async ({ page, playwright, baseURL }) => {
  await profile(page, 'hi', await makeUser(playwright, baseURL!, '9000055522', 'Meena Dubey', { ready: true }));
});

// ---------------------------------------------------------------------------------------------
// 4. Role / office switcher: dm_bhopal has two assignments (offices 79 and 4881).

async function switcher(page: Page, lang: Lang) {
  const s = L[lang];
  await login(page, 'dm_bhopal', DEMO_PASSWORD, lang);
  await expect(page).toHaveURL(/\/choose-role$/);
  await expect(page.getByRole('heading', { name: s.chooseRole })).toBeVisible();
  const choices = page.getByRole('main').getByRole('button');
  await expect(choices).toHaveCount(2);
  // Each choice shows the whole office name and number, not cut off.
  await expect(choices.filter({ hasText: `${s.office79} (79)` })).toBeVisible();
  await expect(choices.filter({ hasText: `${s.office4881} (4881)` })).toBeVisible();
  const clipped = await choices.evaluateAll((els) =>
    els.map((e) => {
      const label = e.querySelector('.mantine-Button-label') ?? e;
      const over = [e, label].some((x) => x.scrollWidth > x.clientWidth + 1);
      // Devanagari matras stick out of a tight line box and are cut by the label's overflow.
      const cs = e.ownerDocument.defaultView!.getComputedStyle(label);
      const tight = cs.overflow !== 'visible' && Number.parseFloat(cs.lineHeight) < 1.3 * Number.parseFloat(cs.fontSize);
      return over || tight || label.getBoundingClientRect().right > e.getBoundingClientRect().right + 1;
    }),
  );
  expect(clipped).toEqual([false, false]);
  await expectAccessible(page);
  await shot(page, `choose-role-${lang}`);

  await choices.filter({ hasText: '(79)' }).click();
  await expect(page).toHaveURL(/\/$/);
  const acting = page.getByRole('banner').getByText(`${s.actingAs}:`);
  await expect(acting).toHaveText(`${s.actingAs}: ${s.dm} — ${s.office79} (79)`);

  const box = page.getByRole('textbox', { name: s.switchRole }).or(page.getByRole('combobox', { name: s.switchRole }));
  await box.first().click();
  await expectAccessible(page);
  await page.getByRole('option', { name: `${s.dm} — ${s.office4881}` }).click();
  await expect(acting).toHaveText(`${s.actingAs}: ${s.dm} — ${s.office4881} (4881)`);
  await expectAccessible(page);
  await shot(page, `switched-role-${lang}`);

  // The server agrees: the session now acts in office 4881.
  const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { activeAssignmentId: number; assignments: { id: number; officeId: number }[] };
  expect(me.assignments.find((a) => a.id === me.activeAssignmentId)?.officeId).toBe(4881);
}

test('role / office switcher (English)', async ({ page }) => {
  await switcher(page, 'en');
});

test('role / office switcher (Hindi)', async ({ page }) => {
  await switcher(page, 'hi');
});

// ---------------------------------------------------------------------------------------------
// 5. The language is remembered per user.

test('the chosen language is remembered for the user, also on another browser', async ({ page, browser, playwright, baseURL }) => {
  const u = await makeUser(playwright, baseURL!, '9000055531', 'Pooja Malviya', { ready: true });
  await login(page, u.username, u.password, 'hi');
  await expect(page.getByRole('main').getByText(L.hi.welcome(u.name))).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'hi');

  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/locale') && r.ok());
  await setLanguage(page, 'en');
  await saved;
  await expect(page.getByRole('main').getByText(L.en.welcome(u.name))).toBeVisible();
  await logout(page, 'en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await loginAsIs(page, 'en', u.username, u.password);
  await expect(page.getByRole('main').getByText(L.en.welcome(u.name))).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await shot(page, 'language-remembered-en');

  // Another browser, nothing stored: the login page opens in Hindi, the user's English comes back on login.
  await otherBrowserGetsEnglish(browser, u);
});

async function otherBrowserGetsEnglish(browser: Browser, u: Made) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await loginAsIs(p, 'hi', u.username, u.password);
  await expect(p.getByRole('main').getByText(L.en.welcome(u.name))).toBeVisible();
  await expect(p.locator('html')).toHaveAttribute('lang', 'en');
  const me = (await (await p.request.get('/api/v1/auth/me')).json()) as { user: { locale: string } };
  expect(me.user.locale).toBe('en');
  await shot(p, 'language-other-browser');
  await ctx.close();
}

// ---------------------------------------------------------------------------------------------
// 6. Logout ends the session in every tab and every browser.

test('logout in one tab ends the session in the other tab and in another browser', async ({ page, browser, playwright, baseURL }) => {
  // The server ends every session; a tab that is already open learns it from the next 401
  // (web/main.tsx onApiError) and goes to the login page instead of waiting for ever.
  const u = await makeUser(playwright, baseURL!, '9000055541', 'Rakesh Patidar', { ready: true });
  await login(page, u.username, u.password, 'en');
  await expect(page.getByRole('main').getByText(L.en.welcome(u.name))).toBeVisible();
  const tab2 = await page.context().newPage();
  await tab2.goto('/');
  await expect(tab2.getByRole('main').getByText(L.en.welcome(u.name))).toBeVisible();
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  await login(other, u.username, u.password, 'en');
  await expect(other.getByRole('main').getByText(L.en.welcome(u.name))).toBeVisible();

  await logout(page, 'en');

  // The other tab's next action (open a menu page) lands on the login page.
  await tab2.getByRole('navigation').getByRole('link', { name: L.en.profile }).click();
  await expect(tab2.getByRole('heading', { name: L.en.loginTitle })).toBeVisible();
  await expect(tab2).toHaveURL(/\/login$/);
  await shot(tab2, 'logout-other-tab');

  // So does the other browser's.
  await other.getByRole('navigation').getByRole('link', { name: L.en.profile }).click();
  await expect(other.getByRole('heading', { name: L.en.loginTitle })).toBeVisible();
  await ctx.close();
});
