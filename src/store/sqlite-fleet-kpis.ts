import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { VigilError, describeError } from '../common/errors.js';

/**
 * The fleet's remediation numbers over a window of days: time to remediate (MTTR), time
 * to detect and patch compliance against an SLA per severity. Each is one SQL statement
 * over a read-only connection of its own to fleet.db (with advisories.db attached for
 * the advisories' publication dates), read through the status indexes of INDEXES in
 * sqlite-fleet-schema.ts; no finding is loaded to count it, and a median is found in
 * SQL from running counts, not by a sort in JavaScript.
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

/**
 * Mean and median of `s` per severity over the rows of CTE `d`, each row standing for `n`
 * equal durations (s NULL: counted in `n_all` only). The rows are first grouped by
 * severity and duration, so the median is found from running counts over the distinct
 * durations rather than by numbering every finding: the duration at position p of the
 * ascending order is the smallest whose running count reaches p, and the median the mean
 * of those at (k + 1) / 2 and (k + 2) / 2 (integer halves: one position when k is odd).
 */
const STATS_OF_D = `g AS (SELECT severity, s, SUM(n) AS n, SUM(within * n) AS within FROM d GROUP BY severity, s),
  c AS (SELECT severity, s, n, within, SUM(CASE WHEN s IS NULL THEN 0 ELSE n END) OVER (PARTITION BY severity ORDER BY s IS NULL, s ROWS UNBOUNDED PRECEDING) AS upto,
    SUM(CASE WHEN s IS NULL THEN 0 ELSE n END) OVER (PARTITION BY severity) AS k FROM g)
  SELECT severity, SUM(n) AS n_all, SUM(CASE WHEN s IS NULL THEN 0 ELSE n END) AS n, SUM(s * n) / SUM(CASE WHEN s IS NULL THEN NULL ELSE n END) AS mean,
    (MIN(CASE WHEN s IS NOT NULL AND upto >= (k + 1) / 2 THEN s END) + MIN(CASE WHEN s IS NOT NULL AND upto >= (k + 2) / 2 THEN s END)) / 2.0 AS median,
    COALESCE(SUM(within), 0) AS within FROM c GROUP BY severity ORDER BY severity`;

/**
 * The statements of a reader: `closed` through the closed_at indexes, `detection` over
 * the first openings grouped in the order of findings_by_status_opened (status, first_seen,
 * severity, vulnerability), each vulnerability's publication date looked up once, `open`
 * over the open findings grouped by first_seen and severity in that index's order.
 */
export function kpiSql(attached: boolean): Record<'closed' | 'detection' | 'open', string> {
  const published = attached
    ? `(SELECT MIN(json_extract(a.doc, '$.published')) FROM adv.aliases x JOIN adv.advisories a ON a.source = x.source AND a.id = x.advisory_id WHERE x.alias = v.vulnerability)`
    : 'NULL';
  const within = (s: string, severity: string) => `${s} <= json_extract(@sla, '$.' || ${severity}) * 86400.0`;
  return {
    closed: `WITH d AS (
        SELECT severity, ${SECONDS('closed_at', 'first_seen')} AS s, ${within(SECONDS('closed_at', 'first_seen'), 'severity')} AS within, 1 AS n
          FROM findings WHERE status = 'CLOSED' AND closed_at >= @since AND closed_at <= @until AND close_reason NOT IN ${EXCLUDED}
        UNION ALL
        SELECT f.severity, ${SECONDS('e.closed_at', 'e.first_seen')}, ${within(SECONDS('e.closed_at', 'e.first_seen'), 'f.severity')}, 1
          FROM finding_episodes e JOIN findings f ON f.host_id = e.host_id AND f.id = e.finding_id
          WHERE e.closed_at >= @since AND e.closed_at <= @until AND e.close_reason NOT IN ${EXCLUDED}),
      ${STATS_OF_D}`,
    // A finding's first opening is its first episode's: the findings row's own while it is its first episode, else its first finding_episodes row.
    detection: `WITH opened AS MATERIALIZED (
        SELECT vulnerability, severity, first_seen AS first, COUNT(*) AS n FROM findings
          WHERE status IN ('ACTIVE', 'SUPPRESSED', 'CLOSED') AND first_seen >= @since AND first_seen <= @until AND episode = 1
          GROUP BY status, first_seen, severity, vulnerability
        UNION ALL
        SELECT f.vulnerability, f.severity, e.first_seen, 1 FROM findings f JOIN finding_episodes e ON e.host_id = f.host_id AND e.finding_id = f.id AND e.episode = 1
          WHERE f.status IN ('ACTIVE', 'SUPPRESSED', 'CLOSED') AND f.first_seen >= @since AND f.first_seen <= @until AND f.episode <> 1 AND e.first_seen >= @since),
      pub AS MATERIALIZED (SELECT v.vulnerability, ${published} AS published FROM (SELECT DISTINCT vulnerability FROM opened) v),
      d AS (SELECT o.severity, ${SECONDS('o.first', 'p.published')} AS s, NULL AS within, o.n FROM opened o JOIN pub p ON p.vulnerability = o.vulnerability),
      ${STATS_OF_D}`,
    open: `SELECT severity, SUM(n) AS open, COALESCE(SUM((${within(SECONDS('@now', 'first_seen'), 'severity')}) * n), 0) AS within, MIN(first_seen) AS oldest
      FROM (SELECT first_seen, severity, COUNT(*) AS n FROM findings WHERE status = 'ACTIVE' GROUP BY first_seen, severity)
      GROUP BY severity ORDER BY severity`,
  };
}

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
    const sql = kpiSql(attached);
    q = { closed: db.prepare(sql.closed), detection: db.prepare(sql.detection), open: db.prepare(sql.open) };
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
