import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../test/harness.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';

/** Every text value in every table, for "is this secret anywhere in the database?" scans. */
async function dumpDatabase(t: TestApp): Promise<string> {
  const tables = await t.database.db.execute<{ t: string }>(sql`
    select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const parts: string[] = [];
  for (const { t: name } of tables.rows) {
    const r = await t.database.db.execute<{ x: string }>(sql.raw(`select x::text as x from "${name}" x`));
    for (const row of r.rows) parts.push(row.x);
  }
  return parts.join('\n');
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('A4 passwords', () => {
  it('A4 stores passwords as argon2id with OWASP parameters, never as text', async () => {
    const h = await hashPassword('a long enough passphrase');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 'a long enough passphrase')).toBe(true);
    expect(await verifyPassword(h, 'a long enough passphrasf')).toBe(false);
    // Two hashes of one password differ (random salt).
    expect(await hashPassword('a long enough passphrase')).not.toBe(h);
    const r = await t.database.db.execute<{ password_hash: string }>(sql`select password_hash from users`);
    expect(r.rows.length).toBeGreaterThan(5);
    for (const row of r.rows) expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
  });

  it.each([
    ['short11char', 'password_too_short'],
    ['Ab1!Ab1!Ab1', 'password_too_short'],
    ['x'.repeat(129), 'password_too_long'],
    ['password1234', 'password_common'],
    ['Password@123', 'password_common'],
    ['qwertyuiop123', 'password_common'],
    ['123456789012', 'password_common'],
    ['aaaaaaaaaaaaaaaa', 'password_common'],
    ['iloveyou2026!', 'password_common'],
    ['Roams@2026!!', 'password_common'],
    ['Bhopal@12345', 'password_common'],
    // No composition rules: lower-case words, Devanagari, spaces are all fine.
    ['mango river lantern quietly', null],
    ['नर्मदा नदी के किनारे', null],
    ['tk93-vqz-lmr7', null],
    ['exactly12chr', null],
    ['z'.repeat(30) + 'y'.repeat(34), null],
    ['A'.repeat(60) + 'bcd9'.repeat(17), null],
  ] as const)('A4 policy: %s → %s', (pw, expected) => {
    expect(passwordProblem(pw)).toBe(expected);
  });

  it('A4 refuses a password made of the user id', () => {
    expect(passwordProblem('dm_bhopal2026', 'dm_bhopal')).toBe('password_common');
    expect(passwordProblem('mango river lantern quietly', 'dm_bhopal')).toBeNull();
  });

  it('A4 change-password refuses < 12 characters and a common password, changing nothing', async () => {
    const c = await t.login('officeadmin_fin');
    const before = await t.database.db.execute<{ password_hash: string }>(sql`select password_hash from users where username = 'officeadmin_fin'`);
    const short = await c.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: 'Short1!abcd' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([expect.objectContaining({ field: 'newPassword', code: 'password_too_short' })]);
    const common = await c.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: 'password1234' });
    expect(common.statusCode).toBe(400);
    expect(common.json().errors).toEqual([expect.objectContaining({ field: 'newPassword', code: 'password_common' })]);
    const after = await t.database.db.execute<{ password_hash: string }>(sql`select password_hash from users where username = 'officeadmin_fin'`);
    expect(after.rows[0]!.password_hash).toBe(before.rows[0]!.password_hash);
  });

  it('A4 accepts a 64-character passphrase, logs in with it, and the plain text is nowhere in the database', async () => {
    const c = await t.login('dm_bhopal');
    const base = 'plain-text-probe-7Q9 शहद पहाड़ नदी जंगल and more words';
    const pw = base + '!'.repeat(64 - [...base].length);
    expect([...pw].length).toBe(64);
    const res = await c.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: pw });
    expect(res.statusCode).toBe(200);
    expect((await t.anon.post('/api/v1/auth/login', { username: 'dm_bhopal', password: pw })).statusCode).toBe(200);
    // A wrong guess is recorded somewhere (login_attempts, audit) — but never the guess itself.
    await t.anon.post('/api/v1/auth/login', { username: 'dm_bhopal', password: 'guess-probe-XYZ-4711' });
    const dump = await dumpDatabase(t);
    expect(dump).not.toContain('plain-text-probe');
    expect(dump).not.toContain('शहद पहाड़');
    expect(dump).not.toContain('guess-probe-XYZ');
    expect(dump).not.toContain(DEMO_PASSWORD);
  });
});
