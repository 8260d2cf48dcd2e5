import { VigilError } from '../errors.js';

/**
 * The two state machines of a patch job, written down once. Every change of a job's
 * or a job host's state, in the patch service and in the job store, goes through
 * `jobTransition` or `jobHostTransition`; a change the table does not list is a bug
 * in Vigil and throws INTERNAL.
 */

/**
 * One host of a job. `sent`: the command is signed and waits for the host's stream;
 * `running`: it was handed to the host's connected stream; `verified`: the host
 * reported it done and its rescan shows the fixed versions; `failed`: the host
 * reported a failure, an unverified result, or no result before the timeout;
 * `skipped`: never sent (deadline passed, job failed or cancelled first).
 */
export const JOB_HOST_STATES = ['pending', 'sent', 'running', 'verified', 'failed', 'skipped'] as const;
export type JobHostState = (typeof JOB_HOST_STATES)[number];

export const JOB_HOST_INITIAL: JobHostState = 'pending';

export const JOB_HOST_TRANSITIONS: { readonly [S in JobHostState]: readonly JobHostState[] } = {
  pending: ['sent', 'skipped'],
  sent: ['running', 'failed'],
  running: ['verified', 'failed'],
  verified: [],
  failed: [],
  skipped: [],
};

/**
 * A job. `running` and `paused` are active; the other four are final, and which of
 * completed, completed_with_failures and failed a job ends in is `jobOutcome`'s
 * decision, by the failure threshold.
 */
export const JOB_STATES = ['running', 'paused', 'completed', 'completed_with_failures', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_INITIAL: JobState = 'running';

export const JOB_TRANSITIONS: { readonly [S in JobState]: readonly JobState[] } = {
  running: ['paused', 'completed', 'completed_with_failures', 'failed', 'cancelled'],
  paused: ['running', 'cancelled'],
  completed: [],
  completed_with_failures: [],
  failed: [],
  cancelled: [],
};

export const ACTIVE_JOB_STATES: readonly JobState[] = ['running', 'paused'];
export const isActiveJob = (s: JobState): boolean => ACTIVE_JOB_STATES.includes(s);
/** A command is out for the host: its result may still arrive. */
export const isOutstanding = (s: JobHostState): boolean => s === 'sent' || s === 'running';
export const isFinalHost = (s: JobHostState): boolean => JOB_HOST_TRANSITIONS[s].length === 0;

export function isJobState(s: string): s is JobState {
  return (JOB_STATES as readonly string[]).includes(s);
}

export function isJobHostState(s: string): s is JobHostState {
  return (JOB_HOST_STATES as readonly string[]).includes(s);
}

export const canJobTransition = (from: JobState, to: JobState): boolean => JOB_TRANSITIONS[from].includes(to);
export const canJobHostTransition = (from: JobHostState, to: JobHostState): boolean => JOB_HOST_TRANSITIONS[from].includes(to);

/** Validates a job's change of state and returns the new state; `what` names the job in the error. */
export function jobTransition(from: JobState, to: JobState, what: string): JobState {
  if (!canJobTransition(from, to)) throw new VigilError('INTERNAL', `${what}: a patch job cannot go from ${from} to ${to}`);
  return to;
}

/** Validates a job host's change of state and returns the new state; `what` names the job and host in the error. */
export function jobHostTransition(from: JobHostState, to: JobHostState, what: string): JobHostState {
  if (!canJobHostTransition(from, to)) throw new VigilError('INTERNAL', `${what}: a patch job host cannot go from ${from} to ${to}`);
  return to;
}

export type JobOutcome = Extract<JobState, 'completed' | 'completed_with_failures' | 'failed'>;

/**
 * The final state of a job whose hosts are all final. Every host verified: completed.
 * No host verified, or the failed share of the hosts that ran exceeds the threshold
 * (the same test the rollout makes at each wave boundary): failed. Otherwise some
 * host failed or was skipped: completed_with_failures. The reason says which hosts.
 */
export function jobOutcome(hosts: ReadonlyArray<{ state: JobHostState }>, failureThreshold: number): { state: JobOutcome; reason?: string } {
  const n = (s: JobHostState): number => hosts.filter((h) => h.state === s).length;
  const verified = n('verified');
  const failed = n('failed');
  const skipped = n('skipped');
  const total = hosts.length;
  const open = total - verified - failed - skipped;
  if (open > 0) throw new VigilError('INTERNAL', `a patch job cannot end with ${open} hosts not finished`);
  if (verified === total) return { state: 'completed' };
  const parts = [...(failed ? [`${failed} of ${total} hosts failed`] : []), ...(skipped ? [`${skipped} of ${total} hosts skipped`] : [])];
  const pct = `threshold ${Math.round(failureThreshold * 100)}%`;
  if (verified === 0) return { state: 'failed', reason: `no host verified: ${parts.join(', ')}` };
  if (failed / (verified + failed) > failureThreshold) return { state: 'failed', reason: `${parts.join(', ')} (${pct})` };
  return { state: 'completed_with_failures', reason: `${parts.join(', ')} (${pct})` };
}
