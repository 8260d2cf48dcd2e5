import { createHash } from 'node:crypto';
import { VigilError } from '../../common/errors.js';

/**
 * Cursor pagination for every list of the API. A cursor is opaque to clients:
 * base64url of the last item's position plus a digest of the query it was made for,
 * so a cursor replayed with other filters or another sort is refused instead of
 * silently skipping or repeating items. Lists answer `next` while more items follow.
 */

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** The query's identity: its filters and sort, not the cursor or limit. */
export function queryDigest(query: Record<string, unknown>): string {
  const keys = Object.keys(query)
    .filter((k) => k !== 'cursor' && k !== 'limit' && query[k] !== undefined)
    .sort();
  const h = createHash('sha256');
  for (const k of keys) h.update(`${k}=${JSON.stringify(query[k])}\n`);
  return h.digest('base64url').slice(0, 16);
}

export function encodeCursor(position: unknown, query: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ q: queryDigest(query), p: position }), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, query: Record<string, unknown>, check: (p: unknown) => p is T): T | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let doc: { q?: unknown; p?: unknown };
  try {
    doc = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof doc;
  } catch {
    throw new VigilError('INVALID_INPUT', 'cursor is not one this API handed out');
  }
  if (typeof doc !== 'object' || doc === null || !check(doc.p)) throw new VigilError('INVALID_INPUT', 'cursor is not one this API handed out');
  if (doc.q !== queryDigest(query)) throw new VigilError('INVALID_INPUT', 'cursor was made for a query with other filters or another sort; repeat that query or start without a cursor');
  return doc.p;
}

/** `-field` sorts descending, `field` ascending. */
export function parseSort<K extends string>(raw: string | undefined, keys: readonly K[], fallback: string): { key: K; descending: boolean } {
  const text = raw === undefined || raw === '' ? fallback : raw;
  const descending = text.startsWith('-');
  const key = (descending ? text.slice(1) : text) as K;
  if (!keys.includes(key)) throw new VigilError('INVALID_INPUT', `sort ${JSON.stringify(text.slice(0, 40))} is not one of ${keys.join(', ')} (prefix - for descending)`);
  return { key, descending };
}

export interface Position {
  value: string | number;
  id: string;
}

export function isPosition(p: unknown): p is Position {
  const x = p as Position;
  return typeof x === 'object' && x !== null && (typeof x.value === 'string' || typeof x.value === 'number') && typeof x.id === 'string';
}

/**
 * One page of an in-memory list, in keyset order: by `value` (then `id`, unique),
 * starting after `after`. For lists the server holds whole (hosts, jobs, tokens).
 */
export function pageOf<T>(items: T[], key: (t: T) => Position, sort: { descending: boolean }, after: Position | undefined, limit: number): { items: T[]; next?: Position } {
  const cmp = (a: Position, b: Position): number => {
    const v = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    const byValue = sort.descending ? -v : v;
    return byValue !== 0 ? byValue : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  const keyed = items.map((t) => ({ t, k: key(t) })).sort((a, b) => cmp(a.k, b.k));
  const start = after ? keyed.findIndex((x) => cmp(x.k, after) > 0) : 0;
  const rest = start < 0 ? [] : keyed.slice(start);
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return rest.length > limit && last ? { items: page.map((x) => x.t), next: last.k } : { items: page.map((x) => x.t) };
}
