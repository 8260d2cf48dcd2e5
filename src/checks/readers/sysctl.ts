import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FactContext, FactReader } from '../fact-reader.js';
import type { Evidence, Fact, SysctlFact } from '../model.js';
import { globInRoot, readConfig } from './read-text.js';

/**
 * A kernel parameter. On the live host (`--root /`) the running value, from
 * /proc/sys. On a root directory, the value the root's files set at boot, with
 * systemd-sysctl's precedence (sysctl.d(5)): *.conf files of /etc/sysctl.d,
 * /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and /lib/sysctl.d, a name
 * in an earlier directory masking the same name in a later one, applied in order of
 * their names, a later assignment winning; then /etc/sysctl.conf last, as
 * `sysctl --system` reads it (unless a 99-sysctl.conf link already named it). Keys
 * with globs are not evaluated (a note counts them); `-` before a key is read.
 */

export const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'] as const;

const norm = (key: string): string => key.replace(/\//g, '.');

async function fromRoot(spec: SysctlFact, ctx: FactContext): Promise<Fact> {
  const byName = new Map<string, string>();
  for (const dir of SYSCTL_DIRS) for (const f of await globInRoot(ctx.root, `${dir}/*.conf`)) {
    const name = path.posix.basename(f);
    if (!byName.has(name)) byName.set(name, f);
  }
  const files = [...byName.keys()].sort().map((n) => byName.get(n)!);
  if (!byName.has('99-sysctl.conf')) files.push('/etc/sysctl.conf');
  const want = norm(spec.key);
  let hit: Evidence & { value: string } | undefined;
  const read: string[] = [];
  let globbed = 0;
  for (const f of files) {
    const text = await readConfig(ctx.root, f);
    if (text === undefined) continue;
    read.push(f);
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith(';')) return;
      const eq = line.indexOf('=');
      if (eq < 0) return;
      const key = norm(line.slice(0, eq).trim().replace(/^-/, ''));
      if (/[*?[]/.test(key)) {
        globbed++;
        return;
      }
      if (key === want) hit = { path: f, line: i + 1, text: line.slice(0, 200), value: line.slice(eq + 1).trim().split(/\s+/).join(' ') };
    });
  }
  const notes: string[] = [];
  if (globbed) notes.push(`${globbed} assignment(s) with a glob in the key were not evaluated`);
  if (hit) {
    const { value, ...ev } = hit;
    return { value, evidence: [ev], ...(notes.length ? { notes } : {}) };
  }
  notes.push(read.length ? `${spec.key} is set in none of ${read.join(', ')}` : 'no sysctl.d file and no /etc/sysctl.conf in the root');
  if (spec.default !== undefined) notes.push(`the kernel's default ${spec.default} applies (from the check)`);
  return { ...(spec.default !== undefined ? { value: spec.default } : {}), evidence: read.map((p) => ({ path: p, text: `${spec.key} not set` })), notes };
}

async function fromProc(spec: SysctlFact): Promise<Fact> {
  const file = path.posix.join('/proc/sys', ...spec.key.replace(/\./g, '/').split('/'));
  if (!file.startsWith('/proc/sys/')) throw new Error(`${spec.key}: not a sysctl key`);
  try {
    const value = (await readFile(file, 'utf8')).trim().split(/\s+/).join(' ');
    return { value, evidence: [{ path: file, text: value }] };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { evidence: [{ path: file, text: 'not present in the running kernel' }] };
    throw err;
  }
}

export const sysctlReader: FactReader<SysctlFact> = {
  kind: 'sysctl',
  expects: ['equals', 'one_of', 'not_one_of', 'at_least', 'at_most', 'matches', 'present'],
  read: (spec, ctx) => (ctx.live ? fromProc(spec) : fromRoot(spec, ctx)),
};
