import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { passwordLengthProblem } from '../../../shared/domain/validators.ts';
import type { TFieldCode } from '../../../shared/errors.ts';

// argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).
// algorithm 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
// Words that make a password guessable here whatever the list says.
const LOCAL = ['roams', 'password', 'madhyapradesh', 'bhopal', 'welcome', 'qwerty', 'admin'];

export function hashPassword(pw: string): Promise<string> {
  return hash(pw, OPTIONS);
}

export async function verifyPassword(stored: string, pw: string): Promise<boolean> {
  try {
    return await verify(stored, pw);
  } catch {
    return false;
  }
}

// Verified against when the user does not exist, so the response time does not tell.
let dummyHash: Promise<string> | null = null;
export function dummyVerify(pw: string): Promise<boolean> {
  dummyHash ??= hashPassword('not-a-real-password-for-timing');
  return dummyHash.then((h) => verifyPassword(h, pw));
}

/**
 * Bar A4: ≥ 12 and ≤ 128 characters, no composition rules, refuse common passwords (the
 * zxcvbn common list of ~49,000, also with trailing digits/symbols stripped) and passwords
 * made of the username or a local word plus digits.
 */
export function passwordProblem(pw: string, username = ''): TFieldCode | null {
  const len = passwordLengthProblem(pw);
  if (len) return len;
  const lower = pw.toLowerCase();
  const core = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (COMMON.has(lower) || COMMON.has(core)) return 'password_common';
  if (/^(.)\1+$/u.test(pw)) return 'password_common';
  if (/^(0123456789|1234567890|abcdefghijkl)/.test(lower)) return 'password_common';
  const u = username.toLowerCase();
  if (u.length >= 3 && (core === u || lower.includes(u) && core.length <= u.length + 2)) return 'password_common';
  if (LOCAL.some((w) => core === w || core.replace(/[@]/g, 'a') === w)) return 'password_common';
  return null;
}
