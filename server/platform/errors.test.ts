import { createServer } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isDbUnavailable } from './errors.ts';

/** Bar M7: the errors node-postgres gives while the database is down are 503s, other errors are not. */
describe('isDbUnavailable', () => {
  it('a refused connection and a connection that dies under a query', async () => {
    // A port nobody listens on: the connection is refused.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const refused = await new pg.Client({ host: '127.0.0.1', port, connectionTimeoutMillis: 2000 }).connect().catch((e: unknown) => e);
    expect(isDbUnavailable(refused)).toBe(true);
    // A "server" that accepts and hangs up at once: what a crashed backend looks like to the client.
    const server = createServer((sock) => sock.destroy()).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const died = await new pg.Client({ host: '127.0.0.1', port: (server.address() as { port: number }).port }).connect().catch((e: unknown) => e);
    server.close();
    expect(isDbUnavailable(died)).toBe(true);
    // Wrapped by Drizzle: the driver's error is the cause.
    expect(isDbUnavailable({ message: 'Failed query: insert …', cause: died })).toBe(true);
    expect(isDbUnavailable({ code: '57P01', message: 'terminating connection due to administrator command' })).toBe(true);
    expect(isDbUnavailable({ code: '57P03', message: 'the database system is starting up' })).toBe(true);
  });

  it("not for errors that are the request's or the code's", () => {
    expect(isDbUnavailable({ code: '23505', message: 'duplicate key value violates unique constraint' })).toBe(false);
    expect(isDbUnavailable({ code: '42P01', message: 'relation "x" does not exist' })).toBe(false);
    expect(isDbUnavailable(new TypeError('Cannot read properties of undefined'))).toBe(false);
    expect(isDbUnavailable(undefined)).toBe(false);
  });
});
