import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { VigilError, describeError } from '../common/errors.js';

/**
 * The fleet's remediation numbers over a window of days: time to remediate (MTTR), time
 * to detect and patch compliance against an SLA per severity. Each is one SQL statement
 * over a read-only connection of its own to fleet.db (with advisories.db attached for
 * the advisories' publication dates), read through the status indexes of
 * sqlite-fleet-daily.ts; no finding is loaded to count it, and a median is the middle
 * row of a window function, not a sort in JavaScript.
 *
 * An episode is one stretch of a finding being open: from its `first_seen` to its
 * `closed_at`. The current episode is the findings row, the earlier ones are
 * finding_episodes rows; both count, each with the finding's current severity.
 */

/** Closes that are not remediation: the host left the fleet, or the advisory was withdrawn. */
export const NOT_REMEDIATED = ['host-revoked', 'advisory-withdrawn'] as const;

export interface Durations {
  severity: string;
  /** Episodes (or findings) counted. */
  count: number;
  /** Mean and median in seconds; null when nothing was counted. */
  meanSeconds: number | null;
  medianSeconds: number | null;
}

export interface ClosedDurations extends Durations {
  /** Of `count`, closed no later than the severity's SLA after they opened (0 without an SLA). */
  withinSla: number;
}

export interface DetectDurations extends Durations {
  /** Findings first opened in the window, with or without a publication date. */
  opened: number;
}

export interface OpenAges {
  severity: string;
  open: number;
  /** Open no longer than the severity's SLA. */
  withinSla: number;
  /** The oldest open finding's current episode start. */
  oldestFirstSeen: string | null;
}

export interface FleetKpiReader {
  /** Episodes closed in [since, until] by remediation, per severity; `slaDays` per severity. */
  closed(since: string, until: string, slaDays: Record<string, number>): ClosedDurations[];
  /** Findings whose first episode opened in [since, until]: advisory published → that first opening. */
  detection(since: string, until: string): DetectDurations[];
  /** ACTIVE findings per severity and how many are within their SLA at `now`. */
  openAges(now: string, slaDays: Record<string, number>): OpenAges[];
  /** Whether the advisory database could be attached (publication dates are read from it). */
  readonly advisoriesAttached: boolean;
  close(): void;
}

const SECONDS = (a: string, b: string) => `((julianday(${a}) - julianday(${b})) * 86400.0)`;
const EXCLUDED = `(${NOT_REMEDIATED.map((r) => `'${r}'`).join(', ')})`;

/** Mean and median of `s` per severity over the rows of CTE `d` (s NULL: counted in `n_all` only). */
const STATS_OF_D = `ranked AS (
    SELECT severity, s, within, ROW_NUMBER() OVER (PARTITION BY severity ORDER BY s IS NULL, s) AS r, COUNT(s) OVER (PARTITION BY severity) AS k FROM d)
  SELECT severity, COUNT(*) AS n_all, COUNT(s) AS n, AVG(s) AS mean, AVG(CASE WHEN s IS NOT NULL AND r IN ((k + 1) / 2, (k + 2) / 2) THEN s END) AS median,
    COALESCE(SUM(within), 0) AS within FROM ranked GROUP BY severity ORDER BY severity`;

export function sqliteFleetKpis(fleetFile: string, advisoryFile?: string): FleetKpiReader {
  let db: Database.Database;
  try {
    db = new Database(fleetFile, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new VigilError('IO', `cannot open fleet database ${fleetFile} to count: ${describeError(err)}`, { cause: err });
  }
  let attached = false;
  let q: Record<'closed' | 'detection' | 'open', Database.Statement>;
  try {
    if (advisoryFile && existsSync(advisoryFile)) {
      // Attached through the read-only connection, so read-only too.
      db.prepare('ATTACH DATABASE ? AS adv').run(advisoryFile);
      attached = true;
    }
    const published = attached
      ? `(SELECT MIN(json_extract(a.doc, '$.published')) FROM adv.aliases x JOIN adv.advisories a ON a.source = x.source AND a.id = x.advisory_id WHERE x.alias = v.vulnerability)`
      : 'NULL';
    q = {
      closed: db.prepare(`WITH d AS (
          SELECT severity, ${SECONDS('closed_at', 'first_seen')} AS s, ${SECONDS('closed_at', 'first_seen')} <= json_extract(@sla, '$.' || severity) * 86400.0 AS within
            FROM findings WHERE status = 'CLOSED' AND closed_at >= @since AND closed_at <= @until AND close_reason NOT IN ${EXCLUDED}
          UNION ALL
          SELECT f.severity, ${SECONDS('e.closed_at', 'e.first_seen')}, ${SECONDS('e.closed_at', 'e.first_seen')} <= json_extract(@sla, '$.' || f.severity) * 86400.0
            FROM finding_episodes e JOIN findings f ON f.host_id = e.host_id AND f.id = e.finding_id
            WHERE e.closed_at >= @since AND e.closed_at <= @until AND e.close_reason NOT IN ${EXCLUDED}),
        ${STATS_OF_D}`),
      // A finding's first opening is its first episode's: the findings row's own when it never closed and came back.
      detection: db.prepare(`WITH opened AS (
          SELECT f.vulnerability, f.severity,
            CASE WHEN f.episode = 1 THEN f.first_seen ELSE (SELECT e.first_seen FROM finding_episodes e WHERE e.host_id = f.host_id AND e.finding_id = f.id AND e.episode = 1) END AS first
            FROM findings f WHERE f.status IN ('ACTIVE', 'SUPPRESSED', 'CLOSED') AND f.first_seen >= @since AND f.first_seen <= @until),
        pub AS (SELECT v.vulnerability, ${published} AS published FROM (SELECT DISTINCT vulnerability FROM opened) v),
        d AS (SELECT o.severity, ${SECONDS('o.first', 'p.published')} AS s, NULL AS within FROM opened o JOIN pub p ON p.vulnerability = o.vulnerability
            WHERE o.first >= @since),
        ${STATS_OF_D}`),
      open: db.prepare(`SELECT severity, COUNT(*) AS open, COALESCE(SUM(${SECONDS('@now', 'first_seen')} <= json_extract(@sla, '$.' || severity) * 86400.0), 0) AS within,
          MIN(first_seen) AS oldest FROM findings WHERE status = 'ACTIVE' GROUP BY severity ORDER BY severity`),
    };
  } catch (err) {
    db.close();
    throw new VigilError('INVALID_INPUT', `${fleetFile} is not a Vigil fleet database: ${describeError(err)}`, { cause: err });
  }
  type Row = { severity: string; n_all: number; n: number; mean: number | null; median: number | null; within: number };
  const durations = (r: Row): Durations => ({ severity: r.severity, count: r.n, meanSeconds: r.mean, medianSeconds: r.median });
  return {
    advisoriesAttached: attached,
    closed(since, until, slaDays) {
      return (q.closed.all({ since, until, sla: JSON.stringify(slaDays) }) as Row[]).map((r) => ({ ...durations(r), withinSla: r.within }));
    },
    detection(since, until) {
      return (q.detection.all({ since, until }) as Row[]).map((r) => ({ ...durations(r), opened: r.n_all }));
    },
    openAges(now, slaDays) {
      return (q.open.all({ now, sla: JSON.stringify(slaDays) }) as Array<{ severity: string; open: number; within: number; oldest: string | null }>).map((r) => ({
        severity: r.severity,
        open: r.open,
        withinSla: r.within,
        oldestFirstSeen: r.oldest,
      }));
    },
    close: () => db.close(),
  };
}
