import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readFeeds } from '../advisories/feeds.js';
import { componentKey } from '../common/identity.js';
import { inventoryDigest } from '../common/inventory-digest.js';
import { componentLogger } from '../common/log.js';
import type { Component, Inventory } from '../common/model.js';
import { vigilVersion } from '../common/version.js';
import type { Finding } from '../matcher/finding.js';
import { matchInventory } from '../matcher/match.js';
import { FleetService } from '../server/fleet-service.js';
import { STALE_AFTER_SECONDS } from '../server/fleet-stats.js';
import { initServerPki } from '../server/pki.js';
import { SqliteAdvisoryStore } from '../store/sqlite-advisories.js';
import { SqliteFleetDaily } from '../store/sqlite-fleet-daily.js';
import { SCHEMA_VERSION } from '../store/sqlite-fleet-schema.js';
import { SqliteFleetStore } from '../store/sqlite-fleet.js';
import { drawHosts, feedsDigest, rng, withLock } from './api.js';
import { removeTree } from './tree-copy.js';

/**
 * The console's fleet: 1,000 hosts holding about 500,000 findings with a history, built
 * with the real stores and FleetService on a clock that walks through the DAYS days
 * before the build. Hosts enrol over the first 60 days; a third of them later drop a
 * tenth of their components (their findings close as `removed`) and half of those take
 * them back ten days on (the findings reopen: a second episode). The server's daily
 * numbers are recorded at the end of each simulated day, by the same store the server
 * records them with. Cached under VIGIL_CACHE_DIR (/var/cache/vigil-test) under a lock.
 */

const BUILD_FORMAT = 1;
const MANIFEST = 'bench-console.json';
export const DAYS = 90;
/** Findings per host: drawn in this range, a component that would pass MAX skipped. */
const TARGET: [number, number] = [440, 560];
const MAX = 700;
const TEAMS = ['payments', 'search', 'platform', 'data', 'web'];

export interface ConsoleFleet {
  hosts: number;
  findings: number;
  closed: number;
  episodes: number;
  components: number;
  days: number;
  /** The simulated clock's last day (the fleet's "today" when it was built). */
  lastDay: string;
  builtAt: string;
  buildMs: number;
}

export async function buildConsoleFleet(dir: string, opts: { base: Inventory; feedsDir: string; hosts: number; seed: number }): Promise<ConsoleFleet> {
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await initServerPki(path.join(dir, 'pki'));
  const advisories = new SqliteAdvisoryStore(path.join(dir, 'advisories.db'));
  const fleetFile = path.join(dir, 'fleet.db');
  const fleet = new SqliteFleetStore<Finding>(fleetFile);
  const daily = new SqliteFleetDaily(fleetFile);
  const builtAt = new Date();
  const start = Date.parse(`${builtAt.toISOString().slice(0, 10)}T00:00:00.000Z`) - DAYS * 86_400_000;
  let clock = start;
  try {
    advisories.importFeeds((await readFeeds([opts.feedsDir])).feeds, new Date(start).toISOString());
    const counts = new Map<string, number>();
    for (const f of matchInventory(opts.base, advisories).findings) counts.set(componentKey(f.component), (counts.get(componentKey(f.component)) ?? 0) + 1);
    const drawn = drawHosts(opts.base.components, (c) => counts.get(componentKey(c)) ?? 0, opts.hosts, opts.seed, TARGET, MAX);
    const service = new FleetService({ fleet, advisories, log: componentLogger('bench-console'), now: () => new Date(clock) });
    const next = rng(opts.seed ^ 0x2545f491);
    const id = (h: number): string => `a-${createHash('sha256').update(`bench-console ${opts.seed} ${h}`).digest('hex').slice(0, 16)}`;
    const seq = new Map<number, number>();
    const send = (h: number, comps: Component[]): void => {
      const s = (seq.get(h) ?? 0) + 1;
      seq.set(h, s);
      const hostname = `${TEAMS[h % TEAMS.length]}-${String(h).padStart(4, '0')}.bench.vigil.invalid`;
      const facts = { hostname, os: opts.base.os?.prettyName ?? 'Linux', arch: 'x86_64', addresses: [`10.${(h >> 8) & 255}.${h & 255}.20`] };
      const snap = { epoch: 1, seq: s, components: comps, digest: inventoryDigest(comps), facts, ...(opts.base.os ? { os: opts.base.os } : {}), ...(opts.base.kernel ? { kernel: opts.base.kernel } : {}) };
      const r = service.snapshot(id(h), snap);
      if (!r.applied) throw new Error(`bench host ${id(h)}: snapshot refused (${JSON.stringify(r.reply)})`);
    };
    // Each host's plan: the day it enrols, and (for a third) the day it drops a tenth of its components and (for half of those) the day it takes them back.
    const plan = drawn.map((comps, h) => {
      const enrol = h % 60;
      const drop = next() < 1 / 3 ? enrol + 5 + Math.floor(next() * 20) : undefined;
      const back = drop !== undefined && next() < 0.5 ? drop + 10 : undefined;
      const dropped = new Set(comps.filter(() => next() < 0.1).map((c) => componentKey(c)));
      return { comps, enrol, drop, back, dropped };
    });
    let components = 0;
    for (let d = 0; d < DAYS; d++) {
      clock = start + d * 86_400_000 + 9 * 3_600_000;
      for (const [h, p] of plan.entries()) {
        if (p.enrol === d) {
          const hostname = `${TEAMS[h % TEAMS.length]}-${String(h).padStart(4, '0')}.bench.vigil.invalid`;
          const fp = createHash('sha256').update(id(h)).digest('hex');
          service.enrolled({ agentId: id(h), hostname, certFingerprint: fp });
          service.hello(id(h), fp, { kind: 'hello', agentVersion: vigilVersion(), agentEpoch: 1, lastAckedSeq: 0, capabilities: [], tags: [`team=${TEAMS[h % TEAMS.length]}`] });
          send(h, p.comps);
          components += p.comps.length;
        } else if (p.drop === d) send(h, p.comps.filter((c) => !p.dropped.has(componentKey(c))));
        else if (p.back === d) send(h, p.comps);
        else if (d > p.enrol && (d + h) % 7 === 0) service.touch(id(h));
      }
      clock = start + d * 86_400_000 + 23 * 3_600_000;
      daily.record(new Date(clock).toISOString().slice(0, 10), new Date(clock).toISOString(), new Date(clock - STALE_AFTER_SECONDS * 1000).toISOString());
    }
    const reader = new Database(fleetFile, { readonly: true });
    const count = (sql: string): number => (reader.prepare(sql).get() as { n: number }).n;
    const manifest: ConsoleFleet = {
      hosts: opts.hosts,
      findings: count('SELECT COUNT(*) AS n FROM findings'),
      closed: count("SELECT COUNT(*) AS n FROM findings WHERE status = 'CLOSED'"),
      episodes: count('SELECT COUNT(*) AS n FROM finding_episodes'),
      components,
      days: DAYS,
      lastDay: new Date(clock).toISOString().slice(0, 10),
      builtAt: builtAt.toISOString(),
      buildMs: performance.now() - t0,
    };
    reader.close();
    writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest) + '\n');
    return manifest;
  } finally {
    daily.close();
    fleet.close();
    advisories.close();
  }
}

/** The console fleet's data directory, built once under a lock and kept (the key as the API fleet's, with this builder's format). */
export async function cachedConsoleFleet(repo: string, hosts: number, seed: number, base: Inventory): Promise<{ dir: string; fleet: ConsoleFleet; built: boolean }> {
  const cache = process.env.VIGIL_CACHE_DIR ?? '/var/cache/vigil-test';
  const feedsDir = path.join(repo, 'data/feeds');
  const key = createHash('sha256')
    .update(JSON.stringify({ BUILD_FORMAT, TARGET, MAX, DAYS, hosts, seed, pool: inventoryDigest(base.components), os: base.os, kernel: base.kernel, feeds: feedsDigest(feedsDir), schema: SCHEMA_VERSION, vigil: vigilVersion() }))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(cache, `bench-console-${key}`);
  const manifest = (): ConsoleFleet | undefined => (existsSync(path.join(dir, MANIFEST)) ? (JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as ConsoleFleet) : undefined);
  const ready = manifest();
  if (ready) return { dir, fleet: ready, built: false };
  mkdirSync(cache, { recursive: true });
  return withLock(path.join(cache, '.bench-console.lock'), async () => {
    const now = manifest();
    if (now) return { dir, fleet: now, built: false };
    const work = mkdtempSync(path.join(cache, `.build-bench-console-${key}-`));
    try {
      const fleet = await buildConsoleFleet(path.join(work, 'data'), { base, feedsDir, hosts, seed });
      if (existsSync(dir)) renameSync(dir, path.join(work, 'previous'));
      renameSync(path.join(work, 'data'), dir);
      return { dir, fleet, built: true };
    } finally {
      removeTree(work);
    }
  });
}
