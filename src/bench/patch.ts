import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, until } from './fleet.js';
import type { MatchRow } from './match.js';
import { copyTree, removeTree, rootfsFixture } from './tree-copy.js';

/**
 * Wall time of a five-host patch job with the real apt-get in five debootstrap
 * chroots (server, agents and executors as real processes), from `POST /jobs` to
 * every host verified; the reference is the same five upgrades run directly with
 * `chroot ROOT apt-get`, one after another, on copies of the same roots.
 */
export async function patchBench(repo: string): Promise<MatchRow[]> {
  const bin = path.join(repo, 'bin/vigil.js');
  const tmp = mkdtempSync(path.join(tmpdir(), 'vigil-bench-patch-'));
  const procs: ChildProcess[] = [];
  const run = (args: string[]): string => execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' }).trim();
  const start = (args: string[]): ChildProcess => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' } });
    p.stderr!.resume();
    procs.push(p);
    return p;
  };
  const chrootEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive' };
  try {
    const base = rootfsFixture(repo);
    const repoDir = path.join(tmp, 'repo');
    mkdirSync(repoDir);
    for (const v of ['1.0-1', '1.0-2']) {
      const d = path.join(tmp, `pkg-${v}`);
      mkdirSync(path.join(d, 'DEBIAN'), { recursive: true });
      mkdirSync(path.join(d, 'usr/share/doc/vigil-demo'), { recursive: true });
      writeFileSync(path.join(d, 'usr/share/doc/vigil-demo/README'), v);
      writeFileSync(path.join(d, 'DEBIAN/control'), `Package: vigil-demo\nVersion: ${v}\nArchitecture: amd64\nMaintainer: Vigil Bench <bench@vigil.invalid>\nDescription: bench\n bench package\n`);
      execFileSync('dpkg-deb', ['--root-owner-group', '--build', d, path.join(repoDir, `vigil-demo_${v}_amd64.deb`)], { stdio: 'ignore' });
    }
    writeFileSync(path.join(repoDir, 'Packages'), execFileSync('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: repoDir, stdio: ['ignore', 'pipe', 'ignore'] }));
    const makeRoot = (name: string): string => {
      const root = path.join(tmp, name);
      copyTree(base, root);
      copyTree(repoDir, path.join(root, 'srv/repo'));
      writeFileSync(path.join(root, 'etc/apt/sources.list'), 'deb [trusted=yes] file:/srv/repo ./\n');
      rmSync(path.join(root, 'etc/apt/sources.list.d'), { recursive: true, force: true });
      mkdirSync(path.join(root, 'etc/apt/sources.list.d'));
      execFileSync('chroot', [root, 'dpkg', '-i', '/srv/repo/vigil-demo_1.0-1_amd64.deb'], { stdio: 'ignore', env: chrootEnv });
      return root;
    };

    // Reference: the five upgrades by hand, one after another.
    const refRoots = Array.from({ length: 5 }, (_, i) => makeRoot(`ref-${i}`));
    let t = performance.now();
    for (const root of refRoots) {
      execFileSync('chroot', [root, 'apt-get', 'update'], { stdio: 'ignore', env: chrootEnv });
      execFileSync('chroot', [root, 'apt-get', 'install', '-y', '--only-upgrade', 'vigil-demo'], { stdio: 'ignore', env: chrootEnv });
    }
    const reference = performance.now() - t;

    const serverDir = path.join(tmp, 'server');
    const rootKeyId = (JSON.parse(run(['keys', 'init', '--out', path.join(tmp, 'root'), '--json'])) as { keyid: string }).keyid;
    run(['keys', 'rotate', '--root-key', path.join(tmp, 'root/root.key'), '--dir', path.join(serverDir, 'keys'), '--actions', 'patch', '--managers', 'apt', '--json']);
    const grpcPort = await freePort();
    const apiPort = await freePort();
    let serverErr = '';
    const srv = start(['server', 'run', '--data-dir', serverDir, '--listen', `127.0.0.1:${grpcPort}`, '--api-listen', `127.0.0.1:${apiPort}`, '--advisory-poll', '1']);
    srv.stderr!.on('data', (b: Buffer) => (serverErr += b.toString()));
    await until(async () => (/listening on grpc/.test(serverErr) ? true : undefined), 300_000);
    const feed = path.join(tmp, 'feed');
    mkdirSync(feed);
    writeFileSync(
      path.join(feed, 'demo.json'),
      JSON.stringify({
        schema_version: '1.6.0',
        id: 'DEBIAN-CVE-2099-0201',
        aliases: ['CVE-2099-0201'],
        modified: '2026-11-01T00:00:00Z',
        affected: [{ package: { ecosystem: 'Debian:12', name: 'vigil-demo' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0-2' }] }] }],
      }),
    );
    run(['db', 'import', '--db', serverDir, feed]);
    const token = readFileSync(path.join(serverDir, 'api.token'), 'utf8').trim();
    const api = async <T>(method: string, route: string, q: Record<string, string> = {}): Promise<T> => {
      const u = new URL(`http://127.0.0.1:${apiPort}/api/v1/${route}`);
      for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
      const res = await fetch(u, { method, headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const caFp = createHash('sha256').update(new X509Certificate(readFileSync(path.join(serverDir, 'pki/ca.crt'))).raw).digest('hex');
    for (let i = 0; i < 5; i++) {
      const root = makeRoot(`host-${i}`);
      const stateDir = path.join(tmp, `agent-${i}`);
      const id = run(['agent', 'enroll', '--server', `127.0.0.1:${grpcPort}`, '--token', run(['token', 'create', '--dir', path.join(serverDir, 'pki')]), '--ca-fingerprint', caFp, '--ca', path.join(serverDir, 'pki/ca.crt'), '--state-dir', stateDir]);
      const execDir = path.join(tmp, `executor-${i}`);
      mkdirSync(execDir);
      writeFileSync(path.join(execDir, 'executor.json'), JSON.stringify({ hostId: id, rootKeyId, manager: 'apt', root, stateDir: path.join(execDir, 'state') }));
      const socket = path.join(execDir, 'executor.sock');
      start(['executor', 'serve', '--config', path.join(execDir, 'executor.json'), '--socket', socket]);
      await until(async () => (existsSync(socket) ? true : undefined), 30_000);
      writeFileSync(path.join(stateDir, 'agent.json'), JSON.stringify({ stateDir, root, executor: { socket } }));
      start(['agent', 'run', '--config', path.join(stateDir, 'agent.json')]);
    }
    await until(() => api<{ findings: unknown[] }>('GET', 'findings', { cve: 'CVE-2099-0201', status: 'ACTIVE' }).then((r) => (r.findings.length === 5 ? r : undefined)), 300_000);
    t = performance.now();
    const { jobId } = await api<{ jobId: number }>('POST', 'jobs', { cve: 'CVE-2099-0201', canary: '1', waves: '2', 'failure-threshold': '0.2' });
    const done = await until(
      () => api<{ job: { state: string }; counts: { verified: number } }>('GET', `jobs/${jobId}`).then((v) => (v.job.state !== 'running' ? v : undefined)),
      600_000,
    );
    const wall = performance.now() - t;
    if (done.job.state !== 'completed' || done.counts.verified !== 5) throw new Error(`bench patch job ended ${done.job.state} with ${done.counts.verified} verified`);
    return [
      {
        what: 'five-host patch job (canary 1, waves of 2), real apt-get in five debootstrap chroots: create → all verified',
        result: `${(wall / 1000).toFixed(2)} s. Reference: the same five upgrades run by hand one after another (\`chroot ROOT apt-get update && apt-get install --only-upgrade\`) ${(reference / 1000).toFixed(2)} s (ratio ${(wall / reference).toFixed(2)})`,
        target: '—',
      },
    ];
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    removeTree(tmp);
  }
}
