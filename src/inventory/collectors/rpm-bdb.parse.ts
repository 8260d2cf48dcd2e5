import type { RpmRecord } from './rpm-common.js';
import { RpmFormatError } from './rpm-header.parse.js';

/**
 * The BerkeleyDB hash database rpm kept `Packages` in until rpm 4.16 (RHEL/CentOS
 * 5-8, Amazon Linux 2, older SUSE and Fedora), read natively the way rpm's own
 * read-only `bdb_ro` backend does: meta page, bucket pages found through the
 * `spares` table and their overflow chains, key/data pairs whose data is the header
 * blob (on the page, or on a chain of overflow pages). Keys are header numbers in
 * the byte order of the machine that wrote the file; key 0 is rpm's bookkeeping
 * record, not a package.
 */

const HASH_MAGIC = 0x061561;
const BTREE_MAGIC = 0x053162;
const META_SIZE = 512;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const OFFPAGE_SIZE = 12;
const PAGE_SIZES = new Set([512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]);

function fail(message: string): never {
  throw new RpmFormatError(message);
}

function bitLength(n: number): number {
  return n === 0 ? 0 : 32 - Math.clz32(n);
}

/**
 * Records of a BerkeleyDB hash `Packages` file. The meta page is checked before this
 * returns; a broken bucket chain throws while iterating, after the records before it;
 * a broken record is yielded as an error and the walk goes on.
 */
export function bdbPackages(file: Uint8Array): Iterable<RpmRecord> {
  const len = file.byteLength;
  if (len < META_SIZE) fail(`file is ${len} bytes, too short for a Berkeley DB meta page`);
  const buf = Buffer.isBuffer(file) ? file : Buffer.from(file.buffer, file.byteOffset, len);
  const dv = new DataView(buf.buffer, buf.byteOffset, len);
  let le: boolean;
  if (dv.getUint32(12, true) === HASH_MAGIC) le = true;
  else if (dv.getUint32(12, false) === HASH_MAGIC) le = false;
  else if (dv.getUint32(12, true) === BTREE_MAGIC || dv.getUint32(12, false) === BTREE_MAGIC) fail('a Berkeley DB btree, not the hash database rpm keeps Packages in');
  else fail(`not a Berkeley DB hash database (magic 0x${dv.getUint32(12, true).toString(16)})`);
  const u32 = (p: number): number => dv.getUint32(p, le);
  const u16 = (p: number): number => dv.getUint16(p, le);

  const version = u32(16);
  if (version < 8 || version > 10) fail(`unsupported Berkeley DB hash version ${version}`);
  const pageSize = u32(20);
  if (!PAGE_SIZES.has(pageSize)) fail(`invalid Berkeley DB page size ${pageSize}`);
  if (buf[24] !== 0) fail('encrypted Berkeley DB databases are not supported');
  if (buf[25] !== P_HASHMETA) fail(`meta page has page type ${buf[25]}, expected hash meta (${P_HASHMETA})`);
  const lastPage = u32(32);
  const maxBucket = u32(72);
  const pagesInFile = Math.floor(len / pageSize);
  if (maxBucket >= pagesInFile) fail(`meta page lists ${maxBucket + 1} buckets but the file holds ${pagesInFile} pages`);
  const spares = Array.from({ length: 33 }, (_, i) => u32(96 + 4 * i));

  /** Byte offset of page `pgno`, checked to be a real page of this file. */
  const page = (pgno: number): number => {
    if (pgno === 0 || pgno > lastPage) fail(`page number ${pgno} is outside 1..${lastPage}`);
    const base = pgno * pageSize;
    if (base + pageSize > len) fail(`page ${pgno} lies past the end of the ${len}-byte file`);
    if (u32(base + 8) !== pgno) fail(`page ${pgno} is labelled as page ${u32(base + 8)}`);
    return base;
  };

  /** The value stored off-page: `tlen` bytes gathered along an overflow chain. */
  const overflow = (pgno: number, tlen: number): Buffer => {
    if (tlen === 0 || tlen > len) fail(`overflow item claims ${tlen} bytes, outside 1..${len}`);
    const out = Buffer.allocUnsafe(tlen);
    let filled = 0;
    for (let steps = 0; filled < tlen; steps++) {
      if (steps >= pagesInFile) fail(`overflow chain from page ${pgno} loops`);
      const b = page(pgno);
      if (buf[b + 25] !== P_OVERFLOW) fail(`overflow chain reaches page ${pgno} of type ${buf[b + 25]}`);
      const plen = u16(b + 22);
      if (plen === 0 || PAGE_HEADER + plen > pageSize || plen > tlen - filled) fail(`overflow page ${pgno} holds ${plen} bytes, inconsistent with the item's ${tlen}`);
      buf.copy(out, filled, b + PAGE_HEADER, b + PAGE_HEADER + plen);
      filled += plen;
      pgno = u32(b + 16);
    }
    return out;
  };

  /** The key/data pair at index `i` of the hash page at `base`, or undefined for key 0. */
  const pair = (base: number, pgno: number, n: number, i: number): RpmRecord | undefined => {
    const minOff = PAGE_HEADER + 2 * n;
    const koff = u16(base + PAGE_HEADER + 2 * i);
    const voff = u16(base + PAGE_HEADER + 2 * i + 2);
    const kend = i === 0 ? pageSize : u16(base + PAGE_HEADER + 2 * i - 2);
    if (voff < minOff || koff <= voff || kend <= koff || kend > pageSize) {
      return { key: -1, error: `item offsets ${koff}/${voff} at index ${i} of page ${pgno} are inconsistent` };
    }
    if (buf[base + koff] !== H_KEYDATA || kend - koff !== 5) {
      return { key: -1, error: `key at index ${i} of page ${pgno} is not a 4-byte header number` };
    }
    const key = u32(base + koff + 1);
    if (key === 0) return undefined;
    const vtype = buf[base + voff];
    if (vtype === H_KEYDATA) return { key, blob: buf.subarray(base + voff + 1, base + koff) };
    if (vtype !== H_OFFPAGE) return { key, error: `value item type ${vtype} is not one rpm writes` };
    if (koff - voff !== OFFPAGE_SIZE) return { key, error: `off-page value reference is ${koff - voff} bytes, expected ${OFFPAGE_SIZE}` };
    try {
      return { key, blob: overflow(u32(base + voff + 4), u32(base + voff + 8)) };
    } catch (err) {
      if (err instanceof RpmFormatError) return { key, error: err.message };
      throw err;
    }
  };

  function* walk(): Generator<RpmRecord> {
    const visited = new Uint8Array(pagesInFile);
    for (let bucket = 0; bucket <= maxBucket; bucket++) {
      let pgno = (bucket + spares[bitLength(bucket)]!) >>> 0;
      while (pgno !== 0) {
        const base = page(pgno);
        if (visited[pgno]) fail(`page ${pgno} is reached twice: the bucket chains loop`);
        visited[pgno] = 1;
        const type = buf[base + 25];
        if (type !== P_HASH && type !== P_HASH_UNSORTED) fail(`bucket ${bucket} reaches page ${pgno} of type ${type}, not a hash page`);
        const n = u16(base + 20);
        if (PAGE_HEADER + 2 * n > pageSize) fail(`hash page ${pgno} claims ${n} items, more than fit`);
        for (let i = 0; i + 1 < n; i += 2) {
          const rec = pair(base, pgno, n, i);
          if (rec) yield rec;
        }
        pgno = u32(base + 16);
      }
    }
  }

  return { [Symbol.iterator]: walk };
}
