import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { channelNameOptions, enrollAgent } from '../../agent/enroll.js';
import { loadAgentIdentity, type AgentIdentity } from '../../agent/identity.js';
import { CONNECT_PATH, snapshotMessages } from '../../agent/session.js';
import { grpcStatusName } from '../../common/errors.js';
import { componentKey } from '../../common/identity.js';
import { inventoryDigest } from '../../common/inventory-digest.js';
import type { Component } from '../../common/model.js';
import { vigilVersion } from '../../common/version.js';
import { AGENT_CAPABILITIES, decodeServerMessage, encodeAgentMessage, type AgentMsg, type DeltaMsg, type ServerMsg } from '../../common/wire/codec.js';
import type { Profile } from './inventory.js';

/**
 * One simulated agent: enrolled through the agent's own enrollAgent (its key and CSR
 * made by createAgentCsr in its own state directory, the Enroll RPC with the
 * server's enrolment token, the issued certificate checked against the pinned CA),
 * then one Connect stream over its own mutual-TLS channel speaking the agent's wire
 * codec: hello, a snapshot built by the agent's snapshotMessages when the welcome
 * asks for one, deltas, acks, resyncs. The inventory is held in memory (no outbox
 * files) and every delta's send time is kept until its ack, for the round trip.
 */

export interface Reconnect {
  initialMs: number;
  maxMs: number;
}

export interface AgentEvents {
  online(a: SimAgent, ms: number): void;
  acked(a: SimAgent, seq: number, rttMs: number): void;
  error(a: SimAgent, code: string): void;
  reconnect(a: SimAgent): void;
}

type Stream = grpc.ClientDuplexStream<Buffer, Buffer>;

export class SimAgent {
  agentId = '';
  enrollMs = 0;
  /** The snapshot (or the seq the server held) was acked: the host and its findings are on the server. */
  online = false;
  reconnects = 0;
  private id: AgentIdentity | undefined;
  private client: grpc.Client | undefined;
  private stream: Stream | undefined;
  private components: Map<string, Component>;
  private epoch = Date.now();
  private seq = 0;
  private acked = 0;
  private attempt = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  /** seq → time its delta was written. */
  private readonly inFlight = new Map<number, number>();
  private snapshotSeq: number | undefined;

  constructor(
    readonly index: number,
    readonly hostname: string,
    readonly stateDir: string,
    private readonly inv: Profile,
    private readonly events: AgentEvents,
    private readonly reconnect: Reconnect,
  ) {
    this.components = new Map(inv.components.map((c) => [componentKey(c), c]));
  }

  /** The agent's real enrolment; `machineId` makes the server see one machine per simulated host. */
  async enroll(opts: { server: string; token: string; caPem: string; caFingerprint: string; machineId: string }): Promise<void> {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const t = performance.now();
    const r = await enrollAgent({ server: opts.server, token: opts.token, caPem: opts.caPem, caFingerprint: opts.caFingerprint, stateDir: this.stateDir, hostname: this.hostname, machineId: opts.machineId, timeoutMs: 120_000 });
    this.enrollMs = performance.now() - t;
    this.agentId = r.agentId;
    this.id = loadAgentIdentity(this.stateDir);
    if (!this.id) throw new Error(`no identity in ${path.basename(this.stateDir)} after enrolment`);
  }

  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  has(key: string): boolean {
    return this.components.has(key);
  }

  connect(server: string): void {
    if (this.stopped || !this.id) return;
    if (!this.startedAt) this.startedAt = performance.now();
    this.client?.close();
    this.client = new grpc.Client(server, grpc.credentials.createSsl(Buffer.from(this.id.caPem), Buffer.from(this.id.keyPem), Buffer.from(this.id.certPem)), {
      'grpc.keepalive_time_ms': 60_000,
      'grpc.keepalive_timeout_ms': 20_000,
      'grpc.enable_retries': 0,
      // Its own channel: no subchannel shared with another simulated agent's.
      'grpc.use_local_subchannel_pool': 1,
      ...channelNameOptions(server),
    });
    const stream = this.client.makeBidiStreamRequest<Buffer, Buffer>(CONNECT_PATH, (b) => b, (b) => b, new grpc.Metadata(), {});
    this.stream = stream;
    this.inFlight.clear();
    stream.on('data', (b: Buffer) => {
      let msg: ServerMsg;
      try {
        msg = decodeServerMessage(b);
      } catch {
        this.events.error(this, 'MALFORMED');
        stream.cancel();
        return;
      }
      this.onServer(stream, msg);
    });
    stream.on('error', (err: grpc.ServiceError) => {
      if (this.stopped) return;
      this.events.error(this, grpcStatusName(err.code));
      this.retry(stream, server);
    });
    stream.on('end', () => this.retry(stream, server));
    this.write(stream, {
      kind: 'hello',
      agentVersion: vigilVersion(),
      agentEpoch: this.epoch,
      lastAckedSeq: this.acked,
      capabilities: [AGENT_CAPABILITIES.snapshotChunks],
      tags: [`environment=sim`, `profile=${this.inv.name}`],
    });
  }

  /** Jittered exponential backoff, as the agent's Session: a wait drawn uniformly below min(max, initial·2^attempt). */
  private retry(stream: Stream, server: string): void {
    if (stream !== this.stream || this.stopped) return;
    this.stream = undefined;
    this.online = false;
    const cap = Math.min(this.reconnect.maxMs, this.reconnect.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    this.reconnects++;
    this.events.reconnect(this);
    this.timer = setTimeout(() => this.connect(server), Math.floor(Math.random() * cap));
  }

  private write(stream: Stream, msg: AgentMsg): void {
    if (stream === this.stream) stream.write(Buffer.from(encodeAgentMessage(msg)));
  }

  private onServer(stream: Stream, msg: ServerMsg): void {
    if (stream !== this.stream) return;
    switch (msg.kind) {
      case 'welcome':
        this.attempt = 0;
        if (msg.snapshotNeeded || msg.epoch !== this.epoch || msg.seq !== this.seq) return this.sendSnapshot(stream);
        return this.cameOnline();
      case 'ack': {
        if (msg.seq > this.acked) this.acked = msg.seq;
        if (this.snapshotSeq !== undefined && msg.seq >= this.snapshotSeq) {
          this.snapshotSeq = undefined;
          this.cameOnline();
        }
        for (const [seq, t] of this.inFlight) {
          if (seq > msg.seq) continue;
          this.inFlight.delete(seq);
          this.events.acked(this, seq, performance.now() - t);
        }
        return;
      }
      case 'resync':
        this.events.error(this, `resync:${msg.reason}`);
        this.inFlight.clear();
        return this.sendSnapshot(stream);
      case 'rescan':
        // Nothing changed on a simulated host: the heartbeat that answers a rescan carries the current head.
        this.write(stream, { kind: 'heartbeat', seq: this.seq, digest: inventoryDigest(this.components.values()), rescanRequestId: msg.requestId });
        return;
      case 'signed-command':
        return;
    }
  }

  private cameOnline(): void {
    if (this.online) return;
    this.online = true;
    this.events.online(this, performance.now() - this.startedAt);
  }

  private sendSnapshot(stream: Stream): void {
    const s = { epoch: this.epoch, seq: this.seq, digest: inventoryDigest(this.components.values()), components: [...this.components.values()], ports: [] };
    const head = this.inv.os ? { ...s, os: this.inv.os } : s;
    this.snapshotSeq = this.seq;
    for (const m of snapshotMessages(this.inv.kernel ? { ...head, kernel: this.inv.kernel } : head)) this.write(stream, m);
  }

  /** Applies the change locally and sends it as the next delta; false when the agent is not online. */
  delta(added: Component[], removedKeys: string[]): boolean {
    const stream = this.stream;
    if (!stream || !this.online) return false;
    for (const k of removedKeys) this.components.delete(k);
    for (const c of added) this.components.set(componentKey(c), c);
    const msg: DeltaMsg = { kind: 'delta', epoch: this.epoch, baseSeq: this.seq, seq: this.seq + 1, added, removed: removedKeys, digestAfter: inventoryDigest(this.components.values()) };
    this.seq++;
    this.inFlight.set(this.seq, performance.now());
    this.write(stream, msg);
    return true;
  }

  /** A random component of this host (for a version bump). */
  pick(r: number): Component {
    const all = [...this.components.values()];
    return all[Math.floor(r * all.length)]!;
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.stream?.cancel();
    this.client?.close();
  }
}
