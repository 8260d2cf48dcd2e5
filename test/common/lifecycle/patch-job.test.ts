import { describe, expect, it } from 'vitest';
import {
  JOB_HOST_STATES,
  JOB_STATES,
  jobHostTransition,
  jobOutcome,
  jobTransition,
  type JobHostState,
  type JobState,
} from '../../../src/common/lifecycle/patch-job.js';

/** The machines as written in issue 11 and `vigil patch --help`, independent of the module's tables. */
const HOST_ALLOWED = new Set(['pending>sent', 'pending>skipped', 'sent>running', 'sent>failed', 'running>verified', 'running>failed']);
const JOB_ALLOWED = new Set([
  'running>paused',
  'paused>running',
  'running>cancelled',
  'paused>cancelled',
  'running>completed',
  'running>completed_with_failures',
  'running>failed',
]);

function allowed(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    expect((err as { code?: string }).code).toBe('INTERNAL');
    return false;
  }
}

describe('patch job state machines', () => {
  it('a job host changes state only along pending -> sent -> running -> verified | failed, or pending -> skipped', () => {
    const seen = new Set<string>();
    for (const from of JOB_HOST_STATES) for (const to of JOB_HOST_STATES) if (allowed(() => jobHostTransition(from, to, 'job 1 host h'))) seen.add(`${from}>${to}`);
    expect(seen).toEqual(HOST_ALLOWED);
  });

  it('a job changes state only between running and paused, or from there to one final state', () => {
    const seen = new Set<string>();
    for (const from of JOB_STATES) for (const to of JOB_STATES) if (allowed(() => jobTransition(from, to, 'job 1'))) seen.add(`${from}>${to}`);
    expect(seen).toEqual(JOB_ALLOWED);
  });

  it('names the job and both states when refusing a transition', () => {
    expect(() => jobTransition('completed', 'running', 'patch job 7')).toThrow('patch job 7: a patch job cannot go from completed to running');
    expect(() => jobHostTransition('verified', 'failed', 'patch job 7 host h1')).toThrow(/host h1: .*from verified to failed/);
  });
});

describe('a job outcome', () => {
  const hosts = (...s: JobHostState[]) => s.map((state) => ({ state }));
  const outcome = (t: number, ...s: JobHostState[]): JobState => jobOutcome(hosts(...s), t).state;

  it('is completed only when every host verified', () => {
    expect(outcome(0.2, 'verified', 'verified')).toBe('completed');
    expect(outcome(1, 'verified', 'skipped')).toBe('completed_with_failures');
  });

  it('is failed when every host failed, whatever the threshold', () => {
    expect(outcome(1, 'failed', 'failed', 'failed')).toBe('failed');
    expect(jobOutcome(hosts('failed', 'failed'), 1).reason).toBe('no host verified: 2 of 2 hosts failed');
    expect(outcome(1, 'skipped', 'failed')).toBe('failed');
  });

  it('is completed_with_failures within the threshold and failed beyond it', () => {
    expect(outcome(0.5, 'verified', 'verified', 'failed')).toBe('completed_with_failures');
    expect(outcome(0.2, 'verified', 'verified', 'failed')).toBe('failed');
    expect(jobOutcome(hosts('verified', 'verified', 'failed', 'skipped'), 0.5).reason).toBe('1 of 4 hosts failed, 1 of 4 hosts skipped (threshold 50%)');
  });

  it('cannot be decided while a host is not final', () => {
    expect(() => jobOutcome(hosts('verified', 'running'), 0.2)).toThrow(/1 hosts not finished/);
  });
});
