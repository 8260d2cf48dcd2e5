import { createHash } from 'node:crypto';
import path from 'node:path';
import { rng } from '../api.js';
import { SimAgent, type AgentEvents, type Reconnect } from './agent.js';
import { PROBE_PACKAGE, bumped, componentKey, hostInventory, loadProfiles } from './inventory.js';

/**
 * A fleet simulator worker (child_process.fork of this file): its share of the
 * simulated agents, enrolled, connected, then sending deltas at its share of the
 * fleet-wide rate (a Poisson process) until told to stop. Talks to the coordinator
 * over the IPC channel only; progress messages while it runs, one result at the end.
 */

export interface WorkerConfig {
  repo: string;
  server: string;
  token: string;
  caPem: string;
  caFingerprint: string;
  /** Agent indices [from, to) of the whole fleet. */
  from: number;
  to: number;
  seed: number;
  runId: string;
  stateRoot: string;
  /** Deltas per second this worker sends. */
  deltaRate: number;
  enrollConcurrency: number;
  reconnect: Reconnect;
  /** Finding probes: this worker adds the probe package on a host and polls the API for its finding. */
  probe?: { apiUrl: string; apiToken: string; everyMs: number };
}

export interface WorkerResult {
  enrollMs: number[];
  onlineMs: number[];
  rttMs: number[];
  findingMs: number[];
  findingTimeouts: number;
  deltasSent: number;
  deltasAcked: number;
  deltaPhaseMs: number;
  reconnects: number;
  errors: Record<string, number>;
  agentIds: string[];
  enrollFailures: number;
}

export type ToWorker = { kind: 'start'; cfg: WorkerConfig } | { kind: 'deltas' } | { kind: 'stop' };
export type FromWorker =
  | { kind: 'progress'; enrolled: number; online: number }
  | { kind: 'result'; result: WorkerResult }
  | { kind: 'failed'; message: string };

const send = (m: FromWorker): void => void process.send?.(m);

async function run(cfg: WorkerConfig, next: (kind: ToWorker['kind']) => Promise<void>, told: (kind: ToWorker['kind']) => boolean): Promise<WorkerResult> {
  const set = await loadProfiles(cfg.repo);
  const res: WorkerResult = { enrollMs: [], onlineMs: [], rttMs: [], findingMs: [], findingTimeouts: 0, deltasSent: 0, deltasAcked: 0, deltaPhaseMs: 0, reconnects: 0, errors: {}, agentIds: [], enrollFailures: 0 };
  let online = 0;
  let measuring = false;
  const events: AgentEvents = {
    online(_a, ms) {
      online++;
      res.onlineMs.push(ms);
    },
    acked(_a, _seq, ms) {
      if (!measuring) return;
      res.deltasAcked++;
      res.rttMs.push(ms);
    },
    error(_a, code) {
      res.errors[code] = (res.errors[code] ?? 0) + 1;
    },
    reconnect() {
      online = agents.filter((a) => a.online).length;
    },
  };
  const agents: SimAgent[] = [];
  for (let i = cfg.from; i < cfg.to; i++) {
    const host = `sim-${cfg.runId}-${String(i).padStart(5, '0')}`;
    agents.push(new SimAgent(i, host, path.join(cfg.stateRoot, host), hostInventory(set, i, cfg.seed), events, cfg.reconnect));
  }
  const progress = setInterval(() => send({ kind: 'progress', enrolled: res.enrollMs.length, online }), 500);
  try {
    // Enrolment, a few at a time per worker; each agent connects as soon as it is enrolled.
    // The coordinator's go for deltas (all online, or its online timeout) ends enrolment: agents not enrolled by then stay out.
    let cursor = 0;
    await Promise.all(
      Array.from({ length: cfg.enrollConcurrency }, async () => {
        while (cursor < agents.length && !told('deltas')) {
          const a = agents[cursor++]!;
          const machineId = createHash('sha256').update(`${cfg.runId}/${a.index}`).digest('hex').slice(0, 32);
          try {
            await a.enroll({ server: cfg.server, token: cfg.token, caPem: cfg.caPem, caFingerprint: cfg.caFingerprint, machineId });
          } catch (err) {
            res.enrollFailures++;
            const code = (err as { code?: string }).code ?? 'UNKNOWN';
            res.errors[`enroll:${code}`] = (res.errors[`enroll:${code}`] ?? 0) + 1;
            continue;
          }
          res.enrollMs.push(a.enrollMs);
          res.agentIds.push(a.agentId);
          a.connect(cfg.server);
        }
      }),
    );
    send({ kind: 'progress', enrolled: res.enrollMs.length, online });
    await next('deltas');
    measuring = true;
    const rand = rng(cfg.seed * 7919 + cfg.from + 1);
    const t0 = performance.now();
    let stop = false;
    const loop = (async () => {
      while (!stop && cfg.deltaRate > 0) {
        // Poisson arrivals: exponential gaps at the worker's rate.
        await new Promise((r) => setTimeout(r, (-Math.log(1 - rand()) / cfg.deltaRate) * 1000));
        for (let tries = 0; tries < 8; tries++) {
          const a = agents[Math.floor(rand() * agents.length)]!;
          if (!a.online || a.busy) continue;
          const c = a.pick(rand());
          const b = bumped(c, `d${res.deltasSent}`);
          if (componentKey(b) === componentKey(c) || c.name === PROBE_PACKAGE.name) continue;
          if (a.delta([b], [componentKey(c)])) res.deltasSent++;
          break;
        }
      }
    })();
    const probing = cfg.probe ? probeLoop(cfg.probe, agents, set.probe, res, () => stop) : Promise.resolve();
    await next('stop');
    stop = true;
    await Promise.all([loop, probing]);
    res.deltaPhaseMs = performance.now() - t0;
    // Acks of deltas still in flight are waited for briefly, so sent and acked compare.
    const end = Date.now() + 5000;
    while (agents.some((a) => a.busy) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    res.reconnects = agents.reduce((n, a) => n + a.reconnects, 0);
    return res;
  } finally {
    clearInterval(progress);
    for (const a of agents) a.close();
  }
}

/** Adds the probe package on one online Debian host after another and times the API showing its finding. */
async function probeLoop(p: NonNullable<WorkerConfig['probe']>, agents: SimAgent[], probe: import('../../common/model.js').Component, res: WorkerResult, stopped: () => boolean): Promise<void> {
  const key = componentKey(probe);
  const debian = agents.filter((a) => a.index % 2 === 0);
  let turn = 0;
  while (!stopped() && debian.length) {
    await new Promise((r) => setTimeout(r, p.everyMs));
    const a = debian[turn++ % debian.length]!;
    if (!a.online || a.busy || a.has(key)) continue;
    const t = performance.now();
    if (!a.delta([probe], [])) continue;
    res.deltasSent++;
    const url = `${p.apiUrl}/api/v1/findings?host=${encodeURIComponent(a.agentId)}&cve=${PROBE_PACKAGE.cve}&status=ACTIVE`;
    let found = false;
    while (performance.now() - t < 30_000) {
      const r = await fetch(url, { headers: { authorization: `Bearer ${p.apiToken}` } }).catch(() => undefined);
      if (r?.ok && ((await r.json()) as { findings: unknown[] }).findings.length > 0) {
        found = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    if (found) res.findingMs.push(performance.now() - t);
    else res.findingTimeouts++;
    while (a.busy && !stopped()) await new Promise((r) => setTimeout(r, 20));
    if (a.delta([], [key])) res.deltasSent++;
  }
}

if (process.send) {
  const waiters = new Map<string, () => void>();
  const seen = new Set<string>();
  const next = (kind: ToWorker['kind']): Promise<void> => (seen.has(kind) ? Promise.resolve() : new Promise((r) => waiters.set(kind, r)));
  process.on('message', (m: ToWorker) => {
    seen.add(m.kind);
    waiters.get(m.kind)?.();
    if (m.kind === 'start')
      run(m.cfg, next, (k) => seen.has(k)).then(
        (result) => {
          send({ kind: 'result', result });
          process.disconnect?.();
        },
        (err: unknown) => {
          send({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
          process.disconnect?.();
        },
      );
  });
}
