import type { Inventory, OsInfo, Problem } from '../common/model.js';
import type { SourceStatus } from '../store/advisory-store.js';
import { OS_PACKAGE_ECOSYSTEMS, distributionOf, lookupTargets, osNamespace } from '../ecosystems/index.js';

/**
 * What the advisory database can say about a target: a namespace no feed covers
 * means its components were not checked at all (a "clean" answer would be a lie), and
 * data whose newest record is old means new vulnerabilities are missing.
 */

export const DEFAULT_MAX_DB_AGE_MS = 7 * 86_400_000;

export interface Coverage {
  /** Namespaces the target's components are looked up in, with how many components each. */
  namespaces: Array<{ namespace: string; components: number; feeds: string[] }>;
  /** The newest record date of the feeds that cover the target (modified, else published). */
  newest?: string;
  problems: Problem[];
}

function release(os: OsInfo | undefined): string {
  if (!os) return 'an unknown distribution';
  if (os.prettyName) return os.prettyName;
  return [os.name ?? os.id, os.versionId].filter(Boolean).join(' ') || 'an unknown distribution';
}

function plural(n: number, what: string): string {
  return `${n} ${what} package${n === 1 ? '' : 's'}`;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!b || Number.isNaN(Date.parse(b))) return a;
  return !a || Date.parse(b) > Date.parse(a) ? b : a;
}

/** `3d 4h`, `5h`, `12m`. */
export function formatAge(ms: number): string {
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/**
 * The target's coverage by the imported feeds. `maxAgeMs` bounds the age of the newest
 * record of the covering feeds (a stale-data problem when older).
 */
export function coverage(inv: Inventory, sources: SourceStatus[], opts: { maxAgeMs?: number; now?: number } = {}): Coverage {
  const byNamespace = new Map<string, string[]>();
  for (const s of sources) for (const n of s.namespaces) (byNamespace.get(n) ?? byNamespace.set(n, []).get(n)!).push(s.name);
  const used = new Map<string, number>();
  const unmatchedOs = new Map<string, number>();
  for (const c of inv.components) {
    if (c.metadata?.ownedBy) continue;
    const targets = lookupTargets(c, inv.os);
    if (targets.length === 0) {
      // OS packages of a release Vigil has no namespace for are never looked up.
      if (OS_PACKAGE_ECOSYSTEMS.has(c.ecosystem)) unmatchedOs.set(c.ecosystem, (unmatchedOs.get(c.ecosystem) ?? 0) + 1);
      continue;
    }
    for (const t of targets) used.set(t.namespace, (used.get(t.namespace) ?? 0) + 1);
  }
  const distribution = distributionOf(inv.os);
  // A distribution Vigil knows but reads no feed for: its packages have a namespace, never data.
  const noFeed = distribution !== undefined && distribution.feeds.length === 0;
  const problems: Problem[] = [];
  const where = inv.os ? '/etc/os-release' : '-';
  for (const [eco, n] of unmatchedOs) {
    problems.push({
      collector: 'matcher',
      path: where,
      code: 'not-covered',
      message: `no advisory data for ${release(inv.os)}: OS packages not checked (${plural(n, eco)}); Vigil reads no feed for this distribution`,
    });
  }
  const namespaces: Coverage['namespaces'] = [];
  let newest: string | undefined;
  const covering = new Set<string>();
  for (const [namespace, components] of [...used].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const feeds = byNamespace.get(namespace) ?? [];
    namespaces.push({ namespace, components, feeds });
    for (const f of feeds) covering.add(f);
    if (feeds.length > 0) continue;
    const os = inv.os && namespace === osNamespace(inv.os);
    problems.push({
      collector: 'matcher',
      path: os ? where : '-',
      code: 'not-covered',
      message: os
        ? `no advisory data for ${release(inv.os)}: OS packages not checked (${plural(components, distribution!.packages)}); ${noFeed ? 'Vigil reads no feed for this distribution' : `import a feed for ${namespace}`}`
        : `no advisory data for ${namespace}: ${plural(components, namespace)} not checked; import a feed for ${namespace}`,
    });
  }
  for (const s of sources) if (covering.has(s.name)) newest = later(newest, s.newestModified ?? s.newestPublished);
  const maxAge = opts.maxAgeMs ?? DEFAULT_MAX_DB_AGE_MS;
  const now = opts.now ?? Date.now();
  if (newest !== undefined && now - Date.parse(newest) > maxAge) {
    problems.push({
      collector: 'matcher',
      path: '-',
      code: 'stale-data',
      message: `advisory data is old: the newest record of the feeds covering this target is from ${newest.slice(0, 10)} (${formatAge(now - Date.parse(newest))} ago, over ${formatAge(maxAge)}); update with "vigil db update" or import a newer bundle`,
    });
  }
  const out: Coverage = { namespaces, problems };
  if (newest !== undefined) out.newest = newest;
  return out;
}
