import type { OsInfo } from '../common/model.js';
import { managerSteps } from '../common/manager-steps.js';
import { MANAGERS, type PackageManager } from '../common/signing.js';
import { distributionOf } from '../ecosystems/index.js';
import type { JobHostInput } from '../store/job-store.js';
import { SCHEMES } from '../versions/index.js';
import type { VersionFormat } from '../versions/scheme.js';
import type { HostFinding, ServerFleetStore } from './fleet-types.js';
import type { Severity } from '../advisories/model.js';

/**
 * Which hosts a patch job takes and what it upgrades on each: the active findings
 * with a known fix that the request selects, grouped per host, each package at the
 * highest fixed version any of its findings needs. `PatchService.create` makes a job
 * of exactly this, and a preview shows it with the package manager steps the
 * executor runs for it (common/manager-steps.ts).
 */

/** The signed command's package manager for a host, from the ecosystem registry; undefined when Vigil cannot patch it. */
export function patchTarget(os: OsInfo | undefined): { manager: PackageManager; ecosystem: string; scheme: VersionFormat } | undefined {
  const d = distributionOf(os);
  const name = d?.manager(os?.versionId).name;
  if (!d || !name || !(MANAGERS as readonly string[]).includes(name)) return undefined;
  return { manager: name as PackageManager, ecosystem: d.packages, scheme: d.scheme };
}

/** Which findings a job fixes: every criterion given must hold. */
export interface PatchSelection {
  cve?: string;
  severity?: Severity[];
  tag?: string;
  hosts?: string[];
  /** Only these packages (names as the package manager knows them). */
  packages?: string[];
  /** Only hosts with one of these tags: the scope of the caller's token. */
  scope?: string[];
}

export function planHosts(fleet: ServerFleetStore, req: PatchSelection): JobHostInput[] {
  const findings = fleet.findings({
    status: 'ACTIVE',
    ...(req.cve ? { cve: req.cve } : {}),
    ...(req.severity?.length ? { severity: req.severity } : {}),
    ...(req.tag ? { tag: req.tag } : {}),
  });
  const wanted = req.hosts?.length ? new Set(req.hosts) : undefined;
  const packages = req.packages?.length ? new Set(req.packages) : undefined;
  const byHost = new Map<string, HostFinding[]>();
  for (const f of findings) {
    if (wanted && !wanted.has(f.hostId)) continue;
    if (packages && !packages.has(f.finding.component.name)) continue;
    let l = byHost.get(f.hostId);
    if (!l) byHost.set(f.hostId, (l = []));
    l.push(f);
  }
  const inputs: JobHostInput[] = [];
  for (const hostId of [...byHost.keys()].sort()) {
    const host = fleet.host(hostId);
    if (!host || host.revokedAt || (req.scope && !req.scope.some((t) => host.tags.includes(t)))) continue;
    const target = patchTarget(host.facts.os);
    if (!target) continue;
    const scheme = SCHEMES[target.scheme];
    const pkgs = new Map<string, string>();
    const ids: string[] = [];
    for (const f of byHost.get(hostId)!) {
      const doc = f.finding;
      if (!doc.fixedVersion || doc.component.ecosystem !== target.ecosystem) continue;
      // The highest fixed version any finding on the package needs is the one to reach.
      const prev = pkgs.get(doc.component.name);
      if (prev === undefined || scheme.compare(prev, doc.fixedVersion) < 0) pkgs.set(doc.component.name, doc.fixedVersion);
      ids.push(f.id);
    }
    if (pkgs.size === 0) continue;
    inputs.push({ hostId, wave: 0, manager: target.manager, packages: [...pkgs].sort().map(([name, fixedVersion]) => ({ name, fixedVersion })), findings: ids });
  }
  return inputs;
}

/** A host of a job preview: its wave, what it upgrades and the exact argv of each step its executor runs (on its root `/`; another root runs the same under chroot). */
export interface PreviewHost extends JobHostInput {
  hostname: string;
  steps: Array<{ argv: string[]; required: boolean }>;
}

export function previewHost(h: JobHostInput, hostname: string): PreviewHost {
  return {
    ...h,
    hostname,
    steps: managerSteps(
      h.manager as PackageManager,
      h.packages.map((p) => p.name),
      '/',
    ),
  };
}
