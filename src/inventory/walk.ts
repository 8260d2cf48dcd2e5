import { readdirSync, statSync, type Dirent } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import path from 'node:path';
import type { Problem } from '../common/model.js';
import { hostPath, isMissing, resolveInRootSync } from './rootfs.js';
import type { DirDecision } from './walk-plan.js';

export { PSEUDO_FS_PATHS } from './walk-plan.js';

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
  /** Root-relative absolute directories never entered (`/proc`), checked on their resolved path. */
  skipPaths?: ReadonlySet<string>;
  /**
   * Every mount point inside the root (root-relative). When known, only they are
   * stat'ed for loop protection (a bind mount of an ancestor has its device and
   * inode); any other directory is known by its resolved path. Unknown: every
   * directory is stat'ed.
   */
  mountPoints?: ReadonlySet<string>;
  /**
   * Decides on a directory before it is entered (caches): `rel` as found, its name,
   * whether its parent has an entry of a given name, and its host path (computed on
   * demand: this runs for every directory). Undefined: walked like its parent.
   */
  classify?: (rel: string, name: string, sibling: (name: string) => boolean, host: () => string) => DirDecision | undefined;
  signal?: AbortSignal;
}

export interface WalkResult {
  entries: number;
  problems: Problem[];
  /** Directories left out by `classify`, with why (the first thousand). */
  skipped: Array<{ path: string; reason: string }>;
  /** How many directories `classify` left out in all. */
  skippedCount: number;
}

const MAX_SKIPPED_LISTED = 1000;

export const DEFAULT_SKIP_NAMES: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', 'lost+found']);

/**
 * Calls `visit(relPath, basename, cache)` for every regular file found, with the
 * name of the cache it lies in (from `classify`) if any. Symlinked files are visited
 * under their own path when their target is a regular file inside the root.
 */
export async function walk(opts: WalkOptions, visit: (rel: string, base: string, cache?: string) => void): Promise<WalkResult> {
  const { root } = opts;
  const maxDepth = opts.maxDepth ?? 24;
  const maxEntries = opts.maxEntries ?? 2_000_000;
  const skipNames = opts.skipNames ?? DEFAULT_SKIP_NAMES;
  const skipPaths = opts.skipPaths ?? new Set<string>();
  /** Resolved paths of the directories walked: symlinks resolve to these, so a link back up is seen. */
  const seenDirs = new Set<string>();
  /** Device and inode of the directories stat'ed (mount points, or all when the mounts are unknown). */
  const seenIds = new Set<string>();
  const problems: Problem[] = [];
  const skipped: WalkResult['skipped'] = [];
  let skippedCount = 0;
  /** Sub-paths of a cache that are walked unmarked (environments kept inside a cache). */
  const unmarked = new Set<string>();
  let entries = 0;
  let truncated = false;

  const idOf = (real: string): string | undefined => {
    const st = statSync(hostPath(root, real), { throwIfNoEntry: false });
    return st?.isDirectory() ? `${st.dev}:${st.ino}` : undefined;
  };
  /** Whether `real` is a directory walked already, by path or (where stat'ed) by device and inode. */
  const seen = (real: string): boolean => {
    if (seenDirs.has(real)) return true;
    seenDirs.add(real);
    if (opts.mountPoints && !opts.mountPoints.has(real)) return false;
    const id = idOf(real);
    if (id === undefined || seenIds.has(id)) return true;
    // A bind mount of one of its own ancestors would be walked again and again.
    if (opts.mountPoints) {
      for (let at = real.lastIndexOf('/'); at > 0; at = real.lastIndexOf('/', at - 1)) if (idOf(real.slice(0, at)) === id) return true;
      if (real !== '/' && idOf('/') === id) return true;
    }
    seenIds.add(id);
    return false;
  };
  // Directory reads are synchronous (a thread-pool round trip per directory made a
  // walk of a few thousand directories take a second), and the walk yields to the
  // event loop every few directories so a daemon stays responsive during big walks.
  let sinceYield = 0;

  type Sub = [rel: string, real: string, cache: string | undefined];
  /** Where a child directory goes: into `subdirs` (possibly marked), or only its kept sub-paths. */
  const place = (subdirs: Sub[], child: string, realChild: string, name: string, sibling: (name: string) => boolean, cache: string | undefined): void => {
    let d: DirDecision | undefined;
    try {
      d = opts.classify?.(child, name, sibling, () => hostPath(root, realChild));
    } catch {
      d = undefined; // a rule that cannot look inside falls back to walking
    }
    if (unmarked.has(child)) cache = undefined;
    if (!d) {
      subdirs.push([child, realChild, cache]);
      return;
    }
    if (!d.skip) {
      for (const k of d.keep) unmarked.add(`${child}/${k}`);
      subdirs.push([child, realChild, d.cache]);
      return;
    }
    if (++skippedCount <= MAX_SKIPPED_LISTED) skipped.push({ path: child, reason: d.reason });
    for (const k of d.keep) {
      const st = statSync(hostPath(root, `${realChild}/${k}`), { throwIfNoEntry: false });
      if (st?.isDirectory()) subdirs.push([`${child}/${k}`, `${realChild}/${k}`, cache]);
    }
  };

  // `rel` is the path as found (what collectors and locations see); `real` is the same
  // directory with every symlink resolved inside the root, which is what gets opened,
  // so a link to `/etc` in an image never reads the scanning host's /etc.
  const walkDir = async (rel: string, real: string, depth: number, cache: string | undefined): Promise<void> => {
    if (truncated || opts.signal?.aborted) return;
    if (depth > maxDepth) {
      problems.push({ collector: 'walk', path: rel, code: 'skipped', message: `deeper than ${maxDepth} levels; not entered` });
      return;
    }
    if (++sinceYield >= 32) {
      sinceYield = 0;
      await yieldToLoop();
    }
    let dirents: Dirent[];
    try {
      if (seen(real)) return;
      dirents = readdirSync(hostPath(root, real), { withFileTypes: true });
    } catch (err) {
      if (!isMissing(err)) problems.push({ collector: 'walk', path: rel, code: 'unreadable', message: (err as Error).message });
      return;
    }
    const subdirs: Sub[] = [];
    // Directories reached through a symlink go last, so a tree is listed under its
    // real path (`/usr/lib`) rather than a link to it (`/lib` on a merged-/usr system).
    const linked: Sub[] = [];
    if (entries + dirents.length > maxEntries) {
      dirents.length = Math.max(0, maxEntries - entries);
      truncated = true;
    }
    entries += dirents.length;
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const sibling = (n: string): boolean => dirents.some((d) => d.name === n);
    for (const d of dirents) {
      const name = d.name;
      // sockets, FIFOs and devices are skipped on purpose
      const kind = d.isFile() ? 'file' : d.isDirectory() ? 'dir' : d.isSymbolicLink() ? 'link' : undefined;
      if (kind === undefined) continue;
      const child = rel === '/' ? `/${name}` : `${rel}/${name}`;
      if (kind === 'file') {
        visit(child, name, cache);
        continue;
      }
      // Only directories and links need the real path (most entries are files).
      const realChild = real === '/' ? `/${name}` : `${real}/${name}`;
      if (kind === 'dir') {
        if (!skipNames.has(name) && !skipPaths.has(realChild)) place(subdirs, child, realChild, name, sibling, cache);
      } else {
        // On the live host a link is its target: one stat says what it is, and only a
        // directory needs its resolved path. Inside another root it is resolved there.
        let target: string | undefined;
        let st;
        try {
          if (root === '/') {
            st = statSync(realChild, { throwIfNoEntry: false });
            if (st?.isDirectory()) target = resolveInRootSync(root, realChild);
          } else {
            target = resolveInRootSync(root, realChild);
            if (target !== undefined) st = statSync(hostPath(root, target), { throwIfNoEntry: false });
          }
        } catch {
          continue; // loops and dangling links are not inventory
        }
        if (target !== undefined && skipPaths.has(target)) continue;
        if (st?.isFile()) visit(child, name, cache);
        else if (st?.isDirectory() && target !== undefined && !skipNames.has(name)) place(linked, child, target, name, sibling, cache);
      }
    }
    for (const [sub, subReal, subCache] of subdirs) await walkDir(sub, subReal, depth + 1, subCache);
    for (const [sub, subReal, subCache] of linked) await walkDir(sub, subReal, depth + 1, subCache);
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
    else if (st.isDirectory()) await walkDir(start, resolved, 0, undefined);
  }
  if (truncated) problems.push({ collector: 'walk', path: opts.starts.join(','), code: 'skipped', message: `more than ${maxEntries} entries; the rest was not walked` });
  return { entries, problems, skipped, skippedCount };
}
