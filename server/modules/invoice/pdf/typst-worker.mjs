// A worker thread holding one warm Typst compiler (fonts parsed once, layout memoised between
// documents). It receives an invoice prepared by render.ts — the data as JSON, the QR code's
// pixels, whether to start with page numbers — and answers with the PDF's bytes, so typesetting
// never holds the server's event loop. Plain JavaScript on purpose: a worker needs no TypeScript
// loader this way.
//
// The data reaches the template as in-memory files (`mapShadow`), not as `sys.inputs`: new inputs
// build a new standard library for every document, and everything memoised that ever looked at
// the library is then evaluated afresh (invoice.typ, the note at the top).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';

const { workspace, main, fonts } = workerData;
const compiler = NodeCompiler.create({ workspace, fontArgs: [{ fontBlobs: fonts.map((f) => readFileSync(f)) }] });
compiler.addSource(main, readFileSync(main, 'utf8'));
const DATA = join(workspace, 'data.json');
const QR = join(workspace, 'qr.raw');
const PAGED = join(workspace, 'paged');
const ONE = Buffer.from('1');
const ZERO = Buffer.from('0');
let renders = 0;

function compile(paged) {
  compiler.mapShadow(PAGED, paged ? ONE : ZERO);
  const result = compiler.compile({ mainFilePath: main });
  const err = result.takeError();
  if (err || !result.result) throw new Error(err ? err.shortDiagnostics.map((x) => x?.message ?? String(x)).join('; ') : 'no document');
  return result.result;
}

parentPort.on('message', ({ id, data, qr, paged }) => {
  try {
    compiler.mapShadow(DATA, Buffer.from(data));
    compiler.mapShadow(QR, Buffer.from(qr.buffer, qr.byteOffset, qr.byteLength));
    // One page is the common case and is laid out in one pass with "Page 1 of 1" in its footer;
    // a document that turns out longer is laid out again with page numbers from Typst.
    let doc = compile(paged);
    if (!paged && doc.numOfPages > 1) doc = compile(true);
    const pdf = new Uint8Array(compiler.pdf(doc));
    // Drop memo entries unused for a while so a long-running server does not grow without bound.
    if (++renders % 200 === 0) compiler.evictCache(30);
    parentPort.postMessage({ id, pdf }, [pdf.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
