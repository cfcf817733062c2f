import { describe, expect, it } from 'vitest';
import { allSucceed, type Answer, burst, oneWinner, RATE_LIMITED, spread } from './races.ts';

/**
 * The race kit's checks fail exactly where the race tests' own inlined checks failed: a second
 * winner, a refusal not named, a winner showing another state, a non-JSON answer, a missing replay.
 */
const ok = (body: object = {}, replayed = false): Answer => ({
  statusCode: 200,
  body: JSON.stringify(body),
  headers: replayed ? { 'idempotent-replayed': 'true' } : {},
});
const no = (status: number, code: string): Answer => ({ statusCode: status, body: JSON.stringify({ code }), headers: {} });

describe('oneWinner', () => {
  it('passes one success and named refusals, and returns the success', () => {
    const win = ok({ state: 'done' });
    expect(oneWinner([no(409, 'a'), win, no(429, 'rate_limited')], ['409 a', RATE_LIMITED])).toBe(win);
    expect(oneWinner([no(409, 'a'), win], ['409 a'], { read: (b: { state: string }) => b.state, is: 'done' })).toBe(win);
  });

  it('fails two successes, none, a refusal not named, and a success showing another state', () => {
    expect(() => oneWinner([ok(), ok()], ['409 a'])).toThrow();
    expect(() => oneWinner([no(409, 'a')], ['409 a'])).toThrow();
    expect(() => oneWinner([ok(), no(409, 'b')], ['409 a'])).toThrow();
    expect(() => oneWinner([ok(), no(500, 'a')], ['409 a'])).toThrow();
    expect(() => oneWinner([ok({ state: 'done' }), ok({ state: 'open' })], ['409 a'], { read: (b: { state: string }) => b.state, is: 'done' })).toThrow();
    expect(() => oneWinner([{ statusCode: 201, body: '{}', headers: {} }, no(409, 'a')], ['409 a'])).toThrow();
  });

  it('fails a refusal whose body is no JSON', () => {
    expect(() => oneWinner([ok(), { statusCode: 502, body: '<html>', headers: {} }], ['409 a'])).toThrow();
  });
});

describe('allSucceed', () => {
  it('passes every answer the status; with `replayed`, all but one marked replayed', () => {
    allSucceed([ok(), ok()], 200);
    allSucceed([ok(), ok({}, true), ok({}, true)], 200, { replayed: true });
  });

  it('fails another status, and a replay count other than all but one', () => {
    expect(() => allSucceed([ok(), no(409, 'a')], 200)).toThrow();
    expect(() => allSucceed([ok(), ok()], 200, { replayed: true })).toThrow();
    expect(() => allSucceed([ok({}, true), ok({}, true)], 200, { replayed: true })).toThrow();
  });
});

describe('burst and spread', () => {
  it('call `send` n times and answer in order', async () => {
    let n = 0;
    expect(await burst(3, async () => ++n)).toEqual([1, 2, 3]);
    expect(await spread(3, async () => ++n, 1)).toEqual([4, 5, 6]);
  });
});
