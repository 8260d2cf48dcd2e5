import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { snapshotMessages, type LocalState } from '../agent/daemon.js';
import { componentKey } from '../common/identity.js';
import { inventoryDigest } from '../common/inventory-digest.js';
import { encodeAgentMessage } from '../common/wire/codec.js';
import type { MatchRow } from './match.js';
import { copyTree, removeTree, rootfsFixture } from './tree-copy.js';
import { unitRuntime } from './unit-runtime.js';

/**
 * The running system, measured with real processes: a `vigil server run` and
 * `vigil agent run`s over mutual TLS on loopback. Latency is from the start of
 * `dpkg -i` in a watched debootstrap root to the finding being returned by the
 * API; wire bytes are the encoded messages the agent writes; idle cost is read
 * from /proc for an agent watching this live host.
 */

const CVE = 'CVE-2018-13410';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function until<T>(fn: () => Promise<T | undefined>, timeoutMs: number, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

/** Resident memory in MB: all of it, the private (anonymous) part, and the part backed by files (the node executable's pages, shared). */
function memory(pid: number): { rss: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

/** The Node.js runtime `npm run package` bundles, if its cache holds one (packaging/build-deb.sh). */
function packagedNode(): { node: string; version: string } | undefined {
  const cache = path.join(process.env.VIGIL_CACHE_DIR ?? '/var/cache/vigil-test', 'packaging');
  let dirs: string[];
  try {
    dirs = readdirSync(cache).filter((d) => /^node-v\d+\.\d+\.\d+$/.test(d));
  } catch {
    return undefined;
  }
  const d = dirs.sort().pop();
  if (!d || !existsSync(path.join(cache, d, 'bin/node'))) return undefined;
  return { node: path.join(cache, d, 'bin/node'), version: d.slice('node-'.length) };
}

export async function fleetBench(repo: string, median: (xs: number[]) => number): Promise<MatchRow[]> {
  const rows: MatchRow[] = [];
  const bin = path.join(repo, 'bin/vigil.js');
  const vigil = (args: string[], env: NodeJS.ProcessEnv = {}): string => execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } }).trim();
  const tmp = mkdtempSync(path.join(tmpdir(), 'vigil-bench-fleet-'));
  const procs: ChildProcess[] = [];
  // Agents run as systemd/vigil-agent.service runs them (its NODE_OPTIONS, MemoryDenyWriteExecute=).
  const runtime = unitRuntime(repo, 'vigil-agent.service');
  const start = (args: string[]): ChildProcess => {
    const p = spawn(runtime.command, [...runtime.prefix, bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', ...runtime.env } });
    p.stderr!.resume();
    procs.push(p);
    return p;
  };
  try {
    const root = path.join(tmp, 'root');
    copyTree(rootfsFixture(repo), root);
    const serverDir = path.join(tmp, 'server');
    const grpcPort = await freePort();
    const apiPort = await freePort();
    const server = spawn(process.execPath, [bin, 'server', 'run', '--data-dir', serverDir, '--listen', `127.0.0.1:${grpcPort}`, '--api-listen', `127.0.0.1:${apiPort}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' },
    });
    procs.push(server);
    let serverErr = '';
    server.stderr!.on('data', (b: Buffer) => (serverErr += b.toString()));
    await until(async () => (/listening on grpc/.test(serverErr) ? true : undefined), 300_000, 100);
    const token = readFileSync(path.join(serverDir, 'api.token'), 'utf8').trim();
    const caFp = (): string => createHash('sha256').update(new X509Certificate(readFileSync(path.join(serverDir, 'pki/ca.crt'))).raw).digest('hex');
    const enroll = (stateDir: string): string =>
      vigil(['agent', 'enroll', '--server', `127.0.0.1:${grpcPort}`, '--token', vigil(['token', 'create', '--dir', path.join(serverDir, 'pki')]), '--ca-fingerprint', caFp(), '--ca', path.join(serverDir, 'pki/ca.crt'), '--state-dir', stateDir]);
    const api = async <T>(route: string, q: Record<string, string> = {}): Promise<T> => {
      const u = new URL(`http://127.0.0.1:${apiPort}/api/v1/${route}`);
      for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
      const res = await fetch(u, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`${route}: ${res.status}`);
      return (await res.json()) as T;
    };

    // --- latency: dpkg -i in a watched root → finding queryable
    const agentDir = path.join(tmp, 'agent-root');
    const id = enroll(agentDir);
    const cfg = path.join(agentDir, 'agent.json');
    // The agent's defaults (2 s of quiet before collecting), as shipped.
    writeFileSync(cfg, JSON.stringify({ stateDir: agentDir, root }));
    start(['agent', 'run', '--config', cfg]);
    await until(() => api<{ seq?: number }>(`hosts/${id}`).then((h) => (h.seq ? h : undefined)), 120_000, 100);
    const pkgDir = path.join(tmp, 'zip_3.0-13');
    mkdirSync(path.join(pkgDir, 'DEBIAN'), { recursive: true });
    mkdirSync(path.join(pkgDir, 'usr/share/doc/zip'), { recursive: true });
    writeFileSync(path.join(pkgDir, 'usr/share/doc/zip/README'), 'zip\n');
    writeFileSync(path.join(pkgDir, 'DEBIAN/control'), 'Package: zip\nVersion: 3.0-13\nArchitecture: amd64\nMaintainer: Vigil Bench <bench@vigil.invalid>\nDescription: bench\n bench package\n');
    execFileSync('dpkg-deb', ['--root-owner-group', '--build', pkgDir, path.join(root, 'tmp/zip.deb')], { stdio: 'ignore' });
    const chroot = (...argv: string[]): void => {
      execFileSync('chroot', [root, ...argv], { stdio: 'ignore', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
    };
    const inventoryBefore = JSON.parse(readFileSync(path.join(agentDir, 'inventory.json'), 'utf8')) as LocalState;
    const opened: number[] = [];
    const closed: number[] = [];
    const ROUNDS = Number(process.env.VIGIL_BENCH_LATENCY_ROUNDS ?? 10);
    let inventoryWithZip: LocalState | undefined;
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      chroot('dpkg', '-i', '/tmp/zip.deb');
      await until(() => api<{ findings: unknown[] }>('findings', { host: id, cve: CVE, status: 'ACTIVE' }).then((r) => (r.findings.length ? r : undefined)), 60_000);
      opened.push(performance.now() - t);
      inventoryWithZip ??= JSON.parse(readFileSync(path.join(agentDir, 'inventory.json'), 'utf8')) as LocalState;
      t = performance.now();
      chroot('dpkg', '-r', 'zip');
      await until(() => api<{ findings: unknown[] }>('findings', { host: id, cve: CVE, status: 'ACTIVE' }).then((r) => (r.findings.length ? undefined : r)), 60_000);
      closed.push(performance.now() - t);
    }
    const scanRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, [bin, 'scan', '--root', root, '--db', serverDir, '--format', 'json', '--quiet'], { stdio: 'ignore' });
      if (r.status !== 0 && r.status !== 1) throw new Error(`vigil scan exited ${r.status}`);
      scanRuns.push(performance.now() - t);
    }
    const p50 = percentile(opened, 50);
    rows.push({
      what: `\`dpkg -i\` in a watched root → finding returned by the API (${ROUNDS} rounds, agent defaults: 2 s quiet period)`,
      result: `p50 ${(p50 / 1000).toFixed(2)} s, p90 ${(percentile(opened, 90) / 1000).toFixed(2)} s; removal → finding closed p50 ${(percentile(closed, 50) / 1000).toFixed(2)} s. Reference: one full \`vigil scan --root\` of the same root ${(median(scanRuns) / 1000).toFixed(2)} s (ratio ${(p50 / median(scanRuns)).toFixed(2)}); Inspector's EC2 inventory interval 30 min`,
      target: 'p50 < 3 s',
    });

    // --- bytes on the wire: one package change vs the full snapshot
    if (inventoryWithZip) {
      const zip = inventoryWithZip.components.filter((c) => !inventoryBefore.components.some((b) => componentKey(b) === componentKey(c)));
      const delta = encodeAgentMessage({
        kind: 'delta',
        epoch: inventoryWithZip.epoch,
        baseSeq: inventoryWithZip.seq - 1,
        seq: inventoryWithZip.seq,
        added: zip,
        removed: [],
        ports: inventoryWithZip.ports,
        digestAfter: inventoryDigest(inventoryWithZip.components),
      }).length;
      const snapshot = snapshotMessages(inventoryWithZip).reduce((n, m) => n + encodeAgentMessage(m).length, 0);
      rows.push({
        what: `bytes on the wire for one package change (delta) vs the full snapshot (${inventoryWithZip.components.length} components)`,
        result: `${delta} B vs ${(snapshot / 1024).toFixed(1)} KiB (ratio ${(delta / snapshot).toFixed(4)})`,
        target: '—',
      });
    }

    // --- idle cost of an agent on this live host, on this machine's node and, when
    // `npm run package` has fetched it, on the Node.js runtime the .deb bundles.
    const runtimes: Array<{ label: string; node: string }> = [{ label: `node ${process.version} (this machine)`, node: process.execPath }];
    const packaged = packagedNode();
    if (packaged) runtimes.push({ label: `node ${packaged.version} (bundled in the .deb)`, node: packaged.node });
    const live: Array<{ label: string; pid: number; idlePid: number }> = [];
    for (const [i, r] of runtimes.entries()) {
      const dir = path.join(tmp, `agent-live-${i}`);
      const liveId = enroll(dir);
      const liveCfg = path.join(dir, 'agent.json');
      writeFileSync(liveCfg, JSON.stringify({ stateDir: dir, root: '/' }));
      const rt = unitRuntime(repo, 'vigil-agent.service', r.node);
      const p = spawn(rt.command, [...rt.prefix, bin, 'agent', 'run', '--config', liveCfg], { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', ...rt.env } });
      procs.push(p);
      await until(() => api<{ seq?: number }>(`hosts/${liveId}`).then((h) => (h.seq ? h : undefined)), 300_000, 200);
      // Reference: the same runtime doing nothing.
      const idle = spawn(r.node, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
      procs.push(idle);
      live.push({ label: r.label, pid: p.pid!, idlePid: idle.pid! });
    }
    await new Promise((r) => setTimeout(r, 5000));
    const seconds = Number(process.env.VIGIL_BENCH_IDLE_SECONDS ?? 600);
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const c0 = live.map((a) => cpuTicks(a.pid));
    const t0 = performance.now();
    const samples = live.map(() => ({ rss: [] as number[], anon: [] as number[], baseline: [] as number[], baselineAnon: [] as number[] }));
    while (performance.now() - t0 < seconds * 1000) {
      for (const [i, a] of live.entries()) {
        const m = memory(a.pid);
        const b = memory(a.idlePid);
        samples[i]!.rss.push(m.rss);
        samples[i]!.anon.push(m.anon);
        samples[i]!.baseline.push(b.rss);
        samples[i]!.baselineAnon.push(b.anon);
      }
      await new Promise((r) => setTimeout(r, 5000));
    }
    const elapsed = (performance.now() - t0) / 1000;
    for (const [i, a] of live.entries()) {
      const { rss, anon, baseline, baselineAnon } = samples[i]!;
      const cpuPct = ((cpuTicks(a.pid) - c0[i]!) / hz / elapsed) * 100;
      rows.push({
        what: `agent idle on this host over ${Math.round(seconds / 60)} min, ${a.label}, as systemd/vigil-agent.service runs it (${unitRuntime(repo, 'vigil-agent.service').describe}); watching /, port poll every 30 s, heartbeat every 60 s`,
        result: `RSS median ${median(rss).toFixed(0)} MB (private ${median(anon).toFixed(0)} MB, the rest the node executable's shared file pages), peak ${Math.max(...rss).toFixed(0)} MB; CPU ${cpuPct.toFixed(3)} % of a core. Reference: an idle \`node\` process of the same runtime ${median(baseline).toFixed(0)} MB (private ${median(baselineAnon).toFixed(0)} MB; ratio ${(median(rss) / median(baseline)).toFixed(2)})`,
        target: '< 60 MB, < 0.5 %',
      });
    }
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    removeTree(tmp);
  }
  return rows;
}
