/**
 * The one place where Vigil's model meets the generated protobuf code. Encoding is
 * deterministic (fields in a fixed order, map keys sorted) so equal messages give
 * equal bytes; decoding treats every byte as hostile: sizes, counts, string lengths,
 * required fields and enum values are checked, and every failure is one
 * VigilError('INVALID_INPUT') naming the field.
 */
import { componentKey } from '../identity.js';
import { VigilError } from '../errors.js';
import type { Component, Ecosystem, Exposure, HostFacts, KernelInfo, ListeningPort, OsInfo } from '../model.js';
import { vigil } from './generated/agent.js';
import {
  DEFAULT_DECODE_LIMITS,
  type AgentMsg,
  type DecodeLimits,
  type DeltaMsg,
  type EnrollRequest,
  type EnrollResponse,
  type HeartbeatMsg,
  type ResyncReason,
  type ServerMsg,
  type SnapshotChunkMsg,
} from './messages.js';

export * from './messages.js';

const pb = vigil.v1;

/** Identity of a component (purl + locations): the same rule as the scan's de-duplication. */
export { componentKey };

// ---------------------------------------------------------------- enums

const ECOSYSTEMS: Record<Ecosystem, number> = {
  deb: pb.Ecosystem.ECOSYSTEM_DEB,
  rpm: pb.Ecosystem.ECOSYSTEM_RPM,
  apk: pb.Ecosystem.ECOSYSTEM_APK,
  npm: pb.Ecosystem.ECOSYSTEM_NPM,
  pypi: pb.Ecosystem.ECOSYSTEM_PYPI,
  maven: pb.Ecosystem.ECOSYSTEM_MAVEN,
  golang: pb.Ecosystem.ECOSYSTEM_GOLANG,
  cargo: pb.Ecosystem.ECOSYSTEM_CARGO,
  gem: pb.Ecosystem.ECOSYSTEM_GEM,
  nuget: pb.Ecosystem.ECOSYSTEM_NUGET,
  composer: pb.Ecosystem.ECOSYSTEM_COMPOSER,
  generic: pb.Ecosystem.ECOSYSTEM_GENERIC,
};
const PROTOCOLS: Record<ListeningPort['protocol'], number> = {
  tcp: pb.Protocol.PROTOCOL_TCP,
  tcp6: pb.Protocol.PROTOCOL_TCP6,
  udp: pb.Protocol.PROTOCOL_UDP,
  udp6: pb.Protocol.PROTOCOL_UDP6,
};
const EXPOSURES: Record<Exposure, number> = {
  loopback: pb.Exposure.EXPOSURE_LOOPBACK,
  private: pb.Exposure.EXPOSURE_PRIVATE,
  any: pb.Exposure.EXPOSURE_ANY,
};
const RESYNC_REASONS: Record<ResyncReason, number> = {
  'seq-gap': pb.ResyncReason.RESYNC_REASON_SEQ_GAP,
  'digest-mismatch': pb.ResyncReason.RESYNC_REASON_DIGEST_MISMATCH,
  'epoch-changed': pb.ResyncReason.RESYNC_REASON_EPOCH_CHANGED,
  'server-state-lost': pb.ResyncReason.RESYNC_REASON_SERVER_STATE_LOST,
};

function reverse<T extends string>(table: Record<T, number>): Map<number, T> {
  return new Map(Object.entries(table).map(([k, v]) => [v as number, k as T]));
}
const ECOSYSTEM_OF = reverse(ECOSYSTEMS);
const PROTOCOL_OF = reverse(PROTOCOLS);
const EXPOSURE_OF = reverse(EXPOSURES);
const RESYNC_REASON_OF = reverse(RESYNC_REASONS);

// ---------------------------------------------------------------- shared checks

function invalid(field: string, what: string): never {
  throw new VigilError('INVALID_INPUT', `wire: ${field}: ${what}`);
}

/** A uint64 as protobufjs hands it over: a number, or a Long when it does not fit 32 bits. */
type U64 = number | { toString(): string };

class Reader {
  constructor(readonly lim: DecodeLimits) {}

  str(v: string | null | undefined, field: string, required = false): string {
    const s = v ?? '';
    if (s.length > this.lim.maxStringLength) invalid(field, `string of ${s.length} characters exceeds the limit of ${this.lim.maxStringLength}`);
    if (required && s === '') invalid(field, 'required but empty');
    return s;
  }

  /** proto3 `optional`: null means absent, an empty string is a value. */
  optStr(v: string | null | undefined, field: string): string | undefined {
    return v === null || v === undefined ? undefined : this.str(v, field);
  }

  strings(v: string[] | null | undefined, field: string, max = this.lim.maxListItems): string[] {
    const list = v ?? [];
    if (list.length > max) invalid(field, `${list.length} items exceed the limit of ${max}`);
    return list.map((s, i) => this.str(s, `${field}[${i}]`));
  }

  count<T>(v: T[] | null | undefined, field: string, max: number): T[] {
    const list = v ?? [];
    if (list.length > max) invalid(field, `${list.length} items exceed the limit of ${max}`);
    return list;
  }

  u64(v: U64 | null | undefined, field: string): number {
    if (v === null || v === undefined) return 0;
    if (typeof v === 'number') return v;
    const big = BigInt(v.toString());
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) invalid(field, `${big} is larger than ${Number.MAX_SAFE_INTEGER}`);
    return Number(big);
  }

  enumOf<T>(v: number | null | undefined, table: Map<number, T>, field: string): T {
    const out = table.get(v ?? 0);
    if (out === undefined) invalid(field, v ? `unknown enum value ${v}` : 'required but unspecified');
    return out;
  }

  digest(v: Uint8Array | null | undefined, field: string): string {
    if (!v || v.length !== 32) invalid(field, `expected a 32-byte SHA-256, got ${v?.length ?? 0} bytes`);
    return Buffer.from(v).toString('hex');
  }

  /** A copy, so a decoded message does not pin the whole receive buffer in memory. */
  bytes(v: Uint8Array | null | undefined, field: string): Uint8Array {
    if (!v || v.length === 0) invalid(field, 'required but empty');
    return new Uint8Array(v);
  }
}

function limitsOf(partial: Partial<DecodeLimits> | undefined): DecodeLimits {
  return { ...DEFAULT_DECODE_LIMITS, ...partial };
}

/** The oneof member that is set; protobufjs keeps every member it read, so several is possible. */
function oneKind<K extends string>(m: object, kinds: readonly K[], field: string): K {
  const set = kinds.filter((k) => (m as Record<string, unknown>)[k] != null);
  if (set.length === 0) invalid(field, 'no known message kind set (missing or unknown oneof field)');
  if (set.length > 1) invalid(field, `several message kinds set (${set.join(', ')})`);
  return set[0]!;
}

function parse<T>(bytes: Uint8Array, lim: DecodeLimits, field: string, decode: (b: Uint8Array) => T): T {
  if (!(bytes instanceof Uint8Array)) invalid(field, 'not a byte array');
  if (bytes.length > lim.maxMessageBytes) invalid(field, `message of ${bytes.length} bytes exceeds the limit of ${lim.maxMessageBytes}`);
  try {
    return decode(bytes);
  } catch (err) {
    // protobufjs throws RangeError/Error on truncation and bad wire types; hostile
    // nesting can even exhaust the stack. All of it is bad input, not a crash.
    throw new VigilError('INVALID_INPUT', `wire: ${field}: not a valid protobuf encoding (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

// ---------------------------------------------------------------- encode helpers

function u64In(n: number, field: string): number {
  if (!Number.isSafeInteger(n) || n < 0) invalid(field, `${n} is not a non-negative safe integer`);
  return n;
}

function digestIn(hex: string, field: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) invalid(field, 'expected 64 lowercase hex characters (SHA-256)');
  return Buffer.from(hex, 'hex');
}

// ---------------------------------------------------------------- inventory model

type MetaValue = NonNullable<Component['metadata']>[string];

function componentOut(c: Component): vigil.v1.IComponent {
  const m: vigil.v1.IComponent = {
    ecosystem: ECOSYSTEMS[c.ecosystem],
    name: c.name,
    version: c.version,
    purl: c.purl,
    locations: c.locations,
    foundBy: c.foundBy,
  };
  if (c.namespace !== undefined) m.namespace = c.namespace;
  if (c.arch !== undefined) m.arch = c.arch;
  if (c.epoch !== undefined) m.epoch = c.epoch;
  if (c.release !== undefined) m.release = c.release;
  if (c.source) {
    m.sourceName = c.source.name;
    if (c.source.version !== undefined) m.sourceVersion = c.source.version;
  }
  if (c.licenses?.length) m.licenses = c.licenses;
  if (c.metadata) {
    const meta: Record<string, string> = {};
    for (const k of Object.keys(c.metadata).sort()) {
      const v = c.metadata[k];
      if (v !== undefined) meta[k] = JSON.stringify(v);
    }
    m.metadata = meta;
  }
  if (c.inUse !== undefined) m.inUse = c.inUse;
  return m;
}

function metaValue(r: Reader, json: string, field: string): MetaValue {
  let v: unknown;
  try {
    v = JSON.parse(r.str(json, field));
  } catch (err) {
    if (err instanceof VigilError) throw err;
    invalid(field, 'value is not valid JSON');
  }
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return invalid(field, 'value must be a JSON string, number, boolean, null or list of strings');
}

function componentIn(r: Reader, m: vigil.v1.IComponent, f: string): Component {
  const c: Component = {
    ecosystem: r.enumOf(m.ecosystem, ECOSYSTEM_OF, `${f}.ecosystem`),
    name: r.str(m.name, `${f}.name`, true),
    version: r.str(m.version, `${f}.version`),
    purl: r.str(m.purl, `${f}.purl`, true),
    locations: r.strings(m.locations, `${f}.locations`),
    foundBy: r.str(m.foundBy, `${f}.found_by`, true),
  };
  const namespace = r.optStr(m.namespace, `${f}.namespace`);
  if (namespace !== undefined) c.namespace = namespace;
  const arch = r.optStr(m.arch, `${f}.arch`);
  if (arch !== undefined) c.arch = arch;
  if (m.epoch != null) c.epoch = m.epoch;
  const release = r.optStr(m.release, `${f}.release`);
  if (release !== undefined) c.release = release;
  const sourceName = r.optStr(m.sourceName, `${f}.source_name`);
  const sourceVersion = r.optStr(m.sourceVersion, `${f}.source_version`);
  if (sourceName !== undefined) c.source = sourceVersion !== undefined ? { name: sourceName, version: sourceVersion } : { name: sourceName };
  else if (sourceVersion !== undefined) invalid(`${f}.source_version`, 'set without source_name');
  const licenses = r.strings(m.licenses, `${f}.licenses`);
  if (licenses.length) c.licenses = licenses;
  if (m.metadata) {
    const keys = Object.keys(m.metadata);
    if (keys.length > r.lim.maxListItems) invalid(`${f}.metadata`, `${keys.length} entries exceed the limit of ${r.lim.maxListItems}`);
    if (keys.length) {
      c.metadata = Object.fromEntries(
        keys.map((k) => [r.str(k, `${f}.metadata key`), metaValue(r, m.metadata![k]!, `${f}.metadata[${JSON.stringify(k.slice(0, 64))}]`)]),
      );
    }
  }
  if (m.inUse != null) c.inUse = m.inUse;
  return c;
}

function portOut(p: ListeningPort): vigil.v1.IListeningPort {
  const m: vigil.v1.IListeningPort = {
    protocol: PROTOCOLS[p.protocol],
    address: p.address,
    port: p.port,
    exposure: EXPOSURES[p.exposure],
    inode: u64In(p.inode, 'port.inode'),
  };
  if (p.pid !== undefined) m.pid = p.pid;
  if (p.process !== undefined) m.process = p.process;
  if (p.executable !== undefined) m.executable = p.executable;
  if (p.package !== undefined) m.package = p.package;
  return m;
}

function portIn(r: Reader, m: vigil.v1.IListeningPort, f: string): ListeningPort {
  const port = m.port ?? 0;
  if (port > 65535) invalid(`${f}.port`, `${port} is not a port number`);
  const p: ListeningPort = {
    protocol: r.enumOf(m.protocol, PROTOCOL_OF, `${f}.protocol`),
    address: r.str(m.address, `${f}.address`, true),
    port,
    exposure: r.enumOf(m.exposure, EXPOSURE_OF, `${f}.exposure`),
    inode: r.u64(m.inode, `${f}.inode`),
  };
  if (m.pid != null) p.pid = m.pid;
  const process = r.optStr(m.process, `${f}.process`);
  if (process !== undefined) p.process = process;
  const executable = r.optStr(m.executable, `${f}.executable`);
  if (executable !== undefined) p.executable = executable;
  const pkg = r.optStr(m.package, `${f}.package`);
  if (pkg !== undefined) p.package = pkg;
  return p;
}

function portsIn(r: Reader, m: vigil.v1.IPortSet | null | undefined, f: string): ListeningPort[] | undefined {
  if (!m) return undefined;
  return r.count(m.ports, `${f}.ports`, r.lim.maxPorts).map((p, i) => portIn(r, p, `${f}.ports[${i}]`));
}

function factsOut(h: HostFacts): vigil.v1.IHostFacts {
  const m: vigil.v1.IHostFacts = { hostname: h.hostname, os: h.os, arch: h.arch, addresses: h.addresses };
  if (h.kernel !== undefined) m.kernel = h.kernel;
  return m;
}

function factsIn(r: Reader, m: vigil.v1.IHostFacts | null | undefined, f: string): HostFacts | undefined {
  if (!m) return undefined;
  const h: HostFacts = {
    hostname: r.str(m.hostname, `${f}.hostname`, true),
    os: r.str(m.os, `${f}.os`),
    arch: r.str(m.arch, `${f}.arch`),
    addresses: r.strings(m.addresses, `${f}.addresses`),
  };
  const kernel = r.optStr(m.kernel, `${f}.kernel`);
  if (kernel !== undefined) h.kernel = kernel;
  return h;
}

function osOut(o: OsInfo): vigil.v1.IOsInfo {
  const m: vigil.v1.IOsInfo = { id: o.id, distro: o.distro };
  if (o.versionId !== undefined) m.versionId = o.versionId;
  if (o.versionCodename !== undefined) m.versionCodename = o.versionCodename;
  if (o.prettyName !== undefined) m.prettyName = o.prettyName;
  if (o.name !== undefined) m.name = o.name;
  if (o.idLike?.length) m.idLike = o.idLike;
  return m;
}

function osIn(r: Reader, m: vigil.v1.IOsInfo | null | undefined, f: string): OsInfo | undefined {
  if (!m) return undefined;
  const o: OsInfo = { id: r.str(m.id, `${f}.id`, true), distro: r.str(m.distro, `${f}.distro`, true) };
  const versionId = r.optStr(m.versionId, `${f}.version_id`);
  if (versionId !== undefined) o.versionId = versionId;
  const codename = r.optStr(m.versionCodename, `${f}.version_codename`);
  if (codename !== undefined) o.versionCodename = codename;
  const pretty = r.optStr(m.prettyName, `${f}.pretty_name`);
  if (pretty !== undefined) o.prettyName = pretty;
  const name = r.optStr(m.name, `${f}.name`);
  if (name !== undefined) o.name = name;
  const idLike = r.strings(m.idLike, `${f}.id_like`);
  if (idLike.length) o.idLike = idLike;
  return o;
}

function kernelOut(k: KernelInfo): vigil.v1.IKernelInfo {
  const m: vigil.v1.IKernelInfo = { installed: k.installed };
  if (k.running !== undefined) m.running = k.running;
  if (k.runningPackage !== undefined) m.runningPackage = k.runningPackage;
  return m;
}

function kernelIn(r: Reader, m: vigil.v1.IKernelInfo | null | undefined, f: string): KernelInfo | undefined {
  if (!m) return undefined;
  const k: KernelInfo = { installed: r.strings(m.installed, `${f}.installed`) };
  const running = r.optStr(m.running, `${f}.running`);
  if (running !== undefined) k.running = running;
  const runningPackage = r.optStr(m.runningPackage, `${f}.running_package`);
  if (runningPackage !== undefined) k.runningPackage = runningPackage;
  return k;
}

/** Copies the optional inventory parts shared by snapshots and deltas. */
function tailIn(r: Reader, m: vigil.v1.ISnapshotChunk | vigil.v1.IDelta, f: string, into: SnapshotChunkMsg | DeltaMsg): void {
  const ports = portsIn(r, m.ports, f);
  if (ports) into.ports = ports;
  const facts = factsIn(r, m.facts, `${f}.facts`);
  if (facts) into.facts = facts;
  const os = osIn(r, m.os, `${f}.os`);
  if (os) into.os = os;
  const kernel = kernelIn(r, m.kernel, `${f}.kernel`);
  if (kernel) into.kernel = kernel;
}

function tailOut(msg: SnapshotChunkMsg | DeltaMsg, m: vigil.v1.ISnapshotChunk | vigil.v1.IDelta): void {
  if (msg.ports) m.ports = { ports: msg.ports.map(portOut) };
  if (msg.facts) m.facts = factsOut(msg.facts);
  if (msg.os) m.os = osOut(msg.os);
  if (msg.kernel) m.kernel = kernelOut(msg.kernel);
}

// ---------------------------------------------------------------- agent → server

export function encodeAgentMessage(msg: AgentMsg): Uint8Array {
  const m: vigil.v1.IAgentMessage = {};
  switch (msg.kind) {
    case 'hello':
      m.hello = {
        agentVersion: msg.agentVersion,
        agentEpoch: u64In(msg.agentEpoch, 'hello.agent_epoch'),
        lastAckedSeq: u64In(msg.lastAckedSeq, 'hello.last_acked_seq'),
        capabilities: msg.capabilities,
        tags: msg.tags ?? [],
      };
      break;
    case 'snapshot': {
      const s: vigil.v1.ISnapshotChunk = {
        epoch: u64In(msg.epoch, 'snapshot.epoch'),
        seq: u64In(msg.seq, 'snapshot.seq'),
        chunkIndex: msg.chunkIndex,
        chunkCount: msg.chunkCount,
        components: msg.components.map(componentOut),
      };
      if (msg.digest !== undefined) s.digest = digestIn(msg.digest, 'snapshot.digest');
      tailOut(msg, s);
      m.snapshot = s;
      break;
    }
    case 'delta': {
      const d: vigil.v1.IDelta = {
        epoch: u64In(msg.epoch, 'delta.epoch'),
        baseSeq: u64In(msg.baseSeq, 'delta.base_seq'),
        seq: u64In(msg.seq, 'delta.seq'),
        added: msg.added.map(componentOut),
        removedKeys: msg.removed,
        digestAfter: digestIn(msg.digestAfter, 'delta.digest_after'),
      };
      tailOut(msg, d);
      m.delta = d;
      break;
    }
    case 'heartbeat':
      m.heartbeat = { seq: u64In(msg.seq, 'heartbeat.seq'), digest: digestIn(msg.digest, 'heartbeat.digest'), rescanRequestId: msg.rescanRequestId ?? '' };
      break;
    case 'command-result':
      m.commandResult = { commandId: msg.commandId, signedResult: msg.signedResult };
      break;
  }
  return pb.AgentMessage.encode(m).finish();
}

const AGENT_KINDS = ['hello', 'snapshot', 'delta', 'heartbeat', 'commandResult'] as const;

export function decodeAgentMessage(bytes: Uint8Array, limits?: Partial<DecodeLimits>): AgentMsg {
  const r = new Reader(limitsOf(limits));
  const m = parse(bytes, r.lim, 'agent message', (b) => pb.AgentMessage.decode(b));
  switch (oneKind(m, AGENT_KINDS, 'agent message')) {
    case 'hello': {
      const h = m.hello!;
      return {
        kind: 'hello',
        agentVersion: r.str(h.agentVersion, 'hello.agent_version', true),
        agentEpoch: r.u64(h.agentEpoch, 'hello.agent_epoch'),
        lastAckedSeq: r.u64(h.lastAckedSeq, 'hello.last_acked_seq'),
        capabilities: r.strings(h.capabilities, 'hello.capabilities'),
        tags: r.strings(h.tags, 'hello.tags'),
      };
    }
    case 'snapshot': {
      const s = m.snapshot!;
      const chunkIndex = s.chunkIndex ?? 0;
      const chunkCount = s.chunkCount ?? 0;
      if (chunkCount < 1) invalid('snapshot.chunk_count', 'must be at least 1');
      if (chunkIndex >= chunkCount) invalid('snapshot.chunk_index', `${chunkIndex} is not below chunk_count ${chunkCount}`);
      const last = chunkIndex === chunkCount - 1;
      const out: SnapshotChunkMsg = {
        kind: 'snapshot',
        epoch: r.u64(s.epoch, 'snapshot.epoch'),
        seq: r.u64(s.seq, 'snapshot.seq'),
        chunkIndex,
        chunkCount,
        components: r.count(s.components, 'snapshot.components', r.lim.maxComponents).map((c, i) => componentIn(r, c, `snapshot.components[${i}]`)),
      };
      if (last) out.digest = r.digest(s.digest, 'snapshot.digest');
      else if (s.digest?.length || s.ports || s.facts || s.os || s.kernel) {
        invalid('snapshot', 'digest, ports, facts, os and kernel belong on the last chunk only');
      }
      tailIn(r, s, 'snapshot', out);
      return out;
    }
    case 'delta': {
      const d = m.delta!;
      const out: DeltaMsg = {
        kind: 'delta',
        epoch: r.u64(d.epoch, 'delta.epoch'),
        baseSeq: r.u64(d.baseSeq, 'delta.base_seq'),
        seq: r.u64(d.seq, 'delta.seq'),
        added: r.count(d.added, 'delta.added', r.lim.maxComponents).map((c, i) => componentIn(r, c, `delta.added[${i}]`)),
        removed: r.strings(d.removedKeys, 'delta.removed_keys', r.lim.maxComponents),
        digestAfter: r.digest(d.digestAfter, 'delta.digest_after'),
      };
      if (out.seq <= out.baseSeq) invalid('delta.seq', `${out.seq} is not after base_seq ${out.baseSeq}`);
      tailIn(r, d, 'delta', out);
      return out;
    }
    case 'heartbeat': {
      const h = m.heartbeat!;
      const out: HeartbeatMsg = { kind: 'heartbeat', seq: r.u64(h.seq, 'heartbeat.seq'), digest: r.digest(h.digest, 'heartbeat.digest') };
      const rescan = r.str(h.rescanRequestId, 'heartbeat.rescan_request_id');
      if (rescan) out.rescanRequestId = rescan;
      return out;
    }
    case 'commandResult': {
      const c = m.commandResult!;
      return {
        kind: 'command-result',
        commandId: r.str(c.commandId, 'command_result.command_id', true),
        signedResult: r.bytes(c.signedResult, 'command_result.signed_result'),
      };
    }
  }
}

// ---------------------------------------------------------------- server → agent

export function encodeServerMessage(msg: ServerMsg): Uint8Array {
  const m: vigil.v1.IServerMessage = {};
  switch (msg.kind) {
    case 'welcome':
      m.welcome = { seq: u64In(msg.seq, 'welcome.seq'), epoch: u64In(msg.epoch, 'welcome.epoch'), snapshotNeeded: msg.snapshotNeeded };
      break;
    case 'ack':
      m.ack = { seq: u64In(msg.seq, 'ack.seq') };
      break;
    case 'resync':
      m.resync = msg.detail !== undefined ? { reason: RESYNC_REASONS[msg.reason], detail: msg.detail } : { reason: RESYNC_REASONS[msg.reason] };
      break;
    case 'rescan':
      m.rescan = { requestId: msg.requestId };
      break;
    case 'signed-command':
      m.command = { envelope: msg.envelope };
      break;
    case 'config-update':
      m.config = { configJson: msg.configJson };
      break;
  }
  return pb.ServerMessage.encode(m).finish();
}

const SERVER_KINDS = ['welcome', 'ack', 'resync', 'rescan', 'command', 'config'] as const;

export function decodeServerMessage(bytes: Uint8Array, limits?: Partial<DecodeLimits>): ServerMsg {
  const r = new Reader(limitsOf(limits));
  const m = parse(bytes, r.lim, 'server message', (b) => pb.ServerMessage.decode(b));
  switch (oneKind(m, SERVER_KINDS, 'server message')) {
    case 'welcome': {
      const w = m.welcome!;
      return { kind: 'welcome', seq: r.u64(w.seq, 'welcome.seq'), epoch: r.u64(w.epoch, 'welcome.epoch'), snapshotNeeded: w.snapshotNeeded === true };
    }
    case 'ack':
      return { kind: 'ack', seq: r.u64(m.ack!.seq, 'ack.seq') };
    case 'resync': {
      const q = m.resync!;
      const detail = r.str(q.detail, 'resync.detail');
      const reason = r.enumOf(q.reason, RESYNC_REASON_OF, 'resync.reason');
      return detail ? { kind: 'resync', reason, detail } : { kind: 'resync', reason };
    }
    case 'rescan':
      return { kind: 'rescan', requestId: r.str(m.rescan!.requestId, 'rescan.request_id', true) };
    case 'command':
      return { kind: 'signed-command', envelope: r.bytes(m.command!.envelope, 'command.envelope') };
    case 'config': {
      const configJson = m.config!.configJson ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(configJson);
      } catch {
        invalid('config.config_json', 'not valid JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) invalid('config.config_json', 'must be a JSON object');
      return { kind: 'config-update', configJson };
    }
  }
}

// ---------------------------------------------------------------- enrollment

/** A machine id on the wire: what agent/machine-id.ts derives. */
const MACHINE_ID = /^[0-9a-f]{32}$/;

export function encodeEnrollRequest(req: EnrollRequest): Uint8Array {
  return pb.EnrollRequest.encode({ enrollmentToken: req.enrollmentToken, publicKeyPem: req.publicKeyPem, hostname: req.hostname, machineId: req.machineId ?? '' }).finish();
}

export function decodeEnrollRequest(bytes: Uint8Array, limits?: Partial<DecodeLimits>): EnrollRequest {
  const r = new Reader(limitsOf(limits));
  const m = parse(bytes, r.lim, 'enroll request', (b) => pb.EnrollRequest.decode(b));
  const req: EnrollRequest = {
    enrollmentToken: r.str(m.enrollmentToken, 'enroll_request.enrollment_token', true),
    publicKeyPem: r.str(m.publicKeyPem, 'enroll_request.public_key_pem', true),
    hostname: r.str(m.hostname, 'enroll_request.hostname', true),
  };
  const machineId = r.str(m.machineId, 'enroll_request.machine_id');
  if (machineId !== '') {
    if (!MACHINE_ID.test(machineId)) invalid('enroll_request.machine_id', 'must be 32 lowercase hex digits');
    req.machineId = machineId;
  }
  return req;
}

export function encodeEnrollResponse(res: EnrollResponse): Uint8Array {
  return pb.EnrollResponse.encode({
    agentId: res.agentId,
    clientCertificatePem: res.clientCertificatePem,
    caCertificatePem: res.caCertificatePem,
  }).finish();
}

export function decodeEnrollResponse(bytes: Uint8Array, limits?: Partial<DecodeLimits>): EnrollResponse {
  const r = new Reader(limitsOf(limits));
  const m = parse(bytes, r.lim, 'enroll response', (b) => pb.EnrollResponse.decode(b));
  return {
    agentId: r.str(m.agentId, 'enroll_response.agent_id', true),
    clientCertificatePem: r.str(m.clientCertificatePem, 'enroll_response.client_certificate_pem', true),
    caCertificatePem: r.str(m.caCertificatePem, 'enroll_response.ca_certificate_pem', true),
  };
}
