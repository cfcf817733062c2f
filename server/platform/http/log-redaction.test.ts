import { Writable } from 'node:stream';
import cookie from '@fastify/cookie';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { loggableError, registerHttpPlatform } from './http.ts';

/**
 * Bar P3 (issue 11, finding 1): a failed query is logged without its parameters. Drizzle's
 * error carries them in `params` and in its message ("Failed query: … params: …"), and the
 * database's `detail` quotes key values; the log line must hold none of them.
 */
const SECRETS = ['Tr0ub4dor&3-secret', '918273', '123456789012', 'sess-7f3a9c'];

function failedQuery() {
  const cause = Object.assign(new Error('invalid input syntax for type json'), {
    code: '22P02',
    detail: `Token "${SECRETS[0]}" is invalid.`,
    table: 'audit_log',
  });
  return new DrizzleQueryError('insert into "audit_log" ("before", "after") values ($1, $2, $3, $4)', SECRETS, cause);
}

describe('the failed-query log line (bar P3)', () => {
  it('keeps the SQL, the error code and the stack but none of the values', () => {
    const out = JSON.stringify(loggableError(failedQuery()));
    for (const s of SECRETS) expect(out).not.toContain(s);
    expect(out).toContain('insert into \\"audit_log\\"');
    expect(out).toContain('22P02');
    expect(out).toContain('[4 withheld]');
    expect(out).toContain('log-redaction.test.ts');
  });

  it('is what the error handler writes to the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const app = Fastify({ logger: { level: 'info', stream } });
    await app.register(cookie);
    registerHttpPlatform(app, { db: {} as Db, now: () => new Date(), cookieSecure: false });
    app.get('/api/boom', async () => {
      throw failedQuery();
    });
    const res = await app.inject({ method: 'GET', url: '/api/boom' });
    await app.close();
    expect(res.statusCode).toBe(500);
    for (const s of SECRETS) expect(res.body).not.toContain(s);
    const log = lines.join('');
    expect(log).toContain('unhandled error');
    for (const s of SECRETS) expect(log, s).not.toContain(s);
  });
});
