import { lstatSync } from 'node:fs';
import { hostPath, resolveInRootSync } from '../../inventory/rootfs.js';
import type { FactReader } from '../fact-reader.js';
import type { Fact, FileModeFact } from '../model.js';
import { readConfig } from './read-text.js';

/**
 * A file's permission bits and owner, stat'ed inside the root: symlinks resolve as if
 * chrooted (an absolute link or `..` never leaves the root), and the resolved path
 * itself is lstat'ed. Owner and group names come from the root's own /etc/passwd and
 * /etc/group, not the scanning host's.
 */

async function names(root: string, file: '/etc/passwd' | '/etc/group'): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const text = await readConfig(root, file);
  for (const line of text?.split('\n') ?? []) {
    const f = line.split(':');
    const id = Number(f[2]);
    if (f[0] && Number.isInteger(id) && !out.has(id)) out.set(id, f[0]);
  }
  return out;
}

async function read(spec: FileModeFact, ctx: { root: string }): Promise<Fact> {
  const resolved = resolveInRootSync(ctx.root, spec.path);
  if (resolved === undefined) return { evidence: [{ path: spec.path, text: 'does not exist' }] };
  const st = lstatSync(hostPath(ctx.root, resolved));
  const [users, groups] = await Promise.all([names(ctx.root, '/etc/passwd'), names(ctx.root, '/etc/group')]);
  const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
  const owner = users.get(st.uid);
  const group = groups.get(st.gid);
  const via = resolved !== spec.path ? ` (resolved inside the root to ${resolved})` : '';
  return {
    value: { mode, uid: st.uid, gid: st.gid, ...(owner ? { owner } : {}), ...(group ? { group } : {}) },
    evidence: [{ path: spec.path, text: `mode ${mode} owner ${owner ?? st.uid} group ${group ?? st.gid}${via}` }],
  };
}

export const fileModeReader: FactReader<FileModeFact> = {
  kind: 'file_mode',
  expects: ['present', 'mode_at_most', 'owner', 'group'],
  read,
};
