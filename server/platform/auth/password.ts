import { hash, verify } from '@node-rs/argon2';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { passwordLengthProblem } from '../../../shared/domain/validators.ts';
import type { TFieldCode } from '../../../shared/errors.ts';

// argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).
// algorithm 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
// Words that make a password guessable here whatever the list says.
const LOCAL = ['roams', 'password', 'madhyapradesh', 'bhopal', 'welcome', 'qwerty', 'admin'];

/**
 * Passwords that are public: the demo password printed in the README and on the demo console
 * (and its variants with other digits or symbols). Compared on letters only.
 */
const PUBLIC_LETTERS = ['roamsdemo'];

type Graph = Record<string, (string | null)[]>;
const GRAPHS = Object.values(adjacencyGraphs as unknown as Record<string, Graph>);

function adjacent(g: Graph, a: string, b: string): boolean {
  return g[a]?.some((n) => n?.includes(b)) ?? false;
}

/**
 * How many characters of `pw` lie on keyboard walks of three or more neighbouring keys
 * (zxcvbn's spatial matcher, on its QWERTY, QWERTZ, AZERTY, Dvorak and keypad layouts):
 * `qwertyuiopas` has 10 of 12, `1qaz2wsx3edc` all 12.
 */
export function keyboardWalkChars(pw: string): number {
  const chars = [...pw];
  const covered = new Array<boolean>(chars.length).fill(false);
  for (const g of GRAPHS) {
    let start = 0;
    for (let i = 1; i <= chars.length; i++) {
      if (i < chars.length && adjacent(g, chars[i - 1]!, chars[i]!)) continue;
      if (i - start >= 3) for (let k = start; k < i; k++) covered[k] = true;
      start = i;
    }
  }
  return covered.filter(Boolean).length;
}

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
  if (u.length >= 3 && (core === u || (lower.includes(u) && core.length <= u.length + 2))) return 'password_common';
  if (LOCAL.some((w) => core === w || core.replace(/[@]/g, 'a') === w)) return 'password_common';
  const letters = lower.replace(/[^a-z]/g, '');
  if (PUBLIC_LETTERS.some((w) => letters === w)) return 'password_common';
  // Mostly a keyboard walk: at most a quarter of the characters (and at most 3) off the walks.
  const length = [...pw].length;
  if (length - keyboardWalkChars(pw) <= Math.min(3, Math.floor(length / 4))) return 'password_keyboard';
  return null;
}
