import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimReport } from '../../src/bench/fleet-sim/main.js';
import { REPO, tempDir } from '../helpers/fixtures.js';
import { startServer, type ServerHandle } from '../helpers/fleet.js';

/**
 * The fleet simulator against a real `vigil server run` on loopback: 20 agents in 2
 * processes, each enrolled through the real Enroll RPC with the server's enrolment
 * token and connected over its own mutual-TLS stream, then a few seconds of deltas.
 * The server's API must list every simulated host with its inventory and findings,
 * and the report must carry every measurement. No timing is asserted.
 */

const AGENTS = 20;
let tmp: { dir: string; cleanup: () => void };
let server: ServerHandle;
let report: SimReport;

interface Host {
  id: string;
  hostname: string;
  lastSeenAt: string | null;
  components: number;
  findings: number | Record<string, number>;
}

beforeAll(async () => {
  tmp = tempDir('vigil-fleet-sim-test-');
  server = await startServer(path.join(tmp.dir, 'server'));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(REPO, 'dist/bench/fleet-sim/main.js'),
      '--agents', String(AGENTS),
      '--processes', '2',
      '--server', `127.0.0.1:${server.grpcPort}`,
      '--data-dir', server.dir,
      '--api', `http://127.0.0.1:${server.apiPort}`,
      '--server-pid', String(server.proc.child.pid),
      '--delta-rate', '10',
      '--duration', '4',
      '--probe-every', '500',
      '--online-timeout', '240',
      '--json',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
  );
  report = JSON.parse(stdout) as SimReport;
}, 400_000);

afterAll(async () => {
  await server?.proc.kill();
  tmp?.cleanup();
});

describe('fleet simulator', () => {
  it('enrols every agent, which the API lists as a host seen with its inventory and findings', async () => {
    expect(report.enrolment.enrolled).toBe(AGENTS);
    expect(report.enrolment.failed).toBe(0);
    expect(report.online.online).toBe(AGENTS);
    expect(new Set(report.agentIds).size).toBe(AGENTS);
    const { status, body } = await server.api<{ hosts: Host[] }>('GET', 'hosts');
    expect(status).toBe(200);
    const sim = body.hosts.filter((h) => h.hostname.startsWith('sim-'));
    expect(sim.map((h) => h.id).sort()).toEqual([...report.agentIds].sort());
    for (const h of sim) {
      expect(h.lastSeenAt, h.hostname).toBeTruthy();
      expect(h.components, h.hostname).toBeGreaterThan(50);
      const f = await server.api<{ findings: Array<{ hostId?: string }> }>('GET', 'findings', { host: h.id, status: 'ACTIVE' });
      expect(f.status).toBe(200);
      expect(f.body.findings.length, `${h.hostname} findings`).toBeGreaterThan(0);
    }
    // Hosts differ: the per-host variation drops, bumps and adds packages.
    expect(new Set(sim.map((h) => h.components)).size).toBeGreaterThan(1);
  });

  it('has every delta it sent acked, and the finding probes seen through the API', () => {
    expect(report.deltas.sent).toBeGreaterThan(0);
    expect(report.deltas.acked).toBe(report.deltas.sent);
    expect(report.deltas.rttP50Ms).not.toBeNull();
    expect(report.deltaToFinding.samples).toBeGreaterThan(0);
    expect(report.deltaToFinding.timeouts).toBe(0);
    expect(report.errors).toEqual({});
  });

  it('reports every field', () => {
    expect(Object.keys(report).sort()).toEqual(['agentIds', 'agents', 'database', 'deltaToFinding', 'deltas', 'durationMs', 'enrolment', 'errors', 'online', 'processes', 'reconnects', 'server', 'serverProcess'].sort());
    for (const k of ['totalMs', 'perAgentP50Ms', 'perAgentP99Ms'] as const) expect(typeof report.enrolment[k], k).toBe('number');
    expect(typeof report.online.allOnlineMs).toBe('number');
    for (const k of ['perSecond', 'rttP50Ms', 'rttP99Ms'] as const) expect(typeof report.deltas[k], k).toBe('number');
    expect(report.serverProcess).not.toBeNull();
    for (const k of ['rssMbPeak', 'rssMbEnd', 'cpuPercentEnrol', 'cpuPercentDeltas', 'openFdsPeak'] as const) expect(typeof report.serverProcess![k], k).toBe('number');
    expect(report.serverProcess!.rssMbPeak).toBeGreaterThan(0);
    expect(report.database!.fleetDbBytes).toBeGreaterThan(0);
    expect(report.reconnects).toBeGreaterThanOrEqual(0);
  });
});
