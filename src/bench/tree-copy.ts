import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describeError, VigilError } from '../common/errors.js';

/**
 * Copies and removals of whole trees (the cached debootstrap root and its copies) for
 * benchmarks and tests. A tree with something mounted inside it is never copied:
 * a live /proc in a copied root once turned `cp -a` into an endless read of
 * /proc/<pid>/pagemap that filled the disk. Copies stay on one file system, and a
 * removal unmounts what is mounted inside the tree before deleting it, so it never
 * deletes through a mount into another file system.
 */

/** mountinfo escapes space, tab, newline and backslash in paths as \ooo. */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The real path of `dir` when it exists, else `dir` made absolute: mount points are real paths. */
function canonical(dir: string): string {
  const abs = path.resolve(dir);
  return existsSync(abs) ? realpathSync(abs) : abs;
}

/**
 * Mount points strictly inside `dir` (not `dir` itself), deepest first, from the
 * given mountinfo text (default: this process's /proc/self/mountinfo).
 */
export function mountsUnder(dir: string, mountinfo?: string): string[] {
  const base = canonical(dir);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const text = mountinfo ?? readFileSync('/proc/self/mountinfo', 'utf8');
  const found = new Set<string>();
  for (const line of text.split('\n')) {
    // id parent major:minor root mount-point options ... - fstype source super-options
    const field = line.split(' ')[4];
    if (!field) continue;
    const point = unescapeMountPath(field);
    if (point.startsWith(prefix)) found.add(point);
  }
  return [...found].sort((a, b) => b.length - a.length || b.localeCompare(a));
}

function refuseMounted(dir: string, what: string): void {
  const mounts = mountsUnder(dir);
  if (mounts.length > 0)
    throw new VigilError('CONFLICT', `refusing to ${what} ${dir}: ${mounts.length} file system(s) mounted inside it (${mounts.slice(0, 3).join(', ')}${mounts.length > 3 ? ', …' : ''}); unmount them first`);
}

/**
 * `cp -a --one-file-system SRC DEST` with a fixed argv, refusing a source with anything
 * mounted inside it and a destination that already exists (cp would copy into it).
 */
export function copyTree(src: string, dest: string): void {
  if (!existsSync(src)) throw new VigilError('NOT_FOUND', `cannot copy ${src}: it does not exist`);
  if (existsSync(dest)) throw new VigilError('CONFLICT', `cannot copy ${src} to ${dest}: the destination already exists`);
  refuseMounted(src, 'copy');
  try {
    execFileSync('cp', ['-a', '--one-file-system', '--', src, dest], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new VigilError('IO', `cannot copy ${src} to ${dest}: ${stderr || describeError(err)}`, { cause: err });
  }
}

/** Lazily unmounts every mount inside `dir`, deepest first; returns what was unmounted. */
export function unmountUnder(dir: string): string[] {
  const mounts = mountsUnder(dir);
  for (const m of mounts) {
    try {
      execFileSync('umount', ['-l', '--', m], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      throw new VigilError('IO', `cannot unmount ${m} (inside ${dir}): ${stderr || describeError(err)}`, { cause: err });
    }
  }
  return mounts;
}

/** Removes `dir` and everything in it, after unmounting whatever is mounted inside it. */
export function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  unmountUnder(dir);
  refuseMounted(dir, 'remove');
  rmSync(dir, { recursive: true, force: true });
}

/** The cached debootstrap root (built once, under a lock, by scripts/fixtures/debootstrap-rootfs.sh). */
export function rootfsFixture(repo: string, suite = 'bookworm', variant = 'minbase'): string {
  return execFileSync('bash', [path.join(repo, 'scripts/fixtures/debootstrap-rootfs.sh'), suite, variant], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
