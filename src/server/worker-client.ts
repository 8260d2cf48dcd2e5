import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { VigilError, isErrorCode } from '../common/errors.js';
import type { FleetService } from './fleet-service.js';
import type { PatchService } from './patch-service.js';
import type { EventHub } from './events/hub.js';
import type { SuppressionService } from './suppression-service.js';
import type { MetricsSnapshot } from './metrics-snapshot.js';
import type { WorkerObservations } from './worker-metrics.js';
import type { FleetVex } from './vex-export.js';
import type { StatsMethods } from './fleet-stats.js';
import type { SqliteHostInventory } from '../store/sqlite-host-inventory.js';
import type { FindingGroupMethods } from '../store/sqlite-finding-groups.js';
import type { WorkerConfig, WorkerReply } from './worker.js';

type Methods = Pick<
  FleetService,
  | 'enrolment'
  | 'enrolled'
  | 'disconnected'
  | 'deleteHost'
  | 'finding'
  | 'hello'
  | 'snapshot'
  | 'delta'
  | 'heartbeat'
  | 'touch'
  | 'revoke'
  | 'isRevoked'
  | 'hosts'
  | 'host'
  | 'findings'
  | 'findingsPage'
  | 'inventoryView'
  | 'rematch'
>;

type PatchMethods = {
  patchCreate: PatchService['create'];
  patchRunning: PatchService['running'];
  patchSetState: PatchService['setState'];
  patchStep: PatchService['step'];
  patchOutstanding: PatchService['outstanding'];
  patchDelivered: PatchService['delivered'];
  patchReport: PatchService['report'];
  patchView: PatchService['view'];
  patchPreview: PatchService['preview'];
  patchList: PatchService['list'];
};

type EventMethods = {
  rules: SuppressionService['list'];
  ruleCreate: SuppressionService['create'];
  ruleRemove: SuppressionService['remove'];
  vexImport: SuppressionService['importVex'];
  vexExport: (filter: { hostId?: string; tag?: string }) => FleetVex;
  events: EventHub['events'];
  routes: EventHub['routes']['list'];
  routeCreate: EventHub['routes']['create'];
  routeDelete: EventHub['routes']['delete'];
  deliveries: EventHub['deliveries'];
  redeliver: EventHub['redeliver'];
  metricsSnapshot: () => MetricsSnapshot;
  metricsObserved: WorkerObservations['drain'];
  inventoryHistory: SqliteHostInventory['history'];
  inventorySearch: SqliteHostInventory['search'];
};

type Remote<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...args: A) => Promise<R> : never };

/** FleetService and PatchService seen from the stream thread: every method returns a promise. */
export type FleetRemote = Remote<Methods> & Remote<PatchMethods> & Remote<EventMethods> & Remote<StatsMethods> & Remote<FindingGroupMethods>;

/**
 * Main-thread side of the matcher worker. Emits `rematched` (hosts, reason),
 * `emitted` (a job, command or host event, as the worker's event sink had it) and
 * `exit` (an unexpected worker death, after which every call fails: the server
 * cannot go on without its stores).
 */
export class FleetWorker extends EventEmitter {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private dead: Error | undefined;
  readonly remote: FleetRemote;

  private constructor(cfg: WorkerConfig) {
    super();
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: cfg });
    this.worker.on('message', (m: WorkerReply) => this.onMessage(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new VigilError('INTERNAL', `matcher worker exited with code ${code}`)));
    this.remote = new Proxy({} as FleetRemote, {
      get: (_t, method: string) => (...args: unknown[]) => this.call(method, args),
    });
  }

  static start(cfg: WorkerConfig): Promise<FleetWorker> {
    const w = new FleetWorker(cfg);
    return new Promise((resolve, reject) => {
      w.once('ready', () => resolve(w));
      w.once('exit', (err: Error) => reject(err));
    });
  }

  private call(method: string, args: unknown[]): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args });
    });
  }

  private onMessage(m: WorkerReply): void {
    if ('event' in m) {
      if (m.event === 'ready') this.emit('ready');
      else if (m.event === 'emitted') this.emit('emitted', m);
      else this.emit('rematched', m.hosts, m.reason);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    // The worker sends the code's name; a name the catalog does not hold is an internal failure.
    else p.reject(new VigilError(isErrorCode(m.error.code) ? m.error.code : 'INTERNAL', m.error.message));
  }

  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.emit('exit', err);
  }

  async stop(): Promise<void> {
    this.dead ??= new VigilError('INTERNAL', 'matcher worker stopped');
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
