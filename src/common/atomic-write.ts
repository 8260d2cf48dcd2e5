import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  constants as fsc,
  type Stats,
} from 'node:fs';
import { chown, link, lstat, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { VigilError } from './errors.js';

/**
 * The one way Vigil writes a file it owns or was told to write (`-o FILE`, state,
 * keys, tokens): whole or not at all, and never destroying what the path is.
 *
 * What is at the path decides how:
 * - nothing, or a regular file: bytes go to a temporary file beside it, are fsynced,
 *   and the temporary file is renamed over the path; readers see the old content or
 *   the new, never a mix. A replaced file keeps its mode and (when Vigil runs as
 *   root) its owner unless a mode is given.
 * - a symbolic link: the link stays. If it resolves to a regular file, that file is
 *   replaced as above; if it resolves to a character device or FIFO, the bytes are
 *   written into it as below (so `-o /dev/stdout` works); a dangling link or one to
 *   anything else is refused.
 * - a character device or a FIFO (`/dev/null`, `/dev/stdout`, a named pipe): the
 *   bytes are written into it, never renamed over it.
 * - a socket, a block device or a directory: refused, with the path and what it is.
 *
 * `exclusive` refuses any existing path (EEXIST as a CONFLICT), linking the finished
 * temporary file into place so a crash leaves either nothing or the whole file.
 * Errors are VigilErrors: IO for a failed write, CONFLICT for an existing path under
 * `exclusive`, INVALID_INPUT for a path that is not something a file can be written to.
 */
export interface AtomicWriteOptions {
  /** Mode of a newly created file (default 0644, less the umask); also forced on a replaced one. */
  mode?: number;
  /** Refuse a path that exists (symlink, file or anything else) instead of replacing it. */
  exclusive?: boolean;
  /** Refuse symbolic links and anything but a regular file or nothing (for keys and state). */
  regularOnly?: boolean;
  /** fsync the directory after the rename, so the new name survives a crash (default true). */
  syncDir?: boolean;
}

/** How a path is to be written, decided from what is there now. */
export type WriteTarget =
  | { kind: 'replace'; file: string; existing?: Stats }
  | { kind: 'stream'; file: string; what: 'character device' | 'FIFO' }
  | { kind: 'create'; file: string };

function kindOf(st: Stats): string {
  if (st.isFile()) return 'regular file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  return 'special file';
}

function refuse(file: string, why: string): never {
  throw new VigilError('INVALID_INPUT', `refusing to write ${file}: ${why}`);
}

function notFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Pure decision from what lstat/stat said; exported for tests of every case. */
export function decideTarget(file: string, l: Stats | undefined, resolved: { file: string; st: Stats } | undefined, opts: AtomicWriteOptions): WriteTarget {
  if (l === undefined) return opts.exclusive ? { kind: 'create', file } : { kind: 'replace', file };
  if (opts.exclusive) throw new VigilError('CONFLICT', `${file} already exists; Vigil does not overwrite it`);
  if (l.isSymbolicLink()) {
    if (opts.regularOnly) refuse(file, 'it is a symbolic link');
    if (!resolved) refuse(file, 'it is a symbolic link to nothing that exists');
    const t = resolved.st;
    if (t.isFile()) return { kind: 'replace', file: resolved.file, existing: t };
    if (t.isCharacterDevice() || t.isFIFO()) return { kind: 'stream', file: resolved.file, what: t.isFIFO() ? 'FIFO' : 'character device' };
    refuse(file, `it is a symbolic link to a ${kindOf(t)} (${resolved.file})`);
  }
  if (l.isFile()) return { kind: 'replace', file, existing: l };
  if (!opts.regularOnly && (l.isCharacterDevice() || l.isFIFO())) return { kind: 'stream', file, what: l.isFIFO() ? 'FIFO' : 'character device' };
  refuse(file, `it is a ${kindOf(l)}`);
}

/** What a link leads to: stat follows it (also /proc's magic links); a regular file is replaced at its real path. */
function resolveLinkSync(file: string): { file: string; st: Stats } | undefined {
  try {
    const st = statSync(file);
    return { file: st.isFile() ? realpathSync.native(file) : file, st };
  } catch {
    return undefined;
  }
}

function targetSync(file: string, opts: AtomicWriteOptions): WriteTarget {
  let l: Stats | undefined;
  try {
    l = lstatSync(file);
  } catch (err) {
    if (!notFound(err)) throw ioError(file, err);
  }
  return decideTarget(file, l, l?.isSymbolicLink() ? resolveLinkSync(file) : undefined, opts);
}

async function resolveLink(file: string): Promise<{ file: string; st: Stats } | undefined> {
  try {
    const st = await stat(file);
    return { file: st.isFile() ? await realpath(file) : file, st };
  } catch {
    return undefined;
  }
}

async function target(file: string, opts: AtomicWriteOptions): Promise<WriteTarget> {
  let l: Stats | undefined;
  try {
    l = await lstat(file);
  } catch (err) {
    if (!notFound(err)) throw ioError(file, err);
  }
  return decideTarget(file, l, l?.isSymbolicLink() ? await resolveLink(file) : undefined, opts);
}

function ioError(file: string, err: unknown): VigilError {
  if (err instanceof VigilError) return err;
  const e = err as NodeJS.ErrnoException;
  return new VigilError('IO', `cannot write ${file}: ${e.code ? `${e.code}: ` : ''}${e.message.replace(/^[A-Z]+: /, '')}`, { cause: err });
}

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Stream open flags: no truncation games on devices, never the controlling terminal. */
const STREAM_FLAGS = fsc.O_WRONLY | fsc.O_NOCTTY | fsc.O_APPEND;

function keepOwner(tmp: string, existing: Stats | undefined, sync: true): void;
function keepOwner(tmp: string, existing: Stats | undefined, sync: false): Promise<void>;
function keepOwner(tmp: string, existing: Stats | undefined, sync: boolean): void | Promise<void> {
  if (!existing || process.getuid?.() !== 0) return sync ? undefined : Promise.resolve();
  if (existing.uid === 0 && existing.gid === 0) return sync ? undefined : Promise.resolve();
  return sync ? chownSync(tmp, existing.uid, existing.gid) : chown(tmp, existing.uid, existing.gid);
}

/** fsync a directory, so a new or renamed name in it survives a crash. */
export function syncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `file` as described above; synchronous, for start-up paths and keys. */
export function writeFileAtomicSync(file: string, data: string | Buffer, opts: AtomicWriteOptions = {}): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const t = targetSync(file, opts);
  try {
    if (t.kind === 'stream') {
      const fd = openSync(t.file, STREAM_FLAGS);
      try {
        for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      } finally {
        closeSync(fd);
      }
      return;
    }
    const tmp = tempName(t.file);
    const mode = opts.mode ?? (t.kind === 'replace' && t.existing ? t.existing.mode & 0o7777 : 0o644);
    const fd = openSync(tmp, 'wx', mode);
    let placed = false;
    try {
      try {
        for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (t.kind === 'replace') {
        keepOwner(tmp, t.existing, true);
        renameSync(tmp, t.file);
        placed = true;
      } else {
        linkSync(tmp, t.file);
      }
      if (opts.syncDir !== false) syncDirSync(path.dirname(t.file));
    } finally {
      if (!placed) {
        try {
          unlinkSync(tmp);
        } catch {
          /* already gone */
        }
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && t.kind === 'create') throw new VigilError('CONFLICT', `${file} already exists; Vigil does not overwrite it`, { cause: err });
    throw ioError(file, err);
  }
}

/** Writes bytes to an open file handle, however many calls it takes; overridable for fault injection. */
export type WriteBytes = (fh: FileHandle, data: Buffer) => Promise<void>;

const writeAll: WriteBytes = async (fh, data) => {
  for (let off = 0; off < data.length; ) off += (await fh.write(data, off, data.length - off)).bytesWritten;
};

/** Writes `data` to `file` as described above. */
export async function writeFileAtomic(file: string, data: string | Buffer, opts: AtomicWriteOptions & { writeBytes?: WriteBytes } = {}): Promise<void> {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const write = opts.writeBytes ?? writeAll;
  const t = await target(file, opts);
  try {
    if (t.kind === 'stream') {
      const fh = await open(t.file, STREAM_FLAGS);
      try {
        await write(fh, buf);
      } finally {
        await fh.close();
      }
      return;
    }
    const tmp = tempName(t.file);
    const mode = opts.mode ?? (t.kind === 'replace' && t.existing ? t.existing.mode & 0o7777 : 0o644);
    const fh = await open(tmp, 'wx', mode);
    let placed = false;
    try {
      try {
        await write(fh, buf);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (t.kind === 'replace') {
        await keepOwner(tmp, t.existing, false);
        await rename(tmp, t.file);
        placed = true;
      } else {
        await link(tmp, t.file);
      }
      if (opts.syncDir !== false) {
        const d = await open(path.dirname(t.file), 'r');
        try {
          await d.sync();
        } finally {
          await d.close();
        }
      }
    } finally {
      if (!placed) await unlink(tmp).catch(() => undefined);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && t.kind === 'create') throw new VigilError('CONFLICT', `${file} already exists; Vigil does not overwrite it`, { cause: err });
    throw ioError(file, err);
  }
}

/**
 * Moves a finished temporary file (same directory, already fsynced) over `file`, with
 * the same rule as `regularOnly` writes: only nothing or a regular file is replaced.
 * For files written as a stream (downloads) that cannot be held in memory.
 */
export async function commitTempFile(tmp: string, file: string): Promise<void> {
  const t = await target(file, { regularOnly: true });
  try {
    await rename(tmp, t.file);
    const d = await open(path.dirname(t.file), 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch (err) {
    throw ioError(file, err);
  }
}
