import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as DaemonModule from '../../src/agent/daemon.js';
import type * as ConfigModule from '../../src/agent/config.js';
import type * as LifecycleModule from '../../src/common/lifecycle/agent.js';
import type { AgentState, AgentStateKind, AgentTransition } from '../../src/common/lifecycle/agent.js';
import { enroll, startServer, waitFor, type ServerHandle } from '../helpers/fleet.js';
import { PKGDB, REPO, makeRoot, tempDir } from '../helpers/fixtures.js';

/**
 * The daemon's lifecycle over real runs: a `vigil server run` process and an
 * AgentDaemon in this process, mutual TLS on loopback. The daemon is the built one
 * (dist/), as `vigil agent run` runs it: its collections fork dist/agent/collect-worker.js.
 * Its transitions are read through the lifecycle's observer, from the same module
 * instance the daemon uses.
 */

const { AgentDaemon } = (await import(pathToFileURL(path.join(REPO, 'dist/agent/daemon.js')).href)) as typeof DaemonModule;
const { defaultAgentConfig } = (await import(pathToFileURL(path.join(REPO, 'dist/agent/config.js')).href)) as typeof ConfigModule;
const { observeAgentTransitions } = (await import(pathToFileURL(path.join(REPO, 'dist/common/lifecycle/agent.js')).href)) as typeof LifecycleModule;

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

let tmp: { dir: string; cleanup: () => void };
let root: { root: string; cleanup: () => void };
let server: ServerHandle;

interface Run {
  id: string;
  stateDir: string;
  daemon: InstanceType<typeof AgentDaemon>;
  seen: AgentTransition[];
  /** When each transition was seen (Date.now()). */
  at: number[];
  /** The log lines the daemon wrote (pino JSON). */
  logs: () => Array<{ level: number; msg: string }>;
  stopObserving: () => void;
}

/** Enrols a new agent and makes (does not start) a strict daemon for it, observing its transitions. */
async function newRun(name: string, onTransition?: (t: AgentTransition, run: Run) => void): Promise<Run> {
  const stateDir = path.join(tmp.dir, name);
  const id = await enroll(server, stateDir);
  let out = '';
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    }),
  );
  const config = {
    ...defaultAgentConfig(),
    server: `127.0.0.1:${server.grpcPort}`,
    stateDir,
    root: root.root,
    appRoots: [],
    schedule: { refresh: '0 0 1 1 *', heartbeatSeconds: 5 },
    watch: { enabled: false, quietMs: 300, maxWaitMs: 2000 },
    reconnect: { initialMs: 100, maxMs: 1000 },
    tags: { environment: 'test' },
  };
  const run: Run = {
    id,
    stateDir,
    daemon: new AgentDaemon({ config, log, strictLifecycle: true }),
    seen: [],
    at: [],
    logs: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string }),
    stopObserving: () => undefined,
  };
  run.stopObserving = observeAgentTransitions((t) => {
    if (t.agentId !== id) return;
    run.seen.push(t);
    run.at.push(Date.now());
    onTransition?.(t, run);
  });
  return run;
}

/** The kinds the run went through, from its first state on; each transition starts where the one before ended. */
function kinds(run: Run): AgentStateKind[] {
  run.seen.forEach((t, i) => {
    if (i > 0) expect(t.from, `transition ${i}`).toEqual(run.seen[i - 1]!.to);
  });
  return [run.seen[0]!.from.kind, ...run.seen.map((t) => t.to.kind)];
}

function entered<K extends AgentStateKind>(run: Run, kind: K): Array<Extract<AgentState, { kind: K }>> {
  return run.seen.map((t) => t.to).filter((s): s is Extract<AgentState, { kind: K }> => s.kind === kind);
}

beforeAll(async () => {
  tmp = tempDir('vigil-agent-lifecycle-');
  root = makeRoot({ 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') }, 'etc/os-release': OS_RELEASE });
  server = await startServer(path.join(tmp.dir, 'server'));
}, 300_000);

afterAll(async () => {
  await server?.proc.kill();
  root?.cleanup();
  tmp?.cleanup();
});

describe('the agent daemon through its lifecycle', () => {
  it('connects, has its delta acked, backs off while the server is away, reconnects, and stops: in exactly that order', async () => {
    const run = await newRun('agent-a');
    const { daemon } = run;
    let synced: ReturnType<typeof daemon.status>;
    try {
      await daemon.start();
      await daemon.whenSynced();
      synced = daemon.status();
      expect(synced.agentId).toBe(run.id);
      expect(synced.seq).toBeGreaterThanOrEqual(1);
      expect(synced.ackedSeq).toBe(synced.seq);
      expect(synced.components).toBe(88);
      expect(daemon.state.kind).toBe('online');

      await server.proc.kill('SIGTERM');
      // Several streams refused while the server is down: the backoff goes on.
      await waitFor('three attempts backing off', () => entered(run, 'backing-off').length >= 3, 30_000, 20);
      expect(daemon.status().connected).toBe(false);
      await server.restart();
      await waitFor('online again', () => daemon.state.kind === 'online' && entered(run, 'online').length === 2, 30_000, 20);
      await daemon.whenSynced();
      expect(daemon.status()).toEqual({ ...synced, connected: true });
    } finally {
      await daemon.stop();
      run.stopObserving();
    }
    expect(daemon.state).toEqual({ kind: 'stopped' });

    const seq = kinds(run);
    const retries = entered(run, 'backing-off').length - 1;
    expect(retries).toBeGreaterThanOrEqual(2);
    expect(seq).toEqual([
      'starting',
      'collecting',
      'connecting',
      'online',
      'backing-off',
      ...Array.from({ length: retries }, () => ['connecting', 'backing-off'] as const).flat(),
      'connecting',
      'online',
      'stopping',
      'stopped',
    ]);
    // Attempts count up while the server is away and start again from 0 after a welcome.
    expect(entered(run, 'connecting').map((s) => s.attempt)).toEqual([0, ...Array.from({ length: retries + 1 }, (_, i) => i + 1)]);
    const backoffs = entered(run, 'backing-off');
    expect(backoffs.map((s) => s.attempt)).toEqual(Array.from({ length: retries + 1 }, (_, i) => i + 1));
    expect(backoffs[0]!.reason).toMatch(/UNAVAILABLE/);
    // Full jitter: a wait below min(maxMs, initialMs × 2^(attempts before this one)).
    run.seen.forEach((t, i) => {
      if (t.to.kind !== 'backing-off') return;
      const wait = t.to.until - run.at[i]!;
      expect(wait, `attempt ${t.to.attempt}`).toBeGreaterThanOrEqual(0);
      expect(wait, `attempt ${t.to.attempt}`).toBeLessThan(Math.min(1000, 100 * 2 ** (t.to.attempt - 1)));
    });
    // The server kept the inventory over its restart: the second welcome continues the outbox, no snapshot.
    const [first, second] = entered(run, 'online');
    expect(second).toEqual({ kind: 'online', epoch: first!.epoch, seq: synced.seq, snapshot: false });
    expect(run.logs().filter((l) => l.level >= 50)).toEqual([]);
  }, 180_000);

  it('after a welcome the backoff starts over; a revoked agent is refused, and when its certificate then vanishes it stops connecting', async () => {
    const run = await newRun('agent-b', (t, r) => {
      // The certificate goes before the next stream would open (reconnect.maxMs after a refusal).
      if (t.to.kind === 'refused') renameSync(path.join(r.stateDir, 'agent.crt'), path.join(r.stateDir, 'agent.crt.revoked'));
    });
    const { daemon } = run;
    try {
      await daemon.start();
      await daemon.whenSynced();
      await server.proc.kill('SIGTERM');
      await waitFor('backing off', () => daemon.state.kind === 'backing-off', 30_000, 20);
      await server.restart();
      await waitFor('online again', () => entered(run, 'online').length === 2, 30_000, 20);
      const rev = await server.api<{ id: string }>('POST', `hosts/${run.id}/revoke`);
      expect(rev.status).toBe(200);
      await waitFor('no identity', () => daemon.state.kind === 'no-identity', 30_000, 20);
      // Nothing more happens: no stream opens without a certificate.
      await new Promise((r) => setTimeout(r, 1500));
      expect(daemon.state.kind).toBe('no-identity');
      expect(daemon.status().connected).toBe(false);
    } finally {
      await daemon.stop();
      run.stopObserving();
    }
    const retries = entered(run, 'backing-off').length - 1;
    expect(kinds(run)).toEqual([
      'starting',
      'collecting',
      'connecting',
      'online',
      'backing-off',
      ...Array.from({ length: retries }, () => ['connecting', 'backing-off'] as const).flat(),
      'connecting',
      'online',
      'refused',
      'no-identity',
      'stopping',
      'stopped',
    ]);
    // The welcome reset the count: the refusal is the first failure since.
    expect(entered(run, 'refused')).toEqual([{ kind: 'refused', code: 'PERMISSION_DENIED', attempt: 1, until: expect.any(Number) }]);
    const i = run.seen.findIndex((t) => t.to.kind === 'refused');
    // Not retryable: the longest interval, no jitter.
    expect((run.seen[i]!.to as { until: number }).until - run.at[i]!).toBeGreaterThanOrEqual(999);
    expect(run.logs().filter((l) => l.level >= 50).map((l) => l.msg)).toEqual(['stream to the server ended', 'agent identity vanished; not connecting']);
    expect(readFileSync(path.join(run.stateDir, 'agent.crt.revoked'), 'utf8')).toMatch(/BEGIN CERTIFICATE/);
  }, 120_000);
});
