import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { amountInWordsEn, amountInWordsHi } from '../../../../shared/domain/amount-words.ts';
import { formatPaise } from '../../../../shared/domain/money.ts';
import { loadCatalogs } from '../../../../shared/locales/node.ts';
import type { InvoiceDocument } from '../invoice.document.ts';
import { resourceTableGeometry, totalsRowHeights, totalsValueWidth } from './geometry.ts';
import { qrPixels } from './qr.ts';

/**
 * The bilingual invoice PDF (spec 06 "The invoice document"), typeset by Typst
 * (`@myriaddreamin/typst-ts-node-compiler`; why Typst: README.md beside this file). The layout is
 * `invoice.typ`; this file turns an `InvoiceDocument` into plain data for it — labels in Hindi and
 * English from shared/locales/{hi,en}/invoice.json, money formatted in the Indian system, amount
 * in words, the verification QR code's pixels — and hands it to a worker, which gives it to the
 * template as in-memory files. Nothing user-supplied is ever spliced into Typst source, so no
 * string can be read as markup.
 *
 * Typesetting runs in worker threads (`typst-worker.mjs`), each keeping one warm compiler, so a
 * long invoice never holds the event loop; documents go to the worker with the fewest waiting.
 * A worker that dies fails its waiting documents and is replaced on the next call.
 */

/** Typst's workspace is this folder: the template can read nothing outside it. */
const WORKSPACE = fileURLToPath(new URL('./', import.meta.url));
const MAIN = fileURLToPath(new URL('./invoice.typ', import.meta.url));
/** Noto Sans and Noto Sans Devanagari Regular merged into one font (fonts/merge.py): the only font
 * a document embeds — emphasis is stroked, not bold (invoice.typ `heavy`). */
const FONTS = [fileURLToPath(new URL('./fonts/NotoSansInvoice-Regular.ttf', import.meta.url))];
/** Worker threads: ROAMS_PDF_WORKERS, else one per core up to two. */
const POOL_SIZE = Math.max(1, Number(process.env.ROAMS_PDF_WORKERS) || Math.min(2, availableParallelism()));

type Job = { resolve: (pdf: Uint8Array) => void; reject: (e: Error) => void; invoiceNo: string };
type Slot = { worker: Worker; jobs: Map<number, Job> };
const pool: Slot[] = [];
let nextId = 0;

function startWorker(): Slot {
  const worker = new Worker(new URL('./typst-worker.mjs', import.meta.url), { workerData: { workspace: WORKSPACE, main: MAIN, fonts: FONTS } });
  const slot: Slot = { worker, jobs: new Map() };
  worker.unref();
  worker.on('message', (m: { id: number; pdf?: Uint8Array; error?: string }) => {
    const job = slot.jobs.get(m.id);
    if (!job) return;
    slot.jobs.delete(m.id);
    if (slot.jobs.size === 0) worker.unref();
    if (m.pdf) job.resolve(m.pdf);
    else job.reject(new InvoicePdfError(`invoice PDF layout failed for ${job.invoiceNo}: ${m.error}`));
  });
  const fail = (e: Error) => {
    const i = pool.indexOf(slot);
    if (i >= 0) pool.splice(i, 1);
    for (const job of slot.jobs.values()) job.reject(new InvoicePdfError(`invoice PDF worker stopped: ${e.message}`));
    slot.jobs.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`exit ${code}`)));
  return slot;
}

function leastBusy(): Slot {
  if (pool.length < POOL_SIZE && (pool.length === 0 || pool.every((s) => s.jobs.size > 0))) pool.push(startWorker());
  return pool.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
}

type Pair = { hi: string; en: string };
type PdfCatalog = Record<string, unknown>;
let labels: { hi: PdfCatalog; en: PdfCatalog } | undefined;

function catalogs(): { hi: PdfCatalog; en: PdfCatalog } {
  if (!labels) {
    const c = loadCatalogs();
    const pdf = (lang: 'hi' | 'en') => (c[lang].translation.invoice as { pdf: PdfCatalog }).pdf;
    labels = { hi: pdf('hi'), en: pdf('en') };
  }
  return labels;
}

function pick(cat: PdfCatalog, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], cat);
}

/** A label in both languages, `{{name}}` placeholders filled with the same values. */
function label(key: string, vars: Record<string, string | Pair> = {}): Pair {
  const c = catalogs();
  const fill = (lang: 'hi' | 'en') => {
    const s = pick(c[lang], key);
    if (typeof s !== 'string') throw new Error(`invoice label missing: ${lang} invoice.pdf.${key}`);
    return s.replace(/\{\{(\w+)\}\}/g, (_, v: string) => {
      const x = vars[v];
      return x === undefined ? `{{${v}}}` : typeof x === 'string' ? x : x[lang];
    });
  };
  return { hi: fill('hi'), en: fill('en') };
}

/** 'YYYY-MM-DD' → 'DD-MM-YYYY', the way Indian invoices print a date. */
function showDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

/** 'YYYY-MM' → 'अक्टूबर 2025' / 'October 2025'. */
function showMonth(ym: string): Pair {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  const idx = m ? Number(m[2]) - 1 : -1;
  const c = catalogs();
  const name = (lang: 'hi' | 'en') => (c[lang].months as string[] | undefined)?.[idx];
  if (!m || !name('en')) return { hi: ym, en: ym };
  return { hi: `${name('hi')} ${m[1]}`, en: `${name('en')} ${m[1]}` };
}

/** A rate as a percentage without trailing zeros: (385, 100) → '3.85 %'; (90000, 10000) → '9 %'. */
function showRate(value: number, perPercent: number): string {
  const whole = Math.trunc(value / perPercent);
  const frac = Math.abs(value % perPercent);
  const digits = String(perPercent).length - 1;
  const f = frac ? `.${String(frac).padStart(digits, '0').replace(/0+$/, '')}` : '';
  return `${whole}${f} %`;
}

/**
 * Lets a very long unbroken run (a name typed without spaces, a long reference) wrap inside its
 * box instead of running over the next one: a zero-width space after every 24 characters of a
 * run, never before a combining mark (a matra, nukta, anusvara) nor after a virama or joiner, so no
 * Devanagari cluster or conjunct is split.
 */
function wrap(s: string): string {
  if (!/\S{25,}/.test(s)) return s;
  const chars = [...s];
  let out = '';
  let run = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    out += c;
    run = /\s/.test(c) ? 0 : run + 1;
    const next = chars[i + 1];
    if (run >= 24 && next !== undefined && !/\s/.test(next) && !/\p{M}/u.test(next) && !/[\u094D\u200C\u200D]/.test(c)) {
      out += '\u200B';
      run = 0;
    }
  }
  return out;
}

const money = (p: number) => formatPaise(p, { symbol: false });
const rupees = (p: number) => formatPaise(p);

/** More resource and arrear lines than this never fit on one page: such a document is laid out
 * with page numbers from the start (typst-worker.mjs lays any other out again if it overflows). */
const ONE_PAGE_MAX_LINES = 15;

/** What the worker needs: the data `invoice.typ` lays out, the QR code's pixels, and whether to
 * start with page numbers. */
export type InvoiceLayout = { data: Record<string, unknown>; qr: Uint8Array<ArrayBuffer>; paged: boolean };

/** The plain data `invoice.typ` lays out, and the QR code. Exported for the bench. */
export function invoiceLayout(doc: InvoiceDocument): InvoiceLayout {
  const t = doc.totals;
  const cancelled = doc.status === 'cancelled';
  const month = showMonth(doc.month);
  const totals: { label: Pair; value: string; strong: boolean }[] = [
    { label: label('subtotal'), value: rupees(t.subtotalPaise), strong: false },
    { label: label('serviceCharge', { rate: showRate(t.serviceChargeBp, 100) }), value: rupees(t.serviceChargePaise), strong: false },
  ];
  if (t.reimbursedPaise !== 0) totals.push({ label: label('reimbursed'), value: rupees(t.reimbursedPaise), strong: false });
  totals.push({ label: label('taxable'), value: rupees(t.taxablePaise), strong: true });
  // A head's name may already carry its rate (the seed's "CGST 9%"): the rate is then not repeated.
  const withRate = (name: string, ratePpm: number) => (name.includes('%') ? name : `${name} @ ${showRate(ratePpm, 10_000)}`);
  for (const x of t.taxLines)
    totals.push({
      label: { hi: withRate(x.nameHi, x.ratePpm), en: withRate(x.nameEn, x.ratePpm) },
      value: rupees(x.amountPaise),
      strong: false,
    });
  totals.push({ label: label('roundOff'), value: rupees(t.roundOffPaise), strong: false });
  totals.push({ label: label('total'), value: rupees(t.totalPaise), strong: true });

  const keys = [
    'title',
    'cancelled',
    'supplier',
    'gstin',
    'pan',
    'billTo',
    'department',
    'office',
    'ddoCode',
    'resources',
    'arrears',
    'inWords',
    'verify',
    'contentHash',
    'page',
  ];
  const cols = ['sn', 'name', 'aadhaar', 'post', 'paidDays', 'wage', 'epf', 'esic', 'bonus', 'total'].map((k) => label(`col.${k}`));
  const lines = doc.lines.map((r, i) => ({
    sn: String(i + 1),
    name: wrap(r.name),
    aadhaar: r.maskedAadhaar,
    postHi: wrap(r.postHi),
    postEn: wrap(r.postEn),
    paidDays: `${r.paidDays}/${r.daysInMonth}`,
    figures: [money(r.wagePaise), money(r.epfPaise), money(r.esicPaise), money(r.bonusPaise)],
    total: money(r.totalPaise),
  }));
  const qr = qrPixels(doc.verifyUrl);
  const valueWidth = totalsValueWidth(totals);
  const data = {
    title: `${doc.invoiceNo} — ${doc.agency.name}`,
    cancelled,
    labels: Object.fromEntries(keys.map((k) => [k, label(k)])),
    invoiceNo: doc.invoiceNo,
    contentHash: doc.contentHash,
    verifyUrl: doc.verifyUrl,
    qrSize: qr.size,
    agency: { name: wrap(doc.agency.name), address: wrap(doc.agency.address), gstin: doc.agency.gstin, pan: doc.agency.pan },
    billTo: {
      departmentEn: wrap(doc.billTo.departmentEn),
      departmentHi: wrap(doc.billTo.departmentHi),
      officeEn: wrap(doc.billTo.officeEn),
      officeHi: wrap(doc.billTo.officeHi),
      ddoCode: wrap(doc.billTo.ddoCode),
    },
    meta: [
      { label: label('invoiceNo'), value: doc.invoiceNo },
      { label: label('invoiceDate'), value: showDate(doc.invoiceDate) },
      { label: label('month'), value: `${month.hi} / ${month.en}` },
      { label: label('contractNo'), value: wrap(doc.contractNo) },
      { label: label('gemContractNo'), value: wrap(doc.gemContractNo) },
      { label: label('sacCode'), value: doc.sacCode },
    ],
    creditNote:
      cancelled && doc.creditNote
        ? label('creditNote', { number: doc.creditNote.number, date: showDate(doc.creditNote.date), reason: wrap(doc.creditNote.reason) })
        : null,
    cols,
    lines,
    // Column widths and row heights worked out here, so Typst need not measure each cell (geometry.ts).
    table: resourceTableGeometry(cols, lines),
    arrearCols: ['arrearMonth', 'arrear', 'amount'].map((k) => label(`col.${k}`)),
    arrears: doc.arrears.map((a) => {
      const m = showMonth(a.month);
      return { month: `${m.hi} / ${m.en}`, labelHi: wrap(a.labelHi), labelEn: wrap(a.labelEn), amount: rupees(a.amountPaise) };
    }),
    totals,
    totalsValueWidth: valueWidth,
    totalsRows: totalsRowHeights(totals, valueWidth),
    wordsHi: amountInWordsHi(t.totalPaise),
    wordsEn: amountInWordsEn(t.totalPaise),
  };
  return { data, qr: qr.pixels, paged: doc.lines.length + doc.arrears.length > ONE_PAGE_MAX_LINES };
}

export class InvoicePdfError extends Error {}

/** Typesets the invoice; resolves to the PDF's bytes. */
export async function renderInvoicePdf(doc: InvoiceDocument): Promise<Uint8Array> {
  const { data, qr, paged } = invoiceLayout(doc);
  const slot = leastBusy();
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    slot.jobs.set(id, { resolve, reject, invoiceNo: doc.invoiceNo });
    slot.worker.ref();
    slot.worker.postMessage({ id, data: JSON.stringify(data), qr, paged }, [qr.buffer]);
  });
}

/** Stops the worker threads (tests, graceful shutdown); the next render starts them again. */
export async function closeInvoicePdfWorkers(): Promise<void> {
  await Promise.all(pool.splice(0).map((s) => s.worker.terminate()));
}
