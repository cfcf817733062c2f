import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../test/harness.ts';
import { keyboardWalkChars, passwordProblem } from './password.ts';

/** Issue 11, finding 9: keyboard walks and the public demo password are refused as new passwords. */
describe('guessable passwords', () => {
  it.each(['qwertyuiopas', 'QWERTYUIOPAS', '3edc4rfv5tgb', 'zxcvbnm,./as', 'asdfghjkl;qw', '!QAZ@WSX#EDC', 'qwertzuiopü+', '147258369789', 'poiuytrewqlk'])(
    'refuses the keyboard walk %s',
    (pw) => {
      expect(passwordProblem(pw)).toBe('password_keyboard');
    },
  );

  it.each([DEMO_PASSWORD, 'roams@demo2026', 'Roams@Demo2027', 'ROAMS-DEMO-2026!', 'Roams_Demo_123'])('refuses the public demo password %s', (pw) => {
    expect(passwordProblem(pw)).toBe('password_common');
  });

  it.each([
    'mango river lantern quietly',
    'Narmada river 2026 kavita',
    'correct horse battery staple',
    'reset-secret-passphrase',
    'another fine passphrase',
    'Bhimbetka-rock-shelters-1957',
  ])('accepts the passphrase %s', (pw) => {
    expect(passwordProblem(pw)).toBeNull();
  });

  it('counts the characters on walks', () => {
    expect(keyboardWalkChars('qwertyuiopas')).toBe(10);
    expect(keyboardWalkChars('1qaz2wsx3edc')).toBe(12);
    expect(keyboardWalkChars('mango river')).toBeLessThan(4);
  });
});

describe('through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('change-password refuses qwertyuiopas and the demo password with a variant, in both languages', async () => {
    const c = await t.login('auditor_state');
    const walk = await c.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: 'qwertyuiopas' });
    expect(walk.statusCode).toBe(400);
    expect(walk.json().errors[0]).toMatchObject({ field: 'newPassword', code: 'password_keyboard' });
    expect(walk.json().errors[0].message).toMatch(/[\u0900-\u097F]/);
    const demo = await c.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: 'Roams@Demo2027' });
    expect(demo.statusCode).toBe(400);
    expect(demo.json().errors[0]).toMatchObject({ field: 'newPassword', code: 'password_common' });
  });
});
