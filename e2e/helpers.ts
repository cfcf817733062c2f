import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { todayIst } from '../shared/domain/dates.ts';
import type { TMe } from '../shared/contracts/auth.ts';

/** Every catalog of each language by namespace (shared/locales/<lang>/<ns>.json), read once. */
const CATALOGS = Object.fromEntries(
  (['en', 'hi'] as const).map((lang) => [
    lang,
    Object.fromEntries(
      readdirSync(`shared/locales/${lang}`)
        .filter((f) => f.endsWith('.json'))
        .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(`shared/locales/${lang}/${f}`, 'utf8'))]),
    ),
  ]),
) as Record<'en' | 'hi', Record<string, unknown>>;

/** A catalog string by its key ("namespace.key.path", e.g. "resource.field.dob"), with its {{params}} filled in. */
export function tr(lang: 'en' | 'hi', key: string, params: Record<string, string | number> = {}): string {
  let v: unknown = CATALOGS[lang];
  for (const k of key.split('.')) v = (v as Record<string, unknown>)?.[k];
  if (typeof v !== 'string') throw new Error(`no string ${lang}:${key}`);
  // Placeholders first, then nested keys — `$t(common.fileTypes.{{types}})` — as i18next does.
  return v.replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params[p] ?? '')).replace(/\$t\(([\w.-]+)\)/g, (_, k: string) => tr(lang, k, params));
}

/** `YYYY-MM`, `back` months before this one (IST). */
export function monthsBack(back: number): string {
  const d = new Date(`${todayIst().slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 7);
}

/**
 * Where a journey's time goes: with E2E_PROFILE=<file>, each server start, database copy, login
 * and axe scan appends `{"kind","ms"}` to that file (one JSON line each; docs/TESTING.md sums them).
 */
export function profile(kind: string, since: number) {
  const file = process.env.E2E_PROFILE;
  if (file) appendFileSync(file, `${JSON.stringify({ kind, ms: Date.now() - since })}\n`);
}

export const DEMO_PASSWORD = 'Roams@Demo2026';

/**
 * What axe-core finds against WCAG 2.1 AA (bar W1), one line per element, with what it saw
 * (colours and ratio for colour-contrast). The colour-contrast rule is enabled explicitly, so a
 * change of axe's defaults cannot switch it off silently.
 */
export async function axeViolations(page: Page, only?: string[]): Promise<string[]> {
  const t0 = Date.now();
  scanKinds.delete(page);
  try {
    return await scan(page, only);
  } finally {
    const narrowed = scanKinds.get(page);
    profile(`${only ? 'axe (some rules)' : 'axe'}${narrowed ? `, ${narrowed}` : ''}`, t0);
  }
}

/** The signed-in shell's parts (web/ui/Shell.tsx). */
const SHELL = ['.roams-topbar', '.roams-header', 'nav.roams-nav', '.roams-footer'];
/** Per page: the modes (rules, language, contrast) in which its shell was scanned already. */
const shellScanned = new WeakMap<Page, Set<string>>();

/** Per route, rules, language and contrast mode: the kinds of element scanned clean (this worker). */
const scannedStates = new Map<string, Set<string>>();
/** How a page's last scan was narrowed, if it was (the profile counts those apart). */
const scanKinds = new WeakMap<Page, string>();
/** In the page: the kinds of its elements (outside `exclude`), as the state key above describes. */
const STATE_OF_PAGE = `(exclude, known) => {
  // Text, and ids and references to them (React's generated ids differ on every render): empty or not.
  const TEXT = new Set(['aria-label', 'title', 'alt', 'placeholder', 'aria-valuetext', 'value', 'aria-description',
    'id', 'for', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'aria-activedescendant', 'list', 'form', 'headers', 'name']);
  const seen = new Set(known);
  const kinds = new Set();
  const fresh = new Set();
  const paths = [];
  const path = (el) => {
    const steps = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) steps.unshift(':nth-child(' + (Array.prototype.indexOf.call(e.parentElement.children, e) + 1) + ')');
    return 'body > ' + steps.join(' > ');
  };
  for (const el of document.querySelectorAll('body *')) {
    if (exclude && el.closest(exclude)) continue;
    const parts = [el.tagName];
    for (const a of Array.from(el.attributes).sort((x, y) => x.name.localeCompare(y.name))) {
      // Mantine's per-render style classes (__m__-_r_1j_) carry React's id: the same kind each render.
      const value = a.name === 'class' ? a.value.replace(/__m__-\\S+/g, '__m__') : a.value;
      parts.push(TEXT.has(a.name) ? a.name + ':' + (value.trim() ? 1 : 0) : a.name + '=' + value.replace(/\\d+/g, '#'));
    }
    const ownText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    parts.push(ownText ? 'text' : '');
    const kind = parts.join(' ');
    kinds.add(kind);
    if (!seen.has(kind)) {
      fresh.add(el);
      if (!(el.parentElement && fresh.has(el.parentElement)) && !Array.from(fresh).some((f) => f !== el && f.contains(el))) paths.push(path(el));
    }
  }
  return { kinds: Array.from(kinds), fresh: paths };
}`;

async function scan(page: Page, only?: string[]): Promise<string[]> {
  // `only`: a few rules by id (the high-contrast sweep runs colour-contrast alone; the journeys run every AA rule).
  // Colours are judged at rest: a dialog still fading in blends its buttons with the page (CI saw
  // a red button read as 3.4:1 mid-fade), so running transitions and animations finish first.
  // (Endless ones, such as a loader's spin, are left alone.) Two frames first: Mantine starts a
  // dialog's transition a frame after it mounts, and a scan before that start saw no animation
  // to wait for and judged the half-faded dialog (a 2.3:1 "failure" in office-users under load).
  await page.evaluate(`(async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const running = document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
      if (running.length === 0) return;
      await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
    }
  })()`);
  // Speed (a scan took ≈ 0.9 s, and the journeys run ≈ 100 of them; docs/TESTING.md): the legacy mode runs
  // axe.run in the page itself instead of runPartial + finishRun in a new blank tab (no iframes in the app;
  // same-origin frames are still scanned), only the violations are collected (passes are never read), and
  // axe is injected once per document (its source is 550 kB): ≈ 0.16–0.3 s a scan. The same violations
  // either way (checked on a page with planted faults: contrast, alt, label, button name).
  const injected = await page.evaluate('typeof window.axe?.run === "function"');
  // The shell (access bar, header, menu, footer) is the same on every page of a signed-in user: it
  // is scanned the first time a test's page shows it in a language and contrast mode, and left out
  // of the scans after that (a quarter of a scan's elements on Finance's pages; docs/TESTING.md).
  // A dialog renders outside the shell (a portal under <body>), so it is always scanned.
  const mode = `${only?.join(',') ?? 'aa'}|${await page.evaluate('document.documentElement.lang + "|" + (document.documentElement.dataset.contrast ?? "")')}`;
  const hasShell = (await page.locator(SHELL.join(', ')).count()) > 0;
  const seen = shellScanned.get(page) ?? new Set<string>();
  shellScanned.set(page, seen);
  const skipShell = hasShell && seen.has(mode);
  if (hasShell) seen.add(mode);
  // A state of a page already scanned is not scanned again (docs/TESTING.md, "axe once per state"):
  // the key is the route (digits as #), the rules and the contrast mode; the page's state is the set
  // of its elements' kinds — tag, role, classes, styles and the other attributes with digits as #,
  // whether each text attribute, id reference and the element's own text are empty — and the
  // page's language. Scanned again as soon as one kind is new: the route's first visit in the other
  // language, an alert, a dialog, an error on a field, a badge of another colour, an empty label, a
  // `lang` attribute. Not scanned again: the same state with other text (more rows, the other
  // language's words once the route was scanned in it). E2E_AXE_EVERY=1 scans every time.
  const [rules, lang, contrast] = mode.split('|');
  const key = `${rules}|${contrast}|${new URL(page.url()).pathname.replace(/\d+/g, '#')}`;
  const known = scannedStates.get(key) ?? new Set<string>();
  const page_ = (await page.evaluate(`(${STATE_OF_PAGE})(${JSON.stringify(skipShell ? SHELL.join(', ') : '')}, ${JSON.stringify([...known])})`)) as {
    kinds: string[];
    fresh: string[];
  };
  const state = [`html lang=${lang}`, ...page_.kinds];
  const every = Boolean(process.env.E2E_AXE_EVERY);
  if (!every && state.every((k) => known.has(k))) {
    scanKinds.set(page, 'state scanned before');
    return [];
  }
  let builder = new AxeBuilder({ page, ...(injected ? { axeSource: ';' } : {}) });
  // A route scanned whole in this language before: only the elements of new kinds (with what is
  // inside them) — the alert that appeared, the field now in error, the dialog that opened.
  if (!every && known.has(`html lang=${lang}`) && page_.fresh.length <= 40) {
    for (const sel of page_.fresh) builder = builder.include(sel);
    scanKinds.set(page, 'new elements only');
  }
  if (skipShell) for (const sel of SHELL) builder = builder.exclude(sel);
  // axe fetches and parses every style sheet (CSSOM) and loads every media element before a scan,
  // ≈ 50 of ≈ 300 ms of a whole scan of the contract list (axe's performanceTimer). Of the rules run
  // here only no-autoplay-audio reads what it preloads (media); the CSSOM serves css-orientation-lock,
  // an experimental rule axe does not run. So a page with no audio or video is scanned without it
  // (six spec files, one run each: a whole scan 1.19 → 1.12 s, a scan of new elements 0.40 → 0.31 s).
  const hasMedia = (await page.locator('audio, video').count()) > 0;
  const results = await builder
    .setLegacyMode()
    .options({
      preload: hasMedia,
      resultTypes: ['violations'],
      ...(only
        ? { runOnly: { type: 'rule', values: only } }
        : { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, rules: { 'color-contrast': { enabled: true } } }),
    })
    .analyze();
  // Remembered only when clean: a failing state is scanned again by the next call.
  if (results.violations.length === 0) {
    for (const k of state) known.add(k);
    scannedStates.set(key, known);
  }
  return results.violations.flatMap((v) =>
    v.nodes.slice(0, 5).map((n) => `${v.id}: ${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`),
  );
}

/** WCAG 2.1 AA: axe-core must find nothing (bar W1), colour contrast included. */
export async function expectAccessible(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

export async function setLanguage(page: Page, lang: 'hi' | 'en') {
  await page.getByRole('button', { name: lang === 'hi' ? 'हिन्दी' : 'English', exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

export async function login(page: Page, username: string, password = DEMO_PASSWORD, lang: 'hi' | 'en' = 'en') {
  const t0 = Date.now();
  try {
    await loginByForm(page, username, password, lang);
  } finally {
    profile('login (form)', t0);
  }
}

async function loginByForm(page: Page, username: string, password: string, lang: 'hi' | 'en') {
  await page.goto('/login');
  await setLanguage(page, lang);
  await page.getByLabel(lang === 'hi' ? 'यूजर आई डी' : 'User ID').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: lang === 'hi' ? 'लॉगिन करें' : 'Login' }).click();
  // Wait for the outcome: the app has left the login page, or it shows why not. A menu click made
  // before the app's own navigation after login can be overtaken by it (the PD journey's worklist
  // click landed on the dashboard).
  await expect
    .poll(async () => !new URL(page.url()).pathname.startsWith('/login') || (await page.getByRole('alert').count()) > 0, { timeout: 15_000 })
    .toBe(true);
}

export type Lang = 'hi' | 'en';

/**
 * The preamble the journeys share: `username` signed in, in `lang`, with `path` open. Through the
 * API, not the login form (the form is the subject of login.spec.ts, auth.spec.ts and the
 * wrong-password steps, which keep login() above; typing into it cost ≈ 2 s a journey): the
 * language is picked on this browser as its buttons do (the roams_lang cookie and localStorage), POST
 * /api/v1/auth/login sets the session cookies in this page's context, the user's remembered
 * language follows the one picked (as the login page does), and a user with several roles takes
 * the one at `office` (as the choose-role page does). Resolves, with the signed-in user, once the
 * page shows the signed-in shell ("Log out") in that language. A user who must change the
 * password is refused (log in through the form); one with several roles and no `office` lands,
 * as after the form, on the choose-role page (`path` '/' only).
 */
export async function openAs(page: Page, username: string, path: string, opts: { lang?: Lang; password?: string; office?: number } = {}): Promise<TMe> {
  const t0 = Date.now();
  const lang = opts.lang ?? 'en';
  const api = page.request;
  const res = await api.post('/api/v1/auth/login', { data: { username, password: opts.password ?? DEMO_PASSWORD } });
  expect(res.status(), `login of ${username}: ${await res.text()}`).toBe(200);
  let me = (await res.json()) as TMe;
  await page.context().addCookies([{ name: 'roams_lang', value: lang, url: new URL(res.url()).origin, sameSite: 'Strict' }]);
  const write = async (method: 'put' | 'post', url: string, data: unknown) => {
    const r = await api[method](url, { data, headers: { 'x-csrf-token': me.csrfToken } });
    expect(r.status(), `${method.toUpperCase()} ${url} for ${username}: ${await r.text()}`).toBe(200);
    return r;
  };
  if (me.user.locale !== lang) await write('put', '/api/v1/auth/locale', { locale: lang });
  if (me.mustChangePassword) throw new Error(`${username} must change the password first: log in through the form (login())`);
  if (opts.office !== undefined) {
    const a = me.assignments.find((x) => x.officeId === opts.office);
    if (!a) throw new Error(`${username} has no role at office ${opts.office}`);
    me = (await (await write('post', '/api/v1/auth/switch', { assignmentId: a.id })).json()) as TMe;
  }
  // Several roles and no `office`: where the form leaves such a user, the choose-role page (for '/' only).
  if (me.activeAssignmentId === null && path !== '/') throw new Error(`${username} has several roles: say which (office)`);
  await page.goto(me.activeAssignmentId === null ? '/choose-role' : path);
  // The language buttons also keep the choice in localStorage (web/lib/i18n.ts), which outlives
  // clearCookies(): the invoice journey's public verification page is read in the language picked.
  await page.evaluate(`localStorage.setItem('roams_lang', ${JSON.stringify(lang)})`);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.getByRole('button', { name: lang === 'hi' ? 'लॉग आउट' : 'Log out' })).toBeVisible();
  profile('login (API) and open', t0);
  return me;
}

/** Chooses a file through a labelled chooser button (Mantine FileInput), as a person would: click it, pick the file. */
export async function chooseFile(page: Page, label: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: label, exact: true }).click();
  await (await chooser).setFiles(file);
}

/**
 * The second factor in a money dialog (bar A5): presses "send code", reads the new code from the
 * developer outbox (the sandbox SMS to `mobile`, newest first) and types it into the code field.
 */
export async function enterStepUpCode(page: Page, mobile: string) {
  const newest = async () => {
    const r = await page.request.get(`/api/v1/dev/outbox?recipient=${mobile}`);
    const { items } = (await r.json()) as { items: { id: number; body: string }[] };
    return items[0] ?? null;
  };
  const before = (await newest())?.id ?? 0;
  await page.getByTestId('step-up-send').click();
  await expect(page.getByTestId('step-up-sent')).toBeVisible();
  let code = '';
  await expect
    .poll(
      async () => {
        const m = await newest();
        code = m && m.id > before ? (/\b(\d{6})\b/.exec(m.body)?.[1] ?? '') : '';
        return code !== '';
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  await page.getByTestId('step-up-code').fill(code);
}
