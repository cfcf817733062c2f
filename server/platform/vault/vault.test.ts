import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verhoeffDigit } from '../../../shared/domain/aadhaar.ts';
import type { Database } from '../../db/client.ts';
import { openTestDatabase } from '../../test/harness.ts';
import { AppError } from '../errors.ts';
import { DEMO_HMAC_KEY, DEMO_VAULT_KEY, keyringFromEnv, parseVaultKeys, VaultKeyError, vaultKeyProblems } from './vault.keys.ts';
import { aadhaarHash, vaultEntry, vaultFind, vaultGet, vaultPut, vaultReencrypt } from './vault.ts';

/** A synthetic, Verhoeff-valid number from a 7-digit serial (prefix 8765 is arbitrary). */
const synthetic = (n: number) => {
  const body = `8765${String(n).padStart(7, '0')}`;
  return body + verhoeffDigit(body);
};
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const ring = (keys: string, hmac = key(99)) => keyringFromEnv({ AADHAAR_VAULT_KEYS: keys, AADHAAR_HMAC_KEY: hmac });

let database: Database & { drop: () => Promise<void> };
beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
});
afterAll(async () => {
  await database?.drop();
});

async function rowCount(): Promise<number> {
  const r = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from aadhaar_vault`);
  return r.rows[0]!.n;
}
async function clear() {
  await database.db.execute(sql`delete from aadhaar_vault`);
}

describe('the Aadhaar Data Vault', () => {
  it('stores a number encrypted and gives it back by reference key; the row holds no clear digits beyond the last four', async () => {
    const n = synthetic(1);
    const e = await vaultPut(database.db, n);
    expect(e.refKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.last4).toBe(n.slice(8));
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await vaultGet(database.db, e.refKey)).toBe(n);
    const raw = await database.db.execute(sql`select * from aadhaar_vault where ref_key = ${e.refKey}`);
    const text = JSON.stringify(raw.rows);
    expect(text).not.toContain(n);
    expect(text).not.toContain(n.slice(0, 8));
    expect(raw.rows[0]).toMatchObject({ key_version: 1, last4: n.slice(8) });
    expect(Buffer.from(String(raw.rows[0]!.iv), 'base64')).toHaveLength(12);
    expect(Buffer.from(String(raw.rows[0]!.auth_tag), 'base64')).toHaveLength(16);
    expect(await vaultEntry(database.db, e.refKey)).toEqual(e);
    expect(await vaultFind(database.db, aadhaarHash(n))).toEqual(e);
  });

  it('is idempotent by number: spaces or hyphens, again and again, concurrently — one row, one reference key', async () => {
    await clear();
    const n = synthetic(2);
    const typed = [n, `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`, `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`];
    const entries = await Promise.all(Array.from({ length: 8 }, (_, i) => vaultPut(database.db, typed[i % 3]!)));
    expect(new Set(entries.map((e) => e.refKey)).size).toBe(1);
    expect(await rowCount()).toBe(1);
  });

  it('encrypts the same number differently each time it is stored afresh (a fresh nonce)', async () => {
    const n = synthetic(3);
    await vaultPut(database.db, n);
    const first = (await database.db.execute<{ c: string; iv: string }>(sql`select ciphertext as c, iv from aadhaar_vault where last4 = ${n.slice(8)}`))
      .rows[0]!;
    await database.db.execute(sql`delete from aadhaar_vault where last4 = ${n.slice(8)}`);
    await vaultPut(database.db, n);
    const second = (await database.db.execute<{ c: string; iv: string }>(sql`select ciphertext as c, iv from aadhaar_vault where last4 = ${n.slice(8)}`))
      .rows[0]!;
    expect(second.iv).not.toBe(first.iv);
    expect(second.c).not.toBe(first.c);
  });

  it.each([
    ['11 digits', synthetic(4).slice(0, 11), 'aadhaar_format'],
    ['13 digits', `${synthetic(4)}5`, 'aadhaar_format'],
    ['letters', `${synthetic(4).slice(0, 11)}X`, 'aadhaar_format'],
    ['first digit 1', `1${synthetic(4).slice(1, 11)}${verhoeffDigit(`1${synthetic(4).slice(1, 11)}`)}`, 'aadhaar_first_digit'],
    ['a wrong check digit', synthetic(4).slice(0, 11) + String((Number(synthetic(4)[11]) + 1) % 10), 'aadhaar_checksum'],
  ])('refuses %s as a field error on aadhaar, saving nothing and not echoing the number', async (_what, bad, code) => {
    const before = await rowCount();
    const err = await vaultPut(database.db, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).errors).toEqual([{ field: 'aadhaar', code }]);
    expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain(bad.slice(0, 8));
    expect(await rowCount()).toBe(before);
  });

  it('answers not_found for an unknown or malformed reference key', async () => {
    for (const ref of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "'; drop table aadhaar_vault; --"]) {
      const err = await vaultGet(database.db, ref).catch((e: unknown) => e);
      expect((err as AppError).code, ref).toBe('not_found');
    }
  });

  it('keys the lookup hash: another HMAC key gives another hash, the same key the same', () => {
    const n = synthetic(5);
    const a = ring(`1:${key(1)}`, key(50));
    const b = ring(`1:${key(1)}`, key(51));
    expect(aadhaarHash(n, a)).toBe(aadhaarHash(n, a));
    expect(aadhaarHash(n, a)).not.toBe(aadhaarHash(n, b));
    expect(aadhaarHash(`${n.slice(0, 4)} ${n.slice(4)}`, a)).toBe(aadhaarHash(n, a));
  });

  it('refuses a tampered row or a ciphertext moved to another row, without showing the number', async () => {
    await clear();
    const [x, y] = [synthetic(6), synthetic(7)];
    const ex = await vaultPut(database.db, x);
    const ey = await vaultPut(database.db, y);
    // Move x's ciphertext, nonce and tag onto y's row: the reference key is bound in, so it does not open.
    await database.db.execute(
      sql`update aadhaar_vault v set ciphertext = s.ciphertext, iv = s.iv, auth_tag = s.auth_tag from aadhaar_vault s where s.ref_key = ${ex.refKey} and v.ref_key = ${ey.refKey}`,
    );
    const moved = await vaultGet(database.db, ey.refKey).catch((e: unknown) => e);
    expect(moved).toBeInstanceOf(VaultKeyError);
    expect((moved as Error).message).toContain(ey.refKey);
    expect((moved as Error).message).not.toContain(x);
    await database.db.execute(sql`update aadhaar_vault set auth_tag = ${Buffer.alloc(16).toString('base64')} where ref_key = ${ex.refKey}`);
    expect(await vaultGet(database.db, ex.refKey).catch((e: unknown) => e)).toBeInstanceOf(VaultKeyError);
  });

  it('rotates keys: the re-encryption command moves every row to the newest version in batches, every row reads back, a re-run does nothing', async () => {
    await clear();
    const v1 = ring(`1:${key(1)}`);
    const numbers = Array.from({ length: 23 }, (_, i) => synthetic(100 + i));
    const refs = new Map<string, string>();
    for (const n of numbers) refs.set((await vaultPut(database.db, n, v1)).refKey, n);

    const v12 = ring(`1:${key(1)},2:${key(2)}`);
    expect(v12.current).toBe(2);
    // New rows written during the rotation already use the newest version.
    const late = synthetic(200);
    refs.set((await vaultPut(database.db, late, v12)).refKey, late);
    const batches: number[] = [];
    const r = await vaultReencrypt(database.db, { keyring: v12, batchSize: 5, onBatch: (d) => batches.push(d) });
    expect(r).toEqual({ reencrypted: 23, batches: 5, remaining: 0, current: 2 });
    expect(batches).toEqual([5, 10, 15, 20, 23]);
    const versions = await database.db.execute<{ v: number; n: number }>(sql`select key_version as v, count(*)::int as n from aadhaar_vault group by 1`);
    expect(versions.rows).toEqual([{ v: 2, n: 24 }]);

    // Key 1 can now be dropped: key 2 alone reads every row back, key 1 alone reads none.
    const only2 = ring(`2:${key(2)}`);
    for (const [ref, n] of refs) expect(await vaultGet(database.db, ref, only2)).toBe(n);
    const err = await vaultGet(database.db, [...refs.keys()][0]!, ring(`1:${key(1)}`)).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/key version 2, which AADHAAR_VAULT_KEYS does not list/);
    // The lookup hash did not change (same HMAC key), so duplicates are still found.
    expect((await vaultPut(database.db, numbers[0]!, only2)).refKey).toBe([...refs.entries()].find(([, n]) => n === numbers[0])![0]);

    expect(await vaultReencrypt(database.db, { keyring: v12 })).toEqual({ reencrypted: 0, batches: 0, remaining: 0, current: 2 });
  });
});

describe('vault keys from the environment', () => {
  it('demo and test mode without keys: the in-code demo keys, marked demo', () => {
    const k = keyringFromEnv({});
    expect(k.demo).toBe(true);
    expect(k.keys.get(1)!.equals(DEMO_VAULT_KEY)).toBe(true);
    expect(k.hmacKey.equals(DEMO_HMAC_KEY)).toBe(true);
  });
  it('production never falls back to the demo keys, even if config.ts was skipped', () => {
    expect(() => keyringFromEnv({ ROAMS_MODE: 'production' })).toThrow(/AADHAAR_VAULT_KEYS/);
    expect(() => keyringFromEnv({ ROAMS_MODE: 'production', AADHAAR_VAULT_KEYS: `1:${DEMO_VAULT_KEY.toString('base64')}`, AADHAAR_HMAC_KEY: key(3) })).toThrow(
      /demo key/,
    );
    expect(keyringFromEnv({ ROAMS_MODE: 'production', AADHAAR_VAULT_KEYS: `3:${key(1)},7:${key(2)}`, AADHAAR_HMAC_KEY: key(3) })).toMatchObject({
      current: 7,
      demo: false,
    });
  });
  it('refuses half a configuration and malformed lists, naming the entry and never the key', () => {
    expect(() => keyringFromEnv({ AADHAAR_VAULT_KEYS: `1:${key(1)}` })).toThrow(/both/);
    for (const [raw, msg] of [
      ['', /empty/],
      [`x:${key(1)}`, /entry 1 is not version:base64key/],
      [`0:${key(1)}`, /version must be 1 or more/],
      [`1:${key(1)},1:${key(2)}`, /version 1 twice/],
      [`1:${Buffer.alloc(24).toString('base64')}`, /32 bytes \(AES-256\), it is 24/],
    ] as const) {
      let m = '';
      try {
        parseVaultKeys(raw);
      } catch (e) {
        m = (e as Error).message;
      }
      expect(m, raw).toMatch(msg);
      expect(m).not.toContain(key(1));
    }
    expect(vaultKeyProblems({ AADHAAR_VAULT_KEYS: `1:${key(1)}`, AADHAAR_HMAC_KEY: key(2) })).toEqual([]);
  });
});
