import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/common/byte-source.js';
import { ZipArchive, ZipError, type ZipLimits } from '../../src/common/zip.js';
import { makeZip } from './make-zip.js';

const JACKSON = path.resolve('test/fixtures/pkgdb/java/jars/jackson-annotations-2.15.0-rc2.metadata-only.jar');
const tmp = mkdtempSync(path.join(tmpdir(), 'vigil-zip-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What Python's zipfile (the reference reader) sees in an archive. */
function pythonListing(file: string): Array<{ name: string; size: number; crc: number; content: string }> {
  const script = `
import json, sys, zipfile, base64
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps([{"name": i.filename, "size": i.file_size, "crc": i.CRC,
        "content": base64.b64encode(z.read(i)).decode()} for i in z.infolist()]))`;
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
}

async function ourListing(buf: Buffer, limits: Partial<ZipLimits> = {}) {
  const zip = await ZipArchive.open(bufferSource(buf), limits);
  const out = [];
  for (const e of zip.entries) out.push({ name: e.name, size: e.size, crc: e.crc32, content: (await zip.read(e)).toString('base64') });
  return out;
}

async function zipError(buf: Buffer, read?: string, limits: Partial<ZipLimits> = {}): Promise<ZipError> {
  try {
    const zip = await ZipArchive.open(bufferSource(buf), limits);
    for (const e of zip.entries) if (read === undefined || e.name === read) await zip.read(e);
  } catch (err) {
    expect(err).toBeInstanceOf(ZipError);
    return err as ZipError;
  }
  throw new Error('expected a ZipError');
}

describe('zip reader agrees with Python zipfile', () => {
  it('reads every entry of the jackson-annotations jar exactly as Python does', async () => {
    expect(await ourListing(readFileSync(JACKSON))).toEqual(pythonListing(JACKSON));
  });

  it('reads a Python-written archive with stored, deflated and forced-zip64 entries', async () => {
    const file = path.join(tmp, 'py.zip');
    execFileSync('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("stored.txt", "plain " * 100, compress_type=zipfile.ZIP_STORED)
    z.writestr("dir/", "")
    z.writestr("deflated.txt", "squeeze " * 5000, compress_type=zipfile.ZIP_DEFLATED)
    with z.open("z64.bin", "w", force_zip64=True) as f:
        f.write(bytes(range(256)) * 64)
    z.comment = b"archive comment"
`, file]);
    const ours = await ourListing(readFileSync(file));
    expect(ours).toEqual(pythonListing(file));
    expect(ours.map((e) => e.name)).toEqual(['stored.txt', 'dir/', 'deflated.txt', 'z64.bin']);
  });

  it('reads a Python-written archive of 70,000 entries (zip64 entry count)', async () => {
    const file = path.join(tmp, 'many.zip');
    execFileSync('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for i in range(70000):
        z.writestr(f"e/{i}.txt", str(i))
`, file]);
    const zip = await ZipArchive.open(bufferSource(readFileSync(file)));
    expect(zip.entries).toHaveLength(70000);
    expect((await zip.read(zip.find('e/69999.txt')!)).toString()).toBe('69999');
    await expect(ZipArchive.open(bufferSource(readFileSync(file)), { maxEntries: 1000 })).rejects.toMatchObject({ kind: 'too-large' });
  });

  it('reads test-written archives (zip64 records, launch-script prefix) that Python also accepts', async () => {
    const inputs = [
      { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\n\r\n', deflate: true },
      { name: 'a/b.txt', data: 'hello' },
    ];
    for (const [label, buf] of [
      ['plain', makeZip(inputs)],
      ['zip64', makeZip(inputs, { zip64: true })],
      ['prefixed', makeZip(inputs, { prefix: '#!/bin/sh\nexec java -jar "$0" "$@"\n' })],
      ['prefixed zip64', makeZip(inputs, { zip64: true, prefix: Buffer.alloc(4096, 0x23) })],
      ['commented', makeZip(inputs, { comment: 'built by the Vigil tests' })],
      // End records farther from the end than the first, short look at the tail reaches.
      ['long comment', makeZip(inputs, { comment: 'c'.repeat(60_000) })],
      ['zip64 long comment', makeZip(inputs, { zip64: true, comment: 'c'.repeat(60_000) })],
      ['zip64 locator just outside the short look', makeZip(inputs, { zip64: true, comment: 'c'.repeat(4064) })],
    ] as const) {
      const file = path.join(tmp, `${label.replace(' ', '-')}.zip`);
      writeFileSync(file, buf);
      execFileSync('python3', ['-m', 'zipfile', '-t', file]);
      expect(await ourListing(buf), label).toEqual(pythonListing(file));
    }
    // Python takes the last signature even inside the comment; the comment length must fit for Vigil.
    const tricky = makeZip(inputs, { comment: 'PK\x05\x06 looks like an end record' });
    expect((await ourListing(tricky)).map((e) => e.name)).toEqual(['META-INF/MANIFEST.MF', 'a/b.txt']);
  });

  it('finds an entry by name in any case, also where lower-casing changes the length', async () => {
    const zip = await ZipArchive.open(bufferSource(makeZip([{ name: 'META-INF/MANIFEST.MF', data: 'x' }, { name: 'DİR/file', data: 'y' }])));
    expect(zip.find('meta-inf/manifest.mf', true)?.name).toBe('META-INF/MANIFEST.MF');
    expect(zip.find('meta-inf/manifest.mf')).toBeUndefined();
    expect(zip.find('DİR/file'.toLowerCase(), true)?.name).toBe('DİR/file');
  });
});

describe('zip reader refuses hostile or broken archives with a clear error', () => {
  const good = makeZip([
    { name: 'x.txt', data: 'x'.repeat(1000), deflate: true },
    { name: 'y.txt', data: 'y' },
  ]);

  it('empty input, garbage and a truncated archive are corrupt', async () => {
    expect((await zipError(Buffer.alloc(0))).message).toMatch(/too short/);
    expect((await zipError(Buffer.from('this is not a zip archive at all, just text'))).message).toMatch(/end of central directory not found/);
    const truncated = await zipError(readFileSync(JACKSON).subarray(0, 3000));
    expect(truncated.kind).toBe('corrupt');
  });

  it('a central directory offset outside the file is corrupt', async () => {
    const bad = Buffer.from(good);
    bad.writeUInt32LE(0x7fffff00, bad.length - 6);
    const err = await zipError(bad);
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/central directory/);
  });

  it('an entry whose local header offset points past the data is corrupt', async () => {
    const bad = Buffer.from(good);
    const cd = bad.readUInt32LE(bad.length - 6);
    bad.writeUInt32LE(0x00ffffff, cd + 42);
    expect((await zipError(bad, 'x.txt')).message).toMatch(/outside the file|local header/);
  });

  it('a huge declared size is refused before inflating', async () => {
    const err = await zipError(makeZip([{ name: 'big.bin', data: 'tiny', deflate: true, declaredSize: 0xfffffff0 }]));
    expect(err.kind).toBe('too-large');
    expect(err.message).toMatch(/declares 4294967280 bytes/);
  });

  it('a zip64 size beyond 2^53 is corrupt, not a crash', async () => {
    const buf = makeZip([{ name: 'a', data: 'a' }], { zip64: true });
    const cd = buf.length - 22 - 20 - 56 - (46 + 1 + 28);
    buf.writeBigUInt64LE(0xffffffffffffffffn, cd + 46 + 1 + 4);
    expect((await zipError(buf)).message).toMatch(/out of range/);
  });

  it('an entry that inflates past its declared size is corrupt (lying header)', async () => {
    const err = await zipError(makeZip([{ name: 'lie.txt', data: 'a'.repeat(100_000), deflate: true, declaredSize: 1000 }]));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/more than its declared 1000 bytes/);
  });

  it('a zip bomb (64 MiB of zeros in about 64 KiB) is refused by the ratio limit', async () => {
    const err = await zipError(makeZip([{ name: 'bomb.jar', data: Buffer.alloc(64 * 1024 * 1024), deflate: true }]));
    expect(err.kind).toBe('too-large');
    expect(err.message).toMatch(/zip bomb/);
  });

  it('a CRC mismatch, an unknown method and encryption are reported', async () => {
    const crc = Buffer.from(good);
    const cd = crc.readUInt32LE(crc.length - 6);
    crc.writeUInt32LE(0xdeadbeef, cd + 16);
    expect((await zipError(crc, 'x.txt')).message).toMatch(/CRC-32 mismatch/);
    const method = Buffer.from(good);
    method.writeUInt16LE(12, cd + 10);
    expect(await zipError(method, 'x.txt')).toMatchObject({ kind: 'unsupported' });
    const enc = Buffer.from(good);
    enc.writeUInt16LE(0x801, cd + 8);
    expect((await zipError(enc, 'x.txt')).message).toMatch(/encrypted/);
  });

  it('bad deflate data is corrupt', async () => {
    const buf = makeZip([{ name: 'x', data: 'x'.repeat(5000), deflate: true }]);
    buf.fill(0xff, 30 + 1, 30 + 1 + 4);
    expect(await zipError(buf)).toMatchObject({ kind: 'corrupt' });
  });

  it('keeps hostile entry names as plain names', async () => {
    const names = ['../../etc/passwd', '/abs/path.jar', 'a/$(touch pwned);`id`|x.jar', 'C:\\windows\\evil.jar', 'nul\u0000byte'];
    const zip = await ZipArchive.open(bufferSource(makeZip(names.map((name) => ({ name, data: name })))));
    expect(zip.entries.map((e) => e.name)).toEqual(names);
    for (const e of zip.entries) expect((await zip.read(e)).toString()).toBe(e.name);
  });

  it('finds entries by the end of their stored names as the decoded names end, in any encoding and case', async () => {
    const names = ['META-INF/MANIFEST.MF', 'meta-inf/Manifest.Mf', 'lib/a.JAR', 'lib/dir.jar/', 'lib/é.jar', 'lib/\u212A.kar', 'x.KAR', 'jar', 'lib/LATIN.jar', 'pom.properties.bak'];
    const buf = makeZip(names.map((name) => ({ name, data: name })));
    // One name as a legacy archive stores it: latin1 bytes, no UTF-8 flag (read back as latin1).
    const legacy = Buffer.from('lib/LATIN.jar');
    for (let at = buf.indexOf(legacy); at >= 0; at = buf.indexOf(legacy, at + 1)) buf[at + 4] = 0xc9;
    for (let at = buf.indexOf(0x02014b50 & 0xff); at >= 0 && at + 46 < buf.length; at = buf.indexOf(0x50, at + 1)) {
      if (buf.readUInt32LE(at) === 0x02014b50 && buf.subarray(at + 46, at + 46 + 13).equals(Buffer.from('lib/\xc9ATIN.jar', 'latin1'))) buf.writeUInt16LE(0, at + 8);
    }
    const zip = await ZipArchive.open(bufferSource(buf));
    expect(zip.entries.map((e) => e.name)).toContain('lib/ÉATIN.jar');
    const suffixes = ['.jar', '.kar', 'manifest.mf'];
    const fresh = await ZipArchive.open(bufferSource(buf));
    const byDecoded = (ignoreCase: boolean) =>
      zip.entries.filter((e) => suffixes.some((x) => (ignoreCase ? e.name.replace(/[A-Z]/g, (c) => c.toLowerCase()) : e.name).endsWith(x))).map((e) => e.name);
    expect(fresh.entriesEndingWith(suffixes, true).map((e) => e.name)).toEqual(byDecoded(true));
    expect(fresh.entriesEndingWith(suffixes).map((e) => e.name)).toEqual(byDecoded(false));
    expect(fresh.entriesEndingWith(['.jar'], true).map((e) => e.name)).toEqual(['lib/a.JAR', 'lib/é.jar', 'lib/ÉATIN.jar']);
    // The same entries as `entries` gives, field for field.
    expect(fresh.entriesEndingWith(['manifest.mf'], true)).toEqual(zip.entries.slice(0, 2));
    expect(() => fresh.entriesEndingWith(['.jär'])).toThrow(/ASCII/);
  });

  it('respects a smaller per-read cap', async () => {
    const zip = await ZipArchive.open(bufferSource(good));
    await expect(zip.read(zip.find('x.txt')!, 10)).rejects.toMatchObject({ kind: 'too-large' });
  });
});
