import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { VigilError } from '../common/errors.js';
import { scan } from '../inventory/scan.js';
import { cachedConsoleFleet, type ConsoleFleet } from './console-fleet.js';
import { measureConsole, median, slowestApi, type ConsolePage, type PageResult } from './console-measure.js';
import type { MatchRow } from './match.js';
import { copyTree, removeTree } from './tree-copy.js';

/**
 * The console's render times at fleet size: `vigil server run` (its own process, as an
 * operator runs it) on a copy of the console fleet's data directory (1,000 hosts,
 * about 500,000 findings, 90 days of history; ./console-fleet.ts), measured warm, once
 * its startup re-match is done and it has gone idle, by ./console-measure.ts.
 */

export const CONSOLE_RENDER_COMMAND = 'npm run bench:console';
const LOADS = Number(process.env.VIGIL_BENCH_CONSOLE_LOADS ?? 7);
const WARMUPS = 1;
const LOAD_TIMEOUT_MS = 180_000;

export interface ConsoleServer {
  /** http://127.0.0.1:PORT */
  url: string;
  token: string;
  pid: number;
  stop: () => Promise<void>;
}

/** `node bin/vigil.js server run` on `dataDir`, both listeners on loopback ports of the kernel's choice, read from its "listening on" line. */
export async function startConsoleServer(repo: string, dataDir: string, timeoutMs = 900_000): Promise<ConsoleServer> {
  const proc = spawn(process.execPath, [path.join(repo, 'bin/vigil.js'), 'server', 'run', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--api-listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  proc.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-64 * 1024)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new VigilError('UNAVAILABLE', `vigil server run on ${dataDir} did not say it was listening within ${timeoutMs / 1000} s: ${stderr.slice(-500)}`)), timeoutMs);
    const check = (): void => {
      const m = /listening on grpc \S+ api 127\.0\.0\.1:(\d+)\n/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stderr!.on('data', check);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new VigilError('UNAVAILABLE', `vigil server run on ${dataDir} exited (${signal ?? code}) before listening: ${stderr.slice(-500)}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { url: `http://127.0.0.1:${port}`, token: readFileSync(path.join(dataDir, 'api.token'), 'utf8').trim(), pid: proc.pid!, stop };
}

export async function apiGet<T>(server: ConsoleServer, route: string): Promise<T> {
  const res = await fetch(`${server.url}/api/v1/${route}`, { headers: { authorization: `Bearer ${server.token}` } });
  if (res.status !== 200) throw new VigilError('UNAVAILABLE', `GET /api/v1/${route} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

/** CPU seconds the process (all its threads) has used, from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime), in clock ticks of 1/100 s; f[0] is field 3.
  return (Number(f[11]) + Number(f[12])) / 100;
}

/**
 * Waits until the server is warm: its startup re-match has seen every active finding
 * (the oldest lastSeen is after `started`), then it used under 5% of a CPU over 3 s.
 */
export async function waitIdle(server: ConsoleServer, started: string, timeoutMs = 1_800_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  for (;;) {
    const oldest = await apiGet<{ findings: Array<{ lastSeen: string }> }>(server, 'findings?status=ACTIVE&sort=lastSeen&limit=1');
    if (!oldest.findings[0] || oldest.findings[0].lastSeen >= started) break;
    if (Date.now() > deadline) throw new VigilError('UNAVAILABLE', `the server's startup re-match was not done within ${timeoutMs / 1000} s (oldest active lastSeen ${oldest.findings[0].lastSeen})`);
    await sleep(1000);
  }
  for (let before = cpuSeconds(server.pid); ; ) {
    await sleep(3000);
    const now = cpuSeconds(server.pid);
    if (now - before < 0.15) return;
    if (Date.now() > deadline) throw new VigilError('UNAVAILABLE', `the server did not go idle within ${timeoutMs / 1000} s (${(now - before).toFixed(2)} CPU s in the last 3 s)`);
    before = now;
  }
}

/** The pages measured; the host and finding pages are those of the highest-scored active finding. */
export async function consolePages(server: ConsoleServer): Promise<ConsolePage[]> {
  const top = await apiGet<{ findings: Array<{ hostId: string; id: string }> }>(server, 'findings?status=ACTIVE&sort=-score&limit=1');
  const f = top.findings[0];
  if (!f) throw new VigilError('NOT_FOUND', 'the server holds no active finding: there is no host or finding page to measure');
  const host = encodeURIComponent(f.hostId);
  return [
    { label: 'dashboard, 30 days', hash: '#/?days=30', mark: 'dashboard', targetMs: 1000, shot: 'fleet-dashboard' },
    { label: 'dashboard, 90 days', hash: '#/?days=90', mark: 'dashboard', targetMs: 1000 },
    { label: 'findings, default sort (score, highest first), first page', hash: '#/findings', mark: 'findings', targetMs: 500, shot: 'fleet-findings' },
    { label: 'findings, severity=critical, sorted by score lowest first, first page', hash: '#/findings?severity=critical&sort=score', mark: 'findings', targetMs: 500 },
    { label: `host page of the top finding's host (${f.hostId})`, hash: `#/hosts/${host}`, mark: 'host', shot: 'fleet-host' },
    { label: 'finding page of the highest-scored active finding', hash: `#/hosts/${host}/findings/${encodeURIComponent(f.id)}`, mark: 'finding', shot: 'fleet-finding' },
  ];
}

const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const n = (x: number): string => x.toLocaleString('en-US');
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function targetText(r: PageResult): string {
  const t = r.page.targetMs;
  if (t === undefined) return '-';
  const goal = `< ${t >= 1000 ? `${t / 1000} s` : `${t} ms`}`;
  if (r.loads.length === 0) return `${goal}: missed (no load marked ready)`;
  const times = r.loads.map((l) => l.readyMs);
  if (r.error) return `${goal}: missed (a load did not mark ready)`;
  if (median(times) >= t) return `${goal}: **missed** (median ${ms(median(times))})`;
  return Math.max(...times) < t ? `${goal}: met by every load` : `${goal}: met by the median, not by every load (max ${ms(Math.max(...times))})`;
}

/** One row a page: the ready mark's median and max, the slowest API request's. */
export function pageRows(results: PageResult[]): MatchRow[] {
  return results.map((r) => {
    const what = `${r.page.label}: \`/console/${r.page.hash}\`, mark \`vigil:ready:${r.page.mark}\``;
    const times = r.loads.map((l) => l.readyMs);
    const api = slowestApi(r.loads);
    const parts = times.length ? [`median ${ms(median(times))}, max ${ms(Math.max(...times))} (${times.length} loads after ${WARMUPS} warm-up)`] : [];
    if (api) parts.push(`slowest API request \`GET ${api.name}\`: median ${ms(api.medianMs)}, max ${ms(api.maxMs)}`);
    if (r.error) parts.push(`stopped: ${r.error}`);
    return { what, result: parts.join('; '), target: targetText(r) };
  });
}

export interface ConsoleRender {
  rows: MatchRow[];
  fleet: ConsoleFleet;
  /** The data directory the copy was made from. */
  dir: string;
  chromium: string;
}

/**
 * A console fleet already built, named by VIGIL_BENCH_CONSOLE_FLEET: the cache's key covers
 * this host's inventory outside Vigil's checkout (the pool the hosts are drawn from), which
 * changes whenever a package is installed on the host, and a new build takes minutes.
 */
function givenFleet(dir: string): { dir: string; fleet: ConsoleFleet; built: boolean } {
  const file = path.join(dir, 'bench-console.json');
  if (!existsSync(file)) throw new VigilError('NOT_FOUND', `VIGIL_BENCH_CONSOLE_FLEET=${dir} is no built console fleet: it holds no bench-console.json`);
  return { dir, fleet: JSON.parse(readFileSync(file, 'utf8')) as ConsoleFleet, built: false };
}

export async function consoleRenderBench(repo: string, hosts = 1000, seed = 42): Promise<ConsoleRender> {
  const given = process.env.VIGIL_BENCH_CONSOLE_FLEET;
  // The pool leaves out Vigil's own checkout (its node_modules change with every dependency), so the key follows the host's packages, not the repository's.
  const pool = (): ReturnType<typeof scan> => scan({ root: '/', noLive: true, skipDirs: [path.relative('/', repo)] });
  const { dir, fleet, built } = given ? givenFleet(given) : await cachedConsoleFleet(repo, hosts, seed, await pool());
  const rows: MatchRow[] = [];
  const work = mkdtempSync(path.join(tmpdir(), 'vigil-bench-console-'));
  try {
    // The server re-matches every host when it starts and writes to its store: it runs on a copy, the cache stays as built.
    const data = path.join(work, 'data');
    const t1 = performance.now();
    const say = (m: string): boolean => process.stderr.write(`console bench: ${m}\n`);
    say(`copying ${dir}`);
    copyTree(dir, data);
    const copied = performance.now();
    const started = new Date().toISOString();
    const server = await startConsoleServer(repo, data);
    try {
      const up = performance.now();
      say(`server listening at ${server.url}; waiting for its startup re-match and for it to go idle`);
      await waitIdle(server, started);
      say('measuring');
      rows.push({
        what: `\`vigil server run\` on a copy of the data directory (${built ? 'built in this run' : 'read from the cache'}, copied in ${ms(copied - t1)}), then its startup re-match of every host until idle`,
        result: `listening after ${ms(up - copied)}; re-match done and idle (< 5% of a CPU over 3 s) ${ms(performance.now() - up)} later`,
        target: '-',
      });
      const measured = await measureConsole(`${server.url}/console/`, server.token, await consolePages(server), {
        loads: LOADS,
        warmups: WARMUPS,
        timeoutMs: LOAD_TIMEOUT_MS,
        // The README's pictures of the console at fleet size.
        screenshotDir: path.join(repo, 'test-output/console'),
      });
      rows.push(...pageRows(measured.results));
      return { rows, fleet, dir, chromium: measured.chromium };
    } finally {
      await server.stop();
    }
  } finally {
    removeTree(work);
  }
}

/** The section of BENCHMARKS.md the bench makes. */
export function consoleRenderSection(r?: ConsoleRender): string[] {
  return [
    '## Web console: render times at fleet size',
    '',
    r
      ? `Store: ${n(r.fleet.hosts)} hosts, ${n(r.fleet.findings)} findings (${n(r.fleet.closed)} closed), ${r.fleet.days} days of daily numbers (from the fleet's manifest, bench-console.json, written when it was built ${r.fleet.builtAt.slice(0, 10)}), copied from ${r.dir}.`
      : 'Skipped in this run (VIGIL_BENCH_CONSOLE=0).',
    '',
    '`vigil server run` on a copy of the console fleet (src/bench/console-fleet.ts: the real stores and FleetService on a clock',
    "walked through 90 days, each host's components drawn (seeded) from this host's inventory, matched against the bundled feeds;",
    'cached under /var/cache/vigil-test/bench-console-KEY, or the one VIGIL_BENCH_CONSOLE_FLEET names, since the key follows',
    "this host's inventory), measured once its startup re-match is done and it is idle. Debian's Chromium (playwright-core,",
    "headless) signs in once through the console's form; each load is a fresh navigation in a new tab of that signed-in context",
    "(the console's files in the browser cache after the warm-up). A load's time is the startTime of the page's",
    '`vigil:ready:<page>` mark (made once every API answer the page asked for is rendered, console/src/ready.tsx), which counts',
    "from the navigation's start; the slowest API request is the one with the highest median duration (startTime to",
    'responseEnd, PerformanceResourceTiming) over the loads. The browser, the server and this process share the machine.',
    r
      ? `Run at ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${r.chromium} (\`npm run bench\`, or this section alone: \`${process.env.VIGIL_BENCH_CONSOLE_FLEET ? `VIGIL_BENCH_CONSOLE_FLEET=${r.dir} ` : ''}${CONSOLE_RENDER_COMMAND}\`).`
      : '',
    '',
    '| what | result | target |',
    '|---|---|---|',
    ...(r?.rows ?? []).map((x) => `| ${cell(x.what)} | ${cell(x.result)} | ${cell(x.target)} |`),
    '',
  ];
}
