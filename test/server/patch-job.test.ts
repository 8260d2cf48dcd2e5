import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFinding } from '../../src/store/fleet-store.js';
import type { JobView } from '../../src/server/patch-service.js';
import { rootfsFixture, vigil } from '../helpers/cli.js';
import { buildDeb, enroll, startAgent, startProc, startServer, waitFor, type AgentHandle, type Proc, type ServerHandle } from '../helpers/fleet.js';
import { tempDir } from '../helpers/fixtures.js';
import { logRecords, unknownLogFields } from '../helpers/log-fields.js';
import { copyTree } from '../../src/bench/tree-copy.js';

/**
 * Fleet patching end to end, with the real package manager: five debootstrap hosts,
 * each with its agent and its root executor (acting on the host's root through
 * chroot), a local apt repository built here, and patch jobs rolled out by the
 * server with signed commands.
 */

let tmp: { dir: string; cleanup: () => void };
let server: ServerHandle;
const agents: AgentHandle[] = [];
const executors: Proc[] = [];
let rootKeyId = '';
const api = (): string[] => ['--api', `http://127.0.0.1:${server.apiPort}`];

function chroot(root: string, ...argv: string[]): void {
  execFileSync('chroot', [root, ...argv], { stdio: 'ignore', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive' } });
}

/** A flat apt repository (`deb [trusted=yes] file:/srv/repo ./`) holding the given packages. */
function makeRepo(dir: string, debs: string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const d of debs) execFileSync('cp', [d, dir]);
  const packages = execFileSync('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  writeFileSync(path.join(dir, 'Packages'), packages);
}

async function job(id: number): Promise<JobView> {
  const r = await server.api<JobView>('GET', `jobs/${id}`);
  if (r.status !== 200) throw new Error(`GET jobs/${id}: ${r.status}`);
  return r.body;
}

async function findings(query: Record<string, string>): Promise<StoredFinding[]> {
  return (await server.api<{ findings: StoredFinding[] }>('GET', 'findings', query)).body.findings;
}

beforeAll(async () => {
  tmp = tempDir('vigil-patch-');
  const base = rootfsFixture();
  const debs = path.join(tmp.dir, 'debs');
  mkdirSync(debs);
  const demo1 = buildDeb(debs, 'vigil-demo', '1.0-1');
  const demo2 = buildDeb(debs, 'vigil-demo', '1.0-2');
  const other1 = buildDeb(debs, 'vigil-other', '1.0-1');
  const other2 = buildDeb(debs, 'vigil-other', '1.0-2');
  const good = path.join(tmp.dir, 'repo-good');
  const bad = path.join(tmp.dir, 'repo-bad');
  makeRepo(good, [demo1, demo2, other1, other2]);
  // Has the fix for vigil-demo, not for vigil-other.
  makeRepo(bad, [demo1, demo2, other1]);

  // Signing keys: the root stays here (offline), the server gets an online key and its delegation.
  const keys = await vigil(['keys', 'init', '--out', path.join(tmp.dir, 'root'), '--json']);
  expect(keys.code, keys.stderr).toBe(0);
  rootKeyId = (JSON.parse(keys.stdout) as { keyid: string }).keyid;
  const serverDir = path.join(tmp.dir, 'server');
  const rot = await vigil(['keys', 'rotate', '--root-key', path.join(tmp.dir, 'root/root.key'), '--dir', path.join(serverDir, 'keys'), '--actions', 'patch', '--managers', 'apt', '--ttl', '1d', '--json']);
  expect(rot.code, rot.stderr).toBe(0);

  server = await startServer(serverDir);
  const osv = (id: string, pkg: string) => ({
    schema_version: '1.6.0',
    id: `DEBIAN-${id}`,
    aliases: [id],
    modified: '2026-11-01T00:00:00Z',
    published: '2026-11-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'Debian:12', name: pkg }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0-2' }] }] }],
  });
  const feed = path.join(tmp.dir, 'feed');
  mkdirSync(feed);
  writeFileSync(path.join(feed, 'a.json'), JSON.stringify(osv('CVE-2099-0101', 'vigil-demo')));
  writeFileSync(path.join(feed, 'b.json'), JSON.stringify(osv('CVE-2099-0102', 'vigil-other')));
  const imp = await vigil(['db', 'import', '--db', serverDir, feed]);
  expect(imp.code, imp.stderr).toBe(0);

  const ids: Array<{ id: string; stateDir: string }> = [];
  for (let i = 0; i < 5; i++) {
    const stateDir = path.join(tmp.dir, `agent-${i}`);
    ids.push({ id: await enroll(server, stateDir), stateDir });
  }
  // Rollout order is by host id: the second host (in wave 1) is the one whose repository lacks a fix.
  ids.sort((a, b) => a.id.localeCompare(b.id));
  for (const [i, { id, stateDir }] of ids.entries()) {
    const root = path.join(tmp.dir, `root-${i}`);
    copyTree(base, root);
    copyTree(i === 1 ? bad : good, path.join(root, 'srv/repo'));
    writeFileSync(path.join(root, 'etc/apt/sources.list'), 'deb [trusted=yes] file:/srv/repo ./\n');
    execFileSync('rm', ['-rf', path.join(root, 'etc/apt/sources.list.d')]);
    mkdirSync(path.join(root, 'etc/apt/sources.list.d'));
    execFileSync('cp', [demo1, other1, path.join(root, 'tmp')]);
    chroot(root, 'dpkg', '-i', '/tmp/vigil-demo_1.0-1_amd64.deb', '/tmp/vigil-other_1.0-1_amd64.deb');

    const execDir = path.join(tmp.dir, `executor-${i}`);
    mkdirSync(execDir);
    const config = path.join(execDir, 'executor.json');
    writeFileSync(config, JSON.stringify({ hostId: id, rootKeyId, manager: 'apt', root, stateDir: path.join(execDir, 'state'), timeoutSeconds: 300 }));
    const socket = path.join(execDir, 'executor.sock');
    const ex = startProc(['executor', 'serve', '--config', config, '--socket', socket]);
    executors.push(ex);
    await waitFor('executor socket', () => {
      if (ex.child.exitCode !== null) throw new Error(`executor exited: ${ex.stderr()}`);
      return require_exists(socket);
    }, 30_000);
    agents.push(startAgent(id, stateDir, root, { executor: { socket, timeoutSeconds: 300 } }));
  }
  await waitFor('findings on all five hosts', async () => ((await findings({ cve: 'CVE-2099-0101', status: 'ACTIVE' })).length === 5 ? true : undefined), 180_000);
}, 900_000);

function require_exists(p: string): boolean {
  try {
    execFileSync('test', ['-S', p]);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  await Promise.all(agents.map((a) => a.proc?.kill()));
  await Promise.all(executors.map((e) => e.kill()));
  await server?.proc.kill();
  tmp?.cleanup();
});

describe('patch jobs with the real apt-get in five chroots', () => {
  it('rolls out canary then two waves, every host verified, every finding closed by the job', async () => {
    const r = await vigil(['patch', 'create', '--cve', 'CVE-2099-0101', '--canary', '1', '--waves', '2', '--failure-threshold', '0.2', '--json', ...api()], {
      env: { VIGIL_API_TOKEN: server.token },
    });
    expect(r.code, r.stderr).toBe(0);
    const created = JSON.parse(r.stdout) as { jobId: number; hosts: Array<{ hostId: string; wave: number; packages: Array<{ name: string; fixedVersion: string }> }> };
    expect(created.hosts.map((h) => h.wave)).toEqual([0, 1, 1, 2, 2]);
    expect(created.hosts.every((h) => h.packages.length === 1 && h.packages[0]!.name === 'vigil-demo' && h.packages[0]!.fixedVersion === '1.0-2')).toBe(true);
    const done = await waitFor('job ended', async () => {
      const v = await job(created.jobId);
      return v.job.state !== 'running' ? v : undefined;
    }, 600_000, 500);
    expect(done.job.state, JSON.stringify(done.hosts.map((h) => [h.hostId, h.state, h.detail]))).toBe('completed');
    expect(done.counts.verified).toBe(5);
    // Waves ran in order: nobody in a later wave finished before everyone in an earlier one was sent.
    const sent = (w: number) => done.hosts.filter((h) => h.wave === w).map((h) => Date.parse(h.sentAt!));
    const finished = (w: number) => done.hosts.filter((h) => h.wave === w).map((h) => Date.parse(h.finishedAt!));
    expect(Math.min(...sent(1))).toBeGreaterThanOrEqual(Math.max(...finished(0)));
    expect(Math.min(...sent(2))).toBeGreaterThanOrEqual(Math.max(...finished(1)));
    for (const a of agents) {
      const v = execFileSync('dpkg-query', [`--admindir=${path.join(a.root, 'var/lib/dpkg')}`, '-W', '-f', '${Version}', 'vigil-demo'], { encoding: 'utf8' });
      expect(v).toBe('1.0-2');
    }
    await waitFor('findings closed', async () => ((await findings({ cve: 'CVE-2099-0101', status: 'CLOSED' })).length === 5 ? true : undefined), 60_000);
    const closed = await findings({ cve: 'CVE-2099-0101', status: 'CLOSED' });
    expect(new Set(closed.map((f) => f.closeReason))).toEqual(new Set([`patched-by-job:${created.jobId}`]));
    expect(await findings({ cve: 'CVE-2099-0101', status: 'ACTIVE' })).toEqual([]);
    const view = await job(created.jobId);
    expect(view.closed.length).toBe(5);
    expect(view.closed.every((c) => c.remediationSeconds >= 0)).toBe(true);
    // Every transition is an EventBridge-shaped event in the server's events.jsonl.
    const events = readFileSync(path.join(server.dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; 'detail-type': string; resources: string[]; detail: { jobId: number; state: string } })
      .filter((e) => e.detail.jobId === created.jobId);
    expect(events.every((e) => e.source === 'vigil' && e.resources.includes(`vigil:job/${created.jobId}`))).toBe(true);
    expect(events.filter((e) => e['detail-type'] === 'Patch Job State Change').map((e) => e.detail.state)).toEqual(['running', 'completed']);
    const commands = events.filter((e) => e['detail-type'] === 'Patch Command State Change').map((e) => e.detail.state);
    expect(commands.filter((x) => x === 'sent').length).toBe(5);
    expect(commands.filter((x) => x === 'verified').length).toBe(5);
    // Each host's command went sent (signed) -> running (handed to its agent's stream) -> verified.
    const byHost = new Map<string, string[]>();
    for (const e of events.filter((x) => x['detail-type'] === 'Patch Command State Change')) {
      const h = (e.detail as unknown as { hostId: string }).hostId;
      byHost.set(h, [...(byHost.get(h) ?? []), e.detail.state]);
    }
    expect([...byHost.values()]).toEqual(Array.from({ length: 5 }, () => ['sent', 'running', 'verified']));
  }, 700_000);

  it('fails before the next wave when a host whose repository lacks the fix fails (threshold 20%), skipping that wave', async () => {
    const r = await vigil(['patch', 'create', '--cve', 'CVE-2099-0102', '--canary', '1', '--waves', '2', '--failure-threshold', '0.2', '--json', ...api()], {
      env: { VIGIL_API_TOKEN: server.token },
    });
    expect(r.code, r.stderr).toBe(0);
    const { jobId } = JSON.parse(r.stdout) as { jobId: number };
    const v = await waitFor('job failed', async () => {
      const x = await job(jobId);
      return x.job.state !== 'running' ? x : undefined;
    }, 600_000, 500);
    expect(v.job.state).toBe('failed');
    expect(v.job.reason).toMatch(/1 of 3 finished hosts failed/);
    const bad = v.hosts.find((h) => h.hostId === agents[1]!.id)!;
    expect(bad.state).toBe('failed');
    expect(bad.detail).toMatch(/not verified/);
    expect(v.hosts.filter((h) => h.wave === 2).map((h) => h.state)).toEqual(['skipped', 'skipped']);
    // The failed host's finding stays open; the verified ones closed with the job.
    expect((await findings({ cve: 'CVE-2099-0102', host: agents[1]!.id, status: 'ACTIVE' })).length).toBe(1);
  }, 700_000);

  it('keeps job and host state across a server SIGKILL and finishes the job after the restart', async () => {
    const failed = (await server.api<{ jobs: Array<{ id: number; state: string }> }>('GET', 'jobs')).body.jobs.find((j) => j.state === 'failed')!;
    const left = (await job(failed.id)).hosts.filter((h) => h.state === 'skipped').map((h) => h.hostId);
    expect(left.length).toBe(2);
    const r = await vigil(['patch', 'create', '--cve', 'CVE-2099-0102', '--hosts', left.join(','), '--canary', '0', '--waves', '1', '--json', ...api()], {
      env: { VIGIL_API_TOKEN: server.token },
    });
    expect(r.code, r.stderr).toBe(0);
    const { jobId } = JSON.parse(r.stdout) as { jobId: number };
    await server.proc.kill('SIGKILL');
    await server.restart();
    const v = await waitFor('job completed after the restart', async () => {
      const x = await job(jobId);
      return x.job.state !== 'running' ? x : undefined;
    }, 600_000, 500);
    expect(v.job.state, JSON.stringify(v.hosts)).toBe('completed');
    expect(v.counts.verified).toBe(2);
    for (const id of left) {
      const f = await findings({ cve: 'CVE-2099-0102', host: id, status: 'CLOSED' });
      expect(f.map((x) => x.closeReason)).toEqual([`patched-by-job:${jobId}`]);
    }
  }, 700_000);

  it('logged, in server, agents and executors, only fields of the log vocabulary', () => {
    const text = [server.proc.stderr(), ...agents.map((a) => a.proc.stderr()), ...executors.map((e) => e.stderr())].join('\n');
    // A fleet run at info level: enrolment, streams, jobs, commands and their steps.
    expect(logRecords(text)).toBeGreaterThan(100);
    expect(unknownLogFields(text)).toEqual([]);
    for (const core of ['"host":', '"job":', '"command":', '"component":']) expect(text, core).toContain(core);
  });
});
