import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import type { Component, Inventory } from '../../src/common/model.js';
import type { HelloMsg } from '../../src/common/wire/messages.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { FleetService } from '../../src/server/fleet-service.js';
import { fleetStats, STALE_AFTER_SECONDS } from '../../src/server/fleet-stats.js';
import type { HostFinding } from '../../src/server/fleet-types.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { sqliteFleetStats, type FleetStatsReader } from '../../src/store/sqlite-fleet-stats.js';
import { PKGDB, REPO, silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * The fleet's numbers (GET /api/v1/stats, the console's dashboard) on real stores: a
 * fleet of five hosts filled through the fleet service from a real package-lock
 * matched against the real GHSA npm records and the bundled CISA KEV catalog, two of
 * them heard from recently, two stale, one revoked. Every number the SQL aggregates
 * give is compared with what the store's own findings and hosts say.
 */

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const KEV = path.join(REPO, 'data/feeds/kev/known_exploited_vulnerabilities.json');
const NPM_V2 = path.join(PKGDB, 'npm/real-npm-v2');
const HELLO: HelloMsg = { kind: 'hello', agentVersion: 'test', agentEpoch: 1, lastAckedSeq: 0, capabilities: [] };

let tmp: { dir: string; cleanup: () => void };
let fleetFile: string;
let advisories: SqliteAdvisoryStore;
let fleet: SqliteFleetStore<Finding>;
let service: FleetService;
let stats: FleetStatsReader;
let base: Inventory;
let clock = Date.parse('2026-03-02T00:00:00.000Z');

function enrolAndSync(id: string, components: Component[]): void {
  service.enrolled({ agentId: id, hostname: `${id}.example`, certFingerprint: `fp-${id}` });
  service.hello(id, `fp-${id}`, HELLO);
  expect(service.snapshot(id, { epoch: 1, seq: 1, components, digest: inventoryDigest(components) }).applied).toBe(true);
}

beforeAll(async () => {
  tmp = tempDir('vigil-fleet-stats-');
  fleetFile = path.join(tmp.dir, 'fleet.db');
  advisories = new SqliteAdvisoryStore(path.join(tmp.dir, 'advisories.db'));
  advisories.importFeeds((await readFeeds([GHSA_NPM, KEV])).feeds, '2026-03-01T00:00:00.000Z');
  base = await scan({ path: NPM_V2, log: silentLog });
  fleet = new SqliteFleetStore<Finding>(fleetFile);
  service = new FleetService({ fleet, advisories, log: silentLog, now: () => new Date(clock) });
  // Five hosts with different parts of the same real inventory, so vulnerabilities reach different numbers of hosts.
  const n = base.components.length;
  enrolAndSync('h1', base.components);
  enrolAndSync('h2', base.components.slice(0, Math.ceil(n / 2)));
  enrolAndSync('h3', base.components.slice(Math.floor(n / 3)));
  enrolAndSync('h4', base.components.slice(0, Math.ceil(n / 4)));
  enrolAndSync('h5', base.components);
  service.revoke('h5');
  // Two hours on, only h1 and h3 are heard from.
  clock += 2 * 3600_000;
  service.touch('h1');
  service.touch('h3');
  stats = sqliteFleetStats(fleetFile);
});

afterAll(() => {
  stats?.close();
  fleet?.close();
  advisories?.close();
  tmp?.cleanup();
});

const active = (): HostFinding[] => fleet.findings({ status: 'ACTIVE' });

describe('fleet stats', () => {
  it('count open findings by severity, KEV and exposure as the stored findings are', () => {
    const s = fleetStats({ stats, advisories, now: () => new Date(clock) });
    const open = active();
    expect(open.length).toBeGreaterThan(10);
    for (const sev of ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const) expect(s.open[sev], sev).toBe(open.filter((f) => f.finding.severity === sev).length);
    expect(s.open.total).toBe(open.length);
    expect(s.kevOpen).toBe(open.filter((f) => f.finding.kev).length);
    expect(s.suppressed).toBe(fleet.findings({ status: 'SUPPRESSED' }).length);
    expect(s.exposedCriticalHosts).toBe(new Set(open.filter((f) => f.finding.severity === 'critical' && f.finding.exposure === 'any').map((f) => f.hostId)).size);
    // The revoked host's findings closed as host-revoked: none of them is open.
    expect(open.some((f) => f.hostId === 'h5')).toBe(false);
    expect(s.openedByDay).toEqual([{ day: '2026-03-02', findings: open.length }]);
  });

  it('count hosts seen within the hour, stale and revoked, and agent versions of the hosts not revoked', () => {
    const s = fleetStats({ stats, advisories, now: () => new Date(clock) });
    expect(s.staleAfterSeconds).toBe(STALE_AFTER_SECONDS);
    expect(s.hosts).toEqual({ total: 5, seenSince: 2, stale: 2, revoked: 1 });
    const versions = new Map<string, number>();
    for (const h of fleet.hosts({ revoked: false })) versions.set(h.agentVersion, (versions.get(h.agentVersion) ?? 0) + 1);
    expect(s.agentVersions).toEqual([...versions].map(([version, hosts]) => ({ version, hosts })));
    // Three hours on, every host is stale.
    expect(fleetStats({ stats, advisories, now: () => new Date(clock + 3 * 3600_000) }).hosts).toEqual({ total: 5, seenSince: 0, stale: 4, revoked: 1 });
  });

  it('rank the riskiest hosts and the vulnerabilities on the most hosts', () => {
    const s = fleetStats({ stats, advisories, now: () => new Date(clock) });
    const open = active();
    const hosts = [...new Set(open.map((f) => f.hostId))].map((id) => {
      const mine = open.filter((f) => f.hostId === id);
      return {
        id,
        hostname: `${id}.example`,
        maxScore: Math.max(...mine.map((f) => f.finding.score)),
        critical: mine.filter((f) => f.finding.severity === 'critical').length,
        high: mine.filter((f) => f.finding.severity === 'high').length,
        open: mine.length,
      };
    });
    hosts.sort((a, b) => b.maxScore - a.maxScore || b.critical - a.critical || b.high - a.high || b.open - a.open || (a.id < b.id ? -1 : 1));
    expect(s.riskiestHosts).toEqual(hosts.slice(0, 10));
    const rank = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'];
    const vulns = new Map<string, HostFinding[]>();
    for (const f of open) vulns.set(f.finding.vulnerability, [...(vulns.get(f.finding.vulnerability) ?? []), f]);
    const top = [...vulns]
      .map(([vulnerability, fs]) => ({
        vulnerability,
        hosts: new Set(fs.map((f) => f.hostId)).size,
        findings: fs.length,
        severity: rank[Math.max(...fs.map((f) => rank.indexOf(f.finding.severity)))],
        maxScore: Math.max(...fs.map((f) => f.finding.score)),
        kev: fs.some((f) => f.finding.kev !== undefined),
      }))
      .sort((a, b) => b.hosts - a.hosts || b.maxScore - a.maxScore || (a.vulnerability < b.vulnerability ? -1 : 1))
      .slice(0, 10);
    expect(s.topVulnerabilities).toEqual(top);
    // The inventories overlap unevenly: the top list is not all one number.
    expect(new Set(top.map((t) => t.hosts)).size).toBeGreaterThan(1);
  });

  it('count a findings query by severity and status as the query lists them', () => {
    const some = active()[0]!;
    for (const filter of [{}, { status: 'ACTIVE' as const }, { hostId: 'h2' }, { severity: ['high', 'critical'] as Array<'high' | 'critical'> }, { cve: some.finding.vulnerability }, { package: 'pkg:npm/' }, { fixable: false }, { exposure: 'none' }]) {
      const listed = fleet.findings(filter);
      const c = stats.findingCounts(filter);
      expect(c.severity.total, JSON.stringify(filter)).toBe(listed.length);
      expect(c.severity.high, JSON.stringify(filter)).toBe(listed.filter((f) => f.finding.severity === 'high').length);
      expect(c.status, JSON.stringify(filter)).toEqual({
        ACTIVE: listed.filter((f) => f.status === 'ACTIVE').length,
        SUPPRESSED: listed.filter((f) => f.status === 'SUPPRESSED').length,
        CLOSED: listed.filter((f) => f.status === 'CLOSED').length,
      });
    }
    expect(stats.findingCounts({ status: 'CLOSED' }).severity.total).toBeGreaterThan(0);
  });

  it('refuse a file that is not a fleet database, and a missing one, naming it', () => {
    const other = path.join(tmp.dir, 'advisories.db');
    expect(() => sqliteFleetStats(other)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(`${other} is not a Vigil fleet database`) }));
    const garbage = path.join(tmp.dir, 'garbage.db');
    writeFileSync(garbage, 'not sqlite at all');
    expect(() => sqliteFleetStats(garbage)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => sqliteFleetStats(path.join(tmp.dir, 'none.db'))).toThrow(expect.objectContaining({ code: 'IO' }));
  });
});
