import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKENS_FILE, createToken, parseDuration, redeemToken } from '../../src/server/tokens.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

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

  it('keep every update when vigil token create runs in other processes while tokens are redeemed', () => {
    const spent = Array.from({ length: 20 }, () => createToken(tmp.dir, { ttlSeconds: 3600 }).token);
    const mod = JSON.stringify(path.join(REPO, 'dist/server/tokens.js'));
    const dir = JSON.stringify(tmp.dir);
    const creator = `const { createToken } = await import(${mod}); for (let i = 0; i < 30; i++) createToken(${dir}, { ttlSeconds: 3600 });`;
    const redeemer = `const { redeemToken } = await import(${mod}); for (const t of ${JSON.stringify(spent)}) redeemToken(${dir}, t);`;
    const parent = `
      const { spawn } = require('node:child_process');
      const scripts = [${JSON.stringify(redeemer)}, ${JSON.stringify(creator)}, ${JSON.stringify(creator)}, ${JSON.stringify(creator)}];
      let left = scripts.length;
      for (const s of scripts) spawn(process.execPath, ['--input-type=module', '-e', s], { stdio: 'inherit' }).on('exit', (code) => { if (code) process.exit(code); --left || process.exit(0); });
    `;
    const r = spawnSync(process.execPath, ['-e', parent], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(tmp.dir, TOKENS_FILE), 'utf8')) as { tokens: Array<{ usesLeft: number }> };
    // All 90 new tokens are there, and no redeemed token came back to life.
    expect(doc.tokens.filter((t) => t.usesLeft === 1)).toHaveLength(90);
    for (const t of spent) expect(() => redeemToken(tmp.dir, t)).toThrow(/already used|unknown/);
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
