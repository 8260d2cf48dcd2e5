import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Collector } from '../../../src/inventory/collector.js';
import { rpmBdbCollector } from '../../../src/inventory/collectors/rpm-bdb.js';
import { rpmNdbCollector } from '../../../src/inventory/collectors/rpm-ndb.js';
import { rpmSqliteCollector } from '../../../src/inventory/collectors/rpm-sqlite.js';
import { sqliteImage } from '../../../src/inventory/collectors/rpm-sqlite-wal.js';
import { PKGDB, tempDir } from '../../helpers/fixtures.js';

/** The rpm fixtures, how rpm 4.18 opens each (`_db_backend`), and the collector reading it. */
export interface RpmFixture {
  dir: string;
  file: string;
  collector: Collector;
  /** Debian's rpm has no ndb backend. */
  backend?: 'sqlite' | 'bdb_ro';
}

export const RPM = path.join(PKGDB, 'rpm');

export const RPM_FIXTURES: RpmFixture[] = [
  { dir: 'cbl-mariner-2.0', file: 'rpmdb.sqlite', collector: rpmSqliteCollector, backend: 'sqlite' },
  { dir: 'libuuid-bdb', file: 'Packages', collector: rpmBdbCollector, backend: 'bdb_ro' },
  { dir: 'syft-dive-bdb', file: 'Packages', collector: rpmBdbCollector, backend: 'bdb_ro' },
  { dir: 'sle15-bci-ndb', file: 'Packages.db', collector: rpmNdbCollector },
];

export interface ExpectedPackage {
  name: string;
  epoch: number | null;
  version: string;
  release: string;
  arch: string;
  sourcerpm: string;
  size: number;
  license: string;
  vendor: string;
  modularitylabel: string | null;
  summary?: string;
  sigmd5?: string;
}

export function expectedPackages(dir: string): ExpectedPackage[] {
  return (JSON.parse(readFileSync(path.join(RPM, dir, 'expected.json'), 'utf8')) as { packages: ExpectedPackage[] }).packages;
}

export const fixturePath = (f: RpmFixture): string => path.join(RPM, f.dir, f.file);

/** Header blobs of the sqlite fixture, read without touching the file. */
export function sqliteFixtureBlobs(): Buffer[] {
  const db = new Database(sqliteImage(readFileSync(path.join(RPM, 'cbl-mariner-2.0/rpmdb.sqlite'))), { readonly: true });
  try {
    return (db.prepare('SELECT blob FROM Packages ORDER BY hnum').pluck().all() as Buffer[]).map((b) => Buffer.from(b));
  } finally {
    db.close();
  }
}

/** Whether the real rpm tool is installed (the tests need Debian's `rpm` package). */
export function rpmToolVersion(): string | undefined {
  try {
    return execFileSync('rpm', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Run the real rpm on a copy of a fixture database (rpm writes `-shm`/`-wal` and
 * index files beside the database it reads) and return its rows.
 */
export function rpmQuery(f: RpmFixture, queryformat: string): string {
  const { dir, cleanup } = tempDir('vigil-rpmdb-');
  try {
    copyFileSync(fixturePath(f), path.join(dir, f.file));
    return execFileSync('rpm', ['--dbpath', dir, '--define', `_db_backend ${f.backend}`, '-qa', '--queryformat', queryformat], {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } finally {
    cleanup();
  }
}

/** A rollback-journal rpm sqlite database at `file` holding `blobs` (or any other values). */
export function writeRpmdb(file: string, blobs: unknown[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB)');
    const ins = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
    for (const b of blobs) ins.run(b);
  } finally {
    db.close();
  }
}
