import Database from 'better-sqlite3';
import { VigilError } from '../common/errors.js';
import {
  decodeCursor,
  DELIVERY_STATES,
  encodeCursor,
  pageLimit,
  toDelivery,
  toEvent,
  toRoute,
  type DeliveryQuery,
  type DeliveryRecord,
  type DeliveryRow,
  type DeliveryState,
  type DueDelivery,
  type EventQuery,
  type EventRecord,
  type EventRow,
  type Page,
  type RouteRecord,
  type RouteRow,
} from './sqlite-events-rows.js';
import { claimSchemaVersion, openStoreDatabase } from './sqlite-open.js';

/**
 * The event routing queue in its own SQLite file (`events.db` in the server's data
 * directory; WAL): every event published, the routes that send events on, and one
 * delivery per event and matching route. An event and its deliveries are written in
 * one transaction, so a server that dies after publishing still sends it after a
 * restart; a delivery leaves `pending` only for `delivered` or `dead`.
 *
 * A dispatcher leases the deliveries it takes (`lease_until`), so two dispatchers on
 * one file never send the same delivery at once, and one that died mid-send leaves
 * its deliveries to be taken again when the lease runs out.
 *
 * 1: events, routes, deliveries; meta `routes_version` counts route changes.
 */
export const EVENTS_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, time TEXT NOT NULL,
  detail_type TEXT NOT NULL, resources TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_detail_type ON events (detail_type, seq);
CREATE TABLE IF NOT EXISTS routes (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, pattern TEXT NOT NULL, target TEXT NOT NULL,
  enabled INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_seq INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  route_id TEXT NOT NULL REFERENCES routes (id) ON DELETE CASCADE,
  attempts INTEGER NOT NULL DEFAULT 0, queued_at TEXT NOT NULL, next_attempt_at INTEGER NOT NULL, lease_until INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  last_error TEXT, delivered_at TEXT, UNIQUE (event_seq, route_id));
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS deliveries_by_route ON deliveries (route_id, id);
`;

export type { DeliveryQuery, DeliveryRecord, DeliveryState, DueDelivery, EventQuery, EventRecord, Page, RouteRecord } from './sqlite-events-rows.js';
export { DELIVERY_STATES } from './sqlite-events-rows.js';

const DELIVERY_SELECT = 'SELECT d.*, e.id AS event_id FROM deliveries d JOIN events e ON e.seq = d.event_seq';

export class SqliteEventStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly file: string) {
    // Bookkeeping of sends (leases, attempts) survives a crash of the process; what must
    // also survive a crash of the machine (events, routes) is written by durable().
    this.db = openStoreDatabase(file, { what: 'event database', notOurs: 'is not a Vigil event database' }, { mkdir: true, foreignKeys: true, busyTimeoutMs: 5000 });
    try {
      this.db.exec(SCHEMA);
      // The queue holds events not yet delivered: a layout this Vigil does not know is refused, never dropped.
      claimSchemaVersion(this.db, 'schema', EVENTS_SCHEMA_VERSION, 'schema');
    } catch (err) {
      this.db.close();
      throw new VigilError('INVALID_INPUT', `${file} is not a Vigil event database: ${(err as Error).message}`, { cause: err });
    }
  }

  private stmt<P extends unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st as unknown as Database.Statement<P, R>;
  }

  /** Runs `fn` in one transaction (IMMEDIATE, so two processes never interleave their writes). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Runs `fn` in one transaction whose commit is synced to disk before it returns: an
   * event is published once and only its row remembers it. A lost record of a send
   * costs only a repeat, which at least once allows, so those commits are not synced.
   */
  durable<T>(fn: () => T): T {
    if (this.db.inTransaction) return this.transaction(fn);
    this.db.pragma('synchronous = FULL');
    try {
      return this.transaction(fn);
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  close(): void {
    this.db.close();
  }

  /** Counts every route change, so a process can tell its copy of the routes is stale. */
  routesVersion(): number {
    const r = this.stmt<[], { value: string }>("SELECT value FROM meta WHERE key = 'routes_version'").get();
    return r ? Number(r.value) : 0;
  }

  private bumpRoutes(): void {
    this.stmt("INSERT INTO meta (key, value) VALUES ('routes_version', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1").run();
  }

  /**
   * Stores an event and a pending delivery to each route named, due at once. An event
   * id already stored is not stored again: its seq comes back with `duplicate`.
   */
  insertEvent(e: Omit<EventRecord, 'seq'>, routeIds: readonly string[], now: Date): { seq: number; deliveries: number; duplicate: boolean } {
    return this.durable(() => {
      const known = this.stmt<[string], { seq: number }>('SELECT seq FROM events WHERE id = ?').get(e.id);
      if (known) return { seq: known.seq, deliveries: 0, duplicate: true };
      const seq = Number(
        this.stmt('INSERT INTO events (id, time, detail_type, resources, detail) VALUES (?, ?, ?, ?, ?)').run(e.id, e.time, e.detailType, JSON.stringify(e.resources), JSON.stringify(e.detail)).lastInsertRowid,
      );
      const ins = this.stmt("INSERT INTO deliveries (event_seq, route_id, queued_at, next_attempt_at, state) VALUES (?, ?, ?, ?, 'pending')");
      for (const r of routeIds) ins.run(seq, r, now.toISOString(), now.getTime());
      return { seq, deliveries: routeIds.length, duplicate: false };
    });
  }

  insertRoute(r: RouteRecord): void {
    this.durable(() => {
      this.stmt('INSERT INTO routes (id, name, pattern, target, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        r.id, r.name, JSON.stringify(r.pattern), JSON.stringify(r.target), r.enabled ? 1 : 0, r.createdAt, r.updatedAt,
      );
      this.bumpRoutes();
    });
  }

  updateRoute(r: RouteRecord): void {
    this.durable(() => {
      const res = this.stmt('UPDATE routes SET name = ?, pattern = ?, target = ?, enabled = ?, updated_at = ? WHERE id = ?').run(
        r.name, JSON.stringify(r.pattern), JSON.stringify(r.target), r.enabled ? 1 : 0, r.updatedAt, r.id,
      );
      if (res.changes === 0) throw new VigilError('NOT_FOUND', `unknown event route ${r.id}`);
      this.bumpRoutes();
    });
  }

  /** Removes a route with its deliveries (pending, delivered and dead). */
  deleteRoute(id: string): void {
    this.durable(() => {
      if (this.stmt('DELETE FROM routes WHERE id = ?').run(id).changes === 0) throw new VigilError('NOT_FOUND', `unknown event route ${id}`);
      this.bumpRoutes();
    });
  }

  route(id: string): RouteRecord | undefined {
    const r = this.stmt<[string], RouteRow>('SELECT * FROM routes WHERE id = ?').get(id);
    return r && toRoute(r);
  }

  routes(): RouteRecord[] {
    return this.stmt<[], RouteRow>('SELECT * FROM routes ORDER BY created_at, rowid').all().map(toRoute);
  }

  events(q: EventQuery = {}): Page<EventRecord> {
    const limit = pageLimit(q.limit);
    const after = decodeCursor('e', q.after);
    const rows = q.detailType === undefined
      ? this.stmt<[number, number], EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(after, limit + 1)
      : this.stmt<[number, string, number], EventRow>('SELECT * FROM events WHERE seq > ? AND detail_type = ? ORDER BY seq LIMIT ?').all(after, q.detailType, limit + 1);
    const items = rows.slice(0, limit).map(toEvent);
    return rows.length > limit ? { items, next: encodeCursor('e', items[items.length - 1]!.seq) } : { items };
  }

  event(id: string): EventRecord | undefined {
    const r = this.stmt<[string], EventRow>('SELECT * FROM events WHERE id = ?').get(id);
    return r && toEvent(r);
  }

  deliveries(q: DeliveryQuery = {}): Page<DeliveryRecord> {
    const limit = pageLimit(q.limit);
    if (q.state !== undefined && !DELIVERY_STATES.includes(q.state)) throw new VigilError('INVALID_INPUT', `delivery state must be one of ${DELIVERY_STATES.join(', ')}, not ${String(q.state)}`);
    const where = ['d.id > @after'];
    if (q.state !== undefined) where.push('d.state = @state');
    if (q.routeId !== undefined) where.push('d.route_id = @routeId');
    if (q.eventId !== undefined) where.push('e.id = @eventId');
    const rows = this.stmt<[Record<string, unknown>], DeliveryRow>(`${DELIVERY_SELECT} WHERE ${where.join(' AND ')} ORDER BY d.id LIMIT @limit`).all({
      after: decodeCursor('d', q.after),
      limit: limit + 1,
      ...(q.state !== undefined ? { state: q.state } : {}),
      ...(q.routeId !== undefined ? { routeId: q.routeId } : {}),
      ...(q.eventId !== undefined ? { eventId: q.eventId } : {}),
    });
    const items = rows.slice(0, limit).map(toDelivery);
    return rows.length > limit ? { items, next: encodeCursor('d', items[items.length - 1]!.id) } : { items };
  }

  delivery(id: number): DeliveryRecord | undefined {
    const r = this.stmt<[number], DeliveryRow>(`${DELIVERY_SELECT} WHERE d.id = ?`).get(id);
    return r && toDelivery(r);
  }

  /**
   * Takes up to `limit` pending deliveries of enabled routes due at `nowMs` and not
   * leased, oldest due first, leasing them for `leaseMs`.
   */
  take(nowMs: number, limit: number, leaseMs: number): DueDelivery[] {
    return this.transaction(() => {
      const rows = this.stmt<[number, number, number], DeliveryRow>(
        `SELECT d.*, e.id AS event_id FROM deliveries d JOIN events e ON e.seq = d.event_seq JOIN routes r ON r.id = d.route_id
         WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND d.lease_until <= ? AND r.enabled = 1
         ORDER BY d.next_attempt_at, d.id LIMIT ?`,
      ).all(nowMs, nowMs, limit);
      const lease = this.stmt('UPDATE deliveries SET lease_until = ? WHERE id = ?');
      const ev = this.stmt<[number], EventRow>('SELECT * FROM events WHERE seq = ?');
      const rt = this.stmt<[string], RouteRow>('SELECT * FROM routes WHERE id = ?');
      return rows.map((r) => {
        lease.run(nowMs + leaseMs, r.id);
        return { ...toDelivery(r), event: toEvent(ev.get(r.event_seq)!), route: toRoute(rt.get(r.route_id)!) };
      });
    });
  }

  /** When the next pending delivery of an enabled route can be taken, in epoch ms. */
  nextDue(): number | undefined {
    const r = this.stmt<[], { at: number | null }>(
      `SELECT MIN(MAX(d.next_attempt_at, d.lease_until)) AS at FROM deliveries d JOIN routes r ON r.id = d.route_id
       WHERE d.state = 'pending' AND r.enabled = 1`,
    ).get();
    return r?.at ?? undefined;
  }

  markDelivered(id: number, attempts: number, at: Date): void {
    this.stmt("UPDATE deliveries SET state = 'delivered', attempts = ?, delivered_at = ?, lease_until = 0 WHERE id = ? AND state = 'pending'").run(attempts, at.toISOString(), id);
  }

  markRetry(id: number, attempts: number, nextAtMs: number, error: string): void {
    this.stmt("UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_until = 0 WHERE id = ? AND state = 'pending'").run(attempts, nextAtMs, error, id);
  }

  markDead(id: number, attempts: number, error: string): void {
    this.stmt("UPDATE deliveries SET state = 'dead', attempts = ?, last_error = ?, lease_until = 0 WHERE id = ? AND state = 'pending'").run(attempts, error, id);
  }

  /**
   * Deletes the events published before `before` that have no pending delivery, with
   * their deliveries; returns how many events went.
   */
  prune(before: Date): number {
    return this.transaction(
      () =>
        this.stmt("DELETE FROM events WHERE time < ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = events.seq AND d.state = 'pending')").run(before.toISOString())
          .changes,
    );
  }

  /** Queues a delivery again, due at once, with its attempts and age counted afresh. */
  requeue(id: number, now: Date): DeliveryRecord {
    return this.transaction(() => {
      const res = this.stmt("UPDATE deliveries SET state = 'pending', attempts = 0, queued_at = ?, next_attempt_at = ?, delivered_at = NULL WHERE id = ? AND state != 'pending'").run(now.toISOString(), now.getTime(), id);
      if (res.changes === 0 && this.delivery(id)?.state === 'pending') throw new VigilError('CONFLICT', `event delivery ${id} is still pending`);
      if (res.changes === 0) throw new VigilError('NOT_FOUND', `unknown event delivery ${id}`);
      return this.delivery(id)!;
    });
  }

  counts(): Record<DeliveryState, number> {
    const out: Record<DeliveryState, number> = { pending: 0, delivered: 0, dead: 0 };
    for (const r of this.stmt<[], { state: DeliveryState; n: number }>('SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state').all()) out[r.state] = r.n;
    return out;
  }
}
