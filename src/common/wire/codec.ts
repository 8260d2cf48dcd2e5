/**
 * The one place where Vigil's model meets the generated protobuf code (with
 * model-codec.ts, the inventory model's messages, and checks.ts). Encoding is
 * deterministic (fields in a fixed order, map keys sorted) so equal messages give
 * equal bytes; decoding treats every byte as hostile: sizes, counts, string lengths,
 * required fields and enum values are checked, and every failure is one
 * VigilError('INVALID_INPUT') naming the field.
 */
import { componentKey } from '../identity.js';
import { vigil } from './generated/agent.js';
import {
  type AgentMsg,
  type DecodeLimits,
  type DeltaMsg,
  type EnrollRequest,
  type EnrollResponse,
  type HeartbeatMsg,
  type ServerMsg,
  type SnapshotChunkMsg,
} from './messages.js';

import { invalid, Reader, limitsOf, oneKind, parse, u64In, digestIn } from './checks.js';
import { RESYNC_REASONS, RESYNC_REASON_OF, componentOut, componentIn, tailIn, tailOut } from './model-codec.js';

export * from './messages.js';

const pb = vigil.v1;

/** Identity of a component (purl + locations): the same rule as the scan's de-duplication. */
export { componentKey };

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
  }
  return pb.ServerMessage.encode(m).finish();
}

const SERVER_KINDS = ['welcome', 'ack', 'resync', 'rescan', 'command'] as const;

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
