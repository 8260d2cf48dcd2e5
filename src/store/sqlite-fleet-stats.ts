import Database from 'better-sqlite3';
import { VigilError, describeError } from '../common/errors.js';
import type { FindingFilter } from './fleet-store.js';
import { findingsWhere } from './sqlite-fleet-schema.js';

/**
 * The fleet's numbers at a glance (the console's dashboard and a findings view's
 * counts), each counted by one SQL aggregate over a read-only connection of its own
 * to fleet.db, as the metrics counts are (server/metrics-snapshot.ts): WAL lets it
 * read the last commit without blocking the writer, and no finding or inventory is
 * loaded to count it. "Open" is ACTIVE: a suppressed finding is left out of every
 * open count, as it is of a host's tallies.
 */

export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  negligible: number;
  unknown: number;
  total: number;
}

export interface RiskiestHost {
  id: string;
  hostname: string;
  /** The highest Vigil score of its open findings. */
  maxScore: number;
  critical: number;
  high: number;
  open: number;
}

export interface TopVulnerability {
  vulnerability: string;
  /** Hosts with an open finding of it. */
  hosts: number;
  findings: number;
  /** The highest severity and score its open findings carry. */
  severity: string;
  maxScore: number;
  kev: boolean;
}

export interface FleetTotals {
  open: SeverityCounts;
  /** Open findings in CISA's Known Exploited Vulnerabilities catalog. */
  kevOpen: number;
  suppressed: number;
  /** Hosts with an open critical finding whose package listens beyond loopback and private addresses (exposure `any`). */
  exposedCriticalHosts: number;
  hosts: { total: number; seenSince: number; stale: number; revoked: number };
  /** Hosts not revoked, per agent version. */
  agentVersions: Array<{ version: string; hosts: number }>;
  riskiestHosts: RiskiestHost[];
  topVulnerabilities: TopVulnerability[];
  /** Open findings per day their episode opened (UTC), from `since` on. */
  openedByDay: Array<{ day: string; findings: number }>;
}

export interface FindingCounts {
  severity: SeverityCounts;
  status: { ACTIVE: number; SUPPRESSED: number; CLOSED: number };
}

export interface FleetStatsReader {
  /** `seenSince`: hosts seen at or after it count as seen, older ones as stale; `daysSince`: the first day of `openedByDay`. */
  totals(seenSince: string, daysSince: string, top: number): FleetTotals;
  /** How many findings a findings query names, by severity and by status. */
  findingCounts(filter: FindingFilter): FindingCounts;
  close(): void;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;
const RANK = "CASE severity WHEN 'critical' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 WHEN 'negligible' THEN 1 ELSE 0 END";

function severityCounts(rows: Array<{ severity: string; n: number }>): SeverityCounts {
  const out: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0, total: 0 };
  for (const r of rows) {
    const s = (SEVERITIES as readonly string[]).includes(r.severity) ? (r.severity as (typeof SEVERITIES)[number]) : 'unknown';
    out[s] += r.n;
    out.total += r.n;
  }
  return out;
}

/**
 * The statements of totals(), each read from an index of INDEXES (sqlite-fleet-schema.ts)
 * alone: KEV and exposure from the partial indexes of the open findings they mark (their
 * WHERE repeated here, so SQLite takes them), never from every open finding's document.
 * Open findings by day are counted per first_seen in index order first, so the sort by
 * day sees one row per distinct time rather than one per open finding.
 */
export const STATS_SQL = {
  open: "SELECT severity, COUNT(*) AS n FROM findings WHERE status = 'ACTIVE' GROUP BY severity",
  kev: "SELECT COUNT(*) AS n FROM findings WHERE status = 'ACTIVE' AND json_extract(doc, '$.kev') IS NOT NULL",
  suppressed: "SELECT COUNT(*) AS n FROM findings WHERE status = 'SUPPRESSED'",
  exposed: "SELECT COUNT(DISTINCT host_id) AS n FROM findings WHERE status = 'ACTIVE' AND severity = 'critical' AND json_extract(doc, '$.exposure') = 'any'",
  hosts: `SELECT COUNT(*) AS total,
      COALESCE(SUM(revoked_at IS NULL AND state <> 'revoked' AND last_seen_at >= ?), 0) AS seen,
      COALESCE(SUM(revoked_at IS NULL AND state <> 'revoked' AND last_seen_at < ?), 0) AS stale,
      COALESCE(SUM(revoked_at IS NOT NULL OR state = 'revoked'), 0) AS revoked FROM hosts`,
  versions: "SELECT agent_version AS version, COUNT(*) AS hosts FROM hosts WHERE revoked_at IS NULL AND state <> 'revoked' GROUP BY agent_version ORDER BY hosts DESC, version",
  // Grouped by host first, so the host's name is looked up once per host rather than once per finding.
  riskiest: `SELECT p.id, h.hostname, p.maxScore, p.critical, p.high, p.open
      FROM (SELECT host_id AS id, MAX(score) AS maxScore, SUM(severity = 'critical') AS critical, SUM(severity = 'high') AS high, COUNT(*) AS open
        FROM findings WHERE status = 'ACTIVE' GROUP BY host_id) p JOIN hosts h ON h.id = p.id
      ORDER BY p.maxScore DESC, p.critical DESC, p.high DESC, p.open DESC, p.id LIMIT ?`,
  // The highest severity and KEV are looked up for the top vulnerabilities only: the severity
  // in findings_by_status_vulnerability, KEV in the partial index of the open KEV findings.
  vulns: `SELECT t.*, (SELECT MAX(${RANK}) FROM findings r WHERE r.status = 'ACTIVE' AND r.vulnerability = t.vulnerability) AS rank,
      EXISTS (SELECT 1 FROM findings k WHERE k.vulnerability = t.vulnerability AND k.status = 'ACTIVE' AND json_extract(k.doc, '$.kev') IS NOT NULL) AS kev
      FROM (SELECT vulnerability, COUNT(DISTINCT host_id) AS hosts, COUNT(*) AS findings, MAX(score) AS maxScore
        FROM findings WHERE status = 'ACTIVE' GROUP BY vulnerability ORDER BY hosts DESC, maxScore DESC, vulnerability LIMIT ?) t
      ORDER BY t.hosts DESC, t.maxScore DESC, t.vulnerability`,
  days: `SELECT substr(first_seen, 1, 10) AS day, SUM(n) AS findings
      FROM (SELECT first_seen, COUNT(*) AS n FROM findings WHERE status = 'ACTIVE' AND first_seen >= ? GROUP BY first_seen)
      GROUP BY day ORDER BY day`,
} as const;
type StatsQuery = keyof typeof STATS_SQL;

export function sqliteFleetStats(file: string): FleetStatsReader {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new VigilError('IO', `cannot open fleet database ${file} to count: ${describeError(err)}`, { cause: err });
  }
  let q: Record<StatsQuery, Database.Statement>;
  try {
    q = Object.fromEntries(Object.entries(STATS_SQL).map(([k, sql]) => [k, db.prepare(sql)])) as Record<StatsQuery, Database.Statement>;
  } catch (err) {
    db.close();
    throw new VigilError('INVALID_INPUT', `${file} is not a Vigil fleet database: ${describeError(err)}`, { cause: err });
  }
  const one = (s: Database.Statement, ...p: unknown[]): number => (s.get(...p) as { n: number }).n;
  const byRank = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'];
  return {
    totals(seenSince, daysSince, top) {
      const h = q.hosts.get(seenSince, seenSince) as { total: number; seen: number; stale: number; revoked: number };
      return {
        open: severityCounts(q.open.all() as Array<{ severity: string; n: number }>),
        kevOpen: one(q.kev),
        suppressed: one(q.suppressed),
        exposedCriticalHosts: one(q.exposed),
        hosts: { total: h.total, seenSince: h.seen, stale: h.stale, revoked: h.revoked },
        agentVersions: q.versions.all() as FleetTotals['agentVersions'],
        riskiestHosts: q.riskiest.all(top) as RiskiestHost[],
        topVulnerabilities: (q.vulns.all(top) as Array<Omit<TopVulnerability, 'severity' | 'kev'> & { rank: number; kev: number }>).map(({ rank, kev, ...v }) => ({
          ...v,
          severity: byRank[rank] ?? 'unknown',
          kev: kev === 1,
        })),
        openedByDay: q.days.all(daysSince) as FleetTotals['openedByDay'],
      };
    },
    findingCounts(filter) {
      const { where, params } = findingsWhere(filter);
      const rows = db
        .prepare(`SELECT f.status, f.severity, COUNT(*) AS n FROM findings f${where.length ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY f.status, f.severity`)
        .all(...params) as Array<{ status: string; severity: string; n: number }>;
      const status = { ACTIVE: 0, SUPPRESSED: 0, CLOSED: 0 };
      for (const r of rows) if (r.status in status) status[r.status as keyof typeof status] += r.n;
      return { severity: severityCounts(rows), status };
    },
    close: () => db.close(),
  };
}
