/**
 * Vigil-side shapes of the agent ↔ server messages (proto/vigil/v1/agent.proto).
 * The agent and the server speak these types; only codec.ts sees the generated ones,
 * so a proto change is absorbed in one place.
 */
import type { InventoryDelta } from '../delta.js';
import type { DigestVersion } from '../inventory-lthash.js';
import type { Component, HostFacts, KernelInfo, ListeningPort, OsInfo } from '../model.js';

/** SHA-256 as 64 lowercase hex characters (32 raw bytes on the wire). */
export type Digest = string;

export interface EnrollRequest {
  enrollmentToken: string;
  /** A PKCS#10 CSR or a bare public key, PEM. */
  publicKeyPem: string;
  hostname: string;
  /** The agent's machine identity (agent/machine-id.ts); absent from agents that send none. */
  machineId?: string;
}

export interface EnrollResponse {
  agentId: string;
  clientCertificatePem: string;
  caCertificatePem: string;
}

/**
 * The capability of an agent whose every digest (snapshot, delta, heartbeat, patch
 * report) is v2, the LtHash of common/inventory-lthash.ts; without it, v1.
 */
export const INVENTORY_DIGEST_V2 = 'inventory-digest-v2';

/**
 * What an agent says it does, in its hello. The server sends a rescan request only to
 * an agent with `rescan`; `snapshot-chunks` says the agent splits large snapshots
 * (the server accepts one chunk or many either way); `inventory-digest-v2` that its
 * digests are v2 (above).
 */
export const AGENT_CAPABILITIES = { snapshotChunks: 'snapshot-chunks', rescan: 'rescan', inventoryDigestV2: INVENTORY_DIGEST_V2 } as const;

/** The digest version a hello's capabilities announce. */
export function digestVersionOf(capabilities: Iterable<string>): DigestVersion {
  for (const c of capabilities) if (c === INVENTORY_DIGEST_V2) return 2;
  return 1;
}

export interface HelloMsg {
  kind: 'hello';
  agentVersion: string;
  agentEpoch: number;
  lastAckedSeq: number;
  capabilities: string[];
  /** `key=value` tags from the agent config; absent in a hello from an agent that sends none. */
  tags?: string[];
}

/** One piece of a full inventory; the tail fields are set on the last chunk only. */
export interface SnapshotChunkMsg {
  kind: 'snapshot';
  epoch: number;
  seq: number;
  chunkIndex: number;
  chunkCount: number;
  components: Component[];
  digest?: Digest;
  ports?: ListeningPort[];
  facts?: HostFacts;
  os?: OsInfo;
  kernel?: KernelInfo;
  /** Component keys of the components in use (see InventoryDelta.inUse). */
  inUse?: string[];
}

/** The wire's delta is the inventory delta itself: an absent `ports`, `facts`, `os`, `kernel` or `inUse` means unchanged; `ports: []` means none listen. */
export interface DeltaMsg extends InventoryDelta {
  kind: 'delta';
  digestAfter: Digest;
}

export interface HeartbeatMsg {
  kind: 'heartbeat';
  seq: number;
  digest: Digest;
  /** Set on the heartbeat that closes a server-requested rescan. */
  rescanRequestId?: string;
}

export interface CommandResultMsg {
  kind: 'command-result';
  commandId: string;
  /** Signed by the agent's key over these exact bytes. */
  signedResult: Uint8Array;
}

export type AgentMsg = HelloMsg | SnapshotChunkMsg | DeltaMsg | HeartbeatMsg | CommandResultMsg;

export interface WelcomeMsg {
  kind: 'welcome';
  seq: number;
  epoch: number;
  snapshotNeeded: boolean;
}

export interface AckMsg {
  kind: 'ack';
  seq: number;
}

export type ResyncReason = 'seq-gap' | 'digest-mismatch' | 'epoch-changed' | 'server-state-lost';

export interface ResyncRequestMsg {
  kind: 'resync';
  reason: ResyncReason;
  /** For logs only. */
  detail?: string;
}

export interface RescanRequestMsg {
  kind: 'rescan';
  requestId: string;
}

export interface SignedCommandMsg {
  kind: 'signed-command';
  envelope: Uint8Array;
}

export type ServerMsg = WelcomeMsg | AckMsg | ResyncRequestMsg | RescanRequestMsg | SignedCommandMsg;

/**
 * Bounds applied while decoding, so a peer (or an attacker holding a stolen
 * certificate) cannot make the other side allocate without limit. Defaults are
 * generous for real hosts: the largest fixture image holds a few thousand packages,
 * and snapshots are chunked anyway.
 */
export interface DecodeLimits {
  /** Encoded size of one message. */
  maxMessageBytes: number;
  /** Components in one delta or snapshot chunk; also removed keys in one delta. */
  maxComponents: number;
  /** Listening ports in one message. */
  maxPorts: number;
  /** Items of any other list or map (locations, licenses, metadata, addresses...). */
  maxListItems: number;
  /** Characters of any string except the config JSON, which only the message size bounds. */
  maxStringLength: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxMessageBytes: 4 * 1024 * 1024,
  maxComponents: 10_000,
  maxPorts: 16_384,
  maxListItems: 4_096,
  maxStringLength: 16_384,
});
