import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFinding } from '../../src/store/fleet-store.js';
import type { HostSummary } from '../../src/server/fleet-service.js';
import { rootfsFixture, vigil } from '../helpers/cli.js';
import { copyTree } from '../../src/bench/tree-copy.js';
import {
  addStatusPackage,
  buildDeb,
  dpkgCount,
  enroll,
  startAgent,
  startServer,
  waitFor,
  type AgentHandle,
  type ServerHandle,
} from '../helpers/fleet.js';
import { tempDir } from '../helpers/fixtures.js';

/**
 * The running system end to end: `vigil server run` and three `vigil agent run`
 * processes, mutual TLS on loopback, each agent watching its own debootstrap root.
 * Tests in this file share the fleet and run in order.
 */

// zip 3.0-13 is affected by CVE-2018-13410 in the bundled Debian 12 data (fixed in 3.0-13+deb12u1).
const VULN_PKG = 'zip';
const VULN_VERSION = '3.0-13';
const VULN_CVE = 'CVE-2018-13410';

let tmp: { dir: string; cleanup: () => void };
let server: ServerHandle;
const agents: AgentHandle[] = [];

type Host = HostSummary & { connected: boolean };

async function host(id: string): Promise<Host> {
  const r = await server.api<Host>('GET', `hosts/${id}`);
  if (r.status !== 200) throw new Error(`GET hosts/${id}: ${r.status}`);
  return r.body;
}

async function findings(query: Record<string, string>): Promise<StoredFinding[]> {
  const r = await server.api<{ findings: StoredFinding[] }>('GET', 'findings', query);
  if (r.status !== 200) throw new Error(`GET findings: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.findings;
}

/**
 * Server and agent agree on the inventory (same epoch, seq and digest) and the agent
 * has collected what dpkg sees now, so a change still in the watcher's quiet period
 * does not count as converged.
 */
async function converged(a: AgentHandle, extra = 0): Promise<boolean> {
  const l = a.local();
  if (l.components !== dpkgCount(a.root) + extra) return false;
  const h = await host(a.id);
  return h.digest === l.digest && h.seq === l.seq && h.epoch === l.epoch;
}

function chroot(root: string, ...argv: string[]): string {
  return execFileSync('chroot', [root, ...argv], { encoding: 'utf8', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive' } });
}

beforeAll(async () => {
  tmp = tempDir('vigil-fleet-');
  const base = rootfsFixture();
  server = await startServer(path.join(tmp.dir, 'server'));
  for (const name of ['a', 'b', 'c']) {
    const root = path.join(tmp.dir, `root-${name}`);
    copyTree(base, root);
    const stateDir = path.join(tmp.dir, `agent-${name}`);
    const id = await enroll(server, stateDir);
    agents.push(startAgent(id, stateDir, root));
  }
  for (const a of agents) await waitFor(`agent ${a.id} in sync`, () => converged(a), 120_000);
}, 600_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.proc?.kill()));
  await server?.proc.kill();
  tmp?.cleanup();
});

describe('a fleet of three agents', () => {
  it('holds every host with the inventory dpkg reports', async () => {
    const { body } = await server.api<{ hosts: Host[] }>('GET', 'hosts');
    expect(body.hosts.map((h) => h.id).sort()).toEqual(agents.map((a) => a.id).sort());
    for (const a of agents) {
      const h = await host(a.id);
      expect(h.connected).toBe(true);
      expect(h.components).toBe(dpkgCount(a.root));
      expect(h.os).toMatch(/Debian GNU\/Linux 12/);
    }
  });

  it('a package installed with dpkg -i in one chroot becomes a finding on that host only; removal closes it', async () => {
    const [a] = agents;
    const deb = buildDeb(tmp.dir, VULN_PKG, VULN_VERSION);
    cpSync(deb, path.join(a!.root, 'tmp/pkg.deb'));
    chroot(a!.root, 'dpkg', '-i', '/tmp/pkg.deb');
    const opened = await waitFor('finding on host a', async () => {
      const f = await findings({ cve: VULN_CVE, status: 'ACTIVE' });
      return f.length > 0 ? f : undefined;
    });
    expect(opened.map((f) => f.hostId)).toEqual([a!.id]);
    expect(opened[0]!.finding.component.name).toBe(VULN_PKG);
    expect((opened[0]!.finding as unknown as { fixedVersion: string }).fixedVersion).toBe('3.0-13+deb12u1');
    for (const other of agents.slice(1)) expect(await findings({ cve: VULN_CVE, host: other.id, status: 'ACTIVE,CLOSED' })).toEqual([]);
    // The server ranks it as the host's own scan of the same root does: its copy of the
    // inventory does not say which packages are in use, so that is unknown, not "not running".
    const scan = await vigil(['scan', '--root', a!.root, '--db', server.dir, '--format', 'json', '--quiet']);
    const local = (JSON.parse(scan.stdout) as { findings: Array<{ vulnerability: string; score: number }> }).findings.find((f) => f.vulnerability === VULN_CVE);
    expect(local, scan.stderr).toBeDefined();
    expect(opened[0]!.finding.score).toBe(local!.score);

    chroot(a!.root, 'dpkg', '-r', VULN_PKG);
    const closed = await waitFor('finding closed', async () => {
      const f = await findings({ cve: VULN_CVE, host: a!.id, status: 'CLOSED' });
      return f.length > 0 ? f : undefined;
    });
    expect(closed[0]!.closeReason).toBe('removed');
    expect(closed[0]!.closedAt).toBeTruthy();
    expect(await findings({ cve: VULN_CVE, status: 'ACTIVE' })).toEqual([]);
    await waitFor('host a in sync', () => converged(a!));
  });

  it('re-matches exactly the hosts holding a package when a new advisory is imported, without a rescan', async () => {
    const [a, b, c] = agents;
    addStatusPackage(a!.root, 'vigil-demo', '1.0-1');
    addStatusPackage(b!.root, 'vigil-demo', '1.0-2');
    addStatusPackage(c!.root, 'vigil-other', '1.0-1');
    for (const x of agents) await waitFor(`host ${x.id} in sync`, () => converged(x));
    const seqs = await Promise.all(agents.map(async (x) => (await host(x.id)).seq));
    expect(await findings({ cve: 'CVE-2099-0001' })).toEqual([]);

    const osv = {
      schema_version: '1.6.0',
      id: 'DEBIAN-CVE-2099-0001',
      aliases: ['CVE-2099-0001'],
      modified: '2026-11-01T00:00:00Z',
      published: '2026-11-01T00:00:00Z',
      summary: 'test advisory for vigil-demo',
      affected: [
        {
          package: { ecosystem: 'Debian:12', name: 'vigil-demo' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1-1' }] }],
        },
      ],
    };
    const feedDir = path.join(tmp.dir, 'new-advisory');
    mkdirSync(feedDir, { recursive: true });
    writeFileSync(path.join(feedDir, 'DEBIAN-CVE-2099-0001.json'), JSON.stringify(osv));
    const imp = await vigil(['db', 'import', '--db', server.dir, feedDir]);
    expect(imp.code, imp.stderr).toBe(0);

    const found = await waitFor('findings for the new advisory', async () => {
      const f = await findings({ cve: 'CVE-2099-0001' });
      return f.length >= 2 ? f : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const again = await findings({ cve: 'CVE-2099-0001' });
    expect(again.length).toBe(found.length);
    expect(again.map((f) => f.hostId).sort()).toEqual([a!.id, b!.id].sort());
    // No rescan and no delta: the inventories did not move.
    expect(await Promise.all(agents.map(async (x) => (await host(x.id)).seq))).toEqual(seqs);
  });

  it('loses and duplicates nothing when the server is SIGKILLed during a burst of 200 changes', async () => {
    let n = 0;
    const burst = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++, n++) {
        const a = agents[n % agents.length]!;
        // Adds and upgrades, so some changes replace components.
        addStatusPackage(a.root, `burst-${n % 40}`, `1.${n}-1`);
        await new Promise((r) => setTimeout(r, 15));
      }
    };
    await burst(100);
    await server.proc.kill('SIGKILL');
    await burst(60);
    await server.restart();
    await burst(40);
    for (const a of agents) {
      await waitFor(`host ${a.id} converged after the restart`, () => converged(a), 120_000);
      const h = await host(a.id);
      expect(h.components).toBe(dpkgCount(a.root));
    }
    // Findings are consistent with the inventory: the advisory's hosts still carry it.
    const f = await findings({ cve: 'CVE-2099-0001' });
    expect(f.map((x) => x.hostId).sort()).toEqual([agents[0]!.id, agents[1]!.id].sort());
  });

  it('catches up after the server was away for 50 changes, in one coalesced message', async () => {
    const [a] = agents;
    await server.proc.kill('SIGTERM');
    for (let i = 0; i < 50; i++) {
      addStatusPackage(a!.root, `offline-${i}`, '1.0-1');
      // Slower than the watcher's quiet time, so each change is its own delta in the outbox.
      await new Promise((r) => setTimeout(r, 400));
    }
    await waitFor('all 50 changes collected', () => a!.local().components === dpkgCount(a!.root), 20_000);
    const before = a!.local();
    await server.restart();
    await waitFor('host a converged', () => converged(a!), 120_000);
    expect(a!.proc.stderr()).toMatch(/backlog coalesced into one delta/);
    expect((await host(a!.id)).components).toBe(dpkgCount(a!.root));
    expect((await host(a!.id)).seq).toBe(before.seq);
  }, 180_000);

  it('resumes after the agent is SIGKILLed mid-send', async () => {
    const [, b] = agents;
    const mark = b!.proc.stderr().length;
    for (let i = 0; i < 30; i++) addStatusPackage(b!.root, `killed-${i}`, '1.0-1');
    // Kill as soon as the change is committed to the outbox, while it is being sent.
    await waitFor('agent b committing the change', () => /inventory refreshed/.test(b!.proc.stderr().slice(mark)), 10_000, 5);
    await b!.proc.kill('SIGKILL');
    for (let i = 30; i < 40; i++) addStatusPackage(b!.root, `killed-${i}`, '1.0-1');
    b!.start();
    await waitFor('host b converged', () => converged(b!), 120_000);
    expect((await host(b!.id)).components).toBe(dpkgCount(b!.root));
  });

  it('rescans on request and reports what changed', async () => {
    const [, , c] = agents;
    // Language packages are not watched (only package databases are), so only the rescan finds this one.
    const dist = path.join(c!.root, 'usr/lib/python3/dist-packages/vigil_probe-2.0.0.dist-info');
    mkdirSync(dist, { recursive: true });
    writeFileSync(path.join(dist, 'METADATA'), 'Metadata-Version: 2.1\nName: vigil-probe\nVersion: 2.0.0\n');
    const r = await vigil(['hosts', 'rescan', c!.id, '--json', '--api', `http://127.0.0.1:${server.apiPort}`], { env: { VIGIL_API_TOKEN: server.token } });
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { after: { seq: number } | null; added: Array<{ key: string }> };
    expect(res.added.map((x) => x.key.split('\0')[0])).toEqual(['pkg:pypi/vigil-probe@2.0.0']);
    await waitFor('host c converged', () => converged(c!, 1));
    const list = await vigil(['hosts', 'list', '--json', '--api', `http://127.0.0.1:${server.apiPort}`], { env: { VIGIL_API_TOKEN: server.token } });
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as Host[]).length).toBe(3);
  });

  it('starts a new epoch when its saved inventory vanishes, and the server follows with a snapshot', async () => {
    const [, , c] = agents;
    const before = c!.local();
    const mark = c!.proc.stderr().length;
    rmSync(path.join(c!.stateDir, 'inventory.json'));
    // Idle, the agent holds no components in memory (10 s after their last use): the next change reads the file.
    await new Promise((r) => setTimeout(r, 11_000));
    addStatusPackage(c!.root, 'after-loss', '1.0-1');
    await waitFor('host c converged in a new epoch', async () => c!.local().epoch > before.epoch && (await converged(c!, 1)), 60_000);
    expect(c!.proc.stderr().slice(mark)).toMatch(/saved inventory is missing or does not match the agent state; starting a new epoch/);
    const h = await host(c!.id);
    expect(h.components).toBe(dpkgCount(c!.root) + 1);
  }, 90_000);

  it('closes findings with reason advisory-withdrawn when the advisory is withdrawn', async () => {
    const feedDir = path.join(tmp.dir, 'new-advisory');
    const file = path.join(feedDir, 'DEBIAN-CVE-2099-0001.json');
    const osv = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...osv, withdrawn: '2026-11-20T00:00:00Z', modified: '2026-11-20T00:00:00Z' }));
    const imp = await vigil(['db', 'import', '--db', server.dir, feedDir]);
    expect(imp.code, imp.stderr).toBe(0);
    const closed = await waitFor('findings closed', async () => {
      const f = await findings({ cve: 'CVE-2099-0001', status: 'CLOSED' });
      return f.length >= 2 ? f : undefined;
    });
    expect(closed.map((f) => f.closeReason)).toEqual(['advisory-withdrawn', 'advisory-withdrawn']);
    expect(await findings({ cve: 'CVE-2099-0001', status: 'ACTIVE' })).toEqual([]);
  });

  it('a live agent sees a socket open and close on this host within its port poll', async () => {
    const stateDir = path.join(tmp.dir, 'agent-live');
    const id = await enroll(server, stateDir);
    const live = startAgent(id, stateDir, '/', { ports: { pollSeconds: 1 }, watch: { enabled: false, quietMs: 300, maxWaitMs: 2000 } });
    const listener = createServer();
    try {
      await waitFor('live host in sync', async () => ((await host(id)).seq ?? 0) > 0, 120_000);
      const synced = await server.api<{ digest: string; facts: { inUse?: string[] } }>('GET', `hosts/${id}`);
      // The agent read this host's processes: the C library every process maps is in use.
      expect(synced.body.facts.inUse?.some((k) => k.startsWith('pkg:deb/debian/libc6@'))).toBe(true);
      const portsOf = async (): Promise<number[]> =>
        ((await server.api<{ facts: { ports?: Array<{ port: number; address: string }> } }>('GET', `hosts/${id}`)).body.facts.ports ?? []).map((p) => p.port);
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const port = (listener.address() as { port: number }).port;
      await waitFor(`port ${port} on the server`, async () => (await portsOf()).includes(port), 30_000);
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      await waitFor(`port ${port} gone from the server`, async () => !(await portsOf()).includes(port), 30_000);
      expect(live.proc.stderr()).toMatch(/listening ports refreshed/);
      // Sockets changed, the components did not: the same inventory digest, the in-use set still sent.
      const after = await server.api<{ digest: string; facts: { inUse?: string[] } }>('GET', `hosts/${id}`);
      expect(synced.body.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(after.body.digest).toBe(synced.body.digest);
      expect(after.body.facts.inUse?.some((k) => k.startsWith('pkg:deb/debian/libc6@'))).toBe(true);
    } finally {
      listener.close();
      await live.proc.kill();
    }
  }, 180_000);
});
