import type { InventoryDelta } from '../common/delta.js';
import type { DigestVersion } from '../common/inventory-lthash.js';
import { componentKey } from '../common/identity.js';
import type { Severity } from '../advisories/model.js';
import type { Component, Ecosystem, HostFacts, KernelInfo, ListeningPort, OsInfo } from '../common/model.js';
import type { CloseReason, FindingStatus } from '../common/lifecycle/finding.js';
import type { HostState } from '../common/lifecycle/host.js';

export type { CloseReason, FindingStatus } from '../common/lifecycle/finding.js';
export type { HostState } from '../common/lifecycle/host.js';

/**
 * The server's fleet state: enrolled hosts, the inventory each one last reported,
 * and the findings matched against it. SQLite backs it by default; a PostgreSQL
 * backend implements the same interface for several server replicas, so nothing
 * here may lean on one engine's semantics. The store never reads a clock: every
 * timestamp is an ISO string the caller passes in, which keeps replicas consistent
 * and tests deterministic.
 */

/** What the host reported about itself: enough to rebuild the Inventory the matcher needs. */
export interface HostFactsDoc {
  host?: HostFacts;
  os?: OsInfo;
  kernel?: KernelInfo;
  /** The listening sockets last reported: they decide each finding's exposure. */
  ports?: ListeningPort[];
  /** Keys of the components a running process used when the agent last looked: they decide each finding's `inUse`. */
  inUse?: string[];
}

export interface HostInput {
  /** The agent id, which is the identity in the host's client certificate. */
  id: string;
  hostname: string;
  facts: HostFactsDoc;
  tags: string[];
  agentVersion: string;
  certFingerprint: string;
  /**
   * What the agent says identifies its machine (agent/machine-id.ts): an enrolment
   * with a token and the same machine id re-enrols this host instead of adding one.
   * Absent for agents that send none; those enrol as a new host every time.
   */
  machineId?: string;
}

export interface HostRecord extends HostInput {
  /** See common/lifecycle/host.ts; a stored host is never `deleted`. */
  state: HostState;
  enrolledAt: string;
  lastSeenAt: string;
  revokedAt?: string;
}

/** What deleting a host removed. */
export interface DeletedHost {
  id: string;
  hostname: string;
  components: number;
  /** Findings, and the closed earlier episodes among them. */
  findings: number;
  episodes: number;
  suppressions: number;
}

export interface HostFilter {
  tag?: string;
  /** true: revoked hosts only; false: active hosts only; absent: both. */
  revoked?: boolean;
}

/** The inventory state a host's agent and the server agree on. */
export interface InventoryState {
  /** Changes when the agent restarts its numbering (new install, lost state): older epochs are stale. */
  epoch: number;
  seq: number;
  digest: string;
  components: Component[];
}

export type DeltaOutcome = 'applied' | 'duplicate' | 'gap' | 'stale-epoch' | 'digest-mismatch';

export interface DeltaResult {
  outcome: DeltaOutcome;
  /** The seq the server now holds for the host: what it acks or asks a resync from. */
  seq: number;
}

/** Digest over a full component set; the agent computes the same one, so it is passed in, not defined here. */
export type DigestFn = (components: Component[]) => string;

/** Where a host's inventory stands, without its components: what a hello and a heartbeat compare. */
export interface InventoryHead {
  epoch: number;
  seq: number;
  digest: string;
  /** Which construction `digest` holds (common/inventory-lthash.ts): 1 over the sorted inventory, 2 the LtHash's. */
  digestVersion: DigestVersion;
}

/**
 * The fields of a finding the store indexes. The store keeps the whole document as
 * given and returns it as given, typed as its user's finding type (`FleetStore<F>`,
 * the server's is the matcher's `Finding`); this type only names what the store
 * reads, so `store` need not import `matcher`.
 */
export interface FindingRecord {
  /** Stable per component identity and vulnerability. */
  id: string;
  vulnerability: string;
  aliases: string[];
  component: { purl: string; ecosystem: Ecosystem; name: string; version: string; locations: string[]; source?: { name: string; version?: string } };
  severity: Severity;
  score: number;
}

export interface StoredFinding<F extends FindingRecord = FindingRecord> {
  hostId: string;
  id: string;
  status: FindingStatus;
  /** Start of the current episode: a finding that closes and comes back starts a new one. */
  firstSeen: string;
  lastSeen: string;
  closedAt?: string;
  closeReason?: CloseReason;
  /** 1 for a finding never closed; earlier episodes are in `findingHistory`. */
  episode: number;
  /** Every episode, oldest first; the last is the current one (open unless the finding is CLOSED). */
  episodes: FindingEpisode[];
  finding: F;
}

/** One episode of a finding: from when it opened to when it closed, and why. */
export interface FindingEpisode {
  episode: number;
  firstSeen: string;
  lastSeen: string;
  /** Absent for the current episode of an open finding. */
  closedAt?: string;
  closeReason?: CloseReason;
}

export interface FindingFilter {
  hostId?: string;
  severity?: Severity | Severity[];
  status?: FindingStatus | FindingStatus[];
  /** Matches the finding's vulnerability id or any of its aliases. */
  cve?: string;
  /** The finding's vulnerability id exactly, aliases aside: one group of findings by vulnerability. */
  vulnerability?: string;
  /** Hosts carrying this tag. */
  tag?: string;
  /** In CISA's Known Exploited Vulnerabilities catalog (true) or not (false). */
  kev?: boolean;
  /** A fixed version is known (true) or not (false). */
  fixable?: boolean;
  /** The widest exposure of a socket the package's process listens on (`any`, `private`, `loopback`, `none`). */
  exposure?: string | string[];
  /** The package's purl without version, or a prefix of it (`pkg:deb/debian/openssl`, `pkg:npm/`). */
  package?: string;
  /** The package's purl without version exactly (`pkg:golang/golang.org/x/net`, not also `.../x/net/http2`): one group of findings by package. */
  purl?: string;
  /** The vulnerability's EPSS score (the finding's `epss.score`) is at least this, 0..1; a finding without one is left out. */
  epss?: number;
  /** A running process uses the component (true) or none is known to (false): the finding's `inUse`. */
  inUse?: boolean;
}

export const FINDING_SORT_KEYS = ['score', 'severity', 'firstSeen', 'lastSeen', 'host', 'vulnerability'] as const;
export type FindingSortKey = (typeof FINDING_SORT_KEYS)[number];

/** Where a page of findings ends: the last row's sort value and identity. */
export interface FindingPosition {
  value: string | number;
  hostId: string;
  id: string;
}

/** A host's size at a glance: components, inventory position (when it has one), ACTIVE findings by severity (only those present). */
export interface HostTally {
  components: number;
  epoch?: number;
  seq?: number;
  digest?: string;
  active: Record<string, number>;
}

export interface FindingPageRequest {
  sort: FindingSortKey;
  descending: boolean;
  /** Start after this row (the previous page's `next`). */
  after?: FindingPosition;
  limit: number;
}

export interface FindingPage<F extends FindingRecord = FindingRecord> {
  items: Array<StoredFinding<F>>;
  /** Present when another page follows: pass it as `after`. */
  next?: FindingPosition;
}

export interface SuppressionRule {
  vulnerability: string;
  /** Absent: every host. */
  hostId?: string;
  reason: string;
  createdAt: string;
}

/**
 * Gives the close reason for a finding that is no longer present, or undefined to
 * let the store derive `upgraded` / `removed` / `advisory-changed` from the inventory.
 */
export type ReasonFor<F extends FindingRecord = FindingRecord> = (closed: StoredFinding<F>) => CloseReason | undefined;

export interface ReconcileResult {
  opened: string[];
  reopened: string[];
  closed: string[];
}

export interface FleetStore<F extends FindingRecord = FindingRecord> {
  /**
   * Enrol or refresh a host; `now` becomes its last-seen time (and its enrolment
   * time when new: a new host is `enrolled`). A refresh never changes its state.
   */
  upsertHost(host: HostInput, now: string): void;
  /** Moves a host to `to` (online, offline) through the host lifecycle; CONFLICT when the table forbids it. */
  setHostState(id: string, to: HostState, now: string): void;
  /**
   * The same machine enrolled again: the host keeps its id, inventory and findings,
   * takes the new certificate (the old one is refused from then on) and is `enrolled`
   * until it connects. CONFLICT for a revoked host.
   */
  reenrolHost(id: string, update: { hostname: string; certFingerprint: string; machineId: string }, now: string): void;
  /**
   * A revoked host stays listed but takes no more inventory; its open findings close
   * with reason `host-revoked`, all in one transaction. Revoking it again changes nothing.
   */
  revokeHost(id: string, now: string): void;
  /** Removes a revoked host with its inventory, findings, episodes and suppressions; CONFLICT unless revoked. */
  deleteHost(id: string): DeletedHost;
  host(id: string): HostRecord | undefined;
  /** The host enrolled from this machine id, if any. */
  hostByMachine(machineId: string): HostRecord | undefined;
  hosts(filter?: HostFilter): HostRecord[];

  /**
   * Apply one inventory delta, all or nothing (DESIGN.md §4): applied only when the
   * epoch matches and `baseSeq` equals the stored seq; a seq already held is a
   * duplicate to re-ack; anything else is a gap; a digest that does not match the
   * result is rolled back. Only `applied` changes state. With `digestVersion` 1 the
   * digest is `computeDigest` over the whole inventory after the delta; with 2 it is the
   * host's stored LtHash state updated with the delta's components alone, reading only
   * the old rows of the keys it removes or replaces.
   */
  applyDelta(hostId: string, delta: InventoryDelta, computeDigest: DigestFn, digestVersion?: DigestVersion): DeltaResult;
  /**
   * Replace a host's whole inventory from a snapshot; starts the epoch and seq given.
   * `lthash`: the snapshot's LtHash state when `digest` is v2 (toBuffer), absent for v1.
   */
  replaceInventory(hostId: string, epoch: number, seq: number, components: Component[], digest: string, lthash?: Uint8Array): void;
  inventory(hostId: string): InventoryState | undefined;
  /** The host's position and digest in `version`, converted from the other version (over its components, once) when it holds that one. */
  inventoryHead(hostId: string, version: DigestVersion): InventoryHead | undefined;
  /**
   * The inverted index: active hosts holding a component of this ecosystem whose
   * name or source package name is one of `names`, compared by the advisory index's
   * key (componentNameKey: PyPI names normalised, Debian and Alpine names lowercase),
   * as the matcher looks them up. An advisory change re-matches only these hosts.
   */
  hostsHolding(ecosystem: Ecosystem, names: string[]): string[];

  /**
   * Make the stored findings of a host equal `current`, which must be the host's
   * complete finding set: present ones become (or stay) ACTIVE, or SUPPRESSED when a
   * rule covers them, keeping their episode's first-seen time; absent ones close.
   * Every status change goes through the finding lifecycle. CONFLICT for a revoked host.
   * `suppressedBy` says which findings the server's suppression rules set aside.
   */
  reconcileFindings(hostId: string, current: F[], now: string, reasonFor?: ReasonFor<F>, suppressedBy?: (f: F) => boolean): ReconcileResult;
  findings(filter?: FindingFilter): Array<StoredFinding<F>>;
  /** Per host (or only `hostId`): what a host list shows, counted by the database without reading inventories or findings. */
  hostTallies(hostId?: string): Map<string, HostTally>;
  /** One page of findings in a stable keyset order (see FindingPageRequest). */
  findingsPage(filter: FindingFilter, page: FindingPageRequest): FindingPage<F>;
  finding(hostId: string, id: string): StoredFinding<F> | undefined;
  /** The closed earlier episodes of a finding, oldest first. */
  findingHistory(hostId: string, id: string): FindingEpisode[];
  /** Suppress a vulnerability (on one host or all): current open findings and future ones. */
  suppress(rule: SuppressionRule): number;
  close(): void;
}

/** Identity of a component within one host's inventory: purl plus locations, as the matcher's finding ids use. */
export { componentKey };

/** The purl without its version: the same package at any version, for telling an upgrade from a removal. */
export function purlName(purl: string): string {
  return purl.replace(/@[^?#]*/, '');
}
