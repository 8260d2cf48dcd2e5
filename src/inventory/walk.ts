import { readdirSync, statSync, type Dirent } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import path from 'node:path';
import type { Problem } from '../common/model.js';
import { hostPath, isMissing, resolveInRootSync } from './rootfs.js';

/**
 * The walk engine: visits the regular files under a set of start directories inside
 * a root, bounded in depth and count, never entering pseudo filesystems, skipping
 * special files and following directory symlinks only when they stay inside the
 * root and do not loop (tracked by device and inode).
 */

export interface WalkOptions {
  root: string;
  /** Root-relative absolute directories (or files) to start from. */
  starts: string[];
  maxDepth?: number;
  maxEntries?: number;
  /** Directory basenames never entered (`.git`). */
  skipNames?: ReadonlySet<string>;
  /** Root-relative absolute directories never entered (`/proc`). */
  skipPaths?: ReadonlySet<string>;
  signal?: AbortSignal;
}

export interface WalkResult {
  entries: number;
  problems: Problem[];
}

export const DEFAULT_SKIP_NAMES: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', 'lost+found']);
export const PSEUDO_FS_PATHS: ReadonlySet<string> = new Set(['/proc', '/sys', '/dev', '/run', '/tmp', '/var/tmp', '/var/cache', '/var/lib/docker', '/var/lib/containerd', '/snap']);

/**
 * Calls `visit(relPath, basename)` for every regular file found. Symlinked files are
 * visited under their own path when their target is a regular file inside the root.
 */
export async function walk(opts: WalkOptions, visit: (rel: string, base: string) => void): Promise<WalkResult> {
  const { root } = opts;
  const maxDepth = opts.maxDepth ?? 24;
  const maxEntries = opts.maxEntries ?? 2_000_000;
  const skipNames = opts.skipNames ?? DEFAULT_SKIP_NAMES;
  const skipPaths = opts.skipPaths ?? new Set<string>();
  const seenDirs = new Set<string>();
  const problems: Problem[] = [];
  let entries = 0;
  let truncated = false;

  const dirKey = (rel: string): string | undefined => {
    const st = statSync(hostPath(root, rel), { throwIfNoEntry: false });
    return st?.isDirectory() ? `${st.dev}:${st.ino}` : undefined;
  };
  // Directory reads are synchronous (a thread-pool round trip per directory made a
  // walk of a few thousand directories take a second), and the walk yields to the
  // event loop every few directories so a daemon stays responsive during big walks.
  let sinceYield = 0;

  // `rel` is the path as found (what collectors and locations see); `real` is the same
  // directory with every symlink resolved inside the root, which is what gets opened,
  // so a link to `/etc` in an image never reads the scanning host's /etc.
  const walkDir = async (rel: string, real: string, depth: number): Promise<void> => {
    if (truncated || opts.signal?.aborted) return;
    if (depth > maxDepth) {
      problems.push({ collector: 'walk', path: rel, code: 'skipped', message: `deeper than ${maxDepth} levels; not entered` });
      return;
    }
    if (++sinceYield >= 32) {
      sinceYield = 0;
      await yieldToLoop();
    }
    let key: string | undefined;
    let dirents: Dirent[];
    try {
      key = dirKey(real);
      if (!key || seenDirs.has(key)) return;
      seenDirs.add(key);
      dirents = readdirSync(hostPath(root, real), { withFileTypes: true });
    } catch (err) {
      if (!isMissing(err)) problems.push({ collector: 'walk', path: rel, code: 'unreadable', message: (err as Error).message });
      return;
    }
    const subdirs: Array<[string, string]> = [];
    const names: Array<{ name: string; kind: 'file' | 'dir' | 'link' }> = [];
    for (const d of dirents) {
      if (++entries > maxEntries) {
        truncated = true;
        break;
      }
      if (d.isFile()) names.push({ name: d.name, kind: 'file' });
      else if (d.isDirectory()) names.push({ name: d.name, kind: 'dir' });
      else if (d.isSymbolicLink()) names.push({ name: d.name, kind: 'link' });
      // sockets, FIFOs and devices are skipped on purpose
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, kind } of names) {
      const child = rel === '/' ? `/${name}` : `${rel}/${name}`;
      const realChild = real === '/' ? `/${name}` : `${real}/${name}`;
      if (kind === 'file') visit(child, name);
      else if (kind === 'dir') {
        if (!skipNames.has(name) && !skipPaths.has(realChild)) subdirs.push([child, realChild]);
      } else {
        let target: string | undefined;
        try {
          target = resolveInRootSync(root, realChild);
        } catch {
          continue; // loops and dangling links are not inventory
        }
        if (target === undefined || skipPaths.has(target)) continue;
        const st = statSync(hostPath(root, target), { throwIfNoEntry: false });
        if (st?.isFile()) visit(child, name);
        else if (st?.isDirectory() && !skipNames.has(name)) subdirs.push([child, target]);
      }
    }
    for (const [sub, subReal] of subdirs) await walkDir(sub, subReal, depth + 1);
  };

  for (const start of [...new Set(opts.starts)].sort()) {
    let resolved: string | undefined;
    try {
      resolved = resolveInRootSync(root, start);
    } catch (err) {
      problems.push({ collector: 'walk', path: start, code: 'unreadable', message: (err as Error).message });
      continue;
    }
    if (resolved === undefined) continue;
    const st = statSync(hostPath(root, resolved), { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isFile()) visit(start, path.posix.basename(start));
    else if (st.isDirectory()) await walkDir(start, resolved, 0);
  }
  if (truncated) problems.push({ collector: 'walk', path: opts.starts.join(','), code: 'skipped', message: `more than ${maxEntries} entries; the rest was not walked` });
  return { entries, problems };
}
