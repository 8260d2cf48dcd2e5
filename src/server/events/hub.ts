import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { VigilError } from '../../common/errors.js';
import { SqliteEventStore, type DeliveryQuery, type DeliveryRecord, type DeliveryState, type DueDelivery, type EventQuery, type EventRecord, type Page, type RouteRecord } from '../../store/sqlite-events.js';
import type { EventSink, VigilEvent } from '../events.js';
import { backoffPolicy, type BackoffPolicy } from './backoff.js';
import { Dispatcher } from './dispatcher.js';
import { compilePattern, type EventMatcher } from './pattern.js';
import { createTarget, parseTarget, redactTarget } from './targets/index.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TARGET_TIMEOUT_MS, type Target, type TargetOptions, type TargetSpec } from './targets/types.js';

export interface EventHubOptions {
  /** The event database, `events.db` in the server's data directory. */
  file: string;
  log: Logger;
  now?: () => Date;
  /** Where `jsonl` targets may write; the database's directory unless given. */
  fileRoot?: string;
  /** A webhook exchange or syslog TCP connection times out after this (10 s). */
  timeoutMs?: number;
  /** At most this much of a webhook's response is read (64 KiB). */
  maxResponseBytes?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Sends under way at once (8). */
  concurrency?: number;
  /** The longest the dispatcher sleeps between looks at the queue (1 s). */
  pollMs?: number;
  /** Told each send's outcome (for the server's metrics). */
  onOutcome?: (outcome: 'delivered' | 'failed' | 'dead') => void;
}

export interface RouteInput {
  name: string;
  /** An EventBridge event pattern, as an object or JSON text. */
  pattern: unknown;
  /** `{"type": "webhook", url, secret?, template?}`, `{"type": "jsonl", path}` or `{"type": "syslog", host, port, protocol?, facility?, appName?}`. */
  target: unknown;
  enabled?: boolean;
}

/** A route as shown: a webhook's secret reads `[redacted]` except in what `create` returns. */
export type RouteView = RouteRecord;

/** A stored event: the event as published, with its place in the log. */
export type StoredEvent = VigilEvent & { seq: number };

const toVigilEvent = (r: EventRecord): VigilEvent => ({ version: '0', id: r.id, source: 'vigil', 'detail-type': r.detailType, time: r.time, resources: r.resources, detail: r.detail });

const NAME_MAX = 200;

/**
 * Event routing: every event published is stored with a pending delivery for each
 * enabled route whose pattern matches it, in one transaction; the dispatcher sends
 * them to the routes' targets, retrying with backoff until delivered or dead. At
 * least once: a send can be repeated (after a lost answer, a crash between the send
 * and its record), never skipped, and every send carries the event id.
 */
export class EventHub {
  private readonly store: SqliteEventStore;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly fileRoot: string;
  private readonly targetOptions: TargetOptions;
  private readonly dispatcher: Dispatcher;
  private matchers: Array<{ id: string; match: EventMatcher }> = [];
  private matchersVersion = -1;
  private readonly targets = new Map<string, { updatedAt: string; target: Target }>();

  constructor(o: EventHubOptions) {
    this.log = o.log;
    this.now = o.now ?? (() => new Date());
    this.fileRoot = path.resolve(o.fileRoot ?? path.dirname(o.file));
    const policy = backoffPolicy(o.backoff);
    const concurrency = o.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new VigilError('INVALID_INPUT', `event delivery concurrency must be a whole number above 0, not ${concurrency}`);
    this.store = new SqliteEventStore(o.file);
    this.targetOptions = { fileRoot: this.fileRoot, now: this.now, timeoutMs: o.timeoutMs ?? DEFAULT_TARGET_TIMEOUT_MS, maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES };
    this.dispatcher = new Dispatcher({
      store: this.store,
      log: this.log,
      now: this.now,
      policy,
      concurrency,
      pollMs: o.pollMs ?? 1000,
      // A send ends within its timeout; a lease outlives it, so only a dispatcher that died leaves one to run out.
      leaseMs: 2 * this.targetOptions.timeoutMs + 5000,
      target: (d) => this.targetFor(d),
      event: (d) => toVigilEvent(d.event),
      ...(o.onOutcome ? { onOutcome: o.onOutcome } : {}),
    });
  }

  /** The enabled routes' matchers, read again whenever any process changed a route. */
  private currentMatchers(): Array<{ id: string; match: EventMatcher }> {
    const v = this.store.routesVersion();
    if (v !== this.matchersVersion) {
      const out: Array<{ id: string; match: EventMatcher }> = [];
      for (const r of this.store.routes()) {
        if (!r.enabled) continue;
        try {
          out.push({ id: r.id, match: compilePattern(r.pattern) });
        } catch (err) {
          this.log.error({ err, route: r.id }, 'a stored event route has a pattern this Vigil refuses; it matches nothing');
        }
      }
      this.matchers = out;
      this.matchersVersion = v;
    }
    return this.matchers;
  }

  private targetFor(d: DueDelivery): Target {
    const cached = this.targets.get(d.route.id);
    if (cached && cached.updatedAt === d.route.updatedAt) return cached.target;
    const target = createTarget(d.route.target as unknown as TargetSpec, this.targetOptions);
    this.targets.set(d.route.id, { updatedAt: d.route.updatedAt, target });
    return target;
  }

  /**
   * Stores the event and a pending delivery to each enabled route that matches it,
   * in one transaction, and wakes the dispatcher. An event id stored before is not
   * stored or routed again.
   */
  publish(e: VigilEvent): { seq: number; deliveries: number; duplicate: boolean } {
    const out = this.store.durable(() => {
      const routes = this.currentMatchers().filter((m) => m.match(e)).map((m) => m.id);
      return this.store.insertEvent({ id: e.id, time: e.time, detailType: e['detail-type'], resources: e.resources, detail: e.detail }, routes, this.now());
    });
    if (out.deliveries) this.dispatcher.kick();
    return out;
  }

  /**
   * Publishes several events in one transaction (one sync to disk for all of them):
   * what a rematch that opens or closes many findings at once should use.
   */
  publishBatch(events: readonly VigilEvent[]): { deliveries: number; duplicates: number } {
    const out = this.store.durable(() => {
      const matchers = this.currentMatchers();
      let deliveries = 0;
      let duplicates = 0;
      for (const e of events) {
        const routes = matchers.filter((m) => m.match(e)).map((m) => m.id);
        const r = this.store.insertEvent({ id: e.id, time: e.time, detailType: e['detail-type'], resources: e.resources, detail: e.detail }, routes, this.now());
        deliveries += r.deliveries;
        if (r.duplicate) duplicates++;
      }
      return { deliveries, duplicates };
    });
    if (out.deliveries) this.dispatcher.kick();
    return out;
  }

  /**
   * Runs `fn` in one store transaction, so every event it publishes (through publish
   * or sink()) is committed, and synced to disk, once: a reconciliation that opens a
   * host's hundreds of findings costs one sync, not one per finding.
   */
  batch<T>(fn: () => T): T {
    return this.store.durable(fn);
  }

  /** An EventSink that publishes here; a failing publish is logged, never thrown at the caller. */
  sink(): EventSink {
    return (detailType, resources, detail, time) => {
      const e: VigilEvent = { version: '0', id: randomUUID(), source: 'vigil', 'detail-type': detailType, time, resources, detail };
      try {
        this.publish(e);
      } catch (err) {
        this.log.error({ err, event: e.id }, 'cannot store an event');
      }
    };
  }

  private validRoute(input: RouteInput, id: string, createdAt: string): RouteRecord {
    if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > NAME_MAX) throw new VigilError('INVALID_INPUT', `an event route needs a name of 1 to ${NAME_MAX} characters`);
    if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw new VigilError('INVALID_INPUT', 'an event route is enabled true or false');
    compilePattern(input.pattern);
    const parsed = typeof input.pattern === 'string' ? (JSON.parse(input.pattern) as unknown) : input.pattern;
    const target = parseTarget(input.target, { fileRoot: this.fileRoot });
    return { id, name: input.name.trim(), pattern: parsed, target: target as unknown as Record<string, unknown>, enabled: input.enabled ?? true, createdAt, updatedAt: this.now().toISOString() };
  }

  private shown(r: RouteRecord): RouteView {
    return { ...r, target: redactTarget(r.target as unknown as TargetSpec) };
  }

  readonly routes = {
    /** Validates and stores a route; the answer is the only one that shows a webhook's secret. */
    create: (input: RouteInput): RouteView => {
      const now = this.now().toISOString();
      const r = this.validRoute(input, randomUUID(), now);
      this.store.insertRoute(r);
      this.log.info({ route: r.id, target: String(r.target.type) }, 'event route created');
      return r;
    },
    /** Replaces what `patch` names; a webhook target given without a secret keeps the one it had. */
    update: (id: string, patch: Partial<RouteInput>): RouteView => {
      const old = this.store.route(id);
      if (!old) throw new VigilError('NOT_FOUND', `unknown event route ${id}`);
      let target = patch.target ?? old.target;
      if (patch.target !== undefined && typeof patch.target === 'object' && patch.target !== null) {
        const t = patch.target as Record<string, unknown>;
        if (t.type === 'webhook' && t.secret === undefined && old.target.type === 'webhook') target = { ...t, secret: old.target.secret };
      }
      const r = this.validRoute({ name: patch.name ?? old.name, pattern: patch.pattern ?? old.pattern, target, enabled: patch.enabled ?? old.enabled }, id, old.createdAt);
      this.store.updateRoute(r);
      this.targets.delete(id);
      this.log.info({ route: id, target: String(r.target.type), state: r.enabled ? 'enabled' : 'disabled' }, 'event route changed');
      if (r.enabled) this.dispatcher.kick();
      return this.shown(r);
    },
    /** Removes the route and its deliveries. */
    delete: (id: string): void => {
      this.store.deleteRoute(id);
      this.targets.delete(id);
      this.log.info({ route: id }, 'event route deleted');
    },
    get: (id: string): RouteView => {
      const r = this.store.route(id);
      if (!r) throw new VigilError('NOT_FOUND', `unknown event route ${id}`);
      return this.shown(r);
    },
    list: (): RouteView[] => this.store.routes().map((r) => this.shown(r)),
  };

  events(q: EventQuery = {}): Page<StoredEvent> {
    const page = this.store.events(q);
    return { items: page.items.map((r) => ({ ...toVigilEvent(r), seq: r.seq })), ...(page.next ? { next: page.next } : {}) };
  }

  deliveries(q: DeliveryQuery = {}): Page<DeliveryRecord> {
    return this.store.deliveries(q);
  }

  /** The dead letters: deliveries given up, oldest first. */
  deadLetters(q: Omit<DeliveryQuery, 'state'> = {}): Page<DeliveryRecord> {
    return this.store.deliveries({ ...q, state: 'dead' });
  }

  /** Queues a dead or delivered delivery again, due now, with its attempts and age counted afresh (CONFLICT while it is pending). */
  redeliver(deliveryId: number): DeliveryRecord {
    if (!Number.isSafeInteger(deliveryId) || deliveryId < 1) throw new VigilError('INVALID_INPUT', `"${deliveryId}" is not a delivery id`);
    const d = this.store.requeue(deliveryId, this.now());
    this.log.info({ delivery: d.id, route: d.routeId, event: d.eventId }, 'event delivery queued again');
    this.dispatcher.kick();
    return d;
  }

  /** Deletes the events published before `before` that have no delivery pending, with their deliveries. */
  prune(before: Date): number {
    const n = this.store.prune(before);
    if (n) this.log.info({ entries: n }, 'old events deleted');
    return n;
  }

  /** How many deliveries are in each state. */
  counts(): Record<DeliveryState, number> {
    return this.store.counts();
  }

  /** Starts sending; pending deliveries left by an earlier run are sent too. */
  start(): void {
    this.dispatcher.start();
  }

  /** Stops sending and waits for the sends under way to finish and be recorded. */
  stop(): Promise<void> {
    return this.dispatcher.stop();
  }

  /** Stops, then closes the database. */
  async close(): Promise<void> {
    await this.stop();
    this.store.close();
  }
}
