import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { acceptPdfUpload, contentDisposition, localFileStore, safeFileName, storageKeyOf } from './files.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n', 'latin1');

function part(name: string, bytes: Buffer, chunk = 1024, truncated = false) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const file = Readable.from(chunks) as Readable & { truncated?: boolean };
  file.truncated = truncated;
  return { filename: name, file };
}

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : `unexpected: ${String(e)}`;
  }
}

describe('acceptPdfUpload', () => {
  it('accepts a PDF and computes its SHA-256 over every chunk', async () => {
    const bytes = Buffer.concat([PDF, Buffer.alloc(5000, 0x20)]);
    const f = await acceptPdfUpload(part('order.pdf', bytes, 700));
    expect(f.sizeBytes).toBe(bytes.length);
    expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(f.bytes.equals(bytes)).toBe(true);
    expect(f.safeName).toBe('order.pdf');
  });

  it('refuses a renamed PNG, an empty file and text that merely mentions %PDF-', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);
    expect(await codeOf(acceptPdfUpload(part('order.pdf', png)))).toBe('file_not_pdf');
    expect(await codeOf(acceptPdfUpload(part('order.pdf', Buffer.alloc(0))))).toBe('file_empty');
    expect(await codeOf(acceptPdfUpload(part('order.pdf', Buffer.from(' %PDF-1.4'))))).toBe('file_not_pdf');
    expect(await codeOf(acceptPdfUpload(part('order.pdf', Buffer.from('%PD'))))).toBe('file_not_pdf');
  });

  it('refuses over the limit (and a stream the parser truncated), never keeping a prefix', async () => {
    const max = 4096;
    const exact = Buffer.concat([PDF, Buffer.alloc(max - PDF.length, 0x20)]);
    expect((await acceptPdfUpload(part('a.pdf', exact), max)).sizeBytes).toBe(max);
    expect(await codeOf(acceptPdfUpload(part('a.pdf', Buffer.concat([exact, Buffer.from(' ')])), max))).toBe('file_too_large');
    expect(await codeOf(acceptPdfUpload(part('a.pdf', PDF, 1024, true)))).toBe('file_too_large');
  });

  it('refuses unsafe names', async () => {
    for (const n of ['../x.pdf', '..\\x.pdf', 'a/b.pdf', 'a\\b.pdf', 'x\u0000.pdf', 'x\n.pdf', 'x\u007f.pdf', '..', `${'a'.repeat(201)}.pdf`]) {
      expect(await codeOf(acceptPdfUpload(part(n, PDF))), JSON.stringify(n)).toBe('file_name_invalid');
    }
    expect(safeFileName('आदेश 12.pdf')).toBe('आदेश 12.pdf');
    expect(safeFileName('')).toBe('order.pdf');
  });
});

describe('localFileStore', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores by content and reads back the same bytes; same content is stored once', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'roams-files-'));
    const store = localFileStore(dir);
    const sha = createHash('sha256').update(PDF).digest('hex');
    const key = storageKeyOf(sha);
    await store.put(key, PDF);
    await store.put(key, PDF);
    expect((await store.get(key)).equals(PDF)).toBe(true);
    expect(await readdir(path.join(dir, 'sha256', sha.slice(0, 2)))).toEqual([sha]);
    expect(await codeOf(store.get(storageKeyOf('0'.repeat(64))))).toBe('not_found');
    await expect(store.put('../../etc/passwd', PDF)).rejects.toThrow();
  });

  it('builds a safe Content-Disposition for any name', () => {
    expect(contentDisposition('inline', 'order.pdf')).toBe(`inline; filename="order.pdf"; filename*=UTF-8''order.pdf`);
    expect(contentDisposition('inline', 'आदेश "1".pdf')).toMatch(/^inline; filename="[ -~]+"; filename\*=UTF-8''%E0/);
  });
});
