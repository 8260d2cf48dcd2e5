import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRpmHeader, RpmFormatError } from '../../../src/inventory/collectors/rpm-header.parse.js';
import { ndbPackages } from '../../../src/inventory/collectors/rpm-ndb.parse.js';
import { expectedPackages, RPM, sqliteFixtureBlobs } from './rpm-fixtures.js';

const blobs = sqliteFixtureBlobs();

/** Index of the first index entry with `tag`. */
function entryOf(blob: Buffer, tag: number): number {
  const il = blob.readInt32BE(0);
  for (let i = 0; i < il; i++) if (blob.readInt32BE(8 + i * 16) === tag) return i;
  throw new Error(`no tag ${tag}`);
}

/** Absolute offset of `tag`'s data. */
function dataOf(blob: Buffer, tag: number): number {
  return 8 + blob.readInt32BE(0) * 16 + blob.readInt32BE(8 + entryOf(blob, tag) * 16 + 8);
}

function mutated(base: Buffer, edit: (b: Buffer) => void): Buffer {
  const b = Buffer.from(base);
  edit(b);
  return b;
}

function blobNamed(name: string): Buffer {
  const b = blobs.find((x) => parseRpmHeader(x).name === name);
  if (!b) throw new Error(`no ${name}`);
  return b;
}

describe('rpm header blobs parse to the values rpm reports', () => {
  it('reads every header of the sqlite fixture as rpm 4.18 did', () => {
    const got = blobs.map((b) => {
      const h = parseRpmHeader(b);
      return {
        name: h.name,
        epoch: h.epoch ?? null,
        version: h.version,
        release: h.release,
        arch: h.arch,
        sourcerpm: h.sourceRpm,
        size: h.size,
        license: h.license,
        vendor: h.vendor,
        modularitylabel: h.modularityLabel ?? null,
      };
    });
    const sort = <T extends { name: string; arch: string | undefined }>(xs: T[]) => [...xs].sort((a, b) => `${a.name}.${a.arch}`.localeCompare(`${b.name}.${b.arch}`));
    expect(sort(got)).toEqual(sort(expectedPackages('cbl-mariner-2.0')));
  });

  it('reads SIGMD5 and SUMMARY of the ndb fixture as its expectations list them', () => {
    const headers = [...ndbPackages(readFileSync(path.join(RPM, 'sle15-bci-ndb/Packages.db')))].map((r) => {
      if (!('blob' in r)) throw new Error(r.error);
      return parseRpmHeader(r.blob);
    });
    const got = headers.map((h) => ({ name: h.name, sigmd5: h.sigmd5, summary: h.summary }));
    const want = expectedPackages('sle15-bci-ndb').map((p) => ({ name: p.name, sigmd5: p.sigmd5, summary: p.summary }));
    expect(got).toEqual(want);
  });

  it('leaves epoch out when the header has no EPOCH tag and keeps 0 when it has one', () => {
    expect(parseRpmHeader(blobNamed('bash')).epoch).toBeUndefined();
    expect(parseRpmHeader(blobNamed('ca-certificates-base')).epoch).toBe(1);
  });

  it('joins DIRNAMES and BASENAMES through DIRINDEXES into absolute paths', () => {
    const files = parseRpmHeader(blobNamed('bash')).files();
    expect(files).toContain('/bin/bash');
    expect(files.every((f) => f.startsWith('/'))).toBe(true);
  });

  it('keeps an empty VENDOR apart from a missing one', () => {
    const noVendor = mutated(blobNamed('bash'), (b) => b.writeInt32BE(5999, 8 + entryOf(b, 1011) * 16));
    expect(parseRpmHeader(noVendor).vendor).toBeUndefined();
    expect(parseRpmHeader(blobNamed('bash')).vendor).toBe('Microsoft Corporation');
  });
});

describe('malformed rpm header blobs are refused with a clear error', () => {
  const bash = blobNamed('bash');
  const cases: Array<[string, Buffer, RegExp]> = [
    ['an empty blob', Buffer.alloc(0), /too short for its 8-byte preamble/],
    ['a truncated blob', bash.subarray(0, bash.length - 100), /declares \d+ bytes .* but the record holds/],
    ['a blob with trailing bytes', Buffer.concat([bash, Buffer.alloc(4)]), /declares \d+ bytes/],
    ['binary garbage', Buffer.from('this is not an rpm header at all, just text!'), /index count \d+ is outside/],
    ['an index count of 2^31-1', mutated(bash, (b) => b.writeInt32BE(0x7fffffff, 0)), /index count 2147483647 is outside/],
    ['a negative index count', mutated(bash, (b) => b.writeInt32BE(-1, 0)), /index count -1 is outside/],
    ['a data length of 2^31-1', mutated(bash, (b) => b.writeInt32BE(0x7fffffff, 4)), /data length 2147483647 is outside/],
    ['a region tag of the wrong type', mutated(bash, (b) => b.writeInt32BE(4, 12)), /region tag 63 has type 4/],
    ['a region trailer outside the data', mutated(bash, (b) => b.writeInt32BE(0x7ffffff0, 16)), /region trailer offset \d+ lies outside/],
    ['a region trailer claiming more entries than exist', mutated(bash, (b) => b.writeInt32BE(-16 * 100000, dataOf(b, 63) + 8)), /region trailer claims 1600000 index bytes/],
    ['a huge string array count', mutated(bash, (b) => b.writeInt32BE(0x0fffffff, 8 + entryOf(b, 1117) * 16 + 12)), /BASENAMES \(1117\).*do not end in a NUL|BASENAMES \(1117\).*run past/],
    ['a count above rpm\'s data limit', mutated(bash, (b) => b.writeUInt32BE(0xffffffff, 8 + entryOf(b, 1009) * 16 + 12)), /SIZE \(1009\).*element count 4294967295 is outside/],
    ['an int32 entry running past the data', mutated(bash, (b) => b.writeInt32BE(0x00ffffff, 8 + entryOf(b, 1009) * 16 + 12)), /SIZE \(1009\).*run past/],
    ['a data offset past the data store', mutated(bash, (b) => b.writeInt32BE(0x0ffffff0, 8 + entryOf(b, 1000) * 16 + 8)), /NAME \(1000\)/],
    ['a negative data offset', mutated(bash, (b) => b.writeInt32BE(-8, 8 + entryOf(b, 1000) * 16 + 8)), /NAME \(1000\): data offset -8 overlaps/],
    ['a misaligned int32', mutated(bash, (b) => b.writeInt32BE(b.readInt32BE(8 + entryOf(b, 1009) * 16 + 8) + 1, 8 + entryOf(b, 1009) * 16 + 8)), /SIZE \(1009\): int32 data at offset \d+ is misaligned/],
    ['an unknown data type', mutated(bash, (b) => b.writeInt32BE(12, 8 + entryOf(b, 1000) * 16 + 4)), /NAME \(1000\): unknown data type 12/],
    ['an unterminated NAME', mutated(bash, (b) => b.fill(0x41, dataOf(b, 1000), dataOf(b, 1001))), /NAME \(1000\)/],
    ['a tag number below 100', mutated(bash, (b) => b.writeInt32BE(50, 8 + entryOf(b, 1000) * 16)), /tag numbers below 100/],
    ['no NAME tag', mutated(bash, (b) => b.writeInt32BE(5998, 8 + entryOf(b, 1000) * 16)), /header has no NAME \(1000\) tag/],
    ['no VERSION tag', mutated(bash, (b) => b.writeInt32BE(5998, 8 + entryOf(b, 1001) * 16)), /header has no VERSION \(1001\) tag/],
    ['NAME stored as an int32', mutated(bash, (b) => b.writeInt32BE(4, 8 + entryOf(b, 1000) * 16 + 4)), /NAME \(1000\)/],
    ['an empty NAME', mutated(bash, (b) => b.fill(0, dataOf(b, 1000), dataOf(b, 1001))), /NAME \(1000\)/],
  ];
  it.each(cases)('%s', (_label, blob, message) => {
    expect(() => parseRpmHeader(blob)).toThrow(RpmFormatError);
    expect(() => parseRpmHeader(blob)).toThrow(message);
  });

  it('refuses a file list whose DIRINDEXES point past DIRNAMES, when the list is read', () => {
    const b = mutated(bash, (x) => x.writeInt32BE(100000, dataOf(x, 1116)));
    const h = parseRpmHeader(b);
    expect(h.name).toBe('bash');
    expect(() => h.files()).toThrow(/points at directory 100000, outside the \d+ DIRNAMES/);
  });

  it('refuses a file list with fewer strings than BASENAMES claims, when the list is read', () => {
    const e = 8 + entryOf(bash, 1117) * 16 + 12;
    const b = mutated(bash, (x) => x.writeInt32BE(x.readInt32BE(e) + 1, e));
    expect(() => parseRpmHeader(b).files()).toThrow(RpmFormatError);
  });

  it('only ever throws RpmFormatError on thousands of randomly damaged blobs', () => {
    let seed = 0x9e3779b9;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    let parsed = 0;
    let refused = 0;
    for (let i = 0; i < 4000; i++) {
      const b = Buffer.from(blobs[rand(blobs.length)]!);
      const flips = 1 + rand(4);
      // Index entries and the preamble are where damage matters most.
      for (let k = 0; k < flips; k++) b[rand(Math.min(b.length, rand(2) ? 8 + 16 * 40 : b.length))] = rand(256);
      const blob = rand(10) === 0 ? b.subarray(0, rand(b.length)) : b;
      try {
        const h = parseRpmHeader(blob);
        h.files();
        parsed++;
      } catch (err) {
        expect(err).toBeInstanceOf(RpmFormatError);
        refused++;
      }
    }
    expect(parsed + refused).toBe(4000);
    expect(refused).toBeGreaterThan(100);
  });
});
