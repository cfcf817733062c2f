import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, describe, expect, it } from 'vitest';
import { amountInWordsEn, amountInWordsHi } from '../../../../shared/domain/amount-words.ts';
import { formatPaise } from '../../../../shared/domain/money.ts';
import { findAadhaarLike } from '../../../test/aadhaar-scan.ts';
import { documentHash } from '../invoice.document.ts';
import { SAMPLE_AGENCY_NAME, sampleInvoiceDocument } from './fixture.ts';
import { closeInvoicePdfWorkers, renderInvoicePdf } from './render.ts';

/** Whitespace collapsed and Unicode in NFC, so text wrapped across lines (also after the hyphen
 * of "Thirty-Nine") still matches. */
const norm = (s: string) =>
  s
    .normalize('NFC')
    .replace(/\u200B/g, '')
    .replace(/\s+/g, ' ')
    .replace(/- /g, '-');
/** No whitespace at all: poppler guesses word gaps inside Devanagari words ("कु मारी"). */
const squash = (s: string) => s.normalize('NFC').replace(/[\s\u200B]+/g, '');

/** Text of every page through pdfjs (Latin script; pdfjs ignores the ActualText spans Typst
 * writes for Devanagari clusters, so Hindi comes out scrambled there — see `popplerText`). */
async function pdfjsPages(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: pdf.slice(), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const tc = await (await doc.getPage(i)).getTextContent();
    pages.push(norm(tc.items.map((it) => ('str' in it ? it.str : '')).join(' ')));
  }
  await doc.destroy();
  return pages;
}

/** Poppler's pdftotext honours ActualText, so it reads the Hindi back as written. CI installs
 * poppler-utils (.ci/run); elsewhere the Hindi read-back is skipped when it is absent. */
const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const dir = mkdtempSync(join(tmpdir(), 'invoice-pdf-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeInvoicePdfWorkers();
});
function popplerText(pdf: Uint8Array): string {
  const f = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(f, pdf);
  return squash(execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }));
}

/** The first QR code on page 1, as a phone would read it: the page rasterised by pdfjs
 * (@napi-rs/canvas), decoded by jsQR. */
type ImageDataLike = { data: Uint8ClampedArray; width: number; height: number };
async function qrOnFirstPage(pdf: Uint8Array): Promise<string | undefined> {
  const doc = await getDocument({ data: pdf.slice(), verbosity: 0 }).promise;
  const page = await doc.getPage(1);
  const viewport = page.getViewport({ scale: 2.5 });
  // pdfjs types its canvas factory as Object; in Node it is a NodeCanvasFactory (@napi-rs/canvas).
  const factory = doc.canvasFactory as {
    create(w: number, h: number): { canvas: unknown; context: { getImageData(x: number, y: number, w: number, h: number): ImageDataLike } };
  };
  const { canvas, context } = factory.create(viewport.width, viewport.height);
  await page.render({ canvasContext: context as never, viewport, canvas: canvas as never }).promise;
  const img = context.getImageData(0, 0, viewport.width, viewport.height);
  await doc.destroy();
  return jsQR(img.data, img.width, img.height)?.data;
}

const isPdf = (b: Uint8Array) => Buffer.from(b.subarray(0, 5)).toString('latin1') === '%PDF-';

describe('invoice PDF (spec 06 "The invoice document")', () => {
  it('renders a one-page intra-state invoice with every figure, CGST + SGST and the amount in words', async () => {
    const doc = sampleInvoiceDocument();
    const pdf = await renderInvoicePdf(doc);
    expect(isPdf(pdf)).toBe(true);
    const pages = await pdfjsPages(pdf);
    expect(pages).toHaveLength(1);
    const text = pages[0] as string;
    for (const s of [doc.invoiceNo, doc.agency.gstin, doc.agency.pan, doc.contractNo, doc.gemContractNo, doc.sacCode, doc.billTo.ddoCode])
      expect(text).toContain(s);
    expect(text).toContain('05-11-2025');
    expect(text).toContain(formatPaise(doc.totals.totalPaise));
    expect(text).toContain(amountInWordsEn(doc.totals.totalPaise));
    expect(text).toContain('CGST @ 9 %');
    expect(text).toContain('SGST @ 9 %');
    expect(text).not.toContain('IGST');
    for (const l of doc.lines) {
      expect(text).toContain(l.maskedAadhaar);
      expect(text).toContain(formatPaise(l.totalPaise, { symbol: false }));
    }
    expect(text).toContain(doc.contentHash);
    expect(text).not.toContain('CANCELLED');
    // Bar P1: masked Aadhaar only — nothing in the document reads as a full number.
    expect(findAadhaarLike(text)).toEqual([]);
  });

  it.skipIf(!hasPoppler && !process.env.CI)('prints the Hindi labels, names and amount in words so they read back as written', async () => {
    const doc = sampleInvoiceDocument({ arrears: true });
    const text = popplerText(await renderInvoicePdf(doc));
    expect(text).toContain(squash(amountInWordsHi(doc.totals.totalPaise)));
    expect(text).toContain(squash(amountInWordsEn(doc.totals.totalPaise)));
    for (const s of ['सुनीता कुमारी', 'क्षितिज श्रीवास्तव', 'बहु-कार्य कर्मचारी (श्रमिक)', 'क्षेत्रीय श्रम कार्यालय, इंदौर', 'श्रम विभाग', 'कर बीजक / Tax Invoice'])
      expect(text).toContain(squash(s));
    expect(text).toContain(squash('अक्टूबर 2025 / October 2025'));
    expect(text).toContain(squash('न्यूनतम वेतन संशोधन बकाया'));
    expect(text).toContain(squash('सितंबर 2025 / September 2025'));
  });

  it('carries a QR code that opens the verification URL', async () => {
    const doc = sampleInvoiceDocument();
    expect(await qrOnFirstPage(await renderInvoicePdf(doc))).toBe(doc.verifyUrl);
  });

  it('names the invoice in the PDF title', async () => {
    const doc = { ...sampleInvoiceDocument(), invoiceNo: 'SSC/2025-26/0777' };
    const pdf = await getDocument({ data: (await renderInvoicePdf(doc)).slice(), verbosity: 0 }).promise;
    const { info } = (await pdf.getMetadata()) as { info: { Title?: string } };
    await pdf.destroy();
    expect(info.Title).toBe(`SSC/2025-26/0777 — ${SAMPLE_AGENCY_NAME}`);
  });

  it('uses IGST alone for an inter-state supply', async () => {
    const doc = sampleInvoiceDocument({ interState: true });
    const text = (await pdfjsPages(await renderInvoicePdf(doc))).join(' ');
    expect(text).toContain('IGST @ 18 %');
    expect(text).not.toContain('CGST');
    expect(text).toContain(formatPaise(doc.totals.totalPaise));
    expect(text).toContain(amountInWordsEn(doc.totals.totalPaise));
  });

  it('prints user-supplied text literally, never as Typst markup or code', async () => {
    const doc = sampleInvoiceDocument();
    const hostile = '#panic("boom") $x^2$ *bold* _it_ \\ "q" [b] <lbl> @ref = h // c /* d */ #set text(size: 40pt)';
    doc.lines[1] = { ...(doc.lines[1] as (typeof doc.lines)[number]), name: hostile };
    doc.agency.address = '#{ 1 + 1 } `raw` ~ ---';
    const text = (await pdfjsPages(await renderInvoicePdf(doc))).join(' ');
    expect(text).toContain(norm(SAMPLE_AGENCY_NAME.replace(/ = क्षेत्रीय$/, '')));
    expect(text).toContain(norm(hostile));
    expect(text).toContain('#{ 1 + 1 } `raw` ~ ---');
  });

  it('renders odd but possible content: no resource line, a recovery, a negative total, a 300-character unbroken name', async () => {
    const doc = sampleInvoiceDocument();
    doc.lines = [];
    doc.arrears = [{ month: '2025-09', labelEn: 'Recovery\nof excess\tpaid', labelHi: 'वसूली', amountPaise: -123_456 }];
    doc.agency.name = 'X'.repeat(300);
    doc.totals.totalPaise = -123_400;
    const pdf = await renderInvoicePdf(doc);
    const text = (await pdfjsPages(pdf)).join(' ');
    expect(text.replace(/\s/g, '')).toContain('X'.repeat(300));
    expect(text).toContain('Minus Rupees One Thousand Two Hundred Thirty-Four Only');
    expect(text).toContain('-₹1,234.56');
    if (hasPoppler) expect(popplerText(pdf)).toContain(squash('ऋण एक हज़ार दो सौ चौंतीस रुपये मात्र'));
  });

  it('marks a cancelled invoice CANCELLED / निरस्त with its credit note', async () => {
    const doc = sampleInvoiceDocument({ cancelled: true });
    const pdf = await renderInvoicePdf(doc);
    const text = (await pdfjsPages(pdf)).join(' ');
    expect(text).toContain('CANCELLED');
    expect(text).toContain('Cancelled by credit note CN/2025-26/0003 dated 20-11-2025: Duplicate of SSC/2025-26/0041 #2');
    if (hasPoppler) expect(popplerText(pdf)).toContain(squash('निरस्त / CANCELLED'));
    // The content hash ignores the status: cancelling does not make the invoice look altered.
    expect(documentHash(doc)).toBe(sampleInvoiceDocument().contentHash);
  });

  it('splits 200 resources over several A4 pages, repeating the table header, totals at the end', async () => {
    const doc = sampleInvoiceDocument({ resources: 200 });
    const pages = await pdfjsPages(await renderInvoicePdf(doc));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const [i, p] of pages.entries()) {
      expect(p, `page ${i + 1}`).toContain('Paid days');
      expect(p, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
      // The footer of every page names this invoice and its hash (read from the body's metadata).
      expect(p, `page ${i + 1}`).toContain(doc.invoiceNo);
      expect(p, `page ${i + 1}`).toContain(`Content hash (SHA-256): ${doc.contentHash}`);
    }
    const all = pages.join(' ');
    for (const n of [1, 100, 200]) expect(all).toMatch(new RegExp(`(^| )${n} \\S`));
    const last = pages.at(-1) as string;
    expect(last).toContain(formatPaise(doc.totals.totalPaise));
    expect(last).toContain(amountInWordsEn(doc.totals.totalPaise));
    expect(pages[0]).not.toContain(formatPaise(doc.totals.totalPaise));
  });

  it('numbers the pages of a short invoice that still runs over one page (laid out again with page numbers)', async () => {
    // 14 lines is few enough to be tried as one page ("Page 1 of 1" known beforehand); names long
    // enough to wrap over several lines push it onto a second page.
    const doc = sampleInvoiceDocument({ resources: 14 });
    doc.lines = doc.lines.map((l, i) => ({ ...l, name: `${l.name} ${'Venkata Subrahmanya Lakshmi Narasimha '.repeat(3)}${i}` }));
    const pages = await pdfjsPages(await renderInvoicePdf(doc));
    expect(pages.length).toBeGreaterThan(1);
    for (const [i, p] of pages.entries()) {
      expect(p, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(p, `page ${i + 1}`).toContain(`Content hash (SHA-256): ${doc.contentHash}`);
    }
  });

  it('renders documents concurrently, each with its own content', async () => {
    const docs = [1, 2, 3, 4, 5, 6].map((n) => ({ ...sampleInvoiceDocument({ resources: n }), invoiceNo: `SSC/25-26/${n}` }));
    const texts = await Promise.all(docs.map(async (d) => (await pdfjsPages(await renderInvoicePdf(d))).join(' ')));
    for (const [i, d] of docs.entries()) {
      // Header and footer both carry the document's own number: nothing kept by the warm
      // compiler's memo from an earlier document shows through.
      expect(texts[i]).toContain(`Content hash (SHA-256): ${d.contentHash}`);
      expect(texts[i]?.split(d.invoiceNo).length).toBe(3);
      expect(texts[i]).toContain(formatPaise(d.totals.totalPaise));
    }
  });

  it('stopping the workers leaves no render hanging, and the next render starts them again', async () => {
    const doc = sampleInvoiceDocument();
    const settled = Promise.allSettled([1, 2, 3].map(() => renderInvoicePdf(doc)));
    await new Promise((r) => setTimeout(r, 20));
    await closeInvoicePdfWorkers();
    for (const r of await settled) {
      if (r.status === 'rejected') expect(String(r.reason)).toMatch(/worker stopped/);
      else expect(isPdf(r.value)).toBe(true);
    }
    const pdf = await renderInvoicePdf(doc);
    expect((await pdfjsPages(pdf)).join(' ')).toContain(doc.invoiceNo);
  });
});
