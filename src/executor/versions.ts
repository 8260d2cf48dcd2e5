import type { Logger } from 'pino';
import type { PackageVersion } from '../common/executor-protocol.js';
import type { Component } from '../common/model.js';
import type { PackageManager, PackagePin } from '../common/signing.js';
import type { Collector } from '../inventory/collector.js';
import { apkCollector } from '../inventory/collectors/apk.js';
import { dpkgCollector } from '../inventory/collectors/dpkg.js';
import { SCHEMES } from '../versions/index.js';
import type { VersionFormat } from '../versions/scheme.js';

/** The version format of each manager's packages. */
export const MANAGER_FORMAT: Record<PackageManager, VersionFormat> = { apt: 'dpkg', dnf: 'rpm', yum: 'rpm', zypper: 'rpm', apk: 'apk' };

async function collectorsFor(manager: PackageManager): Promise<Collector[]> {
  switch (manager) {
    case 'apt':
      return [dpkgCollector];
    case 'apk':
      return [apkCollector];
    default: {
      // Loaded only on rpm hosts: the sqlite backend brings a native module.
      const [{ rpmSqliteCollector }, { rpmBdbCollector }, { rpmNdbCollector }] = await Promise.all([
        import('../inventory/collectors/rpm-sqlite.js'),
        import('../inventory/collectors/rpm-bdb.js'),
        import('../inventory/collectors/rpm-ndb.js'),
      ]);
      return [rpmSqliteCollector, rpmBdbCollector, rpmNdbCollector];
    }
  }
}

/** The installed version as the manager compares it: the binary package's for dpkg, [epoch:]version-release for rpm. */
function installedVersion(c: Component): string {
  if (c.ecosystem !== 'rpm') return c.version;
  const vr = c.release ? `${c.version}-${c.release}` : c.version;
  return c.epoch !== undefined ? `${c.epoch}:${vr}` : vr;
}

function compare(format: VersionFormat, a: string, b: string): number | undefined {
  try {
    return SCHEMES[format].compare(a, b);
  } catch {
    return undefined;
  }
}

/**
 * Installed versions of the named packages, read from the root's package database
 * with the inventory collectors (no package manager is run for this). A package
 * installed more than once (multiarch) shows its lowest version; one not
 * installed has no version.
 */
export async function installedVersions(manager: PackageManager, root: string, names: readonly string[], log: Logger): Promise<PackageVersion[]> {
  const format = MANAGER_FORMAT[manager];
  const wanted = new Set(names);
  const found = new Map<string, string>();
  for (const collector of await collectorsFor(manager)) {
    const r = await collector.collect({ root, files: [], live: false, log });
    for (const p of r.problems) log.warn({ collector: p.collector, path: p.path, code: p.code }, p.message);
    for (const c of r.components) {
      if (!wanted.has(c.name)) continue;
      const v = installedVersion(c);
      const prev = found.get(c.name);
      if (prev === undefined || (compare(format, v, prev) ?? 0) < 0) found.set(c.name, v);
    }
  }
  return names.map((name) => {
    const version = found.get(name);
    return version === undefined ? { name } : { name, version };
  });
}

/** True only when every package is installed at or above its fixed version. */
export function allFixed(manager: PackageManager, packages: readonly PackagePin[], installed: readonly PackageVersion[]): boolean {
  const format = MANAGER_FORMAT[manager];
  if (packages.length === 0) return false;
  return packages.every((p) => {
    const v = installed.find((i) => i.name === p.name)?.version;
    if (v === undefined) return false;
    const cmp = compare(format, v, p.version);
    return cmp !== undefined && cmp >= 0;
  });
}
