import { lstatSync, readdirSync } from 'node:fs';
import { hostPath, resolveInRootSync } from '../../inventory/rootfs.js';
import type { FactReader } from '../fact-reader.js';
import type { Fact, WorldWritableFact } from '../model.js';

/**
 * Files and directories any user may write under system paths: a bounded walk
 * (at most MAX_ENTRIES entries and MAX_DEPTH levels, one file system: a mount inside
 * the root is not entered) that lstat's every entry and follows no symlink. Links
 * themselves are skipped (their mode is always 0777), and so are sticky directories
 * (the /tmp pattern). Only the paths of WALKABLE may be walked.
 */

export const WALKABLE = ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/boot', '/opt', '/var/lib'] as const;
export const MAX_ENTRIES = 500_000;
const MAX_DEPTH = 40;
const LISTED = 50;

async function read(spec: WorldWritableFact, ctx: { root: string }): Promise<Fact> {
  const found: string[] = [];
  let seen = 0;
  const notes: string[] = [];
  for (const top of spec.paths) {
    if (!(WALKABLE as readonly string[]).includes(top)) throw new Error(`${top}: not one of the paths a world_writable check may walk (${WALKABLE.join(', ')})`);
    // A top path that is a link (merged /usr: /bin -> usr/bin) is walked at its target, once.
    const start = resolveInRootSync(ctx.root, top);
    if (start === undefined || (start !== top && spec.paths.includes(start))) continue;
    const dev = lstatSync(hostPath(ctx.root, start)).dev;
    const stack: Array<[string, number]> = [[start, 0]];
    while (stack.length) {
      const [dir, depth] = stack.pop()!;
      let names: string[];
      try {
        names = readdirSync(hostPath(ctx.root, dir));
      } catch {
        continue;
      }
      for (const name of names) {
        if (++seen > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} entries under ${spec.paths.join(', ')}; the walk stopped`);
        const rel = dir === '/' ? `/${name}` : `${dir}/${name}`;
        const st = lstatSync(hostPath(ctx.root, rel), { throwIfNoEntry: false });
        if (!st || st.isSymbolicLink()) continue;
        const sticky = st.isDirectory() && (st.mode & 0o1000) !== 0;
        if ((st.mode & 0o002) !== 0 && !sticky) found.push(rel);
        if (st.isDirectory() && st.dev === dev && depth < MAX_DEPTH) stack.push([rel, depth + 1]);
        else if (st.isDirectory() && st.dev !== dev) notes.push(`${rel}: another file system, not entered`);
      }
    }
  }
  found.sort();
  notes.unshift(`${seen} entries walked under ${spec.paths.join(', ')}`);
  const evidence = found.slice(0, LISTED).map((p) => ({ path: p, text: 'writable by any user' }));
  if (found.length > LISTED) notes.push(`${found.length - LISTED} more not listed`);
  return { value: found, evidence, notes };
}

export const worldWritableReader: FactReader<WorldWritableFact> = { kind: 'world_writable', expects: ['none'], read };
