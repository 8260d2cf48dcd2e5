import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { type ByteSource, OutOfRangeError } from './byte-source.js';

/**
 * A small zip reader for archives found on scanned hosts, which may be hostile: every
 * size and offset read from the archive is checked against the file and against
 * limits before anything is allocated, entries are only ever extracted to memory
 * (entry names are data, never paths), and inflation is capped by the declared size.
 */

export interface ZipLimits {
  /** Entries in the central directory. */
  maxEntries: number;
  /** Bytes of central directory read at once. */
  maxCentralDirectoryBytes: number;
  /** Uncompressed size of one extracted entry, unless the caller asks for less. */
  maxEntryBytes: number;
  /** Uncompressed/compressed ratio allowed for entries above `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 200_000,
  maxCentralDirectoryBytes: 64 * 1024 * 1024,
  maxEntryBytes: 128 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

export type ZipErrorKind = 'corrupt' | 'too-large' | 'unsupported';

export class ZipError extends Error {
  constructor(
    readonly kind: ZipErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  crc32: number;
  /** Offset of the local header in the source, prefix data already accounted for. */
  localHeaderOffset: number;
  isDirectory: boolean;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const EOCD_LEN = 22;
const ZIP64_LOCATOR_LEN = 20;
const ZIP64_EOCD_LEN = 56;
const CENTRAL_LEN = 46;
const LOCAL_LEN = 30;
const MAX_COMMENT = 0xffff;

const inflateRaw = promisify(zlib.inflateRaw) as (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>;
/**
 * Entries up to this size are inflated synchronously: a scan inflates a few small
 * entries (pom.properties, manifests) of each of thousands of archives, where a
 * thread-pool round trip and a stream each cost more than the inflation. Larger
 * entries (nested archives) go to the thread pool.
 */
const SYNC_INFLATE_BYTES = 1024 * 1024;
/** The end record is looked for in this much of the file's end first: it is almost always right at the end. */
const SHORT_TAIL = 4096;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function u64(buf: Buffer, at: number, what: string): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('corrupt', `${what} is out of range (${v})`);
  return Number(v);
}

function isAscii(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i]! > 0x7f) return false;
  return true;
}

/** The name stored at `buf[start, end)`, decoded in place: an archive lists up to hundreds of thousands. */
function decodeName(buf: Buffer, start: number, end: number, flags: number): string {
  if (flags & 0x800) return buf.toString('utf8', start, end);
  // ASCII reads the same in every encoding considered below, without the decoder's cost per name.
  if (isAscii(buf, start, end)) return buf.toString('latin1', start, end);
  const raw = buf.subarray(start, end);
  try {
    return utf8.decode(raw);
  } catch {
    // Legacy archives use the DOS code page; latin1 keeps every byte visible.
    return raw.toString('latin1');
  }
}

async function readChecked(src: ByteSource, offset: number, length: number, what: string): Promise<Buffer> {
  try {
    return await src.read(offset, length);
  } catch (err) {
    if (err instanceof OutOfRangeError) throw new ZipError('corrupt', `${what} lies outside the file (offset ${offset}, ${length} bytes, file is ${src.size} bytes)`);
    throw err;
  }
}

interface EndRecord {
  entries: number;
  cdSize: number;
  cdOffset: number;
  /** Where the central directory must end: the first end record. */
  cdEnd: number;
  zip64: boolean;
}

/** The last end record in the final `tailLen` bytes whose comment fits in the file, if any. */
async function lastEndRecord(src: ByteSource, tailLen: number): Promise<{ tail: Buffer; tailStart: number; at: number }> {
  const tailStart = src.size - tailLen;
  const tail = await readChecked(src, tailStart, tailLen, 'end of archive');
  for (let i = tail.length - EOCD_LEN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + EOCD_LEN + tail.readUInt16LE(i + 20) <= tail.length) return { tail, tailStart, at: i };
  }
  return { tail, tailStart, at: -1 };
}

async function findEnd(src: ByteSource): Promise<EndRecord> {
  if (src.size < EOCD_LEN) throw new ZipError('corrupt', `not a zip archive: ${src.size} bytes is too short`);
  const tailLen = Math.min(src.size, EOCD_LEN + MAX_COMMENT + ZIP64_LOCATOR_LEN);
  // The search runs backwards from the end, so a record found in the short tail (with
  // room for a zip64 locator before it) is the one the whole tail would give.
  let found = await lastEndRecord(src, Math.min(tailLen, SHORT_TAIL));
  if (found.tail.length < tailLen && found.at < ZIP64_LOCATOR_LEN) found = await lastEndRecord(src, tailLen);
  const { tail, tailStart, at } = found;
  if (at < 0) throw new ZipError('corrupt', 'not a zip archive: end of central directory not found (truncated or not a zip)');
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  let entries = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  const cdEnd = tailStart + at;
  const wantsZip64 = entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff;
  const locAt = at - ZIP64_LOCATOR_LEN;
  if (locAt >= 0 && tail.readUInt32LE(locAt) === SIG_ZIP64_LOCATOR) {
    const declared = u64(tail, locAt + 8, 'zip64 end record offset');
    // With data prepended to the archive the declared offset is stale; the record normally sits right before the locator.
    for (const off of [declared, tailStart + locAt - ZIP64_EOCD_LEN]) {
      if (off < 0 || off + ZIP64_EOCD_LEN > tailStart + locAt) continue;
      const rec = await readChecked(src, off, ZIP64_EOCD_LEN, 'zip64 end record');
      if (rec.readUInt32LE(0) !== SIG_ZIP64_EOCD) continue;
      if (rec.readUInt32LE(16) !== 0 || rec.readUInt32LE(20) !== 0) throw new ZipError('unsupported', 'multi-disk zip archives are not supported');
      entries = u64(rec, 32, 'zip64 entry count');
      cdSize = u64(rec, 40, 'zip64 central directory size');
      cdOffset = u64(rec, 48, 'zip64 central directory offset');
      return checkEnd({ entries, cdSize, cdOffset, cdEnd: off, zip64: true });
    }
  }
  // Exactly 65535 entries is legal without zip64; saturated sizes or offsets are not.
  if (wantsZip64 && (cdSize === 0xffffffff || cdOffset === 0xffffffff)) {
    throw new ZipError('corrupt', 'zip64 sizes announced but no zip64 end record found');
  }
  if (disk !== 0 || cdDisk !== 0) throw new ZipError('unsupported', 'multi-disk zip archives are not supported');
  return checkEnd({ entries, cdSize, cdOffset, cdEnd, zip64: false });
}

function checkEnd(end: EndRecord): EndRecord {
  if (end.cdOffset + end.cdSize > end.cdEnd) {
    throw new ZipError('corrupt', `central directory (offset ${end.cdOffset}, ${end.cdSize} bytes) overlaps the end record at ${end.cdEnd}`);
  }
  return end;
}

function parseZip64Extra(extra: Buffer, fields: { size: boolean; csize: boolean; offset: boolean }): { size?: number; csize?: number; offset?: number } {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    const body = p + 4;
    if (body + len > extra.length) break;
    if (id === 0x0001) {
      const out: { size?: number; csize?: number; offset?: number } = {};
      let q = body;
      const take = (what: string): number => {
        if (q + 8 > body + len) throw new ZipError('corrupt', `zip64 extra field too short for ${what}`);
        const v = u64(extra, q, what);
        q += 8;
        return v;
      };
      if (fields.size) out.size = take('uncompressed size');
      if (fields.csize) out.csize = take('compressed size');
      if (fields.offset) out.offset = take('local header offset');
      return out;
    }
    p = body + len;
  }
  throw new ZipError('corrupt', 'zip64 sizes announced but the zip64 extra field is missing');
}

/** The central directory as read: where each checked record starts, and the zip64 sizes and offsets of those that have them. */
interface CentralDirectory {
  cd: Buffer;
  records: number[];
  wide: Map<number, { size?: number; csize?: number; offset?: number }>;
  /** Bytes prepended to the archive, added to every offset. */
  prefix: number;
}

function endsWithBytes(buf: Buffer, start: number, end: number, suffix: Buffer, ignoreCase: boolean): boolean {
  if (end - start < suffix.length) return false;
  for (let i = 0, at = end - suffix.length; i < suffix.length; i++, at++) {
    let b = buf[at]!;
    if (ignoreCase && b >= 0x41 && b <= 0x5a) b += 0x20;
    if (b !== suffix[i]) return false;
  }
  return true;
}

export class ZipArchive {
  private byName: Map<string, ZipEntry> | undefined;

  private all: ZipEntry[] | undefined;

  private constructor(
    private readonly src: ByteSource,
    private readonly dir: CentralDirectory,
    private readonly limits: ZipLimits,
    private readonly dataEnd: number,
  ) {}

  static async open(src: ByteSource, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
    const lim = { ...DEFAULT_ZIP_LIMITS, ...limits };
    const end = await findEnd(src);
    if (end.entries > lim.maxEntries) throw new ZipError('too-large', `archive declares ${end.entries} entries, more than the limit of ${lim.maxEntries}`);
    if (end.cdSize > lim.maxCentralDirectoryBytes) {
      throw new ZipError('too-large', `central directory is ${end.cdSize} bytes, more than the limit of ${lim.maxCentralDirectoryBytes}`);
    }
    // Bytes prepended to the archive (launch scripts of executable jars) shift every offset.
    const prefix = end.cdEnd - (end.cdOffset + end.cdSize);
    const cdStart = end.cdOffset + prefix;
    const cd = await readChecked(src, cdStart, end.cdSize, 'central directory');
    // Every record is checked now; its name is decoded and its entry built only when asked
    // for (`entries`, `entriesEndingWith`): a collector looks for a few of thousands.
    const records: number[] = [];
    const wide = new Map<number, { size?: number; csize?: number; offset?: number }>();
    let p = 0;
    while (p < cd.length) {
      if (records.length >= lim.maxEntries) throw new ZipError('too-large', `archive has more than ${lim.maxEntries} entries`);
      if (p + CENTRAL_LEN > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) {
        throw new ZipError('corrupt', `bad central directory record #${records.length + 1} at offset ${cdStart + p}`);
      }
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const next = p + CENTRAL_LEN + nameLen + extraLen + commentLen;
      if (next > cd.length) throw new ZipError('corrupt', `central directory record #${records.length + 1} runs past the directory`);
      const need = { size: cd.readUInt32LE(p + 24) === 0xffffffff, csize: cd.readUInt32LE(p + 20) === 0xffffffff, offset: cd.readUInt32LE(p + 42) === 0xffffffff };
      if (need.size || need.csize || need.offset) wide.set(records.length, parseZip64Extra(cd.subarray(p + CENTRAL_LEN + nameLen, p + CENTRAL_LEN + nameLen + extraLen), need));
      records.push(p);
      p = next;
    }
    if (!end.zip64 && (records.length & 0xffff) !== (end.entries & 0xffff)) {
      throw new ZipError('corrupt', `end record announces ${end.entries} entries but the central directory holds ${records.length}`);
    }
    if (end.zip64 && records.length !== end.entries) {
      throw new ZipError('corrupt', `zip64 end record announces ${end.entries} entries but the central directory holds ${records.length}`);
    }
    return new ZipArchive(src, { cd, records, wide, prefix }, lim, cdStart);
  }

  /** Every entry, in central directory order. */
  get entries(): readonly ZipEntry[] {
    if (!this.all) {
      const { records } = this.dir;
      this.all = records.map((_, i) => this.entryAt(i));
    }
    return this.all;
  }

  private entryAt(i: number): ZipEntry {
    const { cd, records, wide, prefix } = this.dir;
    const p = records[i]!;
    const flags = cd.readUInt16LE(p + 8);
    const z = wide.get(i);
    const name = decodeName(cd, p + CENTRAL_LEN, p + CENTRAL_LEN + cd.readUInt16LE(p + 28), flags);
    return {
      name,
      method: cd.readUInt16LE(p + 10),
      flags,
      compressedSize: z?.csize ?? cd.readUInt32LE(p + 20),
      size: z?.size ?? cd.readUInt32LE(p + 24),
      crc32: cd.readUInt32LE(p + 16),
      localHeaderOffset: (z?.offset ?? cd.readUInt32LE(p + 42)) + prefix,
      isDirectory: name.endsWith('/'),
    };
  }

  /**
   * The entries whose name ends with one of `suffixes` (ASCII; with `ignoreCase`, ASCII
   * letters in either case), in directory order, read from the stored names without
   * decoding the others. A stored name ends with ASCII bytes exactly when its decoded
   * name ends with those characters, in every encoding `entries` decodes with.
   */
  entriesEndingWith(suffixes: readonly string[], ignoreCase = false): ZipEntry[] {
    const { cd, records } = this.dir;
    if (suffixes.some((x) => /[^\x00-\x7f]/.test(x))) throw new Error('entriesEndingWith takes ASCII suffixes');
    const wanted = suffixes.map((x) => Buffer.from(ignoreCase ? x.toLowerCase() : x, 'latin1'));
    const out: ZipEntry[] = [];
    for (let i = 0; i < records.length; i++) {
      const p = records[i]!;
      const end = p + CENTRAL_LEN + cd.readUInt16LE(p + 28);
      if (wanted.some((w) => endsWithBytes(cd, p + CENTRAL_LEN, end, w, ignoreCase))) out.push(this.all ? this.all[i]! : this.entryAt(i));
    }
    return out;
  }

  /** First entry with this exact name (or, with `ignoreCase`, any case). */
  find(name: string, ignoreCase = false): ZipEntry | undefined {
    if (ignoreCase) {
      const lower = name.toLowerCase();
      // Lower-casing lengthens a string only by the U+0307 of İ and never shortens one, so
      // for a name without U+0307 only names of its length need lower-casing.
      const sameLength = !lower.includes('\u0307');
      return this.entries.find((e) => (!sameLength || e.name.length === lower.length) && e.name.toLowerCase() === lower);
    }
    if (!this.byName) {
      this.byName = new Map();
      for (const e of this.entries) if (!this.byName.has(e.name)) this.byName.set(e.name, e);
    }
    return this.byName.get(name);
  }

  /** Extract one entry to memory, refusing it when larger than `maxBytes` or suspiciously compressed. */
  async read(entry: ZipEntry, maxBytes = this.limits.maxEntryBytes): Promise<Buffer> {
    const what = `entry ${JSON.stringify(entry.name)}`;
    if (entry.flags & 0x1) throw new ZipError('unsupported', `${what} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8) throw new ZipError('unsupported', `${what} uses compression method ${entry.method}`);
    const limit = Math.min(maxBytes, this.limits.maxEntryBytes);
    if (entry.size > limit) throw new ZipError('too-large', `${what} declares ${entry.size} bytes uncompressed, more than the limit of ${limit}`);
    if (entry.size > this.limits.ratioFloorBytes && entry.size > entry.compressedSize * this.limits.maxRatio) {
      throw new ZipError('too-large', `${what} expands ${entry.compressedSize} bytes to ${entry.size} (ratio over ${this.limits.maxRatio}): refused as a likely zip bomb`);
    }
    if (entry.method === 0 && entry.compressedSize !== entry.size) {
      throw new ZipError('corrupt', `${what} is stored but its sizes differ (${entry.compressedSize} vs ${entry.size})`);
    }
    const local = await readChecked(this.src, entry.localHeaderOffset, LOCAL_LEN, `local header of ${what}`);
    if (local.readUInt32LE(0) !== SIG_LOCAL) throw new ZipError('corrupt', `${what}: bad local header signature at offset ${entry.localHeaderOffset}`);
    const dataStart = entry.localHeaderOffset + LOCAL_LEN + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataStart + entry.compressedSize > this.dataEnd) {
      throw new ZipError('corrupt', `${what}: data (offset ${dataStart}, ${entry.compressedSize} bytes) runs into the central directory or past the file`);
    }
    const data = await readChecked(this.src, dataStart, entry.compressedSize, `data of ${what}`);
    let out: Buffer;
    if (entry.method === 0) {
      out = data;
    } else {
      try {
        // One byte of slack lets an entry that inflates past its declared size be told apart from an exact fit.
        const opts = { maxOutputLength: entry.size + 1 };
        out = entry.size <= SYNC_INFLATE_BYTES ? zlib.inflateRawSync(data, opts) : await inflateRaw(data, opts);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ERR_BUFFER_TOO_LARGE') throw new ZipError('corrupt', `${what} inflates to more than its declared ${entry.size} bytes`);
        throw new ZipError('corrupt', `${what}: bad deflate data (${(err as Error).message})`);
      }
    }
    if (out.length !== entry.size) throw new ZipError('corrupt', `${what} holds ${out.length} bytes, not the declared ${entry.size}`);
    if (crc32(out) !== entry.crc32) throw new ZipError('corrupt', `${what}: CRC-32 mismatch`);
    return out;
  }
}

let crcTable: Uint32Array | undefined;

/** zlib.crc32 appeared in Node 20.15; the table fallback keeps older Node 20 working. */
export function crc32(buf: Buffer): number {
  const native = (zlib as unknown as { crc32?: (b: Buffer) => number }).crc32;
  if (typeof native === 'function') return native(buf) >>> 0;
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
