import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InventoryDelta } from '../common/delta.js';
import { componentKey } from '../common/identity.js';
import { inventoryDigest, inventoryMap } from '../common/inventory-digest.js';
import { DigestState, type DigestVersion } from '../common/inventory-lthash.js';
import type { Component } from '../common/model.js';
import { SqliteFleetStore } from '../store/sqlite-fleet.js';
import { spliceSection } from './trivy.js';

/**
 * `npm run build && node --expose-gc dist/bench/digest-delta.js`: what one inventory
 * delta changing one component costs, v1 against v2, on hosts of 500, 2,000 and
 * 10,000 components. The server's side is SqliteFleetStore.applyDelta on a real
 * SQLite file (the transaction: rows written, digest checked, seq stored); the
 * agent's is the digest of the inventory after the change (v1: SHA-256 over the whole
 * sorted inventory; v2: the LtHash state less the old component plus the new one).
 * Each figure is the median of RUNS deltas after WARMUP. Writes its section of BENCHMARKS.md.
 */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIGEST_HEADING = '## Inventory digest: one-component delta, v1 against v2';
const BEFORE = '## Fleet API: paged findings';
const SIZES = [500, 2_000, 10_000];
const RUNS = Number(process.env.VIGIL_BENCH_RUNS ?? 31);
const WARMUP = 5;
const collectGarbage: () => void = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** A dpkg-like component, as the dpkg collector reports one; `gen` changes its version. */
function component(i: number, gen: number): Component {
  const name = `pkg-${i.toString(36)}`;
  const version = `1.${gen}.${i % 7}-1`;
  return {
    ecosystem: 'deb',
    name,
    version,
    namespace: 'debian',
    arch: 'amd64',
    source: { name: `src-${(i >> 2).toString(36)}`, version },
    purl: `pkg:deb/debian/${name}@${version}?arch=amd64&distro=debian-12`,
    locations: ['/var/lib/dpkg/status'],
    licenses: ['GPL-2.0-or-later'],
    foundBy: 'dpkg',
    metadata: { installedSize: 1000 + i, maintainer: 'Debian Maintainers <maint@example.org>' },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Row {
  n: number;
  server: Record<DigestVersion, number>;
  agent: Record<DigestVersion, number>;
}

/** One host of `n` components in a fresh store, then RUNS+WARMUP one-component deltas in `version`; median ms of applyDelta. */
function serverRun(n: number, version: DigestVersion): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-digest-'));
  const store = new SqliteFleetStore(path.join(dir, 'fleet.db'));
  try {
    store.upsertHost({ id: 'h', hostname: 'h.example', facts: {}, tags: [], agentVersion: 'bench', certFingerprint: 'fp' }, new Date().toISOString());
    const held = new Map<number, Component>();
    for (let i = 0; i < n; i++) held.set(i, component(i, 0));
    const comps = [...held.values()];
    const state = DigestState.of(comps);
    store.replaceInventory('h', 1, 1, comps, version === 2 ? state.digest() : inventoryDigest(comps), version === 2 ? state.toBuffer() : undefined);
    const times: number[] = [];
    for (let r = 0; r < WARMUP + RUNS; r++) {
      const i = (r * 7919) % n;
      const old = held.get(i)!;
      const next = component(i, r + 1);
      held.set(i, next);
      // The agent's digest, computed before the timer: the server only checks it.
      state.remove(old).add(next);
      const digestAfter = version === 2 ? state.digest() : inventoryDigest(held.values());
      const delta: InventoryDelta = { epoch: 1, baseSeq: r + 1, seq: r + 2, added: [next], removed: [componentKey(old)], digestAfter };
      collectGarbage();
      const t = process.hrtime.bigint();
      const res = store.applyDelta('h', delta, inventoryDigest, version);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (res.outcome !== 'applied') throw new Error(`bench delta ${delta.seq} was ${res.outcome}`);
      if (r >= WARMUP) times.push(ms);
    }
    return median(times);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The agent's digest after a one-component change of an `n`-component inventory; median ms. */
function agentRun(n: number, version: DigestVersion): number {
  const map = inventoryMap(Array.from({ length: n }, (_, i) => component(i, 0)));
  let state = DigestState.of(map);
  const times: number[] = [];
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const i = (r * 7919) % n;
    const old = component(i, r);
    const next = component(i, r + 1);
    map.delete(componentKey(old));
    map.set(componentKey(next), next);
    collectGarbage();
    const t = process.hrtime.bigint();
    if (version === 1) inventoryDigest(map);
    else {
      state = state.clone().remove(old).add(next);
      state.digest();
    }
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r >= WARMUP) times.push(ms);
  }
  return median(times);
}

export function digestDeltaBench(): Row[] {
  return SIZES.map((n) => ({
    n,
    server: { 1: serverRun(n, 1), 2: serverRun(n, 2) },
    agent: { 1: agentRun(n, 1), 2: agentRun(n, 2) },
  }));
}

const ms = (x: number): string => `${x.toFixed(x < 1 ? 3 : 2)} ms`;

export function digestSection(rows: Row[]): string[] {
  return [
    DIGEST_HEADING,
    '',
    '`npm run build && node --expose-gc dist/bench/digest-delta.js` (writes this section). One host, one delta that changes one',
    "component's version (one key removed, one added), on hosts of synthetic dpkg-like components. Server: `SqliteFleetStore.applyDelta`",
    'on a real SQLite file, the whole transaction (rows written, digest checked against the agent’s, seq stored); agent: the digest',
    'of the inventory after the change (v1 SHA-256 over the whole sorted inventory, v2 the 2 KiB LtHash state less the old',
    `component plus the new one). Median of ${RUNS} deltas after ${WARMUP}; each from a collected heap.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}. Run at ${new Date().toISOString()}.`,
    '',
    '| components on the host | server apply, v1 | server apply, v2 | agent digest, v1 | agent digest, v2 |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.n.toLocaleString('en-US')} | ${ms(r.server[1])} | ${ms(r.server[2])} | ${ms(r.agent[1])} | ${ms(r.agent[2])} |`),
    '',
    'v2 reads only the old rows of the keys a delta removes (here one) and hashes only the components it carries, so its cost',
    'does not grow with the host; v1 re-reads, re-parses and re-hashes every component of the host. The agent still diffs a',
    'collection against its whole previous inventory (a collection is whole); only the digest stopped costing the inventory.',
    '',
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = digestDeltaBench();
  const section = digestSection(rows);
  const file = path.join(REPO, 'BENCHMARKS.md');
  const lines = readFileSync(file, 'utf8').split('\n');
  const before = lines.indexOf(BEFORE);
  if (!lines.includes(DIGEST_HEADING) && before >= 0) {
    lines.splice(before, 0, ...section);
    writeFileSync(file, lines.join('\n'));
  } else spliceSection(file, section);
  process.stdout.write(`${section.join('\n')}\n`);
}
