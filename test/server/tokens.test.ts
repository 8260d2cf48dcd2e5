import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKENS_FILE, createToken, parseDuration, redeemToken } from '../../src/server/tokens.js';
import { tempDir } from '../helpers/fixtures.js';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => (tmp = tempDir('vigil-tokens-')));
afterEach(() => tmp.cleanup());

const T0 = new Date('2030-01-01T00:00:00Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

describe('enrollment tokens', () => {
  it('are at least 128 random bits in base64url, stored only as a SHA-256, mode 0600', () => {
    const { token } = createToken(tmp.dir, { ttlSeconds: 60, now: T0 });
    expect(token).toMatch(/^vigil_et_[A-Za-z0-9_-]{22,}$/);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const file = path.join(tmp.dir, TOKENS_FILE);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(createToken(tmp.dir, { ttlSeconds: 60 }).token).not.toBe(token);
  });

  it('redeem once and then say the token is already used', () => {
    const { token } = createToken(tmp.dir, { ttlSeconds: 60, now: T0 });
    expect(redeemToken(tmp.dir, token, later(1))).toEqual({ usesLeft: 0 });
    expect(() => redeemToken(tmp.dir, token, later(2))).toThrow('enrollment token already used');
  });

  it('redeem exactly `uses` times', () => {
    const { token } = createToken(tmp.dir, { ttlSeconds: 60, uses: 3, now: T0 });
    for (let i = 0; i < 3; i++) redeemToken(tmp.dir, token, later(1));
    expect(() => redeemToken(tmp.dir, token, later(1))).toThrow('enrollment token already used');
  });

  it('never redeem at or after expiry', () => {
    const { token } = createToken(tmp.dir, { ttlSeconds: 60, uses: 5, now: T0 });
    expect(() => redeemToken(tmp.dir, token, later(60))).toThrow('enrollment token expired');
    expect(() => redeemToken(tmp.dir, token, later(59))).not.toThrow();
  });

  it('refuse an unknown token, including one that differs by a character', () => {
    const { token } = createToken(tmp.dir, { ttlSeconds: 60, now: T0 });
    const other = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    expect(() => redeemToken(tmp.dir, other, later(1))).toThrow('unknown enrollment token');
    expect(() => redeemToken(tmp.dir, '', later(1))).toThrow('unknown enrollment token');
    expect(() => redeemToken(path.join(tmp.dir, 'empty'), token, later(1))).toThrow('unknown enrollment token');
  });

  it('let exactly one of two concurrent redemptions of a one-use token succeed', async () => {
    const { token } = createToken(tmp.dir, { ttlSeconds: 60, now: T0 });
    const results = await Promise.allSettled([0, 1].map(() => Promise.resolve().then(() => redeemToken(tmp.dir, token, later(1)))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { message: 'enrollment token already used' } });
  });

  it('keep other tokens when one is spent', () => {
    const a = createToken(tmp.dir, { ttlSeconds: 60, now: T0 });
    const b = createToken(tmp.dir, { ttlSeconds: 60, now: T0 });
    redeemToken(tmp.dir, a.token, later(1));
    expect(redeemToken(tmp.dir, b.token, later(1))).toEqual({ usesLeft: 0 });
  });

  it('parse lifetimes as seconds, minutes, hours or days', () => {
    expect([parseDuration('1h'), parseDuration('30m'), parseDuration('86400'), parseDuration('2d'), parseDuration('45s')]).toEqual([3600, 1800, 86400, 172800, 45]);
    expect(() => parseDuration('1w')).toThrow(/invalid duration/);
    expect(() => parseDuration('0')).toThrow(/positive/);
  });
});
