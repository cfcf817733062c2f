import { sql } from 'drizzle-orm';
import { verhoeffValid } from '../../shared/domain/aadhaar.ts';
import type { DbOrTx } from '../db/client.ts';

/**
 * Bar P1's scanner: every Aadhaar-like number in a text — a run of exactly 12 digits (not part
 * of a longer digit run) whose first digit is 2–9 and whose Verhoeff check passes — also when
 * written in groups of four with a space or hyphen between (`2345 6789 0123`), the way people
 * and screens write it. Returns the matches as they appear in the text. UUIDs are skipped first:
 * their last group is 12 hex digits, now and then all decimal and Verhoeff-valid (the vault's
 * reference keys are UUIDs; found so in the resources table). So are hex digests of 32 or more
 * characters (the audit chain's SHA-256 hashes): about one hash in 440 holds a Verhoeff-valid
 * 12-digit run — CI met one in audit_log.hash.
 */
export function findAadhaarLike(raw: string): string[] {
  const text = raw.replace(UUID_RE, '').replace(HEX_DIGEST_RE, '');
  const hits: string[] = [];
  // Not the fraction of a decimal number: a log line's `"responseTime":0.214908012301` has twelve
  // digits after its point, and one in ten such runs passes Verhoeff by chance (a CI run met it).
  for (const m of text.matchAll(/(?<![0-9])(?<![0-9]\.)[2-9][0-9]{11}(?![0-9])/g)) if (verhoeffValid(m[0])) hits.push(m[0]);
  for (const m of text.matchAll(/(?<![0-9])([2-9][0-9]{3})([ -])([0-9]{4})\2([0-9]{4})(?![0-9])/g)) {
    if (verhoeffValid(`${m[1]}${m[3]}${m[4]}`)) hits.push(m[0]);
  }
  return hits;
}

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Tables that may hold a full number: the vault (encrypted) and the sandbox provider's own memory. */
export const AADHAAR_SCAN_EXEMPT = ['aadhaar_vault', 'ekyc_sandbox_txns'] as const;

export type AadhaarHit = { where: string; found: string };

/**
 * Scans every text-like column (text, varchar, char, json, jsonb, arrays of them) of every table
 * in the public schema except `AADHAAR_SCAN_EXEMPT`: the "database dump" part of bar P1. Hits
 * name the table, column and row (ctid) and show the number only by its first and last digits.
 */
export async function scanDatabaseForAadhaar(db: DbOrTx, exempt: readonly string[] = AADHAAR_SCAN_EXEMPT): Promise<AadhaarHit[]> {
  const cols = await db.execute<{ t: string; c: string }>(sql`
    select c.table_name as t, c.column_name as c
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public'
      and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
           or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar', '_bpchar', '_json', '_jsonb')))
    order by c.table_name, c.ordinal_position`);
  const byTable = new Map<string, string[]>();
  for (const { t, c } of cols.rows) if (!exempt.includes(t)) byTable.set(t, [...(byTable.get(t) ?? []), c]);
  const hits: AadhaarHit[] = [];
  const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
  for (const [table, columns] of byTable) {
    // Only rows with twelve digits in a row (or in groups of four) somewhere are fetched; Verhoeff is checked here.
    const concat = columns.map((c) => `coalesce(${ident(c)}::text, '')`).join(` || E'\\n' || `);
    const list = columns.map((c, i) => `${ident(c)}::text as c${i}`).join(', ');
    const rows = await db.execute<Record<string, string | null>>(
      sql.raw(`select ctid::text as ctid, ${list} from ${ident(table)} where (${concat}) ~ '[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}'`),
    );
    for (const r of rows.rows) {
      columns.forEach((c, i) => {
        for (const found of findAadhaarLike(r[`c${i}`] ?? '')) hits.push({ where: `${table}.${c} row ${r.ctid}`, found: maskForReport(found) });
      });
    }
  }
  return hits;
}

/** A hit as a failure message may print it: the first and last two digits only. */
export function maskForReport(found: string): string {
  return `${found.slice(0, 2)}…${found.slice(-2)}`;
}

/** A hex digest (MD5 and longer, e.g. the audit chain's SHA-256): letters a–f around digit runs. */
const HEX_DIGEST_RE = /(?<![0-9a-fA-F])[0-9a-fA-F]{32,}(?![0-9a-fA-F])/g;
