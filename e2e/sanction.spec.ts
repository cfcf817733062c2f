import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { chooseFile, expectAccessible, openAs, setLanguage } from './helpers.ts';

// Manual section 8 end to end: an office admin of the Finance Department creates a sanction
// order with its PDF, adds a post distributed over two offices of "Commissioner, Institutional
// Finance, Bhopal" (79 and 4881), locks it, and can no longer change it — in both languages.

/** A minimal, valid one-page PDF (the server checks the `%PDF-` magic bytes). */
function tinyPdf(): Buffer {
  const body = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ].join('\n');
  return Buffer.from(body, 'latin1');
}

/** The first bytes of a PNG, saved under a .pdf name. */
function renamedPng(): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 0)]);
}

const T = {
  en: {
    nav: 'Sanction Orders',
    listTitle: 'Manage Outsourced Sanction Order and Post',
    create: 'Create Outsourced Sanction Order',
    orderNo: 'Sanction Order Number',
    orderDate: 'Sanction Order Date',
    officer: 'Issuing Officer Name',
    designation: 'Designation of Issuing Officer',
    file: 'Upload Order / Letter',
    remark: 'Remark',
    save: 'Save',
    notPdf: 'This file is not a PDF',
    future: 'cannot be in the future',
    heading: 'Outsourced Sanction Order and Post',
    viewFile: 'View Order / Letter',
    addPost: 'Add Post',
    formTitle: 'Add Position & Office wise Sanctioned Post Details',
    skill: 'Skill Level',
    skillValue: 'High Skilled',
    post: 'Post Name',
    postValue: 'Accountant',
    total: 'Total No. of Sanctioned Post',
    hod: 'Department/ HOD / Directorate',
    hodValue: 'Commissioner, Institutional Finance, Bhopal',
    office79: 'Sanction Post for Commissioner, Institutional Finance, Bhopal (79)',
    office4881: 'Sanction Post for AD Directorate of Institutional Finance Bhopal (4881)',
    distributed: (s: number, t: number) => `Distributed ${s} of ${t}`,
    mismatch: 'They must add up exactly',
    saveAdd: 'Save & Add Post',
    postsTitle: 'Added Sanctioned Post Details',
    lock: 'Lock Now',
    lockTitle: 'Lock this sanction order?',
    lockConfirm: 'Yes, lock permanently',
    lockedDone: 'The order is now locked.',
    cut: 'Your text had 5000 characters; only the first 100 were kept. Shorten it if the end matters.',
    yes: 'Yes',
    no: 'No',
    edit: 'Edit',
    capacityNav: 'Sanctioned Posts Position',
    capacityTitle: 'Sanctioned, Covered, Deployed and Vacant Posts',
  },
  hi: {
    nav: 'सैंक्शन ऑर्डर',
    listTitle: 'आउटसोर्स सैंक्शन ऑर्डर एवं पद प्रबंधन',
    create: 'आउटसोर्स सैंक्शन ऑर्डर बनाएँ',
    orderNo: 'सैंक्शन ऑर्डर क्रमांक',
    orderDate: 'सैंक्शन ऑर्डर दिनांक',
    officer: 'जारीकर्ता अधिकारी का नाम',
    designation: 'जारीकर्ता अधिकारी का पदनाम',
    file: 'ऑर्डर / पत्र अपलोड करें',
    remark: 'टिप्पणी',
    save: 'सेव करें',
    notPdf: 'यह फ़ाइल PDF नहीं है',
    future: 'भविष्य का नहीं हो सकता',
    heading: 'आउटसोर्स सैंक्शन ऑर्डर एवं पद',
    viewFile: 'ऑर्डर / पत्र देखें',
    addPost: 'पोस्ट जोड़ें',
    formTitle: 'पद एवं कार्यालयवार स्वीकृत पदों का विवरण जोड़ें',
    skill: 'कौशल स्तर',
    skillValue: 'उच्च कुशल',
    post: 'पद का नाम',
    postValue: 'लेखापाल',
    total: 'कुल स्वीकृत पदों की संख्या',
    hod: 'विभाग/ विभागाध्यक्ष / संचालनालय',
    hodValue: 'आयुक्त, संस्थागत वित्त, भोपाल',
    office79: 'आयुक्त, संस्थागत वित्त, भोपाल (79) के लिए स्वीकृत पद',
    office4881: 'सहायक संचालक, संस्थागत वित्त संचालनालय भोपाल (4881) के लिए स्वीकृत पद',
    distributed: (s: number, t: number) => `${t} में से ${s} वितरित`,
    mismatch: 'योग ठीक-ठीक बराबर होना चाहिए',
    saveAdd: 'सेव करें एवं पोस्ट जोड़ें',
    postsTitle: 'जोड़े गए स्वीकृत पदों का विवरण',
    lock: 'अभी लॉक करें',
    lockTitle: 'क्या यह सैंक्शन ऑर्डर लॉक करें?',
    lockConfirm: 'हाँ, स्थायी रूप से लॉक करें',
    lockedDone: 'ऑर्डर अब लॉक हो गया है।',
    cut: 'आपके पाठ में 5000 अक्षर थे; केवल पहले 100 रखे गए। यदि अंत का भाग आवश्यक है तो इसे छोटा करें।',
    yes: 'हाँ',
    no: 'नहीं',
    edit: 'संपादित करें',
    capacityNav: 'स्वीकृत पदों की स्थिति',
    capacityTitle: 'स्वीकृत, अनुबंधित, तैनात एवं रिक्त पद',
  },
} as const;

async function pick(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Calls the API from inside the page, with the session cookie and CSRF header, as the app does. */
async function apiFromPage(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; code?: string }> {
  return page.evaluate(
    async ([m, u, b]) => {
      const csrf = decodeURIComponent(
        (globalThis as unknown as { document: { cookie: string } }).document.cookie.match(/(?:^|; )roams_csrf=([^;]+)/)?.[1] ?? '',
      );
      const init: RequestInit = { method: m as string, headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' }, credentials: 'same-origin' };
      if (b !== undefined) init.body = JSON.stringify(b);
      const res = await fetch(u as string, init);
      const json = await res.json().catch(() => ({}));
      return { status: res.status, code: (json as { code?: string }).code };
    },
    [method, url, body] as const,
  );
}

for (const lang of ['en', 'hi'] as const) {
  test(`office admin creates, fills and locks a sanction order (${lang})`, async ({ page }) => {
    const L = T[lang];
    const orderNo = `E2E/${lang.toUpperCase()}/${Date.now() % 1_000_000}`;
    await openAs(page, 'officeadmin_fin', '/', { lang });
    await page
      .getByRole('navigation', { name: lang === 'hi' ? 'मेन्यू' : 'Menu' })
      .getByRole('link', { name: L.nav, exact: true })
      .click();

    // The list.
    await expect(page.getByRole('heading', { level: 2, name: L.listTitle })).toBeVisible();
    await expect(page.getByRole('table')).toBeVisible();
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/screens/sanction-list-${lang}.png`, fullPage: true });

    // The create form: a renamed PNG and a future date are refused with clear messages.
    await page.getByRole('link', { name: L.create }).click();
    await expect(page.getByRole('heading', { level: 2, name: L.create })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole('textbox', { name: L.orderNo, exact: true }).fill(orderNo);
    await page.getByRole('textbox', { name: L.orderDate, exact: true }).fill('01/01/2099');
    // A 5,000-character paste into the officer's name is cut at 100 with a message, never silently (issue 12.5);
    // the unbroken 100 characters then must wrap in the list's table.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const officerBox = page.getByRole('textbox', { name: L.officer, exact: true });
    await officerBox.focus();
    await page.evaluate(
      (s) => (globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }).navigator.clipboard.writeText(s),
      'M'.repeat(5000),
    );
    await page.keyboard.press('Control+V');
    await expect(officerBox).toHaveValue('M'.repeat(100));
    await expect(page.getByText(L.cut)).toBeVisible();
    await page.screenshot({ path: `test-results/screens/sanction-officer-cut-${lang}.png` });
    await page.getByRole('textbox', { name: L.designation, exact: true }).fill('Deputy Secretary');
    await page.getByRole('textbox', { name: L.remark, exact: true }).fill('e2e');
    // The chooser speaks the page's language, not the browser's "Choose file / No file chosen" (issue 12.4).
    await expect(page.getByRole('button', { name: L.file, exact: true })).toHaveText(lang === 'hi' ? 'PDF फ़ाइल चुनें' : 'Choose a PDF file');
    await chooseFile(page, L.file, { name: 'order.pdf', mimeType: 'application/pdf', buffer: renamedPng() });
    await expect(page.getByRole('button', { name: L.file, exact: true })).toHaveText('order.pdf');
    await page.getByRole('button', { name: L.save, exact: true }).click();
    await expect(page.getByText(L.notPdf)).toBeVisible();
    await expect(page.getByText(L.future)).toBeVisible();
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/screens/sanction-create-errors-${lang}.png`, fullPage: true });

    // The server refuses the renamed PNG too (the client check is only an early message).
    const serverPng = await page.evaluate(async (no) => {
      const csrf = decodeURIComponent(
        (globalThis as unknown as { document: { cookie: string } }).document.cookie.match(/(?:^|; )roams_csrf=([^;]+)/)?.[1] ?? '',
      );
      const fd = new FormData();
      for (const [k, v] of Object.entries({
        orderNo: `${no}-png`,
        orderDate: '2025-07-09',
        issuingOfficerName: 'x',
        issuingOfficerDesignation: 'y',
        remark: '',
        kind: 'original',
      }))
        fd.set(k, v);
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
      fd.set('order', new File([png], 'order.pdf', { type: 'application/pdf' }));
      const res = await fetch('/api/v1/sanction-orders', { method: 'POST', body: fd, headers: { 'x-csrf-token': csrf }, credentials: 'same-origin' });
      return { status: res.status, code: ((await res.json()) as { code?: string }).code };
    }, orderNo);
    expect(serverPng.status).toBe(400);
    expect(serverPng.code).toBe('file_not_pdf');

    // A valid PDF and a past date: saved, and the order page opens.
    await page.getByRole('textbox', { name: L.orderDate, exact: true }).fill('09/07/2025');
    await chooseFile(page, L.file, { name: 'sanction-order.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
    const save = page.getByRole('button', { name: L.save, exact: true });
    await save.dblclick(); // a double click saves one order
    await expect(page.getByRole('heading', { level: 2, name: `${L.heading}: ${orderNo}` })).toBeVisible();
    const orderId = Number(page.url().split('/').pop());
    expect(orderId).toBeGreaterThan(0);
    await expect(page.getByText('09/07/2025')).toBeVisible();
    await expectAccessible(page);

    // "View Order / Letter" opens the PDF in a new tab; the link serves the same PDF.
    const view = page.getByRole('link', { name: L.viewFile });
    await expect(view).toHaveAttribute('target', '_blank');
    const pdf = await page.request.get((await view.getAttribute('href'))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // "Add Post": the directorate lists its offices; numbers that do not add up are refused.
    await page.getByRole('button', { name: L.addPost }).click();
    await expect(page.getByRole('heading', { level: 3, name: L.formTitle })).toBeFocused();
    await pick(page, L.skill, L.skillValue);
    await pick(page, L.post, L.postValue);
    await page.getByRole('textbox', { name: L.total, exact: true }).fill('10');
    await pick(page, L.hod, L.hodValue);
    await page.getByRole('textbox', { name: L.office79, exact: true }).fill('6');
    await page.getByRole('textbox', { name: L.office4881, exact: true }).fill('3');
    await expect(page.getByTestId('sanction-distributed')).toContainText(L.distributed(9, 10));
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/screens/sanction-add-post-${lang}.png`, fullPage: true });
    await page.getByRole('button', { name: L.saveAdd }).click();
    await expect(page.getByRole('alert').filter({ hasText: L.mismatch })).toBeVisible();
    await page.getByRole('textbox', { name: L.office4881, exact: true }).fill('4');
    await expect(page.getByTestId('sanction-distributed')).toContainText(L.distributed(10, 10));
    await page.getByRole('button', { name: L.saveAdd }).click();
    // The form left open for the next post is empty: its "Distributed 0 of 0" is no red error (issue 12.5).
    await expect(page.getByTestId('sanction-distributed')).toHaveAttribute('data-state', 'empty');
    await expect(page.getByTestId('sanction-distributed')).not.toHaveCSS('color', 'rgb(201, 42, 42)');
    const posts = page.getByRole('table', { name: new RegExp(orderNo.replace(/[/]/g, '\\/')) });
    await expect(posts.getByRole('row')).toHaveCount(2);
    const row = posts.getByRole('row').nth(1);
    await expect(row).toContainText(L.hodValue);
    await expect(row).toContainText(L.postValue);
    await expect(row.getByRole('cell').nth(4)).toHaveText('10');
    await expect(row.getByRole('cell').nth(5)).toHaveText(L.no);
    await expect(row.getByRole('button', { name: new RegExp(L.edit) })).toBeVisible();

    // "Lock Now", confirmed in a dialog that says it is permanent.
    await page.getByRole('button', { name: L.lock }).click();
    const dialog = page.getByRole('dialog', { name: L.lockTitle });
    await expect(dialog).toBeVisible();
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/screens/sanction-lock-dialog-${lang}.png`, fullPage: true });
    await dialog.getByRole('button', { name: L.lockConfirm }).dblclick();
    await expect(page.getByRole('status').filter({ hasText: L.lockedDone })).toBeFocused();
    await expect(page.getByTestId('order-locked')).toHaveText(L.yes);
    await expect(row.getByRole('cell').nth(5)).toHaveText(L.yes);

    // Read-only now: no Lock, no Add Post, no Edit — and the API refuses edits with 409.
    await expect(page.getByRole('button', { name: L.lock })).toHaveCount(0);
    await expect(page.getByRole('button', { name: L.addPost })).toHaveCount(0);
    await expect(page.getByRole('button', { name: new RegExp(L.edit) })).toHaveCount(0);
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/screens/sanction-order-locked-${lang}.png`, fullPage: true });
    // The message shown follows a switch of language (issue 12.4): it is kept as a key, not as text.
    const other = lang === 'en' ? 'hi' : 'en';
    await setLanguage(page, other);
    await expect(page.getByRole('status').filter({ hasText: T[other].lockedDone })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: L.lockedDone })).toHaveCount(0);
    await setLanguage(page, lang);
    const order = (await (await page.request.get(`/api/v1/sanction-orders/${orderId}`)).json()) as {
      posts: { id: number; hodId: number; skillLevelId: number; postNameId: number }[];
    };
    const p = order.posts[0]!;
    const putOrder = await apiFromPage(page, 'PUT', `/api/v1/sanction-orders/${orderId}`, {
      orderNo: `${orderNo}-x`,
      orderDate: '2025-07-09',
      issuingOfficerName: 'x',
      issuingOfficerDesignation: 'y',
      remark: '',
      kind: 'original',
    });
    expect(putOrder).toEqual({ status: 409, code: 'sanction_locked' });
    const putPost = await apiFromPage(page, 'PUT', `/api/v1/sanction-orders/${orderId}/posts/${p.id}`, {
      hodId: p.hodId,
      skillLevelId: p.skillLevelId,
      postNameId: p.postNameId,
      total: 1,
      offices: [{ officeId: 79, posts: 1 }],
    });
    expect(putPost).toEqual({ status: 409, code: 'sanction_locked' });
    const del = await apiFromPage(page, 'DELETE', `/api/v1/sanction-orders/${orderId}/posts/${p.id}`);
    expect(del.status).toBe(409);

    // The list shows it once, locked; the capacity view counts its posts.
    await page
      .getByRole('navigation', { name: lang === 'hi' ? 'मेन्यू' : 'Menu' })
      .getByRole('link', { name: L.nav, exact: true })
      .click();
    await page.getByRole('searchbox').fill(orderNo);
    const listRow = page.getByRole('row').filter({ hasText: orderNo });
    await expect(listRow).toHaveCount(1);
    await expect(listRow).toContainText(L.yes);
    await expect(listRow).toContainText('09/07/2025');
    const tableFits = await listRow.evaluate((row) => {
      const table = (row as unknown as { closest(s: string): { getBoundingClientRect(): { right: number } } }).closest('table');
      const main = (row as unknown as { closest(s: string): { getBoundingClientRect(): { right: number } } }).closest('main');
      return table.getBoundingClientRect().right <= main.getBoundingClientRect().right + 1;
    });
    expect(tableFits, 'a 100-character unbroken name wraps inside the table').toBe(true);
    await page.screenshot({ path: `test-results/screens/sanction-list-long-name-${lang}.png`, fullPage: true });

    await page
      .getByRole('navigation', { name: lang === 'hi' ? 'मेन्यू' : 'Menu' })
      .getByRole('link', { name: L.capacityNav, exact: true })
      .click();
    await expect(page.getByRole('heading', { level: 2, name: L.capacityTitle })).toBeVisible();
    await pick(page, L.hod, L.hodValue);
    await expect(page.getByRole('row').filter({ hasText: L.postValue }).first()).toBeVisible();
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/screens/sanction-capacity-${lang}.png`, fullPage: true });
  });
}
