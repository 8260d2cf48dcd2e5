/**
 * The fuzz targets: one entry per parser or decoder that reads bytes from outside
 * (a scanned tree, a feed, the wire, a signed command). Each names how it is called
 * on a Buffer, which real fixtures seed it, and which errors count as a clean
 * rejection of bad input. Anything else a call throws (TypeError, RangeError, a
 * SyntaxError leaking out, an error of some other class) is a failure, and so is a
 * call that runs longer than TIME_LIMIT_MS.
 *
 * Used by test/fuzz/properties.test.ts (fast-check, bounded, seeded) and by
 * `npm run fuzz -- TARGET --time S` (test/fuzz/run.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import pino from 'pino';
import { alpineSecdbSource } from '../../src/advisories/sources/alpine-secdb.js';
import { cve5Source } from '../../src/advisories/sources/cve5.js';
import { debianTrackerSource } from '../../src/advisories/sources/debian-tracker.js';
import { epssSource } from '../../src/advisories/sources/epss.js';
import { kevSource } from '../../src/advisories/sources/kev.js';
import { nvdSource } from '../../src/advisories/sources/nvd.js';
import { osvSource } from '../../src/advisories/sources/osv.js';
import { parseUctFile } from '../../src/advisories/sources/ubuntu-tracker.js';
import { cvssBaseScore, CvssError, parseCvss } from '../../src/advisories/cvss.js';
import { bufferSource, OutOfRangeError } from '../../src/common/byte-source.js';
import { VigilError } from '../../src/common/errors.js';
import { openSignedCommand } from '../../src/common/signing.js';
import { readTar, TarError } from '../../src/common/tar.js';
import { decodeAgentMessage, decodeEnrollRequest, decodeEnrollResponse, decodeServerMessage } from '../../src/common/wire/codec.js';
import { ZipArchive, ZipError } from '../../src/common/zip.js';
import { requestBytes, Refusal } from '../../src/executor/verify.js';
import type { Collector } from '../../src/inventory/collector.js';
import { parseApkInstalled } from '../../src/inventory/collectors/apk.parse.js';
import { parseDpkgStatus } from '../../src/inventory/collectors/dpkg.parse.js';
import { goBinaryCollector } from '../../src/inventory/collectors/go-binary.js';
import { parseModInfo } from '../../src/inventory/collectors/go-binary.parse.js';
import { javaArchiveCollector } from '../../src/inventory/collectors/java-archive.js';
import { parseManifest, parseProperties } from '../../src/inventory/collectors/java-archive.parse.js';
import { parseNpmLock } from '../../src/inventory/collectors/npm-lock.parse.js';
import { JsonFileError, parseNpmManifest } from '../../src/inventory/collectors/npm-package-json.parse.js';
import { osInfoFromFields, parseOsReleaseText } from '../../src/inventory/collectors/os-release.parse.js';
import { parsePythonMetadata } from '../../src/inventory/collectors/python.parse.js';
import { bdbPackages } from '../../src/inventory/collectors/rpm-bdb.parse.js';
import { parseRpmHeader, RpmFormatError } from '../../src/inventory/collectors/rpm-header.parse.js';
import { ndbPackages } from '../../src/inventory/collectors/rpm-ndb.parse.js';
import type { RpmRecord } from '../../src/inventory/collectors/rpm-common.js';
import { rpmSqliteCollector } from '../../src/inventory/collectors/rpm-sqlite.js';
import { sqliteImage } from '../../src/inventory/collectors/rpm-sqlite-wal.js';
import { ElfError, readElf, readNotes } from '../../src/inventory/elf.js';
import { GO_END, GO_START, makePointerElf } from '../inventory/collectors/go-pointer-elf.js';
import { makeZip } from '../common/make-zip.js';

/** A call slower than this fails the property: the "no hang over 1 s", an invariant on one call, not a benchmark. */
export const TIME_LIMIT_MS = 1000;
/** No seed is longer than this: fuzzing works on small inputs. */
const MAX_SEED_BYTES = 256 * 1024;

type ErrorClass = abstract new (...args: never[]) => Error;

export interface FuzzTarget {
  name: string;
  /** The entry point, for people. */
  entry: string;
  /** Seed inputs from the real fixtures (paths under test/fixtures/ and data/). */
  seeds(): Promise<Buffer[]>;
  /** One call of the parser on one input; resolves to its result. */
  run(input: Buffer): Promise<unknown>;
  /** Errors that are a clean rejection naming what was wrong; VigilError always is. */
  rejects: readonly ErrorClass[];
}

/** The checkout: the nearest directory above this file holding package.json (this file also runs compiled, from node_modules/.cache). */
export const REPO = (() => {
  let dir = import.meta.dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
export const CORPUS_DIR = path.join(REPO, 'test/fixtures/fuzz-corpus');
export const CRASH_DIR = path.join(REPO, 'test/fixtures/fuzz');

const silent = pino({ level: 'silent' });
const rel = (p: string) => path.join(REPO, p);
const cap = (b: Buffer) => (b.length > MAX_SEED_BYTES ? b.subarray(0, MAX_SEED_BYTES) : b);
const files = (...paths: string[]) => async () => paths.map((p) => cap(readFileSync(rel(p))));
const dirFiles = (dir: string, filter: (n: string) => boolean = () => true) => async () =>
  readdirSync(rel(dir), { recursive: true, encoding: 'utf8' })
    .filter((n) => filter(n) && statSync(path.join(rel(dir), n)).isFile())
    .sort()
    .map((n) => cap(readFileSync(path.join(rel(dir), n))));
/** The first `lines` lines of a (gzip'd) text file. */
const headLines = (p: string, lines: number) => {
  const raw = readFileSync(rel(p));
  const text = (p.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return Buffer.from(text.split('\n').slice(0, lines).join('\n') + '\n');
};

/** One scratch directory per process; every file-reading target reuses its own path inside it. */
let scratchDir: string | undefined;
export function scratch(): string {
  if (!scratchDir) {
    // Memory-backed where there is one: every call of a file-reading target writes its input.
    scratchDir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vigil-fuzz-'));
    process.once('exit', () => rmSync(scratchDir!, { recursive: true, force: true }));
  }
  return scratchDir;
}
function scratchFile(target: string, name: string, bytes: Buffer): string {
  const dir = path.join(scratch(), target);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
/** Runs a collector on a root holding only `bytes` at `at` (an absolute path inside the root). */
async function collectOne(c: Collector, target: string, at: string, bytes: Buffer): Promise<unknown> {
  const root = path.join(scratch(), target, 'root');
  mkdirSync(path.dirname(path.join(root, at)), { recursive: true });
  writeFileSync(path.join(root, at), bytes);
  return c.collect({ root, files: [at], live: false, log: silent });
}
/** Reads a feed file through its source, as `vigil db import FILE` does. */
const feed = (source: { read(file: string): Promise<unknown> }, target: string, name: string) => (b: Buffer) => source.read(scratchFile(target, name, b));

const text = (b: Buffer) => b.toString('utf8');

/** Header blobs of the CBL-Mariner rpmdb.sqlite fixture. */
function sqliteFixtureBlobs(): Buffer[] {
  const db = new Database(sqliteImage(readFileSync(rel('test/fixtures/pkgdb/rpm/cbl-mariner-2.0/rpmdb.sqlite'))), { readonly: true });
  try {
    return (db.prepare('SELECT blob FROM Packages ORDER BY hnum LIMIT 8').pluck().all() as Buffer[]).map((b) => Buffer.from(b));
  } finally {
    db.close();
  }
}

/** A small rpmdb.sqlite (rollback journal) holding four of the fixture's headers. */
function sqliteSeed(): Buffer {
  const dir = path.join(scratch(), 'rpm-sqlite-seed');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = new Database(path.join(dir, 'rpmdb.sqlite'));
  try {
    db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB)');
    const ins = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
    for (const b of sqliteFixtureBlobs().slice(0, 4)) ins.run(b);
  } finally {
    db.close();
  }
  return readFileSync(path.join(dir, 'rpmdb.sqlite'));
}

/** Ubuntu tracker CVE files out of the shipped active tree (the first few). */
async function uctSeeds(): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const tgz = gunzipSync(readFileSync(rel('data/feeds/ubuntu/uct-active.tar.gz')));
  async function* chunks() {
    yield tgz;
  }
  for await (const e of readTar(chunks())) {
    if (e.type === 'file' && e.data && /\/CVE-\d{4}-\d+$/.test(e.name)) out.push(Buffer.from(e.data));
    if (out.length >= 6) break;
  }
  return out;
}

/** CVSS vectors found in the advisory fixtures. */
function cvssVectors(): Buffer[] {
  const src = readFileSync(rel('test/fixtures/advisories/nvd/nvd-api-page.json'), 'utf8') + readFileSync(rel('data/feeds/osv-ecosystems/ghsa-npm/GHSA-27h2-hvpr-p74q.json'), 'utf8');
  const found = new Set(src.match(/(CVSS:[234]\.[01]\/|AV:[LANP]\/AC)[A-Za-z0-9:./]+/g) ?? []);
  found.add('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
  return [...found].slice(0, 40).map((v) => Buffer.from(v));
}

/** The corpus-held signed command (made once by test/fuzz/make-seeds.ts) and the trust it verifies under. */
const SIGNED = path.join(CORPUS_DIR, 'dsse-command', 'seed-signed-command.json');
function signedTrust(): { rootKeyId: string } {
  return JSON.parse(readFileSync(path.join(CORPUS_DIR, 'dsse-command', 'trust.json'), 'utf8'));
}
const SIGNED_CTX = { hostId: 'a-0123456789abcdef', now: new Date('2026-01-01T00:30:00.000Z') };

const wire = (name: string) => Buffer.from(readFileSync(rel(`test/fixtures/wire/${name}.hex`), 'utf8').replace(/\s+/g, ''), 'hex');

function consumeRpm(records: Iterable<RpmRecord>): number {
  let n = 0;
  for (const r of records) {
    if (!('blob' in r)) continue;
    try {
      parseRpmHeader(r.blob);
      n++;
    } catch (err) {
      if (!(err instanceof RpmFormatError)) throw err;
    }
  }
  return n;
}

export const TARGETS: readonly FuzzTarget[] = [
  {
    name: 'dpkg-status',
    entry: 'inventory/collectors/dpkg.parse.ts parseDpkgStatus',
    seeds: dirFiles('test/fixtures/pkgdb/dpkg', (n) => !n.endsWith('.json')),
    run: async (b) => parseDpkgStatus(b),
    rejects: [],
  },
  {
    name: 'rpm-header',
    entry: 'inventory/collectors/rpm-header.parse.ts parseRpmHeader',
    seeds: async () => sqliteFixtureBlobs().slice(0, 8),
    run: async (b) => parseRpmHeader(b),
    rejects: [RpmFormatError],
  },
  {
    name: 'rpm-sqlite',
    entry: 'inventory/collectors/rpm-sqlite.ts collect (a snapshot of rpmdb.sqlite)',
    seeds: async () => [sqliteSeed()],
    run: (b) => collectOne(rpmSqliteCollector, 'rpm-sqlite', '/var/lib/rpm/rpmdb.sqlite', b),
    rejects: [],
  },
  {
    name: 'rpm-bdb',
    entry: 'inventory/collectors/rpm-bdb.parse.ts bdbPackages, each header parsed',
    seeds: files('test/fixtures/pkgdb/rpm/syft-dive-bdb/Packages', 'test/fixtures/pkgdb/rpm/libuuid-bdb/Packages'),
    run: async (b) => consumeRpm(bdbPackages(b)),
    rejects: [RpmFormatError],
  },
  {
    name: 'rpm-ndb',
    entry: 'inventory/collectors/rpm-ndb.parse.ts ndbPackages, each header parsed',
    seeds: async () => [readFileSync(rel('test/fixtures/pkgdb/rpm/sle15-bci-ndb/Packages.db')).subarray(0, 96 * 1024)],
    run: async (b) => consumeRpm(ndbPackages(b)),
    rejects: [RpmFormatError],
  },
  {
    name: 'apk-installed',
    entry: 'inventory/collectors/apk.parse.ts parseApkInstalled',
    seeds: dirFiles('test/fixtures/pkgdb/apk', (n) => n.endsWith('installed')),
    run: async (b) => parseApkInstalled(text(b)),
    rejects: [],
  },
  {
    name: 'npm-lock',
    entry: 'inventory/collectors/npm-lock.parse.ts parseNpmLock',
    seeds: dirFiles('test/fixtures/pkgdb/npm/trivy', (n) => !n.includes('expected')),
    run: async (b) => parseNpmLock(text(b)),
    rejects: [JsonFileError],
  },
  {
    name: 'npm-package-json',
    entry: 'inventory/collectors/npm-package-json.parse.ts parseNpmManifest',
    seeds: dirFiles('test/fixtures/pkgdb/npm/package-json'),
    run: async (b) => parseNpmManifest(text(b)),
    rejects: [JsonFileError],
  },
  {
    name: 'python-metadata',
    entry: 'inventory/collectors/python.parse.ts parsePythonMetadata',
    seeds: dirFiles('test/fixtures/pkgdb/python', (n) => /(METADATA|PKG-INFO|RECORD)$/.test(n)),
    run: async (b) => parsePythonMetadata(text(b)),
    rejects: [],
  },
  {
    name: 'java-archive',
    entry: 'inventory/collectors/java-archive.ts collect (a jar: zip, manifest, pom.properties)',
    seeds: files('test/fixtures/pkgdb/java/jars/jackson-annotations-2.15.0-rc2.metadata-only.jar'),
    run: (b) => collectOne(javaArchiveCollector, 'java-archive', '/opt/app/lib/app-1.0.jar', b),
    rejects: [],
  },
  {
    name: 'java-manifest',
    entry: 'inventory/collectors/java-archive.parse.ts parseManifest and parseProperties',
    seeds: dirFiles('test/fixtures/pkgdb/java/pom-properties'),
    run: async (b) => [parseManifest(b), parseProperties(text(b))],
    rejects: [],
  },
  {
    name: 'zip',
    entry: 'common/zip.ts ZipArchive.open and read of every entry',
    seeds: async () => [readFileSync(rel('test/fixtures/pkgdb/java/jars/jackson-annotations-2.15.0-rc2.metadata-only.jar')), makeZip([{ name: 'a.txt', data: Buffer.from('hello') }])],
    run: async (b) => {
      const zip = await ZipArchive.open(bufferSource(b));
      let n = 0;
      for (const e of zip.entries) if (!e.isDirectory) n += (await zip.read(e)).length;
      return n;
    },
    rejects: [ZipError],
  },
  {
    name: 'tar',
    entry: 'common/tar.ts readTar',
    seeds: async () => ['gnu', 'pax', 'ustar'].map((format) => execFileSync('tar', [`--format=${format}`, '--sort=name', '--mtime=2024-01-01', '-cf', '-', '-C', rel('test/fixtures/pkgdb'), 'apk', 'dpkg/syft-status.d'], { maxBuffer: 1 << 24 })),
    run: async (b) => {
      let n = 0;
      async function* one() {
        yield b;
      }
      for await (const e of readTar(one(), { maxEntryBytes: 1 << 20 })) n += e.data?.length ?? 0;
      return n;
    },
    rejects: [TarError],
  },
  {
    name: 'go-buildinfo',
    entry: 'inventory/collectors/go-binary.ts collect (ELF, build info, modinfo)',
    seeds: async () => [
      makePointerElf({ bits: 64, le: true, goVersion: 'go1.16.15', modinfo: Buffer.concat([GO_START, Buffer.from('path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.7\th1:x=\n'), GO_END]) }),
      makePointerElf({ bits: 32, le: false, goVersion: 'go1.13', modinfo: 'path\tx\n' }),
    ],
    run: (b) => collectOne(goBinaryCollector, 'go-buildinfo', '/usr/bin/app', b),
    rejects: [],
  },
  {
    name: 'go-modinfo',
    entry: 'inventory/collectors/go-binary.parse.ts parseModInfo',
    seeds: async () => [
      Buffer.from('path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.7\th1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=\n=>\tgolang.org/x/text\tv0.3.8\t\nbuild\t-compiler=gc\nbuild\tvcs.revision=0123abc\n'),
      Buffer.from('path\t"quoted path"\nmod\t"m"\tv1.0.0\t\n'),
    ],
    run: async (b) => parseModInfo(text(b)),
    rejects: [],
  },
  {
    name: 'elf',
    entry: 'inventory/elf.ts readElf and readNotes',
    seeds: async () => [makePointerElf({ bits: 64, le: true, goVersion: 'go1.21.0', modinfo: 'path\tx\n' }), makePointerElf({ bits: 32, le: true, goVersion: 'go1.18', modinfo: 'path\ty\n' })],
    run: async (b) => {
      const src = bufferSource(b);
      const elf = await readElf(src);
      return readNotes(src, elf);
    },
    rejects: [ElfError, OutOfRangeError],
  },
  {
    name: 'os-release',
    entry: 'inventory/collectors/os-release.parse.ts parseOsReleaseText and osInfoFromFields',
    seeds: async () => [Buffer.from('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\n'), readFileSync('/etc/os-release')],
    run: async (b) => osInfoFromFields(parseOsReleaseText(text(b))),
    rejects: [],
  },
  {
    name: 'osv',
    entry: 'advisories/sources/osv.ts read (OSV JSON record)',
    seeds: dirFiles('data/feeds/osv-ecosystems/ghsa-npm'),
    run: feed(osvSource, 'osv', 'record.json'),
    rejects: [],
  },
  {
    name: 'debian-tracker',
    entry: 'advisories/sources/debian-tracker.ts read (tracker JSON)',
    seeds: files('data/feeds/debian/tracker-json-sample.json'),
    run: feed(debianTrackerSource, 'debian-tracker', 'tracker.json'),
    rejects: [],
  },
  {
    name: 'dsa-list',
    entry: 'advisories/sources/debian-tracker.ts read (DSA/DLA list)',
    seeds: async () => [headLines('data/feeds/debian/DSA-list.txt.gz', 300), headLines('data/feeds/debian/DLA-list.txt.gz', 300)],
    run: feed(debianTrackerSource, 'dsa-list', 'DSA-list.txt'),
    rejects: [],
  },
  {
    name: 'ubuntu-tracker',
    entry: 'advisories/sources/ubuntu-tracker.ts parseUctFile',
    seeds: uctSeeds,
    run: async (b) => parseUctFile(b, 'CVE-2024-0001'),
    rejects: [],
  },
  {
    name: 'alpine-secdb',
    entry: 'advisories/sources/alpine-secdb.ts read',
    seeds: files('data/feeds/alpine/v3.3-community.json', 'data/feeds/alpine/v3.4-community.json', 'data/feeds/alpine/v3.5-community.json'),
    run: feed(alpineSecdbSource, 'alpine-secdb', 'v3.5-main.json'),
    rejects: [],
  },
  {
    name: 'epss',
    entry: 'advisories/sources/epss.ts read',
    seeds: async () => [headLines('data/feeds/epss/epss_scores.csv.gz', 200)],
    run: feed(epssSource, 'epss', 'epss_scores.csv'),
    rejects: [],
  },
  {
    name: 'kev',
    entry: 'advisories/sources/kev.ts read',
    seeds: async () => {
      const doc = JSON.parse(readFileSync(rel('data/feeds/kev/known_exploited_vulnerabilities.json'), 'utf8'));
      return [Buffer.from(JSON.stringify({ ...doc, count: 12, vulnerabilities: doc.vulnerabilities.slice(0, 12) }, null, 2))];
    },
    run: feed(kevSource, 'kev', 'known_exploited_vulnerabilities.json'),
    rejects: [],
  },
  {
    name: 'nvd',
    entry: 'advisories/sources/nvd.ts read',
    seeds: files('test/fixtures/advisories/nvd/CVE-2018-13410.json'),
    run: feed(nvdSource, 'nvd', 'nvd.json'),
    rejects: [],
  },
  {
    name: 'cve5',
    entry: 'advisories/sources/cve5.ts read',
    seeds: dirFiles('test/fixtures/advisories/cve5', (n) => n.endsWith('.json')),
    run: feed(cve5Source, 'cve5', 'CVE-2024-0001.json'),
    rejects: [],
  },
  {
    name: 'cvss',
    entry: 'advisories/cvss.ts parseCvss and cvssBaseScore',
    seeds: async () => cvssVectors(),
    run: async (b) => {
      const v = text(b);
      return [parseCvss(v), cvssBaseScore(v)];
    },
    rejects: [CvssError],
  },
  {
    name: 'wire-agent',
    entry: 'common/wire/codec.ts decodeAgentMessage',
    seeds: async () => ['agent-hello', 'agent-snapshot', 'agent-delta', 'agent-heartbeat', 'agent-command-result', 'agent-snapshot-component-in-use'].map(wire),
    run: async (b) => decodeAgentMessage(b),
    rejects: [],
  },
  {
    name: 'wire-server',
    entry: 'common/wire/codec.ts decodeServerMessage',
    seeds: async () => ['server-welcome', 'server-ack', 'server-resync', 'server-rescan', 'server-signed-command'].map(wire),
    run: async (b) => decodeServerMessage(b),
    rejects: [],
  },
  {
    name: 'wire-enroll',
    entry: 'common/wire/codec.ts decodeEnrollRequest and decodeEnrollResponse',
    seeds: async () => [wire('enroll-request'), wire('enroll-response')],
    run: async (b) => {
      const out: unknown[] = [];
      for (const decode of [decodeEnrollRequest, decodeEnrollResponse]) {
        try {
          out.push(decode(b));
        } catch (err) {
          if (!(err instanceof VigilError)) throw err;
          out.push(err.message);
        }
      }
      return out;
    },
    rejects: [],
  },
  {
    name: 'dsse-command',
    entry: 'common/signing.ts openSignedCommand (DSSE envelopes of delegation and command)',
    seeds: async () => [readFileSync(SIGNED)],
    run: async (b) => openSignedCommand(b, signedTrust(), SIGNED_CTX),
    rejects: [],
  },
  {
    name: 'executor-request',
    entry: 'executor/verify.ts requestBytes, then openSignedCommand',
    seeds: async () => [Buffer.from(JSON.stringify({ signedCommand: readFileSync(SIGNED).toString('base64') }))],
    run: async (b) => openSignedCommand(requestBytes(b), signedTrust(), SIGNED_CTX),
    rejects: [Refusal],
  },
];

export function target(name: string): FuzzTarget {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target ${name}; the targets are ${TARGETS.map((x) => x.name).join(', ')}`);
  return t;
}

export type Outcome = { ok: true; rejected?: string; problems?: string[] } | { ok: false; why: string };

/** The problem lines a result carries (FeedResult, CollectResult, a parser's errors), for telling outcomes apart. */
function problemsOf(result: unknown): string[] | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as Record<string, unknown>;
  const list = Array.isArray(r.problems) ? r.problems : Array.isArray(r.errors) ? r.errors : undefined;
  if (!list) return undefined;
  return list.slice(0, 8).map((p) => (typeof p === 'string' ? p : String((p as { message?: unknown; reason?: unknown })?.message ?? (p as { reason?: unknown })?.reason ?? '')));
}

/**
 * One call checked against the invariant: a result or a clean rejection, within the
 * time limit. Returns what went wrong, if anything.
 */
export async function check(t: FuzzTarget, input: Buffer): Promise<Outcome> {
  const started = performance.now();
  let rejected: string | undefined;
  let problems: string[] | undefined;
  try {
    problems = problemsOf(await t.run(input));
  } catch (err) {
    const clean = err instanceof VigilError || t.rejects.some((c) => err instanceof c);
    if (!clean) return { ok: false, why: `threw ${(err as Error)?.constructor?.name ?? typeof err}: ${(err as Error)?.stack ?? String(err)}` };
    rejected = (err as Error).message;
    if (!rejected) return { ok: false, why: `threw ${(err as Error).constructor.name} with an empty message` };
  }
  const ms = performance.now() - started;
  if (ms > TIME_LIMIT_MS) return { ok: false, why: `took ${ms.toFixed(0)} ms, over the ${TIME_LIMIT_MS} ms limit` };
  if (rejected !== undefined) return { ok: true, rejected };
  return problems?.length ? { ok: true, problems } : { ok: true };
}

/** Seeds of a target: its fixtures, then whatever its corpus directory holds. */
export async function seedsOf(t: FuzzTarget): Promise<Buffer[]> {
  const out = await t.seeds();
  const dir = path.join(CORPUS_DIR, t.name);
  try {
    for (const n of readdirSync(dir).sort()) if (!n.endsWith('trust.json') && !n.startsWith('seed-')) out.push(readFileSync(path.join(dir, n)));
  } catch {
    // no corpus yet
  }
  return out;
}

/** Inputs that once failed, kept as fixtures: test/fixtures/fuzz/<target>/<name>. */
export function crashFixtures(): Array<{ target: string; file: string }> {
  const out: Array<{ target: string; file: string }> = [];
  let dirs: string[] = [];
  try {
    dirs = readdirSync(CRASH_DIR);
  } catch {
    return out;
  }
  for (const d of dirs.sort()) for (const f of readdirSync(path.join(CRASH_DIR, d)).sort()) if (!f.endsWith('.md')) out.push({ target: d, file: path.join(CRASH_DIR, d, f) });
  return out;
}
