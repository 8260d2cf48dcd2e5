import path from 'node:path';
import type { ByteSource } from './byte-source.js';

/**
 * A small streaming tar reader (ustar, pax and GNU long names) for archives that come
 * from the network: every size read from a header is checked against limits before
 * anything is buffered, entries are only ever returned in memory (an entry name is
 * data, never a path to write to), and oversized entries are skipped, not buffered.
 */

export interface TarLimits {
  maxEntries: number;
  /** Bytes of one entry returned in memory; larger entries come back without data. */
  maxEntryBytes: number;
  /** Bytes of a pax extended header or GNU long name. */
  maxHeaderBytes: number;
  /** Bytes of the whole (uncompressed) archive read. */
  maxTotalBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = {
  maxEntries: 1_000_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxHeaderBytes: 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
};

export type TarErrorKind = 'corrupt' | 'too-large';

export class TarError extends Error {
  constructor(
    readonly kind: TarErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'TarError';
  }
}

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  name: string;
  type: TarEntryType;
  size: number;
  linkName?: string;
  /** Contents of a file within `maxEntryBytes`; absent for other types and skipped files. */
  data?: Buffer;
  /** Why a file came back without data. */
  skipped?: string;
}

const BLOCK = 512;

/** Exact reads over a stream of chunks of any size. */
class ChunkReader {
  private chunks: Buffer[] = [];
  private have = 0;
  private ended = false;
  consumed = 0;

  constructor(private readonly it: AsyncIterator<Buffer | Uint8Array | string>) {}

  private async fill(n: number): Promise<void> {
    while (this.have < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const b = typeof r.value === 'string' ? Buffer.from(r.value, 'latin1') : Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
      if (b.length > 0) {
        this.chunks.push(b);
        this.have += b.length;
      }
    }
  }

  /** Up to `n` bytes; fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const take = Math.min(n, this.have);
    const parts: Buffer[] = [];
    let left = take;
    while (left > 0) {
      const c = this.chunks[0]!;
      if (c.length <= left) {
        parts.push(c);
        this.chunks.shift();
        left -= c.length;
      } else {
        parts.push(c.subarray(0, left));
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.have -= take;
    this.consumed += take;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, take);
  }

  /** Drops `n` bytes without keeping them; returns how many there were. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.have === 0) {
        await this.fill(1);
        if (this.have === 0) break;
      }
      const c = this.chunks[0]!;
      const d = Math.min(c.length, left);
      if (d === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(d);
      this.have -= d;
      left -= d;
    }
    this.consumed += n - left;
    return n - left;
  }
}

function cString(buf: Buffer, at: number, len: number): string {
  const field = buf.subarray(at, at + len);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? len : nul).toString('utf8');
}

/** Octal ASCII, or GNU base-256 when the top bit of the first byte is set. */
function numeric(buf: Buffer, at: number, len: number, what: string): number {
  const field = buf.subarray(at, at + len);
  if (field[0]! & 0x80) {
    if (field[0]! & 0x40) throw new TarError('corrupt', `negative ${what} in base-256`);
    let v = field[0]! & 0x3f;
    for (let i = 1; i < len; i++) {
      v = v * 256 + field[i]!;
      if (v > Number.MAX_SAFE_INTEGER) throw new TarError('too-large', `${what} is out of range`);
    }
    return v;
  }
  const s = field.toString('latin1').replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError('corrupt', `${what} is not an octal number: ${JSON.stringify(s.slice(0, 20))}`);
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  let stored: number;
  try {
    stored = numeric(h, 148, 8, 'checksum');
  } catch {
    return false;
  }
  // Some old writers summed signed bytes; both are accepted, as GNU tar does.
  return stored === unsigned || stored === signed;
}

/** pax records: `<len> <key>=<value>\n`, the length counting the whole record. */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let p = 0;
  while (p < data.length) {
    const sp = data.indexOf(0x20, p);
    if (sp < 0 || sp - p > 20) break;
    const len = Number(data.toString('latin1', p, sp));
    if (!Number.isSafeInteger(len) || len <= sp - p + 1 || p + len > data.length) throw new TarError('corrupt', 'bad pax extended header record');
    const rec = data.subarray(sp + 1, p + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    p += len;
  }
  return out;
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

const padded = (n: number) => Math.ceil(n / BLOCK) * BLOCK;

/**
 * Entries of a tar stream (already decompressed), in archive order. Throws TarError
 * when the archive is corrupt, cut short or over a limit; a caller that needs the whole
 * archive must then drop the entries yielded before.
 */
export async function* readTar(chunks: AsyncIterable<Buffer | Uint8Array | string>, limits: Partial<TarLimits> = {}): AsyncGenerator<TarEntry> {
  const lim = { ...DEFAULT_TAR_LIMITS, ...limits };
  const r = new ChunkReader(chunks[Symbol.asyncIterator]());
  let count = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  let globalPax = new Map<string, string>();
  for (;;) {
    const at = r.consumed;
    const h = await r.read(BLOCK);
    // Without its end-of-archive block an archive cannot be told from one cut between two
    // entries, and a cut archive is only part of its contents.
    if (h.length === 0) throw new TarError('corrupt', `archive ends at offset ${at} without its end-of-archive block (cut short?)`);
    if (h.length < BLOCK) throw new TarError('corrupt', `archive ends inside the header at offset ${at}`);
    if (h.every((b) => b === 0)) return;
    if (!checksumOk(h)) throw new TarError('corrupt', `bad header checksum at offset ${at} (not a tar archive, or corrupt)`);
    const flag = String.fromCharCode(h[156]!);
    const size = numeric(h, 124, 12, 'entry size');
    if (r.consumed + padded(size) > lim.maxTotalBytes) throw new TarError('too-large', `archive is larger than the limit of ${lim.maxTotalBytes} bytes`);

    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > lim.maxHeaderBytes) throw new TarError('too-large', `extended header at offset ${at} is ${size} bytes, more than ${lim.maxHeaderBytes}`);
      const data = await r.read(size);
      if (data.length < size || (await r.skip(padded(size) - size)) < padded(size) - size) {
        throw new TarError('corrupt', `archive ends inside the extended header at offset ${at}`);
      }
      if (flag === 'x') pax = paxRecords(data);
      else if (flag === 'g') globalPax = new Map([...globalPax, ...paxRecords(data)]);
      else if (flag === 'L') longName = cString(data, 0, data.length);
      else longLink = cString(data, 0, data.length);
      continue;
    }

    if (++count > lim.maxEntries) throw new TarError('too-large', `archive has more than ${lim.maxEntries} entries`);
    const ustar = h.toString('latin1', 257, 262) === 'ustar';
    const prefix = ustar && h.toString('latin1', 257, 263) === 'ustar\0' ? cString(h, 345, 155) : '';
    const meta = new Map([...globalPax, ...pax]);
    const name = meta.get('path') ?? longName ?? (prefix ? `${prefix}/${cString(h, 0, 100)}` : cString(h, 0, 100));
    const linkName = meta.get('linkpath') ?? longLink ?? cString(h, 157, 100);
    const paxSize = meta.get('size');
    let realSize = size;
    if (paxSize !== undefined) {
      realSize = /^\d{1,16}$/.test(paxSize) ? Number(paxSize) : NaN;
      if (!Number.isSafeInteger(realSize)) throw new TarError('corrupt', `bad pax size for ${JSON.stringify(name.slice(0, 200))}`);
      if (r.consumed + padded(realSize) > lim.maxTotalBytes) throw new TarError('too-large', `archive is larger than the limit of ${lim.maxTotalBytes} bytes`);
    }
    pax = new Map();
    longName = longLink = undefined;

    const type = typeOf(flag);
    // Links, devices, fifos and directories carry no data whatever their size field says
    // (as GNU tar and Python's tarfile read them); unknown types carry `size` bytes.
    const dataSize = type === 'file' || (type === 'other' && !'3456'.includes(flag)) ? realSize : 0;
    const entry: TarEntry = { name, type, size: dataSize };
    if (type === 'symlink' || type === 'hardlink') entry.linkName = linkName;
    if (type === 'file' && dataSize <= lim.maxEntryBytes) {
      const data = await r.read(dataSize);
      if (data.length < dataSize) throw new TarError('corrupt', `archive ends inside ${JSON.stringify(name.slice(0, 200))}`);
      entry.data = data;
      if ((await r.skip(padded(dataSize) - dataSize)) < padded(dataSize) - dataSize) throw new TarError('corrupt', `archive ends inside ${JSON.stringify(name.slice(0, 200))}`);
    } else {
      if (type === 'file') entry.skipped = `${dataSize} bytes, more than the limit of ${lim.maxEntryBytes}`;
      if ((await r.skip(padded(dataSize))) < padded(dataSize)) throw new TarError('corrupt', `archive ends inside ${JSON.stringify(name.slice(0, 200))}`);
    }
    yield entry;
  }
}

/** A regular file member of an archive indexed by indexTar: where its data starts and how long it is. */
export interface TarMember {
  offset: number;
  size: number;
}

/**
 * The regular files of a tar archive on a seekable source (not compressed), by
 * normalised name (`./a/b` and `/a/b` are `a/b`), found by seeking from header to
 * header: members can be gigabytes, and are then read from their offset instead of
 * being streamed once to find them. Headers are checked as readTar checks them; GNU
 * long names and pax `path`/`size` records are honoured. Throws TarError.
 */
export async function indexTar(src: ByteSource, maxMembers: number): Promise<Map<string, TarMember>> {
  const out = new Map<string, TarMember>();
  let pos = 0;
  let longName: string | undefined;
  let pax = new Map<string, string>();
  let members = 0;
  for (;;) {
    if (pos + BLOCK > src.size) throw new TarError('corrupt', `the archive ends at offset ${pos} without its end-of-archive block (truncated?)`);
    const h = await src.read(pos, BLOCK);
    if (h.every((b) => b === 0)) return out;
    if (!checksumOk(h)) throw new TarError('corrupt', `bad tar header checksum at offset ${pos} (not a tar archive, or corrupt)`);
    const flag = String.fromCharCode(h[156]!);
    let size = numeric(h, 124, 12, 'size');
    const dataAt = pos + BLOCK;
    if (flag === 'x' || flag === 'L') {
      if (size > 1024 * 1024 || dataAt + size > src.size) throw new TarError('corrupt', `bad extended header at offset ${pos}`);
      const data = await src.read(dataAt, size);
      if (flag === 'L') longName = cString(data, 0, data.length);
      else pax = paxRecords(data);
    } else if (flag !== 'g') {
      const ustar = h.toString('latin1', 257, 263) === 'ustar\0';
      const prefix = ustar ? cString(h, 345, 155) : '';
      const name = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${cString(h, 0, 100)}` : cString(h, 0, 100));
      const paxSize = pax.get('size');
      if (paxSize !== undefined && /^\d{1,16}$/.test(paxSize)) size = Number(paxSize);
      const type = typeOf(flag);
      if (type === 'hardlink' || type === 'symlink' || type === 'directory') size = 0;
      if (dataAt + size > src.size) throw new TarError('corrupt', `member ${JSON.stringify(name.slice(0, 200))} runs past the end of the file (truncated?)`);
      if (++members > maxMembers) throw new TarError('too-large', `more than ${maxMembers} members`);
      if (type === 'file') out.set(path.posix.normalize(name).replace(/^(\.\/|\/)+/, ''), { offset: dataAt, size });
      longName = undefined;
      pax = new Map();
    }
    pos = dataAt + padded(size);
  }
}

