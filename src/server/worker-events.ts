import path from 'node:path';
import type { Logger } from 'pino';
import { observeHostTransitions, type HostTransition } from '../common/lifecycle/host.js';
import type { ReconcileResult } from '../store/fleet-store.js';
import { SqliteRuleStore } from '../store/sqlite-rules.js';
import type { SuppressionRule } from '../matcher/suppression.js';
import { findingEvent } from './events/finding-event.js';
import { EventHub } from './events/hub.js';
import { jsonLinesSink, resource, type EventSink } from './events.js';
import type { ServerFleetStore } from './fleet-types.js';
import { SuppressionService } from './suppression-service.js';

/**
 * The matcher worker's event side: every event (findings, hosts, jobs, rules) goes
 * to the JSON-lines file and to the EventHub, which stores it in events.db and
 * delivers it to the routes whose patterns match; suppression rules live beside the
 * findings and are re-applied every `refreshMs` so an expiry takes effect.
 */
export interface WorkerEvents {
  sink: EventSink;
  hub: EventHub;
  suppression: SuppressionService;
  /** For FleetService.onReconciled: one `Finding State Change` event per finding that opened, reopened or closed. */
  reconciled(hostId: string, changes: ReconcileResult): void;
  stop(): Promise<void>;
}

export function startWorkerEvents(opts: {
  fleetDb: string;
  eventsFile: string;
  fleet: ServerFleetStore;
  log: Logger;
  now?: () => Date;
  refreshMs?: number;
  onDelivery?: (outcome: 'delivered' | 'failed' | 'dead') => void;
  /** Every event as it is emitted, after the file and the hub have it (the live streams' feed). */
  onEvent?: EventSink;
}): WorkerEvents {
  const now = opts.now ?? (() => new Date());
  const hub = new EventHub({ file: path.join(path.dirname(opts.fleetDb), 'events.db'), log: opts.log, now, ...(opts.onDelivery ? { onOutcome: opts.onDelivery } : {}) });
  const file = jsonLinesSink(opts.eventsFile, (err) => opts.log.error({ err }, 'cannot write an event'));
  const routed = hub.sink();
  const sink: EventSink = (detailType, resources, detail, time) => {
    file(detailType, resources, detail, time);
    routed(detailType, resources, detail, time);
    opts.onEvent?.(detailType, resources, detail, time);
  };
  const rules = new SqliteRuleStore<SuppressionRule>(opts.fleetDb);
  const suppression = new SuppressionService(rules, opts.fleet, now, sink);
  // A transition is validated inside the store's transaction, which may still roll
  // back: events go out once the code that made them has run (a microtask later), for
  // the transitions that chain up to the state the database holds then.
  const pending = new Map<string, Array<HostTransition & { time: string }>>();
  const flush = (): void => {
    for (const [hostId, list] of pending) {
      const kept: typeof list = [];
      // A transition that does not start where the one before ended follows a rolled-back one.
      for (const t of list) {
        while (kept.length && kept[kept.length - 1]!.to !== t.from) kept.pop();
        kept.push(t);
      }
      const state = opts.fleet.host(hostId)?.state ?? 'deleted';
      while (kept.length && kept[kept.length - 1]!.to !== state) kept.pop();
      for (const t of kept) sink('Host State Change', [resource.host(hostId)], { hostId, previous: t.from, state: t.to }, t.time);
    }
    pending.clear();
  };
  const unobserve = observeHostTransitions((t) => {
    if (pending.size === 0) queueMicrotask(flush);
    const list = pending.get(t.hostId) ?? [];
    list.push({ ...t, time: now().toISOString() });
    pending.set(t.hostId, list);
  });
  const timer = setInterval(() => {
    try {
      suppression.tick();
    } catch (err) {
      opts.log.error({ err }, 'applying suppression rules failed');
    }
  }, opts.refreshMs ?? 30_000);
  timer.unref();
  hub.start();
  return {
    sink,
    hub,
    suppression,
    reconciled(hostId, changes) {
      const host = opts.fleet.host(hostId);
      if (!host) return;
      const time = now().toISOString();
      const send = (ids: string[], previous?: 'CLOSED'): void => {
        for (const id of ids) {
          const stored = opts.fleet.finding(hostId, id);
          if (!stored) continue;
          const e = findingEvent({ id: hostId, hostname: host.hostname }, stored, previous);
          sink(e.detailType, e.resources, e.detail as unknown as Record<string, unknown>, time);
        }
      };
      // One commit for all of them: a new host's snapshot opens hundreds of findings at once.
      hub.batch(() => {
        send(changes.opened);
        send(changes.reopened, 'CLOSED');
        send(changes.closed);
      });
    },
    async stop() {
      clearInterval(timer);
      unobserve();
      await hub.close();
      rules.close();
    },
  };
}
