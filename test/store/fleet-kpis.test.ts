import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { matchInventory } from '../../src/matcher/match.js';
import { DailyRecorder, DEFAULT_SLA_DAYS, fleetKpis, fleetTrend, parseSla } from '../../src/server/fleet-kpis.js';
import type { StoredFinding } from '../../src/store/fleet-store.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { DAILY_KEEP_DAYS, SqliteFleetDaily } from '../../src/store/sqlite-fleet-daily.js';
import { sqliteFleetKpis, type FleetKpiReader } from '../../src/store/sqlite-fleet-kpis.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { PKGDB, REPO, silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * The dashboard's numbers over time on a real fleet store: the findings of a real
 * package-lock matched against the real GHSA npm records and the KEV catalog, opened,
 * closed, reopened and closed again on a clock the test moves, on one host, and closed
 * by revocation on another. Every number the SQL gives is worked out again here from
 * the store's own rows (each finding and its episodes), and the first ones by hand.
 */

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const KEV = path.join(REPO, 'data/feeds/kev/known_exploited_vulnerabilities.json');
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T06:00:00.000Z');
const iso = (t: number): string => new Date(t).toISOString();

let tmp: { dir: string; cleanup: () => void };
let advisories: SqliteAdvisoryStore;
let fleet: SqliteFleetStore<Finding>;
let daily: SqliteFleetDaily;
let reader: FleetKpiReader;
let all: Finding[];
let a: Finding[];
let b: Finding[];

const host = (id: string) => ({ id, hostname: `${id}.example`, facts: {}, tags: [], agentVersion: 'test', certFingerprint: `fp-${id}` });
const without = (xs: Finding[], out: Finding[]): Finding[] => xs.filter((f) => !out.includes(f));

beforeAll(async () => {
  tmp = tempDir('vigil-fleet-kpis-');
  advisories = new SqliteAdvisoryStore(path.join(tmp.dir, 'advisories.db'));
  advisories.importFeeds((await readFeeds([GHSA_NPM, KEV])).feeds, '2026-02-01T00:00:00.000Z');
  const base = await scan({ path: path.join(PKGDB, 'npm/real-npm-v2'), log: silentLog });
  all = matchInventory(base, advisories).findings;
  // A: closed on day 3, back on day 10, closed again on day 20. B: closed on day 10. The rest stay open.
  a = all.filter((_, i) => i % 3 === 0);
  b = all.filter((_, i) => i % 3 === 1);
  const fleetFile = path.join(tmp.dir, 'fleet.db');
  fleet = new SqliteFleetStore<Finding>(fleetFile);
  daily = new SqliteFleetDaily(fleetFile);
  fleet.upsertHost(host('h1'), iso(T0));
  fleet.upsertHost(host('h2'), iso(T0));
  const upgraded = () => 'upgraded' as const;
  fleet.reconcileFindings('h1', all, iso(T0), upgraded);
  fleet.reconcileFindings('h2', all, iso(T0), upgraded);
  fleet.reconcileFindings('h1', without(all, a), iso(T0 + 3 * DAY), upgraded);
  fleet.revokeHost('h2', iso(T0 + 4 * DAY));
  fleet.reconcileFindings('h1', without(all, b), iso(T0 + 10 * DAY), upgraded);
  fleet.reconcileFindings('h1', without(without(all, a), b), iso(T0 + 20 * DAY), upgraded);
  reader = sqliteFleetKpis(fleetFile, path.join(tmp.dir, 'advisories.db'));
});

afterAll(() => {
  reader?.close();
  daily?.close();
  fleet?.close();
  advisories?.close();
  tmp?.cleanup();
});

/** Every episode of the stored findings: [severity, opened, closed?, reason?]. */
function episodes(rows: Array<StoredFinding<Finding>>) {
  return rows.flatMap((f) => f.episodes.map((e) => ({ severity: f.finding.severity, first: e.firstSeen, closed: e.closedAt, reason: e.closeReason, episode: e.episode })));
}

function meanMedian(xs: number[]): { mean: number | null; median: number | null } {
  if (!xs.length) return { mean: null, median: null };
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { mean: s.reduce((x, y) => x + y, 0) / s.length, median: mid };
}

describe('fleet KPIs', () => {
  it('has a history to count: reopened findings with two episodes, closes by upgrade and by revocation', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(new Set(all.map((f) => f.severity)).size).toBeGreaterThan(1);
    expect(a.length).toBeGreaterThanOrEqual(2);
    expect(b.length).toBeGreaterThanOrEqual(2);
    const h1 = fleet.findings({ hostId: 'h1' });
    const reopened = h1.filter((f) => f.episodes.length === 2);
    expect(reopened.map((f) => f.id).sort()).toEqual(a.map((f) => f.id).sort());
    expect(fleet.findings({ hostId: 'h2' }).every((f) => f.closeReason === 'host-revoked')).toBe(true);
  });

  it('MTTR: mean and median from opening to close of the episodes closed in the window, revocations left out', () => {
    const now = T0 + 25 * DAY;
    const since = now - 30 * DAY;
    const k = fleetKpis(reader, 30, new Date(now), DEFAULT_SLA_DAYS);
    const closed = episodes(fleet.findings()).filter((e) => e.closed && Date.parse(e.closed) >= since && e.reason !== 'host-revoked');
    // By hand: A's two episodes took 3 and 10 days, B's one took 10 days.
    expect(closed.length).toBe(2 * a.length + b.length);
    for (const sev of ['critical', 'high', 'medium', 'low'] as const) {
      const d = closed.filter((e) => e.severity === sev).map((e) => (Date.parse(e.closed!) - Date.parse(e.first)) / 1000);
      const want = meanMedian(d);
      const got = k.mttr.severities.find((s) => s.severity === sev)!;
      expect(got.closed, sev).toBe(d.length);
      if (want.mean === null) expect([got.meanSeconds, got.medianSeconds]).toEqual([null, null]);
      else {
        expect(got.meanSeconds!, sev).toBeCloseTo(want.mean, 3);
        expect(got.medianSeconds!, sev).toBeCloseTo(want.median!, 3);
      }
    }
    const total = k.mttr.severities.reduce((x, s) => x + s.closed, 0);
    expect(total).toBe(2 * a.length + b.length);
    // Every duration is 3 or 10 days: the overall mean is their weighted mean.
    const sum = k.mttr.severities.reduce((x, s) => x + (s.meanSeconds ?? 0) * s.closed, 0);
    expect(sum / 86_400).toBeCloseTo(a.length * 3 + a.length * 10 + b.length * 10, 3);
    expect(k.mttr.excludes).toEqual(['host-revoked', 'advisory-withdrawn']);
    // A window that starts after day 3 (T0 + 25 d − 20 d = day 5) leaves out A's first episode.
    const narrow = reader.closed(iso(T0 + 5 * DAY), iso(now), DEFAULT_SLA_DAYS).reduce((x, s) => x + s.count, 0);
    expect(narrow).toBe(a.length + b.length);
  });

  it('SLA: open findings within their SLA by age, and closed episodes closed within it', () => {
    const now = T0 + 25 * DAY;
    const sla = parseSla('critical=7,high=12,medium=20,low=180');
    const k = fleetKpis(reader, 30, new Date(now), sla);
    const open = fleet.findings({ status: 'ACTIVE' });
    const closed = episodes(fleet.findings()).filter((e) => e.closed && e.reason !== 'host-revoked' && Date.parse(e.closed) >= now - 30 * DAY);
    for (const s of k.slaCompliance.severities) {
      const days = sla[s.severity];
      const mine = open.filter((f) => f.finding.severity === s.severity);
      const within = days === undefined ? 0 : mine.filter((f) => now - Date.parse(f.firstSeen) <= days * DAY).length;
      const c = closed.filter((e) => e.severity === s.severity);
      const cWithin = days === undefined ? 0 : c.filter((e) => Date.parse(e.closed!) - Date.parse(e.first) <= days * DAY).length;
      expect(s, s.severity).toEqual({
        severity: s.severity,
        slaDays: days ?? null,
        open: mine.length,
        openWithinSla: within,
        openShare: days !== undefined && mine.length ? within / mine.length : null,
        closed: c.length,
        closedWithinSla: cWithin,
        closedShare: days !== undefined && c.length ? cWithin / c.length : null,
        oldestOpenSince: mine.length ? mine.map((f) => f.firstSeen).sort()[0]! : null,
      });
    }
    // The open ones opened on day 0: 25 days old, past a 7-day SLA.
    expect(k.slaCompliance.severities.find((s) => s.severity === 'critical')!.openWithinSla).toBe(0);
    expect(parseSla(undefined)).toEqual({ critical: 7, high: 30, medium: 90, low: 180 });
    expect(parseSla('negligible=365,low=none')).toEqual({ critical: 7, high: 30, medium: 90, negligible: 365 });
    expect(() => parseSla('urgent=1')).toThrow(/--sla takes SEVERITY=DAYS/);
    expect(() => parseSla('high=0')).toThrow(/at least 1 day/);
  });

  it('time to detect: advisory published → first opening, for findings first opened in the window', () => {
    const now = T0 + 25 * DAY;
    const k = fleetKpis(reader, 30, new Date(now), DEFAULT_SLA_DAYS);
    const firsts = fleet.findings().map((f) => ({ severity: f.finding.severity, vulnerability: f.finding.vulnerability, first: f.episodes[0]!.firstSeen }));
    const published = (v: string): string | undefined =>
      advisories
        .advisory(v)
        .map((r) => r.published)
        .filter((p): p is string => !!p)
        .sort()[0];
    for (const s of k.timeToDetect.advisoryPublished.severities) {
      const mine = firsts.filter((f) => f.severity === s.severity);
      const d = mine.flatMap((f) => {
        const p = published(f.vulnerability);
        return p ? [(Date.parse(f.first) - Date.parse(p)) / 1000] : [];
      });
      const want = meanMedian(d);
      expect([s.opened, s.withPublished], s.severity).toEqual([mine.length, d.length]);
      if (want.mean !== null) {
        expect(s.meanSeconds!).toBeCloseTo(want.mean, 0);
        expect(s.medianSeconds!).toBeCloseTo(want.median!, 0);
      }
    }
    expect(k.timeToDetect.advisoryPublished.severities.reduce((x, s) => x + s.withPublished, 0)).toBeGreaterThan(0);
    // Reopened findings count once, at their first opening; both hosts' findings opened at T0.
    expect(k.timeToDetect.packageInstalled).toMatchObject({ known: 0, opened: 2 * all.length, reason: expect.stringMatching(/install time|installed/) });
    // A window after T0 holds no first opening: the reopenings on day 10 are second episodes.
    expect(reader.detection(iso(T0 + DAY), iso(now)).reduce((x, s) => x + s.opened, 0)).toBe(0);
  });

  it('records the daily numbers once a UTC day on the given clock, keeps 400 days, and answers only recorded days', () => {
    let clock = T0 + 25 * DAY;
    const rec = new DailyRecorder(daily, 3600, () => new Date(clock));
    const first = rec.tick()!;
    const open = fleet.findings({ status: 'ACTIVE' });
    expect(first).toMatchObject({ day: '2026-03-26', kevOpen: open.filter((f) => f.finding.kev).length, suppressed: 0, hosts: { total: 2, seen: 0, stale: 1, revoked: 1 } });
    expect(first.open.total).toBe(open.length);
    for (const s of ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const) expect(first.open[s]).toBe(open.filter((f) => f.finding.severity === s).length);
    clock += 3 * 3600_000;
    expect(rec.tick()).toBeUndefined();
    clock += 2 * DAY;
    expect(rec.tick()!.day).toBe('2026-03-28');
    const trend = fleetTrend(daily, 30, new Date(clock));
    // The day between was not recorded (no server ran): absent, not invented.
    expect(trend.series.map((d) => d.day)).toEqual(['2026-03-26', '2026-03-28']);
    expect([trend.from, trend.to]).toEqual(['2026-02-27', '2026-03-28']);
    expect(trend.series[0]!.hosts).toEqual({ total: 2, seenSince: 0, stale: 1, revoked: 1 });
    clock += (DAILY_KEEP_DAYS - 1) * DAY;
    rec.tick();
    expect(daily.series('2000-01-01', '2100-01-01').map((d) => d.day)).toEqual(['2026-03-28', new Date(clock).toISOString().slice(0, 10)]);
  });
});
