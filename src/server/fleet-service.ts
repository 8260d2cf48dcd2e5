import type { Logger } from 'pino';
import type { Severity } from '../advisories/model.js';
import { VigilError } from '../common/errors.js';
import { componentKey } from '../common/identity.js';
import type { HostStateFields } from '../common/delta.js';
import { inventoryDigest } from '../common/inventory-digest.js';
import { DigestState, type DigestVersion } from '../common/inventory-lthash.js';
import { digestVersionOf } from '../common/wire/messages.js';
import { componentLogger } from '../common/log.js';
import type { Component, Inventory } from '../common/model.js';
import type { DeltaMsg, HeartbeatMsg, HelloMsg, ServerMsg, SnapshotChunkMsg } from '../common/wire/messages.js';
import type { Finding } from '../matcher/finding.js';
import { coverage } from '../matcher/coverage.js';
import { matchInventory } from '../matcher/match.js';
import { hostInventory, hostMatchOptions } from './host-inventory.js';
import { namespaceTargets } from '../ecosystems/index.js';
import { hostTransition } from '../common/lifecycle/host.js';
import type { AdvisoryStore } from '../store/advisory-store.js';
import type {
  CloseReason,
  DeletedHost,
  FindingFilter,
  FindingPage,
  FindingPageRequest,
  FindingStatus,
  FleetStore,
  HostFactsDoc,
  HostRecord,
  ReasonFor,
  ReconcileResult,
} from '../store/fleet-store.js';

import { normaliseTags, type HostFinding, type ServerFleetStore, type AssembledSnapshot, type StreamReply, type HostSummary, type HostDetail, type InventoryView, type FleetServiceOptions, type EnrolmentTarget, type EnrolledHost } from './fleet-types.js';

export { normaliseTags, type HostFinding, type ServerFleetStore, type AssembledSnapshot, type StreamReply, type HostSummary, type HostDetail, type InventoryView, type FleetServiceOptions, type EnrolmentTarget, type EnrolledHost } from './fleet-types.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'];
const OPEN: FindingStatus[] = ['ACTIVE', 'SUPPRESSED'];

/**
 * The server's fleet logic over the stores: applies what agents send under the
 * sequencing rules of DESIGN.md §4, keeps every host's findings current, and answers
 * the API's queries. Synchronous by design: it runs inside the matcher worker
 * (server/worker.ts), so nothing here blocks the thread that serves agent streams.
 */
export class FleetService {
  private readonly fleet: ServerFleetStore;
  private readonly advisories: AdvisoryStore;
  private readonly now: () => Date;
  private readonly log: Logger;
  private lastChange: number;
  private readonly reasonFor: ((hostId: string) => ReasonFor<Finding>) | undefined;
  private readonly suppressedBy: FleetServiceOptions['suppressedBy'];
  private readonly onReconciled: FleetServiceOptions['onReconciled'];

  constructor(opts: FleetServiceOptions) {
    this.reasonFor = opts.reasonFor;
    this.suppressedBy = opts.suppressedBy;
    this.onReconciled = opts.onReconciled;
    this.fleet = opts.fleet;
    this.advisories = opts.advisories;
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log ?? componentLogger('fleet');
    this.lastChange = this.advisories.lastChangeId();
  }

  private iso(): string {
    return this.now().toISOString();
  }

  /**
   * The host an enrolment from this machine binds to, asked before its certificate
   * is issued (the certificate names the host). The machine's host when one exists,
   * so enrolling the same machine again keeps it; CONFLICT when that host is revoked.
   */
  enrolment(machineId: string | undefined): EnrolmentTarget {
    if (machineId === undefined) return {};
    const host = this.fleet.hostByMachine(machineId);
    if (!host) return {};
    if (host.state === 'revoked') hostTransition(host.id, 'revoked', 'enrolled');
    return { hostId: host.id };
  }

  /**
   * Records an issued certificate, so the agent's first Connect finds its host: a new
   * host, or the machine's existing one re-enrolled (same id, inventory and findings;
   * its previous certificate is refused from now on). Returns whether it re-enrolled.
   */
  enrolled(e: EnrolledHost): { reenrolled: boolean } {
    const existing = this.fleet.host(e.agentId);
    if (existing) {
      if (e.machineId === undefined || existing.machineId !== e.machineId) throw new VigilError('CONFLICT', `host ${e.agentId} exists and was not enrolled from this machine`);
      this.fleet.reenrolHost(e.agentId, { hostname: e.hostname, certFingerprint: e.certFingerprint, machineId: e.machineId }, this.iso());
      this.log.warn({ host: e.agentId, host_name: e.hostname }, 'host re-enrolled: its previous certificate is no longer accepted');
      return { reenrolled: true };
    }
    const host: Parameters<FleetStore['upsertHost']>[0] = { id: e.agentId, hostname: e.hostname, facts: {}, tags: [], agentVersion: '', certFingerprint: e.certFingerprint };
    if (e.machineId !== undefined) host.machineId = e.machineId;
    this.fleet.upsertHost(host, this.iso());
    return { reenrolled: false };
  }

  /**
   * Opens a stream for the agent its certificate names. Refuses unknown and revoked
   * hosts, and a certificate a re-enrolment replaced; otherwise the host is online
   * and the agent learns what the server holds for it.
   */
  hello(agentId: string, certFingerprint: string, hello: HelloMsg): ServerMsg {
    const host = this.fleet.host(agentId);
    if (!host) throw new VigilError('NOT_FOUND', `agent ${agentId} is not enrolled here`);
    if (host.revokedAt) throw new VigilError('INVALID_INPUT', `agent ${agentId} was revoked at ${host.revokedAt}`);
    if (host.certFingerprint && host.certFingerprint !== certFingerprint)
      throw new VigilError('INVALID_INPUT', `agent ${agentId} presented a certificate that a later enrolment of its machine replaced`);
    if (host.state !== 'online') this.fleet.setHostState(agentId, 'online', this.iso());
    this.fleet.upsertHost(
      {
        id: agentId,
        hostname: host.hostname,
        facts: host.facts,
        tags: normaliseTags(hello.tags ?? host.tags),
        agentVersion: hello.agentVersion,
        certFingerprint,
      },
      this.iso(),
    );
    // An agent whose digest version differs from the stored one has it converted here, once.
    const inv = this.fleet.inventoryHead(agentId, digestVersionOf(hello.capabilities));
    if (!inv || inv.epoch !== hello.agentEpoch) return { kind: 'welcome', seq: 0, epoch: hello.agentEpoch, snapshotNeeded: true };
    return { kind: 'welcome', seq: inv.seq, epoch: inv.epoch, snapshotNeeded: false };
  }

  /** A whole inventory: replaces what the server holds, whatever its seq, after checking the digest (in the session's `digestVersion`). */
  snapshot(agentId: string, snap: AssembledSnapshot, digestVersion: DigestVersion = 1): StreamReply {
    const host = this.activeHost(agentId);
    const state = digestVersion === 2 ? DigestState.of(snap.components) : undefined;
    const digest = state ? state.digest() : inventoryDigest(snap.components);
    if (digest !== snap.digest) {
      return { applied: false, reply: { kind: 'resync', reason: 'digest-mismatch', detail: `snapshot digest ${snap.digest} does not match its components (${digest})` } };
    }
    this.fleet.replaceInventory(agentId, snap.epoch, snap.seq, snap.components, snap.digest, state?.toBuffer());
    this.updateFacts(host, snap);
    const changes = this.rematch(agentId, this.reasonFor?.(agentId));
    return { applied: true, reply: { kind: 'ack', seq: snap.seq }, changes };
  }

  /** One delta, its digest checked in the session's `digestVersion`: v2 costs what the delta's components cost, v1 what the host's inventory does. */
  delta(agentId: string, d: DeltaMsg, digestVersion: DigestVersion = 1): StreamReply {
    const host = this.activeHost(agentId);
    const r = this.fleet.applyDelta(agentId, d, inventoryDigest, digestVersion);
    switch (r.outcome) {
      case 'duplicate':
        return { applied: false, reply: { kind: 'ack', seq: r.seq } };
      case 'gap':
        return { applied: false, reply: { kind: 'resync', reason: 'seq-gap', detail: `delta applies on seq ${d.baseSeq}, server holds ${r.seq}` } };
      case 'stale-epoch':
        return { applied: false, reply: { kind: 'resync', reason: 'epoch-changed', detail: `delta is for epoch ${d.epoch}` } };
      case 'digest-mismatch':
        return { applied: false, reply: { kind: 'resync', reason: 'digest-mismatch', detail: `inventory after seq ${d.seq} does not match the agent's digest` } };
      case 'applied':
        break;
    }
    const factsChanged = this.updateFacts(host, d);
    const reason = this.reasonFor?.(agentId);
    const changes = factsChanged ? this.rematch(agentId, reason) : this.rematchComponents(agentId, d.added, d.removed, reason);
    return { applied: true, reply: { kind: 'ack', seq: r.seq }, changes };
  }

  /** The periodic checksum exchange: a digest that differs at the same seq means silent drift. */
  heartbeat(agentId: string, hb: HeartbeatMsg, digestVersion: DigestVersion = 1): StreamReply {
    this.activeHost(agentId);
    const inv = this.fleet.inventoryHead(agentId, digestVersion);
    if (!inv) return { applied: false, reply: { kind: 'resync', reason: 'server-state-lost', detail: 'no inventory held' } };
    if (hb.seq === inv.seq && hb.digest !== inv.digest) {
      return { applied: false, reply: { kind: 'resync', reason: 'digest-mismatch', detail: `digest at seq ${hb.seq} differs` } };
    }
    if (hb.seq < inv.seq) {
      return { applied: false, reply: { kind: 'resync', reason: 'server-state-lost', detail: `agent is at seq ${hb.seq}, server at ${inv.seq}` } };
    }
    return { applied: false };
  }

  touch(agentId: string): void {
    const host = this.fleet.host(agentId);
    if (host && !host.revokedAt) this.fleet.upsertHost(host, this.iso());
  }

  /** The agent's stream ended: an online host goes offline (a revoked or re-enrolled one stays as it is). */
  disconnected(agentId: string): void {
    if (this.fleet.host(agentId)?.state === 'online') this.fleet.setHostState(agentId, 'offline', this.iso());
  }

  /** A server that starts has no stream open: every host it left online is offline. Returns how many. */
  serverStarted(): number {
    const online = this.fleet.hosts().filter((h) => h.state === 'online');
    for (const h of online) this.fleet.setHostState(h.id, 'offline', this.iso());
    return online.length;
  }

  /** Revokes a host: no more inventory, and its open findings close as `host-revoked`. */
  revoke(agentId: string): HostRecord {
    const host = this.fleet.host(agentId);
    if (!host) throw new VigilError('NOT_FOUND', `no host ${agentId}`);
    if (!host.revokedAt) this.fleet.revokeHost(agentId, this.iso());
    return this.fleet.host(agentId)!;
  }

  /** Removes a revoked host with its inventory and findings; CONFLICT for any other host. */
  deleteHost(agentId: string): DeletedHost {
    if (!this.fleet.host(agentId)) throw new VigilError('NOT_FOUND', `no host ${agentId}`);
    const gone = this.fleet.deleteHost(agentId);
    this.log.warn({ host: agentId, findings: gone.findings, components: gone.components }, 'host deleted');
    return gone;
  }

  isRevoked(agentId: string): boolean {
    return this.fleet.host(agentId)?.revokedAt !== undefined;
  }

  /**
   * Re-matches the hosts an advisory import touched, found through the inverted
   * index: only hosts holding a changed package, or carrying a finding of a CVE whose
   * enrichment changed. Returns the ids re-matched.
   */
  applyAdvisoryChanges(): string[] {
    const latest = this.advisories.lastChangeId();
    if (latest === this.lastChange) return [];
    const changes = this.advisories.changesSince(this.lastChange);
    this.advisories.refresh();
    const hosts = new Set<string>();
    // A rebuilt database restarts its ids, and trimmed rows leave a hole: in both cases
    // what changed is unknown, so every host is re-matched.
    let everyHost = latest < this.lastChange || changes.length === 0 || changes[0]!.id !== this.lastChange + 1;
    for (const ch of changes) {
      const byEco = new Map<Component['ecosystem'], Set<string>>();
      for (const p of ch.packages) {
        const t = namespaceTargets(p.namespace, p.packageKey);
        if (!t) continue;
        let names = byEco.get(t.ecosystem);
        if (!names) byEco.set(t.ecosystem, (names = new Set()));
        for (const n of t.names) names.add(n);
      }
      for (const [eco, names] of byEco) for (const h of this.fleet.hostsHolding(eco, [...names])) hosts.add(h);
      if (ch.cves === undefined) everyHost = true;
      else for (const cve of ch.cves) for (const f of this.fleet.findings({ cve, status: OPEN })) hosts.add(f.hostId);
    }
    this.lastChange = latest;
    const ids = everyHost ? this.fleet.hosts({ revoked: false }).map((h) => h.id) : [...hosts];
    // A finding that went away because its records were withdrawn says so; the store
    // tells upgraded, removed and otherwise changed advisories apart by itself.
    const withdrawn = (closed: HostFinding): CloseReason | undefined => {
      const ids = [closed.finding.vulnerability, ...closed.finding.aliases];
      const records = ids.flatMap((id) => this.advisories.advisory(id));
      return records.length > 0 && records.every((a) => a.withdrawn) ? 'advisory-withdrawn' : undefined;
    };
    for (const id of ids) this.rematch(id, withdrawn);
    this.log.info({ imports: changes.length, hosts: ids.length }, 'advisory import re-matched the hosts it touches');
    return ids;
  }

  /** Re-matches every active host: after a restart, so findings never lag the inventory a crash left. */
  rematchAll(): number {
    const ids = this.fleet.hosts({ revoked: false }).map((h) => h.id);
    for (const id of ids) if (this.fleet.inventory(id)) this.rematch(id);
    return ids.length;
  }

  hosts(filter: { tag?: string } = {}): HostSummary[] {
    const tallies = this.fleet.hostTallies();
    return this.fleet.hosts(filter).map((h) => this.summary(h, tallies.get(h.id)));
  }

  host(id: string): HostDetail {
    const h = this.fleet.host(id);
    if (!h) throw new VigilError('NOT_FOUND', `no host ${id}`);
    const inv = this.fleet.inventory(id);
    const detail: HostDetail = { ...this.summary(h), facts: h.facts };
    if (inv) detail.coverage = coverage(this.inventoryFor(id, inv.components), this.advisories.sources(), { now: this.now().getTime() });
    return detail;
  }

  findings(filter: FindingFilter = {}): HostFinding[] {
    return this.fleet.findings(filter);
  }

  findingsPage(filter: FindingFilter, page: FindingPageRequest): FindingPage<Finding> {
    return this.fleet.findingsPage(filter, page);
  }

  /** One finding of one host, with every episode. */
  finding(hostId: string, id: string): HostFinding {
    if (!this.fleet.host(hostId)) throw new VigilError('NOT_FOUND', `no host ${hostId}`);
    const f = this.fleet.finding(hostId, id);
    if (!f) throw new VigilError('NOT_FOUND', `no finding ${id} on host ${hostId}`);
    return f;
  }

  inventoryView(id: string): InventoryView | undefined {
    const inv = this.fleet.inventory(id);
    if (!inv) return undefined;
    const components: Record<string, string> = {};
    for (const c of inv.components) components[componentKey(c)] = c.version;
    return { seq: inv.seq, epoch: inv.epoch, digest: inv.digest, components };
  }

  private summary(h: HostRecord, tally = this.fleet.hostTallies(h.id).get(h.id)): HostSummary {
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, tally?.active[s] ?? 0])) as Record<Severity, number>;
    const total = SEVERITIES.reduce((n, s) => n + counts[s], 0);
    const out: HostSummary = {
      id: h.id,
      hostname: h.hostname,
      agentVersion: h.agentVersion,
      tags: h.tags,
      state: h.state,
      enrolledAt: h.enrolledAt,
      lastSeenAt: h.lastSeenAt,
      components: tally?.components ?? 0,
      findings: { ...counts, total },
    };
    const os = h.facts.os?.prettyName ?? h.facts.os?.id;
    if (os) out.os = os;
    const kernel = h.facts.kernel?.running ?? h.facts.host?.kernel;
    if (kernel) out.kernel = kernel;
    if (h.revokedAt) out.revokedAt = h.revokedAt;
    if (tally?.digest !== undefined) Object.assign(out, { seq: tally.seq, epoch: tally.epoch, digest: tally.digest });
    return out;
  }

  private activeHost(agentId: string): HostRecord {
    const host = this.fleet.host(agentId);
    if (!host) throw new VigilError('NOT_FOUND', `agent ${agentId} is not enrolled here`);
    if (host.revokedAt) throw new VigilError('INVALID_INPUT', `agent ${agentId} was revoked at ${host.revokedAt}`);
    return host;
  }

  /** Stores the facts a message carries; true when something that changes matching (OS, kernel, ports, components in use) changed. */
  private updateFacts(host: HostRecord, m: HostStateFields): boolean {
    const facts: HostFactsDoc = { ...host.facts };
    let matching = false;
    let any = false;
    if (m.facts && JSON.stringify(m.facts) !== JSON.stringify(facts.host)) {
      facts.host = m.facts;
      any = true;
    }
    for (const k of ['os', 'kernel', 'ports', 'inUse'] as const) {
      const v = m[k];
      if (v === undefined || JSON.stringify(v) === JSON.stringify(facts[k])) continue;
      (facts as Record<string, unknown>)[k] = v;
      any = matching = true;
    }
    const hostname = m.facts?.hostname || host.hostname;
    if (any || hostname !== host.hostname) this.fleet.upsertHost({ ...host, hostname, facts }, this.iso());
    return matching;
  }

  private inventoryFor(agentId: string, components: Component[]): Inventory {
    return hostInventory(this.fleet.host(agentId)!, components);
  }

  /** Stores a host's complete finding set, the suppression rules applied, and tells onReconciled what changed. */
  private reconcile(agentId: string, findings: Finding[], reasonFor?: ReasonFor<Finding>): ReconcileResult {
    const r = this.fleet.reconcileFindings(agentId, findings, this.iso(), reasonFor, this.suppressedBy?.(agentId));
    if (r.opened.length || r.reopened.length || r.closed.length) this.onReconciled?.(agentId, r);
    return r;
  }

  /** Matches the whole inventory and makes the stored findings equal the result. */
  rematch(agentId: string, reasonFor?: ReasonFor<Finding>): ReconcileResult {
    const inv = this.fleet.inventory(agentId);
    // A revoked host's findings closed with it; nothing reopens them.
    if (!inv || this.isRevoked(agentId)) return { opened: [], reopened: [], closed: [] };
    const host = this.fleet.host(agentId)!;
    const { findings } = matchInventory(hostInventory(host, inv.components), this.advisories, hostMatchOptions(host));
    return this.reconcile(agentId, findings, reasonFor);
  }

  /**
   * Matches only the components a delta added; findings of components it did not
   * touch are carried over as stored. The result is the host's complete finding set,
   * as reconcileFindings needs.
   */
  private rematchComponents(agentId: string, added: Component[], removed: string[], reasonFor?: ReasonFor<Finding>): ReconcileResult {
    const touched = new Set(removed);
    for (const c of added) touched.add(componentKey(c));
    const kept: Finding[] = [];
    for (const f of this.fleet.findings({ hostId: agentId, status: OPEN })) {
      if (!touched.has(componentKey(f.finding.component))) kept.push(f.finding);
    }
    if (added.length === 0 && removed.length === 0) return { opened: [], reopened: [], closed: [] };
    const host = this.fleet.host(agentId)!;
    const { findings } = matchInventory(hostInventory(host, added), this.advisories, hostMatchOptions(host));
    return this.reconcile(agentId, [...kept, ...findings], reasonFor);
  }
}

export type { SnapshotChunkMsg };
