import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { readFeeds } from '../../src/advisories/feeds.js';
import { componentKey } from '../../src/common/identity.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import type { Component } from '../../src/common/model.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { FleetService } from '../../src/server/fleet-service.js';
import { STALE_AFTER_SECONDS } from '../../src/server/fleet-stats.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { SqliteFleetDaily } from '../../src/store/sqlite-fleet-daily.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { PKGDB, REPO, silentLog } from '../helpers/fixtures.js';

/**
 * A server data directory with 90 days of history for the dashboard's trend and KPIs,
 * made as test/store/fleet-kpis.test.ts and the console bench make theirs: the real
 * stores and FleetService on a clock the builder moves, the daily numbers recorded by
 * SqliteFleetDaily.record at the end of each simulated day. Each host holds the
 * components of the npm, PyPI, Cargo and Maven fixtures under test/fixtures/pkgdb,
 * matched against the bundled OSV ecosystem records and the KEV catalog. (Not the Go
 * fixtures: the Go records' `published` of 0001-01-01 would count as a publication
 * date in time to detect.) Four hosts:
 *
 * - h0 enrols on day 2, drops a fifth of its components on day 20 (their findings close),
 *   takes them back on day 40 (they reopen) and drops them again on day 70;
 * - h1 enrols on day 5 and drops another fifth on day 50;
 * - h2 enrols on day 65 (first openings inside the last 30 days) and drops a fifth on day 80;
 * - h3 enrols on day 10 and is revoked on day 75 (its closes are not remediation).
 *
 * Day 89 is yesterday; the server records today when it starts. Days 30 to 32 and 85
 * are not recorded, as if no server ran. Events fall at 09:00 UTC on days away from
 * the windows' edges (days 0 and 60), so the 30- and 90-day windows hold the same
 * events whatever the hour the test runs.
 */

export const DAYS = 90;
export const UNRECORDED = [30, 31, 32, 85];
const ECOSYSTEMS = ['npm', 'python', 'cargo', 'java'];
const DAY = 86_400_000;

export interface KpiFleet {
  hosts: string[];
  /** The UTC days recorded (YYYY-MM-DD), oldest first. */
  recorded: string[];
  unrecorded: string[];
}

export async function buildKpiFleet(dir: string): Promise<KpiFleet> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const start = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`) - DAYS * DAY;
  let clock = start;
  const advisories = new SqliteAdvisoryStore(path.join(dir, 'advisories.db'));
  const fleetFile = path.join(dir, 'fleet.db');
  const fleet = new SqliteFleetStore<Finding>(fleetFile);
  const daily = new SqliteFleetDaily(fleetFile);
  try {
    const feeds = [path.join(REPO, 'data/feeds/osv-ecosystems'), path.join(REPO, 'data/feeds/kev/known_exploited_vulnerabilities.json')];
    advisories.importFeeds((await readFeeds(feeds)).feeds, new Date(start).toISOString());
    const scanned = await Promise.all(ECOSYSTEMS.map((d) => scan({ path: path.join(PKGDB, d), log: silentLog })));
    const byKey = new Map(scanned.flatMap((inv) => inv.components).map((c) => [componentKey(c), c]));
    const base = { components: [...byKey.values()] };
    const service = new FleetService({ fleet, advisories, log: silentLog, now: () => new Date(clock) });
    const ids = ['h0', 'h1', 'h2', 'h3'].map((h) => `a-kpi-${h}`);
    const seq = new Map<string, number>();
    const send = (id: string, comps: Component[]): void => {
      const s = (seq.get(id) ?? 0) + 1;
      seq.set(id, s);
      const facts = { hostname: `${id}.kpi.vigil.invalid`, os: 'Linux', arch: 'x86_64', addresses: ['10.0.0.1'] };
      const r = service.snapshot(id, { epoch: 1, seq: s, components: comps, digest: inventoryDigest(comps), facts });
      if (!r.applied) throw new Error(`host ${id}: snapshot refused (${JSON.stringify(r.reply)})`);
    };
    const enrol = (id: string): void => {
      service.enrolled({ agentId: id, hostname: `${id}.kpi.vigil.invalid`, certFingerprint: `fp-${id}` });
      service.hello(id, `fp-${id}`, { kind: 'hello', agentVersion: 'test', agentEpoch: 1, lastAckedSeq: 0, capabilities: [], tags: [] });
    };
    // A fifth of the components, a different fifth per host.
    const fifth = (k: number): Component[] => base.components.filter((c) => [...componentKey(c)].reduce((a, ch) => a + ch.charCodeAt(0), 0) % 5 === k);
    const all = base.components;
    const minus = (out: Component[]): Component[] => all.filter((c) => !out.includes(c));
    const [h0, h1, h2, h3] = ids as [string, string, string, string];
    const plan: Record<number, Array<() => void>> = {
      2: [() => (enrol(h0), send(h0, all))],
      5: [() => (enrol(h1), send(h1, all))],
      10: [() => (enrol(h3), send(h3, all))],
      20: [() => send(h0, minus(fifth(0)))],
      40: [() => send(h0, all)],
      50: [() => send(h1, minus(fifth(1)))],
      65: [() => (enrol(h2), send(h2, all))],
      70: [() => send(h0, minus(fifth(0)))],
      75: [() => service.revoke(h3)],
      80: [() => send(h2, minus(fifth(2)))],
    };
    const recorded: string[] = [];
    const unrecorded: string[] = [];
    for (let d = 0; d < DAYS; d++) {
      clock = start + d * DAY + 9 * 3_600_000;
      for (const step of plan[d] ?? []) step();
      for (const id of ids) if (d % 3 === 0) service.touch(id);
      clock = start + d * DAY + 23 * 3_600_000;
      const day = new Date(clock).toISOString().slice(0, 10);
      if (UNRECORDED.includes(d)) {
        unrecorded.push(day);
        continue;
      }
      daily.record(day, new Date(clock).toISOString(), new Date(clock - STALE_AFTER_SECONDS * 1000).toISOString());
      recorded.push(day);
    }
    for (const id of ids) service.disconnected(id);
    return { hosts: ids, recorded, unrecorded };
  } finally {
    daily.close();
    fleet.close();
    advisories.close();
  }
}
