import { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import { VigilError, describeError } from '../common/errors.js';
import type { AgentState } from '../common/lifecycle/agent.js';
import { componentLogger } from '../common/log.js';
import { Collection } from './collection.js';
import type { AgentConfig } from './config.js';
import { loadAgentIdentity } from './identity.js';
import { AgentLifecycle } from './lifecycle.js';
import { LocalInventory } from './local-state.js';
import { relayCommand } from './relay.js';
import { Schedule } from './schedule.js';
import { Session } from './session.js';

export type { LocalState } from './local-state.js';
export { CONNECT_PATH, snapshotMessages } from './session.js';

export interface AgentDaemonOptions {
  config: AgentConfig;
  log?: Logger;
  /** Throw on a lifecycle transition the table does not allow, instead of logging it at error (tests). */
  strictLifecycle?: boolean;
}

/**
 * `vigil agent run`: keeps the server's copy of this host's inventory equal to the
 * host's (DESIGN.md §3). Every change is a delta written to the durable outbox
 * before it is sent; the server's acks trim the outbox. One task at a time touches
 * the inventory (collections, commits, snapshots), in order.
 *
 * The parts: the local state (local-state.ts: outbox, inventory.json), collections
 * (collection.ts), the stream (session.ts), the command relay to the executor
 * (relay.ts) and what triggers work (schedule.ts: watch, cron, heartbeat, port
 * poll); this class wires them and walks the lifecycle (common/lifecycle/agent.ts).
 */
export class AgentDaemon {
  private readonly cfg: AgentConfig;
  private readonly log: Logger;
  private agentId = '';
  private readonly lifecycle: AgentLifecycle;
  private readonly local: LocalInventory;
  private readonly collection: Collection;
  private readonly session: Session;
  private schedule: Schedule | undefined;
  private work: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | undefined;

  constructor(opts: AgentDaemonOptions) {
    this.cfg = opts.config;
    this.log = opts.log ?? componentLogger('agent');
    const serial = <T>(fn: () => Promise<T>): Promise<T> => this.serial(fn);
    const agentId = (): string => this.agentId;
    this.lifecycle = new AgentLifecycle(this.log, agentId, opts.strictLifecycle);
    this.local = new LocalInventory(this.cfg.stateDir, this.log, () => this.session.dropStream());
    this.collection = new Collection({ cfg: this.cfg, log: this.log, local: this.local, agentId, serial, committed: () => this.session.committed() });
    const refresh = (reason: string): Promise<void> => this.collection.refresh(reason);
    this.session = new Session({
      cfg: this.cfg,
      log: this.log,
      local: this.local,
      lifecycle: this.lifecycle,
      serial,
      refresh,
      command: (signed, reply) => relayCommand({ cfg: this.cfg, log: this.log, agentId, head: () => this.local.head, refresh, flush: () => this.session.flush() }, signed, reply),
    });
  }

  /** Where the daemon is in its lifecycle. */
  get state(): AgentState {
    return this.lifecycle.state;
  }

  async start(): Promise<void> {
    if (!this.cfg.server) throw new VigilError('CONFLICT', 'no server configured: enroll first (vigil agent enroll) or set server in the agent config');
    const id = loadAgentIdentity(this.cfg.stateDir);
    if (!id) throw new VigilError('CONFLICT', `no agent certificate in ${this.cfg.stateDir}: enroll first (vigil agent enroll)`);
    this.agentId = agentIdOf(id.certPem);
    await this.local.open();
    if (!this.lifecycle.ending) this.lifecycle.enter({ kind: 'collecting' });
    await this.serial(() => this.collection.refresh('startup'));
    this.schedule = new Schedule({
      cfg: this.cfg,
      log: this.log,
      databases: this.collection.databases,
      live: this.collection.live,
      refresh: (reason, names) => this.serial(() => this.collection.refresh(reason, names)),
      heartbeat: () => this.session.heartbeat(),
      pollPorts: () => this.collection.pollPorts(),
    });
    await this.schedule.start();
    this.session.connect();
  }

  /** Stops every timer, the watch and the stream, and waits for the task in progress; a second call waits for the first. */
  stop(): Promise<void> {
    this.stopping ??= this.halt();
    return this.stopping;
  }

  private async halt(): Promise<void> {
    this.lifecycle.enter({ kind: 'stopping' });
    this.session.halt();
    this.schedule?.clearTimers();
    this.local.close();
    await this.schedule?.close();
    this.session.close();
    await this.work.catch(() => undefined);
    this.lifecycle.enter({ kind: 'stopped' });
  }

  /** Resolves once the server holds everything the agent has collected so far; rejects when the server refuses the agent (a status that is not retryable). */
  whenSynced(): Promise<void> {
    return this.session.whenSynced();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.work.then(fn, fn);
    this.work = run.catch((err: unknown) => this.log.error({ err: describeError(err) }, 'agent task failed'));
    return run;
  }

  /** For status output and tests. */
  status(): { agentId: string; epoch: number; seq: number; ackedSeq: number; digest: string; components: number; connected: boolean } {
    const head = this.local.head;
    return {
      agentId: this.agentId,
      epoch: this.local.outbox.epoch,
      seq: head.seq,
      ackedSeq: this.local.outbox.ackedSeq,
      digest: head.digest,
      components: head.count,
      connected: this.session.connected,
    };
  }
}

/** The agent id in this agent's own certificate (`urn:vigil:agent:<id>`). */
export function agentIdOf(certPem: string): string {
  const cert = new X509Certificate(certPem);
  const m = /URI:urn:vigil:agent:([A-Za-z0-9._-]+)/.exec(cert.subjectAltName ?? '');
  if (!m) throw new VigilError('INVALID_INPUT', 'agent certificate carries no agent id');
  return m[1]!;
}
