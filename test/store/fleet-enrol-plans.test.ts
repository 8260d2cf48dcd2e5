import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FindingRecord } from '../../src/store/fleet-store.js';
import { HOST_TALLIES, HOST_TALLY } from '../../src/store/sqlite-fleet-schema.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { EventHub } from '../../src/server/events/hub.js';
import { startWorkerEvents } from '../../src/server/worker-events.js';
import { silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * What a new host's enrolment and first snapshot cost must not grow with the fleet:
 * the host tally reads one host's findings through findings_by_status_host (never
 * every ACTIVE finding of the fleet), and the events of one reconciliation are
 * committed together.
 */

const tmp = tempDir('vigil-enrol-plans-');
afterAll(tmp.cleanup);

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

function finding(host: number, i: number): FindingRecord {
  const purl = `pkg:npm/p${i}@1.0.${host}`;
  return { id: `F-${i}`, vulnerability: `CVE-2026-${1000 + i}`, aliases: [], severity: SEVERITIES[(host + i) % 4]!, score: (i % 10) + 0.5, component: { ecosystem: 'npm', name: `p${i}`, version: `1.0.${host}`, purl, locations: [], foundBy: 'test' } } as unknown as FindingRecord;
}

function fleet(file: string, hosts: number, perHost: number): SqliteFleetStore {
  const store = new SqliteFleetStore(file);
  for (let h = 0; h < hosts; h++) {
    const id = `a-${h}`;
    store.upsertHost({ id, hostname: `${id}.example`, facts: {}, tags: [], agentVersion: '0.1.0', certFingerprint: `fp-${h}` }, '2026-03-01T00:00:00.000Z');
    store.reconcileFindings(id, Array.from({ length: perHost }, (_, i) => finding(h, i)), '2026-03-01T00:00:00.000Z');
  }
  return store;
}

describe('host tallies', () => {
  const file = path.join(tmp.dir, 'tally.db');
  const store = fleet(file, 30, 40);
  // Some closed and some suppressed, so ACTIVE is not every row.
  store.reconcileFindings('a-3', Array.from({ length: 25 }, (_, i) => finding(3, i)), '2026-03-02T00:00:00.000Z');
  store.suppress({ vulnerability: 'CVE-2026-1001', hostId: 'a-4', reason: 'test', createdAt: '2026-03-02T00:00:00.000Z' });
  const raw = new Database(file, { readonly: true });
  afterAll(() => {
    raw.close();
    store.close();
  });
  const plan = (sql: string, params: unknown[]): string[] => (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);

  it("reads one host by its id and only that host's ACTIVE findings", () => {
    const p = plan(HOST_TALLY, ['a-3']);
    expect(p.some((d) => /^SEARCH h USING .*\(id=\?\)/.test(d))).toBe(true);
    expect(p.some((d) => /SCAN h\b/.test(d))).toBe(false);
    expect(p.some((d) => /SEARCH f USING COVERING INDEX findings_by_status_host \(status=\? AND host_id=\?\)/.test(d))).toBe(true);
    expect(p.some((d) => /findings_by_status \(status=\?\)/.test(d))).toBe(false);
    // Every host's tallies read each host's findings the same way.
    const all = plan(HOST_TALLIES, []);
    expect(all.some((d) => /SEARCH f USING COVERING INDEX findings_by_status_host \(status=\? AND host_id=\?\)/.test(d))).toBe(true);
  });

  it('counts what the rows hold, for one host and for all', () => {
    const counted = raw.prepare<[], { host_id: string; severity: string; n: number }>("SELECT host_id, severity, COUNT(*) AS n FROM findings WHERE status = 'ACTIVE' GROUP BY host_id, severity").all();
    const want = new Map<string, Record<string, number>>();
    for (const r of counted) want.set(r.host_id, { ...want.get(r.host_id), [r.severity]: r.n });
    const all = store.hostTallies();
    expect(all.size).toBe(30);
    for (const h of ['a-0', 'a-3', 'a-4', 'a-29']) {
      expect(all.get(h)!.active).toEqual(want.get(h));
      expect(store.hostTallies(h).get(h)!.active).toEqual(want.get(h));
      expect([...store.hostTallies(h).keys()]).toEqual([h]);
    }
    expect(Object.values(all.get('a-3')!.active).reduce((a, b) => a + b, 0)).toBe(25);
    expect(Object.values(all.get('a-4')!.active).reduce((a, b) => a + b, 0)).toBe(39);
  });
});

describe('events of one reconciliation', () => {
  it('commit once: a second connection sees none of a batch until it ends, then all', () => {
    const file = path.join(tmp.dir, 'batch-events.db');
    const hub = new EventHub({ file, log: silentLog });
    const reader = new Database(file, { readonly: true });
    const count = (): number => (reader.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    const sink = hub.sink();
    const seen: number[] = [];
    hub.batch(() => {
      for (let i = 0; i < 5; i++) {
        sink('Finding State Change', [`vigil:host/a-${i}`], { i }, '2026-03-01T00:00:00.000Z');
        seen.push(count());
      }
    });
    expect(seen).toEqual([0, 0, 0, 0, 0]);
    expect(count()).toBe(5);
    // Outside a batch each event commits by itself.
    sink('Finding State Change', ['vigil:host/a-9'], {}, '2026-03-01T00:00:00.000Z');
    expect(count()).toBe(6);
    reader.close();
    return hub.close();
  });

  it("a snapshot's opened findings go to events.db in one transaction", async () => {
    const dir = path.join(tmp.dir, 'worker-events');
    const fleetDb = path.join(dir, 'fleet.db');
    const store = fleet(fleetDb, 1, 0);
    const eventsDb = path.join(dir, 'events.db');
    let reader: Database.Database | undefined;
    const count = (): number => (reader!.prepare("SELECT COUNT(*) AS n FROM events WHERE detail_type = 'Finding State Change'").get() as { n: number }).n;
    // What another connection sees of events.db as each event is emitted: nothing until the batch commits.
    const seen: number[] = [];
    const ev = startWorkerEvents({ fleetDb, eventsFile: path.join(dir, 'events.jsonl'), fleet: store as never, log: silentLog, onEvent: (type) => type === 'Finding State Change' && seen.push(count()) });
    reader = new Database(eventsDb, { readonly: true });
    const r = store.reconcileFindings('a-0', Array.from({ length: 12 }, (_, i) => finding(0, i)), '2026-03-02T00:00:00.000Z');
    ev.reconciled('a-0', r);
    expect(seen).toEqual(Array(12).fill(0));
    expect(count()).toBe(12);
    reader.close();
    await ev.stop();
    store.close();
  });
});
