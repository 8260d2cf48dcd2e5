import { X509Certificate, createHash, randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { VigilError, describeError, type ErrorCode } from '../common/errors.js';
import { componentLogger } from '../common/log.js';
import type { Component } from '../common/model.js';
import { AGENT_CAPABILITIES, digestVersionOf } from '../common/wire/messages.js';
import type { DigestVersion } from '../common/inventory-lthash.js';
import { DEFAULT_DECODE_LIMITS, decodeAgentMessage, encodeServerMessage, type AgentMsg, type DecodeLimits, type ServerMsg, type SnapshotChunkMsg } from '../common/wire/codec.js';
import { openReport } from '../common/signed-report.js';
import type { AssembledSnapshot, HostFinding, StreamReply } from './fleet-service.js';
import { diffViews } from './rescan-diff.js';
import { grpcStatusFor, grpcStatusObject, protocolStatus } from './grpc-errors.js';
import type { CommandReport } from './patch-service.js';
import { agentIdFromCert } from './pki.js';
import type { FleetRemote } from './worker-client.js';

export const CONNECT_PATH = '/vigil.v1.AgentService/Connect';

// Raw bytes both ways: the codec decodes with limits and field-naming errors, which a grpc-js deserializer could only report as INTERNAL.
const CONNECT_METHOD: grpc.MethodDefinition<Buffer, Buffer> = {
  path: CONNECT_PATH,
  requestStream: true,
  responseStream: true,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

export const CONNECT_SERVICE: grpc.ServiceDefinition = { Connect: CONNECT_METHOD };

export interface StreamLimits extends DecodeLimits {
  /** Components of one assembled snapshot, all chunks together. */
  maxSnapshotComponents: number;
  /** Chunks of one snapshot. */
  maxSnapshotChunks: number;
  /** Sustained messages per second per agent, and the burst above it. */
  messagesPerSecond: number;
  messageBurst: number;
}

export const DEFAULT_STREAM_LIMITS: Readonly<StreamLimits> = Object.freeze({
  ...DEFAULT_DECODE_LIMITS,
  maxSnapshotComponents: 500_000,
  maxSnapshotChunks: 1_000,
  // A busy host sends a delta every few seconds; a resync after a long outage a few
  // dozen chunks at once. Anything faster is a broken or hostile agent.
  messagesPerSecond: 20,
  messageBurst: 200,
});

/** What `hosts rescan` reports: the inventory before and after, and the findings that moved. */
export interface RescanResult {
  hostId: string;
  requestId: string;
  before: { seq: number; digest: string } | null;
  after: { seq: number; digest: string } | null;
  added: Array<{ key: string; version: string }>;
  removed: Array<{ key: string; version: string }>;
  changed: Array<{ key: string; from: string; to: string }>;
  findingsOpened: HostFinding[];
  findingsClosed: HostFinding[];
}

interface Assembly {
  epoch: number;
  seq: number;
  next: number;
  count: number;
  components: Component[];
}

/**
 * The fleet refuses a hello for an unknown host (NOT_FOUND), a revoked host or a
 * replaced certificate (INVALID_INPUT): on the stream each is the refusal of an
 * authenticated certificate, PERMISSION_DENIED.
 */
function refusedHello(err: unknown): unknown {
  return err instanceof VigilError && (err.code === 'NOT_FOUND' || err.code === 'INVALID_INPUT') ? new VigilError('PERMISSION_DENIED', err.message, { cause: err }) : err;
}

/**
 * One agent's stream. Messages are handled strictly in arrival order (a chain of
 * promises), so a delta is never applied before the one it builds on.
 */
class Session {
  hello = false;
  /** What the agent said it does (`rescan`, `snapshot-chunks`); the server asks nothing else of it. */
  capabilities: ReadonlySet<string> = new Set();
  /** The digest every inventory message of this stream carries: v2 when the hello announced `inventory-digest-v2`. */
  digestVersion: DigestVersion = 1;
  agentVersion = '';
  closed = false;
  private chain: Promise<void> = Promise.resolve();
  private assembly: Assembly | undefined;
  private tokens: number;
  private refilled = Date.now();
  readonly opened = Date.now();

  constructor(
    readonly agentId: string,
    readonly certFingerprint: string,
    /** The certificate this stream authenticated with: its key verifies the host's command reports. */
    readonly cert: X509Certificate,
    readonly call: grpc.ServerDuplexStream<Buffer, Buffer>,
    private readonly hub: AgentStreams,
  ) {
    this.tokens = hub.limits.messageBurst;
  }

  send(msg: ServerMsg): void {
    if (!this.closed) this.call.write(Buffer.from(encodeServerMessage(msg)));
  }

  end(st: grpc.StatusObject): void {
    if (this.closed) return;
    this.closed = true;
    this.call.emit('error', st);
  }

  receive(bytes: Buffer): void {
    if (this.closed) return;
    if (!this.takeToken()) {
      this.hub.log.warn({ host: this.agentId }, 'agent exceeded its message rate; closing its stream');
      return this.end(protocolStatus('RESOURCE_EXHAUSTED', `more than ${this.hub.limits.messagesPerSecond} messages per second`));
    }
    let msg: AgentMsg;
    try {
      msg = decodeAgentMessage(bytes, this.hub.limits);
    } catch (err) {
      this.hub.log.warn({ host: this.agentId, err: describeError(err) }, 'malformed agent message');
      return this.end(grpcStatusObject(err));
    }
    this.chain = this.chain
      .then(() => (this.closed ? undefined : this.handle(msg)))
      .catch(async (err: unknown) => {
        this.hub.log.warn({ host: this.agentId, err: describeError(err) }, 'agent stream refused');
        this.end(grpcStatusObject(await this.revokedSince(err)));
      });
  }

  /** Runs `fn` once every message received so far is handled: the host goes offline after its stream's last change. */
  afterLast(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch((err: unknown) => this.hub.log.warn({ host: this.agentId, err: describeError(err) }, 'cannot record the end of an agent stream'));
  }

  /** A message the fleet refused because the host was revoked meanwhile is refused as such. */
  private async revokedSince(err: unknown): Promise<unknown> {
    if (!(err instanceof VigilError) || (err.code !== 'NOT_FOUND' && err.code !== 'INVALID_INPUT')) return err;
    const revoked = await this.hub.fleet.isRevoked(this.agentId).catch(() => false);
    return revoked ? new VigilError('PERMISSION_DENIED', err.message, { cause: err }) : err;
  }

  private takeToken(): boolean {
    const now = Date.now();
    const { messagesPerSecond, messageBurst } = this.hub.limits;
    this.tokens = Math.min(messageBurst, this.tokens + ((now - this.refilled) / 1000) * messagesPerSecond);
    this.refilled = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private async handle(msg: AgentMsg): Promise<void> {
    const fleet = this.hub.fleet;
    if (!this.hello) {
      if (msg.kind !== 'hello') return this.end(grpcStatusFor('CONFLICT', `first message must be hello, got ${msg.kind}`));
      const welcome = await fleet.hello(this.agentId, this.certFingerprint, msg).catch((err: unknown) => {
        throw refusedHello(err);
      });
      this.hello = true;
      this.capabilities = new Set(msg.capabilities);
      this.digestVersion = digestVersionOf(msg.capabilities);
      this.agentVersion = msg.agentVersion;
      this.hub.register(this);
      this.send(welcome);
      // Commands sent while the host was away; the executor's ledger makes a resend harmless.
      for (const d of await fleet.patchOutstanding(this.agentId)) this.send({ kind: 'signed-command', envelope: d.signedCommand });
      return;
    }
    switch (msg.kind) {
      case 'hello':
        return this.end(grpcStatusFor('CONFLICT', 'hello sent twice on one stream'));
      case 'snapshot':
        return this.snapshotChunk(msg);
      case 'delta':
        return this.reply(await fleet.delta(this.agentId, msg, this.digestVersion));
      case 'heartbeat': {
        this.reply(await fleet.heartbeat(this.agentId, msg, this.digestVersion));
        await fleet.touch(this.agentId);
        if (msg.rescanRequestId) this.hub.rescanDone(this.agentId, msg.rescanRequestId);
        return;
      }
      case 'command-result': {
        const report = openReport(msg.signedResult, this.cert.publicKey) as CommandReport;
        if (report.agentId !== this.agentId || (report.commandId !== undefined && report.commandId !== msg.commandId)) {
          return this.end(grpcStatusFor('INVALID_INPUT', 'command report names another host or command'));
        }
        await fleet.patchReport(this.agentId, msg.commandId, report);
        this.hub.emitReport(this.agentId, msg.commandId);
        return;
      }
    }
  }

  private reply(r: StreamReply): void {
    if (r.reply) this.send(r.reply);
    if (r.applied) this.hub.emitInventory(this.agentId, r);
  }

  private async snapshotChunk(c: SnapshotChunkMsg): Promise<void> {
    const lim = this.hub.limits;
    if (c.chunkIndex === 0) this.assembly = { epoch: c.epoch, seq: c.seq, next: 0, count: c.chunkCount, components: [] };
    const a = this.assembly;
    if (!a || c.chunkIndex !== a.next || c.chunkCount !== a.count || c.epoch !== a.epoch || c.seq !== a.seq) {
      this.assembly = undefined;
      return this.end(grpcStatusFor('INVALID_INPUT', `snapshot chunk ${c.chunkIndex}/${c.chunkCount} out of order`));
    }
    if (c.chunkCount > lim.maxSnapshotChunks) return this.end(grpcStatusFor('INVALID_INPUT', `snapshot of ${c.chunkCount} chunks exceeds ${lim.maxSnapshotChunks}`));
    if (a.components.length + c.components.length > lim.maxSnapshotComponents) {
      this.assembly = undefined;
      return this.end(grpcStatusFor('INVALID_INPUT', `snapshot exceeds ${lim.maxSnapshotComponents} components`));
    }
    for (const comp of c.components) a.components.push(comp);
    a.next++;
    if (a.next < a.count) return;
    this.assembly = undefined;
    const snap: AssembledSnapshot = { epoch: a.epoch, seq: a.seq, components: a.components, digest: c.digest! };
    if (c.ports) snap.ports = c.ports;
    if (c.facts) snap.facts = c.facts;
    if (c.os) snap.os = c.os;
    if (c.kernel) snap.kernel = c.kernel;
    if (c.inUse) snap.inUse = c.inUse;
    this.reply(await this.hub.fleet.snapshot(this.agentId, snap, this.digestVersion));
  }
}

/**
 * The agents' Connect streams: authenticates each by its client certificate, keeps
 * one live stream per agent, and lets the API reach an agent (rescan, revoke).
 * Emits `inventory` (agentId, StreamReply) after every applied change.
 */
export class AgentStreams {
  private readonly sessions = new Map<string, Session>();
  private readonly rescans = new Map<string, () => void>();
  readonly log: Logger;
  readonly limits: StreamLimits;
  private readonly listeners = new Set<(agentId: string, r: StreamReply) => void>();

  constructor(
    readonly fleet: FleetRemote,
    private readonly caCertPem: string,
    opts: { limits?: Partial<StreamLimits>; log?: Logger } = {},
  ) {
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...opts.limits };
    this.log = opts.log ?? componentLogger('streams');
  }

  handler(): grpc.handleBidiStreamingCall<Buffer, Buffer> {
    return (call) => {
      let agentId: string;
      let fingerprint: string;
      let cert: X509Certificate | undefined;
      try {
        const raw = call.getAuthContext()?.sslPeerCertificate?.raw;
        cert = raw ? new X509Certificate(raw) : undefined;
        agentId = agentIdFromCert(cert, this.caCertPem);
        fingerprint = createHash('sha256').update(raw!).digest('hex');
      } catch (err) {
        this.log.warn({ peer: call.getPeer(), err: describeError(err) }, 'stream refused: no valid client certificate');
        call.emit('error', grpcStatusFor('UNAUTHENTICATED', describeError(err)));
        return;
      }
      const session = new Session(agentId, fingerprint, cert!, call, this);
      call.on('data', (b: Buffer) => session.receive(b));
      call.on('end', () => {
        session.closed = true;
        call.end();
        this.unregister(session);
      });
      call.on('error', () => this.unregister(session));
      call.on('cancelled', () => {
        session.closed = true;
        this.unregister(session);
      });
    };
  }

  register(s: Session): void {
    const old = this.sessions.get(s.agentId);
    this.sessions.set(s.agentId, s);
    if (old && old !== s) old.end(protocolStatus('ABORTED', 'replaced by a newer stream from the same agent'));
    this.log.info({ host: s.agentId }, 'agent connected');
  }

  private unregister(s: Session): void {
    if (this.sessions.get(s.agentId) === s) {
      this.sessions.delete(s.agentId);
      this.log.info({ host: s.agentId }, 'agent disconnected');
      s.afterLast(() => this.fleet.disconnected(s.agentId));
    }
  }

  connected(): string[] {
    return [...this.sessions.keys()];
  }

  onInventory(fn: (agentId: string, r: StreamReply) => void): void {
    this.listeners.add(fn);
  }

  emitInventory(agentId: string, r: StreamReply): void {
    for (const fn of this.listeners) fn(agentId, r);
  }

  private readonly reportListeners = new Set<(agentId: string, commandId: string) => void>();

  onReport(fn: (agentId: string, commandId: string) => void): void {
    this.reportListeners.add(fn);
  }

  emitReport(agentId: string, commandId: string): void {
    for (const fn of this.reportListeners) fn(agentId, commandId);
  }

  /** Sends a signed command if the agent is connected; false when it is not (it gets it on reconnect). */
  sendCommand(agentId: string, signedCommand: Uint8Array): boolean {
    const s = this.sessions.get(agentId);
    if (!s || s.closed) return false;
    s.send({ kind: 'signed-command', envelope: signedCommand });
    return true;
  }

  /** Ends an agent's stream at once, not at its next message: PERMISSION_DENIED for a revoked or replaced certificate. */
  disconnect(agentId: string, reason: string, code: ErrorCode = 'PERMISSION_DENIED'): void {
    this.sessions.get(agentId)?.end(grpcStatusFor(code, reason));
  }

  rescanDone(agentId: string, requestId: string): void {
    const key = `${agentId}\0${requestId}`;
    this.rescans.get(key)?.();
    this.rescans.delete(key);
  }

  /** Asks the agent for a full rescan and waits for the inventory it produces; `steps` hears the request sent and the answer received (the inventory before it applied and matched). */
  async rescan(agentId: string, timeoutMs: number, steps: { requested?(requestId: string): void; received?(requestId: string): void } = {}): Promise<RescanResult> {
    const session = this.sessions.get(agentId);
    if (!session) throw new VigilError('NOT_FOUND', `host ${agentId} has no agent connected`);
    // An agent that did not say it rescans on request would never answer: refuse now instead of timing out.
    if (!session.capabilities.has(AGENT_CAPABILITIES.rescan)) {
      throw new VigilError('CONFLICT', `host ${agentId}'s agent (version ${session.agentVersion || 'unknown'}) does not rescan on request; upgrade it or wait for its scheduled scan`);
    }
    const requestId = randomUUID();
    const startedAt = new Date().toISOString();
    const before = await this.fleet.inventoryView(agentId);
    const key = `${agentId}\0${requestId}`;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.rescans.delete(key);
        reject(new VigilError('UNAVAILABLE', `host ${agentId} did not finish the rescan within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.rescans.set(key, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    session.send({ kind: 'rescan', requestId });
    steps.requested?.(requestId);
    await done;
    steps.received?.(requestId);
    const after = await this.fleet.inventoryView(agentId);
    const all = await this.fleet.findings({ hostId: agentId });
    return {
      hostId: agentId,
      requestId,
      before: before ? { seq: before.seq, digest: before.digest } : null,
      after: after ? { seq: after.seq, digest: after.digest } : null,
      ...diffViews(before, after),
      findingsOpened: all.filter((f) => f.status !== 'CLOSED' && f.firstSeen >= startedAt),
      findingsClosed: all.filter((f) => f.status === 'CLOSED' && (f.closedAt ?? '') >= startedAt),
    };
  }
}
