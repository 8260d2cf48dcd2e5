import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { removeTree } from '../tree-copy.js';
import { cpuSeconds, databaseBytes, enrolmentToken, openFds, percentile, rssMb, serverCa, startServer, type StartedServer } from './server-proc.js';
import type { FromWorker, ToWorker, WorkerConfig, WorkerResult } from './worker.js';

/**
 * `npm run fleet-sim -- --agents N (--start-server DATA_DIR | --server HOST:PORT --data-dir DIR)`:
 * N simulated agents as real gRPC clients in K forked processes against one Vigil
 * server, reporting JSON on stdout (progress on stderr). See fleetSim for the phases.
 */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const USAGE = `usage: fleet-sim --agents N (--start-server DATA_DIR | --server HOST:PORT --data-dir DIR [--server-pid PID] [--api URL])
       [--processes K] [--delta-rate R] [--duration S] [--probe-every MS] [--online-timeout S] [--seed N]
       [--enroll-concurrency C] [--server-cpu-prof DIR] [--json]`;

export interface SimOptions {
  agents: number;
  processes: number;
  /** Fleet-wide deltas per second. */
  deltaRate: number;
  durationS: number;
  seed: number;
  onlineTimeoutS: number;
  enrollConcurrency: number;
  /** Starts `vigil server run` on this fresh or existing data directory. */
  startServer?: string;
  /** Or: an already running server, with its data directory (enrolment token, CA, API token, database size). */
  server?: string;
  dataDir?: string;
  serverPid?: number;
  api?: string;
  /** Milliseconds between finding probes; 0 for none. */
  probeEveryMs: number;
  serverCpuProf?: string;
  log?: (line: string) => void;
}

export interface SimReport {
  agents: number;
  processes: number;
  server: { address: string; pid: number | null; started: boolean };
  enrolment: { totalMs: number; perAgentP50Ms: number | null; perAgentP99Ms: number | null; enrolled: number; failed: number };
  online: { allOnlineMs: number | null; online: number; perAgentP50Ms: number | null; perAgentP99Ms: number | null };
  deltas: { rateAsked: number; sent: number; acked: number; perSecond: number; rttP50Ms: number | null; rttP99Ms: number | null; ack: string };
  deltaToFinding: { samples: number; timeouts: number; p50Ms: number | null; p99Ms: number | null; how: string };
  reconnects: number;
  errors: Record<string, number>;
  serverProcess: { rssMbPeak: number | null; rssMbEnd: number | null; cpuPercentEnrol: number | null; cpuPercentDeltas: number | null; openFdsPeak: number | null; source: string } | null;
  database: { fleetDbBytes: number; walBytes: number; source: string } | null;
  agentIds: string[];
  durationMs: number;
}

export async function fleetSim(o: SimOptions): Promise<SimReport> {
  const log = o.log ?? ((l: string) => process.stderr.write(`fleet-sim: ${l}\n`));
  const t0 = performance.now();
  let started: StartedServer | undefined;
  const dataDir = o.startServer ?? o.dataDir;
  if (!dataDir) throw new Error('fleet-sim needs --start-server DATA_DIR, or --server with --data-dir (for the enrolment token and the CA)');
  if (o.startServer) {
    log(`starting vigil server run on ${o.startServer}`);
    started = await startServer(REPO, o.startServer, o.serverCpuProf ? ['--cpu-prof', '--cpu-prof-dir', o.serverCpuProf] : []);
  }
  const grpc = started?.grpc ?? o.server;
  if (!grpc) throw new Error('fleet-sim needs --server HOST:PORT or --start-server DATA_DIR');
  const pid = started?.pid ?? o.serverPid;
  const api = started?.api ?? o.api;
  const apiToken = api ? readFileSync(path.join(dataDir, 'api.token'), 'utf8').trim() : undefined;
  const stateRoot = mkdtempSync(path.join(tmpdir(), 'vigil-fleet-sim-'));
  const workers: ChildProcess[] = [];
  const samples = { rss: [] as number[], fds: [] as number[] };
  const sampler = pid
    ? setInterval(() => {
        try {
          samples.rss.push(rssMb(pid));
          samples.fds.push(openFds(pid));
        } catch {
          /* the server exited: the report says what was seen */
        }
      }, 1000)
    : undefined;
  try {
    const token = enrolmentToken(REPO, dataDir, o.agents);
    const { caPem, caFingerprint } = serverCa(dataDir);
    const runId = randomBytes(3).toString('hex');
    const k = Math.max(1, Math.min(o.processes, o.agents));
    const progress = Array.from({ length: k }, () => ({ enrolled: 0, online: 0 }));
    const results: Array<Promise<WorkerResult>> = [];
    const cpu0 = pid ? cpuSeconds(pid) : 0;
    const tStart = performance.now();
    for (let w = 0; w < k; w++) {
      const from = Math.floor((w * o.agents) / k);
      const to = Math.floor(((w + 1) * o.agents) / k);
      const cfg: WorkerConfig = {
        repo: REPO,
        server: grpc,
        token,
        caPem,
        caFingerprint,
        from,
        to,
        seed: o.seed,
        runId,
        stateRoot,
        deltaRate: o.deltaRate / k,
        enrollConcurrency: o.enrollConcurrency,
        reconnect: { initialMs: 1000, maxMs: 30_000 },
      };
      if (w === 0 && api && apiToken && o.probeEveryMs > 0) cfg.probe = { apiUrl: api, apiToken, everyMs: o.probeEveryMs };
      const child = fork(fileURLToPath(new URL('./worker.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      workers.push(child);
      results.push(
        new Promise<WorkerResult>((resolve, reject) => {
          child.on('message', (m: FromWorker) => {
            if (m.kind === 'progress') progress[w] = m;
            else if (m.kind === 'result') resolve(m.result);
            else reject(new Error(`worker ${w}: ${m.message}`));
          });
          child.once('exit', (code) => reject(new Error(`worker ${w} exited ${code} before its result`)));
        }),
      );
      child.send({ kind: 'start', cfg } satisfies ToWorker);
    }
    for (const r of results) r.catch(() => undefined);
    const sum = (f: 'enrolled' | 'online'): number => progress.reduce((n, p) => n + p[f], 0);
    // Phase 1: enrolment and connection; all-online is every agent's snapshot (or held seq) acked.
    let allEnrolledMs: number | undefined;
    let allOnlineMs: number | null = null;
    const deadline = performance.now() + o.onlineTimeoutS * 1000;
    let lastLog = 0;
    while (performance.now() < deadline) {
      const failed = await Promise.race([...results.map((r) => r.then(() => false, () => true)), new Promise<false>((r) => setTimeout(() => r(false), 200))]);
      if (failed) break;
      if (allEnrolledMs === undefined && sum('enrolled') >= o.agents) allEnrolledMs = performance.now() - tStart;
      if (sum('online') >= o.agents) {
        allOnlineMs = performance.now() - tStart;
        break;
      }
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(`${Math.round((performance.now() - tStart) / 1000)} s: ${sum('enrolled')} enrolled, ${sum('online')} online of ${o.agents}${pid ? `; server RSS ${rssMb(pid).toFixed(0)} MB` : ''}`);
      }
    }
    const enrolTotal = allEnrolledMs ?? performance.now() - tStart;
    log(allOnlineMs === null ? `not all online after ${o.onlineTimeoutS} s: ${sum('online')} of ${o.agents}` : `all ${o.agents} online in ${(allOnlineMs / 1000).toFixed(1)} s`);
    const cpu1 = pid ? cpuSeconds(pid) : 0;
    const tDeltas = performance.now();
    // Phase 2: deltas at the fleet-wide rate for the duration.
    for (const w of workers) if (w.connected) w.send({ kind: 'deltas' } satisfies ToWorker);
    await new Promise((r) => setTimeout(r, o.durationS * 1000));
    const cpu2 = pid ? cpuSeconds(pid) : 0;
    const deltaWall = (performance.now() - tDeltas) / 1000;
    for (const w of workers) if (w.connected) w.send({ kind: 'stop' } satisfies ToWorker);
    const rs = await Promise.all(results);
    const all = <K extends keyof WorkerResult>(key: K): WorkerResult[K][] => rs.map((r) => r[key]);
    const flat = (key: 'enrollMs' | 'onlineMs' | 'rttMs' | 'findingMs'): number[] => all(key).flat();
    const errors: Record<string, number> = {};
    for (const r of rs) for (const [c, n] of Object.entries(r.errors)) errors[c] = (errors[c] ?? 0) + n;
    const phaseMs = Math.max(...all('deltaPhaseMs'));
    const acked = all('deltasAcked').reduce((a, b) => a + b, 0);
    const db = databaseBytes(dataDir);
    const report: SimReport = {
      agents: o.agents,
      processes: k,
      server: { address: grpc, pid: pid ?? null, started: started !== undefined },
      enrolment: { totalMs: Math.round(enrolTotal), perAgentP50Ms: percentile(flat('enrollMs'), 50), perAgentP99Ms: percentile(flat('enrollMs'), 99), enrolled: flat('enrollMs').length, failed: all('enrollFailures').reduce((a, b) => a + b, 0) },
      online: { allOnlineMs: allOnlineMs === null ? null : Math.round(allOnlineMs), online: flat('onlineMs').length, perAgentP50Ms: percentile(flat('onlineMs'), 50), perAgentP99Ms: percentile(flat('onlineMs'), 99) },
      deltas: {
        rateAsked: o.deltaRate,
        sent: all('deltasSent').reduce((a, b) => a + b, 0),
        acked,
        perSecond: phaseMs > 0 ? Math.round((acked / (phaseMs / 1000)) * 10) / 10 : 0,
        rttP50Ms: percentile(flat('rttMs'), 50),
        rttP99Ms: percentile(flat('rttMs'), 99),
        ack: "from the delta written on the stream to the server's ack of its seq; the server acks after the delta is applied to the fleet store and the host's changed components are matched (connect-service.ts → FleetService.delta)",
      },
      deltaToFinding: {
        samples: flat('findingMs').length,
        timeouts: all('findingTimeouts').reduce((a, b) => a + b, 0),
        p50Ms: percentile(flat('findingMs'), 50),
        p99Ms: percentile(flat('findingMs'), 99),
        how: 'a delta adding zip 3.0-13 to a Debian host, until GET /api/v1/findings?host=…&cve=CVE-2018-13410&status=ACTIVE lists it (polled every 25 ms)',
      },
      reconnects: all('reconnects').reduce((a, b) => a + b, 0),
      errors,
      serverProcess: pid
        ? {
            rssMbPeak: samples.rss.length ? Math.round(Math.max(...samples.rss)) : null,
            rssMbEnd: samples.rss.length ? Math.round(samples.rss.at(-1)!) : null,
            cpuPercentEnrol: Math.round(((cpu1 - cpu0) / ((tDeltas - tStart) / 1000)) * 1000) / 10,
            cpuPercentDeltas: Math.round(((cpu2 - cpu1) / deltaWall) * 1000) / 10,
            openFdsPeak: samples.fds.length ? Math.max(...samples.fds) : null,
            source: `/proc/${pid}/status VmRSS sampled every second, /proc/${pid}/stat utime+stime (100 % = one core)`,
          }
        : null,
      database: { fleetDbBytes: db.fleetDb, walBytes: db.wal, source: `${path.join(dataDir, 'fleet.db')} and fleet.db-wal sizes` },
      agentIds: all('agentIds').flat(),
      durationMs: Math.round(performance.now() - t0),
    };
    return report;
  } finally {
    if (sampler) clearInterval(sampler);
    for (const w of workers) if (w.exitCode === null) w.kill('SIGTERM');
    await started?.stop();
    removeTree(stateRoot);
  }
}

function intArg(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number (got ${JSON.stringify(v)})`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agents: { type: 'string' },
      server: { type: 'string' },
      'data-dir': { type: 'string' },
      'start-server': { type: 'string' },
      'server-pid': { type: 'string' },
      api: { type: 'string' },
      processes: { type: 'string' },
      'delta-rate': { type: 'string' },
      duration: { type: 'string' },
      'probe-every': { type: 'string' },
      'online-timeout': { type: 'string' },
      'enroll-concurrency': { type: 'string' },
      seed: { type: 'string' },
      'server-cpu-prof': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || values.agents === undefined) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const o: SimOptions = {
    agents: intArg(values.agents, 'agents', 0),
    processes: intArg(values.processes, 'processes', cpus().length),
    deltaRate: intArg(values['delta-rate'], 'delta-rate', 50),
    durationS: intArg(values.duration, 'duration', 30),
    seed: intArg(values.seed, 'seed', 1),
    onlineTimeoutS: intArg(values['online-timeout'], 'online-timeout', 600),
    enrollConcurrency: intArg(values['enroll-concurrency'], 'enroll-concurrency', 8),
    probeEveryMs: intArg(values['probe-every'], 'probe-every', 1000),
  };
  if (values['start-server']) o.startServer = path.resolve(values['start-server']);
  if (values.server) o.server = values.server;
  if (values['data-dir']) o.dataDir = path.resolve(values['data-dir']);
  if (values['server-pid']) o.serverPid = intArg(values['server-pid'], 'server-pid', 0);
  if (values.api) o.api = values.api;
  if (values['server-cpu-prof']) o.serverCpuProf = path.resolve(values['server-cpu-prof']);
  const report = await fleetSim(o);
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${JSON.stringify({ ...report, agentIds: `${report.agentIds.length} ids` }, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`fleet-sim: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
