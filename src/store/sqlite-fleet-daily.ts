import Database from 'better-sqlite3';
import { VigilError, describeError } from '../common/errors.js';

/**
 * The fleet's numbers once a day, kept in fleet.db beside the findings they count (their
 * own table and schema key, as the job and rule tables do): open findings by severity,
 * open KEV findings, suppressed findings and hosts seen, stale and revoked. A day is
 * recorded from the findings as they stand when it is taken, never filled in later, so
 * a day the server did not run is absent from the series rather than invented.
 *
 * Its counts read the indexes the fleet store creates for the dashboard's aggregates
 * (INDEXES in sqlite-fleet-schema.ts), so the fleet store opens the file first.
 */

const DAILY_SCHEMA_VERSION = 1;
const SCHEMA_KEY = 'daily_schema';
/** How many days the table keeps. */
export const DAILY_KEEP_DAYS = 400;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fleet_daily (
  day TEXT PRIMARY KEY, taken_at TEXT NOT NULL,
  open_critical INTEGER NOT NULL, open_high INTEGER NOT NULL, open_medium INTEGER NOT NULL, open_low INTEGER NOT NULL,
  open_negligible INTEGER NOT NULL, open_unknown INTEGER NOT NULL, open_total INTEGER NOT NULL,
  kev_open INTEGER NOT NULL, suppressed INTEGER NOT NULL,
  hosts_total INTEGER NOT NULL, hosts_seen INTEGER NOT NULL, hosts_stale INTEGER NOT NULL, hosts_revoked INTEGER NOT NULL) WITHOUT ROWID;
`;

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;

export interface DailyCounts {
  /** The UTC day (YYYY-MM-DD). */
  day: string;
  /** When the numbers were read. */
  takenAt: string;
  open: Record<(typeof SEVERITIES)[number] | 'total', number>;
  kevOpen: number;
  suppressed: number;
  hosts: { total: number; seen: number; stale: number; revoked: number };
}

interface DailyRow {
  day: string;
  taken_at: string;
  open_critical: number;
  open_high: number;
  open_medium: number;
  open_low: number;
  open_negligible: number;
  open_unknown: number;
  open_total: number;
  kev_open: number;
  suppressed: number;
  hosts_total: number;
  hosts_seen: number;
  hosts_stale: number;
  hosts_revoked: number;
}

function toDaily(r: DailyRow): DailyCounts {
  return {
    day: r.day,
    takenAt: r.taken_at,
    open: {
      critical: r.open_critical,
      high: r.open_high,
      medium: r.open_medium,
      low: r.open_low,
      negligible: r.open_negligible,
      unknown: r.open_unknown,
      total: r.open_total,
    },
    kevOpen: r.kev_open,
    suppressed: r.suppressed,
    hosts: { total: r.hosts_total, seen: r.hosts_seen, stale: r.hosts_stale, revoked: r.hosts_revoked },
  };
}

export class SqliteFleetDaily {
  private readonly db: Database.Database;
  private readonly q: Record<'has' | 'series' | 'prune' | 'insert' | 'open' | 'kev' | 'suppressed' | 'hosts', Database.Statement>;

  constructor(readonly file: string) {
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
    } catch (err) {
      throw new VigilError('IO', `cannot open the daily fleet numbers in ${file}: ${describeError(err)}`, { cause: err });
    }
    try {
      this.db.transaction(() => {
        this.db.exec(SCHEMA);
        const v = this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(SCHEMA_KEY);
        const version = v ? Number(v.value) : DAILY_SCHEMA_VERSION;
        if (version > DAILY_SCHEMA_VERSION) throw new Error(`daily numbers schema version ${version} is newer than this Vigil (${DAILY_SCHEMA_VERSION})`);
        this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(SCHEMA_KEY, String(DAILY_SCHEMA_VERSION));
      })();
      this.q = {
        has: this.db.prepare('SELECT 1 FROM fleet_daily WHERE day = ?'),
        series: this.db.prepare('SELECT * FROM fleet_daily WHERE day >= ? AND day <= ? ORDER BY day'),
        prune: this.db.prepare('DELETE FROM fleet_daily WHERE day < ?'),
        insert: this.db.prepare(`INSERT OR REPLACE INTO fleet_daily (day, taken_at, open_critical, open_high, open_medium, open_low, open_negligible, open_unknown,
          open_total, kev_open, suppressed, hosts_total, hosts_seen, hosts_stale, hosts_revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
        open: this.db.prepare("SELECT severity, COUNT(*) AS n FROM findings WHERE status = 'ACTIVE' GROUP BY severity"),
        kev: this.db.prepare("SELECT COUNT(*) AS n FROM findings WHERE status = 'ACTIVE' AND json_extract(doc, '$.kev') IS NOT NULL"),
        suppressed: this.db.prepare("SELECT COUNT(*) AS n FROM findings WHERE status = 'SUPPRESSED'"),
        hosts: this.db.prepare(`SELECT COUNT(*) AS total,
          COALESCE(SUM(revoked_at IS NULL AND state <> 'revoked' AND last_seen_at >= ?), 0) AS seen,
          COALESCE(SUM(revoked_at IS NULL AND state <> 'revoked' AND last_seen_at < ?), 0) AS stale,
          COALESCE(SUM(revoked_at IS NOT NULL OR state = 'revoked'), 0) AS revoked FROM hosts`),
      };
    } catch (err) {
      this.db.close();
      throw new VigilError('INVALID_INPUT', `${file}: ${describeError(err)}`, { cause: err });
    }
  }

  has(day: string): boolean {
    return this.q.has.get(day) !== undefined;
  }

  /**
   * Records `day` from the findings and hosts as they stand (one read transaction, so
   * the numbers agree with each other), replacing a record of the same day, and drops
   * the days older than DAILY_KEEP_DAYS before it. `seenSince`: hosts seen at or after
   * it count as seen, older ones as stale.
   */
  record(day: string, takenAt: string, seenSince: string): DailyCounts {
    return this.db.transaction((): DailyCounts => {
      const open = { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0, total: 0 };
      for (const r of this.q.open.all() as Array<{ severity: string; n: number }>) {
        const s = (SEVERITIES as readonly string[]).includes(r.severity) ? (r.severity as (typeof SEVERITIES)[number]) : 'unknown';
        open[s] += r.n;
        open.total += r.n;
      }
      const kevOpen = (this.q.kev.get() as { n: number }).n;
      const suppressed = (this.q.suppressed.get() as { n: number }).n;
      const h = this.q.hosts.get(seenSince, seenSince) as DailyCounts['hosts'];
      this.q.insert.run(day, takenAt, open.critical, open.high, open.medium, open.low, open.negligible, open.unknown, open.total, kevOpen, suppressed, h.total, h.seen, h.stale, h.revoked);
      this.q.prune.run(addDays(day, -(DAILY_KEEP_DAYS - 1)));
      return { day, takenAt, open, kevOpen, suppressed, hosts: { total: h.total, seen: h.seen, stale: h.stale, revoked: h.revoked } };
    }).immediate();
  }

  /** The recorded days from `from` to `to` (YYYY-MM-DD, both included), oldest first. */
  series(from: string, to: string): DailyCounts[] {
    return (this.q.series.all(from, to) as DailyRow[]).map(toDaily);
  }

  close(): void {
    this.db.close();
  }
}

/** YYYY-MM-DD `n` days after `day` (UTC). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
