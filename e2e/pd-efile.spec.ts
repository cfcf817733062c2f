import { expect, type Page } from '@playwright/test';
import { test } from './fixtures.ts';
import { axeViolations, enterStepUpCode, openAs } from './helpers.ts';

// Issue 18 items 4–5: the Bhopal treasury officer's e-file desk. In English: the passed e-cheques
// awaiting an e-file go into a new e-file (second factor), a bad bank scroll is refused naming
// its row, the good scroll discharges one e-cheque and fails the other, and the banker's cheque
// for the failed one is recorded. In Hindi: the demo's e-file awaiting its scroll is reconciled
// the same way. Axe-clean on every screen.

const T = {
  en: {
    nav: 'E-files and bank scroll',
    generate: /Generate e-file \(\d+ e-cheques\)/,
    generated: /E-file (EF\w+) is generated/,
    open: (no: string) => `Open e-file ${no}`,
    upload: 'Upload scroll',
    refused: 'nothing was saved',
    differs: 'the scroll says',
    imported: (n: number) => `The scroll is imported: ${n} e-cheques discharged, 1 failed.`,
    bc: (id: number) => `Record the banker's cheque for e-cheque ${id}`,
    chequeNo: "Banker's cheque no.",
    bank: 'Issuing bank and branch',
    save: "Record banker's cheque",
    reconciled: 'Reconciled',
  },
  hi: {
    nav: 'ई-फाइल एवं बैंक स्क्रॉल',
    generate: /ई-फाइल जनरेट करें/,
    generated: /ई-फाइल (EF\w+) /,
    open: (no: string) => `ई-फाइल ${no} खोलें`,
    upload: 'स्क्रॉल अपलोड करें',
    refused: 'कुछ सहेजा नहीं गया',
    differs: 'पंक्ति 3',
    imported: (n: number) => `स्क्रॉल आयात हो गया: ${n} ई-चेक डिस्चार्ज, 1 असफल।`,
    bc: (id: number) => `ई-चेक ${id} का बैंकर्स चैक दर्ज करें`,
    chequeNo: 'बैंकर्स चैक क्र.',
    bank: 'जारीकर्ता बैंक एवं शाखा',
    save: 'बैंकर्स चैक दर्ज करें',
    reconciled: 'मिलान पूर्ण',
  },
} as const;

type Efile = { id: number; fileNo: string; status: string; items: { echeque: { id: number; amountPaise: number } }[] };

const HEADER = 'efile_no,echeque_no,amount_paise,status,bank_ref,value_date,reason\n';
const today = () => new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);

async function uploadScroll(page: Page, button: string, text: string) {
  const box = page.getByTestId('scroll-upload');
  await box.locator('input[type="file"]').setInputFiles({ name: 'scroll.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await box.getByRole('button', { name: button }).click();
}

for (const [lang, L] of Object.entries(T) as ['en' | 'hi', (typeof T)['en' | 'hi']][]) {
  test(`e-file → bank scroll (a bad one refused by row) → discharged and failed → banker's cheque (${lang})`, async ({ page }) => {
    test.setTimeout(150_000);
    await openAs(page, 'treasury_bhopal', '/', { lang });
    await page.getByRole('link', { name: L.nav, exact: true }).first().click();
    await expect(page.getByTestId('efiles')).toBeVisible();
    await expect(page.getByTestId('efiles').getByText(L.reconciled).first()).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);

    let efile: Efile;
    if (lang === 'en') {
      // The passed e-cheques awaiting an e-file go into a new one, confirmed with the code sent by SMS.
      await expect(page.getByRole('button', { name: L.generate })).toBeVisible();
      await enterStepUpCode(page, '9876500007');
      await page.getByRole('button', { name: L.generate }).click();
      await expect(page.getByRole('status').first()).toContainText(L.generated);
      const list = (await (await page.request.get('/api/v1/pd/efiles')).json()) as { items: Efile[] };
      efile = (await (await page.request.get(`/api/v1/pd/efiles/${list.items[0]!.id}`)).json()) as Efile;
      expect(efile.status).toBe('awaiting_scroll');
      // The file for the bank downloads as text.
      const file = await page.request.get(`/api/v1/pd/efiles/${efile.id}/file`);
      expect((await file.text()).startsWith(`H,PDEFILE,1,${efile.fileNo},`)).toBe(true);
    } else {
      const list = (await (await page.request.get('/api/v1/pd/efiles')).json()) as { items: Efile[] };
      const waiting = list.items.find((f) => f.status === 'awaiting_scroll')!;
      efile = (await (await page.request.get(`/api/v1/pd/efiles/${waiting.id}`)).json()) as Efile;
      await page.getByRole('button', { name: L.open(efile.fileNo) }).click();
    }
    await expect(page.getByTestId('efile-detail')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);

    // The second e-cheque fails at the bank; every other one in the file is paid.
    const cheques = efile.items.map((i) => i.echeque);
    expect(cheques.length).toBeGreaterThanOrEqual(2);
    const b = cheques[1]!;
    const paid = cheques
      .filter((c) => c.id !== b.id)
      .map((a) => `${efile.fileNo},${a.id},${a.amountPaise},PAID,UTR${a.id}7788990,${today()},\n`)
      .join('');
    const failed = `${efile.fileNo},${b.id},${b.amountPaise},FAILED,,${today()},Beneficiary account closed\n`;
    // A scroll whose second row has the wrong amount: refused whole, the row named, nothing saved.
    const bad = `${efile.fileNo},${b.id},${b.amountPaise + 1},FAILED,,${today()},Beneficiary account closed\n`;
    await uploadScroll(page, L.upload, HEADER + paid + bad);
    const alert = page.getByTestId('scroll-upload').getByRole('alert');
    await expect(alert).toContainText(L.refused);
    await expect(page.getByTestId('scroll-errors')).toContainText(L.differs);
    expect(await axeViolations(page)).toEqual([]);
    expect(((await (await page.request.get(`/api/v1/pd/efiles/${efile.id}`)).json()) as Efile).status).toBe('awaiting_scroll');

    await uploadScroll(page, L.upload, HEADER + paid + failed);
    await expect(page.getByTestId('efile-detail').getByRole('status')).toHaveText(L.imported(cheques.length - 1));

    // The failed e-payment's banker's cheque.
    await page.getByRole('button', { name: L.bc(b.id) }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: L.chequeNo }).fill('604999');
    await dialog.getByRole('textbox', { name: L.bank }).fill('State Bank of India, Bhopal');
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: L.save }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId(`efile-item-${b.id}`)).toContainText('604999');
    await expect(page.getByTestId(`efile-${efile.id}`)).toContainText(L.reconciled);
    expect(await axeViolations(page)).toEqual([]);
  });
}
