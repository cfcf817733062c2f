import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verhoeffDigit } from '../../shared/domain/aadhaar.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { ekycAdapterFor, EkycError, SANDBOX_RESIDENTS } from '../platform/adapters/ekyc.ts';
import { vaultGet, vaultPut } from '../platform/vault/index.ts';
import { findAadhaarLike, maskForReport, scanDatabaseForAadhaar } from './aadhaar-scan.ts';
import { DEMO_PASSWORD, fakeClock, openTestDatabase } from './harness.ts';

/**
 * Bar P1: the full Aadhaar number exists only in the vault. Boots the app on the seeded test
 * database with every log line captured (at `trace`, with main.ts's redaction), exercises the
 * vault and the e-KYC sandbox, logs in as agency, department and Finance users and reads every
 * GET route the app has (so new modules' lists and detail pages are scanned as they arrive), sends
 * Aadhaar numbers to every write route whose path speaks of resources / e-KYC / Aadhaar, then
 * scans (a) every text and JSON column of every table except the vault and the sandbox
 * provider's own table, (b) every response body, (c) the captured log.
 */
const logLines: string[] = [];
const responses: { what: string; body: string }[] = [];
let database: Database & { drop: () => Promise<void> };
let app: FastifyInstance;
const clock = fakeClock();

function client() {
  const jar: Record<string, string> = {};
  return async (opts: InjectOptions) => {
    const headers: Record<string, string> = {
      ...(opts.headers as Record<string, string>),
      cookie: Object.entries(jar)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    };
    if (jar.roams_csrf && opts.method !== 'GET') headers['x-csrf-token'] = jar.roams_csrf;
    const res = await app.inject({ ...opts, headers });
    for (const c of res.cookies) jar[c.name] = c.value;
    responses.push({ what: `${opts.method} ${opts.url} → ${res.statusCode}`, body: `${JSON.stringify(res.headers)}\n${res.body}` });
    return res;
  };
}

type OpenApi = { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>> };
type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; enum?: unknown[] };

/** A body for a write route: every field named like an Aadhaar gets the number, the rest a plain value. */
function bodyFor(schema: JsonSchema | undefined, aadhaar: string, depth = 0): unknown {
  if (!schema || depth > 4) return {};
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.enum) return schema.enum[0];
  if (type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = /aadhaar|uid/i.test(k) ? aadhaar : bodyFor(v, aadhaar, depth + 1);
    return out;
  }
  if (type === 'array') return [bodyFor(schema.items, aadhaar, depth + 1)];
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return false;
  return 'x';
}

beforeAll(async () => {
  database = await openTestDatabase();
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const logger = { level: 'trace', stream, redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'] };
  app = await buildApp({ database, config: loadConfig({ ROAMS_MODE: 'test', WEB_DIST: '/nonexistent' }), now: clock.now, logger });
  await app.ready();

  // 1. The vault: every sandbox resident stored (as the resources module will), read back once.
  const entries = await database.db.transaction(async (tx) => {
    const out = [];
    for (const r of SANDBOX_RESIDENTS) out.push(await vaultPut(tx, r.aadhaar));
    return out;
  });
  expect(await vaultGet(database.db, entries[0]!.refKey)).toBe(SANDBOX_RESIDENTS[0]!.aadhaar);
  const bad = `${SANDBOX_RESIDENTS[0]!.aadhaar.slice(0, 11)}${(Number(SANDBOX_RESIDENTS[0]!.aadhaar[11]) + 1) % 10}`;
  for (const n of [bad, '1234']) {
    const e = await vaultPut(database.db, n).catch((err: unknown) => err);
    responses.push({ what: `vaultPut refusal`, body: `${(e as Error).message} ${JSON.stringify(e)}` });
  }

  // 2. The e-KYC sandbox: a full OTP e-KYC, and every refusal's message.
  const ekyc = ekycAdapterFor(database.db, { now: clock.now });
  const who = SANDBOX_RESIDENTS.find((r) => r.status === 'active' && r.mobile && !r.serviceDown)!;
  const start = await ekyc.startOtp(who.aadhaar, 'consent-p1');
  const sms = (await database.db.execute<{ body: string }>(sql`select body from sandbox_messages where recipient = ${who.mobile} order by id desc limit 1`))
    .rows[0]!.body;
  const otp = sms.match(/([0-9]{6}) is the OTP/)![1]!;
  const kyc = await ekyc.verifyOtp(start.txnId, who.aadhaar, otp);
  responses.push({ what: 'e-KYC result', body: JSON.stringify({ ...kyc, photo: null }) });
  for (const r of SANDBOX_RESIDENTS.filter((x) => x.status !== 'active' || !x.mobile || x.serviceDown)) {
    const e = await ekyc.startOtp(r.aadhaar, 'consent-p1').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(EkycError);
    responses.push({ what: 'e-KYC refusal', body: `${(e as Error).message} ${JSON.stringify(e)}` });
  }

  // 3. The API: someone types an Aadhaar number as the user id; then agency, department and Finance users read every GET route.
  await client()({ method: 'POST', url: '/api/v1/auth/login', payload: { username: who.aadhaar, password: 'not-the-password-1' } });
  const paths = (app.swagger() as unknown as OpenApi).paths;
  const fill = (p: string) => p.replace(/\{[^}]+\}/g, '1');
  for (const username of ['agency_admin', 'dm_bhopal', 'finance_admin']) {
    const send = client();
    const login = await send({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
    expect(login.statusCode, username).toBe(200);
    for (const [p, ops] of Object.entries(paths)) if (ops.get && p.startsWith('/api/')) await send({ method: 'GET', url: fill(p) });
    // Write routes of the resources module (whatever exists in this build), with the number in every Aadhaar-named field.
    for (const [p, ops] of Object.entries(paths)) {
      if (!/resource|ekyc|e-kyc|aadhaar|kyc/i.test(p)) continue;
      for (const method of ['post', 'put', 'patch'] as const) {
        const op = ops[method];
        if (!op) continue;
        const schema = op.requestBody?.content?.['application/json']?.schema;
        await send({ method: method.toUpperCase() as 'POST', url: fill(p), payload: bodyFor(schema, who.aadhaar) as object });
      }
    }
  }
}, 180_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('bar P1: no full Aadhaar number outside the vault', () => {
  it('P1 every text and JSON column of every table except the vault holds none', async () => {
    expect(await scanDatabaseForAadhaar(database.db)).toEqual([]);
  });

  it('P1 no API response the test produced holds one', () => {
    expect(responses.length).toBeGreaterThan(100);
    const hits = responses.flatMap((r) => findAadhaarLike(r.body).map((f) => `${r.what}: ${maskForReport(f)}`));
    expect(hits).toEqual([]);
  });

  it('P1 the captured application log holds none', () => {
    expect(logLines.length).toBeGreaterThan(100);
    const hits = logLines.flatMap((l) => findAadhaarLike(l).map((f) => `${JSON.parse(l).msg ?? ''}: ${maskForReport(f)}`));
    expect(hits).toEqual([]);
  });
});

describe('the P1 scanner (self-test)', () => {
  const n = SANDBOX_RESIDENTS[0]!.aadhaar;
  const spaced = `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`;

  it('finds a planted number in plain text, JSON, spaced or hyphenated form', () => {
    expect(findAadhaarLike(`name=x aadhaar=${n};`)).toEqual([n]);
    expect(findAadhaarLike(JSON.stringify({ a: n, b: Number(n) }))).toEqual([n, n]);
    expect(findAadhaarLike(`shown as ${spaced}`)).toEqual([spaced]);
    expect(findAadhaarLike(`shown as ${spaced.replaceAll(' ', '-')}`)).toEqual([spaced.replaceAll(' ', '-')]);
  });

  it('ignores the masked form, longer digit runs, a decimal fraction, a first digit 0 or 1 and a wrong check digit', () => {
    const body = `10${n.slice(2, 11)}`;
    for (const text of [
      `XXXX XXXX ${n.slice(8)}`,
      `9${n}`,
      `${n}0`,
      body + verhoeffDigit(body),
      n.slice(0, 11) + String((Number(n[11]) + 1) % 10),
      'mobile 9000000101, OTP 123456',
      `ref 3f0c2a9e-5b1d-4c7e-9a2f-${n}`,
      // A SHA-256 in hex (the audit chain's hash) whose digits happen to form a valid number.
      `hash c0ffee${n}ab${'0f'.repeat(22)}`,
      // The fraction of a decimal number (a log line's response time).
      `{"responseTime":0.${n}}`,
    ])
      expect(findAadhaarLike(text), text).toEqual([]);
  });

  it('finds a number planted in any table, text or JSON, and in the log', async () => {
    await database.db.execute(sql`create table p1_probe (id serial, note text, data jsonb, tags text[])`);
    try {
      await database.db.execute(
        sql`insert into p1_probe (note, data, tags) values (${`aadhaar ${spaced}`}, ${JSON.stringify({ deep: { n } })}::jsonb, array[${`x${n}`}])`,
      );
      const hits = await scanDatabaseForAadhaar(database.db);
      expect(hits.map((h) => h.where.replace(/ row .*/, '')).filter((w) => w.startsWith('p1_probe.'))).toEqual([
        'p1_probe.note',
        'p1_probe.data',
        'p1_probe.tags',
      ]);
      expect(JSON.stringify(hits)).not.toContain(n.slice(2, 10));
    } finally {
      await database.db.execute(sql`drop table p1_probe`);
    }
    const before = logLines.length;
    app.log.info({ aadhaar: n }, 'a careless log line');
    expect(logLines.slice(before).flatMap((l) => findAadhaarLike(l))).toEqual([n]);
  });
});
