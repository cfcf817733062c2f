import { createHash, randomBytes } from 'node:crypto';
import type { BigIntStats, Stats } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { and, asc, eq, ne, type SQL, sql } from 'drizzle-orm';
import { MAX_ORDER_FILE_BYTES } from '../../../shared/contracts/sanction.ts';
import type { DbOrTx } from '../../db/client.ts';
import { type AccessSource, type Reach, sourceCondition } from '../access/access.ts';
import { fileLimit } from '../../../shared/domain/file-limits.ts';
import { AppError, fileRefusal } from '../errors.ts';
import { storedFiles } from './files.table.ts';

/**
 * Uploaded documents: where the bytes go (a FileStore) and what is accepted (acceptPdfUpload).
 * The database keeps one `stored_files` row per upload; modules keep the row's id.
 */

/** Where file bytes live. Keys are opaque, made by `storageKeyOf`. */
export type FileStore = {
  /**
   * Stores `bytes` under `key`. Returns a version token when this call wrote them, or null when
   * the same content was already there — its modification time is then refreshed, so that the
   * orphan sweep (files.sweep.ts) counts its grace period from this upload, not the first one.
   */
  put: (key: string, bytes: Buffer) => Promise<string | null>;
  get: (key: string) => Promise<Buffer>;
  /** Everything in the store, leftovers included (temporary files of a write that died, objects half swept). */
  list: () => AsyncIterable<StoredObject>;
  /**
   * Deletes an object (or a leftover) unless it was written or touched after `notAfter` — or is
   * not the version `version` when one is given — or `isReferenced()` says a `stored_files` row
   * holds it. Both checks are made again once the object has been moved aside, so an upload of
   * the same content in the meantime keeps it. True when it was deleted.
   */
  remove: (name: string, opts: { notAfter?: Date; version?: string; isReferenced: () => Promise<boolean> }) => Promise<boolean>;
};

/** One object of a store: `name` its path in the store, `key` the storage key it holds (null for a temporary file). */
export type StoredObject = { name: string; key: string | null; sha256: string | null; modifiedAt: Date; sizeBytes: number };

/** Content-addressed key: the same bytes always land in the same place (stored once). */
export function storageKeyOf(sha256: string): string {
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

const KEY = /^sha256\/[0-9a-f]{2}\/([0-9a-f]{64})$/;
/** A temporary file of a write (`<key>.<random>.tmp`) or an object moved aside by a sweep (`<key>.<random>.sweep`). */
const LEFTOVER = /^(sha256\/[0-9a-f]{2}\/[0-9a-f]{64})\.[0-9a-f]{12}\.(tmp|sweep)$/;

/**
 * When a file last changed: the later of its modification time (written, or touched by an upload
 * of the same content) and its status-change time (moved aside by a sweep or put back), so a
 * leftover of a sweep in progress looks fresh to another.
 */
function lastChangeNs(s: BigIntStats): bigint {
  return s.mtimeNs > s.ctimeNs ? s.mtimeNs : s.ctimeNs;
}

/**
 * Local-disk store under `dir` (config FILES_DIR). Writes go to a temporary file and are
 * renamed into place, so a reader never sees half a file. One FILES_DIR belongs to one
 * database: the orphan sweep deletes what that database's `stored_files` does not hold.
 * TODO(S3): an object-store adapter with the same functions (put / get / list / remove) for
 * deployments with several app servers; select it in config next to FILES_DIR.
 */
export function localFileStore(dir: string): FileStore {
  const root = path.resolve(dir);
  const full = (key: string) => {
    if (!KEY.test(key)) throw new Error(`bad storage key ${key}`);
    return path.join(root, key);
  };
  const versionOf = async (file: string) => String((await stat(file, { bigint: true })).mtimeNs);
  return {
    async put(key, bytes) {
      const target = full(key);
      try {
        const s = await stat(target);
        if (s.size === bytes.length) {
          // Same content already stored: touch it. If a sweep moved it aside meanwhile (ENOENT),
          // write it again below.
          const now = new Date();
          await utimes(target, now, now);
          return null;
        }
      } catch {
        /* not there yet, or swept a moment ago */
      }
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, target);
      return versionOf(target);
    },
    async get(key) {
      try {
        return await readFile(full(key));
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') throw new AppError('not_found');
        throw e;
      }
    },
    async *list() {
      const base = path.join(root, 'sha256');
      let prefixes: string[] = [];
      try {
        prefixes = (await readdir(base)).filter((p) => /^[0-9a-f]{2}$/.test(p)).sort();
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return;
        throw e;
      }
      for (const p of prefixes) {
        let names: string[] = [];
        try {
          names = (await readdir(path.join(base, p))).sort();
        } catch {
          continue;
        }
        for (const n of names) {
          const name = `sha256/${p}/${n}`;
          const key = KEY.test(name) ? name : (LEFTOVER.exec(name)?.[1] ?? null);
          if (key === null) continue; // not ours: never touched
          let s: Stats;
          try {
            s = await stat(path.join(root, name));
          } catch {
            continue; // gone meanwhile
          }
          if (!s.isFile()) continue;
          const tmp = name.endsWith('.tmp');
          const modifiedAt = new Date(Math.max(s.mtimeMs, s.ctimeMs));
          yield { name, key: tmp ? null : key, sha256: tmp ? null : key.slice(-64), modifiedAt, sizeBytes: s.size };
        }
      }
    },
    async remove(name, opts) {
      // `moved`: the object was just moved aside by this call, which set its status-change time,
      // so only its modification time (an upload's touch) tells whether it changed.
      const keep = async (file: string, moved = false) => {
        const s = await stat(file, { bigint: true });
        if (opts.version !== undefined && String(s.mtimeNs) !== opts.version) return true;
        return opts.notAfter !== undefined && Number((moved ? s.mtimeNs : lastChangeNs(s)) / 1_000_000n) > opts.notAfter.getTime();
      };
      const leftover = LEFTOVER.exec(name);
      if (leftover) {
        const file = path.join(root, name);
        try {
          if (leftover[2] === 'sweep' && (await opts.isReferenced())) {
            // A sweep that died after moving a held object aside: put it back.
            await link(file, full(leftover[1]!)).catch(() => {});
            await unlink(file).catch(() => {});
            return false;
          }
          if (await keep(file)) return false;
          await unlink(file);
          return true;
        } catch (e) {
          if ((e as { code?: string }).code === 'ENOENT') return false;
          throw e;
        }
      }
      const target = full(name);
      try {
        if (await keep(target)) return false;
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return false;
        throw e;
      }
      // Move it aside (atomic), then look again: an upload of the same content between the first
      // look and the move touched it (kept); one after the move finds nothing and writes it anew.
      const aside = `${target}.${randomBytes(6).toString('hex')}.sweep`;
      try {
        await rename(target, aside);
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return false;
        throw e;
      }
      if ((await keep(aside, true)) || (await opts.isReferenced())) {
        // Put back without replacing a copy written meanwhile (link refuses an existing name).
        await link(aside, target).catch(() => {});
        await unlink(aside).catch(() => {});
        return false;
      }
      await unlink(aside).catch(() => {});
      return true;
    },
  };
}

/**
 * Runs `work` with a store that remembers which bytes it wrote (not those that were already
 * there). If `work` throws — a transaction that failed after its file was written — those bytes
 * are deleted again unless a committed `stored_files` row holds the same content or another
 * upload touched them since; then the error is rethrown. Best effort: a crash in between leaves
 * them to the orphan sweep (files.sweep.ts).
 */
export async function withFileCleanup<T>(db: DbOrTx, store: FileStore, work: (store: FileStore) => Promise<T>): Promise<T> {
  const written: { key: string; version: string }[] = [];
  const tracking: FileStore = {
    ...store,
    async put(key, bytes) {
      const version = await store.put(key, bytes);
      if (version !== null) written.push({ key, version });
      return version;
    },
  };
  try {
    return await work(tracking);
  } catch (e) {
    for (const w of written) {
      await store.remove(w.key, { version: w.version, isReferenced: () => isStored(db, w.key.slice(-64)) }).catch(() => {}); // the sweep will have another go
    }
    throw e;
  }
}

/** A `stored_files` row holds this content (committed, or written by the caller's transaction). */
export async function isStored(db: DbOrTx, sha256: string): Promise<boolean> {
  const r = await db.execute(sql`select 1 from stored_files where sha256 = ${sha256} limit 1`);
  return r.rows.length > 0;
}

/** What an upload is, once accepted (the bytes are not yet stored). */
export type AcceptedFile = { bytes: Buffer; sha256: string; sizeBytes: number; mime: string; safeName: string };

/** The part shape of @fastify/multipart we need (kept structural: only routes import Fastify). */
export type UploadPart = { filename: string; file: Readable & { truncated?: boolean } };

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/**
 * Characters that change how a name reads without being part of it: the bidirectional marks,
 * embeddings, overrides and isolates (`invoice\u202efdp.exe` shows as `invoiceexe.pdf`), and
 * zero-width characters. Refused in uploads, removed from names already stored.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
const HAS_INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

/** Every stored file is a PDF (acceptPdfUpload is the only way in): the one extension served. */
const STORED_EXTENSION = '.pdf';

/** `name` with its last extension replaced by `ext` (`report.html` → `report.pdf`). */
function withExtension(name: string, ext: string): string {
  const dot = name.lastIndexOf('.');
  const base = (dot > 0 ? name.slice(0, dot) : name).replace(/[.\s]+$/u, '');
  return `${base || 'file'}${ext}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL_SLASH_OR_SURROGATE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029/\\]|\p{Cs}/gu;

/**
 * Checks the name of an uploaded file: no folders (`/`, `\`), no `..`, no NUL or other control
 * characters, no bidirectional overrides or invisible characters, at most 200 characters.
 * Returns the name to keep — with the server's extension for the content (`.pdf`), whatever
 * the client called it — or throws file_name_invalid.
 */
export function safeFileName(name: string, fallback = 'order.pdf', field = 'order', ext = STORED_EXTENSION): string {
  const n = name.normalize('NFC');
  if (n.trim() === '') return fallback;
  const bad = /[/\\]/.test(n) || n.includes('..') || CONTROL.test(n) || HAS_INVISIBLE.test(n) || /\p{Cs}/u.test(n) || n.length > 200;
  if (bad) throw new AppError('file_name_invalid', { errors: [{ field, code: 'file_name_invalid' }] });
  return withExtension(n.trim(), ext);
}

/**
 * Reads an uploaded PDF completely, refusing (never truncating) anything over `maxBytes`, an
 * empty file, content that does not start with `%PDF-` (a renamed PNG is refused whatever its
 * name or declared type) and unsafe file names. Computes the SHA-256 as it reads.
 */
export async function acceptPdfUpload(part: UploadPart, maxBytes = MAX_ORDER_FILE_BYTES, field = 'order'): Promise<AcceptedFile> {
  const safeName = safeFileName(part.filename ?? '', `${field}.pdf`, field);
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) tooLarge = true;
    if (!tooLarge) {
      hash.update(chunk);
      chunks.push(chunk);
    }
  }
  if (tooLarge || part.file.truncated) {
    throw fileRefusal('file_too_large', fileLimit(maxBytes, 'pdf'), field);
  }
  if (size === 0) throw new AppError('file_empty', { errors: [{ field, code: 'file_empty' }] });
  const bytes = Buffer.concat(chunks, size);
  if (bytes.length < PDF_MAGIC.length || !bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    throw new AppError('file_not_pdf', { errors: [{ field, code: 'file_not_pdf' }] });
  }
  return { bytes, sha256: hash.digest('hex'), sizeBytes: size, mime: 'application/pdf', safeName };
}

/** Stores the bytes and records the upload; returns the row and an earlier upload of the same content, if any. */
export async function saveUpload(tx: DbOrTx, store: FileStore, file: AcceptedFile, createdBy: number | null, now: Date) {
  const key = storageKeyOf(file.sha256);
  await store.put(key, file.bytes);
  const [row] = await tx
    .insert(storedFiles)
    .values({ sha256: file.sha256, sizeBytes: file.sizeBytes, mime: file.mime, originalName: file.safeName, storageKey: key, createdBy, createdAt: now })
    .returning();
  const [earlier] = await tx
    .select({ id: storedFiles.id })
    .from(storedFiles)
    .where(and(eq(storedFiles.sha256, file.sha256), ne(storedFiles.id, row!.id)))
    .orderBy(asc(storedFiles.id))
    .limit(1);
  return { file: row!, duplicateOfFileId: earlier?.id ?? null };
}

export async function getStoredFile(db: DbOrTx, id: number) {
  const [row] = await db.select().from(storedFiles).where(eq(storedFiles.id, id)).limit(1);
  return row ?? null;
}

/**
 * `Content-Disposition` for a stored name: an ASCII fallback plus the UTF-8 name (RFC 6266 /
 * 5987). The name served is the server's: control, bidirectional and invisible characters
 * removed (names stored before uploads refused them) and the extension of the content (`.pdf`),
 * never the client's (`.html`, `.exe`).
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string, ext = STORED_EXTENSION): string {
  const clean = withExtension(name.normalize('NFC').replace(INVISIBLE, '').replace(CONTROL_SLASH_OR_SURROGATE, '').trim(), ext);
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}

/**
 * An earlier upload of the same content that the actor may see (issue 11 finding 5): the
 * `x-roams-duplicate-file` header answers only within the caller's scope, so it cannot tell an
 * office admin that a file exists in another department. `holder` is the uploading module's
 * record source (access layer) and how its records hold a file (`holds(f)`: SQL over the
 * source's alias, true when the record holds stored file `f`). Null when there is none in reach.
 */
export async function earlierUploadInReach(
  db: DbOrTx,
  reach: Reach,
  saved: { id: number; sha256: string },
  holder: { source: AccessSource; holds: (fileId: SQL) => SQL },
): Promise<number | null> {
  const r = await db.execute<{ id: number }>(sql`
    select f.id from stored_files f
     where f.sha256 = ${saved.sha256} and f.id <> ${saved.id}
       and exists (select 1 from ${holder.source.from} where ${holder.holds(sql`f.id`)} and ${sourceCondition(reach, holder.source)})
     order by f.id limit 1`);
  return r.rows[0] ? Number(r.rows[0].id) : null;
}
