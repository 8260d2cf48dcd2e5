import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { prometheusContentType } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { VigilError } from '../../src/common/errors.js';
import { componentKey } from '../../src/common/identity.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import type { Component, Inventory } from '../../src/common/model.js';
import type { DeltaMsg, HelloMsg } from '../../src/common/wire/messages.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { FleetService } from '../../src/server/fleet-service.js';
import { DURATION_BUCKETS, ServerMetrics } from '../../src/server/metrics.js';
import { metricsSnapshot, sqliteFleetCounts, type FleetCounts, type MetricsSnapshot } from '../../src/server/metrics-snapshot.js';
import { PatchService } from '../../src/server/patch-service.js';
import { startWorkerEvents, type WorkerEvents } from '../../src/server/worker-events.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { SqliteJobStore } from '../../src/store/sqlite-jobs.js';
import { waitFor } from '../helpers/fleet.js';
import { PKGDB, REPO, silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * The server's metrics end to end on real stores: a fleet database filled through
 * the fleet service (a real package-lock matched against real GHSA npm records),
 * the bundled CISA KEV catalog and Alpine secdb files as further feeds, events
 * routed by the worker's own event wiring, patch jobs in the job tables. The
 * exposition is read back with parse-prometheus-text-format, a Prometheus text
 * format parser ported from the Prometheus Python client, and every number is
 * compared with what the databases hold.
 */

interface Sample {
  value?: string;
  labels?: Record<string, string>;
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}
interface Family {
  name: string;
  help: string;
  type: string;
  metrics: Sample[];
}
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Family[];

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const KEV = path.join(REPO, 'data/feeds/kev/known_exploited_vulnerabilities.json');
const ALPINE = path.join(REPO, 'data/feeds/alpine/v3.11-main.json');
const NPM_V2 = path.join(PKGDB, 'npm/real-npm-v2');
const IMPORTED = '2026-03-01T00:00:00.000Z';
const HELLO: HelloMsg = { kind: 'hello', agentVersion: 'test', agentEpoch: 1, lastAckedSeq: 0, capabilities: [] };

let tmp: { dir: string; cleanup: () => void };
let fleetFile: string;
let advisories: SqliteAdvisoryStore;
let fleet: SqliteFleetStore<Finding>;
let jobs: SqliteJobStore;
let ev: WorkerEvents;
let service: FleetService;
let patches: PatchService;
let counts: FleetCounts;
let base: Inventory;
let clock = Date.parse('2026-03-02T00:00:00.000Z');
const now = () => new Date(clock);

function enrolAndSync(id: string, components: Component[] = base.components): void {
  service.enrolled({ agentId: id, hostname: `${id}.example`, certFingerprint: `fp-${id}` });
  service.hello(id, `fp-${id}`, HELLO);
  const r = service.snapshot(id, { epoch: 1, seq: 1, components, digest: inventoryDigest(components), ...(base.os ? { os: base.os } : {}) });
  expect(r.applied).toBe(true);
}

function change(id: string, to: Component[]): void {
  const held = fleet.inventory(id)!;
  const toKeys = new Set(to.map(componentKey));
  const fromKeys = new Set(held.components.map(componentKey));
  const d: DeltaMsg = {
    kind: 'delta',
    epoch: held.epoch,
    baseSeq: held.seq,
    seq: held.seq + 1,
    added: to.filter((c) => !fromKeys.has(componentKey(c))),
    removed: [...fromKeys].filter((k) => !toKeys.has(k)),
    digestAfter: inventoryDigest(to),
  };
  expect(service.delta(id, d).applied).toBe(true);
}

beforeAll(async () => {
  tmp = tempDir('vigil-metrics-');
  fleetFile = path.join(tmp.dir, 'fleet.db');
  advisories = new SqliteAdvisoryStore(path.join(tmp.dir, 'advisories.db'));
  const read = await readFeeds([GHSA_NPM, KEV, ALPINE]);
  advisories.importFeeds(read.feeds, IMPORTED);
  base = await scan({ path: NPM_V2, log: silentLog });
  fleet = new SqliteFleetStore<Finding>(fleetFile);
  jobs = new SqliteJobStore(fleetFile);
  ev = startWorkerEvents({ fleetDb: fleetFile, eventsFile: path.join(tmp.dir, 'events.jsonl'), fleet, log: silentLog, now });
  ev.hub.routes.create({ name: 'all', pattern: { source: ['vigil'] }, target: { type: 'jsonl', path: 'routed.jsonl' } });
  service = new FleetService({ fleet, advisories, log: silentLog, now: () => new Date((clock += 1000)), onReconciled: (h, c) => ev.reconciled(h, c) });
  patches = new PatchService(fleet, jobs, () => undefined, now, silentLog, ev.sink);
  counts = sqliteFleetCounts(fleetFile);
});
afterAll(async () => {
  counts?.close();
  await ev?.stop();
  jobs?.close?.();
  fleet?.close();
  advisories?.close();
  tmp?.cleanup();
});

/** The truth, read without the code under test: hosts per state and findings per severity and status. */
function hostTruth(): Record<string, number> {
  const by: Record<string, number> = {};
  for (const h of fleet.hosts()) by[h.state] = (by[h.state] ?? 0) + 1;
  return by;
}
function findingTruth(): Map<string, number> {
  const by = new Map<string, number>();
  for (const f of fleet.findings()) by.set(`${f.finding.severity}/${f.status}`, (by.get(`${f.finding.severity}/${f.status}`) ?? 0) + 1);
  return by;
}
function deliveryTruth(): Record<string, number> {
  const db = new Database(path.join(tmp.dir, 'events.db'), { readonly: true });
  try {
    return Object.fromEntries(db.prepare<[], { state: string; n: number }>('SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state').all().map((r) => [r.state, r.n]));
  } finally {
    db.close();
  }
}

const family = (fams: Family[], name: string): Family => {
  const f = fams.find((x) => x.name === name);
  if (!f) throw new Error(`no metric family ${name} in the exposition`);
  return f;
};
const valueOf = (f: Family, labels: Record<string, string>): number | undefined => {
  const s = f.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v) && Object.keys(m.labels ?? {}).length === Object.keys(labels).length);
  return s?.value === undefined ? undefined : Number(s.value);
};

/** A histogram's _bucket, _sum and _count samples with all their labels: its TYPE line taken out, the parser reads them as untyped. */
function untypedSamples(body: string, name: string): { bucket: Sample[]; sum: Sample[]; count: Sample[] } {
  const fams = parsePrometheus(body.replace(`# TYPE ${name} histogram\n`, ''));
  const of = (suffix: string) => fams.filter((f) => f.name === `${name}_${suffix}`).flatMap((f) => f.metrics);
  return { bucket: of('bucket'), sum: of('sum'), count: of('count') };
}

async function rendered(m: ServerMetrics): Promise<{ body: string; fams: Family[]; contentType: string }> {
  const { body, contentType } = await m.render();
  return { body, contentType, fams: parsePrometheus(body) };
}

describe('server metrics over a real fleet', () => {
  let snap: MetricsSnapshot;
  let metrics: ServerMetrics;

  it('reads hosts, findings, feeds, deliveries and patch jobs into a snapshot that survives structured cloning', async () => {
    for (const id of ['h1', 'h2', 'h4', 'h5']) enrolAndSync(id);
    service.enrolled({ agentId: 'h3', hostname: 'h3.example', certFingerprint: 'fp-h3' });
    service.disconnected('h2');
    service.disconnected('h5');
    service.revoke('h4');
    change('h1', base.components.filter((c) => c.name !== 'minimist'));
    const open = service.findings({ hostId: 'h2', status: 'ACTIVE' });
    expect(open.length).toBeGreaterThan(0);
    expect(fleet.suppress({ vulnerability: open[0]!.finding.vulnerability, hostId: 'h2', reason: 'accepted', createdAt: now().toISOString() })).toBeGreaterThan(0);

    const pkg = [{ name: 'minimist', fixedVersion: '1.2.6' }];
    const j1 = jobs.createJob({ cve: 'CVE-2021-44906' }, [{ hostId: 'h1', wave: 0, manager: 'apt', packages: pkg, findings: [] }], now().toISOString());
    const j2 = jobs.createJob({ cve: 'CVE-2021-44906' }, [{ hostId: 'h2', wave: 0, manager: 'apt', packages: pkg, findings: [] }], now().toISOString());
    jobs.createJob({ cve: 'CVE-2021-44906' }, [{ hostId: 'h5', wave: 0, manager: 'apt', packages: pkg, findings: [] }], now().toISOString());
    jobs.setJobState(j1, 'paused', now().toISOString());
    jobs.endJob(j2, 'cancelled', now().toISOString(), 'operator', 'job cancelled');

    // Everything routed so far is delivered; what follows after the dispatcher stops stays pending.
    await waitFor('every routed event delivered', () => deliveryTruth().pending === undefined && (deliveryTruth().delivered ?? 0) > 0);
    await ev.hub.stop();
    service.hello('h2', 'fp-h2', HELLO);
    service.disconnected('h1');
    // Host events leave once the store's transaction is over (worker-events.ts).
    await new Promise((r) => setImmediate(r));
    expect(deliveryTruth().pending).toBe(2);

    const taken = metricsSnapshot({ counts, advisories, events: ev.hub, patches, now });
    snap = structuredClone(taken);
    expect(snap).toEqual(taken);
    expect(JSON.parse(JSON.stringify(taken))).toEqual(taken);
    expect(snap.problems).toEqual([]);
    expect(snap.hosts).toEqual(hostTruth());
    expect(snap.hosts).toEqual({ online: 1, offline: 2, enrolled: 1, revoked: 1 });
    const truth = findingTruth();
    expect(new Map(snap.findings!.map((f) => [`${f.severity}/${f.status}`, f.n]))).toEqual(truth);
    expect([...truth.keys()].map((k) => k.split('/')[1]).sort()).toEqual(expect.arrayContaining(['ACTIVE', 'CLOSED', 'SUPPRESSED']));
    expect(snap.deliveries).toEqual({ pending: 0, delivered: 0, dead: 0, ...deliveryTruth() });
    expect(snap.patchJobs).toEqual({ running: 1, paused: 1, cancelled: 1 });
  });

  it('ages each feed from its newest record, the KEV catalog from its newest dateAdded, and feeds that date no record from their import', () => {
    const sources = advisories.sources();
    expect(snap.feeds!.map((f) => f.feed).sort()).toEqual(sources.map((s) => s.name).sort());
    const kevFile = JSON.parse(readFileSync(KEV, 'utf8')) as { vulnerabilities: Array<{ dateAdded: string }> };
    const newestAdded = kevFile.vulnerabilities.map((v) => v.dateAdded).sort().at(-1)!;
    const kev = snap.feeds!.find((f) => f.feed.startsWith('kev'))!;
    expect(kev).toMatchObject({ basis: 'record', ageSeconds: (clock - Date.parse(newestAdded)) / 1000 });
    for (const f of snap.feeds!) {
      expect(f.importAgeSeconds).toBe((clock - Date.parse(IMPORTED)) / 1000);
      const s = sources.find((x) => x.name === f.feed)!;
      const dated = s.newestModified ?? s.newestPublished;
      expect(f).toMatchObject(dated ? { basis: 'record', newestAt: dated } : { basis: 'import', newestAt: IMPORTED, ageSeconds: f.importAgeSeconds });
    }
    expect(snap.feeds!.some((f) => f.feed.startsWith('osv') && f.basis === 'record')).toBe(true);
  });

  it('renders every family with its type and help, and values equal to the stores', async () => {
    metrics = new ServerMetrics();
    metrics.setSnapshot(snap);
    metrics.setStreams(2);
    metrics.deliveryOutcome('delivered');
    metrics.deliveryOutcome('delivered');
    metrics.deliveryOutcome('failed');
    metrics.deltaReceived('applied');
    metrics.deltaReceived('duplicate');
    for (const s of [0.0004, 0.003, 0.2, 12]) metrics.observeDelta(s);
    metrics.observeMatch(0.04);
    metrics.observeApi('get', '/api/v1/hosts/:id', 200, 0.012);
    metrics.observeApi('GET', '/api/v1/hosts/:id', 404, 0.002);
    const { fams, contentType, body } = await rendered(metrics);

    expect(contentType).toBe(prometheusContentType);
    expect(contentType.startsWith('text/plain; version=0.0.4')).toBe(true);
    const types: Record<string, string> = {
      vigil_hosts: 'GAUGE',
      vigil_findings: 'GAUGE',
      vigil_agent_streams: 'GAUGE',
      vigil_advisory_feed_age_seconds: 'GAUGE',
      vigil_advisory_feed_import_age_seconds: 'GAUGE',
      vigil_event_deliveries: 'GAUGE',
      vigil_patch_jobs: 'GAUGE',
      vigil_metrics_snapshot_ok: 'GAUGE',
      vigil_webhook_deliveries_total: 'COUNTER',
      vigil_agent_deltas_total: 'COUNTER',
      vigil_delta_apply_seconds: 'HISTOGRAM',
      vigil_match_seconds: 'HISTOGRAM',
      vigil_api_request_duration_seconds: 'HISTOGRAM',
      vigil_process_cpu_user_seconds_total: 'COUNTER',
      vigil_process_resident_memory_bytes: 'GAUGE',
      vigil_nodejs_heap_size_used_bytes: 'GAUGE',
      vigil_nodejs_eventloop_lag_seconds: 'GAUGE',
    };
    for (const [name, type] of Object.entries(types)) {
      const f = family(fams, name);
      expect(f.type, name).toBe(type);
      expect(f.help.length, name).toBeGreaterThan(10);
    }
    // Every family is Vigil's: the default process metrics carry the prefix too.
    expect(fams.filter((f) => !f.name.startsWith('vigil_')).map((f) => f.name)).toEqual([]);
    // prom-client writes an event-loop lag it has no sample of yet as Nan (Prometheus reads it as NaN); Vigil's own gauges never do.
    expect(body.split('\n').filter((l) => /\bnan\b/i.test(l) && !/^vigil_nodejs_eventloop_lag_/.test(l))).toEqual([]);

    const hosts = family(fams, 'vigil_hosts');
    for (const [state, n] of Object.entries(hostTruth())) expect(valueOf(hosts, { state }), state).toBe(n);
    expect(valueOf(hosts, { state: 'revoked' })).toBe(1);
    expect(hosts.metrics.map((m) => m.labels!.state).sort()).toEqual(['enrolled', 'offline', 'online', 'revoked']);

    const findings = family(fams, 'vigil_findings');
    const truth = findingTruth();
    expect(findings.metrics).toHaveLength(6 * 3);
    for (const m of findings.metrics) expect(Number(m.value), JSON.stringify(m.labels)).toBe(truth.get(`${m.labels!.severity}/${m.labels!.status}`) ?? 0);

    expect(Number(family(fams, 'vigil_agent_streams').metrics[0]!.value)).toBe(2);
    const ages = family(fams, 'vigil_advisory_feed_age_seconds');
    for (const f of snap.feeds!) expect(valueOf(ages, { feed: f.feed })).toBe(f.ageSeconds);
    const deliveries = family(fams, 'vigil_event_deliveries');
    for (const [state, n] of Object.entries({ pending: 0, delivered: 0, dead: 0, ...deliveryTruth() })) expect(valueOf(deliveries, { state }), state).toBe(n);
    const jobsFam = family(fams, 'vigil_patch_jobs');
    expect(valueOf(jobsFam, { state: 'running' })).toBe(1);
    expect(valueOf(jobsFam, { state: 'completed' })).toBe(0);

    const webhooks = family(fams, 'vigil_webhook_deliveries_total');
    expect([valueOf(webhooks, { outcome: 'delivered' }), valueOf(webhooks, { outcome: 'failed' }), valueOf(webhooks, { outcome: 'dead' })]).toEqual([2, 1, 0]);
    const deltas = family(fams, 'vigil_agent_deltas_total');
    expect([valueOf(deltas, { outcome: 'applied' }), valueOf(deltas, { outcome: 'duplicate' }), valueOf(deltas, { outcome: 'resync' })]).toEqual([1, 1, 0]);
  });

  it('exports histograms as _bucket, _sum and _count with buckets from 1 ms to 10 s', async () => {
    const { fams, body } = await rendered(metrics);
    for (const name of ['vigil_delta_apply_seconds', 'vigil_match_seconds', 'vigil_api_request_duration_seconds']) {
      expect(body).toMatch(new RegExp(`^${name}_bucket\\{.*le="0\\.001".*\\} \\d+$`, 'm'));
      expect(body).toMatch(new RegExp(`^${name}_bucket\\{.*le="\\+Inf".*\\} \\d+$`, 'm'));
      expect(body).toMatch(new RegExp(`^${name}_sum(\\{.*\\})? `, 'm'));
      expect(body).toMatch(new RegExp(`^${name}_count(\\{.*\\})? \\d+$`, 'm'));
    }
    const delta = family(fams, 'vigil_delta_apply_seconds').metrics[0]!;
    expect(Object.keys(delta.buckets!).map((k) => (k === '+Inf' ? Infinity : Number(k))).sort((a, b) => a - b)).toEqual([...DURATION_BUCKETS, Infinity]);
    expect(delta.count).toBe('4');
    expect(Number(delta.sum)).toBeCloseTo(12.2034, 6);
    expect([delta.buckets!['0.001'], delta.buckets!['0.005'], delta.buckets!['0.25'], delta.buckets!['10'], delta.buckets!['+Inf']]).toEqual(['1', '2', '3', '3', '4']);
    // The parser folds a histogram's series into one, keeping only `le`: the labelled one is read as its untyped samples.
    const api = untypedSamples(body, 'vigil_api_request_duration_seconds');
    const key = (l: Record<string, string> | undefined) => `${l?.method} ${l?.route} ${l?.status}`;
    expect(api.count.map((m) => [key(m.labels), m.value]).sort()).toEqual([
      ['GET /api/v1/hosts/:id 200', '1'],
      ['GET /api/v1/hosts/:id 404', '1'],
    ]);
    expect(api.sum.map((m) => [key(m.labels), Number(m.value)]).sort()).toEqual([
      ['GET /api/v1/hosts/:id 200', 0.012],
      ['GET /api/v1/hosts/:id 404', 0.002],
    ]);
    const ok200 = api.bucket.filter((m) => m.labels!.status === '200');
    expect(ok200.map((m) => m.labels!.le)).toEqual([...DURATION_BUCKETS.map(String), '+Inf']);
    expect(ok200.find((m) => m.labels!.le === '0.01')!.value).toBe('0');
    expect(ok200.find((m) => m.labels!.le === '0.025')!.value).toBe('1');
  });

  it('a state that empties reads 0, a feed that goes away is gone, and findings follow a host deleted', async () => {
    service.disconnected('h2');
    service.deleteHost('h4');
    const next = structuredClone(metricsSnapshot({ counts, advisories, events: ev.hub, patches, now }));
    expect(next.hosts).toEqual({ offline: 3, enrolled: 1 });
    const gone = next.feeds![0]!.feed;
    next.feeds = next.feeds!.slice(1);
    metrics.setSnapshot(next);
    const { fams } = await rendered(metrics);
    const hosts = family(fams, 'vigil_hosts');
    expect([valueOf(hosts, { state: 'online' }), valueOf(hosts, { state: 'revoked' }), valueOf(hosts, { state: 'offline' })]).toEqual([0, 0, 3]);
    expect(family(fams, 'vigil_advisory_feed_age_seconds').metrics.map((m) => m.labels!.feed)).not.toContain(gone);
    const truth = findingTruth();
    for (const m of family(fams, 'vigil_findings').metrics) expect(Number(m.value)).toBe(truth.get(`${m.labels!.severity}/${m.labels!.status}`) ?? 0);
  });

  it('a part that cannot be read is a problem naming it, keeps its last values and reads 0 in vigil_metrics_snapshot_ok', async () => {
    const closed = sqliteFleetCounts(fleetFile);
    closed.close();
    const broken = metricsSnapshot({ counts: closed, advisories, now });
    expect(broken.problems.map((p) => p.part)).toEqual(['hosts', 'findings']);
    expect(broken.problems[0]!.message).toMatch(/database connection is not open/);
    expect(broken.hosts).toBeUndefined();
    expect(broken.feeds).toHaveLength(advisories.sources().length);
    metrics.setSnapshot(broken);
    const { fams } = await rendered(metrics);
    expect(valueOf(family(fams, 'vigil_hosts'), { state: 'offline' })).toBe(3);
    const ok = family(fams, 'vigil_metrics_snapshot_ok');
    expect([valueOf(ok, { part: 'hosts' }), valueOf(ok, { part: 'findings' }), valueOf(ok, { part: 'feeds' })]).toEqual([0, 0, 1]);
  });

  it('durations that are negative or not numbers are dropped, never exported as NaN', async () => {
    const m = new ServerMetrics({ defaultMetrics: false });
    m.observeDelta(Number.NaN);
    m.observeMatch(-0.5);
    m.observeApi('GET', '/x', 200, Number.POSITIVE_INFINITY);
    m.setStreams(Number.NaN);
    m.setSnapshot({ takenAt: now().toISOString(), hosts: { online: Number.NaN }, feeds: [{ feed: 'x', newestAt: IMPORTED, basis: 'import', ageSeconds: Number.NaN, importedAt: IMPORTED, importAgeSeconds: 1 }], problems: [] });
    const { fams, body } = await rendered(m);
    expect(body).not.toMatch(/nan/i);
    expect(family(fams, 'vigil_delta_apply_seconds').metrics[0]!.count).toBe('0');
    expect(family(fams, 'vigil_match_seconds').metrics[0]!.count).toBe('0');
    expect(valueOf(family(fams, 'vigil_hosts'), { state: 'online' })).toBe(0);
    expect(family(fams, 'vigil_advisory_feed_age_seconds').metrics).toEqual([]);
    expect(fams.some((f) => f.name.startsWith('vigil_process_'))).toBe(false);
  });
});

describe('counting a fleet database', () => {
  it('refuses a missing file, a file that is not SQLite and a database that is not the fleet, naming the file', () => {
    const refusal = (file: string): VigilError => {
      try {
        sqliteFleetCounts(file).close();
      } catch (err) {
        expect(err).toBeInstanceOf(VigilError);
        return err as VigilError;
      }
      throw new Error(`${file} was accepted`);
    };
    const missing = path.join(tmp.dir, 'none.db');
    expect(refusal(missing)).toMatchObject({ code: 'IO', message: expect.stringContaining(missing) });
    const notSqlite = path.join(tmp.dir, 'schema.db');
    writeFileSync(notSqlite, readFileSync(path.join(REPO, 'data/feeds/kev/known_exploited_vulnerabilities_schema.json')));
    expect(refusal(notSqlite).message).toContain(notSqlite);
    const advisoryDb = path.join(tmp.dir, 'advisories.db');
    expect(refusal(advisoryDb)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/advisories\.db is not a Vigil fleet database: .*no such table: hosts/) });
  });
});
