// A worker thread holding one warm Typst compiler for the PD report (the same pattern as the
// invoice's typst-worker.mjs): receives the layout data as JSON, answers with the PDF's bytes, so
// typesetting never holds the server's event loop. Plain JavaScript: no TypeScript loader needed.
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
    if (++renders % 200 === 0) compiler.evictCache(30);
    parentPort.postMessage({ id, pdf }, [pdf.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
