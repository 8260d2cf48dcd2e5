import { parentPort, workerData } from 'node:worker_threads';
import { VigilError, describeError } from '../common/errors.js';
import { componentLogger } from '../common/log.js';
import type { Finding } from '../matcher/finding.js';
import { SqliteAdvisoryStore } from '../store/sqlite-advisories.js';
import { SqliteFleetStore } from '../store/sqlite-fleet.js';
import { SqliteJobStore } from '../store/sqlite-jobs.js';
import { optimizeDatabase } from '../store/sqlite-maintenance.js';
import { FleetService } from './fleet-service.js';
import { PatchService, signerFromDir } from './patch-service.js';
import { startWorkerEvents } from './worker-events.js';
import { metricsSnapshot, sqliteFleetCounts } from './metrics-snapshot.js';
import { fleetOpenVex } from './vex-export.js';
import { vigilVersion } from '../common/version.js';
import { WorkerObservations } from './worker-metrics.js';
import { sqliteFleetStats } from '../store/sqlite-fleet-stats.js';
import { sqliteFindingGroups } from '../store/sqlite-finding-groups.js';
import { fleetStats, STALE_AFTER_SECONDS } from './fleet-stats.js';
import { DailyRecorder, fleetKpis, fleetTrend, parseSla } from './fleet-kpis.js';
import { SqliteFleetDaily } from '../store/sqlite-fleet-daily.js';
import { sqliteFleetKpis } from '../store/sqlite-fleet-kpis.js';
import type { FindingFilter } from '../store/fleet-store.js';
import { LIVE_TYPES } from './live-events.js';
import { SqliteHostInventory } from '../store/sqlite-host-inventory.js';
import { recordDelta, recordSnapshot } from './inventory-history.js';
import type { AssembledSnapshot } from './fleet-types.js';
import type { DeltaMsg } from '../common/wire/messages.js';
import type { DigestVersion } from '../common/inventory-lthash.js';

/**
 * The matcher worker: owns the stores and the FleetService, so matching and every
 * SQLite call run off the thread that serves agent streams and the API. Requests
 * are handled one at a time in arrival order, which also serialises each host's
 * deltas. Protocol: {id, method, args} in; {id, ok, value} or {id, ok: false, error} out.
 */
export interface WorkerConfig {
  fleetDb: string;
  advisoryDb: string;
  advisoryPollMs: number;
  /** Where `vigil keys rotate` keeps the online signing key and its delegation. */
  keysDir: string;
  /** EventBridge-shaped events, one JSON object per line. */
  eventsFile: string;
  /** Days a finding may stay open per severity (`critical=7,high=30`, as `vigil server run --sla`); the defaults otherwise. */
  sla?: string;
}

export type WorkerRequest = { id: number; method: string; args: unknown[] };
export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { event: 'ready' }
  | { event: 'rematched'; hosts: string[]; reason: 'startup' | 'advisories' }
  | { event: 'emitted'; detailType: string; resources: string[]; detail: Record<string, unknown>; time: string };

const port = parentPort;
if (!port) throw new Error('server/worker.js runs only as a worker thread');
const cfg = workerData as WorkerConfig;
const log = componentLogger('matcher-worker');

const fleet = new SqliteFleetStore<Finding>(cfg.fleetDb);
const advisories = new SqliteAdvisoryStore(cfg.advisoryDb);
const jobs = new SqliteJobStore(cfg.fleetDb);
const inventory = new SqliteHostInventory(cfg.fleetDb);
// Read again when its files change: rotating or revoking the online key needs no server restart.
const currentSigner = signerFromDir(cfg.keysDir);
const observed = new WorkerObservations();
const live = new Set<string>(LIVE_TYPES);
const ev = startWorkerEvents({
  fleetDb: cfg.fleetDb,
  eventsFile: cfg.eventsFile,
  fleet,
  log: componentLogger('events'),
  onDelivery: (o) => observed.delivery(o),
  // Job, command and host transitions go to the stream thread as they happen, for the API's live streams.
  onEvent: (detailType, resources, detail, time) => {
    if (live.has(detailType)) port.postMessage({ event: 'emitted', detailType, resources, detail, time } satisfies WorkerReply);
  },
});
const counts = sqliteFleetCounts(cfg.fleetDb);
const stats = sqliteFleetStats(cfg.fleetDb);
const groups = sqliteFindingGroups(cfg.fleetDb);
const daily = new SqliteFleetDaily(cfg.fleetDb);
const kpiReader = sqliteFleetKpis(cfg.fleetDb, cfg.advisoryDb);
const slaDays = parseSla(cfg.sla);
const recorder = new DailyRecorder(daily, STALE_AFTER_SECONDS);
const patch = new PatchService(fleet, jobs, currentSigner, () => new Date(), componentLogger('patch'), ev.sink);
const service = new FleetService({
  fleet,
  advisories,
  log,
  reasonFor: (hostId) => patch.reasonFor(hostId),
  suppressedBy: (hostId) => ev.suppression.suppressedBy(hostId),
  onReconciled: (hostId, changes) => ev.reconciled(hostId, changes),
});
// Before any request: no stream is open yet, whatever the last server left online.
service.serverStarted();

/** Every method the stream thread may call, by name. */
const HANDLERS: Record<string, (...a: never[]) => unknown> = {
  enrolment: service.enrolment.bind(service),
  enrolled: service.enrolled.bind(service),
  disconnected: service.disconnected.bind(service),
  deleteHost: service.deleteHost.bind(service),
  finding: service.finding.bind(service),
  hello: service.hello.bind(service),
  snapshot: observed.match((agentId: string, snap: AssembledSnapshot, digestVersion?: DigestVersion) => {
    const before = service.inventoryView(agentId);
    const r = service.snapshot(agentId, snap, digestVersion);
    if (r.applied) recordSnapshot(inventory, agentId, before, snap, new Date().toISOString());
    return r;
  }),
  delta: observed.delta((agentId: string, d: DeltaMsg, digestVersion?: DigestVersion) => {
    const r = service.delta(agentId, d, digestVersion);
    if (r.applied) recordDelta(inventory, agentId, d, new Date().toISOString());
    return r;
  }),
  inventoryHistory: (hostId: string, limit: number, before?: number) => inventory.history(hostId, limit, before),
  inventorySearch: (hostId: string, opts: Parameters<SqliteHostInventory['search']>[1]) => inventory.search(hostId, opts),
  heartbeat: service.heartbeat.bind(service),
  touch: service.touch.bind(service),
  revoke: service.revoke.bind(service),
  isRevoked: service.isRevoked.bind(service),
  hosts: service.hosts.bind(service),
  host: service.host.bind(service),
  findings: service.findings.bind(service),
  findingsPage: service.findingsPage.bind(service),
  inventoryView: service.inventoryView.bind(service),
  rematch: observed.match((id: string) => service.rematch(id)),
  patchCreate: patch.create.bind(patch),
  patchRunning: patch.running.bind(patch),
  patchSetState: patch.setState.bind(patch),
  patchStep: patch.step.bind(patch),
  patchOutstanding: patch.outstanding.bind(patch),
  patchDelivered: patch.delivered.bind(patch),
  patchReport: patch.report.bind(patch),
  patchView: patch.view.bind(patch),
  patchPreview: patch.preview.bind(patch),
  patchList: patch.list.bind(patch),
  rules: () => ev.suppression.list(),
  ruleCreate: (input: Record<string, unknown>, author: string) => ev.suppression.create(input, author),
  ruleRemove: (id: string) => ev.suppression.remove(id),
  vexImport: (text: string, name: string, author: string) => ev.suppression.importVex(text, name, author),
  vexExport: (filter: { hostId?: string; tag?: string }) => {
    if (filter.hostId !== undefined && !fleet.host(filter.hostId)) throw new VigilError('NOT_FOUND', `no host ${JSON.stringify(filter.hostId)}`);
    const scope = filter.hostId !== undefined ? `host:${filter.hostId}` : filter.tag !== undefined ? `tag:${filter.tag}` : 'fleet';
    return fleetOpenVex(ev.suppression.decisions(filter), { scope, timestamp: new Date().toISOString(), tooling: `vigil ${vigilVersion()}` });
  },
  events: ev.hub.events.bind(ev.hub),
  routes: () => ev.hub.routes.list(),
  routeCreate: (input: Parameters<typeof ev.hub.routes.create>[0]) => ev.hub.routes.create(input),
  routeDelete: (id: string) => ev.hub.routes.delete(id),
  deliveries: ev.hub.deliveries.bind(ev.hub),
  redeliver: ev.hub.redeliver.bind(ev.hub),
  metricsSnapshot: () => metricsSnapshot({ counts, advisories, events: ev.hub, patches: patch }),
  metricsObserved: () => observed.drain(),
  stats: () => fleetStats({ stats, advisories }),
  findingCounts: (filter: FindingFilter) => stats.findingCounts(filter),
  findingGroups: groups.page.bind(groups),
  trend: (days: number) => fleetTrend(daily, days, new Date()),
  kpis: (days: number) => fleetKpis(kpiReader, days, new Date(), slaDays),
};

port.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    const fn = HANDLERS[req.method] as ((...a: unknown[]) => unknown) | undefined;
    if (!fn) throw new VigilError('INTERNAL', `unknown worker method ${req.method}`);
    reply = { id: req.id, ok: true, value: fn(...req.args) };
  } catch (err) {
    const code = err instanceof VigilError ? err.code : 'INTERNAL';
    if (code === 'INTERNAL') log.error({ err, method: req.method }, 'worker request failed');
    reply = { id: req.id, ok: false, error: { code, message: describeError(err) } };
  }
  port.postMessage(reply);
});

// Findings may lag the inventory a crash left between a delta's commit and its
// reconciliation; re-match every host once, one per turn so requests interleave.
const pending = fleet.hosts({ revoked: false }).map((h) => h.id);
const rematched: string[] = [];
const step = (): void => {
  const id = pending.shift();
  if (id === undefined) {
    port.postMessage({ event: 'rematched', hosts: rematched, reason: 'startup' } satisfies WorkerReply);
    return;
  }
  try {
    service.rematch(id);
    rematched.push(id);
  } catch (err) {
    log.error({ err, host: id }, 're-match at startup failed');
  }
  setImmediate(step);
};
setImmediate(step);

// Imports by `vigil db import|update` (this or another process) land in the advisory
// database's change log; each is applied to the hosts it touches.
const poll = setInterval(() => {
  try {
    const hosts = observed.match(() => service.applyAdvisoryChanges())();
    if (hosts.length) port.postMessage({ event: 'rematched', hosts, reason: 'advisories' } satisfies WorkerReply);
  } catch (err) {
    log.error({ err }, 'applying advisory changes failed');
  }
}, cfg.advisoryPollMs);
poll.unref();

// The planner's statistics follow the fleet database's growth (see store/sqlite-maintenance.ts).
const optimize = setInterval(() => {
  try {
    optimizeDatabase(cfg.fleetDb);
  } catch (err) {
    log.warn({ err }, 'refreshing the fleet database statistics failed');
  }
}, 3_600_000);
optimize.unref();

port.on('close', () => {
  clearInterval(poll);
  clearInterval(optimize);
  void ev.stop();
  counts.close();
  recorder.stop();
  stats.close();
  groups.close();
  daily.close();
  kpiReader.close();
  fleet.close();
  jobs.close();
  inventory.close();
  advisories.close();
});
// The fleet's numbers of the day: at start when today's are missing, then after each UTC midnight.
recorder.start((err) => log.warn({ err }, 'recording the daily fleet numbers failed'));
port.postMessage({ event: 'ready' } satisfies WorkerReply);
