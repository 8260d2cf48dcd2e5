import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../common/atomic-write.js';
import { VigilError, codeOfGrpcError, describeError } from '../common/errors.js';
import { componentLogger } from '../common/log.js';
import type { Component, HostFacts, KernelInfo, ListeningPort, OsInfo } from '../common/model.js';
import { submitToExecutor } from '../common/executor-client.js';
import type { ExecutorResult } from '../common/executor-protocol.js';
import { signReport } from '../common/signed-report.js';
import { vigilVersion } from '../common/version.js';
import { decodeServerMessage, encodeAgentMessage, type AgentMsg, type ServerMsg, type SnapshotChunkMsg } from '../common/wire/codec.js';
import { listeningSockets } from '../inventory/ports.js';
import { collectInWorker } from './collect.js';
import type { AgentConfig } from './config.js';
import type { Delta } from './delta.js';
import { channelNameOptions } from './enroll.js';
import { loadAgentIdentity } from './identity.js';
import { applyDelta, diffInventories, inventoryDigest, inventoryMap, type InventoryMap } from './inventory-state.js';
import { Outbox, OutboxCorruptError } from './outbox.js';
import { watchDatabases, type DatabaseWatch } from './watcher.js';

export const CONNECT_PATH = '/vigil.v1.AgentService/Connect';
const INVENTORY_FILE = 'inventory.json';
/** Command ids that may name a file: the server issues UUIDs. */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;
/** A backlog longer than this is sent as one composed delta. */
const MAX_PENDING = 16;
/** Components per snapshot chunk: far below the server's per-message limits. */
const CHUNK_COMPONENTS = 1000;
const CHUNK_BYTES = 1024 * 1024;

/** What the agent believes the inventory is after its latest delta: the base of the next diff. */
export interface LocalState {
  epoch: number;
  seq: number;
  digest: string;
  components: Component[];
  ports: ListeningPort[];
  facts?: HostFacts;
  os?: OsInfo;
  kernel?: KernelInfo;
}

/**
 * The state the daemon keeps in memory between changes: everything but the
 * components, which live in inventory.json and are read when a change, a snapshot or
 * a rescan needs them. An idle agent's memory does not grow with the host's inventory.
 */
type StateHead = Omit<LocalState, 'components'> & { count: number };

/** How long components read from inventory.json stay in memory after their last use. */
const HOLD_MS = 10_000;

function headOf(s: LocalState): StateHead {
  const { components, ...rest } = s;
  return { ...rest, count: components.length };
}

interface Collected {
  components: InventoryMap;
  ports: ListeningPort[];
  facts?: HostFacts;
  os?: OsInfo;
  kernel?: KernelInfo;
}

export interface AgentDaemonOptions {
  config: AgentConfig;
  log?: Logger;
}

/** Stable fields of a socket: pids and inodes change on every service restart. */
function portKey(p: ListeningPort): string {
  return JSON.stringify([p.protocol, p.address, p.port, p.exposure, p.package ?? null, p.executable ?? null]);
}

function samePorts(a: ListeningPort[], b: ListeningPort[]): boolean {
  const ka = a.map(portKey).sort();
  const kb = b.map(portKey).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `vigil agent run`: keeps the server's copy of this host's inventory equal to the
 * host's (DESIGN.md §3). Every change is a delta written to the durable outbox
 * before it is sent; the server's acks trim the outbox. One task at a time touches
 * the inventory (collections, commits, snapshots), in order.
 */
export class AgentDaemon {
  private readonly cfg: AgentConfig;
  private readonly log: Logger;
  private agentId = '';
  private outbox!: Outbox;
  private state!: StateHead;
  /** The components of `state`, while they are in use (see StateHead). */
  private held: Component[] | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  private work: Promise<unknown> = Promise.resolve();
  private watch: DatabaseWatch | undefined;
  private cronTask: ScheduledTask | undefined;
  private timers: NodeJS.Timeout[] = [];
  private client: grpc.Client | undefined;
  private stream: grpc.ClientDuplexStream<Buffer, Buffer> | undefined;
  /** Highest seq written to the current stream; undefined until the stream is in sync. */
  private sentUpTo: number | undefined;
  private attempt = 0;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private polledPorts: ListeningPort[] = [];
  /** Each collector's package databases, as the first collection reported them. */
  private databases: Array<{ name: string; databases: string[] }> = [];
  /** Settle when a stream got its welcome, or the server refused the agent; for tests and `agent run --once`. */
  private syncedWaiters: Array<{ resolve: () => void; reject: (err: VigilError) => void }> = [];

  constructor(opts: AgentDaemonOptions) {
    this.cfg = opts.config;
    this.log = opts.log ?? componentLogger('agent');
  }

  private get live(): boolean {
    return path.resolve(this.cfg.root) === '/';
  }

  async start(): Promise<void> {
    if (!this.cfg.server) throw new VigilError('CONFLICT', 'no server configured: enroll first (vigil agent enroll) or set server in the agent config');
    const id = loadAgentIdentity(this.cfg.stateDir);
    if (!id) throw new VigilError('CONFLICT', `no agent certificate in ${this.cfg.stateDir}: enroll first (vigil agent enroll)`);
    this.agentId = agentIdOf(id.certPem);
    await this.openState();
    await this.serial(() => this.refresh('startup'));
    if (this.cfg.watch.enabled) {
      this.watch = watchDatabases({
        root: this.cfg.root,
        collectors: this.databases,
        quietMs: this.cfg.watch.quietMs,
        maxWaitMs: this.cfg.watch.maxWaitMs,
        onChange: (names) => this.serial(() => this.refresh('watch', names)),
        onError: (err) => this.log.warn({ err: describeError(err) }, 'package database watch error'),
      });
      await this.watch.ready;
    }
    this.cronTask = cron.schedule(this.cfg.schedule.refresh, () => void this.serial(() => this.refresh('schedule')), { noOverlap: true });
    this.timers.push(setInterval(() => this.heartbeat(), this.cfg.schedule.heartbeatSeconds * 1000));
    if (this.live) this.timers.push(setInterval(() => void this.pollPorts(), this.cfg.ports.pollSeconds * 1000));
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.holdTimer) clearTimeout(this.holdTimer);
    await this.cronTask?.stop();
    await this.watch?.close();
    this.stream?.cancel();
    this.client?.close();
    await this.work.catch(() => undefined);
  }

  /** Resolves once the server holds everything the agent has collected so far; rejects when the server refuses the agent (a status that is not retryable). */
  whenSynced(): Promise<void> {
    if (this.sentUpTo !== undefined && this.outbox.ackedSeq === this.outbox.lastSeq) return Promise.resolve();
    return new Promise((resolve, reject) => this.syncedWaiters.push({ resolve, reject }));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.work.then(fn, fn);
    this.work = run.catch((err: unknown) => this.log.error({ err: describeError(err) }, 'agent task failed'));
    return run;
  }

  // ------------------------------------------------------------------ local state

  private async openState(): Promise<void> {
    const dir = path.join(this.cfg.stateDir, 'outbox');
    try {
      this.outbox = await Outbox.open(dir);
    } catch (err) {
      if (!(err instanceof OutboxCorruptError)) throw err;
      this.log.error({ err: err.message }, 'outbox is corrupt; starting a new epoch and sending a snapshot');
      this.outbox = await Outbox.reset(dir);
    }
    const saved = await this.readInventoryFile();
    const rebuilt = saved ? this.replayOnto(saved) : undefined;
    if (rebuilt) {
      // Replayed deltas are written back, so that the file is again what the state says.
      if (rebuilt !== saved) await this.writeInventoryFile(rebuilt);
      this.setState(rebuilt);
      return;
    }
    if (saved || this.outbox.lastSeq > 0) {
      this.log.warn({ epoch: this.outbox.epoch }, 'local inventory does not match the outbox; starting a new epoch');
      await this.outbox.reset();
    }
    await this.startEmpty();
  }

  private async startEmpty(): Promise<void> {
    const empty: LocalState = { epoch: this.outbox.epoch, seq: this.outbox.lastSeq, digest: inventoryDigest([]), components: [], ports: [] };
    await this.writeInventoryFile(empty);
    this.setState(empty);
  }

  private setState(s: LocalState): void {
    this.state = headOf(s);
    this.hold(s.components);
  }

  /** Keeps `components` in memory until HOLD_MS after the last use. */
  private hold(components: Component[]): Component[] {
    this.held = components;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => (this.held = undefined), HOLD_MS);
    this.holdTimer.unref();
    return components;
  }

  /** The base for a partial collection; undefined before any inventory (a new epoch), when only a full one will do. */
  private async base(): Promise<Component[] | undefined> {
    const components = await this.components();
    return this.state.seq === 0 ? undefined : components;
  }

  /**
   * The components of the current state, from memory or from inventory.json. A file
   * that vanished or no longer matches the state cannot be the base of a diff: the
   * agent starts a new epoch from nothing, and its next delta is the whole inventory,
   * which makes the server take a snapshot.
   */
  private async components(): Promise<Component[]> {
    if (this.held) return this.hold(this.held);
    const s = await this.readInventoryFile();
    if (s && s.epoch === this.state.epoch && s.seq === this.state.seq && s.digest === this.state.digest && s.components.length === this.state.count) return this.hold(s.components);
    this.log.error({ file: path.join(this.cfg.stateDir, INVENTORY_FILE) }, 'saved inventory is missing or does not match the agent state; starting a new epoch');
    await this.outbox.reset();
    await this.startEmpty();
    // The stream carries the old epoch: a new one opens with a hello, and the server asks for a snapshot.
    this.sentUpTo = undefined;
    this.stream?.cancel();
    return [];
  }

  /** The saved inventory brought up to the outbox's last seq, or undefined when they cannot be reconciled. */
  private replayOnto(saved: LocalState): LocalState | undefined {
    if (saved.epoch !== this.outbox.epoch) return undefined;
    const pending = this.outbox.pending();
    const lastDigest = pending.at(-1)?.digestAfter ?? this.outbox.ackedDigest;
    if (saved.seq === this.outbox.lastSeq) return saved.digest === lastDigest ? saved : undefined;
    // The file is written after the delta is appended; a crash between the two leaves it one step behind.
    const from = pending.findIndex((d) => d.baseSeq === saved.seq);
    if (from < 0) return undefined;
    let map = inventoryMap(saved.components);
    const out: LocalState = { ...saved };
    try {
      for (const d of pending.slice(from)) {
        map = applyDelta(map, d);
        out.ports = d.ports;
        if (d.facts) out.facts = d.facts;
        if (d.os) out.os = d.os;
        if (d.kernel) out.kernel = d.kernel;
        out.seq = d.seq;
      }
    } catch {
      return undefined;
    }
    out.components = [...map.values()];
    out.digest = inventoryDigest(map);
    return out.digest === lastDigest ? out : undefined;
  }

  private async readInventoryFile(): Promise<LocalState | undefined> {
    try {
      const s = JSON.parse(await readFile(path.join(this.cfg.stateDir, INVENTORY_FILE), 'utf8')) as LocalState;
      if (!Number.isSafeInteger(s.epoch) || !Number.isSafeInteger(s.seq) || !Array.isArray(s.components)) return undefined;
      return s;
    } catch {
      return undefined;
    }
  }

  private async writeInventoryFile(s: LocalState): Promise<void> {
    await mkdir(this.cfg.stateDir, { recursive: true });
    const file = path.join(this.cfg.stateDir, INVENTORY_FILE);
    await writeFileAtomic(file, JSON.stringify(s), { mode: 0o600, regularOnly: true });
  }

  // ------------------------------------------------------------------ collection

  /** `live`: also read ports and facts, which a partial collection otherwise skips. */
  private async collect(collectors?: string[], live = collectors === undefined): Promise<Collected> {
    const { inventory: inv, databases } = await collectInWorker({ root: this.cfg.root, appRoots: this.cfg.appRoots, noLive: !this.live || !live, ...(collectors ? { collectors } : {}) });
    this.databases = databases;
    for (const p of inv.problems.slice(0, 20)) this.log.debug({ problem: p }, 'collection problem');
    const out: Collected = { components: inventoryMap(inv.components), ports: inv.ports ?? [] };
    if (inv.host) out.facts = inv.host;
    if (inv.os) out.os = inv.os;
    if (inv.kernel) out.kernel = inv.kernel;
    return out;
  }

  /**
   * Collects (everything, or only the named collectors' sources) and commits the
   * difference as one delta. A partial collection replaces only the components
   * those collectors found; ports, facts and kernel come from full ones.
   */
  private async refresh(reason: string, names?: string[]): Promise<void> {
    const started = Date.now();
    let next: Collected;
    const base = names && names.length > 0 ? await this.base() : undefined;
    if (names && base) {
      const part = await this.collect(names);
      const map: InventoryMap = new Map();
      for (const [k, c] of inventoryMap(base)) if (!names.includes(c.foundBy)) map.set(k, c);
      for (const [k, c] of part.components) if (names.includes(c.foundBy)) map.set(k, c);
      next = { components: map, ports: this.state.ports };
      if (this.state.facts) next.facts = this.state.facts;
      if (part.os) next.os = part.os;
      if (this.state.kernel) next.kernel = this.state.kernel;
    } else {
      next = await this.collect();
      this.polledPorts = next.ports;
    }
    const seq = await this.commit(next);
    this.log.info({ reason, collectors: names, ms: Date.now() - started, components: next.components.size, seq }, 'inventory refreshed');
  }

  /**
   * The sockets changed: map them to processes and packages again. Only the OS
   * package databases are read (their file lists own the executables); language
   * packages cannot have changed with a socket.
   */
  private async refreshPorts(): Promise<void> {
    const base = await this.base();
    if (!base) return this.refresh('ports');
    const os = this.databases.map((d) => d.name);
    const part = await this.collect(os.length ? os : undefined, true);
    this.polledPorts = part.ports;
    const next: Collected = { components: inventoryMap(base), ports: part.ports };
    if (part.facts ?? this.state.facts) next.facts = (part.facts ?? this.state.facts)!;
    if (this.state.os) next.os = this.state.os;
    if (part.kernel ?? this.state.kernel) next.kernel = (part.kernel ?? this.state.kernel)!;
    const seq = await this.commit(next);
    this.log.info({ ports: part.ports.length, seq }, 'listening ports refreshed');
  }

  /** Appends the delta from the local state to `next` (if anything changed); returns the seq now held. */
  private async commit(next: Collected): Promise<number> {
    const prev = inventoryMap(await this.components());
    const { added, removed } = diffInventories(prev, next.components);
    const portsChanged = !samePorts(this.state.ports, next.ports);
    const osChanged = next.os !== undefined && !same(next.os, this.state.os);
    const kernelChanged = next.kernel !== undefined && !same(next.kernel, this.state.kernel);
    const factsChanged = next.facts !== undefined && !same(next.facts, this.state.facts);
    const first = this.state.seq === 0 && this.outbox.lastSeq === 0;
    if (!first && added.length === 0 && removed.length === 0 && !portsChanged && !osChanged && !kernelChanged && !factsChanged) return this.state.seq;
    const digest = inventoryDigest(next.components);
    const delta: Delta = {
      agentId: this.agentId,
      epoch: this.outbox.epoch,
      baseSeq: this.outbox.lastSeq,
      seq: this.outbox.lastSeq + 1,
      added,
      removed,
      ports: next.ports,
      digestAfter: digest,
    };
    if (next.facts && (first || factsChanged)) delta.facts = next.facts;
    if (next.os && (first || osChanged)) delta.os = next.os;
    if (next.kernel && (first || kernelChanged)) delta.kernel = next.kernel;
    await this.outbox.append(delta);
    const state: LocalState = {
      epoch: this.outbox.epoch,
      seq: delta.seq,
      digest,
      components: [...next.components.values()],
      ports: next.ports,
    };
    const facts = next.facts ?? this.state.facts;
    const os = next.os ?? this.state.os;
    const kernel = next.kernel ?? this.state.kernel;
    if (facts) state.facts = facts;
    if (os) state.os = os;
    if (kernel) state.kernel = kernel;
    this.setState(state);
    await this.writeInventoryFile(state);
    if (this.sentUpTo === undefined && this.outbox.pending().length > 4 * MAX_PENDING) await this.outbox.coalesce(MAX_PENDING);
    this.flush();
    return delta.seq;
  }

  private async pollPorts(): Promise<void> {
    try {
      // Only the socket tables each time; the processes and packages behind the
      // sockets are looked up (in the collector process) when the set changed.
      const sockets = await listeningSockets();
      const key = (p: Pick<ListeningPort, 'protocol' | 'address' | 'port'>): string => `${p.protocol} ${p.address} ${p.port}`;
      const a = new Set(sockets.map(key));
      const b = new Set(this.polledPorts.map(key));
      if (a.size === b.size && [...a].every((k) => b.has(k))) return;
      await this.serial(() => this.refreshPorts());
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'port poll failed');
    }
  }

  // ------------------------------------------------------------------ stream

  private connect(): void {
    if (this.stopped) return;
    const id = loadAgentIdentity(this.cfg.stateDir);
    if (!id) {
      this.log.error({ dir: this.cfg.stateDir }, 'agent identity vanished; not connecting');
      return;
    }
    this.client?.close();
    this.client = new grpc.Client(this.cfg.server!, grpc.credentials.createSsl(Buffer.from(id.caPem), Buffer.from(id.keyPem), Buffer.from(id.certPem)), {
      'grpc.max_receive_message_length': this.cfg.limits.maxMessageBytes,
      'grpc.max_send_message_length': this.cfg.limits.maxMessageBytes,
      'grpc.keepalive_time_ms': 60_000,
      'grpc.keepalive_timeout_ms': 20_000,
      'grpc.keepalive_permit_without_calls': 1,
      // Reconnection is this class's job (with jitter); grpc's own retries would add a second schedule.
      'grpc.enable_retries': 0,
      'grpc.initial_reconnect_backoff_ms': 1000,
      'grpc.max_reconnect_backoff_ms': 1000,
      ...channelNameOptions(this.cfg.server!),
    });
    const stream = this.client.makeBidiStreamRequest<Buffer, Buffer>(
      CONNECT_PATH,
      (b) => b,
      (b) => b,
      new grpc.Metadata(),
      {},
    );
    this.stream = stream;
    this.sentUpTo = undefined;
    stream.on('data', (b: Buffer) => {
      let msg: ServerMsg;
      try {
        msg = decodeServerMessage(b, { maxMessageBytes: this.cfg.limits.maxMessageBytes });
      } catch (err) {
        this.log.error({ err: describeError(err) }, 'malformed message from the server; reconnecting');
        stream.cancel();
        return;
      }
      void this.serial(() => this.onServer(stream, msg));
    });
    stream.on('error', (err: grpc.ServiceError) => {
      if (this.stopped) return;
      // The catalog says whether the same stream may succeed later; a refusal (revoked, replaced, a bug) waits the longest interval.
      const refusal = new VigilError(codeOfGrpcError(err), `the server ended this agent's stream: ${grpc.status[err.code]}: ${err.details}`);
      this.log[refusal.retryable ? 'warn' : 'error']({ code: grpc.status[err.code], error_code: refusal.code, details: err.details }, 'stream to the server ended');
      if (!refusal.retryable && stream === this.stream) for (const w of this.syncedWaiters.splice(0)) w.reject(refusal);
      this.scheduleReconnect(stream, refusal.retryable);
    });
    stream.on('end', () => this.scheduleReconnect(stream));
    void this.serial(async () => {
      // A long backlog goes as one catch-up delta.
      const one = await this.outbox.coalesce(MAX_PENDING);
      if (one) this.log.info({ baseSeq: one.baseSeq, seq: one.seq, added: one.added.length, removed: one.removed.length }, 'backlog coalesced into one delta');
      this.write(stream, {
        kind: 'hello',
        agentVersion: vigilVersion(),
        agentEpoch: this.outbox.epoch,
        lastAckedSeq: this.outbox.ackedSeq,
        capabilities: ['snapshot-chunks', 'rescan'],
        tags: Object.entries(this.cfg.tags)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${v}`),
      });
    });
  }

  private scheduleReconnect(stream: grpc.ClientDuplexStream<Buffer, Buffer>, retryable = true): void {
    if (stream !== this.stream || this.stopped) return;
    this.stream = undefined;
    this.sentUpTo = undefined;
    const cap = Math.min(this.cfg.reconnect.maxMs, this.cfg.reconnect.initialMs * 2 ** Math.min(this.attempt, 30));
    const wait = retryable ? Math.floor(Math.random() * cap) : this.cfg.reconnect.maxMs;
    this.attempt++;
    this.log.info({ attempt: this.attempt, waitMs: wait }, 'reconnecting');
    this.reconnectTimer = setTimeout(() => this.connect(), wait);
  }

  private write(stream: grpc.ClientDuplexStream<Buffer, Buffer>, msg: AgentMsg): void {
    if (stream === this.stream) stream.write(Buffer.from(encodeAgentMessage(msg)));
  }

  private async onServer(stream: grpc.ClientDuplexStream<Buffer, Buffer>, msg: ServerMsg): Promise<void> {
    if (stream !== this.stream) return;
    switch (msg.kind) {
      case 'welcome': {
        this.attempt = 0;
        const held = msg.seq;
        const pending = this.outbox.pending();
        if (msg.snapshotNeeded || msg.epoch !== this.outbox.epoch) return this.sendSnapshot(stream);
        if (held === this.outbox.lastSeq) {
          if (held > this.outbox.ackedSeq) await this.outbox.ack(held);
          this.sentUpTo = held;
        } else if (held >= this.outbox.ackedSeq && pending.some((d) => d.baseSeq === held)) {
          if (held > this.outbox.ackedSeq) await this.outbox.ack(held);
          this.sentUpTo = held;
        } else {
          this.log.info({ server: held, acked: this.outbox.ackedSeq, last: this.outbox.lastSeq }, 'server holds a seq the outbox cannot continue from; sending a snapshot');
          return this.sendSnapshot(stream);
        }
        this.log.info({ seq: held, pending: this.outbox.lastSeq - held }, 'connected');
        this.flush();
        return;
      }
      case 'ack':
        if (msg.seq > this.outbox.ackedSeq && msg.seq <= this.outbox.lastSeq) {
          try {
            await this.outbox.ack(msg.seq);
          } catch (err) {
            this.log.warn({ seq: msg.seq, err: describeError(err) }, 'ack for a seq not pending');
          }
        }
        this.notifySynced();
        return;
      case 'resync':
        this.log.warn({ reason: msg.reason, detail: msg.detail }, 'server asked for a resync');
        return this.sendSnapshot(stream);
      case 'rescan':
        await this.refresh('rescan');
        this.flush();
        if (this.sentUpTo !== undefined) this.write(stream, { kind: 'heartbeat', seq: this.state.seq, digest: this.state.digest, rescanRequestId: msg.requestId });
        return;
      case 'signed-command':
        return this.runCommand(stream, msg.envelope);
      case 'config-update':
        this.log.warn({ kind: msg.kind }, 'message not handled by this agent version');
        return;
    }
  }

  /**
   * Hands a signed command to the executor, which verifies it and runs it as root;
   * this process runs nothing. Then rescans, so the inventory the server holds
   * proves the result, and reports back signed with this host's key.
   */
  private async runCommand(stream: grpc.ClientDuplexStream<Buffer, Buffer>, signed: Uint8Array): Promise<void> {
    // The id is read unverified, only to label the report; the executor decides what is true.
    let commandId = '';
    try {
      const wire = JSON.parse(Buffer.from(signed).toString('utf8')) as { envelope?: { payload?: string } };
      commandId = String((JSON.parse(Buffer.from(wire.envelope?.payload ?? '', 'base64').toString('utf8')) as { commandId?: unknown }).commandId ?? '');
    } catch {
      // reported with an empty id; the server ignores reports it cannot place
    }
    // A command the server sends again (it restarted before the report reached it) is
    // answered with the report already made: the executor would refuse it as a replay.
    const saved = SAFE_ID.test(commandId) ? path.join(this.cfg.stateDir, 'reports', `${commandId}.json`) : undefined;
    if (saved) {
      const old = await readFile(saved).catch(() => undefined);
      if (old) {
        this.log.info({ command: commandId }, 'command already handled; sending its report again');
        this.write(stream, { kind: 'command-result', commandId, signedResult: old });
        return;
      }
    }
    let result: ExecutorResult;
    try {
      result = await submitToExecutor(this.cfg.executor.socket, Buffer.from(signed), this.cfg.executor.timeoutSeconds * 1000);
    } catch (err) {
      result = { outcome: 'failed', reason: 'executor-unavailable', detail: describeError(err), before: [], after: [], verified: false };
    }
    this.log.info({ command: commandId, outcome: result.outcome, reason: result.reason, verified: result.verified }, 'command handled by the executor');
    if (result.outcome !== 'refused') await this.refresh('command');
    this.flush();
    const id = loadAgentIdentity(this.cfg.stateDir);
    if (!id || !commandId) return;
    const report = signReport({ ...result, agentId: this.agentId, inventorySeq: this.state.seq, inventoryDigest: this.state.digest }, id.keyPem);
    if (saved && result.outcome !== 'refused') await this.saveReport(saved, report);
    this.write(stream, { kind: 'command-result', commandId, signedResult: report });
  }

  /** Keeps a report on disk (temp + rename) so a resent command gets the same answer; the newest 200 stay. */
  private async saveReport(file: string, report: Buffer): Promise<void> {
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, report, { mode: 0o600, regularOnly: true });
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
    if (names.length > 200) {
      const aged = await Promise.all(names.map(async (n) => ({ n, t: (await stat(path.join(dir, n))).mtimeMs })));
      aged.sort((a, b) => a.t - b.t);
      for (const { n } of aged.slice(0, names.length - 200)) await unlink(path.join(dir, n)).catch(() => undefined);
    }
  }

  /** Sends the whole local inventory at the current seq; deltas after it follow. */
  private async sendSnapshot(stream: grpc.ClientDuplexStream<Buffer, Buffer>): Promise<void> {
    const components = await this.components();
    const chunks = snapshotMessages({ ...this.state, components });
    for (const m of chunks) this.write(stream, m);
    this.sentUpTo = this.state.seq;
    this.log.info({ seq: this.state.seq, components: components.length, chunks: chunks.length }, 'snapshot sent');
  }

  /** Sends every pending delta the stream has not carried yet. */
  private flush(): void {
    const stream = this.stream;
    if (!stream || this.sentUpTo === undefined) return;
    for (const d of this.outbox.pending(this.sentUpTo)) {
      const msg: AgentMsg = {
        kind: 'delta',
        epoch: d.epoch,
        baseSeq: d.baseSeq,
        seq: d.seq,
        added: d.added,
        removed: d.removed,
        ports: d.ports,
        digestAfter: d.digestAfter,
      };
      if (d.facts) msg.facts = d.facts;
      if (d.os) msg.os = d.os;
      if (d.kernel) msg.kernel = d.kernel;
      this.write(stream, msg);
      this.sentUpTo = d.seq;
    }
    this.notifySynced();
  }

  private heartbeat(): void {
    const stream = this.stream;
    if (!stream || this.sentUpTo !== this.state.seq) return;
    this.write(stream, { kind: 'heartbeat', seq: this.state.seq, digest: this.state.digest });
  }

  private notifySynced(): void {
    if (this.sentUpTo === undefined || this.outbox.ackedSeq !== this.outbox.lastSeq) return;
    const w = this.syncedWaiters;
    this.syncedWaiters = [];
    for (const { resolve } of w) resolve();
  }

  /** For status output and tests. */
  status(): { agentId: string; epoch: number; seq: number; ackedSeq: number; digest: string; components: number; connected: boolean } {
    return {
      agentId: this.agentId,
      epoch: this.outbox.epoch,
      seq: this.state.seq,
      ackedSeq: this.outbox.ackedSeq,
      digest: this.state.digest,
      components: this.state.count,
      connected: this.sentUpTo !== undefined,
    };
  }
}

/**
 * A full inventory as Snapshot messages: chunks of at most CHUNK_COMPONENTS
 * components and about CHUNK_BYTES each, far below the server's message limits;
 * ports, facts and the digest ride on the last one.
 */
export function snapshotMessages(s: Pick<LocalState, 'epoch' | 'seq' | 'digest' | 'components' | 'ports' | 'facts' | 'os' | 'kernel'>): SnapshotChunkMsg[] {
  const chunks: Component[][] = [[]];
  let bytes = 0;
  for (const c of s.components) {
    const size = JSON.stringify(c).length;
    const cur = chunks.at(-1)!;
    if (cur.length >= CHUNK_COMPONENTS || (cur.length > 0 && bytes + size > CHUNK_BYTES)) {
      chunks.push([c]);
      bytes = size;
    } else {
      cur.push(c);
      bytes += size;
    }
  }
  return chunks.map((components, i) => {
    const m: SnapshotChunkMsg = { kind: 'snapshot', epoch: s.epoch, seq: s.seq, chunkIndex: i, chunkCount: chunks.length, components };
    if (i === chunks.length - 1) {
      m.digest = s.digest;
      m.ports = s.ports;
      if (s.facts) m.facts = s.facts;
      if (s.os) m.os = s.os;
      if (s.kernel) m.kernel = s.kernel;
    }
    return m;
  });
}

/** The agent id in this agent's own certificate (`urn:vigil:agent:<id>`). */
export function agentIdOf(certPem: string): string {
  const cert = new X509Certificate(certPem);
  const m = /URI:urn:vigil:agent:([A-Za-z0-9._-]+)/.exec(cert.subjectAltName ?? '');
  if (!m) throw new VigilError('INVALID_INPUT', 'agent certificate carries no agent id');
  return m[1]!;
}
