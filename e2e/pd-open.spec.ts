import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { axeViolations, enterStepUpCode, openAs } from './helpers.ts';

// Issue 18 item 1: opening PD accounts, each step by the person who takes it, on the demo's
// proposals (one in every state, pd.open.demo.ts). Both languages share one server copy (one per
// file, fixtures.ts), so the English run moves each demo proposal one step on and the Hindi run
// moves them again:
// - en: the department's office admin submits the draft; the HOD's office admin recommends the
//   submitted one; Finance sanctions the recommended one (order no. + second factor); the
//   department applies to the treasury for the sanctioned one; the treasury officer registers a
//   government application (second factor) — the account opens and its number is the login.
// - hi: the office admin drafts a new proposal through the form (an empty form is refused field
//   by field first) and submits it; the HOD recommends the next; Finance refuses one with a reason;
//   the treasury registers the non-government application, which gets no login.
// Axe-clean on every screen.

const T = {
  en: {
    nav: 'Opening PD accounts',
    submit: (id: number) => `Submit proposal ${id}`,
    submitted: (id: number) => `Proposal ${id} is submitted to the head of department.`,
    recommend: (id: number) => `Recommend proposal ${id}`,
    recommended: (id: number) => `Proposal ${id} is recommended and sent to Finance.`,
    sanction: (id: number) => `Sanction proposal ${id}`,
    sanctionNo: 'Sanction order no.',
    sanctionBtn: 'Sanction',
    sanctioned: (id: number) => `Proposal ${id} is sanctioned.`,
    refuse: (id: number) => `Refuse proposal ${id}`,
    reason: 'Reason for refusal',
    refuseBtn: 'Refuse',
    refused: (id: number) => `Proposal ${id} is refused; the department sees the reason.`,
    apply: (id: number) => `Apply to the treasury for proposal ${id}`,
    applied: (id: number) => `The application for proposal ${id} is sent to the treasury.`,
    register: (purpose: string) => `Register the application for ${purpose}`,
    registerBtn: 'Register',
    opened: /PD account (\S+) is opened\. The administrator's login is \1;/,
    openedNoLogin: /PD account \S+ is opened\. A non-government institution gets no login\./,
    newProposal: 'New proposal',
    save: 'Save draft',
    fixErrors: 'Some fields need attention',
    created: /Proposal (\d+) is saved as a draft\./,
  },
  hi: {
    nav: 'पीडी खाते खोलना',
    submit: (id: number) => `प्रस्ताव ${id} प्रस्तुत करें`,
    submitted: (id: number) => `प्रस्ताव ${id} विभागाध्यक्ष को प्रस्तुत किया गया।`,
    recommend: (id: number) => `प्रस्ताव ${id} की अनुशंसा करें`,
    recommended: (id: number) => `प्रस्ताव ${id} अनुशंसित कर वित्त विभाग को भेजा गया।`,
    sanction: (id: number) => `प्रस्ताव ${id} स्वीकृत करें`,
    sanctionNo: 'स्वीकृति आदेश क्र.',
    sanctionBtn: 'स्वीकृत करें',
    sanctioned: (id: number) => `प्रस्ताव ${id} स्वीकृत किया गया।`,
    refuse: (id: number) => `प्रस्ताव ${id} अस्वीकार करें`,
    reason: 'अस्वीकृति का कारण',
    refuseBtn: 'अस्वीकार करें',
    refused: (id: number) => `प्रस्ताव ${id} अस्वीकृत किया गया; विभाग को कारण दिखेगा।`,
    apply: (id: number) => `प्रस्ताव ${id} के लिए कोषालय को आवेदन भेजें`,
    applied: (id: number) => `प्रस्ताव ${id} का आवेदन कोषालय को भेजा गया।`,
    register: (purpose: string) => `${purpose} का आवेदन पंजीकृत करें`,
    registerBtn: 'पंजीकृत करें',
    opened: /पीडी खाता (\S+) खोला गया। प्रशासक का लॉगिन \1 है;/,
    openedNoLogin: /पीडी खाता \S+ खोला गया। अशासकीय संस्था को लॉगिन नहीं मिलता।/,
    newProposal: 'नया प्रस्ताव',
    save: 'प्रारूप सहेजें',
    fixErrors: '',
    created: /प्रस्ताव (\d+) /,
  },
} as const;

type Summary = { id: number; state: string; departmentId?: number };
const BASE = '/api/v1/pd/opening';

async function proposals(page: Page): Promise<Summary[]> {
  const r = await page.request.get(`${BASE}/proposals`);
  expect(r.status()).toBe(200);
  return ((await r.json()) as { items: Summary[] }).items;
}

/** The Finance Department's oldest proposal in a state (the demo's School Education proposal 1 is not theirs). */
async function oldestIn(page: Page, state: string): Promise<number> {
  const p = (await proposals(page)).filter((x) => x.id !== 1 && x.state === state).sort((a, b) => a.id - b.id)[0];
  expect(p, `a proposal in state ${state}`).toBeTruthy();
  return p!.id;
}

async function as(page: Page, user: string, lang: 'en' | 'hi', nav: string) {
  await page.context().clearCookies();
  await openAs(page, user, '/', { lang });
  await page.getByRole('link', { name: nav, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: nav })).toBeVisible();
}

const status = (page: Page) => page.getByTestId('pd-open-status');

for (const [lang, L] of Object.entries(T) as ['en' | 'hi', (typeof T)['en' | 'hi']][]) {
  test(`opening PD accounts: proposal → HOD → Finance → treasury registers (${lang})`, async ({ page }) => {
    test.setTimeout(200_000);

    // The department's office admin.
    await as(page, 'officeadmin_fin', lang, L.nav);
    await expect(page.getByTestId('pd-open-proposals')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    if (lang === 'hi') {
      // A new proposal through the form: an empty one is refused in place, a complete one saved as a draft.
      await page.getByRole('button', { name: L.newProposal }).click();
      const form = page.getByTestId('pd-open-form');
      await form.getByRole('button', { name: L.save }).click();
      await expect(form.getByRole('alert').first()).toBeVisible();
      const before = (await proposals(page)).length;
      await form.getByRole('textbox', { name: 'विभागाध्यक्ष (पदनाम)' }).fill('आयुक्त, कोष एवं लेखा');
      await form.getByRole('combobox', { name: 'राशि का स्रोत' }).selectOption('other');
      await form.getByRole('combobox', { name: 'कोषालय' }).selectOption({ index: 1 });
      await form.getByRole('textbox', { name: 'प्रशासक का पदनाम' }).fill('संयुक्त संचालक');
      await form.getByRole('textbox', { name: 'प्रशासक का कार्यालय' }).fill('संचालनालय कोष एवं लेखा, भोपाल');
      await form.getByRole('textbox', { name: 'प्रशासक का मोबाइल' }).fill('9876500071');
      await form.getByRole('textbox', { name: 'खाते का प्रयोजन' }).fill('न्यायालय में जमा राशि');
      await form.getByRole('textbox', { name: 'जमा की जाने वाली मदें' }).fill('न्यायालय के आदेश से जमा राशि');
      await form.getByRole('textbox', { name: 'प्रयोजन 1' }).fill('न्यायालय जमा');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: 'test-results/screens/pd-open-form-hi.png', fullPage: true });
      await form.getByRole('button', { name: L.save }).click();
      await expect(status(page)).toContainText(L.created);
      expect((await proposals(page)).length).toBe(before + 1);
    }
    const draft = await oldestIn(page, 'draft');
    await page.getByRole('button', { name: L.submit(draft) }).click();
    await expect(status(page)).toHaveText(L.submitted(draft));
    const sanctioned = await oldestIn(page, 'sanctioned');
    await page.getByRole('button', { name: L.apply(sanctioned) }).click();
    await expect(status(page)).toHaveText(L.applied(sanctioned));
    expect(await axeViolations(page)).toEqual([]);

    // The head of department's office admin recommends.
    await as(page, 'hod_fin', lang, L.nav);
    const submitted = await oldestIn(page, 'submitted');
    await page.getByRole('button', { name: L.recommend(submitted) }).click();
    await expect(status(page)).toHaveText(L.recommended(submitted));
    await page.screenshot({ path: `test-results/screens/pd-open-hod-${lang}.png`, fullPage: true });

    // Finance sanctions (en) or refuses (hi), confirmed with the code sent to its mobile.
    await as(page, 'finance_admin', lang, L.nav);
    const recommended = await oldestIn(page, 'recommended');
    if (lang === 'en') {
      await page.getByRole('button', { name: L.sanction(recommended) }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox', { name: L.sanctionNo }).fill('F-11-21/2026/FIN');
      await enterStepUpCode(page, '9876500001');
      expect(await axeViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: L.sanctionBtn, exact: true }).click();
      await expect(dialog).toHaveCount(0);
      await expect(status(page)).toHaveText(L.sanctioned(recommended));
    } else {
      await page.getByRole('button', { name: L.refuse(recommended) }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox', { name: L.reason }).fill('बजट मद का विवरण अपूर्ण है');
      await enterStepUpCode(page, '9876500001');
      await dialog.getByRole('button', { name: L.refuseBtn, exact: true }).click();
      await expect(dialog).toHaveCount(0);
      await expect(status(page)).toHaveText(L.refused(recommended));
    }
    expect((await proposals(page)).find((p) => p.id === recommended)?.state).toBe(lang === 'en' ? 'sanctioned' : 'refused');

    // The Bhopal treasury officer registers an application: the account opens.
    await as(page, 'treasury_bhopal', lang, L.nav);
    await expect(page.getByTestId('pd-open-applications')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: L.register(lang === 'en' ? 'Census operations' : 'Donations for flood relief') }).click();
    const dialog = page.getByRole('dialog');
    await enterStepUpCode(page, '9876500007');
    await dialog.getByRole('button', { name: L.registerBtn, exact: true }).click();
    await expect(dialog).toHaveCount(0);
    await expect(status(page)).toContainText(lang === 'en' ? L.opened : L.openedNoLogin);
    await page.screenshot({ path: `test-results/screens/pd-open-registered-${lang}.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });
}
