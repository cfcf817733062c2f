import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TRepAccountReport, TRepFigures } from '../../../shared/contracts/pd-rep.ts';
import { formatDateTimeIst } from '../../../shared/domain/dates.ts';
import { formatPaise } from '../../../shared/domain/money.ts';
import { loadCatalogs } from '../../../shared/locales/node.ts';

/**
 * The PD administrator's report by line as a bilingual PDF (Hindi above, English below), typeset
 * by Typst as the invoice is (same library, same Noto Sans + Noto Sans Devanagari fonts — read
 * from the invoice's font folder rather than copied: they are binary and large). Labels come from
 * shared/locales/{hi,en}/pd-rep.json (`pdf`, `col`); nothing user-supplied is spliced into Typst
 * source. One worker thread, started on first use and kept warm; it does not keep the process alive.
 */
const WORKSPACE = fileURLToPath(new URL('./pdf/', import.meta.url));
const MAIN = fileURLToPath(new URL('./pdf/pd-report.typ', import.meta.url));
const FONTS = ['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf', 'NotoSansDevanagari-Regular.ttf', 'NotoSansDevanagari-Bold.ttf'].map((f) =>
  fileURLToPath(new URL(`../invoice/pdf/fonts/${f}`, import.meta.url)),
);

type Job = { resolve: (pdf: Uint8Array) => void; reject: (e: Error) => void };
let worker: Worker | undefined;
const jobs = new Map<number, Job>();
let nextId = 0;

function start(): Worker {
  const w = new Worker(new URL('./pdf/typst-worker.mjs', import.meta.url), { workerData: { workspace: WORKSPACE, main: MAIN, fonts: FONTS } });
  w.unref();
  w.on('message', (m: { id: number; pdf?: Uint8Array; error?: string }) => {
    const job = jobs.get(m.id);
    if (!job) return;
    jobs.delete(m.id);
    if (jobs.size === 0) w.unref();
    if (m.pdf) job.resolve(m.pdf);
    else job.reject(new Error(`PD report PDF layout failed: ${m.error}`));
  });
  const fail = (e: Error) => {
    if (worker === w) worker = undefined;
    for (const j of jobs.values()) j.reject(new Error(`PD report PDF worker stopped: ${e.message}`));
    jobs.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`exit ${code}`)));
  return w;
}

type Pair = { hi: string; en: string };
type Cat = Record<string, unknown>;
let cats: { hi: Cat; en: Cat } | undefined;

function label(key: string, vars: Record<string, string> = {}): Pair {
  if (!cats) {
    const c = loadCatalogs();
    cats = { hi: c.hi.translation['pd-rep'] as Cat, en: c.en.translation['pd-rep'] as Cat };
  }
  const fill = (lang: 'hi' | 'en') => {
    const s = key.split('.').reduce<unknown>((o, k) => (o as Cat | undefined)?.[k], cats![lang]);
    if (typeof s !== 'string') throw new Error(`PD report label missing: ${lang} pd-rep.${key}`);
    return s.replace(/\{\{(\w+)\}\}/g, (_, v: string) => vars[v] ?? `{{${v}}}`);
  };
  return { hi: fill('hi'), en: fill('en') };
}

const showDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const COLS = ['opening', 'deposits', 'reversed', 'echeques', 'lapsed', 'unclaimed', 'closing', 'reserved'] as const;
const figures = (f: TRepFigures) =>
  [f.openingPaise, f.depositsPaise, f.reversedPaise, f.echequesPaise, f.lapsedPaise, f.unclaimedPaise, f.closingPaise, f.reservedPaise].map((p) =>
    formatPaise(p, { symbol: false }),
  );

/** The plain data pd-report.typ lays out. Exported for tests. */
export function reportLayoutData(r: TRepAccountReport, opts: { monthly: boolean; now: Date }): Record<string, unknown> {
  const source = label(`pdf.source.${r.source}`);
  return {
    title: label(opts.monthly ? 'pdf.monthlyTitle' : 'pdf.title'),
    accountNo: r.accountNo,
    generated: `${formatDateTimeIst(opts.now)} IST`,
    labels: { sn: label('pdf.sn'), line: label('pdf.line'), total: label('col.total'), note: label('pdf.note') },
    meta: [
      { label: label('pdf.account'), value: r.accountNo },
      { label: label('pdf.name'), value: `${r.nameHi} / ${r.nameEn}` },
      { label: label('pdf.treasury'), value: `${r.treasuryHi} / ${r.treasuryEn}` },
      { label: label('pdf.sourceLabel'), value: `${source.hi} / ${source.en}` },
      { label: label('pdf.period'), value: `${showDate(r.from)} – ${showDate(r.to)}` },
    ],
    cols: COLS.map((c) => label(`col.${c}`)),
    rows: r.lines.map((l, i) => ({ sn: String(i + 1), head: l.head, purposeHi: l.purposeHi, purposeEn: l.purposeEn, figures: figures(l) })),
    totals: figures(r.totals),
  };
}

/** Typesets the report; resolves to the PDF's bytes. */
export function renderPdReportPdf(r: TRepAccountReport, opts: { monthly: boolean; now: Date }): Promise<Uint8Array> {
  const data = JSON.stringify(reportLayoutData(r, opts));
  worker ??= start();
  const w = worker;
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    jobs.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, data });
  });
}

/** Stops the worker (tests, shutdown); the next render starts it again. */
export async function closePdReportWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}
