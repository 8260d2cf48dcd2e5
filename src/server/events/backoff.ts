import { VigilError } from '../../common/errors.js';

/**
 * When a failed delivery is tried again, and when it is given up. The n-th retry
 * waits `baseMs * 2^(n-1)`, capped at `capMs`, less a random share of up to
 * `jitter` of it (so deliveries that failed together do not retry together), and
 * never less than the receiver's Retry-After (itself capped at `maxRetryAfterMs`).
 * A delivery is dead after `maxAttempts` attempts, or once it fails `maxAgeMs`
 * after it was queued. The defaults keep trying for a day, as EventBridge's do: at
 * most 15 min between attempts, and enough attempts that the age ends the retries
 * even when every wait is the shortest the jitter allows.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  jitter: number;
  maxAttempts: number;
  maxAgeMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = {
  baseMs: 1000,
  capMs: 15 * 60_000,
  jitter: 0.5,
  maxAttempts: 200,
  maxAgeMs: 24 * 3600_000,
  maxRetryAfterMs: 3600_000,
};

export function backoffPolicy(p: Partial<BackoffPolicy> = {}): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...p };
  for (const k of ['baseMs', 'capMs', 'maxAttempts', 'maxAgeMs', 'maxRetryAfterMs'] as const) {
    if (!Number.isFinite(policy[k]) || policy[k] <= 0) throw new VigilError('INVALID_INPUT', `event backoff ${k} must be a positive number, not ${policy[k]}`);
  }
  if (!Number.isInteger(policy.maxAttempts)) throw new VigilError('INVALID_INPUT', `event backoff maxAttempts must be a whole number, not ${policy.maxAttempts}`);
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw new VigilError('INVALID_INPUT', `event backoff jitter must be from 0 to 1, not ${policy.jitter}`);
  if (policy.capMs < policy.baseMs) throw new VigilError('INVALID_INPUT', `event backoff capMs (${policy.capMs}) is below baseMs (${policy.baseMs})`);
  return policy;
}

/** How long to wait after the `attempts`-th failed attempt (1 for the first). */
export function retryDelayMs(policy: BackoffPolicy, attempts: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempts - 1, 52));
  const delay = Math.round(exp * (1 - policy.jitter * random()));
  return retryAfterMs === undefined ? delay : Math.max(delay, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}
