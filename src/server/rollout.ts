import cron from 'node-cron';
import { VigilError } from '../common/errors.js';
import { isOutstanding, type JobHostState, type JobState as LifecycleJobState } from '../common/lifecycle/patch-job.js';

/**
 * Fleet patch rollouts as data and pure decisions (DESIGN.md §6): which hosts go in
 * which wave, when the next command may be sent, and when a job must stop (it then
 * fails, common/lifecycle/patch-job.ts). The server persists a job's state and calls
 * `nextStep` whenever something changed (a result arrived, a timer fired, an
 * operator paused or resumed), so a restart resumes a job exactly where its stored
 * state says it is.
 */

export type WaveSize = { count: number } | { percent: number };

export interface RolloutSpec {
  /** Hosts that go first, alone, before any wave. */
  canary: number;
  /** Size of each following wave. */
  waves: WaveSize;
  /** Commands outstanding at once, across the job. */
  concurrency: number;
  /** Halts the job when failed / finished exceeds this after a wave (0..1). */
  failureThreshold: number;
  /** Commands are only sent inside a window: a cron expression for its start and its length. */
  window?: { cron: string; durationMinutes: number };
  /** No command is sent after this time; hosts not reached by then are reported as missed. */
  deadline?: string;
  /** How long a sent command may stay unanswered before it counts as failed. */
  commandTimeoutSeconds: number;
}

export type HostState = JobHostState;
export type JobState = LifecycleJobState;

export interface JobHost {
  hostId: string;
  wave: number;
  state: HostState;
  sentAt?: string;
  finishedAt?: string;
  detail?: string;
}

export interface JobStatus {
  state: JobState;
  hosts: JobHost[];
  /** Why the job failed or why hosts were skipped. */
  reason?: string;
}

export type Step =
  | { kind: 'send'; hostIds: string[] }
  | { kind: 'wait'; until?: string; reason: string }
  | { kind: 'timeout'; hostIds: string[] }
  /** The failure threshold is exceeded at a wave boundary: the job fails, its remaining hosts skipped. */
  | { kind: 'halt'; reason: string }
  /** Every host is final: the job ends in the state jobOutcome decides. */
  | { kind: 'complete' }
  | { kind: 'miss'; hostIds: string[]; reason: string };

export function validateSpec(spec: RolloutSpec): void {
  const bad = (m: string): never => {
    throw new VigilError('USAGE', m);
  };
  if (!Number.isInteger(spec.canary) || spec.canary < 0) bad('canary must be a whole number of hosts');
  if ('count' in spec.waves ? !(Number.isInteger(spec.waves.count) && spec.waves.count > 0) : !(spec.waves.percent > 0 && spec.waves.percent <= 100))
    bad('waves must be a positive count or a percentage in (0, 100]');
  if (!Number.isInteger(spec.concurrency) || spec.concurrency < 1) bad('concurrency must be at least 1');
  if (!(spec.failureThreshold >= 0 && spec.failureThreshold <= 1)) bad('failure threshold must be between 0 and 1');
  if (spec.window) {
    // Five numeric fields (minute hour day month weekday, UTC): what inWindow evaluates.
    if (!/^\s*[\d*,/-]+(\s+[\d*,/-]+){4}\s*$/.test(spec.window.cron) || !cron.validate(spec.window.cron))
      bad(`maintenance window ${JSON.stringify(spec.window.cron)} is not a five-field numeric cron expression`);
    if (!(spec.window.durationMinutes > 0 && spec.window.durationMinutes <= 7 * 24 * 60)) bad('window duration must be 1 minute to 7 days');
  }
  if (spec.deadline !== undefined && Number.isNaN(Date.parse(spec.deadline))) bad(`deadline ${JSON.stringify(spec.deadline)} is not a time`);
  if (!(spec.commandTimeoutSeconds >= 10)) bad('command timeout must be at least 10 seconds');
}

/** Hosts in rollout order split into waves: wave 0 is the canary (if any), then waves of the given size. */
export function planWaves(hostIds: string[], spec: Pick<RolloutSpec, 'canary' | 'waves'>): JobHost[] {
  const out: JobHost[] = [];
  const canary = Math.min(spec.canary, hostIds.length);
  const rest = hostIds.slice(canary);
  const size = 'count' in spec.waves ? spec.waves.count : Math.max(1, Math.ceil((rest.length * spec.waves.percent) / 100));
  hostIds.slice(0, canary).forEach((hostId) => out.push({ hostId, wave: 0, state: 'pending' }));
  rest.forEach((hostId, i) => out.push({ hostId, wave: (canary > 0 ? 1 : 0) + Math.floor(i / size), state: 'pending' }));
  return out;
}

/** Fields of a 5-field cron expression as sets, for the window check. */
function cronMatches(expr: string, d: Date): boolean {
  const [min, hour, dom, mon, dow] = expr.trim().split(/\s+/);
  const field = (spec: string | undefined, value: number, lo: number, hi: number): boolean => {
    if (spec === undefined) return false;
    return spec.split(',').some((part) => {
      const [range, stepText] = part.split('/');
      const step = stepText ? Number(stepText) : 1;
      let a = lo;
      let b = hi;
      if (range !== '*') {
        const [x, y] = range!.split('-');
        a = Number(x);
        b = y === undefined ? (stepText ? hi : a) : Number(y);
      }
      return value >= a && value <= b && (value - a) % step === 0;
    });
  };
  const dowValue = d.getUTCDay();
  return (
    field(min, d.getUTCMinutes(), 0, 59) &&
    field(hour, d.getUTCHours(), 0, 23) &&
    field(dom, d.getUTCDate(), 1, 31) &&
    field(mon, d.getUTCMonth() + 1, 1, 12) &&
    (field(dow, dowValue, 0, 7) || (dowValue === 0 && field(dow, 7, 0, 7)))
  );
}

/**
 * Whether `now` is inside a maintenance window: some minute within the last
 * `durationMinutes` (inclusive of now) matches the window's start expression.
 * Times are UTC. Returns the next start when outside (searching a week ahead).
 */
export function inWindow(window: NonNullable<RolloutSpec['window']>, now: Date): { open: boolean; nextStart?: string } {
  const minute = 60_000;
  const t = Math.floor(now.getTime() / minute) * minute;
  for (let back = 0; back < window.durationMinutes; back++) if (cronMatches(window.cron, new Date(t - back * minute))) return { open: true };
  for (let ahead = 1; ahead <= 7 * 24 * 60; ahead++) {
    const d = new Date(t + ahead * minute);
    if (cronMatches(window.cron, d)) return { open: false, nextStart: d.toISOString() };
  }
  return { open: false };
}

/**
 * The next thing a running job should do. Waves run in order: a wave starts only
 * when every host of the waves before it has finished, and the failure threshold is
 * checked at each wave boundary (and at once if failures already exceed it). Within
 * a wave at most `concurrency` commands are outstanding.
 */
export function nextStep(spec: RolloutSpec, status: JobStatus, now: Date): Step {
  if (status.state !== 'running') return { kind: 'wait', reason: `job is ${status.state}` };
  const hosts = status.hosts;
  const timedOut = hosts.filter((h) => isOutstanding(h.state) && h.sentAt && now.getTime() - Date.parse(h.sentAt) > spec.commandTimeoutSeconds * 1000);
  if (timedOut.length) return { kind: 'timeout', hostIds: timedOut.map((h) => h.hostId) };

  const finished = hosts.filter((h) => h.state === 'verified' || h.state === 'failed');
  const failed = hosts.filter((h) => h.state === 'failed').length;
  const outstanding = hosts.filter((h) => isOutstanding(h.state)).length;
  const pending = hosts.filter((h) => h.state === 'pending');
  if (pending.length === 0 && outstanding === 0) return { kind: 'complete' };

  const currentWave = Math.min(...hosts.filter((h) => h.state === 'pending' || isOutstanding(h.state)).map((h) => h.wave));
  const waveDone = (w: number): boolean => hosts.filter((h) => h.wave === w).every((h) => h.state !== 'pending' && !isOutstanding(h.state));
  // At a wave boundary (everything before the current wave finished, nothing of it sent yet) check the failure rate.
  const atBoundary = hosts.filter((h) => h.wave === currentWave).every((h) => h.state === 'pending') && (currentWave === 0 || waveDone(currentWave - 1));
  if (finished.length > 0 && atBoundary && failed / finished.length > spec.failureThreshold) {
    return { kind: 'halt', reason: `${failed} of ${finished.length} finished hosts failed (threshold ${Math.round(spec.failureThreshold * 100)}%)` };
  }
  if (spec.deadline && now.getTime() > Date.parse(spec.deadline)) {
    if (outstanding > 0) return { kind: 'wait', reason: 'deadline passed; waiting for commands already sent' };
    return { kind: 'miss', hostIds: pending.map((h) => h.hostId), reason: `deadline ${spec.deadline} passed` };
  }
  if (spec.window) {
    const w = inWindow(spec.window, now);
    if (!w.open) return { kind: 'wait', ...(w.nextStart ? { until: w.nextStart } : {}), reason: 'outside the maintenance window' };
  }
  if (!atBoundary && hosts.some((h) => h.wave < currentWave && (isOutstanding(h.state) || h.state === 'pending'))) return { kind: 'wait', reason: 'previous wave running' };
  const room = spec.concurrency - outstanding;
  if (room <= 0) return { kind: 'wait', reason: 'concurrency limit reached' };
  const next = pending.filter((h) => h.wave === currentWave).slice(0, room);
  if (next.length === 0) return { kind: 'wait', reason: `wave ${currentWave} running` };
  return { kind: 'send', hostIds: next.map((h) => h.hostId) };
}
