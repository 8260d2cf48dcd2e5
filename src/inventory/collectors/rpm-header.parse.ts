/**
 * rpm header blobs as every rpmdb backend stores them: the header without its lead
 * or magic, i.e. int32 BE index count, int32 BE data length, 16-byte index entries
 * {tag, type, offset, count}, then the data store. Validation follows rpm's own
 * `hdrblobInit`/`hdrblobVerifyRegion`/`hdrblobVerifyInfo`/`hdrblobImport` (in the
 * "fast" mode rpm reads its database with), so a blob rpm would refuse is refused
 * here too, with a message saying why; the one leniency is that the contents of
 * strings Vigil never decodes are bounds-checked but not walked.
 */

/** Raised for any blob or database that is not what it claims to be. */
export class RpmFormatError extends Error {
  override readonly name = 'RpmFormatError';
}

const TAG = {
  HEADERIMAGE: 61,
  HEADERSIGNATURES: 62,
  HEADERIMMUTABLE: 63,
  HEADERI18NTABLE: 100,
  SIGMD5: 261,
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  SIZE: 1009,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  SOURCERPM: 1044,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  LONGSIZE: 5009,
  MODULARITYLABEL: 5096,
} as const;

const T_INT32 = 4;
const T_INT64 = 5;
const T_STRING = 6;
const T_BIN = 7;
const T_STRING_ARRAY = 8;
const T_I18NSTRING = 9;
const TYPE_NAMES = ['null', 'char', 'int8', 'int16', 'int32', 'int64', 'string', 'bin', 'string array', 'i18n string'];
/** Bytes per element; -1 for NUL-terminated strings. */
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, -1, 1, -1, -1];
const TYPE_ALIGN = [1, 1, 1, 2, 4, 8, 1, 1, 1, 1];

const ENTRY_SIZE = 16;
const HEADER_TAGS_MAX = 0xffff;
const HEADER_DATA_MAX = 0x0fffffff;
const HEADER_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Tags Vigil reads; every other entry is bounds-checked but never decoded. The
 * string arrays from FIRST_LAZY_SLOT on (the file list) are walked only on demand.
 */
const WANTED = [
  TAG.NAME, TAG.VERSION, TAG.RELEASE, TAG.EPOCH, TAG.ARCH, TAG.SOURCERPM, TAG.SIZE, TAG.LONGSIZE, TAG.LICENSE,
  TAG.VENDOR, TAG.SUMMARY, TAG.MODULARITYLABEL, TAG.SIGMD5, TAG.DIRINDEXES, TAG.BASENAMES, TAG.DIRNAMES, TAG.OLDFILENAMES,
] as const;
const FIRST_LAZY_SLOT = WANTED.indexOf(TAG.BASENAMES);
const SLOT_OF = new Map<number, number>(WANTED.map((t, i) => [t, i]));
const TAG_NAME = new Map<number, string>(Object.entries(TAG).map(([k, v]) => [v, k]));

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  /** Present only when the header has an EPOCH tag. */
  epoch?: number;
  arch?: string;
  /** Source rpm file name (`util-linux-2.32.1-42.el8_8.src.rpm`). */
  sourceRpm?: string;
  size?: number;
  license?: string;
  vendor?: string;
  summary?: string;
  modularityLabel?: string;
  /** Hex MD5 of header and payload, as rpm's `%{SIGMD5}`. */
  sigmd5?: string;
  /** Installed paths (dirname + basename), decoded only when asked for. */
  files(): string[];
}

function fail(message: string): never {
  throw new RpmFormatError(message);
}

function badEntry(i: number, tag: number, message: string): never {
  fail(`index entry ${i}, ${tagLabel(tag)}: ${message}`);
}

function tagLabel(tag: number): string {
  const n = TAG_NAME.get(tag);
  return n ? `${n} (${tag})` : `tag ${tag}`;
}

/** Bytes of `count` NUL-terminated strings from `start`, or -1 when they run past `end`. */
function stringsLength(u8: Uint8Array, start: number, count: number, end: number): number {
  if (start >= end) return -1;
  let p = start;
  while (p < end) {
    if (u8[p] === 0 && --count === 0) return p - start + 1;
    p++;
  }
  return -1;
}

/** rpm's dataLength: the bytes an entry occupies, or -1 when it does not fit. */
function dataLength(u8: Uint8Array, type: number, start: number, count: number, end: number): number {
  switch (type) {
    case T_STRING:
      return count === 1 ? stringsLength(u8, start, 1, end) : -1;
    case T_STRING_ARRAY:
    case T_I18NSTRING:
      return stringsLength(u8, start, count, end);
    default: {
      const len = TYPE_SIZE[type]! * count;
      return start + len > end ? -1 : len;
    }
  }
}

function alignDiff(type: number, at: number): number {
  const size = TYPE_SIZE[type]!;
  if (size > 1) {
    const diff = size - (at % size);
    if (diff !== size) return diff;
  }
  return 0;
}

/**
 * Validate a header blob and extract the package facts Vigil needs. Throws
 * RpmFormatError naming the first thing wrong; never reads outside the blob.
 */
export function parseRpmHeader(blob: Uint8Array): RpmHeader {
  const len = blob.byteLength;
  if (len < 8) fail(`header is ${len} bytes, too short for its 8-byte preamble`);
  const buf = Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, len);
  const dv = new DataView(buf.buffer, buf.byteOffset, len);
  const il = dv.getInt32(0);
  const dl = dv.getInt32(4);
  if (il < 1 || il > HEADER_TAGS_MAX) fail(`header index count ${il} is outside 1..${HEADER_TAGS_MAX}`);
  if (dl < 0 || dl > HEADER_DATA_MAX) fail(`header data length ${dl} is outside 0..${HEADER_DATA_MAX}`);
  const dataStart = 8 + il * ENTRY_SIZE;
  const pvlen = dataStart + dl;
  if (pvlen >= HEADER_MAX_BYTES) fail(`header size ${pvlen} exceeds rpm's ${HEADER_MAX_BYTES}-byte limit`);
  if (pvlen !== len) fail(`header declares ${pvlen} bytes (${il} index entries, ${dl} data bytes) but the record holds ${len}`);

  // The first entry may be a region tag whose trailer, stored in the data, says how
  // many entries the signed region covers; entries after it are "dribbles" that
  // replace region entries with the same tag.
  const tag0 = dv.getInt32(8);
  let regionTag = 0;
  let ril = il;
  if (tag0 === TAG.HEADERIMAGE || tag0 === TAG.HEADERSIGNATURES || tag0 === TAG.HEADERIMMUTABLE) {
    regionTag = tag0;
    const type0 = dv.getUint32(12);
    const off0 = dv.getInt32(16);
    const count0 = dv.getUint32(20);
    if (type0 !== T_BIN || count0 !== ENTRY_SIZE) fail(`region tag ${tag0} has type ${type0} and count ${count0}, expected bin of ${ENTRY_SIZE}`);
    if (off0 < 0 || off0 + ENTRY_SIZE > dl) fail(`region trailer offset ${off0} lies outside the ${dl}-byte data store`);
    const t = dataStart + off0;
    const ttag = dv.getInt32(t);
    const ttype = dv.getUint32(t + 4);
    const regionBytes = -dv.getInt32(t + 8);
    const tcount = dv.getUint32(t + 12);
    if (ttag !== regionTag || ttype !== T_BIN || tcount !== ENTRY_SIZE) fail(`region trailer (tag ${ttag}, type ${ttype}, count ${tcount}) does not match region tag ${regionTag}`);
    if (regionBytes <= 0 || regionBytes % ENTRY_SIZE !== 0 || regionBytes / ENTRY_SIZE > il) {
      fail(`region trailer claims ${regionBytes} index bytes, not 1..${il} whole entries`);
    }
    ril = off0 !== 0 ? regionBytes / ENTRY_SIZE : il;
  }

  // Wanted entries as [type, absolute offset, count, length], type -1 when absent.
  const found = new Int32Array(WANTED.length * 4).fill(-1);
  let prevEnd = 0;
  let accounted = 0;
  for (let i = regionTag ? 1 : 0; i < il; i++) {
    const e = 8 + i * ENTRY_SIZE;
    const tag = dv.getInt32(e);
    const type = dv.getUint32(e + 4);
    const off = dv.getInt32(e + 8);
    const count = dv.getUint32(e + 12);
    if (tag < TAG.HEADERI18NTABLE) badEntry(i, tag, `tag numbers below ${TAG.HEADERI18NTABLE} are reserved for regions`);
    if (type > T_I18NSTRING) badEntry(i, tag, `unknown data type ${type}`);
    if (off < prevEnd) badEntry(i, tag, `data offset ${off} overlaps the previous entry, which ends at ${prevEnd}`);
    if (off >= dl) badEntry(i, tag, `data offset ${off} lies outside the ${dl}-byte data store`);
    if ((off & (TYPE_ALIGN[type]! - 1)) !== 0) badEntry(i, tag, `${TYPE_NAMES[type]} data at offset ${off} is misaligned`);
    if (count === 0 || count > HEADER_DATA_MAX) badEntry(i, tag, `element count ${count} is outside 1..${HEADER_DATA_MAX}`);
    const slot = SLOT_OF.get(tag);
    // rpm imports database headers in "fast" mode: a string entry runs to the next
    // entry's offset (absorbing padding) except the last of the region and of the
    // dribbles, which is measured. Strings Vigil decodes now are walked to check
    // their terminators; the file lists are walked only if `files()` is called, and
    // strings never decoded only need to end in a NUL.
    let length: number;
    let span: number;
    const next = TYPE_SIZE[type] === -1 && i !== il - 1 && i !== ril - 1 ? dv.getInt32(e + ENTRY_SIZE + 8) : -1;
    // A bad next offset is left for the next entry's checks to name.
    if (next > off && next <= dl) {
      if (next - off < count || buf[dataStart + next - 1] !== 0) {
        badEntry(i, tag, `${count} string(s) at offset ${off} do not end in a NUL before the next entry's data at ${next}`);
      }
      span = next - off;
      length = slot === undefined || slot >= FIRST_LAZY_SLOT ? span : dataLength(buf, type, dataStart + off, count, dataStart + next);
    } else {
      length = dataLength(buf, type, dataStart + off, count, len);
      span = length;
    }
    if (length <= 0) badEntry(i, tag, `${count} ${TYPE_NAMES[type]} element(s) at offset ${off} run past their data or are not NUL-terminated`);
    prevEnd = off + length;
    accounted += alignDiff(type, accounted) + span;
    if (slot !== undefined && (found[slot * 4]! === -1 || i >= ril)) {
      const k = slot * 4;
      found[k] = type;
      found[k + 1] = dataStart + off;
      found[k + 2] = count;
      found[k + 3] = length;
    }
  }
  if (regionTag) accounted += ENTRY_SIZE;
  if (accounted !== dl) fail(`header entries account for ${accounted} data bytes but the header declares ${dl}`);

  return new HeaderView(buf, dv, found);
}

const slot = (tag: number): number => SLOT_OF.get(tag)!;

class HeaderView implements RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
  size?: number;
  license?: string;
  vendor?: string;
  summary?: string;
  modularityLabel?: string;
  sigmd5?: string;

  constructor(
    private readonly buf: Buffer,
    private readonly dv: DataView,
    private readonly found: Int32Array,
  ) {
    this.name = this.required(TAG.NAME);
    this.version = this.required(TAG.VERSION);
    this.release = this.required(TAG.RELEASE);
    const epoch = this.uint32(TAG.EPOCH);
    if (epoch !== undefined) this.epoch = epoch;
    this.assign('arch', TAG.ARCH);
    this.assign('sourceRpm', TAG.SOURCERPM);
    this.assign('license', TAG.LICENSE);
    this.assign('vendor', TAG.VENDOR);
    this.assign('summary', TAG.SUMMARY);
    this.assign('modularityLabel', TAG.MODULARITYLABEL);
    const size = this.uint32(TAG.SIZE) ?? this.uint64(TAG.LONGSIZE);
    if (size !== undefined) this.size = size;
    const s = slot(TAG.SIGMD5) * 4;
    if (found[s] === T_BIN && found[s + 2] === 16) this.sigmd5 = buf.toString('hex', found[s + 1]!, found[s + 1]! + found[s + 3]!);
  }

  private assign(key: 'arch' | 'sourceRpm' | 'license' | 'vendor' | 'summary' | 'modularityLabel', tag: number): void {
    const v = this.string(tag);
    if (v !== undefined) this[key] = v;
  }

  private required(tag: number): string {
    const s = slot(tag) * 4;
    if (this.found[s] === -1) fail(`header has no ${tagLabel(tag)} tag`);
    const v = this.string(tag);
    if (v === undefined) fail(`header ${tagLabel(tag)} is of type ${TYPE_NAMES[this.found[s]!]}, expected a string`);
    if (v === '') fail(`header ${tagLabel(tag)} is empty`);
    return v;
  }

  /** A string tag, or the first element of an array or i18n one (rpm's untranslated value). */
  private string(tag: number): string | undefined {
    const s = slot(tag) * 4;
    const type = this.found[s];
    if (type !== T_STRING && type !== T_STRING_ARRAY && type !== T_I18NSTRING) return undefined;
    const start = this.found[s + 1]!;
    const limit = start + this.found[s + 3]!;
    let end = start;
    while (end < limit && this.buf[end] !== 0) end++;
    return this.buf.toString('utf8', start, end);
  }

  private uint32(tag: number): number | undefined {
    const s = slot(tag) * 4;
    return this.found[s] === T_INT32 ? this.dv.getUint32(this.found[s + 1]!) : undefined;
  }

  private uint64(tag: number): number | undefined {
    const s = slot(tag) * 4;
    if (this.found[s] !== T_INT64) return undefined;
    const v = this.dv.getBigUint64(this.found[s + 1]!);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
  }

  private strings(tag: number): string[] {
    const s = slot(tag) * 4;
    const type = this.found[s]!;
    if (type !== T_STRING_ARRAY) fail(`header ${tagLabel(tag)} is ${type === -1 ? 'missing' : `of type ${TYPE_NAMES[type]}`}, expected a string array`);
    const start = this.found[s + 1]!;
    const count = this.found[s + 2]!;
    const limit = start + this.found[s + 3]!;
    if (stringsLength(this.buf, start, count, limit) < 0) fail(`header ${tagLabel(tag)}: ${count} strings run past their data`);
    const out = new Array<string>(count);
    let p = start;
    const buf = this.buf;
    for (let i = 0; i < out.length; i++) {
      let q = p;
      while (q < limit && buf[q] !== 0) q++;
      out[i] = buf.toString('utf8', p, q);
      p = q + 1;
    }
    return out;
  }

  files(): string[] {
    const b = slot(TAG.BASENAMES) * 4;
    if (this.found[b] === -1) return this.found[slot(TAG.OLDFILENAMES) * 4] === -1 ? [] : this.strings(TAG.OLDFILENAMES);
    const bases = this.strings(TAG.BASENAMES);
    const dirs = this.strings(TAG.DIRNAMES);
    const x = slot(TAG.DIRINDEXES) * 4;
    if (this.found[x] !== T_INT32) fail(`header has BASENAMES but its DIRINDEXES (1116) is missing or not int32`);
    if (this.found[x + 2] !== bases.length) fail(`header has ${bases.length} BASENAMES but ${this.found[x + 2]} DIRINDEXES`);
    const at = this.found[x + 1]!;
    const out = new Array<string>(bases.length);
    for (let i = 0; i < bases.length; i++) {
      const d = this.dv.getInt32(at + i * 4);
      const dir = dirs[d];
      if (dir === undefined) fail(`file ${i} points at directory ${d}, outside the ${dirs.length} DIRNAMES`);
      out[i] = dir + bases[i];
    }
    return out;
  }
}
