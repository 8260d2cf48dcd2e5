import { VigilError } from '../common/errors.js';

/** The records of the event database (sqlite-events.ts), its rows and its page cursors. */

export interface EventRecord {
  seq: number;
  id: string;
  time: string;
  detailType: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface RouteRecord {
  id: string;
  name: string;
  pattern: unknown;
  target: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';
export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'delivered', 'dead'];

export interface DeliveryRecord {
  id: number;
  eventSeq: number;
  eventId: string;
  routeId: string;
  state: DeliveryState;
  attempts: number;
  /** When the delivery was queued (or queued again by a redelivery): its age counts from here. */
  queuedAt: string;
  nextAttemptAt: string;
  lastError?: string;
  deliveredAt?: string;
}

/** A pending delivery that is due, with what sending it needs. */
export interface DueDelivery extends DeliveryRecord {
  event: EventRecord;
  route: RouteRecord;
}

export interface Page<T> {
  items: T[];
  /** Give it back as `after` for the next page; absent on the last page. */
  next?: string;
}

export interface EventQuery {
  after?: string;
  limit?: number;
  detailType?: string;
}

export interface DeliveryQuery {
  after?: string;
  limit?: number;
  state?: DeliveryState;
  routeId?: string;
  eventId?: string;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** Cursors are opaque to callers: the kind of list and the last row's key. */
export function encodeCursor(kind: 'e' | 'd', n: number): string {
  return Buffer.from(`${kind}:${n}`).toString('base64url');
}

export function decodeCursor(kind: 'e' | 'd', cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const m = /^([ed]):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m || m[1] !== kind) throw new VigilError('INVALID_INPUT', `"${cursor}" is not a cursor of this list`);
  return Number(m[2]);
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new VigilError('INVALID_INPUT', `limit must be a whole number from 1 to ${MAX_LIMIT}, not ${limit}`);
  return limit;
}

export interface EventRow {
  seq: number;
  id: string;
  time: string;
  detail_type: string;
  resources: string;
  detail: string;
}
export interface RouteRow {
  id: string;
  name: string;
  pattern: string;
  target: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}
export interface DeliveryRow {
  id: number;
  event_seq: number;
  event_id: string;
  route_id: string;
  state: DeliveryState;
  attempts: number;
  queued_at: string;
  next_attempt_at: number;
  last_error: string | null;
  delivered_at: string | null;
}

export const toEvent = (r: EventRow): EventRecord => ({
  seq: r.seq,
  id: r.id,
  time: r.time,
  detailType: r.detail_type,
  resources: JSON.parse(r.resources) as string[],
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

export const toRoute = (r: RouteRow): RouteRecord => ({
  id: r.id,
  name: r.name,
  pattern: JSON.parse(r.pattern) as unknown,
  target: JSON.parse(r.target) as Record<string, unknown>,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function toDelivery(r: DeliveryRow): DeliveryRecord {
  const d: DeliveryRecord = {
    id: r.id,
    eventSeq: r.event_seq,
    eventId: r.event_id,
    routeId: r.route_id,
    state: r.state,
    attempts: r.attempts,
    queuedAt: r.queued_at,
    nextAttemptAt: new Date(r.next_attempt_at).toISOString(),
  };
  if (r.last_error !== null) d.lastError = r.last_error;
  if (r.delivered_at !== null) d.deliveredAt = r.delivered_at;
  return d;
}

