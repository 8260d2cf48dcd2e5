import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { VigilError, codeOfGrpcError, describeError } from '../common/errors.js';
import type { Component } from '../common/model.js';
import { vigilVersion } from '../common/version.js';
import { decodeServerMessage, encodeAgentMessage, type AgentMsg, type ServerMsg, type SnapshotChunkMsg } from '../common/wire/codec.js';
import { AGENT_CAPABILITIES } from '../common/wire/messages.js';
import type { AgentConfig } from './config.js';
import { channelNameOptions } from './enroll.js';
import { loadAgentIdentity } from './identity.js';
import type { AgentLifecycle } from './lifecycle.js';
import type { LocalInventory, LocalState } from './local-state.js';

export const CONNECT_PATH = '/vigil.v1.AgentService/Connect';
/** A backlog longer than this is sent as one composed delta. */
const MAX_PENDING = 16;
/** Components per snapshot chunk: far below the server's per-message limits. */
const CHUNK_COMPONENTS = 1000;
const CHUNK_BYTES = 1024 * 1024;

type Stream = grpc.ClientDuplexStream<Buffer, Buffer>;

export interface SessionDeps {
  cfg: AgentConfig;
  log: Logger;
  local: LocalInventory;
  lifecycle: AgentLifecycle;
  /** Runs `fn` on the daemon's task queue, after every task queued before it. */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** A full collection committed as a delta (the server asked for a rescan). */
  refresh: (reason: string) => Promise<void>;
  /** A signed command for the executor; `reply` writes on the stream it came on. */
  command: (signed: Uint8Array, reply: (msg: AgentMsg) => void) => Promise<void>;
}

/**
 * The agent's stream to the server: one gRPC Connect stream at a time over mutual
 * TLS, reconnected with jittered exponential backoff; the hello/welcome sequencing,
 * deltas from the outbox, snapshots, heartbeats, and the server's messages decoded
 * and handled on the daemon's task queue.
 */
export class Session {
  private client: grpc.Client | undefined;
  private stream: Stream | undefined;
  /** Highest seq written to the current stream; undefined until the stream is in sync. */
  private sentUpTo: number | undefined;
  private attempt = 0;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Settle when a stream got its welcome, or the server refused the agent; for tests and `agent run --once`. */
  private syncedWaiters: Array<{ resolve: () => void; reject: (err: VigilError) => void }> = [];

  constructor(private readonly d: SessionDeps) {}

  /** The current stream is in sync with the server. */
  get connected(): boolean {
    return this.sentUpTo !== undefined;
  }

  /** Resolves once the server holds everything the agent has collected so far; rejects when the server refuses the agent (a status that is not retryable). */
  whenSynced(): Promise<void> {
    const { outbox } = this.d.local;
    if (this.sentUpTo !== undefined && outbox.ackedSeq === outbox.lastSeq) return Promise.resolve();
    return new Promise((resolve, reject) => this.syncedWaiters.push({ resolve, reject }));
  }

  /** No stream opens from now on. */
  halt(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
  }

  /** Ends the stream and the channel. */
  close(): void {
    this.stream?.cancel();
    this.client?.close();
  }

  /** The local state started a new epoch: the stream carrying the old one goes, and the next opens with a hello. */
  dropStream(): void {
    this.sentUpTo = undefined;
    this.stream?.cancel();
  }

  connect(): void {
    const { cfg, log, lifecycle } = this.d;
    if (this.stopped) return;
    const id = loadAgentIdentity(cfg.stateDir);
    if (!id) {
      lifecycle.enter({ kind: 'no-identity' });
      log.error({ dir: cfg.stateDir }, 'agent identity vanished; not connecting');
      return;
    }
    lifecycle.enter({ kind: 'connecting', attempt: this.attempt });
    this.client?.close();
    this.client = new grpc.Client(cfg.server!, grpc.credentials.createSsl(Buffer.from(id.caPem), Buffer.from(id.keyPem), Buffer.from(id.certPem)), {
      'grpc.max_receive_message_length': cfg.limits.maxMessageBytes,
      'grpc.max_send_message_length': cfg.limits.maxMessageBytes,
      'grpc.keepalive_time_ms': 60_000,
      'grpc.keepalive_timeout_ms': 20_000,
      'grpc.keepalive_permit_without_calls': 1,
      // Reconnection is this class's job (with jitter); grpc's own retries would add a second schedule.
      'grpc.enable_retries': 0,
      'grpc.initial_reconnect_backoff_ms': 1000,
      'grpc.max_reconnect_backoff_ms': 1000,
      ...channelNameOptions(cfg.server!),
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
        msg = decodeServerMessage(b, { maxMessageBytes: cfg.limits.maxMessageBytes });
      } catch (err) {
        log.error({ err: describeError(err) }, 'malformed message from the server; reconnecting');
        stream.cancel();
        return;
      }
      void this.d.serial(() => this.onServer(stream, msg));
    });
    stream.on('error', (err: grpc.ServiceError) => {
      if (this.stopped) return;
      // The catalog says whether the same stream may succeed later; a refusal (revoked, replaced, a bug) waits the longest interval.
      const refusal = new VigilError(codeOfGrpcError(err), `the server ended this agent's stream: ${grpc.status[err.code]}: ${err.details}`);
      log[refusal.retryable ? 'warn' : 'error']({ code: refusal.code, grpc_status: grpc.status[err.code], detail: err.details }, 'stream to the server ended');
      if (!refusal.retryable && stream === this.stream) for (const w of this.syncedWaiters.splice(0)) w.reject(refusal);
      this.scheduleReconnect(stream, refusal);
    });
    stream.on('end', () => this.scheduleReconnect(stream));
    void this.d.serial(async () => {
      const { outbox } = this.d.local;
      // A long backlog goes as one catch-up delta.
      const one = await outbox.coalesce(MAX_PENDING);
      if (one) log.info({ base_seq: one.baseSeq, seq: one.seq, added: one.added.length, removed: one.removed.length }, 'backlog coalesced into one delta');
      this.write(stream, {
        kind: 'hello',
        agentVersion: vigilVersion(),
        agentEpoch: outbox.epoch,
        lastAckedSeq: outbox.ackedSeq,
        capabilities: Object.values(AGENT_CAPABILITIES),
        tags: Object.entries(cfg.tags)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${v}`),
      });
    });
  }

  /** `refusal`: the status the stream ended with; none when it just ended (retryable). */
  private scheduleReconnect(stream: Stream, refusal?: VigilError): void {
    if (stream !== this.stream || this.stopped) return;
    const { cfg, log, lifecycle } = this.d;
    const retryable = refusal?.retryable ?? true;
    this.stream = undefined;
    this.sentUpTo = undefined;
    const cap = Math.min(cfg.reconnect.maxMs, cfg.reconnect.initialMs * 2 ** Math.min(this.attempt, 30));
    const wait = retryable ? Math.floor(Math.random() * cap) : cfg.reconnect.maxMs;
    this.attempt++;
    const until = Date.now() + wait;
    if (retryable) lifecycle.enter({ kind: 'backing-off', attempt: this.attempt, until, reason: refusal?.message ?? 'the server ended the stream' });
    else lifecycle.enter({ kind: 'refused', code: refusal!.code, attempt: this.attempt, until });
    log.info({ attempt: this.attempt, wait_ms: wait }, 'reconnecting');
    this.reconnectTimer = setTimeout(() => this.connect(), wait);
  }

  private write(stream: Stream, msg: AgentMsg): void {
    if (stream === this.stream) stream.write(Buffer.from(encodeAgentMessage(msg)));
  }

  private async onServer(stream: Stream, msg: ServerMsg): Promise<void> {
    if (stream !== this.stream) return;
    const { log, local } = this.d;
    const { outbox } = local;
    switch (msg.kind) {
      case 'welcome': {
        this.attempt = 0;
        const held = msg.seq;
        const pending = outbox.pending();
        if (msg.snapshotNeeded || msg.epoch !== outbox.epoch) {
          await this.sendSnapshot(stream);
          return this.welcomed(stream, msg, true);
        }
        if (held === outbox.lastSeq) {
          if (held > outbox.ackedSeq) await outbox.ack(held);
          this.sentUpTo = held;
        } else if (held >= outbox.ackedSeq && pending.some((d) => d.baseSeq === held)) {
          if (held > outbox.ackedSeq) await outbox.ack(held);
          this.sentUpTo = held;
        } else {
          log.info({ server: held, acked: outbox.ackedSeq, last: outbox.lastSeq }, 'server holds a seq the outbox cannot continue from; sending a snapshot');
          await this.sendSnapshot(stream);
          return this.welcomed(stream, msg, true);
        }
        log.info({ seq: held, pending: outbox.lastSeq - held }, 'connected');
        this.welcomed(stream, msg, false);
        this.flush();
        return;
      }
      case 'ack':
        if (msg.seq > outbox.ackedSeq && msg.seq <= outbox.lastSeq) {
          try {
            await outbox.ack(msg.seq);
          } catch (err) {
            log.warn({ seq: msg.seq, err: describeError(err) }, 'ack for a seq not pending');
          }
        }
        this.notifySynced();
        return;
      case 'resync':
        log.warn({ reason: msg.reason, detail: msg.detail }, 'server asked for a resync');
        return this.sendSnapshot(stream);
      case 'rescan':
        await this.d.refresh('rescan');
        this.flush();
        if (this.sentUpTo !== undefined) this.write(stream, { kind: 'heartbeat', seq: local.head.seq, digest: local.head.digest, rescanRequestId: msg.requestId });
        return;
      case 'signed-command':
        return this.d.command(msg.envelope, (m) => this.write(stream, m));
    }
  }

  /** The welcome is handled: the stream is online, unless it ended meanwhile. */
  private welcomed(stream: Stream, msg: Extract<ServerMsg, { kind: 'welcome' }>, snapshot: boolean): void {
    if (stream === this.stream) this.d.lifecycle.enter({ kind: 'online', epoch: msg.epoch, seq: msg.seq, snapshot });
  }

  /** Sends the whole local inventory at the current seq; deltas after it follow. */
  private async sendSnapshot(stream: Stream): Promise<void> {
    const { local, log } = this.d;
    const components = await local.components();
    const chunks = snapshotMessages({ ...local.head, components });
    for (const m of chunks) this.write(stream, m);
    this.sentUpTo = local.head.seq;
    log.info({ seq: local.head.seq, components: components.length, chunks: chunks.length }, 'snapshot sent');
  }

  /** A delta was appended: a stream not in sync gets a long backlog composed, then every pending delta it has not carried. */
  async committed(): Promise<void> {
    const { outbox } = this.d.local;
    if (this.sentUpTo === undefined && outbox.pending().length > 4 * MAX_PENDING) await outbox.coalesce(MAX_PENDING);
    this.flush();
  }

  /** Sends every pending delta the stream has not carried yet. */
  flush(): void {
    const stream = this.stream;
    if (!stream || this.sentUpTo === undefined) return;
    for (const d of this.d.local.outbox.pending(this.sentUpTo)) {
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
      if (d.inUse) msg.inUse = d.inUse;
      this.write(stream, msg);
      this.sentUpTo = d.seq;
    }
    this.notifySynced();
  }

  heartbeat(): void {
    const stream = this.stream;
    const head = this.d.local.head;
    if (!stream || this.sentUpTo !== head.seq) return;
    this.write(stream, { kind: 'heartbeat', seq: head.seq, digest: head.digest });
  }

  private notifySynced(): void {
    const { outbox } = this.d.local;
    if (this.sentUpTo === undefined || outbox.ackedSeq !== outbox.lastSeq) return;
    const w = this.syncedWaiters;
    this.syncedWaiters = [];
    for (const { resolve } of w) resolve();
  }
}

/**
 * A full inventory as Snapshot messages: chunks of at most CHUNK_COMPONENTS
 * components and about CHUNK_BYTES each, far below the server's message limits;
 * ports, facts and the digest ride on the last one.
 */
export function snapshotMessages(s: Pick<LocalState, 'epoch' | 'seq' | 'digest' | 'components' | 'ports' | 'facts' | 'os' | 'kernel' | 'inUse'>): SnapshotChunkMsg[] {
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
      if (s.inUse) m.inUse = s.inUse;
    }
    return m;
  });
}
