import { constants, closeSync, fstatSync, lstatSync, openSync, readSync, readlinkSync, realpathSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * File access confined to a scanned root, as if chrooted: absolute symlinks inside
 * an image resolve against the image, never the scanning host, and `..` cannot
 * climb out. On a live host (`root` = `/`) this is ordinary path resolution.
 */

const MAX_SYMLINK_HOPS = 40;

export class RootEscapeError extends Error {}

/** Join a root-relative absolute path onto the host path of the root, lexically. */
export function hostPath(root: string, rel: string): string {
  const clean = path.posix.normalize('/' + rel);
  return root === '/' ? clean : path.join(root, clean);
}

/** Root-relative form of a host path under `root`. */
export function relPath(root: string, host: string): string {
  if (root === '/') return host;
  const r = path.relative(root, host);
  return '/' + r.split(path.sep).join('/');
}

/**
 * Resolve every symlink in `rel` inside `root`. Returns the root-relative resolved
 * path, or undefined if a component is missing. Loops raise ELOOP like the kernel.
 */
export async function resolveInRoot(root: string, rel: string): Promise<string | undefined> {
  return resolveInRootSync(root, rel);
}

/**
 * Synchronous form of resolveInRoot. Resolution is a handful of lstat calls that
 * each take microseconds; through the thread pool each costs a round trip, which
 * dominated scans that resolve thousands of paths.
 */
export function resolveInRootSync(root: string, rel: string): string | undefined {
  if (root === '/') {
    // The live host is its own root: plain resolution is already confined.
    try {
      return realpathSync.native(path.posix.normalize('/' + rel));
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }
  const pending = path.posix.normalize('/' + rel).split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (pending.length) {
    const seg = pending.shift()!;
    if (seg === '.') continue;
    if (seg === '..') {
      done.pop();
      continue;
    }
    const candidate = '/' + [...done, seg].join('/');
    let st;
    try {
      st = lstatSync(hostPath(root, candidate));
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    if (st.isSymbolicLink()) {
      if (++hops > MAX_SYMLINK_HOPS) {
        const e = new Error(`too many levels of symbolic links: ${rel}`) as NodeJS.ErrnoException;
        e.code = 'ELOOP';
        throw e;
      }
      const target = readlinkSync(hostPath(root, candidate));
      const parts = target.split('/').filter(Boolean);
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...parts);
    } else {
      done.push(seg);
    }
  }
  return '/' + done.join('/');
}

export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`file is ${size} bytes, over the ${limit}-byte limit`);
  }
}

export interface ReadOptions {
  /** Refuse files larger than this (default 256 MiB). */
  maxBytes?: number;
}

/**
 * Read a regular file inside the root, following symlinks within it. Returns
 * undefined when the file does not exist. Special files (FIFOs, devices) are
 * refused rather than read, so a hostile image cannot block the scan.
 */
export async function readInRoot(root: string, rel: string, opts: ReadOptions = {}): Promise<Buffer | undefined> {
  const resolved = await resolveInRoot(root, rel);
  if (resolved === undefined) return undefined;
  const limit = opts.maxBytes ?? 256 * 1024 * 1024;
  const handle = await open(hostPath(root, resolved), constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error(`not a regular file: ${rel}`);
    if (st.size > limit) throw new FileTooLargeError(rel, st.size, limit);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export async function readTextInRoot(root: string, rel: string, opts: ReadOptions = {}): Promise<string | undefined> {
  const buf = await readInRoot(root, rel, opts);
  return buf?.toString('utf8');
}

/** Entries of a directory inside the root (resolved within it), or undefined if absent. */
export async function listInRoot(root: string, rel: string): Promise<string[] | undefined> {
  const resolved = await resolveInRoot(root, rel);
  if (resolved === undefined) return undefined;
  try {
    const st = await stat(hostPath(root, resolved));
    if (!st.isDirectory()) return undefined;
    return (await readdir(hostPath(root, resolved))).sort();
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

export async function existsInRoot(root: string, rel: string): Promise<boolean> {
  try {
    return (await resolveInRoot(root, rel)) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Synchronous bounded read of a regular file inside the root, for bulk reads of
 * many small database files (dpkg's per-package file lists) where a thread-pool
 * round trip per file costs more than the read. Same confinement as readInRoot.
 */
export function readInRootSync(root: string, rel: string, opts: ReadOptions = {}): Buffer | undefined {
  const resolved = resolveInRootSync(root, rel);
  if (resolved === undefined) return undefined;
  const limit = opts.maxBytes ?? 256 * 1024 * 1024;
  const fd = openSync(hostPath(root, resolved), constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`not a regular file: ${rel}`);
    if (st.size > limit) throw new FileTooLargeError(rel, st.size, limit);
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}
