import { randomBytes } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../db/client.ts';
import { dbFingerprint } from './harness.ts';

/** One file of a multipart body; `type` defaults to application/pdf. */
export type FilePart = { field: string; name: string; bytes: Buffer; type?: string };

/** A multipart/form-data body (fields, then files) for `client.request({ method, url, ...multipart(…) })`. */
export function multipart(fields: Record<string, string>, files: FilePart | FilePart[] = []): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----roams${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`, 'utf8'));
  for (const f of Array.isArray(files) ? files : [files]) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/pdf'}\r\n\r\n`,
        'utf8',
      ),
    );
    chunks.push(f.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

type Problem = { code?: string; title?: string; errors?: { field: string; code: string; message?: string }[] };
type Answer = { statusCode: number; body: string; json: () => Problem };

/**
 * Checks on the test file's database (`database` is read when a check runs, so it may be set in
 * beforeAll):
 *  - `refused(fn, status, code, field?)` runs a request that must be refused with that status and
 *    problem code (and an error on `field`), and checks that nothing in the database changed;
 *  - `dbRefusal(sql)` runs a raw statement in a transaction (the connection stays usable) and
 *    returns the database's refusal message, or '' when the statement was accepted.
 */
export function checksOn(database: () => Database) {
  async function refused<R extends Answer>(fn: () => Promise<R>, status: number, code: string, field?: string): Promise<R> {
    const before = await dbFingerprint(database());
    const res = await fn();
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
    if (field) expect(res.json().errors?.map((e) => e.field)).toContain(field);
    expect(await dbFingerprint(database())).toBe(before);
    return res;
  }
  async function dbRefusal(q: SQL): Promise<string> {
    try {
      await database().db.transaction((tx) => tx.execute(q));
      return '';
    } catch (e) {
      return `${(e as Error).message} ${(e as { cause?: Error }).cause?.message ?? ''}`;
    }
  }
  return { refused, dbRefusal };
}
