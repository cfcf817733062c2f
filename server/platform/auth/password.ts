import { hash, verify } from '@node-rs/argon2';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { passwordLengthProblem } from '../../../shared/domain/validators.ts';
import type { TFieldCode } from '../../../shared/errors.ts';
import { AppError } from '../errors.ts';

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

/**
 * A bounded number of password hashes at a time (issue 11 finding 2): each argon2 call takes
 * ~40 ms of a core and 19 MiB, and 32 clients logging in drove /api/health p50 from 6 ms to
 * 391 ms. At most `limit` run at once; up to `maxQueue` more wait at most `maxWaitMs`; the rest
 * are refused at once with 429 `rate_limited`, so the server stays responsive under a flood.
 * Our choice: 2 at once (the machine has 2 cores), 16 waiting, 2 s of waiting.
 * A `priority` caller (a login from an address the account logged in from before) goes to the
 * head of the queue and is never refused for a full queue: under a 32-client flood the real user
 * waited up to 1.8 s behind the attacker's hashes, close to the 2 s at which it would get 429
 * (bench/login-flood.ts).
 */
export class HashGate {
  private running = 0;
  private readonly waiting: Array<{ priority: boolean; go: () => void; timer: ReturnType<typeof setTimeout> }> = [];
  peak = 0;

  constructor(
    readonly limit: number,
    readonly maxQueue: number,
    readonly maxWaitMs: number,
  ) {}

  async run<T>(work: () => Promise<T>, opts: { priority?: boolean } = {}): Promise<T> {
    await this.acquire(opts.priority ?? false);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(priority: boolean): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      this.peak = Math.max(this.peak, this.running);
      return Promise.resolve();
    }
    if (!priority && this.waiting.length >= this.maxQueue) return Promise.reject(new AppError('rate_limited', { params: { retryAfter: 1 } }));
    return new Promise((resolve, reject) => {
      const entry = {
        priority,
        go: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new AppError('rate_limited', { params: { retryAfter: 1 } }));
        }, this.maxWaitMs),
      };
      if (priority) this.waiting.splice(this.waiting.filter((w) => w.priority).length, 0, entry);
      else this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      this.peak = Math.max(this.peak, this.running);
      next.go(); // the slot passes straight to the next waiter
    } else this.running--;
  }
}

export const hashGate = new HashGate(2, 16, 2000);

export function hashPassword(pw: string): Promise<string> {
  return hashGate.run(() => hash(pw, OPTIONS));
}

/** Counts argon2 verifications (a test reads it to count password checks under a race). */
export const hashStats = { verifications: 0 };

export async function verifyPassword(stored: string, pw: string, opts: { priority?: boolean } = {}): Promise<boolean> {
  return hashGate.run(async () => {
    hashStats.verifications++;
    try {
      return await verify(stored, pw);
    } catch {
      return false;
    }
  }, opts);
}

// Verified against when the user does not exist, so the response time does not tell.
let dummyHash: Promise<string> | null = null;
export function dummyVerify(pw: string): Promise<boolean> {
  dummyHash ??= hash('not-a-real-password-for-timing', OPTIONS);
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
