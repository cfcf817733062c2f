// A worker thread holding one warm Typst compiler (fonts parsed once, layout memoised between
// documents). It receives the invoice data as JSON (prepared by render.ts) and answers with the
// PDF's bytes, so typesetting never holds the server's event loop. Plain JavaScript on purpose:
// a worker needs no TypeScript loader this way.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';

const { workspace, main, fonts } = workerData;
const compiler = NodeCompiler.create({ workspace, fontArgs: [{ fontBlobs: fonts.map((f) => readFileSync(f)) }] });
compiler.addSource(main, readFileSync(main, 'utf8'));
let renders = 0;

parentPort.on('message', ({ id, data }) => {
  try {
    const result = compiler.compile({ mainFilePath: main, inputs: { data } });
    const err = result.takeError();
    if (err || !result.result) {
      const detail = err ? err.shortDiagnostics.map((x) => x?.message ?? String(x)).join('; ') : 'no document';
      parentPort.postMessage({ id, error: detail });
      return;
    }
    const pdf = new Uint8Array(compiler.pdf(result.result));
    // Drop memo entries unused for a while so a long-running server does not grow without bound.
    if (++renders % 200 === 0) compiler.evictCache(30);
    parentPort.postMessage({ id, pdf }, [pdf.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
