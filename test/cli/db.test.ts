import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, PKGDB, tempDir } from '../helpers/fixtures.js';
import { vigil } from '../helpers/cli.js';

const FEEDS = path.join(REPO, 'data/feeds');
const KEV = path.join(FEEDS, 'kev/known_exploited_vulnerabilities.json');
const DEBIAN12 = path.join(FEEDS, 'debian12-archive/debian12.osv.json.gz');
const EPSS = path.join(FEEDS, 'epss/epss_scores.csv.gz');
const LOCKFILE = path.join(PKGDB, 'npm/real-npm-v2/package-lock.json');

interface Status {
  database: string;
  sources: Array<{ name: string; files: string[]; importedAt: string; advisories: number; kev: number; epss: number }>;
}

let tmp: { dir: string; cleanup: () => void };
let db: string;
/** `db status --json` of the database as first imported: every failed import must leave it so. */
let before: string;

function corrupt(name: string, data: Buffer | string): string {
  const f = path.join(tmp.dir, 'corrupt', name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, data);
  return f;
}

function half(file: string): Buffer {
  const b = readFileSync(file);
  return b.subarray(0, b.length >> 1);
}

async function status(): Promise<string> {
  const r = await vigil(['db', 'status', '--json', '--db', db]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** The database is intact and usable: same feeds, counts and import times, and a scan runs against it. */
async function expectUnchanged(): Promise<void> {
  expect(await status()).toBe(before);
  const scan = await vigil(['scan', LOCKFILE, '--db', db, '--format', 'json', '--quiet']);
  expect(scan.code).toBe(0);
  const doc = JSON.parse(scan.stdout) as { findings: unknown[] };
  expect(Array.isArray(doc.findings)).toBe(true);
}

beforeAll(async () => {
  tmp = tempDir('vigil-db-');
  db = path.join(tmp.dir, 'db');
  const r = await vigil(['db', 'import', path.join(FEEDS, 'kev'), path.join(FEEDS, 'debian12-archive'), '--db', db]);
  expect(r.stderr).toBe('vigil: imported 9972 advisories from 2 feeds, 2 unrecognised files ignored\n');
  expect(r.code).toBe(0);
  before = await status();
});

afterAll(() => tmp?.cleanup());

describe('vigil db import', () => {
  it('imports KEV and the Debian 12 OSV archive into a fresh database, and db status shows both', () => {
    const s = JSON.parse(before) as Status;
    expect(s.database).toBe(path.join(db, 'advisories.db'));
    expect(s.sources.map(({ name, files, advisories, kev, epss }) => ({ name, files, advisories, kev, epss }))).toEqual([
      { name: 'kev:known_exploited_vulnerabilities.json', files: [KEV], advisories: 0, kev: 1404, epss: 0 },
      { name: 'osv:debian12.osv.json.gz', files: [DEBIAN12], advisories: 9972, kev: 0, epss: 0 },
    ]);
    expect(Date.parse(s.sources[0]!.importedAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  const cases: Array<[string, () => string, RegExp]> = [
    ['a truncated copy of the KEV JSON', () => corrupt('known_exploited_vulnerabilities.json', half(KEV)), /: JSON ends early \(.+\)$/],
    ['a truncated copy of debian12.osv.json.gz', () => corrupt('debian12.osv.json.gz', half(DEBIAN12)), /: gzip data is cut short \(unexpected end of file\)$/],
    ['epss_scores.csv.gz cut in the middle', () => corrupt('epss_scores.csv.gz', half(EPSS)), /: gzip data is cut short \(unexpected end of file\)$/],
    // Random bytes that do open like gzip, so the file reaches the gzip reader rather than only detection.
    ['random bytes named .json.gz', () => corrupt('random.json.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), randomish(4096)])), /: (gzip data is corrupt|not a feed format Vigil knows)/],
    ['an empty .json file', () => corrupt('empty.json', ''), /: empty file$/],
  ];
  it.each(cases)('refuses %s with one line naming the file, and leaves the database as it was', async (_, make, fault) => {
    const f = make();
    const r = await vigil(['db', 'import', f, '--db', db]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`vigil: ${f}: `)).toBe(true);
    expect(lines[0]).toMatch(fault);
    await expectUnchanged();
  });

  it('refuses a directory holding one corrupt file among good ones as a whole', async () => {
    const dir = path.join(tmp.dir, 'mixed');
    mkdirSync(dir, { recursive: true });
    // Names sort the good files first: they are read, then dropped when the last one fails.
    copyFileSync(path.join(FEEDS, 'alpine/v3.11-main.json'), path.join(dir, 'a-v3.11-main.json'));
    copyFileSync(KEV, path.join(dir, 'b-known_exploited_vulnerabilities.json'));
    const bad = path.join(dir, 'z-debian12.osv.json.gz');
    writeFileSync(bad, half(DEBIAN12));
    const r = await vigil(['db', 'import', dir, '--db', db]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe(`vigil: ${bad}: gzip data is cut short (unexpected end of file)\n`);
    await expectUnchanged();
  });

  it('leaves the previous database whole when an import is killed', async () => {
    const wal = path.join(db, 'advisories.db-wal');
    // Once while the feeds are read, once while the transaction is writing (its pages spill into the WAL).
    const early = await killedImport(() => new Promise((resolve) => setTimeout(resolve, 300)));
    expect(early).toBe('SIGKILL');
    await expectUnchanged();
    const writing = await killedImport(async () => {
      const t = Date.now();
      while (Date.now() - t < 60_000 && !(existsSync(wal) && statSync(wal).size > 4 * 1024 * 1024)) await new Promise((resolve) => setTimeout(resolve, 5));
    });
    expect(writing).toBe('SIGKILL');
    await expectUnchanged();
  }, 120_000);
});

/** `vigil db import data/feeds`, SIGKILLed once `until` resolves; the signal that ended it. */
async function killedImport(until: () => Promise<void>): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/vigil.js'), 'db', 'import', FEEDS, '--db', db, '--quiet'], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await Promise.race([until(), exited]);
  child.kill('SIGKILL');
  return exited;
}

/** Bytes that look random and are the same every run. */
function randomish(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

describe('vigil db status', () => {
  it('on a directory with no database exits 3 and creates nothing', async () => {
    const where = path.join(tmp.dir, 'no-such', 'dir');
    const r = await vigil(['db', 'status', '--db', where]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`vigil: no advisory database at ${where}/advisories.db; create it with "vigil db import" or "vigil db update"\n`);
    expect(existsSync(path.join(tmp.dir, 'no-such'))).toBe(false);
  });
});
