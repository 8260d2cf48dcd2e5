import type { InventoryDelta } from '../common/delta.js';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Component, Ecosystem } from '../common/model.js';
import { VigilError } from '../common/errors.js';
import { componentNameKey } from '../advisories/keys.js';
import { findingOpened, findingTransition } from '../common/lifecycle/finding.js';
import { HOST_INITIAL, hostTransition, isHostState } from '../common/lifecycle/host.js';
import { migrateFleet } from './sqlite-fleet-migrate.js';
import { applyComponents, componentRows, inventoryHead, type DigestRows } from './sqlite-fleet-digest.js';
import type { DigestVersion } from '../common/inventory-lthash.js';
import {
  componentKey,
  purlName,
  type CloseReason,
  type DeletedHost,
  type DeltaResult,
  type DigestFn,
  type InventoryHead,
  type FindingEpisode,
  type FindingFilter,
  type FindingPage,
  type FindingPageRequest,
  type FindingRecord,
  type FindingStatus,
  type FleetStore,
  type HostFilter,
  type HostInput,
  type HostRecord,
  type HostState,
  type HostTally,
  type InventoryState,
  type ReasonFor,
  type ReconcileResult,
  type StoredFinding,
  type SuppressionRule,
} from './fleet-store.js';
import {
  DigestMismatch, type EpisodeRow, type FindingPageRow, findingsPageQuery, findingsQuery, type FindingRow, HISTORY, HOST_SELECT, HOST_TALLIES, HOST_TALLY,
  type HostRow, INDEXES, SCHEMA, SCHEMA_VERSION, toEpisode, toFinding, toFindingPage, toHost, toHostTallies,
} from './sqlite-fleet-schema.js';

/**
 * Fleet state in one SQLite file (WAL, foreign keys on). Every delta, snapshot and
 * reconciliation is one transaction, so a server that dies mid-way leaves each host
 * at its previous seq with the components and findings that seq describes.
 */
export class SqliteFleetStore<F extends FindingRecord = FindingRecord> implements FleetStore<F> {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      this.db = new Database(file);
    } catch (err) {
      throw new VigilError('IO', `cannot open fleet database ${file}: ${(err as Error).message}`, { cause: err });
    }
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.db.exec(SCHEMA);
      const v = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
      // Unlike the advisory database, fleet state cannot be rebuilt from files:
      // a layout this Vigil does not know is refused, never dropped.
      if (v && Number(v.value) > SCHEMA_VERSION) throw new Error(`schema version ${v.value} is newer than this Vigil (${SCHEMA_VERSION})`);
      this.db.transaction(() => {
        if (v) migrateFleet(this.db, Number(v.value), (hostId, at) => this.closeOpenFindings(hostId, at, 'host-revoked'));
        this.db.exec(INDEXES);
        this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
      })();
      // Table statistics for the planner (a page of findings reads the sort index only when it knows the status filter keeps most rows).
      this.db.pragma('optimize = 0x10002');
    } catch (err) {
      this.db.close();
      throw new VigilError('INVALID_INPUT', `${file} is not a Vigil fleet database: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Closes every open finding of a host with one reason. */
  private closeOpenFindings(hostId: string, now: string, reason: CloseReason): number {
    const open = this.stmt<[string], { id: string; status: FindingStatus }>("SELECT id, status FROM findings WHERE host_id = ? AND status != 'CLOSED'").all(hostId);
    const close = this.stmt("UPDATE findings SET status = 'CLOSED', closed_at = ?, close_reason = ? WHERE host_id = ? AND id = ?");
    for (const f of open) {
      findingTransition({ hostId, findingId: f.id, from: f.status, to: 'CLOSED', reason });
      close.run(now, reason, hostId, f.id);
    }
    return open.length;
  }

  private stmt<P extends unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st as unknown as Database.Statement<P, R>;
  }

  /** The host, which must exist and, when `writable`, not be revoked. */
  private requireHost(id: string, writable: boolean): void {
    const r = this.stmt<[string], { revoked_at: string | null }>('SELECT revoked_at FROM hosts WHERE id = ?').get(id);
    if (!r) throw new VigilError('NOT_FOUND', `unknown host ${id}`);
    if (writable && r.revoked_at) throw new VigilError('CONFLICT', `host ${id} was revoked at ${r.revoked_at}`);
  }

  private stateOf(id: string): HostState {
    const r = this.stmt<[string], { state: string }>('SELECT state FROM hosts WHERE id = ?').get(id);
    if (!r) throw new VigilError('NOT_FOUND', `unknown host ${id}`);
    return isHostState(r.state) ? r.state : 'offline';
  }

  upsertHost(host: HostInput, now: string): void {
    this.db.transaction(() => {
      this.stmt(
        `INSERT INTO hosts (id, hostname, facts, agent_version, cert_fingerprint, enrolled_at, last_seen_at, machine_id, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET hostname = excluded.hostname, facts = excluded.facts,
           agent_version = excluded.agent_version, cert_fingerprint = excluded.cert_fingerprint, last_seen_at = excluded.last_seen_at`,
      ).run(host.id, host.hostname, JSON.stringify(host.facts), host.agentVersion, host.certFingerprint, now, now, host.machineId ?? null, HOST_INITIAL);
      this.stmt('DELETE FROM host_tags WHERE host_id = ?').run(host.id);
      const ins = this.stmt('INSERT OR IGNORE INTO host_tags (host_id, tag) VALUES (?, ?)');
      for (const t of host.tags) ins.run(host.id, t);
    })();
  }

  setHostState(id: string, to: HostState, now: string): void {
    if (to === 'revoked' || to === 'deleted' || to === 'enrolled') throw new VigilError('INTERNAL', `host state ${to} is set by revokeHost, deleteHost or reenrolHost`);
    this.db.transaction(() => {
      const from = this.stateOf(id);
      if (from === to) return;
      hostTransition(id, from, to);
      this.stmt('UPDATE hosts SET state = ?, last_seen_at = ? WHERE id = ?').run(to, now, id);
    })();
  }

  reenrolHost(id: string, update: { hostname: string; certFingerprint: string; machineId: string }, now: string): void {
    this.db.transaction(() => {
      hostTransition(id, this.stateOf(id), 'enrolled');
      this.stmt("UPDATE hosts SET state = 'enrolled', hostname = ?, cert_fingerprint = ?, machine_id = ?, last_seen_at = ? WHERE id = ?").run(
        update.hostname,
        update.certFingerprint,
        update.machineId,
        now,
        id,
      );
    })();
  }

  revokeHost(id: string, now: string): void {
    this.db.transaction(() => {
      const from = this.stateOf(id);
      if (from === 'revoked') return;
      hostTransition(id, from, 'revoked');
      this.stmt("UPDATE hosts SET state = 'revoked', revoked_at = ? WHERE id = ?").run(now, id);
      this.closeOpenFindings(id, now, 'host-revoked');
    })();
  }

  deleteHost(id: string): DeletedHost {
    return this.db.transaction((): DeletedHost => {
      hostTransition(id, this.stateOf(id), 'deleted');
      const count = (sql: string): number => this.stmt<[string], { n: number }>(sql).get(id)!.n;
      const out: DeletedHost = {
        id,
        hostname: this.stmt<[string], { hostname: string }>('SELECT hostname FROM hosts WHERE id = ?').get(id)!.hostname,
        components: count('SELECT COUNT(*) AS n FROM components WHERE host_id = ?'),
        findings: count('SELECT COUNT(*) AS n FROM findings WHERE host_id = ?'),
        episodes: count('SELECT COUNT(*) AS n FROM finding_episodes WHERE host_id = ?'),
        suppressions: count('SELECT COUNT(*) AS n FROM suppressions WHERE host_id = ?'),
      };
      // Tags, inventory, components, findings, their episodes and the host's suppressions go by cascade.
      this.stmt('DELETE FROM hosts WHERE id = ?').run(id);
      return out;
    })();
  }

  host(id: string): HostRecord | undefined {
    const r = this.stmt<[string], HostRow>(`${HOST_SELECT} WHERE h.id = ?`).get(id);
    return r && toHost(r);
  }

  hostByMachine(machineId: string): HostRecord | undefined {
    const r = this.stmt<[string], HostRow>(`${HOST_SELECT} WHERE h.machine_id = ?`).get(machineId);
    return r && toHost(r);
  }

  hosts(filter: HostFilter = {}): HostRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = h.id AND t.tag = ?)');
      params.push(filter.tag);
    }
    if (filter.revoked !== undefined) where.push(filter.revoked ? 'h.revoked_at IS NOT NULL' : 'h.revoked_at IS NULL');
    const sql = `${HOST_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY h.id`;
    return this.stmt<unknown[], HostRow>(sql).all(...params).map(toHost);
  }

  /** A host's component rows, read and written as sqlite-fleet-digest.ts keeps their digest. */
  private readonly rows: DigestRows = componentRows((sql) => this.stmt(sql));

  applyDelta(hostId: string, delta: InventoryDelta, computeDigest: DigestFn, digestVersion: DigestVersion = 1): DeltaResult {
    let held = 0;
    try {
      return this.db.transaction((): DeltaResult => {
        this.requireHost(hostId, true);
        const inv = this.stmt<[string], { epoch: number; seq: number; lthash: Buffer | null }>('SELECT epoch, seq, lthash FROM inventories WHERE host_id = ?').get(hostId);
        // Without a snapshot there is nothing to apply a delta to.
        if (!inv) return { outcome: 'gap', seq: 0 };
        held = inv.seq;
        if (delta.epoch < inv.epoch) return { outcome: 'stale-epoch', seq: inv.seq };
        // A new epoch restarts numbering: only a snapshot can bridge it.
        if (delta.epoch > inv.epoch) return { outcome: 'gap', seq: inv.seq };
        if (delta.seq <= inv.seq) return { outcome: 'duplicate', seq: inv.seq };
        if (delta.baseSeq !== inv.seq) return { outcome: 'gap', seq: inv.seq };
        const after = applyComponents(this.rows, hostId, delta, digestVersion, inv.lthash, computeDigest);
        if (after.digest !== delta.digestAfter) throw new DigestMismatch();
        this.stmt('UPDATE inventories SET seq = ?, digest = ?, lthash = ? WHERE host_id = ?').run(delta.seq, delta.digestAfter, after.lthash, hostId);
        return { outcome: 'applied', seq: delta.seq };
      })();
    } catch (err) {
      if (err instanceof DigestMismatch) return { outcome: 'digest-mismatch', seq: held };
      throw err;
    }
  }

  replaceInventory(hostId: string, epoch: number, seq: number, components: Component[], digest: string, lthash?: Uint8Array): void {
    this.db.transaction(() => {
      this.requireHost(hostId, true);
      this.stmt('DELETE FROM components WHERE host_id = ?').run(hostId);
      for (const c of components) this.rows.insertComponent(hostId, c);
      this.stmt(
        `INSERT INTO inventories (host_id, epoch, seq, digest, lthash) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (host_id) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq, digest = excluded.digest, lthash = excluded.lthash`,
      ).run(hostId, epoch, seq, digest, lthash ? Buffer.from(lthash) : null);
    })();
  }

  inventoryHead(hostId: string, version: DigestVersion): InventoryHead | undefined {
    return this.db.transaction(() => inventoryHead(this.rows, hostId, version))();
  }

  inventory(hostId: string): InventoryState | undefined {
    return this.db.transaction(() => {
      const inv = this.stmt<[string], { epoch: number; seq: number; digest: string }>('SELECT epoch, seq, digest FROM inventories WHERE host_id = ?').get(hostId);
      return inv && { epoch: inv.epoch, seq: inv.seq, digest: inv.digest, components: this.rows.components(hostId) };
    })();
  }

  hostsHolding(ecosystem: Ecosystem, names: string[]): string[] {
    if (names.length === 0) return [];
    const json = JSON.stringify([...new Set(names.map((n) => componentNameKey(ecosystem, n)))]);
    return this.stmt<[string, string, string], { host_id: string }>(
      `SELECT DISTINCT c.host_id FROM components c JOIN hosts h ON h.id = c.host_id
       WHERE h.revoked_at IS NULL AND c.ecosystem = ?
         AND (c.name_key IN (SELECT value FROM json_each(?)) OR c.source_key IN (SELECT value FROM json_each(?)))
       ORDER BY c.host_id`,
    )
      .all(ecosystem, json, json)
      .map((r) => r.host_id);
  }

  /** The reason read off the inventory: same component still there, same package at another version, or gone. */
  private derivedReason(hostId: string, row: FindingRow): CloseReason {
    if (this.stmt<[string, string]>('SELECT 1 FROM components WHERE host_id = ? AND key = ?').get(hostId, row.component_key)) return 'advisory-changed';
    if (this.stmt<[string, string]>('SELECT 1 FROM components WHERE host_id = ? AND purl_name = ?').get(hostId, row.purl_name)) return 'upgraded';
    return 'removed';
  }

  reconcileFindings(hostId: string, current: F[], now: string, reasonFor?: ReasonFor<F>, suppressedBy?: (f: F) => boolean): ReconcileResult {
    return this.db.transaction((): ReconcileResult => {
      this.requireHost(hostId, true);
      const existing = new Map(
        this.stmt<[string], FindingRow>('SELECT * FROM findings WHERE host_id = ?')
          .all(hostId)
          .map((r) => [r.id, r]),
      );
      const suppressed = new Set(
        this.stmt<[string], { vulnerability: string }>('SELECT vulnerability FROM suppressions WHERE host_id IS NULL OR host_id = ?')
          .all(hostId)
          .map((r) => r.vulnerability),
      );
      const out: ReconcileResult = { opened: [], reopened: [], closed: [] };
      const present = new Set<string>();
      for (const f of current) {
        if (present.has(f.id)) continue;
        present.add(f.id);
        const status: FindingStatus = [f.vulnerability, ...f.aliases].some((v) => suppressed.has(v)) || suppressedBy?.(f) ? 'SUPPRESSED' : 'ACTIVE';
        const doc = JSON.stringify(f);
        const row = existing.get(f.id);
        if (!row) {
          findingOpened(hostId, f.id, status);
          this.stmt(
            `INSERT INTO findings (host_id, id, vulnerability, severity, score, status, first_seen, last_seen, episode, component_key, purl_name, doc)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
          ).run(hostId, f.id, f.vulnerability, f.severity, f.score, status, now, now, componentKey(f.component), purlName(f.component.purl), doc);
          out.opened.push(f.id);
        } else if (row.status === 'CLOSED') {
          findingTransition({ hostId, findingId: f.id, from: 'CLOSED', to: status });
          // A finding that comes back is a new episode of the same id, so links to it
          // stay valid; the closed episode moves to the history table.
          this.stmt(
            'INSERT INTO finding_episodes (host_id, finding_id, episode, first_seen, last_seen, closed_at, close_reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
          ).run(hostId, f.id, row.episode, row.first_seen, row.last_seen, row.closed_at ?? now, row.close_reason ?? 'removed');
          this.stmt(
            `UPDATE findings SET status = ?, severity = ?, score = ?, first_seen = ?, last_seen = ?, closed_at = NULL, close_reason = NULL,
               episode = episode + 1, doc = ? WHERE host_id = ? AND id = ?`,
          ).run(status, f.severity, f.score, now, now, doc, hostId, f.id);
          out.reopened.push(f.id);
        } else {
          if (row.status !== status) findingTransition({ hostId, findingId: f.id, from: row.status, to: status });
          this.stmt('UPDATE findings SET status = ?, severity = ?, score = ?, last_seen = ?, doc = ? WHERE host_id = ? AND id = ?').run(
            status,
            f.severity,
            f.score,
            now,
            doc,
            hostId,
            f.id,
          );
        }
      }
      for (const row of existing.values()) {
        if (present.has(row.id) || row.status === 'CLOSED') continue;
        const reason = reasonFor?.(toFinding<F>(row)) ?? this.derivedReason(hostId, row);
        findingTransition({ hostId, findingId: row.id, from: row.status, to: 'CLOSED', reason });
        this.stmt("UPDATE findings SET status = 'CLOSED', closed_at = ?, close_reason = ? WHERE host_id = ? AND id = ?").run(now, reason, hostId, row.id);
        out.closed.push(row.id);
      }
      return out;
    })();
  }

  findings(filter: FindingFilter = {}): Array<StoredFinding<F>> {
    const { sql, params } = findingsQuery(filter);
    return this.stmt<unknown[], FindingRow>(sql).all(...params).map((r) => toFinding<F>(r));
  }

  hostTallies(hostId?: string): Map<string, HostTally> {
    type Row = Parameters<typeof toHostTallies>[0][number];
    return toHostTallies(hostId === undefined ? this.stmt<[], Row>(HOST_TALLIES).all() : this.stmt<[string], Row>(HOST_TALLY).all(hostId));
  }

  findingsPage(filter: FindingFilter, page: FindingPageRequest): FindingPage<F> {
    const { sql, params } = findingsPageQuery(filter, page);
    return toFindingPage<F>(this.stmt<unknown[], FindingPageRow>(sql).all(...params), page.limit);
  }

  finding(hostId: string, id: string): StoredFinding<F> | undefined {
    const r = this.stmt<[string, string], FindingRow>(`SELECT f.*, ${HISTORY} FROM findings f WHERE f.host_id = ? AND f.id = ?`).get(hostId, id);
    return r && toFinding<F>(r);
  }

  findingHistory(hostId: string, id: string): FindingEpisode[] {
    return this.stmt<[string, string], EpisodeRow>(
      'SELECT episode, first_seen, last_seen, closed_at, close_reason FROM finding_episodes WHERE host_id = ? AND finding_id = ? ORDER BY episode',
    )
      .all(hostId, id)
      .map(toEpisode);
  }

  suppress(rule: SuppressionRule): number {
    return this.db.transaction(() => {
      if (rule.hostId !== undefined) this.requireHost(rule.hostId, false);
      this.stmt('INSERT INTO suppressions (vulnerability, host_id, reason, created_at) VALUES (?, ?, ?, ?)').run(
        rule.vulnerability,
        rule.hostId ?? null,
        rule.reason,
        rule.createdAt,
      );
      const covered = this.stmt<[string, string, string | null, string | null], { host_id: string; id: string }>(
        `SELECT host_id, id FROM findings WHERE status = 'ACTIVE'
           AND (vulnerability = ? OR EXISTS (SELECT 1 FROM json_each(doc, '$.aliases') a WHERE a.value = ?))
           AND (? IS NULL OR host_id = ?)`,
      ).all(rule.vulnerability, rule.vulnerability, rule.hostId ?? null, rule.hostId ?? null);
      const set = this.stmt("UPDATE findings SET status = 'SUPPRESSED' WHERE host_id = ? AND id = ?");
      for (const f of covered) {
        findingTransition({ hostId: f.host_id, findingId: f.id, from: 'ACTIVE', to: 'SUPPRESSED' });
        set.run(f.host_id, f.id);
      }
      return covered.length;
    })();
  }

  close(): void {
    this.db.close();
  }
}
