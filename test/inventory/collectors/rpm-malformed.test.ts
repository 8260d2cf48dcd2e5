import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Collector } from '../../../src/inventory/collector.js';
import { bdbPackages } from '../../../src/inventory/collectors/rpm-bdb.parse.js';
import { rpmBdbCollector } from '../../../src/inventory/collectors/rpm-bdb.js';
import { RpmFormatError } from '../../../src/inventory/collectors/rpm-header.parse.js';
import { ndbPackages } from '../../../src/inventory/collectors/rpm-ndb.parse.js';
import { rpmNdbCollector } from '../../../src/inventory/collectors/rpm-ndb.js';
import { rpmSqliteCollector } from '../../../src/inventory/collectors/rpm-sqlite.js';
import { makeRoot, runCollector, silentLog } from '../../helpers/fixtures.js';
import { RPM, sqliteFixtureBlobs, writeRpmdb } from './rpm-fixtures.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

function rootWith(spec: Parameters<typeof makeRoot>[0]): string {
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  return r.root;
}

const SQLITE = readFileSync(path.join(RPM, 'cbl-mariner-2.0/rpmdb.sqlite'));
const BDB = readFileSync(path.join(RPM, 'libuuid-bdb/Packages'));
const NDB = readFileSync(path.join(RPM, 'sle15-bci-ndb/Packages.db'));
const blobs = sqliteFixtureBlobs();

let seed = 0x2545f491;
function rand(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}

function garbage(n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => rand(256)));
}

function edited(base: Buffer, edit: (b: Buffer) => void): Buffer {
  const b = Buffer.from(base);
  edit(b);
  return b;
}

/** Data offset of `tag` in a header blob. */
function dataOf(blob: Buffer, tag: number): number {
  const il = blob.readInt32BE(0);
  for (let i = 0; i < il; i++) if (blob.readInt32BE(8 + i * 16) === tag) return 8 + il * 16 + blob.readInt32BE(8 + i * 16 + 8);
  throw new Error(`no tag ${tag}`);
}

/** A header blob whose NAME is replaced by a string of the same length. */
function renamed(name: string): Buffer {
  const bash = blobs.find((b) => b.includes('bash\0'))!;
  return edited(bash, (b) => b.write(name, dataOf(b, 1000), 'latin1'));
}

async function collectOne(collector: Collector, rel: string, content: Buffer) {
  return runCollector(collector, rootWith({ [rel]: content }));
}

describe('a malformed rpm sqlite database is a problem, never a crash', () => {
  it('keeps the good packages and reports each bad record', async () => {
    const root = rootWith({});
    const good = blobs.slice(0, 3);
    const bad: unknown[] = [
      blobs[3]!.subarray(0, 100),
      garbage(300),
      edited(blobs[4]!, (b) => b.writeInt32BE(0x7fffffff, 0)),
      edited(blobs[5]!, (b) => b.writeInt32BE(0x0fffffff, 4)),
      edited(blobs[6]!, (b) => b.writeInt32BE(5999, 8 + 16 * 2)),
      renamed('b;sh'),
      renamed('../x'),
      renamed('$(x)'),
      'text, not a blob',
      null,
      Buffer.alloc(0),
    ];
    writeRpmdb(path.join(root, 'var/lib/rpm/rpmdb.sqlite'), [...good, ...bad]);
    const res = await runCollector(rpmSqliteCollector, root);
    expect(res.components.map((c) => c.name)).toEqual(['mariner-release', 'filesystem', 'glibc']);
    expect(res.problems).toHaveLength(bad.length);
    for (const p of res.problems) {
      expect(p).toMatchObject({ collector: 'rpm-sqlite', path: '/var/lib/rpm/rpmdb.sqlite', code: 'malformed-record' });
      expect(p.message).toMatch(/^package record \d+: /);
    }
    expect(res.problems.map((p) => p.message).join('\n')).toMatch(/"b;sh" has characters rpm does not allow/);
    expect(res.problems.map((p) => p.message).join('\n')).toMatch(/"\.\.\/x" has characters rpm does not allow/);
  });

  const cases: Array<[string, Buffer]> = [
    ['binary garbage', garbage(8192)],
    ['an empty file', Buffer.alloc(0)],
    ['a file cut in half', SQLITE.subarray(0, SQLITE.length / 2)],
    ['a file cut after its header page', SQLITE.subarray(0, 4096)],
    ['damaged b-tree pages', edited(SQLITE, (b) => b.fill(0xa5, 4096 * 3, 4096 * 40))],
  ];
  it.each(cases)('%s', async (_label, content) => {
    const res = await collectOne(rpmSqliteCollector, 'var/lib/rpm/rpmdb.sqlite', content);
    expect(res.problems.length).toBeGreaterThan(0);
    expect(res.problems.every((p) => p.code === 'corrupt' || p.code === 'malformed-record')).toBe(true);
  });

  it('a database without a Packages table', async () => {
    const root = rootWith({});
    const file = path.join(root, 'var/lib/rpm/rpmdb.sqlite');
    writeRpmdb(file, []);
    const db = new Database(file);
    db.exec('DROP TABLE Packages');
    db.close();
    const res = await runCollector(rpmSqliteCollector, root);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'corrupt', message: expect.stringMatching(/no such table: Packages/) })]);
  });
});

/** Offsets of the HOFFPAGE data items on the hash pages of a little-endian BDB file. */
function offPageItems(file: Buffer): number[] {
  const pageSize = file.readUInt32LE(20);
  const out: number[] = [];
  for (let base = pageSize; base + pageSize <= file.length; base += pageSize) {
    if (file[base + 25] !== 13) continue;
    const n = file.readUInt16LE(base + 20);
    for (let i = 1; i < n; i += 2) {
      const off = base + file.readUInt16LE(base + 26 + 2 * i);
      if (file[off] === 3) out.push(off);
    }
  }
  return out;
}

describe('hostile values inside well-formed headers', () => {
  const bash = blobs.find((b) => b.includes('bash\0'))!;

  it('a source rpm name that is not name-version-release keeps the package but not its source', async () => {
    const b = edited(bash, (x) => x.write(';', dataOf(x, 1044) + 4, 'latin1'));
    const root = rootWith({});
    writeRpmdb(path.join(root, 'var/lib/rpm/rpmdb.sqlite'), [b]);
    const res = await runCollector(rpmSqliteCollector, root);
    expect(res.components).toHaveLength(1);
    expect(res.components[0]!.source).toBeUndefined();
    expect(res.components[0]!.purl).not.toContain('upstream');
    expect(res.problems).toEqual([expect.objectContaining({ code: 'malformed-record', message: expect.stringMatching(/source rpm "bash;5\.1\.8-1\.cm2\.src\.rpm" is not/) })]);
  });

  it('file paths climbing with ".." are left out of file ownership', async () => {
    const b = edited(bash, (x) => {
      const at = x.indexOf('/bin/\0', dataOf(x, 1118));
      x.write('/..//', at, 'latin1');
    });
    const root = rootWith({});
    writeRpmdb(path.join(root, 'var/lib/rpm/rpmdb.sqlite'), [b]);
    const res = await runCollector(rpmSqliteCollector, root);
    const owned = await rpmSqliteCollector.fileOwners!({ root, files: [], live: false, log: silentLog }, res.components);
    expect([...owned.owners.keys()].some((p) => p.includes('..'))).toBe(false);
    expect(owned.owners.has('/etc/bash.bashrc')).toBe(true);
    expect(owned.problems).toEqual([expect.objectContaining({ code: 'malformed-record', message: expect.stringMatching(/package bash: 3 file path\(s\) not absolute or climbing/) })]);
  });
});

describe('a malformed BerkeleyDB Packages file is a problem, never a crash', () => {
  const item = offPageItems(BDB)[0]!;
  const pageSize = BDB.readUInt32LE(20);
  const firstOverflow = BDB.readUInt32LE(item + 4);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['binary garbage', garbage(16384), /not a Berkeley DB hash database/],
    ['a file shorter than its meta page', BDB.subarray(0, 100), /too short for a Berkeley DB meta page/],
    ['a file cut after the meta page', BDB.subarray(0, pageSize), /buckets but the file holds 1 pages/],
    ['a file cut in the middle of the overflow pages', BDB.subarray(0, (firstOverflow + 1) * pageSize), /lies past the end|overflow item claims 80880 bytes, outside 1\.\.\d+/],
    ['an off-page item claiming 4 GiB', edited(BDB, (b) => b.writeUInt32LE(0xffffffff, item + 8)), /overflow item claims 4294967295 bytes/],
    ['an overflow chain pointing back at itself', edited(BDB, (b) => b.writeUInt32LE(firstOverflow, firstOverflow * pageSize + 16)), /overflow page \d+ holds|loops/],
    ['an overflow chain leaving the file', edited(BDB, (b) => b.writeUInt32LE(0x7fffffff, item + 4)), /page number 2147483647 is outside|lies past the end/],
    ['an overflow page of the wrong type', edited(BDB, (b) => (b[firstOverflow * pageSize + 25] = 13)), /overflow chain reaches page \d+ of type 13/],
    ['a bucket count beyond the file', edited(BDB, (b) => b.writeUInt32LE(0x00ffffff, 72)), /buckets but the file holds/],
    ['a btree instead of a hash', edited(BDB, (b) => b.writeUInt32LE(0x053162, 12)), /btree/],
    ['an encrypted database', edited(BDB, (b) => (b[24] = 1)), /encrypted/],
    ['a bad page size', edited(BDB, (b) => b.writeUInt32LE(1000, 20)), /invalid Berkeley DB page size 1000/],
    ['a damaged header inside the blob', edited(BDB, (b) => b.writeInt32BE(0x7fffffff, (firstOverflow * pageSize) + 26)), /index count 2147483647/],
  ];
  it.each(cases)('%s', async (_label, content, message) => {
    const res = await collectOne(rpmBdbCollector, 'var/lib/rpm/Packages', content);
    expect(res.components).toEqual([]);
    expect(res.problems).toHaveLength(1);
    expect(res.problems[0]!.code).toMatch(/^(corrupt|malformed-record)$/);
    expect(res.problems[0]!.message).toMatch(message);
  });

  it('reads a big-endian (byte-swapped) database the same way', () => {
    // Swap every multi-byte field the reader uses; the header blob stays big-endian.
    const be = Buffer.from(BDB);
    const swap32 = (p: number) => be.writeUInt32BE(BDB.readUInt32LE(p), p);
    const swap16 = (p: number) => be.writeUInt16BE(BDB.readUInt16LE(p), p);
    for (let i = 8; i < 228; i += 4) if (i !== 24) swap32(i);
    for (let base = pageSize; base + pageSize <= BDB.length; base += pageSize) {
      [8, 12, 16].forEach((o) => swap32(base + o));
      swap16(base + 20);
      swap16(base + 22);
      if (BDB[base + 25] !== 13) continue;
      const n = BDB.readUInt16LE(base + 20);
      for (let i = 0; i < n; i++) {
        swap16(base + 26 + 2 * i);
        const off = base + BDB.readUInt16LE(base + 26 + 2 * i);
        if (BDB[off] === 3) [4, 8].forEach((o) => swap32(off + o));
        else if (i % 2 === 0) swap32(off + 1);
      }
    }
    const le = [...bdbPackages(BDB)];
    const swapped = [...bdbPackages(be)];
    expect(swapped).toEqual(le);
    expect(le).toHaveLength(1);
  });
});

describe('a malformed ndb Packages.db is a problem, never a crash', () => {
  const firstSlot = 32;
  const blkOff = NDB.readUInt32LE(firstSlot + 8);
  it('keeps the packages before the point where a file was cut', async () => {
    const res = await collectOne(rpmNdbCollector, 'var/lib/rpm/Packages.db', NDB.subarray(0, Math.floor(NDB.length / 2)));
    expect(res.components.length).toBeGreaterThan(5);
    expect(res.components.length).toBeLessThan(35);
    expect(res.problems.length).toBe(35 - res.components.length);
    expect(res.problems.every((p) => p.code === 'malformed-record' && /outside the \d+-block data area/.test(p.message))).toBe(true);
  });

  it('skips one package whose blob is damaged', async () => {
    const res = await collectOne(rpmNdbCollector, 'var/lib/rpm/Packages.db', edited(NDB, (b) => b.writeUInt32LE(0, blkOff * 16)));
    expect(res.components).toHaveLength(34);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'malformed-record', message: expect.stringMatching(/bad head magic/) })]);
  });

  const cases: Array<[string, Buffer, RegExp]> = [
    ['binary garbage', garbage(8192), /not an rpm ndb database/],
    ['a file shorter than its header', NDB.subarray(0, 20), /too short/],
    ['a huge slot page count', edited(NDB, (b) => b.writeUInt32LE(0xffffffff, 12)), /claims 4294967295 slot pages/],
    ['a damaged slot', edited(NDB, (b) => b.writeUInt32LE(0, firstSlot + 16)), /slot 3 has a bad magic/],
    ['an unknown version', edited(NDB, (b) => b.writeUInt32LE(7, 4)), /unsupported ndb version 7/],
  ];
  it.each(cases)('%s', async (_label, content, message) => {
    const res = await collectOne(rpmNdbCollector, 'var/lib/rpm/Packages.db', content);
    expect(res.components).toEqual([]);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'corrupt', message: expect.stringMatching(message) })]);
  });

  it('refuses a slot claiming a 64 GiB blob without allocating it', async () => {
    const res = await collectOne(rpmNdbCollector, 'var/lib/rpm/Packages.db', edited(NDB, (b) => b.writeUInt32LE(0xffffffff, firstSlot + 12)));
    expect(res.components).toHaveLength(34);
    expect(res.problems).toHaveLength(1);
  });
});

describe('a good database beside a bad one', () => {
  it('still yields the good packages', async () => {
    const root = rootWith({
      'var/lib/rpm/rpmdb.sqlite': SQLITE,
      'usr/lib/sysimage/rpm/rpmdb.sqlite': garbage(4096),
      'var/lib/rpm/Packages': garbage(4096),
      'var/lib/rpm/Packages.db': NDB.subarray(0, 16),
    });
    const sqlite = await runCollector(rpmSqliteCollector, root);
    expect(sqlite.components).toHaveLength(129);
    expect(sqlite.problems).toEqual([expect.objectContaining({ path: '/usr/lib/sysimage/rpm/rpmdb.sqlite', code: 'corrupt' })]);
    const bdb = await runCollector(rpmBdbCollector, root);
    expect(bdb).toEqual({ components: [], problems: [expect.objectContaining({ path: '/var/lib/rpm/Packages', code: 'corrupt' })] });
    const ndb = await runCollector(rpmNdbCollector, root);
    expect(ndb).toEqual({ components: [], problems: [expect.objectContaining({ path: '/var/lib/rpm/Packages.db', code: 'corrupt' })] });
  });

  it('reads a database reached through two paths once', async () => {
    const root = rootWith({ 'usr/lib/sysimage/rpm/rpmdb.sqlite': SQLITE });
    mkdirSync(path.join(root, 'var/lib'), { recursive: true });
    symlinkSync('/usr/lib/sysimage/rpm', path.join(root, 'var/lib/rpm'));
    const res = await runCollector(rpmSqliteCollector, root);
    expect(res.components).toHaveLength(129);
    expect(res.components[0]!.locations).toEqual(['/var/lib/rpm/rpmdb.sqlite']);
  });
});

describe('randomly damaged databases only ever give problems', () => {
  const formats: Array<[string, Buffer, (b: Buffer) => Iterable<unknown>]> = [
    ['BerkeleyDB', BDB, bdbPackages],
    ['ndb', NDB, ndbPackages],
  ];
  it.each(formats)('%s', (_label, base, read) => {
    for (let i = 0; i < 300; i++) {
      const b = Buffer.from(base);
      for (let k = 1 + rand(8); k > 0; k--) {
        // Structures live at the start of pages; damage those more often than blob bytes.
        const at = rand(3) ? rand(64) + 4096 * rand(Math.ceil(b.length / 4096)) : rand(b.length);
        if (at < b.length) b[at] = rand(256);
      }
      try {
        for (const _ of read(rand(8) ? b : b.subarray(0, rand(b.length)))) void _;
      } catch (err) {
        expect(err).toBeInstanceOf(RpmFormatError);
      }
    }
  });
});
