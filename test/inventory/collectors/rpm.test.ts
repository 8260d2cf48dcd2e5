import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Component, OsInfo } from '../../../src/common/model.js';
import { rpmBdbCollector } from '../../../src/inventory/collectors/rpm-bdb.js';
import { parseSourceRpm } from '../../../src/inventory/collectors/rpm-common.js';
import { rpmSqliteCollector } from '../../../src/inventory/collectors/rpm-sqlite.js';
import { makeRoot, runCollector, silentLog } from '../../helpers/fixtures.js';
import { expectedPackages, fixturePath, RPM_FIXTURES, rpmQuery, rpmToolVersion, sqliteFixtureBlobs, writeRpmdb, type RpmFixture } from './rpm-fixtures.js';

const RHEL_8: OsInfo = { id: 'rhel', versionId: '8.8', distro: 'rhel-8.8' };
const MARINER: OsInfo = { id: 'mariner', versionId: '2.0', distro: 'mariner-2.0' };

const cleanups: Array<() => void> = [];
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const fixtureHashes = new Map(RPM_FIXTURES.map((f) => [fixturePath(f), sha256(fixturePath(f))]));
afterAll(() => {
  cleanups.forEach((c) => c());
  // Nothing here (nor rpm run on copies) may change a fixture.
  for (const [file, hash] of fixtureHashes) expect(sha256(file), file).toBe(hash);
});

function rootWith(spec: Parameters<typeof makeRoot>[0]): string {
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  return r.root;
}

const fixtureRoot = (f: RpmFixture) => rootWith({ [`var/lib/rpm/${f.file}`]: { copy: fixturePath(f) } });

/** A component in the shape of the expectation files and of `rpm -qa` rows. */
function row(c: Component) {
  const m = c.metadata!;
  return {
    name: c.name,
    epoch: c.epoch ?? null,
    version: c.version,
    release: c.release,
    arch: c.arch,
    sourcerpm: m.sourceRpm,
    size: m.size,
    license: c.licenses?.[0] ?? null,
    vendor: m.vendor,
    modularitylabel: m.modularityLabel,
    summary: m.summary,
  };
}

type Row = ReturnType<typeof row>;
const byNevra = (a: Row, b: Row) => `${a.name}.${a.arch}.${a.version}`.localeCompare(`${b.name}.${b.arch}.${b.version}`);

describe('rpm databases give the packages in their expectation files', () => {
  it.each(RPM_FIXTURES)('$dir', async (f) => {
    const res = await runCollector(f.collector, fixtureRoot(f), { os: RHEL_8 });
    expect(res.problems).toEqual([]);
    const want = expectedPackages(f.dir).map((p) => {
      const { sigmd5: _sigmd5, summary, ...rest } = p;
      return { ...rest, summary };
    });
    const got = res.components.map(row).map((r) => (want[0]?.summary === undefined ? { ...r, summary: undefined } : r));
    expect(got.sort(byNevra)).toEqual((want as Row[]).sort(byNevra));
    expect(res.components.every((c) => c.foundBy === f.collector.name && c.locations[0] === `/var/lib/rpm/${f.file}`)).toBe(true);
  });
});

describe('rpm databases give what the real rpm reports, run now', () => {
  const QF = ['NAME', 'EPOCH', 'VERSION', 'RELEASE', 'ARCH', 'SOURCERPM', 'SIZE', 'LICENSE', 'VENDOR', 'MODULARITYLABEL', 'SUMMARY'].map((t) => `%{${t}}`).join('\\t') + '\\n';
  const readable = RPM_FIXTURES.filter((f) => f.backend);

  it('has the rpm tool (Debian package "rpm") installed', () => {
    expect(rpmToolVersion(), 'install it with: apt-get install -y rpm').toMatch(/^RPM version 4\./);
  });

  it.each(readable)('$dir packages match rpm -qa', async (f) => {
    const none = (v: string | undefined) => (v === '(none)' || v === undefined ? null : v);
    const fromRpm = rpmQuery(f, QF)
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'))
      .filter((c) => c[0] !== 'gpg-pubkey')
      .map((c) => ({
        name: c[0]!,
        epoch: none(c[1]) === null ? null : Number(c[1]),
        version: c[2]!,
        release: c[3]!,
        arch: c[4]!,
        sourcerpm: none(c[5]),
        size: none(c[6]) === null ? null : Number(c[6]),
        license: none(c[7]),
        vendor: none(c[8]),
        modularitylabel: none(c[9]),
        summary: none(c[10]) ?? undefined,
      }));
    const res = await runCollector(f.collector, fixtureRoot(f));
    expect(fromRpm.length).toBeGreaterThan(0);
    expect(res.components.map(row).sort(byNevra)).toEqual((fromRpm as Row[]).sort(byNevra));
  });

  it.each(readable)('$dir file owners cover exactly the FILENAMES rpm lists', async (f) => {
    const fromRpm = new Set(rpmQuery(f, '[%{FILENAMES}\\n]').split('\n').filter((l) => l && l !== '(none)'));
    const root = fixtureRoot(f);
    const res = await runCollector(f.collector, root);
    const owned = await f.collector.fileOwners!({ root, files: [], live: false, log: silentLog }, res.components);
    expect(owned.problems).toEqual([]);
    expect(new Set(owned.owners.keys())).toEqual(fromRpm);
  });
});

describe('rpm components', () => {
  it('carry Syft-style purls, source packages and metadata', async () => {
    const res = await runCollector(rpmBdbCollector, fixtureRoot(RPM_FIXTURES[1]!), { os: RHEL_8 });
    expect(res.components).toEqual([
      {
        ecosystem: 'rpm',
        name: 'libuuid',
        version: '2.32.1',
        release: '42.el8_8',
        arch: 'x86_64',
        purl: 'pkg:rpm/rhel/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=rhel-8.8&upstream=util-linux-2.32.1-42.el8_8.src.rpm',
        source: { name: 'util-linux', version: '2.32.1-42.el8_8' },
        licenses: ['BSD'],
        locations: ['/var/lib/rpm/Packages'],
        foundBy: 'rpm-bdb',
        metadata: { vendor: 'Red Hat, Inc.', modularityLabel: null, sourceRpm: 'util-linux-2.32.1-42.el8_8.src.rpm', size: 35104, summary: 'Universally unique ID library' },
      },
    ]);
  });

  it('put the epoch in a qualifier and the os id in the namespace, which is left out without an os', async () => {
    const root = fixtureRoot(RPM_FIXTURES[0]!);
    const purlOf = async (os?: OsInfo) => (await runCollector(rpmSqliteCollector, root, os ? { os } : {})).components.find((c) => c.name === 'ca-certificates-base')!.purl;
    expect(await purlOf(MARINER)).toBe('pkg:rpm/mariner/ca-certificates-base@2.0.0-1.cm2?arch=noarch&distro=mariner-2.0&epoch=1&upstream=ca-certificates-2.0.0-1.cm2.src.rpm');
    expect(await purlOf()).toBe('pkg:rpm/ca-certificates-base@2.0.0-1.cm2?arch=noarch&epoch=1&upstream=ca-certificates-2.0.0-1.cm2.src.rpm');
  });

  it('name the source package from the source rpm file name', () => {
    expect(parseSourceRpm('util-linux-2.32.1-42.el8_8.src.rpm')).toEqual({ name: 'util-linux', version: '2.32.1-42.el8_8' });
    expect(parseSourceRpm('kernel-5.14.0-362.8.1.el9_3.nosrc.rpm')).toEqual({ name: 'kernel', version: '5.14.0-362.8.1.el9_3' });
    expect(parseSourceRpm('nodashes.src.rpm')).toBeUndefined();
    expect(parseSourceRpm('a-b-c.x86_64.rpm')).toBeUndefined();
    expect(parseSourceRpm('$(reboot)-1-1.src.rpm')).toBeUndefined();
  });

  it('map only the files of the components asked about', async () => {
    const root = fixtureRoot(RPM_FIXTURES[0]!);
    const res = await runCollector(rpmSqliteCollector, root);
    const bash = res.components.filter((c) => c.name === 'bash');
    const owned = await rpmSqliteCollector.fileOwners!({ root, files: [], live: false, log: silentLog }, bash);
    expect(owned.owners.get('/bin/bash')).toBe(bash[0]);
    expect(new Set(owned.owners.values())).toEqual(new Set(bash));
  });

  it('stop when the scan is cancelled', async () => {
    const root = fixtureRoot(RPM_FIXTURES[0]!);
    await expect(runCollector(rpmSqliteCollector, root, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
  });

  it('leave gpg-pubkey pseudo packages out without a problem', async () => {
    const blobs = sqliteFixtureBlobs();
    const fs = blobs.find((b) => b.includes('filesystem\0'))!;
    const key = Buffer.from(fs);
    key.write('gpg-pubkey', key.indexOf('filesystem\0'), 'latin1');
    const root = rootWith({});
    writeRpmdb(path.join(root, 'var/lib/rpm/rpmdb.sqlite'), [blobs[0]!, key]);
    const res = await runCollector(rpmSqliteCollector, root);
    expect(res.problems).toEqual([]);
    expect(res.components.map((c) => c.name)).toEqual(['mariner-release']);
  });
});

describe('reading an rpm sqlite database leaves no trace', () => {
  const dirOf = (root: string) => path.join(root, 'var/lib/rpm');

  it.each([false, true])('live=%s on a WAL-mode database without -wal/-shm', async (live) => {
    const root = fixtureRoot(RPM_FIXTURES[0]!);
    const db = path.join(dirOf(root), 'rpmdb.sqlite');
    const before = sha256(db);
    const res = await runCollector(rpmSqliteCollector, root, { live });
    expect(res.components).toHaveLength(129);
    expect(readdirSync(dirOf(root))).toEqual(['rpmdb.sqlite']);
    expect(sha256(db)).toBe(before);
  });

  it('live, reading a rollback-journal database in place', async () => {
    const root = fixtureRoot(RPM_FIXTURES[0]!);
    const db = path.join(dirOf(root), 'rpmdb.sqlite');
    const bytes = readFileSync(db);
    bytes[18] = 1;
    bytes[19] = 1;
    writeFileSync(db, bytes);
    const res = await runCollector(rpmSqliteCollector, root, { live: true });
    expect(res.components).toHaveLength(129);
    expect(readdirSync(dirOf(root))).toEqual(['rpmdb.sqlite']);
    expect(readFileSync(db).equals(bytes)).toBe(true);
  });
});

describe('an rpm sqlite database in WAL mode', () => {
  /** Copies of a database and its log taken while a writer still holds them open. */
  function walRoot(corruptLastFrame: boolean): string {
    const blobs = sqliteFixtureBlobs();
    const root = rootWith({});
    const work = rootWith({});
    const dbFile = path.join(work, 'rpmdb.sqlite');
    const w = new Database(dbFile);
    w.pragma('journal_mode = WAL');
    w.pragma('wal_autocheckpoint = 0');
    w.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    const ins = w.prepare('INSERT INTO Packages (blob) VALUES (?)');
    w.transaction(() => blobs.slice(0, 100).forEach((b) => ins.run(b)))();
    w.pragma('wal_checkpoint(TRUNCATE)');
    w.transaction(() => blobs.slice(100, 120).forEach((b) => ins.run(b)))();
    w.transaction(() => blobs.slice(120).forEach((b) => ins.run(b)))();
    const dest = path.join(root, 'var/lib/rpm');
    mkdirSync(dest, { recursive: true });
    copyFileSync(dbFile, path.join(dest, 'rpmdb.sqlite'));
    const wal = readFileSync(`${dbFile}-wal`);
    if (corruptLastFrame) wal.writeUInt8(wal.readUInt8(wal.length - 100) ^ 0xff, wal.length - 100);
    writeFileSync(path.join(dest, 'rpmdb.sqlite-wal'), wal);
    w.close();
    return root;
  }

  it('has the packages committed only in its log read too', async () => {
    const res = await runCollector(rpmSqliteCollector, walRoot(false));
    expect(res.problems).toEqual([]);
    expect(res.components).toHaveLength(129);
  });

  it('stops at a damaged log frame, keeping the earlier commits, as SQLite does', async () => {
    const res = await runCollector(rpmSqliteCollector, walRoot(true));
    expect(res.problems).toEqual([]);
    expect(res.components).toHaveLength(120);
  });
});
