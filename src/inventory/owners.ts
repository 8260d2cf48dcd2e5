import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { Component } from '../common/model.js';
import { hostPath, isMissing, resolveInRootSync } from './rootfs.js';

/**
 * Package databases record paths as packaged (`/bin/bash`,
 * `/lib/x86_64-linux-gnu/libc.so.6`), while the kernel reports the real path a
 * process runs (`/usr/bin/bash`) after usrmerge turned `/bin` and `/lib` into
 * symlinks. Re-keying the owners map by real path lets `/proc` paths find their
 * package.
 */

/**
 * Add, for each owned path, the key its real location has. Only the directory
 * part is resolved: the symlinked directories are what differ, while a symlinked
 * file (`/usr/bin/python3` → `python3.11`) may belong to another package than
 * its target, which keeps its own entry. Paths listed directly keep their owner
 * when an alias resolves onto them. Both keys stay, so lookups by packaged path
 * still work.
 */
export async function canonicalOwners(root: string, owners: Map<string, Component>): Promise<Map<string, Component>> {
  const out = new Map(owners);
  const canonical = pathCanonicalizer(root);
  for (const [file, component] of owners) {
    const key = canonical(file);
    if (key !== file && !out.has(key)) out.set(key, component);
  }
  return out;
}

/**
 * A function giving the real path of a packaged path: its directory resolved
 * inside the root (memoised per directory), its basename kept. A path whose
 * directory does not exist is returned unchanged.
 *
 * Resolution is synchronous on purpose: one lstat per distinct directory (about
 * ten thousand on a server) costs microseconds each inline, but a thread-pool
 * round trip each when awaited, which made this the slowest step of a host scan.
 */
export function pathCanonicalizer(root: string): (file: string) => string {
  const real = new Map<string, string | undefined>();
  const realDir = (dir: string): string | undefined => {
    if (real.has(dir)) return real.get(dir);
    let r: string | undefined;
    try {
      r = resolveDir(root, dir, realDir);
    } catch {
      r = undefined;
    }
    real.set(dir, r);
    return r;
  };
  return (file) => {
    const slash = file.lastIndexOf('/');
    if (slash < 0) return file;
    const dir = slash === 0 ? '/' : file.slice(0, slash);
    const resolved = realDir(dir);
    if (resolved === undefined || resolved === dir) return file;
    return (resolved === '/' ? '' : resolved) + file.slice(slash);
  };
}

/**
 * Real path of a directory inside the root, built on its parent's (memoised) so
 * each directory costs one lstat; only a symlink falls back to full resolution.
 */
function resolveDir(root: string, dir: string, realDir: (dir: string) => string | undefined): string | undefined {
  if (dir === '/') return '/';
  const slash = dir.lastIndexOf('/');
  const parent = realDir(slash === 0 ? '/' : dir.slice(0, slash));
  if (parent === undefined) return undefined;
  const candidate = (parent === '/' ? '' : parent) + dir.slice(slash);
  try {
    // Missing directories are common (files removed by hand, diversions); an
    // exception per miss would cost more than the lstat itself.
    const st = lstatSync(root === '/' ? candidate : hostPath(root, candidate), { throwIfNoEntry: false });
    if (st === undefined) return undefined;
    if (!st.isSymbolicLink()) return st.isDirectory() ? candidate : undefined;
    const target = readlinkSync(hostPath(root, candidate));
    return resolveInRootSync(root, target.startsWith('/') ? target : path.posix.join(parent, target));
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}
