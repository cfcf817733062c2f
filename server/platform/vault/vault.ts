import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { aadhaarLast4, aadhaarProblem, normaliseAadhaar } from '../../../shared/domain/aadhaar.ts';
import { AppError, fieldError } from '../errors.ts';
import { type VaultKeyring, VaultKeyError, vaultKeyring } from './vault.keys.ts';
import { aadhaarVault } from './vault.table.ts';

/**
 * The Aadhaar Data Vault. `vaultPut` takes a number (validated here again: 12 digits, first 2–9,
 * Verhoeff) and returns a reference key, the last four digits and the lookup hash; `vaultGet`
 * gives the number back, and is meant only for calling the e-KYC provider. No function here puts
 * the number into an error message or a log line.
 */
export type VaultEntry = { refKey: string; last4: string; hash: string };

/** HMAC-SHA256 (hex) of the normalised number under AADHAAR_HMAC_KEY: the lookup / duplicate key. */
export function aadhaarHash(aadhaar: string, keyring: VaultKeyring = vaultKeyring()): string {
  return createHmac('sha256', keyring.hmacKey).update(normaliseAadhaar(aadhaar)).digest('hex');
}

type Sealed = { ciphertext: string; iv: string; authTag: string; keyVersion: number };

function seal(plain: string, refKey: string, keyring: VaultKeyring): Sealed {
  const key = keyring.keys.get(keyring.current)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // The reference key is bound in as additional data: a ciphertext copied to another row does not open.
  cipher.setAAD(Buffer.from(refKey));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), authTag: cipher.getAuthTag().toString('base64'), keyVersion: keyring.current };
}

function open(row: Sealed & { refKey: string }, keyring: VaultKeyring): string {
  const key = keyring.keys.get(row.keyVersion);
  if (!key) throw new VaultKeyError(`vault row ${row.refKey} uses key version ${row.keyVersion}, which AADHAAR_VAULT_KEYS does not list`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(row.iv, 'base64'));
    decipher.setAAD(Buffer.from(row.refKey));
    decipher.setAuthTag(Buffer.from(row.authTag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(row.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new VaultKeyError(`vault row ${row.refKey} does not decrypt with key version ${row.keyVersion} (wrong key or tampered row)`);
  }
}

/**
 * Stores a number (idempotent: the same number gives the same entry, also when two requests
 * store it at the same moment). A malformed number is refused as a field error on `aadhaar`.
 */
export async function vaultPut(tx: DbOrTx, aadhaar: string, keyring: VaultKeyring = vaultKeyring()): Promise<VaultEntry> {
  const number = normaliseAadhaar(aadhaar);
  const problem = aadhaarProblem(number);
  if (problem) throw fieldError('aadhaar', problem);
  const hash = aadhaarHash(number, keyring);
  const found = await vaultFind(tx, hash);
  if (found) return found;
  const refKey = randomUUID();
  const last4 = aadhaarLast4(number);
  const inserted = await tx
    .insert(aadhaarVault)
    .values({ refKey, hash, last4, ...seal(number, refKey, keyring) })
    .onConflictDoNothing({ target: aadhaarVault.hash })
    .returning({ refKey: aadhaarVault.refKey });
  if (inserted.length > 0) return { refKey, last4, hash };
  // Another transaction stored the same number between our look-up and our insert.
  const winner = await vaultFind(tx, hash);
  if (!winner) throw new AppError('conflict');
  return winner;
}

/**
 * Stores many numbers at once (a bulk import): one look-up of the hashes already held, one
 * multi-row insert of the new ones (on conflict nothing), one look-up of any another transaction
 * stored meanwhile. The same as `vaultPut` per number, in three statements instead of two per number.
 * Returns the entries in the order given; a malformed number is refused as `vaultPut` refuses it.
 */
export async function vaultPutMany(tx: DbOrTx, numbers: readonly string[], keyring: VaultKeyring = vaultKeyring()): Promise<VaultEntry[]> {
  const norm = numbers.map(normaliseAadhaar);
  for (const n of norm) {
    const problem = aadhaarProblem(n);
    if (problem) throw fieldError('aadhaar', problem);
  }
  const hashes = norm.map((n) => aadhaarHash(n, keyring));
  const byHash = new Map<string, VaultEntry>();
  // The hashes as one JSON parameter (1,000 bound parameters a statement were the slower part).
  const found = async (hs: string[]) => {
    const r = await tx.execute<VaultEntry>(sql`
      select ref_key as "refKey", last4, hash from aadhaar_vault where hash in (select json_array_elements_text(${JSON.stringify(hs)}::json))`);
    for (const e of r.rows) byHash.set(e.hash, e);
  };
  await found([...new Set(hashes)]);
  const fresh = new Map<string, typeof aadhaarVault.$inferInsert>();
  norm.forEach((n, i) => {
    const hash = hashes[i]!;
    if (byHash.has(hash) || fresh.has(hash)) return;
    const refKey = randomUUID();
    fresh.set(hash, { refKey, hash, last4: aadhaarLast4(n), ...seal(n, refKey, keyring) });
  });
  // One INSERT … SELECT from a JSON recordset: drizzle's multi-row VALUES of 500 took ≈ 1.7 s for 5,000 rows on PGlite.
  const rows = [...fresh.values()];
  if (rows.length > 0) {
    const inserted = await tx.execute<VaultEntry>(sql`
      insert into aadhaar_vault (ref_key, ciphertext, iv, auth_tag, key_version, hash, last4)
      select x."refKey"::uuid, x.ciphertext, x.iv, x."authTag", x."keyVersion", x.hash, x.last4
        from json_to_recordset(${JSON.stringify(rows)}::json) as x("refKey" text, ciphertext text, iv text, "authTag" text, "keyVersion" int, hash text, last4 text)
      on conflict (hash) do nothing
      returning ref_key as "refKey", last4, hash`);
    for (const r of inserted.rows) byHash.set(r.hash, r);
  }
  const missing = hashes.filter((h) => !byHash.has(h));
  if (missing.length) await found([...new Set(missing)]);
  return hashes.map((h) => {
    const e = byHash.get(h);
    if (!e) throw new AppError('conflict');
    return e;
  });
}

/** The entry for a lookup hash (`aadhaarHash`), or null. */
export async function vaultFind(tx: DbOrTx, hash: string): Promise<VaultEntry | null> {
  const [row] = await tx
    .select({ refKey: aadhaarVault.refKey, last4: aadhaarVault.last4, hash: aadhaarVault.hash })
    .from(aadhaarVault)
    .where(eq(aadhaarVault.hash, hash));
  return row ?? null;
}

/** The entry for a reference key without decrypting (last four digits and hash), or null. */
export async function vaultEntry(tx: DbOrTx, refKey: string): Promise<VaultEntry | null> {
  if (!isUuid(refKey)) return null;
  const [row] = await tx
    .select({ refKey: aadhaarVault.refKey, last4: aadhaarVault.last4, hash: aadhaarVault.hash })
    .from(aadhaarVault)
    .where(eq(aadhaarVault.refKey, refKey));
  return row ?? null;
}

/** The full number behind a reference key — only to hand it to the e-KYC provider. Unknown key: not_found. */
export async function vaultGet(tx: DbOrTx, refKey: string, keyring: VaultKeyring = vaultKeyring()): Promise<string> {
  if (!isUuid(refKey)) throw new AppError('not_found');
  const [row] = await tx.select().from(aadhaarVault).where(eq(aadhaarVault.refKey, refKey));
  if (!row) throw new AppError('not_found');
  return open(row, keyring);
}

function isUuid(v: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}

export type ReencryptReport = { reencrypted: number; batches: number; remaining: number; current: number };

/**
 * Moves every row to the newest key version, `batchSize` rows a transaction. Rows are claimed
 * with FOR UPDATE SKIP LOCKED in ref_key order, so the server can keep reading and writing the
 * vault meanwhile (a row a request holds is skipped this pass and counted in `remaining`; run
 * the command again). Re-running is safe: rows already on the newest version are not touched.
 */
export async function vaultReencrypt(
  db: Db,
  opts: { batchSize?: number; keyring?: VaultKeyring; onBatch?: (done: number) => void } = {},
): Promise<ReencryptReport> {
  const keyring = opts.keyring ?? vaultKeyring();
  const batchSize = opts.batchSize ?? 500;
  let after = '00000000-0000-0000-0000-000000000000';
  let reencrypted = 0;
  let batches = 0;
  for (;;) {
    const last = await db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(aadhaarVault)
        .where(and(lt(aadhaarVault.keyVersion, keyring.current), gt(aadhaarVault.refKey, after)))
        .orderBy(asc(aadhaarVault.refKey))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      for (const row of rows) {
        const sealed = seal(open(row, keyring), row.refKey, keyring);
        await tx
          .update(aadhaarVault)
          .set({ ...sealed, reencryptedAt: sql`now()` })
          .where(eq(aadhaarVault.refKey, row.refKey));
      }
      reencrypted += rows.length;
      return rows.at(-1)?.refKey ?? null;
    });
    if (last === null) break;
    batches += 1;
    opts.onBatch?.(reencrypted);
    after = last;
  }
  const [left] = await db.select({ n: sql<number>`count(*)::int` }).from(aadhaarVault).where(lt(aadhaarVault.keyVersion, keyring.current));
  return { reencrypted, batches, remaining: left?.n ?? 0, current: keyring.current };
}
