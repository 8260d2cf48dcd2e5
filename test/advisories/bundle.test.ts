import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/common/errors.js';
import { canonicalBytes, readPrivateKeyFile, signEnvelope } from '../../src/common/signing.js';
import { BUNDLE_MAGIC, MANIFEST_TYPE } from '../../src/store/sqlite-advisory-bundle.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { vigil, type CliResult } from '../helpers/cli.js';
import { PKGDB, REPO, makeRoot, tempDir } from '../helpers/fixtures.js';

const FEEDS = path.join(REPO, 'data/feeds');
const ALPINE = path.join(FEEDS, 'alpine/v3.11-main.json');
const KEV_DIR = path.join(FEEDS, 'kev');
const KEV = path.join(KEV_DIR, 'known_exploited_vulnerabilities.json');
const INVALID = ERROR_CODES.INVALID_INPUT.exit;
const CONFLICT = ERROR_CODES.CONFLICT.exit;

const tmp = tempDir('vigil-bundle-');
afterAll(tmp.cleanup);
const at = (...p: string[]) => path.join(tmp.dir, ...p);
/** The database bundles are made from. */
const SOURCE = at('source');
/** The air-gapped side: imported into, and checked to stay as it was on every refusal. */
const TARGET = at('target');
const KEY = at('keys/bundle.key');
const PUB = at('keys/bundle.pub');
const OTHER_PUB = at('other/bundle.pub');
let root: { root: string; cleanup: () => void };
afterAll(() => root?.cleanup());

async function ok(args: string[]): Promise<CliResult> {
  const r = await vigil(args);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const dbOf = (dir: string) => path.join(dir, 'advisories.db');

/** A scan of the fixture root as JSON, with the one timestamp taken out. */
async function scanJson(dir: string): Promise<string> {
  const r = await ok(['scan', '--root', root.root, '--db', dir, '--format', 'json', '--quiet']);
  const doc = JSON.parse(r.stdout) as { scannedAt?: string; findings: unknown[] };
  expect(doc.findings.length).toBeGreaterThan(0);
  delete doc.scannedAt;
  return JSON.stringify(doc, null, 2);
}

/** The parts of a bundle file, to build damaged copies from. */
function parts(file: string): { envelope: { payloadType: string; payload: string; signatures: Array<{ keyid: string; sig: string }> }; payload: Buffer } {
  const b = readFileSync(file);
  expect(b.subarray(0, BUNDLE_MAGIC.length).toString('latin1')).toBe(BUNDLE_MAGIC);
  const nl = b.indexOf(0x0a, BUNDLE_MAGIC.length);
  const len = Number(b.subarray(BUNDLE_MAGIC.length, nl).toString('latin1'));
  return { envelope: JSON.parse(b.subarray(nl + 1, nl + 1 + len).toString('utf8')), payload: b.subarray(nl + 1 + len) };
}

function assemble(envelope: unknown, payload: Buffer): Buffer {
  const e = Buffer.from(JSON.stringify(envelope));
  return Buffer.concat([Buffer.from(`${BUNDLE_MAGIC}${e.length}\n`, 'latin1'), e, payload]);
}

function write(name: string, data: Buffer | string): string {
  const f = at('damaged', name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, data);
  return f;
}

/**
 * `vigil db import --verify` that must be refused: the exit status, one `vigil:` line
 * naming the file and matching `why`, and the target database's bytes unchanged.
 */
async function refused(file: string, code: number, why: RegExp, opts: { pub?: string; dir?: string } = {}): Promise<void> {
  const dir = opts.dir ?? TARGET;
  const before = existsSync(dbOf(dir)) ? sha256(dbOf(dir)) : undefined;
  const r = await vigil(['db', 'import', '--verify', opts.pub ?? PUB, file, '--db', dir]);
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(r.stderr).toMatch(/^vigil: /);
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(why);
  expect(existsSync(dbOf(dir)) ? sha256(dbOf(dir)) : undefined).toBe(before);
}

let older: string;
let newer: string;

beforeAll(async () => {
  await ok(['db', 'import', ALPINE, KEV_DIR, '--db', SOURCE, '--quiet']);
  await ok(['db', 'bundle-key', '-o', at('keys')]);
  await ok(['db', 'bundle-key', '-o', at('other')]);
  root = makeRoot({
    'etc/os-release': 'ID=alpine\nVERSION_ID=3.11.6\nPRETTY_NAME="Alpine Linux v3.11"\n',
    'lib/apk/db/installed': { copy: path.join(PKGDB, 'apk/trivy-apk/installed') },
  });
  older = at('older.bundle');
  newer = at('newer.bundle');
  await ok(['db', 'bundle', '-o', older, '--key', KEY, '--db', SOURCE]);
  await ok(['db', 'bundle', '-o', newer, '--key', KEY, '--db', SOURCE, '--json']);
}, 300_000);

describe('vigil db bundle-key', () => {
  it('writes bundle.key 0600 and bundle.pub 0644, and never overwrites them', async () => {
    expect(statSync(KEY).mode & 0o777).toBe(0o600);
    expect(statSync(PUB).mode & 0o777).toBe(0o644);
    const r = await vigil(['db', 'bundle-key', '-o', at('keys')]);
    expect(r.code).toBe(CONFLICT);
    expect(r.stderr).toMatch(/^vigil: a bundle key already exists in .*; refusing to overwrite it\n$/);
  });
});

describe('vigil db bundle', () => {
  it('writes the magic line, a signed manifest of the feeds and counts, then the gzip payload it describes', () => {
    const { envelope, payload } = parts(newer);
    expect(envelope.payloadType).toBe(MANIFEST_TYPE);
    const m = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    expect(Buffer.from(envelope.payload, 'base64').equals(canonicalBytes(m))).toBe(true);
    expect(m.format).toBe(1);
    expect(m.schema).toBe(5);
    expect(Date.parse(m.expiresAt) - Date.parse(m.createdAt)).toBe(30 * 86400_000);
    expect(m.feeds.map((f: { name: string }) => f.name)).toEqual(['alpine-secdb:v3.11-main.json', 'kev:known_exploited_vulnerabilities.json']);
    expect(m.feeds[1]).toMatchObject({ advisories: 0, kev: 1404, epss: 0, newestModified: '2025-08-25' });
    expect(m.records).toMatchObject({ advisories: 1123, kev: 1404 });
    expect(m.payload).toEqual({ sha256: createHash('sha256').update(payload).digest('hex'), size: payload.length });
    expect(payload.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(true);
  });

  it('replaces a bundle at -o but refuses to overwrite any other file', async () => {
    const other = at('notes.txt');
    writeFileSync(other, 'keep me\n');
    const r = await vigil(['db', 'bundle', '-o', other, '--key', KEY, '--db', SOURCE]);
    expect(r.code).toBe(CONFLICT);
    expect(r.stderr).toBe(`vigil: refusing to overwrite ${other}: it is not a Vigil advisory bundle\n`);
    expect(readFileSync(other, 'utf8')).toBe('keep me\n');
    const again = at('again.bundle');
    await ok(['db', 'bundle', '-o', again, '--key', KEY, '--db', SOURCE]);
    await ok(['db', 'bundle', '-o', again, '--key', KEY, '--db', SOURCE]);
  });
});

describe('vigil db import --verify', () => {
  it('round trip: a bundle imported into an empty data directory scans exactly like the database it was made from', async () => {
    const r = await ok(['db', 'import', '--verify', PUB, older, '--db', TARGET]);
    expect(r.stderr).toMatch(/^vigil: imported bundle .*older\.bundle: 2 feeds, 1123 advisories, created .*, signed by [0-9a-f]{64}\n$/);
    expect(await scanJson(TARGET)).toBe(await scanJson(SOURCE));
    const store = new SqliteAdvisoryStore(dbOf(TARGET), { readonly: true });
    try {
      expect(store.sources().map((s) => [s.name, s.origin, s.location])).toEqual([
        ['alpine-secdb:v3.11-main.json', 'bundle', older],
        ['kev:known_exploited_vulnerabilities.json', 'bundle', older],
      ]);
      // One change recorded, naming every feed with "every CVE": a running server re-matches every host.
      expect(store.changesSince(0)).toMatchObject([{ id: 1, sources: ['alpine-secdb:v3.11-main.json', 'kev:known_exploited_vulnerabilities.json'], packages: [] }]);
      expect(store.changesSince(0)[0]!.cves).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('without --verify, a bundle is refused with what to do', async () => {
    const before = sha256(dbOf(TARGET));
    const r = await vigil(['db', 'import', newer, '--db', TARGET]);
    expect(r.code).toBe(ERROR_CODES.USAGE.exit);
    expect(r.stderr).toBe(`vigil: ${newer} is a signed advisory bundle: import it with vigil db import --verify PUBKEY ${newer}\n`);
    expect(sha256(dbOf(TARGET))).toBe(before);
  });

  it('a changed payload byte: 4', async () => {
    const b = readFileSync(newer);
    b[b.length - 100] = b[b.length - 100]! ^ 0x01;
    await refused(write('payload-byte.bundle', b), INVALID, /payload SHA-256 does not match the signed manifest/);
  });

  it('a changed manifest (not re-signed): 4', async () => {
    const { envelope, payload } = parts(newer);
    const m = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    m.expiresAt = new Date(Date.parse(m.expiresAt) + 365 * 86400_000).toISOString();
    const forged = { ...envelope, payload: canonicalBytes(m).toString('base64') };
    await refused(write('manifest.bundle', assemble(forged, payload)), INVALID, /the signature does not verify/);
  });

  it('a manifest signed with the right key but not of the bundle shape: 4', async () => {
    const { envelope, payload } = parts(newer);
    const m = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    m.note = 'extra';
    const signed = signEnvelope(MANIFEST_TYPE, canonicalBytes(m), readPrivateKeyFile(KEY));
    await refused(write('bad-manifest.bundle', assemble(signed, payload)), INVALID, /bad manifest: unknown field manifest\.note/);
  });

  it('a truncated file: 4, whether cut in the payload or in the header', async () => {
    const b = readFileSync(newer);
    await refused(write('half.bundle', b.subarray(0, b.length >> 1)), INVALID, /truncated: \d+ of \d+ payload bytes/);
    await refused(write('head.bundle', b.subarray(0, 200)), INVALID, /truncated: the signed manifest is cut short/);
    await refused(write('magic.bundle', b.subarray(0, 23)), INVALID, /truncated: the bundle header is cut short/);
  });

  it('bytes appended after the payload: 4', async () => {
    await refused(write('appended.bundle', Buffer.concat([readFileSync(newer), Buffer.from('x')])), INVALID, /1 bytes after the payload/);
  });

  it('signed by another key: 4', async () => {
    await refused(newer, INVALID, /not signed by the given key: signed by [0-9a-f]{64}, not by [0-9a-f]{64}/, { pub: OTHER_PUB });
  });

  it('a file that is not a bundle: 4', async () => {
    await refused(KEV, INVALID, /: not a Vigil advisory bundle$/m);
  });

  it('a refused bundle leaves no database behind in an empty data directory', async () => {
    const b = readFileSync(newer);
    b[b.length - 1] = b[b.length - 1]! ^ 0xff;
    const fresh = at('fresh');
    await refused(write('last-byte.bundle', b), INVALID, /payload SHA-256/, { dir: fresh });
    expect(existsSync(dbOf(fresh))).toBe(false);
  });

  it('expired: 8', async () => {
    const short = at('short.bundle');
    await ok(['db', 'bundle', '-o', short, '--key', KEY, '--db', SOURCE, '--expires', '1s']);
    await new Promise((r) => setTimeout(r, 1500));
    await refused(short, CONFLICT, /: expired at \S+ \(created \S+\); build a new bundle$/m);
  });

  it('rollback: after the newer bundle, the older one (or the same again) is refused: 8', async () => {
    await ok(['db', 'import', '--verify', PUB, newer, '--db', TARGET, '--quiet']);
    await refused(older, CONFLICT, /rollback refused: created \S+, not after the bundle the database holds/);
    await refused(newer, CONFLICT, /rollback refused/);
    const store = new SqliteAdvisoryStore(dbOf(TARGET), { readonly: true });
    try {
      expect(store.sources().every((s) => s.location === newer)).toBe(true);
      expect(store.lastChangeId()).toBe(2);
    } finally {
      store.close();
    }
  });

  it('rollback: a feed older than the one the database holds is refused: 8', async () => {
    // A database whose KEV feed comes from an older catalogue, bundled; the target has the current one.
    const doc = JSON.parse(readFileSync(KEV, 'utf8')) as { vulnerabilities: Array<{ dateAdded: string }> };
    doc.vulnerabilities = doc.vulnerabilities.filter((v) => v.dateAdded < '2025-08-01');
    mkdirSync(at('old-kev'));
    writeFileSync(at('old-kev/known_exploited_vulnerabilities.json'), JSON.stringify(doc));
    await ok(['db', 'import', at('old-kev'), '--db', at('old-source'), '--quiet']);
    const stale = at('stale.bundle');
    await ok(['db', 'bundle', '-o', stale, '--key', KEY, '--db', at('old-source')]);
    const current = at('current');
    await ok(['db', 'import', KEV_DIR, '--db', current, '--quiet']);
    await refused(stale, CONFLICT, /rollback refused: feed kev:known_exploited_vulnerabilities\.json is older \(newest record 2025-07-\d\d\) than the database's \(2025-08-25\)/, { dir: current });
  });
});

/** `vigil server run` on `data` until it listens; `stop` ends it and gives what it wrote on stderr. */
async function startServer(data: string, extra: string[]): Promise<{ stderr: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/vigil.js'), 'server', 'run', '--data-dir', data, '--listen', '127.0.0.1:0', '--api-listen', '127.0.0.1:0', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 120_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/listening on grpc /.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`server exited early: ${stderr}`)));
  });
  return {
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('vigil server run --advisory-bundle-key', () => {
  it('pins the data directory: feed imports are refused, bundles by the key are taken, by another key refused', async () => {
    const data = at('server');
    const pinned = await startServer(data, ['--advisory-bundle-key', PUB]);
    try {
      // Not filled from the bundled snapshot: that is not a verified bundle.
      expect(pinned.stderr()).toMatch(/holds no advisories and takes only bundles signed by [0-9a-f]{64}/);
      expect(pinned.stderr()).not.toMatch(/bundled advisory snapshot/);

      const feed = await vigil(['db', 'import', KEV_DIR, '--db', data]);
      expect(feed.code).toBe(CONFLICT);
      expect(feed.stderr).toMatch(/^vigil: .*advisories\.db takes advisories only from bundles signed by key [0-9a-f]{64} \(vigil server --advisory-bundle-key\); import one with vigil db import --verify PUBKEY BUNDLE\n$/);

      // A bundle by another key that verifies with that key is still refused: the pin decides.
      mkdirSync(at('other-bundles'));
      const foreign = at('other-bundles/foreign.bundle');
      await ok(['db', 'bundle', '-o', foreign, '--key', at('other/bundle.key'), '--db', SOURCE]);
      await refused(foreign, CONFLICT, /the database is pinned to bundle key [0-9a-f]{64} \(vigil server --advisory-bundle-key\), not [0-9a-f]{64}/, { pub: OTHER_PUB, dir: data });

      await ok(['db', 'import', '--verify', PUB, newer, '--db', data, '--quiet']);
    } finally {
      await pinned.stop();
    }
    // Started again without the option, the pin goes and feeds may be imported.
    const unpinned = await startServer(data, []);
    await unpinned.stop();
    expect(unpinned.stderr()).toMatch(/was pinned to advisory bundle key [0-9a-f]{64}; started without --advisory-bundle-key, feed imports are allowed again/);
    await ok(['db', 'import', KEV_DIR, '--db', data, '--quiet']);
  }, 300_000);
});

describe('vigil db import --verify --json', () => {
  it('reports the bundle it imported, verified with a copy of bundle.pub', async () => {
    const copy = at('copied.pub');
    copyFileSync(PUB, copy);
    const r = await vigil(['db', 'import', '--verify', copy, newer, '--db', at('copied-target'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ feeds: 2, records: { advisories: 1123 } });
  });
});
