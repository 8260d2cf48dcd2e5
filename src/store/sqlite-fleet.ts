import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Component, Ecosystem } from '../common/model.js';
import { VigilError } from '../common/errors.js';
import { componentNameKey } from '../advisories/keys.js';
import {
  componentKey,
  purlName,
  type CloseReason,
  type Delta,
  type DeltaResult,
  type DigestFn,
  type FindingEpisode,
  type FindingFilter,
  type FindingRecord,
  type FindingStatus,
  type FleetStore,
  type HostFactsDoc,
  type HostFilter,
  type HostInput,
  type HostRecord,
  type InventoryState,
  type ReasonFor,
  type ReconcileResult,
  type StoredFinding,
  type SuppressionRule,
} from './fleet-store.js';

const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hosts (
  id TEXT PRIMARY KEY, hostname TEXT NOT NULL, facts TEXT NOT NULL, agent_version TEXT NOT NULL,
  cert_fingerprint TEXT NOT NULL, enrolled_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS host_tags (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY (host_id, tag));
CREATE INDEX IF NOT EXISTS host_tags_by_tag ON host_tags (tag);
CREATE TABLE IF NOT EXISTS inventories (
  host_id TEXT PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL, seq INTEGER NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS components (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, key TEXT NOT NULL,
  ecosystem TEXT NOT NULL, name TEXT NOT NULL, source_name TEXT, purl_name TEXT NOT NULL, doc TEXT NOT NULL,
  name_key TEXT NOT NULL DEFAULT '', source_key TEXT,
  PRIMARY KEY (host_id, key));
CREATE INDEX IF NOT EXISTS components_by_purl_name ON components (host_id, purl_name);
CREATE TABLE IF NOT EXISTS findings (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, id TEXT NOT NULL,
  vulnerability TEXT NOT NULL, severity TEXT NOT NULL, score REAL NOT NULL, status TEXT NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, closed_at TEXT, close_reason TEXT, episode INTEGER NOT NULL,
  component_key TEXT NOT NULL, purl_name TEXT NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (host_id, id));
CREATE INDEX IF NOT EXISTS findings_by_vulnerability ON findings (vulnerability);
CREATE INDEX IF NOT EXISTS findings_by_status ON findings (status, severity);
CREATE TABLE IF NOT EXISTS finding_episodes (
  host_id TEXT NOT NULL, finding_id TEXT NOT NULL, episode INTEGER NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, closed_at TEXT NOT NULL, close_reason TEXT NOT NULL,
  PRIMARY KEY (host_id, finding_id, episode),
  FOREIGN KEY (host_id, finding_id) REFERENCES findings (host_id, id) ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS suppressions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, vulnerability TEXT NOT NULL, host_id TEXT REFERENCES hosts (id) ON DELETE CASCADE,
  reason TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS suppressions_by_vulnerability ON suppressions (vulnerability);
`;

/** Created after migrations: they index columns a version 1 database gains in migrate(). */
const INDEXES = `
CREATE INDEX IF NOT EXISTS components_by_name_key ON components (ecosystem, name_key);
CREATE INDEX IF NOT EXISTS components_by_source_key ON components (ecosystem, source_key);
`;

interface HostRow {
  id: string;
  hostname: string;
  facts: string;
  agent_version: string;
  cert_fingerprint: string;
  enrolled_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  tags: string;
}

interface FindingRow {
  host_id: string;
  id: string;
  status: FindingStatus;
  first_seen: string;
  last_seen: string;
  closed_at: string | null;
  close_reason: string | null;
  episode: number;
  component_key: string;
  purl_name: string;
  doc: string;
}

/** Thrown inside a delta's transaction to roll it back when the digest disagrees. */
class DigestMismatch extends Error {}

const HOST_SELECT = `SELECT h.*, (SELECT json_group_array(tag) FROM (SELECT tag FROM host_tags WHERE host_id = h.id ORDER BY tag)) AS tags FROM hosts h`;

function toHost(r: HostRow): HostRecord {
  const host: HostRecord = {
    id: r.id,
    hostname: r.hostname,
    facts: JSON.parse(r.facts) as HostFactsDoc,
    tags: JSON.parse(r.tags) as string[],
    agentVersion: r.agent_version,
    certFingerprint: r.cert_fingerprint,
    enrolledAt: r.enrolled_at,
    lastSeenAt: r.last_seen_at,
  };
  if (r.revoked_at) host.revokedAt = r.revoked_at;
  return host;
}

function toFinding(r: FindingRow): StoredFinding {
  const f: StoredFinding = {
    hostId: r.host_id,
    id: r.id,
    status: r.status,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    episode: r.episode,
    finding: JSON.parse(r.doc) as FindingRecord,
  };
  if (r.closed_at) f.closedAt = r.closed_at;
  if (r.close_reason) f.closeReason = r.close_reason as CloseReason;
  return f;
}

/**
 * Fleet state in one SQLite file (WAL, foreign keys on). Every delta, snapshot and
 * reconciliation is one transaction, so a server that dies mid-way leaves each host
 * at its previous seq with the components and findings that seq describes.
 */
export class SqliteFleetStore implements FleetStore {
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
        if (v && Number(v.value) < 2) this.migrateToKeys();
        this.db.exec(INDEXES);
        this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
      })();
    } catch (err) {
      this.db.close();
      throw new VigilError('INVALID_INPUT', `${file} is not a Vigil fleet database: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Version 1 → 2: components gain the names the inverted index compares
   * (componentNameKey), filled from every stored component, in the same transaction.
   */
  private migrateToKeys(): void {
    this.db.exec(`ALTER TABLE components ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE components ADD COLUMN source_key TEXT;
      DROP INDEX IF EXISTS components_by_name;
      DROP INDEX IF EXISTS components_by_source;`);
    const update = this.db.prepare<[string, string | null, string, string]>('UPDATE components SET name_key = ?, source_key = ? WHERE host_id = ? AND key = ?');
    const rows = this.db.prepare<[], { host_id: string; key: string; ecosystem: string; name: string; source_name: string | null }>('SELECT host_id, key, ecosystem, name, source_name FROM components').all();
    for (const r of rows) update.run(componentNameKey(r.ecosystem, r.name), r.source_name === null ? null : componentNameKey(r.ecosystem, r.source_name), r.host_id, r.key);
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
    if (writable && r.revoked_at) throw new VigilError('INVALID_INPUT', `host ${id} was revoked at ${r.revoked_at}`);
  }

  upsertHost(host: HostInput, now: string): void {
    this.db.transaction(() => {
      this.stmt(
        `INSERT INTO hosts (id, hostname, facts, agent_version, cert_fingerprint, enrolled_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET hostname = excluded.hostname, facts = excluded.facts,
           agent_version = excluded.agent_version, cert_fingerprint = excluded.cert_fingerprint, last_seen_at = excluded.last_seen_at`,
      ).run(host.id, host.hostname, JSON.stringify(host.facts), host.agentVersion, host.certFingerprint, now, now);
      this.stmt('DELETE FROM host_tags WHERE host_id = ?').run(host.id);
      const ins = this.stmt('INSERT OR IGNORE INTO host_tags (host_id, tag) VALUES (?, ?)');
      for (const t of host.tags) ins.run(host.id, t);
    })();
  }

  revokeHost(id: string, now: string): void {
    const r = this.stmt('UPDATE hosts SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(now, id);
    if (r.changes === 0) throw new VigilError('NOT_FOUND', `unknown host ${id}`);
  }

  host(id: string): HostRecord | undefined {
    const r = this.stmt<[string], HostRow>(`${HOST_SELECT} WHERE h.id = ?`).get(id);
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

  private components(hostId: string): Component[] {
    return this.stmt<[string], { doc: string }>('SELECT doc FROM components WHERE host_id = ? ORDER BY key')
      .all(hostId)
      .map((r) => JSON.parse(r.doc) as Component);
  }

  private insertComponent(hostId: string, c: Component): void {
    this.stmt('INSERT OR REPLACE INTO components (host_id, key, ecosystem, name, source_name, purl_name, doc, name_key, source_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      hostId,
      componentKey(c),
      c.ecosystem,
      c.name,
      c.source?.name ?? null,
      purlName(c.purl),
      JSON.stringify(c),
      componentNameKey(c.ecosystem, c.name),
      c.source ? componentNameKey(c.ecosystem, c.source.name) : null,
    );
  }

  applyDelta(hostId: string, delta: Delta, computeDigest: DigestFn): DeltaResult {
    let held = 0;
    try {
      return this.db.transaction((): DeltaResult => {
        this.requireHost(hostId, true);
        const inv = this.stmt<[string], { epoch: number; seq: number }>('SELECT epoch, seq FROM inventories WHERE host_id = ?').get(hostId);
        // Without a snapshot there is nothing to apply a delta to.
        if (!inv) return { outcome: 'gap', seq: 0 };
        held = inv.seq;
        if (delta.epoch < inv.epoch) return { outcome: 'stale-epoch', seq: inv.seq };
        // A new epoch restarts numbering: only a snapshot can bridge it.
        if (delta.epoch > inv.epoch) return { outcome: 'gap', seq: inv.seq };
        if (delta.seq <= inv.seq) return { outcome: 'duplicate', seq: inv.seq };
        if (delta.baseSeq !== inv.seq) return { outcome: 'gap', seq: inv.seq };
        const del = this.stmt('DELETE FROM components WHERE host_id = ? AND key = ?');
        for (const key of delta.removed) del.run(hostId, key);
        for (const c of delta.added) this.insertComponent(hostId, c);
        if (computeDigest(this.components(hostId)) !== delta.digestAfter) throw new DigestMismatch();
        this.stmt('UPDATE inventories SET seq = ?, digest = ? WHERE host_id = ?').run(delta.seq, delta.digestAfter, hostId);
        return { outcome: 'applied', seq: delta.seq };
      })();
    } catch (err) {
      if (err instanceof DigestMismatch) return { outcome: 'digest-mismatch', seq: held };
      throw err;
    }
  }

  replaceInventory(hostId: string, epoch: number, seq: number, components: Component[], digest: string): void {
    this.db.transaction(() => {
      this.requireHost(hostId, true);
      this.stmt('DELETE FROM components WHERE host_id = ?').run(hostId);
      for (const c of components) this.insertComponent(hostId, c);
      this.stmt(
        `INSERT INTO inventories (host_id, epoch, seq, digest) VALUES (?, ?, ?, ?)
         ON CONFLICT (host_id) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq, digest = excluded.digest`,
      ).run(hostId, epoch, seq, digest);
    })();
  }

  inventory(hostId: string): InventoryState | undefined {
    return this.db.transaction(() => {
      const inv = this.stmt<[string], { epoch: number; seq: number; digest: string }>('SELECT epoch, seq, digest FROM inventories WHERE host_id = ?').get(hostId);
      return inv && { epoch: inv.epoch, seq: inv.seq, digest: inv.digest, components: this.components(hostId) };
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

  reconcileFindings(hostId: string, current: FindingRecord[], now: string, reasonFor?: ReasonFor): ReconcileResult {
    return this.db.transaction((): ReconcileResult => {
      this.requireHost(hostId, false);
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
        const status: FindingStatus = [f.vulnerability, ...f.aliases].some((v) => suppressed.has(v)) ? 'SUPPRESSED' : 'ACTIVE';
        const doc = JSON.stringify(f);
        const row = existing.get(f.id);
        if (!row) {
          this.stmt(
            `INSERT INTO findings (host_id, id, vulnerability, severity, score, status, first_seen, last_seen, episode, component_key, purl_name, doc)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
          ).run(hostId, f.id, f.vulnerability, f.severity, f.score, status, now, now, componentKey(f.component), purlName(f.component.purl), doc);
          out.opened.push(f.id);
        } else if (row.status === 'CLOSED') {
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
        const reason = reasonFor?.(toFinding(row)) ?? this.derivedReason(hostId, row);
        this.stmt("UPDATE findings SET status = 'CLOSED', closed_at = ?, close_reason = ? WHERE host_id = ? AND id = ?").run(now, reason, hostId, row.id);
        out.closed.push(row.id);
      }
      return out;
    })();
  }

  findings(filter: FindingFilter = {}): StoredFinding[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.hostId !== undefined) {
      where.push('f.host_id = ?');
      params.push(filter.hostId);
    }
    if (filter.severity !== undefined) {
      where.push('f.severity IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify([filter.severity].flat()));
    }
    if (filter.status !== undefined) {
      where.push('f.status IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify([filter.status].flat()));
    }
    if (filter.cve !== undefined) {
      where.push("(f.vulnerability = ? OR EXISTS (SELECT 1 FROM json_each(f.doc, '$.aliases') a WHERE a.value = ?))");
      params.push(filter.cve, filter.cve);
    }
    if (filter.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = f.host_id AND t.tag = ?)');
      params.push(filter.tag);
    }
    const sql = `SELECT f.* FROM findings f${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY f.host_id, f.score DESC, f.vulnerability, f.id`;
    return this.stmt<unknown[], FindingRow>(sql).all(...params).map(toFinding);
  }

  findingHistory(hostId: string, id: string): FindingEpisode[] {
    return this.stmt<[string, string], { episode: number; first_seen: string; last_seen: string; closed_at: string; close_reason: string }>(
      'SELECT episode, first_seen, last_seen, closed_at, close_reason FROM finding_episodes WHERE host_id = ? AND finding_id = ? ORDER BY episode',
    )
      .all(hostId, id)
      .map((r) => ({ episode: r.episode, firstSeen: r.first_seen, lastSeen: r.last_seen, closedAt: r.closed_at, closeReason: r.close_reason as CloseReason }));
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
      return this.stmt<[string, string, string | null, string | null]>(
        `UPDATE findings SET status = 'SUPPRESSED' WHERE status = 'ACTIVE'
           AND (vulnerability = ? OR EXISTS (SELECT 1 FROM json_each(doc, '$.aliases') a WHERE a.value = ?))
           AND (? IS NULL OR host_id = ?)`,
      ).run(rule.vulnerability, rule.vulnerability, rule.hostId ?? null, rule.hostId ?? null).changes;
    })();
  }

  close(): void {
    this.db.close();
  }
}
