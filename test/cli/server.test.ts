import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { redeemToken } from '../../src/server/tokens.js';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => (tmp = tempDir('vigil-cli-server-')));
afterAll(() => tmp.cleanup());

describe('vigil server init and token create', () => {
  it('server init --json prints the CA fingerprint and the names the certificate covers', async () => {
    const dir = path.join(tmp.dir, 'pki');
    const r = await vigil(['server', 'init', '--dir', dir, '--hostname', 'vigil.example.org', '--hostname', '10.0.0.5', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { dir: string; fingerprint: string; hostnames: string[] };
    const ca = new X509Certificate(readFileSync(path.join(dir, 'ca.crt')));
    expect(out).toEqual({ dir, fingerprint: ca.fingerprint256.replace(/:/g, '').toLowerCase(), hostnames: ['vigil.example.org', '10.0.0.5', 'localhost', '127.0.0.1'] });
    expect(statSync(path.join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
  });

  it('server init refuses, in one line, to overwrite an existing CA', async () => {
    const dir = path.join(tmp.dir, 'pki');
    const r = await vigil(['server', 'init', '--dir', dir]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vigil: a server PKI already exists in ${dir} (ca.key); refusing to overwrite it\n`);
    expect(r.code).toBe(8);
  });

  it('server init defaults to <data dir>/pki and prints the fingerprint as text', async () => {
    const r = await vigil(['server', 'init'], { env: { VIGIL_DATA_DIR: path.join(tmp.dir, 'data') } });
    expect(r.code).toBe(0);
    const ca = new X509Certificate(readFileSync(path.join(tmp.dir, 'data/pki/ca.crt')));
    expect(r.stdout).toBe(`sha256:${ca.fingerprint256.replace(/:/g, '').toLowerCase()}\n`);
  });

  it('token create --json prints a token that redeems the given number of times', async () => {
    const dir = path.join(tmp.dir, 'pki');
    const r = await vigil(['token', 'create', '--dir', dir, '--ttl', '30m', '--uses', '2', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as { token: string; expiresAt: string; uses: number };
    expect(t.uses).toBe(2);
    expect(Date.parse(t.expiresAt) - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(Date.parse(t.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    redeemToken(dir, t.token);
    redeemToken(dir, t.token);
    expect(() => redeemToken(dir, t.token)).toThrow('enrollment token already used');
  });

  it('token create prints only the token without --json', async () => {
    const r = await vigil(['token', 'create', '--dir', path.join(tmp.dir, 'pki')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^vigil_et_[A-Za-z0-9_-]{32}\n$/);
  });

  it('token create rejects a bad lifetime or use count', async () => {
    const bad = await vigil(['token', 'create', '--dir', tmp.dir, '--ttl', 'soon']);
    expect(bad.stderr).toBe('vigil: invalid duration "soon"; use e.g. 30m, 1h, 2d or seconds\n');
    expect(bad.code).toBe(2);
    const uses = await vigil(['token', 'create', '--dir', tmp.dir, '--uses', '0']);
    expect(uses.stderr).toBe('vigil: --uses must be a positive integer (got "0")\n');
    expect(uses.code).toBe(2);
  });
});
