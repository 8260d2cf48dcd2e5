import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/matcher/finding.js';
import type { HostInput } from '../../src/store/fleet-store.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { startWorkerEvents, type WorkerEvents } from '../../src/server/worker-events.js';
import { silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * Host State Change events follow what the fleet database committed: a transition
 * whose transaction rolls back (here a re-enrolment that collides with another
 * host's machine id) sends no event; committed ones do, in order.
 */

let tmp: { dir: string; cleanup: () => void };
let fleet: SqliteFleetStore<Finding>;
let ev: WorkerEvents;
const T = '2026-03-01T00:00:00.000Z';
const host = (id: string, machineId: string): HostInput => ({ id, hostname: `${id}.example`, facts: {}, tags: [], agentVersion: '0.1.0', certFingerprint: `sha256:${id}`, machineId });

beforeEach(() => {
  tmp = tempDir('vigil-host-events-');
  const file = path.join(tmp.dir, 'fleet.db');
  fleet = new SqliteFleetStore<Finding>(file);
  ev = startWorkerEvents({ fleetDb: file, eventsFile: path.join(tmp.dir, 'events.jsonl'), fleet, log: silentLog });
});
afterEach(async () => {
  await ev.stop();
  fleet.close();
  tmp.cleanup();
});

const hostEvents = () => ev.hub.events({ detailType: 'Host State Change' }).items.map((e) => `${String(e.detail.hostId)} ${String(e.detail.previous)}→${String(e.detail.state)}`);
const settle = () => new Promise((r) => setImmediate(r));

describe('host events', () => {
  it('are sent for committed transitions only', async () => {
    fleet.upsertHost(host('a', 'machine-a'), T);
    fleet.upsertHost(host('b', 'machine-b'), T);
    fleet.setHostState('a', 'online', T);
    fleet.setHostState('a', 'offline', T);
    await settle();
    expect(hostEvents()).toEqual(['a enrolled→online', 'a online→offline']);
    // Re-enrolling a with b's machine id breaks the unique machine id: the transaction rolls back.
    expect(() => fleet.reenrolHost('a', { hostname: 'a.example', certFingerprint: 'sha256:a2', machineId: 'machine-b' }, T)).toThrow();
    // In the same turn, a committed transition from where a really is.
    fleet.setHostState('a', 'online', T);
    await settle();
    expect(fleet.host('a')!.state).toBe('online');
    expect(hostEvents()).toEqual(['a enrolled→online', 'a online→offline', 'a offline→online']);
    fleet.reenrolHost('a', { hostname: 'a.example', certFingerprint: 'sha256:a2', machineId: 'machine-a' }, T);
    fleet.revokeHost('b', T);
    fleet.deleteHost('b');
    await settle();
    expect(hostEvents()).toEqual(['a enrolled→online', 'a online→offline', 'a offline→online', 'a online→enrolled', 'b enrolled→revoked', 'b revoked→deleted']);
  });
});
