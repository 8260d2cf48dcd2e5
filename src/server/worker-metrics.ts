import { performance } from 'node:perf_hooks';
import type { DeliveryOutcome, DeltaOutcome, ServerMetrics } from './metrics.js';
import type { StreamReply } from './fleet-types.js';

/**
 * What the matcher worker measures for the server's metrics, kept until the next
 * scrape takes it: durations of delta applications and of matching, delta outcomes
 * and event delivery outcomes. Timed here, not around the call from the stream
 * thread, so a wait in the worker's queue does not count. Bounded: past MAX samples
 * of a kind, further ones are counted as dropped instead of kept.
 */
const MAX = 100_000;

export interface Observed {
  delta: number[];
  match: number[];
  deltas: Record<DeltaOutcome, number>;
  deliveries: Record<DeliveryOutcome, number>;
  dropped: number;
}

export class WorkerObservations {
  private o: Observed = fresh();

  private push(list: number[], seconds: number): void {
    if (list.length < MAX) list.push(seconds);
    else this.o.dropped++;
  }

  /** `fn`, timed as a delta application; its reply says the outcome. */
  delta<A extends unknown[]>(fn: (...a: A) => StreamReply): (...a: A) => StreamReply {
    return (...a) => {
      const t = performance.now();
      const r = fn(...a);
      this.push(this.o.delta, (performance.now() - t) / 1000);
      this.o.deltas[r.applied ? 'applied' : r.reply?.kind === 'resync' ? 'resync' : 'duplicate']++;
      return r;
    };
  }

  /** `fn`, timed as a match (a snapshot, a re-match, an advisory change applied). */
  match<A extends unknown[], R>(fn: (...a: A) => R): (...a: A) => R {
    return (...a) => {
      const t = performance.now();
      try {
        return fn(...a);
      } finally {
        this.push(this.o.match, (performance.now() - t) / 1000);
      }
    };
  }

  delivery(outcome: DeliveryOutcome): void {
    this.o.deliveries[outcome]++;
  }

  /** Everything observed since the last drain. */
  drain(): Observed {
    const out = this.o;
    this.o = fresh();
    return out;
  }
}

function fresh(): Observed {
  return { delta: [], match: [], deltas: { applied: 0, duplicate: 0, resync: 0 }, deliveries: { delivered: 0, failed: 0, dead: 0 }, dropped: 0 };
}

/** Adds a drained set of observations to the server's metrics (main thread). */
export function applyObserved(m: ServerMetrics, o: Observed): void {
  for (const s of o.delta) m.observeDelta(s);
  for (const s of o.match) m.observeMatch(s);
  for (const [k, n] of Object.entries(o.deltas) as Array<[DeltaOutcome, number]>) for (let i = 0; i < n; i++) m.deltaReceived(k);
  for (const [k, n] of Object.entries(o.deliveries) as Array<[DeliveryOutcome, number]>) for (let i = 0; i < n; i++) m.deliveryOutcome(k);
}
