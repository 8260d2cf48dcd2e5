import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** A `vigil server run` the simulator starts, and what /proc says of any server process. */

export interface StartedServer {
  child: ChildProcess;
  pid: number;
  grpc: string;
  api: string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `vigil server run` on loopback with kernel-chosen ports; `nodeArgs` go to node (e.g. --cpu-prof). */
export async function startServer(repo: string, dataDir: string, nodeArgs: string[] = [], extra: string[] = []): Promise<StartedServer> {
  const child = spawn(process.execPath, [...nodeArgs, path.join(repo, 'bin/vigil.js'), 'server', 'run', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--api-listen', '127.0.0.1:0', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, VIGIL_LOG_LEVEL: process.env.VIGIL_LOG_LEVEL ?? 'warn' },
  });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    if (err.length > 1_000_000) err = err.slice(-200_000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const end = Date.now() + 600_000;
  let m: RegExpExecArray | null = null;
  while (!(m = /listening on grpc (127\.0\.0\.1:\d+) api (127\.0\.0\.1:\d+)\n/.exec(err))) {
    if (child.exitCode !== null) throw new Error(`vigil server run exited ${child.exitCode}: ${err.slice(-2000)}`);
    if (Date.now() > end) throw new Error('vigil server run did not listen within 600 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    pid: child.pid!,
    grpc: m[1]!,
    api: `http://${m[2]!}`,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** A multi-use enrolment token from the server's own CLI (`vigil token create`), as an operator makes one. */
export function enrolmentToken(repo: string, dataDir: string, uses: number): string {
  const out = execFileSync(process.execPath, [path.join(repo, 'bin/vigil.js'), 'token', 'create', '--dir', path.join(dataDir, 'pki'), '--uses', String(uses), '--ttl', '6h'], { encoding: 'utf8' });
  return out.trim().split('\n').at(-1)!.trim();
}

export function serverCa(dataDir: string): { caPem: string; caFingerprint: string } {
  const caPem = readFileSync(path.join(dataDir, 'pki/ca.crt'), 'utf8');
  return { caPem, caFingerprint: createHash('sha256').update(new X509Certificate(caPem).raw).digest('hex') };
}

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / clockTicks();
}

let ticks: number | undefined;
function clockTicks(): number {
  return (ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export function openFds(pid: number): number {
  try {
    return execFileSync('ls', [`/proc/${pid}/fd`], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
  } catch {
    return NaN;
  }
}

/** fleet.db and its -wal, in bytes (0 for a file not there). */
export function databaseBytes(dataDir: string): { fleetDb: number; wal: number } {
  const size = (f: string): number => (existsSync(f) ? statSync(f).size : 0);
  return { fleetDb: size(path.join(dataDir, 'fleet.db')), wal: size(path.join(dataDir, 'fleet.db-wal')) };
}

export function percentile(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
}
