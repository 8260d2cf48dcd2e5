import { describe, expect, it } from 'vitest';
import { inWindow, nextStep, planWaves, validateSpec, type JobHost, type JobStatus, type RolloutSpec } from '../../src/server/rollout.js';

const SPEC: RolloutSpec = { canary: 1, waves: { count: 2 }, concurrency: 10, failureThreshold: 0.2, commandTimeoutSeconds: 600 };
const NOW = new Date('2026-11-23T12:00:00Z');
const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `h${i + 1}`);

function status(hosts: JobHost[], state: JobStatus['state'] = 'running'): JobStatus {
  return { state, hosts };
}

/** Drives a job to the end, answering each send with the outcome `fails` gives. */
function drive(spec: RolloutSpec, hostIds: string[], fails: Set<string>): { sends: string[][]; final: ReturnType<typeof nextStep> } {
  const hosts = planWaves(hostIds, spec);
  const sends: string[][] = [];
  for (let i = 0; i < 100; i++) {
    const step = nextStep(spec, status(hosts), NOW);
    if (step.kind !== 'send') return { sends, final: step };
    sends.push(step.hostIds);
    for (const id of step.hostIds) {
      const h = hosts.find((x) => x.hostId === id)!;
      h.state = fails.has(id) ? 'failed' : 'verified';
    }
  }
  throw new Error('did not finish');
}

describe('rollout planning', () => {
  it('puts the canary first, then waves of the given count or percentage', () => {
    expect(planWaves(ids(5), SPEC).map((h) => h.wave)).toEqual([0, 1, 1, 2, 2]);
    expect(planWaves(ids(11), { canary: 1, waves: { percent: 50 } }).map((h) => h.wave)).toEqual([0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(planWaves(ids(3), { canary: 0, waves: { count: 2 } }).map((h) => h.wave)).toEqual([0, 0, 1]);
    expect(planWaves(ids(2), { canary: 5, waves: { count: 2 } }).map((h) => h.wave)).toEqual([0, 0]);
  });

  it('sends one wave at a time and completes when every host verified', () => {
    const r = drive(SPEC, ids(5), new Set());
    expect(r.sends).toEqual([['h1'], ['h2', 'h3'], ['h4', 'h5']]);
    expect(r.final).toEqual({ kind: 'complete' });
  });

  it('halts before the next wave when the failure rate exceeds the threshold', () => {
    // 1 of 3 finished failed (33%) after wave 1 > 20%: wave 2 never starts.
    const r = drive(SPEC, ids(5), new Set(['h3']));
    expect(r.sends).toEqual([['h1'], ['h2', 'h3']]);
    expect(r.final.kind).toBe('halt');
    expect((r.final as { reason: string }).reason).toMatch(/1 of 3 finished hosts failed/);
  });

  it('a failed canary halts the job at once', () => {
    const r = drive(SPEC, ids(5), new Set(['h1']));
    expect(r.sends).toEqual([['h1']]);
    expect(r.final.kind).toBe('halt');
  });

  it('keeps at most `concurrency` commands outstanding', () => {
    const spec = { ...SPEC, canary: 0, waves: { count: 10 }, concurrency: 3 };
    const hosts = planWaves(ids(7), spec);
    const s1 = nextStep(spec, status(hosts), NOW);
    expect(s1).toEqual({ kind: 'send', hostIds: ['h1', 'h2', 'h3'] });
    for (const h of hosts.slice(0, 3)) Object.assign(h, { state: 'sent', sentAt: NOW.toISOString() });
    expect(nextStep(spec, status(hosts), NOW)).toMatchObject({ kind: 'wait', reason: 'concurrency limit reached' });
    hosts[0]!.state = 'verified';
    expect(nextStep(spec, status(hosts), NOW)).toEqual({ kind: 'send', hostIds: ['h4'] });
  });

  it('times out commands left unanswered', () => {
    const hosts = planWaves(ids(2), SPEC);
    Object.assign(hosts[0]!, { state: 'sent', sentAt: '2026-11-23T11:00:00Z' });
    expect(nextStep(SPEC, status(hosts), NOW)).toEqual({ kind: 'timeout', hostIds: ['h1'] });
  });

  it('waits while paused and reports hosts missed after the deadline', () => {
    const hosts = planWaves(ids(3), SPEC);
    expect(nextStep(SPEC, status(hosts, 'paused'), NOW)).toMatchObject({ kind: 'wait' });
    expect(nextStep({ ...SPEC, deadline: '2026-11-23T11:59:00Z' }, status(hosts), NOW)).toMatchObject({ kind: 'miss', hostIds: ['h1', 'h2', 'h3'] });
  });

  it('sends only inside the maintenance window', () => {
    const spec = { ...SPEC, window: { cron: '0 2 * * 6', durationMinutes: 120 } }; // Saturdays 02:00-04:00 UTC
    const hosts = planWaves(ids(2), spec);
    const monday = new Date('2026-11-23T12:00:00Z');
    const step = nextStep(spec, status(hosts), monday);
    expect(step).toEqual({ kind: 'wait', until: '2026-11-28T02:00:00.000Z', reason: 'outside the maintenance window' });
    expect(nextStep(spec, status(hosts), new Date('2026-11-28T03:59:00Z'))).toMatchObject({ kind: 'send' });
    expect(nextStep(spec, status(hosts), new Date('2026-11-28T04:00:00Z'))).toMatchObject({ kind: 'wait' });
    expect(inWindow({ cron: '*/15 * * * *', durationMinutes: 5 }, new Date('2026-11-23T12:19:00Z'))).toEqual({ open: true });
    expect(inWindow({ cron: '*/15 * * * *', durationMinutes: 5 }, new Date('2026-11-23T12:20:00Z'))).toEqual({ open: false, nextStart: '2026-11-23T12:30:00.000Z' });
  });

  it('refuses specs that cannot run, naming the field', () => {
    expect(() => validateSpec({ ...SPEC, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => validateSpec({ ...SPEC, failureThreshold: 1.5 })).toThrow(/failure threshold/);
    expect(() => validateSpec({ ...SPEC, waves: { percent: 0 } })).toThrow(/waves/);
    expect(() => validateSpec({ ...SPEC, window: { cron: '0 2 * * SAT', durationMinutes: 60 } })).toThrow(/five-field numeric cron/);
    expect(() => validateSpec({ ...SPEC, deadline: 'tomorrow' })).toThrow(/deadline/);
    expect(() => validateSpec(SPEC)).not.toThrow();
  });
});
