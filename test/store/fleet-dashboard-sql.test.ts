import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { matchInventory } from '../../src/matcher/match.js';
import type { CloseReason } from '../../src/common/lifecycle/finding.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { kpiSql, NOT_REMEDIATED, sqliteFleetKpis, type FleetKpiReader } from '../../src/store/sqlite-fleet-kpis.js';
import { STATS_SQL, sqliteFleetStats, type FleetStatsReader } from '../../src/store/sqlite-fleet-stats.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { PKGDB, REPO, silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * The dashboard's SQL (GET /api/v1/stats and /stats/kpis) against a plain recount of
 * the store's own rows: every findings, finding_episodes and hosts row read back with
 * `SELECT *` and counted again in JavaScript, over a fleet of six hosts whose findings
 * (the real findings of a real package-lock, each taken four times per host under other
 * ids, severities, KEV entries and exposures, one of the four under a vulnerability no
 * advisory names) open at different times, close for different reasons, come back,
 * are suppressed and closed by revocation. Then the plans: the KEV and exposure counts
 * read the partial indexes that hold them, and no dashboard statement scans the
 * findings table.
 */

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const KEV = path.join(REPO, 'data/feeds/kev/known_exploited_vulnerabilities.json');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T06:00:00.000Z');
const NOW = T0 + 25 * DAY;
const iso = (t: number): string => new Date(t).toISOString();
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;
const SLA = { critical: 7, high: 10, medium: 20, low: 180 } as Record<string, number>;

interface FindingRow {
  host_id: string;
  id: string;
  vulnerability: string;
  severity: string;
  score: number;
  status: string;
  first_seen: string;
  closed_at: string | null;
  close_reason: string | null;
  episode: number;
  doc: string;
}
interface EpisodeRow {
  host_id: string;
  finding_id: string;
  episode: number;
  first_seen: string;
  closed_at: string;
  close_reason: string;
}
interface HostRow {
  id: string;
  hostname: string;
  agent_version: string;
  last_seen_at: string;
  revoked_at: string | null;
  state: string;
}

let tmp: { dir: string; cleanup: () => void };
let advisories: SqliteAdvisoryStore;
let fleet: SqliteFleetStore<Finding>;
let stats: FleetStatsReader;
let kpis: FleetKpiReader;
let raw: Database.Database;
let fleetFile: string;
let advisoryFile: string;

/** Host j's findings: each real finding four times, varied by j and the copy. */
function findingsOf(real: Finding[], j: number): Finding[] {
  return real.flatMap((f, i) =>
    [0, 1, 2, 3].map((k) => ({
      ...f,
      id: `${f.id}~${k}`,
      vulnerability: k === 3 ? `VIGIL-TEST-${i}` : f.vulnerability,
      aliases: k === 3 ? [] : f.aliases,
      severity: k === 0 ? f.severity : SEVERITIES[(i + k + j) % SEVERITIES.length]!,
      score: Math.round((f.score + k * 0.7 + (j % 2) * 0.3) * 10) / 10,
      exposure: (i + k + j) % 3 === 0 ? 'any' : f.exposure,
      ...((i + k) % 4 === 1 ? { kev: { dateAdded: '2026-01-05', dueDate: '2026-01-26', ransomware: k === 1 } } : {}),
    })),
  );
}

beforeAll(async () => {
  tmp = tempDir('vigil-dashboard-sql-');
  advisoryFile = path.join(tmp.dir, 'advisories.db');
  advisories = new SqliteAdvisoryStore(advisoryFile);
  advisories.importFeeds((await readFeeds([GHSA_NPM, KEV])).feeds, '2026-02-01T00:00:00.000Z');
  const base = await scan({ path: path.join(PKGDB, 'npm/real-npm-v2'), log: silentLog });
  const real = matchInventory(base, advisories).findings;
  fleetFile = path.join(tmp.dir, 'fleet.db');
  fleet = new SqliteFleetStore<Finding>(fleetFile);
  const hosts = [0, 1, 2, 3, 4, 5].map((j) => ({ id: `h${j}`, sets: findingsOf(real, j) }));
  for (const [j, h] of hosts.entries()) {
    const at = T0 + j * (DAY + HOUR);
    fleet.upsertHost({ id: h.id, hostname: `${h.id}.example`, facts: {}, tags: [], agentVersion: j % 3 === 0 ? '1.1.0' : '1.0.0', certFingerprint: `fp-${h.id}` }, iso(at));
    fleet.reconcileFindings(h.id, h.sets, iso(at));
  }
  // By the copy (the id's last digit): upgraded, removed, withdrawn, upgraded.
  const reason = (f: { id: string }): CloseReason => (['upgraded', 'removed', 'advisory-withdrawn'] as const)[Number(f.id.slice(-1)) % 3]!;
  const [h0, h1, h2, h3] = hosts as [(typeof hosts)[0], (typeof hosts)[0], (typeof hosts)[0], (typeof hosts)[0]];
  // h0: a third closes on day 8, comes back on day 12 and closes again on day 20; h1: half closes on day 9.
  const third = h0.sets.filter((_, i) => i % 3 === 0);
  fleet.reconcileFindings(h0.id, h0.sets.filter((f) => !third.includes(f)), iso(T0 + 8 * DAY), reason);
  fleet.reconcileFindings(h0.id, h0.sets, iso(T0 + 12 * DAY), reason);
  fleet.reconcileFindings(h0.id, h0.sets.filter((f) => !third.includes(f)), iso(T0 + 20 * DAY + 5 * HOUR), reason);
  fleet.reconcileFindings(h1.id, h1.sets.filter((_, i) => i % 2 === 0), iso(T0 + 9 * DAY + 2 * HOUR), reason);
  fleet.revokeHost(h2.id, iso(T0 + 15 * DAY));
  fleet.suppress({ vulnerability: h3.sets[0]!.vulnerability, hostId: h3.id, reason: 'accepted', createdAt: iso(T0 + 16 * DAY) });
  stats = sqliteFleetStats(fleetFile);
  kpis = sqliteFleetKpis(fleetFile, advisoryFile);
  raw = new Database(fleetFile, { readonly: true });
  raw.prepare('ATTACH DATABASE ? AS adv').run(advisoryFile);
});

afterAll(() => {
  raw?.close();
  stats?.close();
  kpis?.close();
  fleet?.close();
  advisories?.close();
  tmp?.cleanup();
});

const rows = (): FindingRow[] => raw.prepare('SELECT * FROM findings').all() as FindingRow[];
const episodeRows = (): EpisodeRow[] => raw.prepare('SELECT * FROM finding_episodes').all() as EpisodeRow[];
const seconds = (to: string, from: string): number => (Date.parse(to) - Date.parse(from)) / 1000;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const count = <T>(xs: T[], key: (x: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
};

function meanMedian(xs: number[]): { mean: number | null; median: number | null } {
  if (!xs.length) return { mean: null, median: null };
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { mean: s.reduce((x, y) => x + y, 0) / s.length, median: mid };
}

/** Mean and median compared to a millisecond: julianday's arithmetic is not exact to the last bit. */
function expectDurations(got: { meanSeconds: number | null; medianSeconds: number | null }, xs: number[], label: string): void {
  const want = meanMedian(xs);
  if (want.mean === null) expect([got.meanSeconds, got.medianSeconds], label).toEqual([null, null]);
  else {
    expect(got.meanSeconds!, label).toBeCloseTo(want.mean, 3);
    expect(got.medianSeconds!, label).toBeCloseTo(want.median!, 3);
  }
}

/** The earliest `published` of the advisory records naming `v` (by id or alias), as text. */
function published(v: string): string | undefined {
  return raw
    .prepare("SELECT json_extract(a.doc, '$.published') AS p FROM adv.aliases x JOIN adv.advisories a ON a.source = x.source AND a.id = x.advisory_id WHERE x.alias = ?")
    .all(v)
    .map((r) => (r as { p: string | null }).p)
    .filter((p): p is string => p !== null)
    .sort()[0];
}

describe('dashboard SQL against a recount of the rows', () => {
  it('has the history to count: reopened, closed by each reason, suppressed, revoked, KEV and exposed critical findings', () => {
    const all = rows();
    const reasons = new Set([...all.map((r) => r.close_reason), ...episodeRows().map((e) => e.close_reason)]);
    for (const r of ['upgraded', 'removed', 'advisory-withdrawn', 'host-revoked']) expect(reasons, r).toContain(r);
    expect(all.some((r) => r.episode === 2 && r.status === 'CLOSED')).toBe(true);
    expect(all.filter((r) => r.status === 'SUPPRESSED').length).toBeGreaterThan(0);
    const open = all.filter((r) => r.status === 'ACTIVE');
    expect(open.filter((r) => JSON.parse(r.doc).kev).length).toBeGreaterThan(0);
    expect(open.filter((r) => r.severity === 'critical' && JSON.parse(r.doc).exposure === 'any').length).toBeGreaterThan(0);
    expect(new Set(open.map((r) => r.first_seen)).size).toBeGreaterThan(3);
  });

  it('GET /stats totals: each number as the findings and hosts rows count it', () => {
    const seenSince = iso(T0 + 3 * DAY);
    const daysSince = iso(T0 + 2 * DAY).slice(0, 10);
    const got = stats.totals(seenSince, daysSince, 4);
    const all = rows();
    const open = all.filter((r) => r.status === 'ACTIVE');
    const doc = (r: FindingRow) => JSON.parse(r.doc) as Finding;
    const bySev = Object.fromEntries(SEVERITIES.map((s) => [s, open.filter((r) => r.severity === s).length]));
    expect(got.open).toEqual({ ...bySev, total: open.length });
    expect(got.kevOpen).toBe(open.filter((r) => doc(r).kev != null).length);
    expect(got.suppressed).toBe(all.filter((r) => r.status === 'SUPPRESSED').length);
    expect(got.exposedCriticalHosts).toBe(new Set(open.filter((r) => r.severity === 'critical' && doc(r).exposure === 'any').map((r) => r.host_id)).size);
    const hosts = raw.prepare('SELECT * FROM hosts').all() as HostRow[];
    const revoked = (h: HostRow) => h.revoked_at !== null || h.state === 'revoked';
    expect(got.hosts).toEqual({
      total: hosts.length,
      seenSince: hosts.filter((h) => !revoked(h) && h.last_seen_at >= seenSince).length,
      stale: hosts.filter((h) => !revoked(h) && h.last_seen_at < seenSince).length,
      revoked: hosts.filter(revoked).length,
    });
    const versions = [...count(hosts.filter((h) => !revoked(h)), (h) => h.agent_version)].map(([version, hs]) => ({ version, hosts: hs.length }));
    expect(got.agentVersions).toEqual(versions.sort((a, b) => b.hosts - a.hosts || cmp(a.version, b.version)));
    const name = new Map(hosts.map((h) => [h.id, h.hostname]));
    const riskiest = [...count(open, (r) => r.host_id)]
      .map(([id, fs]) => ({
        id,
        hostname: name.get(id),
        maxScore: Math.max(...fs.map((r) => r.score)),
        critical: fs.filter((r) => r.severity === 'critical').length,
        high: fs.filter((r) => r.severity === 'high').length,
        open: fs.length,
      }))
      .sort((a, b) => b.maxScore - a.maxScore || b.critical - a.critical || b.high - a.high || b.open - a.open || cmp(a.id, b.id));
    expect(got.riskiestHosts).toEqual(riskiest.slice(0, 4));
    const rank = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'];
    const vulns = [...count(open, (r) => r.vulnerability)]
      .map(([vulnerability, fs]) => ({
        vulnerability,
        hosts: new Set(fs.map((r) => r.host_id)).size,
        findings: fs.length,
        maxScore: Math.max(...fs.map((r) => r.score)),
        severity: rank[Math.max(...fs.map((r) => rank.indexOf(r.severity)))],
        kev: fs.some((r) => doc(r).kev != null),
      }))
      .sort((a, b) => b.hosts - a.hosts || b.maxScore - a.maxScore || cmp(a.vulnerability, b.vulnerability));
    expect(got.topVulnerabilities).toEqual(vulns.slice(0, 4));
    // Vulnerabilities with more findings than hosts, with and without KEV: distinct hosts and the KEV lookup both matter.
    expect(vulns.some((v) => v.findings > v.hosts)).toBe(true);
    expect(new Set(vulns.map((v) => v.kev))).toEqual(new Set([true, false]));
    const days = [...count(open.filter((r) => r.first_seen >= daysSince), (r) => r.first_seen.slice(0, 10))].map(([day, fs]) => ({ day, findings: fs.length }));
    expect(got.openedByDay).toEqual(days.sort((a, b) => cmp(a.day, b.day)));
    expect(got.openedByDay.length).toBeGreaterThan(1);
  });

  it('KPIs: MTTR, SLA of the closed and open, time to detect, over windows that cut the history', () => {
    const all = rows();
    const byId = new Map(all.map((r) => [`${r.host_id} ${r.id}`, r]));
    const excluded = NOT_REMEDIATED as readonly string[];
    for (const since of [NOW - 30 * DAY, T0 + 9 * DAY, T0 + 2 * DAY + 12 * HOUR]) {
      const [s, u] = [iso(since), iso(NOW)];
      // Closed episodes: the findings rows' own and the earlier ones, with the finding's severity.
      const closed = [
        ...all.filter((r) => r.status === 'CLOSED').map((r) => ({ severity: r.severity, first: r.first_seen, closed: r.closed_at!, reason: r.close_reason! })),
        ...episodeRows().map((e) => ({ severity: byId.get(`${e.host_id} ${e.finding_id}`)!.severity, first: e.first_seen, closed: e.closed_at, reason: e.close_reason })),
      ].filter((e) => e.closed >= s && e.closed <= u && !excluded.includes(e.reason));
      const got = kpis.closed(s, u, SLA);
      const want = [...count(closed, (e) => e.severity)].sort(([a], [b]) => cmp(a, b));
      expect(got.map((g) => [g.severity, g.count]), s).toEqual(want.map(([sev, es]) => [sev, es.length]));
      for (const [sev, es] of want) {
        const g = got.find((x) => x.severity === sev)!;
        const d = es.map((e) => seconds(e.closed, e.first));
        expectDurations(g, d, `closed ${sev} since ${s}`);
        expect(g.withinSla, sev).toBe(SLA[sev] === undefined ? 0 : d.filter((x) => x <= SLA[sev]! * 86_400).length);
      }
      // First openings in the window: the first episode's start, from finding_episodes when the row is a later one.
      const firsts = all
        .filter((r) => r.first_seen >= s && r.first_seen <= u)
        .map((r) => ({ r, first: r.episode === 1 ? r.first_seen : episodeRows().find((e) => e.host_id === r.host_id && e.finding_id === r.id && e.episode === 1)?.first_seen }))
        .filter((o): o is { r: FindingRow; first: string } => o.first !== undefined && o.first >= s);
      const detect = kpis.detection(s, u);
      const wantD = [...count(firsts, (o) => o.r.severity)].sort(([a], [b]) => cmp(a, b));
      expect(detect.map((g) => [g.severity, g.opened]), s).toEqual(wantD.map(([sev, os]) => [sev, os.length]));
      for (const [sev, os] of wantD) {
        const d = os.flatMap((o) => {
          const p = published(o.r.vulnerability);
          return p === undefined ? [] : [seconds(o.first, p)];
        });
        const g = detect.find((x) => x.severity === sev)!;
        expect(g.count, sev).toBe(d.length);
        expectDurations(g, d, `detect ${sev} since ${s}`);
      }
    }
    // The history reaches into each part: closes in the narrow window, openings with and without a publication date.
    expect(kpis.closed(iso(T0 + 9 * DAY), iso(NOW), SLA).reduce((x, r) => x + r.count, 0)).toBeGreaterThan(0);
    const d30 = kpis.detection(iso(NOW - 30 * DAY), iso(NOW));
    expect(d30.reduce((x, r) => x + r.opened - r.count, 0)).toBeGreaterThan(0);
    expect(d30.reduce((x, r) => x + r.count, 0)).toBeGreaterThan(0);
    // Open findings by age against the SLA.
    const open = all.filter((r) => r.status === 'ACTIVE');
    const ages = kpis.openAges(iso(NOW), SLA);
    const wantO = [...count(open, (r) => r.severity)].sort(([a], [b]) => cmp(a, b));
    expect(ages).toEqual(
      wantO.map(([severity, fs]) => ({
        severity,
        open: fs.length,
        withinSla: SLA[severity] === undefined ? 0 : fs.filter((r) => seconds(iso(NOW), r.first_seen) <= SLA[severity]! * 86_400).length,
        oldestFirstSeen: fs.map((r) => r.first_seen).sort()[0],
      })),
    );
    expect(ages.some((a) => a.withinSla > 0 && a.withinSla < a.open)).toBe(true);
  });
});

describe('dashboard SQL plans', () => {
  const plan = (sql: string, params: unknown[]): string[] => (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
  const sla = JSON.stringify(SLA);
  const window = { since: iso(NOW - 90 * DAY), until: iso(NOW) };
  const statements = (): Array<[string, string[]]> => {
    const k = kpiSql(true);
    return [
      ...Object.entries(STATS_SQL).map(([name, sql]): [string, string[]] => [name, plan(sql, name === 'hosts' ? [iso(NOW), iso(NOW)] : name === 'days' ? ['2026-01-01'] : /LIMIT \?/.test(sql) ? [10] : [])]),
      ['closed', plan(k.closed, [{ ...window, sla }])],
      ['detection', plan(k.detection, [window])],
      ['openAges', plan(k.open, [{ now: iso(NOW), sla }])],
    ];
  };

  it('counts open KEV and exposed critical findings from their partial indexes, never by reading every open finding', () => {
    const p = Object.fromEntries(statements());
    expect(p.kev).toEqual(['SEARCH findings USING INDEX findings_open_kev (status=?)']);
    expect(p.exposed).toEqual(['SEARCH findings USING INDEX findings_open_exposed_critical (status=? AND severity=?)']);
    expect(p.vulns).toContain('SEARCH k USING INDEX findings_open_kev (status=? AND vulnerability=?)');
    expect(p.vulns).toContain('SEARCH findings USING COVERING INDEX findings_by_status_vulnerability (status=?)');
    expect(p.riskiest).toContain('SEARCH findings USING COVERING INDEX findings_by_status_host (status=?)');
    expect(p.days).toContain('SEARCH findings USING COVERING INDEX findings_by_status_opened (status=? AND first_seen>?)');
    expect(p.detection!.some((d) => /^SEARCH findings USING COVERING INDEX findings_by_status_opened \(status=\? AND first_seen>\? AND first_seen<\?\)$/.test(d))).toBe(true);
    expect(p.openAges).toContain('SEARCH findings USING COVERING INDEX findings_by_status_opened (status=?)');
    expect(p.closed!.some((d) => d.startsWith('SEARCH findings USING INDEX findings_by_status_closed (status=? AND closed_at>? AND closed_at<?)'))).toBe(true);
    // The daily record counts KEV with the same statement.
    expect(plan("SELECT COUNT(*) AS n FROM findings WHERE status = 'ACTIVE' AND json_extract(doc, '$.kev') IS NOT NULL", [])).toEqual(p.kev);
  });

  it('scans the findings table in no dashboard statement', () => {
    for (const [name, steps] of statements()) {
      // The findings table appears as findings, f, k or r; the other scans are of subqueries, hosts and finding_episodes.
      expect(
        steps.filter((d) => /^SCAN (findings|f|k|r)\b/.test(d)),
        name,
      ).toEqual([]);
    }
  });
});
