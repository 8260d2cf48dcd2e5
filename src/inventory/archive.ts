import { constants } from 'node:fs';
import { link, lstat, mkdir, mkdtemp, open, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ByteSource } from '../common/byte-source.js';
import { VigilError, describeError } from '../common/errors.js';
import type { Inventory, Problem, ProblemCode } from '../common/model.js';
import { ZipArchive, ZipError } from '../common/zip.js';
import { handleSource } from './file-source.js';

/**
 * Unpacking of untrusted archives (container image layers, zip deployment packages)
 * into a directory that is then scanned as a root. Member names are data: each is
 * normalized to a path inside the destination, and nothing is ever written through a
 * symlink, so a hostile archive can neither climb out with `..` nor plant a link to
 * somewhere on the scanning host and write through it.
 */

export interface UnpackLimits {
  /** Bytes written (uncompressed) over the whole unpack. */
  maxTotalBytes: number;
  /** Members over the whole unpack. */
  maxEntries: number;
  /** Bytes of one member; larger members are skipped with a problem. */
  maxEntryBytes: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = {
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxEntries: 2_000_000,
  maxEntryBytes: 128 * 1024 * 1024,
};

/** Refused member: the unpack goes on without it, and the scan reports it. */
export class MemberError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
  ) {
    super(message);
    this.name = 'MemberError';
  }
}

/**
 * A member name as a root-relative path (`/a/b`), or a MemberError. Absolute names and
 * `..` segments are refused outright rather than re-rooted: no honest archive has them.
 */
export function memberPath(name: string): string {
  const printable = JSON.stringify(name.slice(0, 200));
  if (name.includes('\0')) throw new MemberError('corrupt', `member name ${printable} contains a NUL byte`);
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) throw new MemberError('unsupported', `absolute member name ${printable} refused`);
  const segs = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.includes('..')) throw new MemberError('unsupported', `member name ${printable} climbs out with '..': refused`);
  return '/' + segs.join('/');
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Writes members under `dest` without ever following a symlink it did not resolve itself. */
export class SafeTree {
  constructor(readonly dest: string) {}

  host(rel: string): string {
    return rel === '/' ? this.dest : path.join(this.dest, rel);
  }

  /**
   * Make every parent of `rel` a real directory. A parent that is a symlink is refused:
   * following it could lead anywhere, and layers built by diffing a filesystem never
   * write below one. A parent that is a file was replaced by a directory in this layer.
   */
  private async parents(rel: string, create: boolean): Promise<boolean> {
    const segs = rel.split('/').filter(Boolean);
    let at = this.dest;
    for (let i = 0; i < segs.length - 1; i++) {
      at = path.join(at, segs[i]!);
      let st;
      try {
        st = await lstat(at);
      } catch (err) {
        if (!isMissing(err)) throw err;
        if (!create) return false;
        await mkdir(at);
        continue;
      }
      if (st.isSymbolicLink()) {
        throw new MemberError('unsupported', `${rel}: parent ${'/' + segs.slice(0, i + 1).join('/')} is a symlink; writing through it is refused`);
      }
      if (!st.isDirectory()) {
        if (!create) return false;
        await rm(at, { force: true });
        await mkdir(at);
      }
    }
    return true;
  }

  /** Clear the place for a new member; an existing directory stays when a directory replaces it. */
  private async clear(rel: string, keepDirectory: boolean): Promise<void> {
    const p = this.host(rel);
    let st;
    try {
      st = await lstat(p);
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    if (keepDirectory && st.isDirectory()) return;
    // rm does not follow a symlink it removes, nor symlinks inside a directory tree.
    await rm(p, { recursive: true, force: true });
  }

  async directory(rel: string): Promise<void> {
    if (rel === '/') return;
    await this.parents(rel, true);
    await this.clear(rel, true);
    try {
      await mkdir(this.host(rel));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }

  async file(rel: string, data: Buffer): Promise<void> {
    if (rel === '/') throw new MemberError('corrupt', 'a file member names the root itself');
    await this.parents(rel, true);
    await this.clear(rel, false);
    // O_EXCL|O_NOFOLLOW: a symlink planted between clearing and opening is never written through.
    const fh = await open(this.host(rel), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      await fh.writeFile(data);
    } finally {
      await fh.close();
    }
  }

  /** Stored verbatim: rootfs.ts resolves the target inside the root when the scan reads through it. */
  async symlink(rel: string, target: string): Promise<void> {
    if (rel === '/') throw new MemberError('corrupt', 'a symlink member names the root itself');
    if (target.includes('\0')) throw new MemberError('corrupt', `${rel}: symlink target contains a NUL byte`);
    await this.parents(rel, true);
    await this.clear(rel, false);
    await symlink(target, this.host(rel));
  }

  /** A hard link to a regular file already unpacked, reached without following symlinks. */
  async hardlink(rel: string, targetName: string): Promise<void> {
    const target = memberPath(targetName);
    if (!(await this.parents(target, false))) throw new MemberError('corrupt', `${rel}: hard link target ${target} does not exist`);
    let st;
    try {
      st = await lstat(this.host(target));
    } catch (err) {
      if (isMissing(err)) throw new MemberError('corrupt', `${rel}: hard link target ${target} does not exist`);
      throw err;
    }
    if (!st.isFile()) throw new MemberError('unsupported', `${rel}: hard link target ${target} is not a regular file`);
    if (target === rel) return;
    await this.parents(rel, true);
    await this.clear(rel, false);
    await link(this.host(target), this.host(rel));
  }

  /** Remove `rel` and everything below it; a path below a symlink is left alone. */
  async remove(rel: string): Promise<boolean> {
    if (rel === '/') return false;
    if (!(await this.parents(rel, false))) return false;
    let existed = true;
    try {
      await lstat(this.host(rel));
    } catch (err) {
      if (!isMissing(err)) throw err;
      existed = false;
    }
    if (existed) await rm(this.host(rel), { recursive: true, force: true });
    return existed;
  }

  /** Remove what lies below directory `rel` except the paths in `keep` (and their parents). */
  async removeBelow(rel: string, keep: (p: string) => boolean): Promise<string[]> {
    if (!(await this.parents(rel === '/' ? '/x' : rel + '/x', false))) return [];
    let st;
    try {
      st = await lstat(this.host(rel));
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    if (!st.isDirectory()) return [];
    const removed: string[] = [];
    const visit = async (dir: string): Promise<void> => {
      for (const name of await readdir(this.host(dir))) {
        const child = dir === '/' ? `/${name}` : `${dir}/${name}`;
        if (!keep(child)) {
          await rm(this.host(child), { recursive: true, force: true });
          removed.push(child);
        } else if ((await lstat(this.host(child))).isDirectory()) {
          await visit(child);
        }
      }
    };
    await visit(rel);
    return removed;
  }
}

/** Random access to a file on the scanning host, for archives named by the user. */
export async function hostFileSource(file: string): Promise<ByteSource & { close(): Promise<void> }> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw new VigilError('INVALID_INPUT', `not a regular file: ${file}`);
  }
  return handleSource(handle, st.size);
}

export interface UnpackedZip {
  entries: number;
  bytes: number;
  problems: Problem[];
}

/**
 * Unpack a zip deployment package (a Lambda-style bundle with node_modules or
 * site-packages inside) into `dest`. Zip entries carry no symlinks here: every
 * non-directory member becomes a regular file.
 */
export async function unpackZip(zipFile: string, dest: string, opts: Partial<UnpackLimits> = {}): Promise<UnpackedZip> {
  const lim = { ...DEFAULT_UNPACK_LIMITS, ...opts };
  const src = await hostFileSource(zipFile);
  await mkdir(dest, { recursive: true });
  const tree = new SafeTree(dest);
  const problems: Problem[] = [];
  let bytes = 0;
  try {
    let zip: ZipArchive;
    try {
      zip = await ZipArchive.open(src, { maxEntries: lim.maxEntries, maxEntryBytes: lim.maxEntryBytes });
    } catch (err) {
      if (err instanceof ZipError) throw new VigilError('INVALID_INPUT', `${zipFile}: ${err.message}`);
      throw err;
    }
    for (const entry of zip.entries) {
      let rel: string;
      try {
        rel = memberPath(entry.name.replace(/\\/g, '/'));
        if (entry.isDirectory) {
          await tree.directory(rel);
          continue;
        }
        if (bytes + entry.size > lim.maxTotalBytes) {
          throw new VigilError('INVALID_INPUT', `${zipFile}: unpacked contents exceed the limit of ${lim.maxTotalBytes} bytes`);
        }
        const data = await zip.read(entry, lim.maxEntryBytes);
        bytes += data.length;
        await tree.file(rel, data);
      } catch (err) {
        if (err instanceof VigilError) throw err;
        const code: ProblemCode = err instanceof MemberError ? err.code : err instanceof ZipError ? (err.kind === 'too-large' ? 'too-large' : err.kind) : 'unreadable';
        problems.push({ collector: 'archive', path: printablePath(entry.name), code, message: describeError(err) });
      }
    }
    return { entries: zip.entries.length, bytes, problems };
  } finally {
    await src.close();
  }
}

function printablePath(name: string): string {
  const p = name.replace(/[\0-\x1f]/g, '?').slice(0, 300);
  return p.startsWith('/') ? p : '/' + p;
}

/** Unpacks to a fresh directory under the system temp dir, scans it, and always removes it. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `scan({ path: 'x.zip' })`: the package's contents, scanned as a directory. */
export async function scanZip(zipFile: string, scanDir: (dir: string) => Promise<Inventory>): Promise<Inventory> {
  return withTempDir('vigil-zip-', async (dir) => {
    const res = await unpackZip(zipFile, dir);
    const inv = await scanDir(dir);
    inv.target = { kind: 'path', path: zipFile };
    inv.problems = [...res.problems, ...inv.problems];
    return inv;
  });
}
