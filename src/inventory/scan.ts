import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { VigilError } from '../common/errors.js';
import { componentKey } from '../common/identity.js';
import { componentLogger } from '../common/log.js';
import type { Component, Inventory, Problem, TargetKind } from '../common/model.js';
import { vigilVersion } from '../common/version.js';
import { scanZip } from './archive.js';
import { type CollectContext, type Collector, SharedWork } from './collector.js';
import { readOsRelease } from './collectors/os-release.js';
import { hostFacts } from './host.js';
import { scanImage } from './image.js';
import { kernelInfo } from './kernel.js';
import { canonicalOwners, pathCanonicalizer } from './owners.js';
import { listeningPorts } from './ports.js';
import { problemFrom } from './problems.js';
import { COLLECTORS } from './registry.js';
import { markInUse, snapshotPaths, snapshotProcesses, type ProcessSnapshot } from './runtime.js';
import { walk, type WalkOptions } from './walk.js';
import { cacheDecision, cacheRuleFor, PSEUDO_FS_PATHS, readMounts } from './walk-plan.js';

export interface ScanOptions {
  /** Host path of the root to scan (`/` for the live host). */
  root?: string;
  /** An explicit file or directory to inventory instead of a root. */
  path?: string;
  /** A container image saved as a tarball (docker-archive or OCI layout), instead of a root or path. */
  image?: string;
  /**
   * Extra directories (root-relative) walked even where the walk of a root would
   * leave them out (inside /tmp, a cache or a skipped directory).
   */
  appRoots?: string[];
  /** Root-relative directories never entered. */
  skipDirs?: string[];
  /** Walk the caches a root's walk skips (npm's, pip's, the Go module cache, /var/cache), marking what is found there. */
  includeCaches?: boolean;
  /** Skip ports, runtime use and host facts even on a live host. */
  noLive?: boolean;
  collectors?: readonly Collector[];
  maxDepth?: number;
  maxEntries?: number;
  signal?: AbortSignal;
  log?: Logger;
  /** Reports progress: phase name and counts so far. */
  onProgress?: (phase: string, detail: string) => void;
}

interface Target {
  root: string;
  kind: TargetKind;
  starts: string[];
  display: string;
}

async function resolveTarget(opts: ScanOptions): Promise<Target> {
  if (opts.path !== undefined) {
    let real: string;
    try {
      real = await realpath(opts.path);
    } catch {
      throw new VigilError('NOT_FOUND', `no such file or directory: ${opts.path}`);
    }
    const st = await stat(real);
    if (st.isDirectory()) return { root: real, kind: 'path', starts: ['/'], display: opts.path };
    if (!st.isFile()) throw new VigilError('INVALID_INPUT', `not a regular file or directory: ${opts.path}`);
    return { root: path.dirname(real), kind: 'path', starts: ['/' + path.basename(real)], display: opts.path };
  }
  const given = opts.root ?? '/';
  let real: string;
  try {
    real = await realpath(given);
  } catch {
    throw new VigilError('NOT_FOUND', `no such root directory: ${given}`);
  }
  if (!(await stat(real)).isDirectory()) throw new VigilError('INVALID_INPUT', `root is not a directory: ${given}`);
  const appRoots = (opts.appRoots ?? []).map((p) => path.posix.normalize('/' + p));
  return { root: real, kind: real === '/' ? 'host' : 'rootfs', starts: ['/', ...appRoots], display: given };
}

function compareComponents(a: Component, b: Component): number {
  const ka = componentKey(a);
  const kb = componentKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function compareProblems(a: Problem, b: Problem): number {
  const ka = `${a.path}\u0000${a.collector}\u0000${a.message}`;
  const kb = `${b.path}\u0000${b.collector}\u0000${b.message}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export async function scan(opts: ScanOptions = {}): Promise<Inventory> {
  // Images and zip packages are unpacked to a temporary root first, then scanned like any other.
  if (opts.image !== undefined) {
    const { image: tarball, path: _p, root: _r, ...rest } = opts;
    return scanImage(tarball, (root) => scan({ ...rest, root, noLive: true }));
  }
  if (opts.path !== undefined && /\.zip$/i.test(opts.path) && (await stat(opts.path).catch(() => undefined))?.isFile()) {
    const { path: zip, ...rest } = opts;
    return scanZip(zip, (dir) => scan({ ...rest, path: dir }));
  }
  const log = opts.log ?? componentLogger('inventory');
  const collectors = opts.collectors ?? COLLECTORS;
  const target = await resolveTarget(opts);
  const live = target.kind === 'host' && !opts.noLive;
  const progress = opts.onProgress ?? (() => {});
  const problems: Problem[] = [];

  const osr = await readOsRelease(target.root);
  problems.push(...osr.problems);

  progress('walk', target.display);
  const wanted = new Map<Collector, string[]>();
  const fileCollectors = collectors.filter((c) => c.wants);
  // Collectors with the same filter (the Go and cargo auditable probes) are handed one
  // list: the filter runs once per walked file, and work on the list is shared.
  const byFilter = new Map<NonNullable<Collector['wants']>, string[]>();
  for (const c of fileCollectors) {
    let list = byFilter.get(c.wants!);
    if (!list) byFilter.set(c.wants!, (list = []));
    wanted.set(c, list);
  }
  const filters = [...byFilter];
  const cacheOf = new Map<string, string>();
  // A collection of package databases alone (the agent's watch) walks nothing.
  if (fileCollectors.length > 0) {
    const walked = await walk(walkOptions(target, opts, problems, log), (rel, base, cache) => {
      for (const [wants, list] of filters) {
        if (!wants(rel, base)) continue;
        list.push(rel);
        if (cache) cacheOf.set(rel, cache);
      }
    });
    problems.push(...walked.problems);
    log.debug({ entries: walked.entries, starts: target.starts.length, skipped_dirs: walked.skippedCount }, 'walk done');
    for (const s of walked.skipped.slice(0, 50)) log.trace({ path: s.path, reason: s.reason }, 'directory not walked');
    // A file named on its own that no collector reads was not inventoried: say so, never "nothing found".
    if (target.kind === 'path' && target.starts[0] !== '/' && ![...wanted.values()].some((f) => f.length > 0) && !walked.problems.some((p) => p.path === target.starts[0])) {
      problems.push({ collector: 'scan', path: target.starts[0]!, code: 'unsupported', message: 'no Vigil collector reads this kind of file' });
    }
  }

  const shared = new SharedWork();
  const run = async (c: Collector): Promise<Component[]> => {
    const files = wanted.get(c) ?? [];
    // An explicit file target is inventoried only by the collectors that want it.
    if (target.kind === 'path' && target.starts[0] !== '/' && files.length === 0) return [];
    if (c.databases.length === 0 && files.length === 0) return [];
    const ctx: CollectContext = { root: target.root, files, live, log: log.child({ collector: c.name }), shared };
    if (osr.os) ctx.os = osr.os;
    if (opts.signal) ctx.signal = opts.signal;
    try {
      const res = await c.collect(ctx);
      problems.push(...res.problems);
      progress('collect', `${c.name}: ${res.components.length}`);
      return res.components;
    } catch (err) {
      problems.push(problemFrom(c.name, c.databases[0] ?? target.display, err));
      return [];
    }
  };
  const perCollector = await Promise.all(collectors.map(run));

  // Identity is purl + location: the same package at the same place is one component.
  const byKey = new Map<string, Component>();
  perCollector.forEach((list) => {
    for (const c of list) {
      c.locations = [...new Set(c.locations)].sort();
      if (!byKey.has(componentKey(c))) byKey.set(componentKey(c), c);
    }
  });
  const components = [...byKey.values()].sort(compareComponents);
  markCacheOnly(components, cacheOf);

  const inv: Inventory = {
    schemaVersion: 1,
    tool: { name: 'vigil', version: vigilVersion() },
    target: { kind: target.kind, path: target.kind === 'host' ? '/' : target.display },
    scannedAt: new Date().toISOString(),
    components,
    problems: [],
  };
  if (osr.os) inv.os = osr.os;

  if (target.kind !== 'path') {
    const snapshot = live ? await snapshotProcesses() : undefined;
    progress('owners', `${components.length} components`);
    const owners = await ownersOfInterest(target.root, collectors, perCollector, components, snapshot, live, log, problems);
    markOwnedLanguagePackages(components, owners);
    inv.kernel = await kernelInfo({ root: target.root, live, components, owners });
    if (live && snapshot) {
      progress('runtime', `${snapshot.processes.length} processes`);
      const ports = await listeningPorts({ owners });
      problems.push(...ports.problems);
      inv.ports = ports.ports;
      const use = await markInUse({ owners, snapshot });
      problems.push(...use.problems);
      inv.host = await hostFacts();
    }
  }
  inv.problems = problems.sort(compareProblems);
  return inv;
}

/**
 * The walk of a root: all of it from `/` (and the application roots, walked even
 * inside what the walk leaves out), never entering pseudo or network file systems
 * (by mount type on this machine, by PSEUDO_FS_PATHS anywhere), other systems'
 * container storage or the skipped caches. A PATH is walked whole.
 */
function walkOptions(target: Target, opts: ScanOptions, problems: Problem[], log: Logger): WalkOptions {
  const skipDirs = (opts.skipDirs ?? []).map((p) => path.posix.normalize('/' + p));
  const base: WalkOptions = {
    root: target.root,
    starts: target.starts,
    maxDepth: opts.maxDepth ?? 24,
    ...(opts.maxEntries !== undefined ? { maxEntries: opts.maxEntries } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const mounts = readMounts(target.root);
  for (const e of mounts.errors.slice(0, 5)) problems.push({ collector: 'walk', path: '/proc/self/mountinfo', code: 'malformed-record', message: e });
  for (const [p, why] of mounts.skips) log.debug({ path: p, reason: why }, 'mount not walked');
  if (mounts.points) base.mountPoints = mounts.points;
  // A PATH is walked whole, but never into a pseudo or network file system mounted inside it.
  if (target.kind === 'path') return { ...base, skipPaths: new Set([...mounts.skips.keys(), ...skipDirs]) };
  const includeCaches = opts.includeCaches === true;
  return {
    ...base,
    skipPaths: new Set([...PSEUDO_FS_PATHS, ...mounts.skips.keys(), ...skipDirs]),
    classify: (rel, name, siblings, host) => {
      const rule = cacheRuleFor(rel, name, siblings, host);
      return rule ? cacheDecision(rule, includeCaches) : undefined;
    },
  };
}

/**
 * A component every location of which lies in a cache is marked with that cache's
 * name (`metadata.cache`): it was downloaded, not necessarily installed or running.
 */
function markCacheOnly(components: Component[], cacheOf: Map<string, string>): void {
  if (cacheOf.size === 0) return;
  for (const c of components) {
    let cache: string | undefined;
    for (const loc of c.locations) {
      const at = cacheOf.get(loc.split(':')[0]!);
      if (at === undefined) {
        cache = undefined;
        break;
      }
      cache ??= at;
    }
    if (cache !== undefined) c.metadata = { ...(c.metadata ?? {}), cache };
  }
}

/** Kernel images and the entries of a release's modules directory: what kernel detection looks up. */
const KERNEL_PATH = /^\/(?:boot\/(?:vmlinu[xz]|Image|zImage|bzImage)|(?:usr\/)?lib\/modules\/[^/]+\/[^/]+$)/;

/**
 * The owners of just the files a scan asks about: what running processes execute
 * or map, where language packages were found, and kernel images. A host's package
 * databases list over a hundred thousand paths; holding them all cost ~40 MB and
 * resolving each one's directory most of a scan's time. A listed path is only
 * resolved when its basename is one of the wanted ones.
 */
async function ownersOfInterest(
  root: string,
  collectors: readonly Collector[],
  perCollector: Component[][],
  components: Component[],
  snapshot: ProcessSnapshot | undefined,
  live: boolean,
  log: Logger,
  problems: Problem[],
): Promise<Map<string, Component>> {
  const wanted = snapshot ? snapshotPaths(snapshot) : new Set<string>();
  for (const c of components) {
    if (c.ecosystem === 'deb' || c.ecosystem === 'rpm' || c.ecosystem === 'apk') continue;
    for (const loc of c.locations) wanted.add(loc.split(':')[0]!);
  }
  const basenames = new Set([...wanted].map((p) => p.slice(p.lastIndexOf('/') + 1)));
  const canonical = pathCanonicalizer(root);
  const keep = (p: string): boolean =>
    wanted.has(p) || KERNEL_PATH.test(p) || (basenames.has(p.slice(p.lastIndexOf('/') + 1)) && wanted.has(canonical(p)));
  const owners = new Map<string, Component>();
  for (const [i, c] of collectors.entries()) {
    const mine = perCollector[i]!;
    if (!c.fileOwners || mine.length === 0) continue;
    const ctx: CollectContext = { root, files: [], live, log };
    try {
      const res = await c.fileOwners(ctx, mine, keep);
      problems.push(...res.problems);
      for (const [p, owner] of res.owners) owners.set(p, owner);
    } catch (err) {
      problems.push(problemFrom(c.name, c.databases[0] ?? '/', err));
    }
  }
  return canonicalOwners(root, owners);
}

/**
 * A language package installed by the OS package manager (python3-requests ships
 * requests' dist-info) is recorded as owned, so the matcher can defer to the
 * distribution's own advisories instead of reporting it twice.
 */
function markOwnedLanguagePackages(components: Component[], owners: Map<string, Component>): void {
  for (const c of components) {
    if (c.ecosystem === 'deb' || c.ecosystem === 'rpm' || c.ecosystem === 'apk') continue;
    for (const loc of c.locations) {
      const owner = owners.get(loc.split(':')[0]!);
      if (owner) {
        c.metadata = { ...(c.metadata ?? {}), ownedBy: owner.purl };
        break;
      }
    }
  }
}
