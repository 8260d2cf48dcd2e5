import type { Logger } from 'pino';
import { VigilError } from '../../common/errors.js';
import type { DueDelivery, SqliteEventStore } from '../../store/sqlite-events.js';
import type { VigilEvent } from '../events.js';
import { retryDelayMs, type BackoffPolicy } from './backoff.js';
import type { SendOutcome, Target } from './targets/types.js';

export interface DispatcherOptions {
  store: SqliteEventStore;
  log: Logger;
  now: () => Date;
  policy: BackoffPolicy;
  /** At most this many sends at once, over all routes. */
  concurrency: number;
  /** The longest the dispatcher sleeps before it looks at the queue again. */
  pollMs: number;
  /** How long a taken delivery is leased: longer than any send takes. */
  leaseMs: number;
  target: (d: DueDelivery) => Target;
  event: (d: DueDelivery) => VigilEvent;
  /** Told each send's outcome: delivered, failed (to be retried) or dead (given up). */
  onOutcome?: (outcome: 'delivered' | 'failed' | 'dead') => void;
}

export type DispatcherState = 'stopped' | 'running' | 'stopping';

/**
 * Sends the pending deliveries that are due, at most `concurrency` at once, and
 * records each outcome: delivered, tried again later (policy in backoff.ts) or dead.
 * The queue is the database: a dispatcher started on it after a restart carries on
 * with whatever was pending. It sleeps until the next delivery is due, or `pollMs`,
 * whichever comes first, and wakes at once when `kick()` says something was queued.
 */
export class Dispatcher {
  private readonly inflight = new Map<number, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  state: DispatcherState = 'stopped';

  constructor(private readonly o: DispatcherOptions) {}

  start(): void {
    if (this.state === 'running') return;
    this.state = 'running';
    this.kick();
  }

  /** Looks at the queue again as soon as the event loop allows. */
  kick(): void {
    if (this.state !== 'running' || this.scheduled) return;
    this.scheduled = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Stops taking deliveries and waits for the sends under way to be recorded. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inflight.size) await Promise.allSettled([...this.inflight.values()]);
    this.state = 'stopped';
  }

  get busy(): number {
    return this.inflight.size;
  }

  private pump(): void {
    if (this.state !== 'running') return;
    let wait = this.o.pollMs;
    try {
      const free = this.o.concurrency - this.inflight.size;
      if (free > 0) {
        for (const d of this.o.store.take(this.o.now().getTime(), free, this.o.leaseMs)) {
          const p = this.deliver(d)
                .catch((err: unknown) => this.o.log.error({ err, delivery: d.id, route: d.routeId, event: d.eventId }, 'cannot record an event delivery'))
            .finally(() => {
              this.inflight.delete(d.id);
              this.kick();
            });
          this.inflight.set(d.id, p);
        }
      }
      const next = this.inflight.size < this.o.concurrency ? this.o.store.nextDue() : undefined;
      if (next !== undefined) wait = Math.max(0, Math.min(wait, next - this.o.now().getTime()));
    } catch (err) {
      this.o.log.error({ err }, 'cannot read the event delivery queue');
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, wait);
    this.timer.unref();
  }

  private async deliver(d: DueDelivery): Promise<void> {
    const { store, log, policy } = this.o;
    let outcome: SendOutcome;
    let kind = 'unknown';
    try {
      const target = this.o.target(d);
      kind = target.kind;
      outcome = await target.send(this.o.event(d));
    } catch (err) {
      // A stored target this Vigil refuses (a jsonl path outside the file root) stays refused.
      outcome = { ok: false, retry: !(err instanceof VigilError && err.code === 'INVALID_INPUT'), error: (err as Error).message };
    }
    const attempts = d.attempts + 1;
    const now = this.o.now();
    const fields = { delivery: d.id, route: d.routeId, event: d.eventId, target: kind, attempt: attempts };
    if (outcome.ok) {
      store.markDelivered(d.id, attempts, now);
      this.o.onOutcome?.('delivered');
      log.debug({ ...fields, ...(outcome.status ? { http_status: outcome.status } : {}) }, 'event delivered');
      return;
    }
    const status = outcome.status ? { http_status: outcome.status } : {};
    const age = now.getTime() - Date.parse(d.queuedAt);
    const dead = !outcome.retry ? 'refused' : attempts >= policy.maxAttempts ? `${attempts} attempts` : age >= policy.maxAgeMs ? `queued ${Math.round(age / 1000)} s ago` : undefined;
    if (dead) {
      store.markDead(d.id, attempts, outcome.error);
      this.o.onOutcome?.('dead');
      log.warn({ ...fields, ...status, reason: outcome.error, detail: dead }, 'event delivery given up');
      return;
    }
    const wait = retryDelayMs(policy, attempts, outcome.retryAfterMs);
    store.markRetry(d.id, attempts, now.getTime() + wait, outcome.error);
    this.o.onOutcome?.('failed');
    log.debug({ ...fields, ...status, reason: outcome.error, wait_ms: wait }, 'event delivery failed, will retry');
  }
}
