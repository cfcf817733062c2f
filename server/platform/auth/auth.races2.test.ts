import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.ts';
import { allSucceed, burst, countOf, spread } from '../../test/races.ts';

/**
 * (races2) The language chosen twenty times at once (a double click on the switch, a retry, two
 * tabs), on PGlite and on PostgreSQL (TEST_DATABASE_URL): every answer 200 with the language
 * cookie, the user's language that one, and one `locale_changed` in the security log — the same
 * language again changes nothing and is no event; switching back is one event more.
 */
let t: TestApp;
let c: Client;
const N = 20;

beforeAll(async () => {
  t = await createTestApp();
  c = await t.login('officeadmin_fin');
}, 240_000);
afterAll(async () => {
  await t?.close();
});

const db = () => t.database.db;
const uid = async () => (await db().execute<{ id: number }>(sql`select id from users where username = 'officeadmin_fin'`)).rows[0]!.id;
const localeOf = async () => (await db().execute<{ locale: string }>(sql`select locale from users where username = 'officeadmin_fin'`)).rows[0]!.locale;
const events = async () => countOf(db(), sql`select count(*)::int as n from security_events where user_id = ${await uid()} and code = 'locale_changed'`);

describe(`${N} identical language changes at once`, () => {
  it('every answer 200 with the cookie; the language changed and logged once; the same again is no event', async () => {
    expect(await localeOf()).toBe('hi');
    const before = await events();
    const set = (locale: string) => () => c.put('/api/v1/auth/locale', { locale });
    const rs = allSucceed(await burst(N, set('en')), 200);
    for (const r of rs) expect(String(r.headers['set-cookie'] ?? '')).toContain('en');
    expect(await localeOf()).toBe('en');
    expect(await events()).toBe(before + 1);

    allSucceed(await spread(N, set('en')), 200);
    expect(await events()).toBe(before + 1);

    allSucceed(await spread(N, set('hi')), 200);
    expect(await localeOf()).toBe('hi');
    expect(await events()).toBe(before + 2);
    const [last] = (
      await db().execute<{ details: { locale: string } }>(
        sql`select details from security_events where user_id = ${await uid()} and code = 'locale_changed' order by id desc limit 1`,
      )
    ).rows;
    expect(last!.details.locale).toBe('hi');
  });
});
