import type { Logger } from 'pino';
import type { Severity } from '../advisories/model.js';
import type { Component, HostFacts, KernelInfo, ListeningPort, OsInfo } from '../common/model.js';
import type { ServerMsg } from '../common/wire/messages.js';
import { type Coverage } from '../matcher/coverage.js';
import type { Finding } from '../matcher/finding.js';
import type { AdvisoryStore } from '../store/advisory-store.js';
import type {
  FleetStore,
  HostFactsDoc,
  HostState,
  ReasonFor,
  ReconcileResult,
  StoredFinding,
} from '../store/fleet-store.js';

/** A host's finding as the server keeps it: the matcher's Finding with its lifecycle and episodes. */
export type HostFinding = StoredFinding<Finding>;
/** The fleet store as the server uses it: its findings are the matcher's. */
export type ServerFleetStore = FleetStore<Finding>;


/** What the fleet service takes and answers: the shapes shared by the streams, the worker and the API. */

/** A whole inventory received as snapshot chunks, assembled by the stream before it reaches the service. */
export interface AssembledSnapshot {
  epoch: number;
  seq: number;
  components: Component[];
  digest: string;
  ports?: ListeningPort[];
  facts?: HostFacts;
  os?: OsInfo;
  kernel?: KernelInfo;
  /** Keys of the components a running process uses. */
  inUse?: string[];
}

/** What the stream does after a message: send `reply` (if any); `applied` says the inventory changed. */
export interface StreamReply {
  reply?: ServerMsg;
  applied: boolean;
  /** Findings (ids) that opened, reopened or closed because of this message. */
  changes?: ReconcileResult;
}

export interface HostSummary {
  id: string;
  hostname: string;
  os?: string;
  kernel?: string;
  agentVersion: string;
  tags: string[];
  /** See common/lifecycle/host.ts. */
  state: HostState;
  enrolledAt: string;
  lastSeenAt: string;
  revokedAt?: string;
  seq?: number;
  epoch?: number;
  digest?: string;
  components: number;
  findings: Record<Severity, number> & { total: number };
}

export interface HostDetail extends HostSummary {
  facts: HostFactsDoc;
  /**
   * What the advisory data covers of the host's inventory: the namespaces its packages
   * are looked up in with the feeds covering each, the newest record of those feeds,
   * and `not-covered` / `stale-data` problems (the same as `vigil scan` reports).
   */
  coverage?: Coverage;
}

/** A host's inventory at one moment: what `hosts rescan` compares. */
export interface InventoryView {
  seq: number;
  epoch: number;
  digest: string;
  /** componentKey → version. */
  components: Record<string, string>;
}

export interface FleetServiceOptions {
  fleet: ServerFleetStore;
  advisories: AdvisoryStore;
  now?: () => Date;
  log?: Logger;
  /** Close reasons known elsewhere (a patch job outstanding on the host), consulted when a delta closes findings. */
  reasonFor?: (hostId: string) => ReasonFor<Finding>;
  /** Which of a host's findings the server's suppression rules set aside now. */
  suppressedBy?: (hostId: string) => (f: Finding) => boolean;
  /** Told the findings (ids) that opened, reopened or closed on a host. */
  onReconciled?: (hostId: string, changes: ReconcileResult) => void;
}

/** What an enrolment binds to: the machine's existing host, or a new one. */
export interface EnrolmentTarget {
  /** The existing host's id; absent for a new host. */
  hostId?: string;
}

export interface EnrolledHost {
  agentId: string;
  hostname: string;
  certFingerprint: string;
  machineId?: string;
}

/** Tags as `key=value`, keys lowercased, sorted, deduplicated; malformed ones are dropped. */
export function normaliseTags(tags: string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const i = t.indexOf('=');
    if (i <= 0) continue;
    out.add(`${t.slice(0, i).trim().toLowerCase()}=${t.slice(i + 1).trim()}`);
  }
  return [...out].sort();
}
