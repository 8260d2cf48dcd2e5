import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readTar, TarError, type TarEntry, type TarLimits } from '../../src/common/tar.js';
import { REPO } from '../helpers/fixtures.js';

const UCT = path.join(REPO, 'data/feeds/ubuntu/uct-active.tar.gz');
const tmp = mkdtempSync(path.join(tmpdir(), 'vigil-tar-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The archive as chunks of `size` bytes, so entries and headers straddle chunk boundaries. */
async function* chunked(buf: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function entries(buf: Buffer, limits: Partial<TarLimits> = {}, chunk?: number): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  for await (const e of readTar(chunked(buf, chunk), limits)) out.push(e);
  return out;
}

async function tarError(buf: Buffer, limits: Partial<TarLimits> = {}): Promise<{ err: TarError; before: TarEntry[] }> {
  const before: TarEntry[] = [];
  try {
    for await (const e of readTar(chunked(buf), limits)) before.push(e);
  } catch (err) {
    expect(err).toBeInstanceOf(TarError);
    return { err: err as TarError, before };
  }
  throw new Error('expected a TarError');
}

/** What Python's tarfile (the reference reader) sees: name, type, size, link and a digest of the data. */
function pythonListing(file: string): Array<{ name: string; type: string; size: number; link?: string; sha?: string }> {
  const script = `
import hashlib, json, sys, tarfile
out = []
with tarfile.open(sys.argv[1]) as t:
    for m in t.getmembers():
        e = {"name": m.name, "type": "file" if m.isreg() else "directory" if m.isdir() else "symlink" if m.issym() else "hardlink" if m.islnk() else "other", "size": m.size if m.isreg() else 0}
        if m.issym() or m.islnk(): e["link"] = m.linkname
        if m.isreg(): e["sha"] = hashlib.sha256(t.extractfile(m).read()).hexdigest()
        out.append(e)
print(json.dumps(out))`;
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

function ours(list: TarEntry[]) {
  return list.map((e) => ({
    name: e.name.replace(/\/$/, ''),
    type: e.type,
    size: e.size,
    ...(e.linkName !== undefined ? { link: e.linkName } : {}),
    ...(e.data ? { sha: createHash('sha256').update(e.data).digest('hex') } : {}),
  }));
}

/** A tar written by Python in the given format, with names and types that exercise every header kind. */
function pythonTar(format: 'USTAR' | 'GNU' | 'PAX'): string {
  const file = path.join(tmp, `${format}.tar`);
  execFileSync('python3', ['-c', `
import io, sys, tarfile
fmt = getattr(tarfile, sys.argv[2] + "_FORMAT")
def add(t, name, data=None, type=tarfile.REGTYPE, link=""):
    i = tarfile.TarInfo(name); i.type = type; i.linkname = link; i.mtime = 0
    if data is not None: i.size = len(data)
    t.addfile(i, io.BytesIO(data) if data is not None else None)
with tarfile.open(sys.argv[1], "w", format=fmt) as t:
    add(t, "active", type=tarfile.DIRTYPE)
    add(t, "active/CVE-2024-0001", b"Candidate: CVE-2024-0001\\n")
    add(t, "active/empty", b"")
    add(t, "active/block", b"x" * 512)
    add(t, "active/" + "d" * 120 + "/CVE-2024-0002", b"long path in prefix or extension\\n")
    add(t, "active/link", type=tarfile.SYMTYPE, link="CVE-2024-0001")
    add(t, "active/hard", type=tarfile.LNKTYPE, link="active/CVE-2024-0001")
    add(t, "active/fifo", type=tarfile.FIFOTYPE)
    if sys.argv[2] != "USTAR":
        add(t, "active/" + "n" * 300, b"name longer than ustar can hold\\n")
        add(t, "active/caf\\u00e9-\\u2603", b"unicode name\\n")
`, file, format]);
  return file;
}

// --- hand-made headers for archives no well-behaved tool writes ---
function header(name: string, size: number | Buffer, type = '0', opts: { badChecksum?: boolean } = {}): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  if (Buffer.isBuffer(size)) size.copy(h, 124);
  else h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\x0000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${(opts.badChecksum ? sum + 1 : sum).toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

function file(name: string, data: Buffer | string, type = '0'): Buffer {
  const d = Buffer.from(data);
  return Buffer.concat([header(name, d.length, type), d, Buffer.alloc((512 - (d.length % 512)) % 512)]);
}

const END = Buffer.alloc(1024);

describe('tar reader agrees with Python tarfile', () => {
  it('reads all 6,509 tracker files of the bundled Ubuntu CVE Tracker archive as Python does', async () => {
    const list = await entries(gunzipSync(readFileSync(UCT)));
    expect(list.filter((e) => e.type === 'file')).toHaveLength(6509);
    expect(list.every((e) => e.type !== 'file' || /^active\/CVE-\d{4}-\d+$/.test(e.name))).toBe(true);
    expect(ours(list)).toEqual(pythonListing(UCT));
  });

  it.each(['USTAR', 'GNU', 'PAX'] as const)('reads a %s archive written by Python: long and unicode names, links, fifo, empty and block-sized files', async (format) => {
    const f = pythonTar(format);
    const list = await entries(readFileSync(f));
    expect(ours(list)).toEqual(pythonListing(f));
    expect(list.find((e) => e.name === 'active/link')).toMatchObject({ type: 'symlink', linkName: 'CVE-2024-0001' });
    if (format !== 'USTAR') expect(list.some((e) => e.name === `active/${'n'.repeat(300)}`)).toBe(true);
  });

  it('gives the same entries whatever the chunk size of the stream', async () => {
    const buf = readFileSync(pythonTar('PAX'));
    const whole = ours(await entries(buf));
    expect(ours(await entries(buf, {}, 1))).toEqual(whole);
    expect(ours(await entries(buf, {}, 511))).toEqual(whole);
    expect(ours(await entries(buf, {}, 513))).toEqual(whole);
  });
});

describe('tar reader refuses hostile or broken archives', () => {
  it('returns an entry named ../../etc/passwd as a name only', async () => {
    const list = await entries(Buffer.concat([file('../../etc/passwd', 'root:x:0:0'), END]));
    expect(list).toMatchObject([{ name: '../../etc/passwd', type: 'file', data: Buffer.from('root:x:0:0') }]);
  });

  it('throws on an archive without its end-of-archive blocks, which a cut between entries leaves', async () => {
    const { err, before } = await tarError(file('a', 'x'));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toBe('archive ends at offset 1024 without its end-of-archive block (cut short?)');
    expect(before.map((e) => e.name)).toEqual(['a']);
    expect(await entries(Buffer.concat([file('a', 'x'), Buffer.alloc(512)]))).toHaveLength(1);
  });

  it('throws on a bad header checksum, naming the offset', async () => {
    const { err, before } = await tarError(Buffer.concat([file('a', 'x'), header('b', 0, '0', { badChecksum: true }), END]));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toContain('offset 1024');
    expect(before.map((e) => e.name)).toEqual(['a']);
  });

  it('throws on bytes that are not a tar archive', async () => {
    expect((await tarError(Buffer.from('Candidate: CVE-2020-0001\n'.repeat(40)))).err.message).toMatch(/checksum|header/);
  });

  it('throws when the archive ends inside a header or inside data, keeping the entries before', async () => {
    const full = Buffer.concat([file('a', 'x'), file('b', 'y'.repeat(2000)), END]);
    const inData = await tarError(full.subarray(0, 1024 + 512 + 100));
    expect(inData.err.message).toContain('ends inside "b"');
    expect(inData.before.map((e) => e.name)).toEqual(['a']);
    expect((await tarError(full.subarray(0, 1024 + 200))).err.message).toContain('inside the header');
  });

  it('throws on a size field that is not octal', async () => {
    expect((await tarError(Buffer.concat([header('a', Buffer.from('12345678z01\0')), END]))).err.message).toContain('not an octal number');
  });

  it('skips the data of an entry over the size limit and goes on with the next', async () => {
    const list = await entries(Buffer.concat([file('big', 'z'.repeat(5000)), file('small', 'ok'), END]), { maxEntryBytes: 4096 });
    expect(list[0]).toMatchObject({ name: 'big', size: 5000, skipped: '5000 bytes, more than the limit of 4096' });
    expect(list[0]!.data).toBeUndefined();
    expect(list[1]).toMatchObject({ name: 'small', data: Buffer.from('ok') });
  });

  it('refuses a base-256 size beyond the archive limit before reading anything of it', async () => {
    const huge = Buffer.alloc(12);
    huge[0] = 0x80;
    huge.writeUIntBE(8 * 1024 ** 3, 6, 6);
    const { err } = await tarError(Buffer.concat([header('a', huge), END]));
    expect(err.kind).toBe('too-large');
  });

  it('refuses more entries than the limit and pax headers over the limit', async () => {
    const many = Buffer.concat([file('a', '1'), file('b', '2'), file('c', '3'), END]);
    expect((await tarError(many, { maxEntries: 2 })).err.kind).toBe('too-large');
    const pax = file('PaxHeaders/a', `${'30 path=' + 'p'.repeat(21)}\n`, 'x');
    expect((await tarError(Buffer.concat([pax, file('a', '1'), END]), { maxHeaderBytes: 16 })).err.kind).toBe('too-large');
  });

  it('throws on a pax record whose length runs past the header', async () => {
    const pax = file('PaxHeaders/a', '99 path=x\n', 'x');
    expect((await tarError(Buffer.concat([pax, file('a', '1'), END]))).err.message).toContain('pax');
  });
});

describe('indexTar', () => {
  it('finds every regular file of the real Ubuntu tracker archive at the offset readTar reads it from', async () => {
    const { bufferSource } = await import('../../src/common/byte-source.js');
    const { indexTar } = await import('../../src/common/tar.js');
    const buf = gunzipSync(readFileSync(UCT));
    const index = await indexTar(bufferSource(buf), 100_000);
    const files = (await entries(buf, { maxEntryBytes: 4 * 1024 * 1024 })).filter((e) => e.type === 'file');
    expect(index.size).toBe(files.length);
    for (const e of files.slice(0, 500)) {
      const m = index.get(e.name.replace(/^(\.\/|\/)+/, ''))!;
      expect(buf.subarray(m.offset, m.offset + m.size).equals(e.data!)).toBe(true);
    }
    await expect(indexTar(bufferSource(buf.subarray(0, 100_000)), 100_000)).rejects.toThrow(/runs past the end of the file|without its end-of-archive block/);
    await expect(indexTar(bufferSource(buf), 10)).rejects.toThrow('more than 10 members');
    const corrupt = Buffer.from(buf.subarray(0, 4096));
    corrupt[100] = corrupt[100]! ^ 0xff;
    await expect(indexTar(bufferSource(corrupt), 10)).rejects.toThrow('bad tar header checksum at offset 0');
  });
});
