import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unitRuntime, type UnitRuntime } from '../../src/bench/unit-runtime.js';
import { REPO } from './fixtures.js';

/**
 * Real Vigil processes for fleet tests: a `vigil server run` and `vigil agent run`s
 * talking gRPC over mutual TLS on loopback, each agent on its own root.
 */

export interface Proc {
  child: ChildProcess;
  /** Everything written to stderr so far (pino logs and messages). */
  stderr(): string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Agents run as systemd/vigil-agent.service runs them: its NODE_OPTIONS and MemoryDenyWriteExecute=. */
export const AGENT_RUNTIME: UnitRuntime = unitRuntime(REPO, 'vigil-agent.service');

export function startProc(args: string[], env: NodeJS.ProcessEnv = {}, runtime?: UnitRuntime): Proc {
  const child = spawn(runtime?.command ?? process.execPath, [...(runtime?.prefix ?? []), path.join(REPO, 'bin/vigil.js'), ...args], {
    env: { ...process.env, VIGIL_LOG_LEVEL: 'info', ...runtime?.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => err,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface ServerHandle {
  dir: string;
  grpcPort: number;
  apiPort: number;
  proc: Proc;
  token: string;
  fingerprint: string;
  api<T>(method: 'GET' | 'POST', route: string, query?: Record<string, string>): Promise<{ status: number; body: T }>;
  restart(): Promise<void>;
}

/**
 * Starts `vigil server run` in `dir` (PKI and advisory database are created there on
 * first start). Unless given, the ports are the kernel's choice (port 0), read from the
 * server's "listening on" line, so concurrent test runs never race for a free port;
 * restart() binds the same ports again, as agents reconnect to them.
 */
export async function startServer(dir: string, opts: { grpcPort?: number; apiPort?: number; env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<ServerHandle> {
  const launch = (): Proc =>
    startProc(['server', 'run', '--data-dir', dir, '--listen', `127.0.0.1:${h.grpcPort}`, '--api-listen', `127.0.0.1:${h.apiPort}`, '--advisory-poll', '1', ...(opts.args ?? [])], opts.env);
  const h: ServerHandle = {
    dir,
    grpcPort: opts.grpcPort ?? 0,
    apiPort: opts.apiPort ?? 0,
    proc: undefined as unknown as Proc,
    token: '',
    fingerprint: '',
    // A GET of a paged list is followed to its last page: the answer holds every item.
    async api<T>(method: 'GET' | 'POST', route: string, query: Record<string, string> = {}) {
      const u = new URL(`http://127.0.0.1:${h.apiPort}/api/v1/${route}`);
      for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
      if (method === 'GET' && !u.searchParams.has('limit')) u.searchParams.set('limit', '1000');
      const res = await fetch(u, { method, headers: { authorization: `Bearer ${h.token}` } });
      const body = (await res.json()) as Record<string, unknown>;
      while (method === 'GET' && res.ok && typeof body.next === 'string') {
        u.searchParams.set('cursor', body.next);
        const more = (await (await fetch(u, { headers: { authorization: `Bearer ${h.token}` } })).json()) as Record<string, unknown>;
        const key = Object.keys(more).find((k) => Array.isArray(more[k]))!;
        (body[key] as unknown[]).push(...(more[key] as unknown[]));
        if (typeof more.next === 'string') body.next = more.next;
        else delete body.next;
      }
      return { status: res.status, body: body as T };
    },
    async restart() {
      h.proc = launch();
      await waitListening(h);
    },
  };
  h.proc = launch();
  await waitListening(h);
  const bound = await waitFor('server ports', () => /listening on grpc 127\.0\.0\.1:(\d+) api 127\.0\.0\.1:(\d+)\n/.exec(h.proc.stderr()) ?? undefined, 10_000);
  h.grpcPort = Number(bound[1]);
  h.apiPort = Number(bound[2]);
  h.token = readFileSync(path.join(dir, 'api.token'), 'utf8').trim();
  h.fingerprint = createHash('sha256').update(new X509Certificate(readFileSync(path.join(dir, 'pki/ca.crt'))).raw).digest('hex');
  return h;
}

async function waitListening(h: ServerHandle): Promise<void> {
  await waitFor(
    'server to listen',
    async () => {
      if (h.proc.child.exitCode !== null) throw new Error(`server exited: ${h.proc.stderr().slice(-2000)}`);
      return /listening on grpc/.test(h.proc.stderr());
    },
    180_000,
  );
}

/** Enrols an agent state directory with the server through the real CLI; returns the agent id. */
export async function enroll(server: ServerHandle, stateDir: string): Promise<string> {
  const tok = execFileSync(process.execPath, [path.join(REPO, 'bin/vigil.js'), 'token', 'create', '--dir', path.join(server.dir, 'pki')], { encoding: 'utf8' }).trim();
  const id = execFileSync(
    process.execPath,
    [
      path.join(REPO, 'bin/vigil.js'),
      'agent',
      'enroll',
      '--server',
      `127.0.0.1:${server.grpcPort}`,
      '--token',
      tok.split('\n').at(-1)!.trim(),
      '--ca-fingerprint',
      server.fingerprint,
      '--ca',
      path.join(server.dir, 'pki/ca.crt'),
      '--state-dir',
      stateDir,
    ],
    { encoding: 'utf8' },
  ).trim();
  return id;
}

export interface AgentHandle {
  id: string;
  stateDir: string;
  root: string;
  configFile: string;
  proc: Proc;
  start(): void;
  /** Digest and seq the agent holds locally (its saved inventory). */
  local(): { epoch: number; seq: number; digest: string; components: number };
}

/** Writes an agent config for a test root and starts `vigil agent run`. */
export function startAgent(id: string, stateDir: string, root: string, extra: Record<string, unknown> = {}): AgentHandle {
  mkdirSync(stateDir, { recursive: true });
  const configFile = path.join(stateDir, 'agent.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      stateDir,
      root,
      schedule: { refresh: '0 0 1 1 *', heartbeatSeconds: 5 },
      watch: { enabled: true, quietMs: 300, maxWaitMs: 2000 },
      reconnect: { initialMs: 100, maxMs: 1000 },
      tags: { environment: 'test' },
      ...extra,
    }),
  );
  const h: AgentHandle = {
    id,
    stateDir,
    root,
    configFile,
    proc: undefined as unknown as Proc,
    start() {
      h.proc = startProc(['agent', 'run', '--config', configFile], {}, AGENT_RUNTIME);
    },
    local() {
      const s = JSON.parse(readFileSync(path.join(stateDir, 'inventory.json'), 'utf8')) as { epoch: number; seq: number; digest: string; components: unknown[] };
      return { epoch: s.epoch, seq: s.seq, digest: s.digest, components: s.components.length };
    },
  };
  h.start();
  return h;
}

/** Adds (or replaces) a package stanza in a root's dpkg status, atomically as dpkg does. */
export function addStatusPackage(root: string, name: string, version: string, extra = ''): void {
  const file = path.join(root, 'var/lib/dpkg/status');
  const stanzas = readFileSync(file, 'utf8')
    .split(/\n\n+/)
    .filter((s) => s.trim() && !s.startsWith(`Package: ${name}\n`));
  stanzas.push(
    `Package: ${name}\nStatus: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: 1\nMaintainer: Vigil Tests <tests@vigil.invalid>\nArchitecture: amd64\nVersion: ${version}\n${extra}Description: test package\n test package`,
  );
  writeFileSync(`${file}-new`, stanzas.join('\n\n') + '\n');
  renameSync(`${file}-new`, file);
}

export function removeStatusPackage(root: string, name: string): void {
  const file = path.join(root, 'var/lib/dpkg/status');
  const stanzas = readFileSync(file, 'utf8')
    .split(/\n\n+/)
    .filter((s) => s.trim() && !s.startsWith(`Package: ${name}\n`));
  writeFileSync(`${file}-new`, stanzas.join('\n\n') + '\n');
  renameSync(`${file}-new`, file);
}

/** Installed package count as dpkg-query reads the root's database. */
export function dpkgCount(root: string): number {
  return execFileSync('dpkg-query', [`--admindir=${path.join(root, 'var/lib/dpkg')}`, '-W', '-f', '${db:Status-Status}\n'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l === 'installed').length;
}

/** Builds a minimal binary .deb with dpkg-deb (no dependencies, one file). */
export function buildDeb(dir: string, name: string, version: string, source?: string): string {
  const root = path.join(dir, `${name}_${version}`);
  mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(path.join(root, 'usr/share/doc', name), { recursive: true });
  writeFileSync(path.join(root, 'usr/share/doc', name, 'README'), `${name} ${version}\n`);
  writeFileSync(
    path.join(root, 'DEBIAN/control'),
    `Package: ${name}\nVersion: ${version}\n${source ? `Source: ${source}\n` : ''}Architecture: amd64\nMaintainer: Vigil Tests <tests@vigil.invalid>\nDescription: test package\n test package built by the fleet tests\n`,
  );
  const deb = path.join(dir, `${name}_${version}_amd64.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { stdio: 'ignore' });
  return deb;
}
