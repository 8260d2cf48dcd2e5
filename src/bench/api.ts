import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readFeeds } from '../advisories/feeds.js';
import { componentKey } from '../common/identity.js';
import { inventoryDigest } from '../common/inventory-digest.js';
import { componentLogger } from '../common/log.js';
import type { Component, Inventory } from '../common/model.js';
import { vigilVersion } from '../common/version.js';
import { scan } from '../inventory/scan.js';
import type { Finding } from '../matcher/finding.js';
import { matchInventory } from '../matcher/match.js';
import { FleetService } from '../server/fleet-service.js';
import { initServerPki } from '../server/pki.js';
import { startLocalApi } from '../server/run.js';
import { SqliteAdvisoryStore } from '../store/sqlite-advisories.js';
import { SCHEMA_VERSION } from '../store/sqlite-fleet-schema.js';
import { SqliteFleetStore } from '../store/sqlite-fleet.js';
import type { MatchRow } from './match.js';
import { copyTree, removeTree } from './tree-copy.js';

/**
 * The server's paged API over a fleet of 1,000 hosts: a data directory built with the
 * real stores and FleetService (every host enrolled, said hello and sent a snapshot,
 * so its findings are the matcher's over the bundled feeds), served by
 * startLocalApi and queried with real HTTP on loopback. The reference is the list
 * the API answered whole before it paged: every finding read and stringified at once.
 */

/** Bumped whenever the builder makes a different fleet from the same inputs. */
const BUILD_FORMAT = 1;
const MANIFEST = 'bench-api.json';
const MIN_COMPONENTS = 150;
/** Each host takes components until it holds a drawn number of findings in this range. */
const TARGET_FINDINGS: [number, number] = [100, 250];
/** A component that would take a host past this many is skipped (the kernel packages carry ~2,000 each). */
const MAX_FINDINGS = 400;
const TEAMS = ['payments', 'search', 'platform', 'data', 'web'];
const ENVIRONMENTS = ['prod', 'staging', 'dev'];
const CRITICALITY = ['high', 'medium', 'low'];

export interface ApiFleet {
  hosts: number;
  findings: number;
  components: number;
  minFindings: number;
  maxFindings: number;
  buildMs: number;
}

/** Deterministic pseudo-random numbers (xorshift32), so every build draws the same fleet. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * Which of `pool` each host holds: a seeded shuffle of the pool taken in order until the
 * host holds its drawn number of findings (by what each component matches alone) and at
 * least MIN_COMPONENTS components.
 */
export function drawHosts(pool: Component[], findingsOf: (c: Component) => number, hosts: number, seed: number, range = TARGET_FINDINGS, max = MAX_FINDINGS): Component[][] {
  const next = rng(seed);
  const out: Component[][] = [];
  for (let h = 0; h < hosts; h++) {
    const target = range[0] + Math.floor(next() * (range[1] - range[0] + 1));
    const order = pool.map((_, i) => i);
    const taken: Component[] = [];
    let findings = 0;
    for (let i = 0; i < order.length && (findings < target || taken.length < MIN_COMPONENTS); i++) {
      const j = i + Math.floor(next() * (order.length - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
      const c = pool[order[i]!]!;
      const n = findingsOf(c);
      if (findings + n > max) continue;
      taken.push(c);
      findings += n;
    }
    out.push(taken);
  }
  return out;
}

function hostId(seed: number, h: number): string {
  return `a-${createHash('sha256').update(`bench-api ${seed} ${h}`).digest('hex').slice(0, 16)}`;
}

/**
 * Builds a server data directory in `dir` (pki/, advisories.db from `feedsDir`,
 * fleet.db) with `hosts` hosts drawn from `base`'s components, through the server's
 * own FleetService; the manifest written last says what it holds.
 */
export async function buildApiFleet(dir: string, opts: { base: Inventory; feedsDir: string; hosts: number; seed: number }): Promise<ApiFleet> {
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await initServerPki(path.join(dir, 'pki'));
  const advisories = new SqliteAdvisoryStore(path.join(dir, 'advisories.db'));
  const fleet = new SqliteFleetStore<Finding>(path.join(dir, 'fleet.db'));
  try {
    advisories.importFeeds((await readFeeds([opts.feedsDir])).feeds, new Date().toISOString());
    const counts = new Map<string, number>();
    for (const f of matchInventory(opts.base, advisories).findings) {
      const k = componentKey(f.component);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const drawn = drawHosts(opts.base.components, (c) => counts.get(componentKey(c)) ?? 0, opts.hosts, opts.seed);
    const service = new FleetService({ fleet, advisories, log: componentLogger('bench-api') });
    const next = rng(opts.seed ^ 0x5bd1e995);
    const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)]!;
    let components = 0;
    for (const [h, comps] of drawn.entries()) {
      const id = hostId(opts.seed, h);
      const team = pick(TEAMS);
      const hostname = `${team}-${String(h).padStart(4, '0')}.bench.vigil.invalid`;
      const fingerprint = createHash('sha256').update(id).digest('hex');
      service.enrolled({ agentId: id, hostname, certFingerprint: fingerprint });
      const tags = [`team=${team}`, `env=${pick(ENVIRONMENTS)}`, `criticality=${pick(CRITICALITY)}`];
      service.hello(id, fingerprint, { kind: 'hello', agentVersion: vigilVersion(), agentEpoch: 1, lastAckedSeq: 0, capabilities: [], tags });
      const facts = { hostname, os: opts.base.os?.prettyName ?? 'Linux', arch: 'x86_64', addresses: [`10.${(h >> 8) & 255}.${h & 255}.10`] };
      const snap = { epoch: 1, seq: 1, components: comps, digest: inventoryDigest(comps), facts, ...(opts.base.os ? { os: opts.base.os } : {}), ...(opts.base.kernel ? { kernel: opts.base.kernel } : {}) };
      const r = service.snapshot(id, snap);
      if (!r.applied) throw new Error(`bench host ${id}: snapshot refused (${JSON.stringify(r.reply)})`);
      service.disconnected(id);
      components += comps.length;
    }
    const totals = service.hosts().map((s) => s.findings.total);
    const manifest: ApiFleet = {
      hosts: totals.length,
      findings: totals.reduce((a, b) => a + b, 0),
      components,
      minFindings: Math.min(...totals),
      maxFindings: Math.max(...totals),
      buildMs: performance.now() - t0,
    };
    fleet.close();
    advisories.close();
    writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest) + '\n');
    return manifest;
  } catch (err) {
    fleet.close();
    advisories.close();
    throw err;
  }
}

export function feedsDigest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(`${path.relative(dir, p)}\n`).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/**
 * Runs `fn` holding an exclusive lock on `file`: SQLite's own (fcntl) lock, which a
 * second builder waits for (busy timeout) and the kernel drops when its holder dies.
 */
export async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const db = new Database(file, { timeout: 3_600_000 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    return await fn();
  } finally {
    db.close();
  }
}

/**
 * The fleet's data directory under VIGIL_CACHE_DIR (/var/cache/vigil-test), built once
 * under a lock and kept: the key covers the builder, the host count and seed, this
 * host's inventory (the pool), the bundled feeds, the fleet schema and Vigil's version.
 * A build happens beside its final place and is renamed into it when complete.
 */
export async function cachedApiFleet(repo: string, hosts: number, seed: number, base: Inventory): Promise<{ dir: string; fleet: ApiFleet; built: boolean }> {
  const cache = process.env.VIGIL_CACHE_DIR ?? '/var/cache/vigil-test';
  const feedsDir = path.join(repo, 'data/feeds');
  const key = createHash('sha256')
    .update(JSON.stringify({ BUILD_FORMAT, hosts, seed, pool: inventoryDigest(base.components), os: base.os, kernel: base.kernel, feeds: feedsDigest(feedsDir), schema: SCHEMA_VERSION, vigil: vigilVersion() }))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(cache, `bench-api-${key}`);
  const manifest = (): ApiFleet | undefined => (existsSync(path.join(dir, MANIFEST)) ? (JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as ApiFleet) : undefined);
  const ready = manifest();
  if (ready) return { dir, fleet: ready, built: false };
  mkdirSync(cache, { recursive: true });
  return withLock(path.join(cache, '.bench-api.lock'), async () => {
    const now = manifest();
    if (now) return { dir, fleet: now, built: false };
    const work = mkdtempSync(path.join(cache, `.build-bench-api-${key}-`));
    try {
      const fleet = await buildApiFleet(path.join(work, 'data'), { base, feedsDir, hosts, seed });
      // A directory without the manifest is an interrupted build of an older run: moved aside, then removed.
      if (existsSync(dir)) renameSync(dir, path.join(work, 'previous'));
      renameSync(path.join(work, 'data'), dir);
      return { dir, fleet, built: true };
    } finally {
      removeTree(work);
    }
  });
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const n = (x: number): string => x.toLocaleString('en-US');
const mib = (b: number): string => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);

interface Got {
  ms: number;
  bytes: number;
  body: Buffer;
}

/** Every measured request: to the last byte of the body, parsed only after the clock stops. */
async function get(url: string, token: string): Promise<Got> {
  const t = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await res.arrayBuffer());
  const took = performance.now() - t;
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body.toString('utf8').slice(0, 300)}`);
  return { ms: took, bytes: body.length, body };
}

const REQUESTS = Number(process.env.VIGIL_BENCH_API_REQUESTS ?? 200);
/** A series stops early (at no fewer than 20 requests) when it has taken this long. */
const SERIES_MS = Number(process.env.VIGIL_BENCH_API_SECONDS ?? 120) * 1000;

/** `next()` gives each request's URL; five unmeasured requests first. */
async function series(token: string, next: () => string, after?: (g: Got) => void): Promise<{ times: number[]; bytes: number[] }> {
  for (let i = 0; i < 5; i++) after?.(await get(next(), token));
  const times: number[] = [];
  const bytes: number[] = [];
  const start = performance.now();
  while (times.length < REQUESTS && (times.length < 20 || performance.now() - start < SERIES_MS)) {
    const g = await get(next(), token);
    times.push(g.ms);
    bytes.push(g.bytes);
    after?.(g);
  }
  return { times, bytes };
}

const stat = (s: { times: number[] }): string => `p50 ${ms(percentile(s.times, 50))}, p99 ${ms(percentile(s.times, 99))} (${s.times.length} requests)`;

export async function apiBench(repo: string, hosts = 1000, seed = 42): Promise<MatchRow[]> {
  const rows: MatchRow[] = [];
  const base = await scan({ root: '/', noLive: true });
  const t0 = performance.now();
  const { dir, fleet, built } = await cachedApiFleet(repo, hosts, seed, base);
  rows.push({
    what: `fleet: ${n(fleet.hosts)} hosts of ${MIN_COMPONENTS}+ components drawn (seeded) from this host's ${n(base.components.length)}, each sent as a snapshot through FleetService`,
    result: `${n(fleet.components)} components, ${n(fleet.findings)} findings (${fleet.minFindings} to ${fleet.maxFindings} a host); built in ${ms(fleet.buildMs)}${built ? '' : `, this run read it from the cache (${ms(performance.now() - t0)})`}`,
    target: '≥ 100 findings a host',
  });
  const work = mkdtempSync(path.join(tmpdir(), 'vigil-bench-api-'));
  try {
    // The server re-matches every host when it starts and rewrites the findings: it runs on a copy, the cache stays as built.
    const data = path.join(work, 'data');
    copyTree(dir, data);
    const started = new Date().toISOString();
    let t = performance.now();
    const api = await startLocalApi(data);
    const list = (q: string): string => `${api.url}/api/v1/${q}`;
    const whole = { pages: 0, findings: 0, bytes: 0, ms: 0 };
    const firstPage = { ms: 0, bytes: 0 };
    try {
      const upMs = performance.now() - t;
      // Measured warm: after the startup re-match has seen every active finding (the oldest lastSeen is after the start).
      t = performance.now();
      for (;;) {
        const oldest = JSON.parse((await get(list('findings?status=ACTIVE&sort=lastSeen&limit=1'), api.token)).body.toString('utf8')) as { findings: Array<{ lastSeen: string }> };
        if (!oldest.findings[0] || oldest.findings[0].lastSeen >= started) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      rows.push({ what: `\`startLocalApi\` on a copy of that data directory, then its startup re-match of every host`, result: `API up in ${ms(upMs)}; re-match done after ${ms(performance.now() - t)} more`, target: '-' });

      const first = await series(api.token, () => list('findings?limit=500'));
      const page1 = JSON.parse((await get(list('findings?limit=500'), api.token)).body.toString('utf8')) as { findings: unknown[]; next?: string };
      Object.assign(firstPage, { ms: percentile(first.times, 50), bytes: first.bytes[0]! });
      rows.push({ what: '`GET /api/v1/findings?limit=500`, first page', result: `${stat(first)}; ${mib(first.bytes[0]!)}, ${page1.findings.length} findings`, target: '-' });

      let cursor = page1.next;
      const following = await series(
        api.token,
        () => list(`findings?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        (g) => (cursor = (JSON.parse(g.body.toString('utf8')) as { next?: string }).next ?? page1.next),
      );
      rows.push({ what: '`GET /api/v1/findings?limit=500&cursor=…`, following pages in order via `next` (wrapping to page 2 at the end)', result: `${stat(following)}; median ${mib(percentile(following.bytes, 50))} a page`, target: '-' });

      const filtered = await series(api.token, () => list('findings?limit=500&severity=critical,high&sort=-score'));
      rows.push({ what: '`GET /api/v1/findings?limit=500&severity=critical,high&sort=-score`', result: `${stat(filtered)}; ${mib(filtered.bytes[0]!)}`, target: '-' });

      const hostPages = await series(api.token, () => list('hosts?limit=500'));
      rows.push({ what: '`GET /api/v1/hosts?limit=500`', result: `${stat(hostPages)}; ${mib(hostPages.bytes[0]!)}`, target: '-' });

      // Every finding, page after page, as `vigil report` follows them.
      t = performance.now();
      for (let c: string | undefined = '', n = 0; c !== undefined; n++) {
        const g = await get(list(`findings?limit=500${c ? `&cursor=${encodeURIComponent(c)}` : ''}`), api.token);
        const page = JSON.parse(g.body.toString('utf8')) as { findings: unknown[]; next?: string };
        whole.pages++;
        whole.findings += page.findings.length;
        whole.bytes += g.bytes;
        c = page.next;
        if (n > 100_000) throw new Error('findings pages do not end');
      }
      whole.ms = performance.now() - t;
    } finally {
      await api.stop();
    }

    // The reference: the whole list at once, in-process, from the same copy.
    const advisories = new SqliteAdvisoryStore(path.join(data, 'advisories.db'), { readonly: true });
    const store = new SqliteFleetStore<Finding>(path.join(data, 'fleet.db'));
    const service = new FleetService({ fleet: store, advisories, log: componentLogger('bench-api') });
    const times: number[] = [];
    let bytes = 0;
    let count = 0;
    let refused: string | undefined;
    try {
      for (let i = 0; i < 4; i++) {
        (globalThis as { gc?: () => void }).gc?.();
        const s = performance.now();
        const all = service.findings();
        const json = JSON.stringify({ findings: all });
        if (i > 0) times.push(performance.now() - s);
        bytes = Buffer.byteLength(json);
        count = all.length;
      }
    } catch (err) {
      refused = err instanceof Error ? err.message : String(err);
    } finally {
      store.close();
      advisories.close();
    }
    if (refused || times.length === 0) {
      rows.push({ what: 'reference: the whole list at once (`fleet.findings()` + `JSON.stringify`, in-process)', result: `could not be built: ${refused ?? 'no run'}`, target: '-' });
    } else {
      const ref = percentile(times, 50);
      rows.push({
        what: 'reference: the whole list at once, as `GET /api/v1/findings` answered before paging (`fleet.findings()` + `JSON.stringify`, in-process, median of 3 after a warm-up)',
        result: `${ms(ref)}, ${mib(bytes)}, ${n(count)} findings. First page p50 / whole list: ${(firstPage.ms / ref).toFixed(4)} of the time, ${(firstPage.bytes / bytes).toFixed(4)} of the bytes`,
        target: '-',
      });
      rows.push({
        what: 'every finding page after page over HTTP (limit=500, as `vigil report` reads them)',
        result: `${ms(whole.ms)} for ${whole.pages} pages, ${n(whole.findings)} findings, ${mib(whole.bytes)} (${(whole.ms / ref).toFixed(1)}× the whole-list time, ${(whole.bytes / bytes).toFixed(3)}× its bytes)`,
        target: '-',
      });
    }
  } finally {
    removeTree(work);
  }
  return rows;
}

/** The section of BENCHMARKS.md these rows make. */
export function apiSection(rows: MatchRow[]): string[] {
  return [
    '## Fleet API: paged findings',
    '',
    "`startLocalApi` (the server's worker and routes, no gRPC) over a data directory of 1,000 hosts built with the real",
    'stores and FleetService from this host\'s inventory and the bundled feeds (cached under /var/cache/vigil-test/bench-api-KEY),',
    'queried with `fetch` on loopback from the same process after the startup re-match. A request is timed to the last byte',
    `of its body; each series is up to ${REQUESTS} requests after five unmeasured ones. The reference runs in the same run.`,
    rows.length
      ? `Run at ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version} (\`npm run bench\`, or this section alone: \`node --expose-gc dist/bench/api-only.js\`).`
      : 'Skipped in this run (VIGIL_BENCH_API=0).',
    '',
    '| what | result | target |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.what} | ${r.result} | ${r.target} |`),
    '',
  ];
}
