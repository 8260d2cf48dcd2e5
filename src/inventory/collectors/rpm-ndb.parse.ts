import type { RpmRecord } from './rpm-common.js';
import { RpmFormatError } from './rpm-header.parse.js';

/**
 * rpm's "ndb" package database (`Packages.db`, SUSE Linux Enterprise 15 and openSUSE), read
 * as rpm's `rpmpkg.c` lays it out, all little-endian: a 32-byte header ("RpmP",
 * version 0, generation, slot page count), then 4 KiB slot pages of 16-byte slots
 * {"Slot", package index, block offset, block count}, and blobs in 16-byte blocks:
 * a 16-byte head {"BlbS", package index, timestamp, length}, the header blob, and a
 * 12-byte tail {adler32, length, "BlbE"}.
 */

const HEADER_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_HEAD_MAGIC = 0x53626c42; // "BlbS"
const BLOB_TAIL_MAGIC = 0x45626c42; // "BlbE"
const HEADER_SIZE = 32;
const SLOT_SIZE = 16;
const BLK_SIZE = 16;
const PAGE_SIZE = 4096;
const BLOB_HEAD = 16;
const BLOB_TAIL = 12;

function fail(message: string): never {
  throw new RpmFormatError(message);
}

interface Slot {
  pkgIdx: number;
  blkOff: number;
  blkCnt: number;
}

/**
 * Records of an ndb `Packages.db`, in block order as rpm lists them. The header and
 * slot pages are checked before this returns; a broken slot or blob is yielded as
 * an error and the others are still read.
 */
export function ndbPackages(file: Uint8Array): Iterable<RpmRecord> {
  const len = file.byteLength;
  if (len < HEADER_SIZE) fail(`file is ${len} bytes, too short for an ndb header`);
  const buf = Buffer.isBuffer(file) ? file : Buffer.from(file.buffer, file.byteOffset, len);
  const u32 = (p: number): number => buf.readUInt32LE(p);
  if (u32(0) !== HEADER_MAGIC) fail(`not an rpm ndb database (magic 0x${u32(0).toString(16)})`);
  const version = u32(4);
  if (version !== 0) fail(`unsupported ndb version ${version}`);
  const slotPages = u32(12);
  if (slotPages === 0 || slotPages * PAGE_SIZE > len) fail(`header claims ${slotPages} slot pages but the file holds ${Math.floor(len / PAGE_SIZE)}`);
  const fileBlks = Math.floor(len / BLK_SIZE);
  const minBlkOff = (slotPages * PAGE_SIZE) / BLK_SIZE;

  const slots: Slot[] = [];
  const bad: RpmRecord[] = [];
  for (let off = HEADER_SIZE; off < slotPages * PAGE_SIZE; off += SLOT_SIZE) {
    if (u32(off) !== SLOT_MAGIC) fail(`slot ${off / SLOT_SIZE} has a bad magic`);
    const pkgIdx = u32(off + 4);
    const blkOff = u32(off + 8);
    const blkCnt = u32(off + 12);
    if (blkOff === 0) continue;
    if (pkgIdx === 0 || blkCnt === 0 || blkOff < minBlkOff || blkOff + blkCnt > fileBlks) {
      bad.push({ key: pkgIdx, error: `slot ${off / SLOT_SIZE} points at blocks ${blkOff}+${blkCnt}, outside the ${fileBlks}-block data area` });
      continue;
    }
    slots.push({ pkgIdx, blkOff, blkCnt });
  }
  slots.sort((a, b) => a.blkOff - b.blkOff);

  const blob = (s: Slot): RpmRecord => {
    const start = s.blkOff * BLK_SIZE;
    const end = start + s.blkCnt * BLK_SIZE;
    if (end - start < BLOB_HEAD + BLOB_TAIL) return { key: s.pkgIdx, error: `blob of ${s.blkCnt} blocks is too small` };
    if (u32(start) !== BLOB_HEAD_MAGIC) return { key: s.pkgIdx, error: `blob at block ${s.blkOff} has a bad head magic` };
    if (u32(start + 4) !== s.pkgIdx) return { key: s.pkgIdx, error: `blob at block ${s.blkOff} belongs to package ${u32(start + 4)}` };
    const blobLen = u32(start + 12);
    const blocks = Math.ceil((BLOB_HEAD + blobLen + BLOB_TAIL) / BLK_SIZE);
    if (blocks !== s.blkCnt) return { key: s.pkgIdx, error: `blob length ${blobLen} needs ${blocks} blocks but its slot has ${s.blkCnt}` };
    const tail = end - BLOB_TAIL;
    if (u32(tail + 4) !== blobLen || u32(tail + 8) !== BLOB_TAIL_MAGIC) return { key: s.pkgIdx, error: `blob at block ${s.blkOff} has a bad tail` };
    // rpm checks the adler32 only when verifying the database, not when reading it.
    return { key: s.pkgIdx, blob: buf.subarray(start + BLOB_HEAD, start + BLOB_HEAD + blobLen) };
  };

  return {
    *[Symbol.iterator]() {
      yield* bad;
      for (const s of slots) yield blob(s);
    },
  };
}
