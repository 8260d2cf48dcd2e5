import { VigilError } from '../common/errors.js';
import { addDays, type DailyCounts, type SqliteFleetDaily } from '../store/sqlite-fleet-daily.js';
import { NOT_REMEDIATED, type FleetKpiReader } from '../store/sqlite-fleet-kpis.js';

/**
 * The dashboard's numbers over time: the daily series (GET /api/v1/stats/trend) and the
 * remediation numbers of a window (GET /api/v1/stats/kpis: MTTR, time to detect, SLA
 * compliance), read in the matcher worker where the stores live. Every part of an
 * answer names where its numbers come from (`source`).
 */

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;
export type KpiSeverity = (typeof SEVERITY_ORDER)[number];
/** Days a finding of each severity may stay open: the defaults of `vigil server run --sla`. */
export const DEFAULT_SLA_DAYS: Partial<Record<KpiSeverity, number>> = { critical: 7, high: 30, medium: 90, low: 180 };
/** The windows the trend and the KPIs answer for. */
export const WINDOWS = [30, 90] as const;

/** `critical=7,high=30` (days per severity) over the defaults; a severity left out keeps its default, `=none` drops it. */
export function parseSla(text: string | undefined): Partial<Record<KpiSeverity, number>> {
  const out = { ...DEFAULT_SLA_DAYS };
  if (text === undefined) return out;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=(none|\d{1,5})$/.exec(part);
    const sev = m?.[1] as KpiSeverity | undefined;
    if (!m || !sev || !(SEVERITY_ORDER as readonly string[]).includes(sev)) {
      throw new VigilError('USAGE', `--sla takes SEVERITY=DAYS[,...] with a severity of ${SEVERITY_ORDER.join(', ')} and whole days or none (got ${JSON.stringify(part.slice(0, 100))})`);
    }
    if (m[2] === 'none') delete out[sev];
    else if (Number(m[2]) < 1) throw new VigilError('USAGE', `--sla ${sev} must be at least 1 day`);
    else out[sev] = Number(m[2]);
  }
  return out;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Records the fleet's numbers once a day: at start when today's are missing, then
 * shortly after each UTC midnight. The clock is given, so a test moves it.
 */
export class DailyRecorder {
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly daily: Pick<SqliteFleetDaily, 'has' | 'record'>,
    private readonly staleAfterSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records today (UTC) unless it is recorded; returns what it recorded. */
  tick(): DailyCounts | undefined {
    const at = this.now();
    const today = day(at);
    if (this.daily.has(today)) return undefined;
    return this.daily.record(today, at.toISOString(), new Date(at.getTime() - this.staleAfterSeconds * 1000).toISOString());
  }

  /** tick() now and a minute after each UTC midnight; `onError` hears a failed one. */
  start(onError: (err: unknown) => void): void {
    const run = (): void => {
      try {
        this.tick();
      } catch (err) {
        onError(err);
      }
      const t = this.now().getTime();
      const next = Date.parse(`${addDays(day(new Date(t)), 1)}T00:01:00.000Z`);
      this.timer = setTimeout(run, Math.max(1000, next - t));
      this.timer.unref();
    };
    run();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

export interface FleetTrend {
  takenAt: string;
  days: number;
  from: string;
  to: string;
  source: string;
  series: Array<Omit<DailyCounts, 'hosts'> & { hosts: { total: number; seenSince: number; stale: number; revoked: number } }>;
}

export function fleetTrend(daily: Pick<SqliteFleetDaily, 'series'>, days: number, now: Date): FleetTrend {
  const to = day(now);
  const from = addDays(to, -(days - 1));
  return {
    takenAt: now.toISOString(),
    days,
    from,
    to,
    source: 'fleet.db table fleet_daily: the numbers GET /api/v1/stats gives, recorded by the server once a UTC day; a day it did not record is absent',
    series: daily.series(from, to).map(({ hosts, ...d }) => ({ ...d, hosts: { total: hosts.total, seenSince: hosts.seen, stale: hosts.stale, revoked: hosts.revoked } })),
  };
}

interface Timing {
  meanSeconds: number | null;
  medianSeconds: number | null;
}

export interface FleetKpis {
  takenAt: string;
  days: number;
  since: string;
  slaDays: Partial<Record<KpiSeverity, number>>;
  mttr: { source: string; excludes: string[]; severities: Array<{ severity: KpiSeverity; closed: number } & Timing> };
  timeToDetect: {
    advisoryPublished: { source: string; severities: Array<{ severity: KpiSeverity; opened: number; withPublished: number } & Timing> };
    packageInstalled: { source: string; known: number; opened: number; reason: string };
  };
  slaCompliance: {
    source: string;
    severities: Array<{
      severity: KpiSeverity;
      slaDays: number | null;
      open: number;
      openWithinSla: number;
      openShare: number | null;
      closed: number;
      closedWithinSla: number;
      closedShare: number | null;
      oldestOpenSince: string | null;
    }>;
  };
}

const share = (part: number, whole: number, has: boolean): number | null => (has && whole > 0 ? part / whole : null);

export function fleetKpis(reader: FleetKpiReader, days: number, now: Date, slaDays: Partial<Record<KpiSeverity, number>>): FleetKpis {
  const until = now.toISOString();
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const bySev = <T extends { severity: string }>(rows: T[]) => new Map(rows.map((r) => [r.severity, r]));
  const closed = bySev(reader.closed(since, until, slaDays));
  const detect = bySev(reader.detection(since, until));
  const open = bySev(reader.openAges(until, slaDays));
  const opened = [...detect.values()].reduce((a, r) => a + r.opened, 0);
  return {
    takenAt: until,
    days,
    since,
    slaDays,
    mttr: {
      source: `fleet.db findings and finding_episodes: episodes closed since \`since\`, from first_seen to closed_at, by the finding's severity`,
      excludes: [...NOT_REMEDIATED],
      severities: SEVERITY_ORDER.map((severity) => {
        const r = closed.get(severity);
        return { severity, closed: r?.count ?? 0, meanSeconds: r?.meanSeconds ?? null, medianSeconds: r?.medianSeconds ?? null };
      }),
    },
    timeToDetect: {
      advisoryPublished: {
        source: reader.advisoriesAttached
          ? 'fleet.db findings first opened since `since` (their first episode), against advisories.db: the earliest `published` of the advisory records naming the vulnerability (id or alias)'
          : 'advisories.db could not be read: no publication dates',
        severities: SEVERITY_ORDER.map((severity) => {
          const r = detect.get(severity);
          return { severity, opened: r?.opened ?? 0, withPublished: r?.count ?? 0, meanSeconds: r?.meanSeconds ?? null, medianSeconds: r?.medianSeconds ?? null };
        }),
      },
      packageInstalled: {
        source: 'none: the inventory records no install time',
        known: 0,
        opened,
        reason:
          'No collector keeps when a package was installed (dpkg status and the lockfiles hold none; the rpm collector does not read INSTALLTIME), so package installed → finding is not known for any finding.',
      },
    },
    slaCompliance: {
      source: 'fleet.db findings: ACTIVE findings by the age of their current episode (now − first_seen), and the episodes MTTR counts by how long they stayed open, against `slaDays`',
      severities: SEVERITY_ORDER.map((severity) => {
        const sla = slaDays[severity];
        const o = open.get(severity);
        const c = closed.get(severity);
        const has = sla !== undefined;
        const openN = o?.open ?? 0;
        const closedN = c?.count ?? 0;
        const openWithin = has ? (o?.withinSla ?? 0) : 0;
        const closedWithin = has ? (c?.withinSla ?? 0) : 0;
        return {
          severity,
          slaDays: sla ?? null,
          open: openN,
          openWithinSla: openWithin,
          openShare: share(openWithin, openN, has),
          closed: closedN,
          closedWithinSla: closedWithin,
          closedShare: share(closedWithin, closedN, has),
          oldestOpenSince: o?.oldestFirstSeen ?? null,
        };
      }),
    },
  };
}

/** The worker's methods behind the trend and KPI routes. */
export type KpiMethods = {
  trend: (days: number) => FleetTrend;
  kpis: (days: number) => FleetKpis;
};
