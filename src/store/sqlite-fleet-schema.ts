import { isHostState } from '../common/lifecycle/host.js';
import {
  type CloseReason,
  type FindingEpisode,
  type FindingFilter,
  type FindingPage,
  type FindingPageRequest,
  type FindingSortKey,
  type FindingRecord,
  type FindingStatus,
  type HostFactsDoc,
  type HostRecord,
  type HostTally,
  type StoredFinding,
} from './fleet-store.js';

/** The fleet database's tables, rows and their mapping to the store's records (see sqlite-fleet.ts). */

export const SCHEMA_VERSION = 4;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hosts (
  id TEXT PRIMARY KEY, hostname TEXT NOT NULL, facts TEXT NOT NULL, agent_version TEXT NOT NULL,
  cert_fingerprint TEXT NOT NULL, enrolled_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, revoked_at TEXT,
  machine_id TEXT, state TEXT NOT NULL DEFAULT 'enrolled');
CREATE TABLE IF NOT EXISTS host_tags (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY (host_id, tag));
CREATE INDEX IF NOT EXISTS host_tags_by_tag ON host_tags (tag);
CREATE TABLE IF NOT EXISTS inventories (
  host_id TEXT PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL, seq INTEGER NOT NULL, digest TEXT NOT NULL, lthash BLOB);
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

/** A severity as its rank, so `critical` sorts last ascending; the index on it and the sort use this one expression. */
const SEVERITY_RANK = "CASE severity WHEN 'critical' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 WHEN 'negligible' THEN 1 ELSE 0 END";

/**
 * Created after migrations: they index columns older databases gain in migrate(), and
 * the sort keys of a findings page (score, severity, vulnerability), each with the host
 * and finding id after it, so a page reads its rows in order instead of sorting them all.
 *
 * Then the dashboard's aggregates (store/sqlite-fleet-stats.ts, sqlite-fleet-kpis.ts),
 * status first so an aggregate over the open or closed findings reads only those; those
 * over every open finding cover what they read, so no row or document is read for them:
 * `findings_by_status_host`, the riskiest hosts; `findings_by_status_vulnerability`, the
 * top vulnerabilities; `findings_by_status_opened`, open findings by day, the age of the
 * open ones and the first openings of a window (time to detect). `findings_by_status_closed`
 * and `finding_episodes_by_closed` find what closed in a window (MTTR, SLA). Two partial
 * indexes hold the open findings a document field marks, each under the WHERE its
 * count repeats: `findings_open_kev` (in the KEV catalog) and `findings_open_exposed_critical`
 * (critical, listening beyond private addresses). Their leading columns repeat the WHERE's
 * equalities: SQLite prefers an index it can search by equality to a scan of a smaller one.
 * `findings_by_epss` orders the findings by their EPSS score, for the `epss` filter.
 */
export const INDEXES = `
DROP INDEX IF EXISTS findings_by_vulnerability;
DROP INDEX IF EXISTS findings_by_status_first_seen;
CREATE INDEX IF NOT EXISTS findings_by_vulnerability_key ON findings (vulnerability, host_id, id);
CREATE INDEX IF NOT EXISTS findings_by_score ON findings (score, host_id, id);
CREATE INDEX IF NOT EXISTS findings_by_severity_rank ON findings ((${SEVERITY_RANK}), host_id, id);
CREATE INDEX IF NOT EXISTS components_by_name_key ON components (ecosystem, name_key);
CREATE INDEX IF NOT EXISTS components_by_source_key ON components (ecosystem, source_key);
CREATE UNIQUE INDEX IF NOT EXISTS hosts_by_machine ON hosts (machine_id) WHERE machine_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS findings_by_status_host ON findings (status, host_id, score, severity);
CREATE INDEX IF NOT EXISTS findings_by_status_vulnerability ON findings (status, vulnerability, host_id, score, severity);
CREATE INDEX IF NOT EXISTS findings_by_status_opened ON findings (status, first_seen, severity, vulnerability, episode);
CREATE INDEX IF NOT EXISTS findings_by_status_closed ON findings (status, closed_at);
CREATE INDEX IF NOT EXISTS finding_episodes_by_closed ON finding_episodes (closed_at);
CREATE INDEX IF NOT EXISTS findings_open_kev ON findings (status, vulnerability) WHERE status = 'ACTIVE' AND json_extract(doc, '$.kev') IS NOT NULL;
CREATE INDEX IF NOT EXISTS findings_open_exposed_critical ON findings (status, severity, host_id)
  WHERE status = 'ACTIVE' AND severity = 'critical' AND json_extract(doc, '$.exposure') = 'any';
CREATE INDEX IF NOT EXISTS findings_by_epss ON findings (json_extract(doc, '$.epss.score'));
`;

export interface HostRow {
  id: string;
  hostname: string;
  facts: string;
  agent_version: string;
  cert_fingerprint: string;
  enrolled_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  machine_id: string | null;
  state: string;
  tags: string;
}

export interface FindingRow {
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
  /** Closed earlier episodes as a JSON array, only selected by findings(). */
  history?: string | null;
}

/** Thrown inside a delta's transaction to roll it back when the digest disagrees. */
export class DigestMismatch extends Error {}

export const HOST_SELECT = `SELECT h.*, (SELECT json_group_array(tag) FROM (SELECT tag FROM host_tags WHERE host_id = h.id ORDER BY tag)) AS tags FROM hosts h`;

export function toHost(r: HostRow): HostRecord {
  const host: HostRecord = {
    id: r.id,
    hostname: r.hostname,
    facts: JSON.parse(r.facts) as HostFactsDoc,
    tags: JSON.parse(r.tags) as string[],
    agentVersion: r.agent_version,
    certFingerprint: r.cert_fingerprint,
    enrolledAt: r.enrolled_at,
    lastSeenAt: r.last_seen_at,
    state: isHostState(r.state) ? r.state : 'offline',
  };
  if (r.revoked_at) host.revokedAt = r.revoked_at;
  if (r.machine_id) host.machineId = r.machine_id;
  return host;
}

export interface EpisodeRow {
  episode: number;
  first_seen: string;
  last_seen: string;
  closed_at: string;
  close_reason: string;
}

export function toEpisode(r: EpisodeRow): FindingEpisode {
  return { episode: r.episode, firstSeen: r.first_seen, lastSeen: r.last_seen, closedAt: r.closed_at, closeReason: r.close_reason as CloseReason };
}

/** The closed earlier episodes of a finding row, as one JSON array: no query per finding. */
export const HISTORY = `CASE WHEN f.episode > 1 THEN (SELECT json_group_array(json_object('episode', e.episode, 'first_seen', e.first_seen,
  'last_seen', e.last_seen, 'closed_at', e.closed_at, 'close_reason', e.close_reason))
  FROM (SELECT * FROM finding_episodes WHERE host_id = f.host_id AND finding_id = f.id ORDER BY episode) e) END AS history`;

/** A row as the stored finding it holds: the document comes back as it went in, typed as the store's finding type. */
export function toFinding<F extends FindingRecord = FindingRecord>(r: FindingRow): StoredFinding<F> {
  const current: FindingEpisode = { episode: r.episode, firstSeen: r.first_seen, lastSeen: r.last_seen };
  if (r.closed_at) current.closedAt = r.closed_at;
  if (r.close_reason) current.closeReason = r.close_reason as CloseReason;
  const earlier = r.history ? (JSON.parse(r.history) as EpisodeRow[]).map(toEpisode) : [];
  const f: StoredFinding<F> = {
    hostId: r.host_id,
    id: r.id,
    status: r.status,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    episode: r.episode,
    episodes: [...earlier, current],
    finding: JSON.parse(r.doc) as F,
  };
  if (r.closed_at) f.closedAt = r.closed_at;
  if (r.close_reason) f.closeReason = r.close_reason as CloseReason;
  return f;
}

/** The WHERE of a findings query: every filter is a bound parameter, never text in the SQL. */
export function findingsWhere(filter: FindingFilter): { where: string[]; params: unknown[] } {
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
  if (filter.vulnerability !== undefined) {
    where.push('f.vulnerability = ?');
    params.push(filter.vulnerability);
  }
  if (filter.tag !== undefined) {
    where.push('EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = f.host_id AND t.tag = ?)');
    params.push(filter.tag);
  }
  if (filter.kev !== undefined) where.push(`json_extract(f.doc, '$.kev') IS ${filter.kev ? 'NOT ' : ''}NULL`);
  if (filter.fixable !== undefined) where.push(`json_extract(f.doc, '$.fixedVersion') IS ${filter.fixable ? 'NOT ' : ''}NULL`);
  if (filter.exposure !== undefined) {
    where.push("json_extract(f.doc, '$.exposure') IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify([filter.exposure].flat()));
  }
  if (filter.package !== undefined) {
    // The purl without version: `pkg:deb/debian/openssl` or a prefix of it such as `pkg:npm/`.
    where.push("substr(f.purl_name, 1, length(?)) = ?");
    params.push(filter.package, filter.package);
  }
  if (filter.purl !== undefined) {
    where.push('f.purl_name = ?');
    params.push(filter.purl);
  }
  if (filter.epss !== undefined) {
    // The expression of findings_by_epss, so a selective threshold reads only the rows above it.
    where.push("json_extract(f.doc, '$.epss.score') >= ?");
    params.push(filter.epss);
  }
  if (filter.inUse !== undefined) where.push(`json_extract(f.doc, '$.inUse') ${filter.inUse ? '= 1' : 'IS NOT 1'}`);
  return { where, params };
}

/** The SELECT of `findings(filter)`. */
export function findingsQuery(filter: FindingFilter): { sql: string; params: unknown[] } {
  const { where, params } = findingsWhere(filter);
  const sql = `SELECT f.*, ${HISTORY} FROM findings f${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY f.host_id, f.score DESC, f.vulnerability, f.id`;
  return { sql, params };
}

/** The column each sort key orders by; severity by rank, so `critical` comes first when descending. */
const SORT_COLUMN: Record<FindingSortKey, string> = {
  score: 'f.score',
  severity: SEVERITY_RANK,
  firstSeen: 'f.first_seen',
  lastSeen: 'f.last_seen',
  host: 'f.host_id',
  vulnerability: 'f.vulnerability',
};

/**
 * One page of findings in keyset order: by the sort column, then host and finding id in
 * the same direction (so one index serves a sort either way), so a page starts exactly after the last row of the one before whatever was written
 * in between. Selects one row more than the limit to tell whether another page follows.
 */
export function findingsPageQuery(filter: FindingFilter, page: FindingPageRequest): { sql: string; params: unknown[]; column: string } {
  const { where, params } = findingsWhere(filter);
  const col = SORT_COLUMN[page.sort];
  const dir = page.descending ? 'DESC' : 'ASC';
  if (page.after) {
    where.push(`(${col}, f.host_id, f.id) ${page.descending ? '<' : '>'} (?, ?, ?)`);
    params.push(page.after.value, page.after.hostId, page.after.id);
  }
  const sql = `SELECT f.*, ${HISTORY}, ${col} AS sort_value FROM findings f${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${col} ${dir}, f.host_id ${dir}, f.id ${dir} LIMIT ?`;
  params.push(page.limit + 1);
  return { sql, params, column: col };
}

export type FindingPageRow = FindingRow & { sort_value: string | number };

/** The rows of findingsPageQuery as a page: the extra row, when there is one, only says that another page follows. */
export function toFindingPage<F extends FindingRecord>(rows: FindingPageRow[], limit: number): FindingPage<F> {
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const items = rows.map((r) => toFinding<F>(r));
  const last = rows[rows.length - 1];
  return more && last ? { items, next: { value: last.sort_value, hostId: last.host_id, id: last.id } } : { items };
}

/**
 * Per host: its component count, inventory position and ACTIVE findings per severity, in
 * one query; every host's, or (HOST_TALLY) one host's found by its id. The counts read
 * only the host's open findings in findings_by_status_host: `+severity` keeps the planner
 * from walking findings_by_status (every ACTIVE finding of the fleet) for its order.
 */
const TALLY_SELECT = `SELECT h.id AS host_id, i.epoch, i.seq, i.digest,
  (SELECT COUNT(*) FROM components c WHERE c.host_id = h.id) AS components,
  (SELECT json_group_object(severity, n) FROM (SELECT severity, COUNT(*) AS n FROM findings f WHERE f.host_id = h.id AND f.status = 'ACTIVE' GROUP BY +severity)) AS counts
  FROM hosts h LEFT JOIN inventories i ON i.host_id = h.id`;
export const HOST_TALLIES = TALLY_SELECT;
export const HOST_TALLY = `${TALLY_SELECT} WHERE h.id = ?`;

export function toHostTallies(rows: Array<{ host_id: string; epoch: number | null; seq: number | null; digest: string | null; components: number; counts: string }>): Map<string, HostTally> {
  const out = new Map<string, HostTally>();
  for (const r of rows) {
    const t: HostTally = { components: r.components, active: JSON.parse(r.counts) as Record<string, number> };
    if (r.digest !== null) Object.assign(t, { epoch: r.epoch, seq: r.seq, digest: r.digest });
    out.set(r.host_id, t);
  }
  return out;
}
