import { lstatSync, readlinkSync } from 'node:fs';
import { hostPath, listInRoot, resolveInRootSync } from '../../inventory/rootfs.js';
import type { FactReader } from '../fact-reader.js';
import type { Evidence, Fact, ServiceFact } from '../model.js';

/**
 * Whether a systemd unit is enabled, read from the root's unit symlinks as
 * `systemctl enable` leaves them, without running systemctl: a unit is enabled when
 * a `*.wants/` or `*.requires/` directory of /etc/systemd/system (or, enabled by its
 * package, of /usr/lib/systemd/system) holds it, and not when /etc/systemd/system
 * masks it (a link to /dev/null). True when any of the named units is enabled.
 * SysV init links (/etc/rc?.d) are not read.
 */

const ENABLE_DIRS = ['/etc/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'] as const;

function entry(root: string, rel: string): { link?: string } | undefined {
  const parent = resolveInRootSync(root, rel.slice(0, rel.lastIndexOf('/')) || '/');
  if (parent === undefined) return undefined;
  const host = hostPath(root, `${parent}/${rel.slice(rel.lastIndexOf('/') + 1)}`);
  try {
    const st = lstatSync(host);
    return st.isSymbolicLink() ? { link: readlinkSync(host) } : {};
  } catch {
    return undefined;
  }
}

async function read(spec: ServiceFact, ctx: { root: string }): Promise<Fact> {
  const evidence: Evidence[] = [];
  let enabled = false;
  for (const unit of spec.units) {
    const mask = entry(ctx.root, `/etc/systemd/system/${unit}`);
    if (mask?.link === '/dev/null') {
      evidence.push({ path: `/etc/systemd/system/${unit}`, text: `${unit} masked (-> /dev/null)` });
      continue;
    }
    for (const dir of ENABLE_DIRS) {
      for (const sub of (await listInRoot(ctx.root, dir)) ?? []) {
        if (!sub.endsWith('.wants') && !sub.endsWith('.requires')) continue;
        const rel = `${dir}/${sub}/${unit}`;
        const e = entry(ctx.root, rel);
        if (!e) continue;
        enabled = true;
        evidence.push({ path: rel, text: `${unit} enabled${e.link ? ` (-> ${e.link})` : ''}` });
      }
    }
  }
  if (!evidence.length) evidence.push({ path: '/etc/systemd/system', text: `none of ${spec.units.join(', ')} enabled` });
  return { value: enabled, evidence };
}

export const serviceReader: FactReader<ServiceFact> = { kind: 'service', expects: ['enabled'], read };
