import { parentPort, workerData } from 'node:worker_threads';
import { VigilError, describeError } from '../common/errors.js';
import { componentLogger } from '../common/log.js';
import { SqliteAdvisoryStore } from '../store/sqlite-advisories.js';
import { SqliteFleetStore } from '../store/sqlite-fleet.js';
import { FleetService } from './fleet-service.js';

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
}

export type WorkerRequest = { id: number; method: string; args: unknown[] };
export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { event: 'ready' }
  | { event: 'rematched'; hosts: string[]; reason: 'startup' | 'advisories' };

const port = parentPort;
if (!port) throw new Error('server/worker.js runs only as a worker thread');
const cfg = workerData as WorkerConfig;
const log = componentLogger('matcher-worker');

const fleet = new SqliteFleetStore(cfg.fleetDb);
const advisories = new SqliteAdvisoryStore(cfg.advisoryDb);
const service = new FleetService({ fleet, advisories, log });

const CALLABLE = new Set([
  'enrolled',
  'hello',
  'snapshot',
  'delta',
  'heartbeat',
  'touch',
  'revoke',
  'isRevoked',
  'hosts',
  'host',
  'findings',
  'inventoryView',
  'rematch',
]);

port.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    if (!CALLABLE.has(req.method)) throw new VigilError('INTERNAL', `unknown worker method ${req.method}`);
    const fn = (service as unknown as Record<string, (...a: unknown[]) => unknown>)[req.method]!;
    reply = { id: req.id, ok: true, value: fn.apply(service, req.args) };
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
    const hosts = service.applyAdvisoryChanges();
    if (hosts.length) port.postMessage({ event: 'rematched', hosts, reason: 'advisories' } satisfies WorkerReply);
  } catch (err) {
    log.error({ err }, 'applying advisory changes failed');
  }
}, cfg.advisoryPollMs);
poll.unref();

port.on('close', () => {
  clearInterval(poll);
  fleet.close();
  advisories.close();
});
port.postMessage({ event: 'ready' } satisfies WorkerReply);
