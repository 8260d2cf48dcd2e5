import { RpmFormatError } from './rpm-header.parse.js';

/**
 * An SQLite database as one self-contained image: the main file with the committed
 * frames of its write-ahead log folded in. Vigil hands this image to SQLite in memory
 * so that reading a scanned root never lets SQLite create `-shm`/`-wal` files, take
 * locks, or follow a path out of the root; rpm leaves its sqlite rpmdb in WAL mode,
 * and images taken mid-transaction keep committed packages only in the log.
 */

const SQLITE_MAGIC = 'SQLite format 3\0';
const WAL_MAGIC_LE = 0x377f0682;
const WAL_MAGIC_BE = 0x377f0683;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** SQLite's WAL checksum over `n` bytes (a multiple of 8) from `start`, continuing from `s`. */
function walChecksum(b: Buffer, start: number, n: number, s: [number, number], bigEndian: boolean): void {
  let [s1, s2] = s;
  for (let i = start; i < start + n; i += 8) {
    const x0 = bigEndian ? b.readUInt32BE(i) : b.readUInt32LE(i);
    const x1 = bigEndian ? b.readUInt32BE(i + 4) : b.readUInt32LE(i + 4);
    s1 = (s1 + x0 + s2) >>> 0;
    s2 = (s2 + x1 + s1) >>> 0;
  }
  s[0] = s1;
  s[1] = s2;
}

/**
 * Fold the log into the database. Like SQLite's recovery, a log with a bad header,
 * another page size or no valid commit is ignored, and frames stop at the first bad
 * salt or checksum; frames after the last commit are uncommitted and dropped.
 */
function applyWal(db: Buffer, wal: Buffer, pageSize: number): Buffer {
  if (wal.length < WAL_HEADER) return db;
  const magic = wal.readUInt32BE(0);
  if (magic !== WAL_MAGIC_LE && magic !== WAL_MAGIC_BE) return db;
  const bigEndian = magic === WAL_MAGIC_BE;
  if (wal.readUInt32BE(8) !== pageSize) return db;
  const sum: [number, number] = [0, 0];
  walChecksum(wal, 0, 24, sum, bigEndian);
  if (sum[0] !== wal.readUInt32BE(24) || sum[1] !== wal.readUInt32BE(28)) return db;
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  const frameSize = FRAME_HEADER + pageSize;
  let committedFrames = 0;
  let dbPages = 0;
  for (let f = 0, off = WAL_HEADER; off + frameSize <= wal.length; f++, off += frameSize) {
    if (wal.readUInt32BE(off + 8) !== salt1 || wal.readUInt32BE(off + 12) !== salt2 || wal.readUInt32BE(off) === 0) break;
    walChecksum(wal, off, 8, sum, bigEndian);
    walChecksum(wal, off + FRAME_HEADER, pageSize, sum, bigEndian);
    if (sum[0] !== wal.readUInt32BE(off + 16) || sum[1] !== wal.readUInt32BE(off + 20)) break;
    const commit = wal.readUInt32BE(off + 4);
    if (commit !== 0) {
      committedFrames = f + 1;
      dbPages = commit;
    }
  }
  if (!committedFrames) return db;
  // The log can only grow the database by pages it carries.
  const maxPages = Math.ceil(db.length / pageSize) + committedFrames;
  if (dbPages > maxPages) throw new RpmFormatError(`SQLite log commits a ${dbPages}-page database but holds only ${committedFrames} frames`);
  const image = Buffer.alloc(dbPages * pageSize);
  db.copy(image, 0, 0, Math.min(db.length, image.length));
  for (let f = 0, off = WAL_HEADER; f < committedFrames; f++, off += frameSize) {
    const pgno = wal.readUInt32BE(off);
    if (pgno <= dbPages) wal.copy(image, (pgno - 1) * pageSize, off + FRAME_HEADER, off + frameSize);
  }
  return image;
}

/**
 * The database image to deserialise: `db` (which may be modified in place) with
 * `wal` applied, marked as a rollback-journal database since SQLite refuses to
 * deserialise one in WAL mode.
 */
export function sqliteImage(db: Buffer, wal?: Buffer): Buffer {
  if (db.length < 100 || db.toString('latin1', 0, 16) !== SQLITE_MAGIC) throw new RpmFormatError('not an SQLite database (bad file header)');
  const raw = db.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new RpmFormatError(`SQLite page size ${raw} is invalid`);
  const image = wal ? applyWal(db, wal, pageSize) : db;
  if (image[18] === 2 || image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  return image;
}
