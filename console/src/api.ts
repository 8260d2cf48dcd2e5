/**
 * API v1 from the browser. Signing in sends the pasted API token once, to POST
 * /api/v1/session, which answers a session cookie (HttpOnly: this code never sees it)
 * and the session's CSRF token. Nothing is kept in web storage: every request sends
 * the cookie (same origin only) and every mutation the CSRF token, which lives in this
 * page's memory and is asked for again (GET /api/v1/session) when the page reloads.
 */

import type { components, paths } from './api-schema';

export type Role = Schema<'ApiToken'>['role'];
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Who is signed in, as GET /api/v1/session answers. */
export type Me = Answer<'/api/v1/session'>;

let me: Me | undefined;

export const session = {
  current: (): Me | undefined => me,
  /** Whether the signed-in token's role reaches `role` (the API decides anyway). */
  can: (role: Role): boolean => me !== undefined && RANK[me.role] >= RANK[role],
  async signIn(token: string): Promise<Me> {
    me = await apiSend<Me>('POST', 'session', { token });
    return me;
  },
  /** The session the browser's cookie holds, if it still works; else why not (nothing when there was no cookie). */
  async resume(): Promise<{ me?: Me; ended?: string }> {
    try {
      me = await apiGet<Me>('session');
      return { me };
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      me = undefined;
      return /^missing /.test(err.message) ? {} : { ended: err.message };
    }
  },
  async signOut(): Promise<void> {
    try {
      if (me) await apiSend('DELETE', 'session');
    } finally {
      me = undefined;
    }
  },
  forget(): void {
    me = undefined;
  },
};

/** An answer the API refused, from its problem+json body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

export type Query = Record<string, string | undefined>;

/** `/api/v1/<path>?<query>` on this origin. */
export function apiUrl(path: string, query: Query = {}): URL {
  const u = new URL(`/api/v1/${path}`, location.origin);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
  return u;
}

async function answer<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const p = (body ?? {}) as { code?: string; detail?: string };
    throw new ApiError(res.status, p.code ?? 'HTTP', p.detail ?? `${res.status} ${res.statusText}`);
  }
  return body as T;
}

/** GET /api/v1/<path>?<query> with the session cookie. */
export async function apiGet<T>(path: string, query: Query = {}): Promise<T> {
  return answer<T>(await fetch(apiUrl(path, query), { credentials: 'same-origin', headers: { accept: 'application/json' } }));
}

/** A mutation (POST, DELETE) with the session cookie and its CSRF token. */
export async function apiSend<T>(method: 'POST' | 'DELETE', path: string, body?: unknown, query: Query = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (me?.csrfToken) headers['x-csrf-token'] = me.csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return answer<T>(await fetch(apiUrl(path, query), { method, credentials: 'same-origin', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
}

/** `/api/v1/...` as the user could call it, for "source" notes. */
export function apiPath(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return `GET /api/v1/${path}${s ? `?${s}` : ''}`;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'negligible' | 'unknown';
export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'];
export type SeverityCounts = Record<Severity | 'total', number>;

/** The JSON a route of API v1 answers with 200, as its OpenAPI document says (api-schema.ts, generated). */
export type Answer<P extends keyof paths, M extends keyof paths[P] = 'get' & keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

export type Stats = Answer<'/api/v1/stats'>;
/** GET /api/v1/stats/trend?days=30|90: the numbers the server recorded once a UTC day; a day it did not record is absent. */
export type Trend = Answer<'/api/v1/stats/trend'>;
/** GET /api/v1/stats/kpis?days=30|90: remediation over the window, each part naming its source. */
export type Kpis = Answer<'/api/v1/stats/kpis'>;
export type FindingCounts = Answer<'/api/v1/stats/findings'>;
export type HostFinding = Schema<'HostFinding'>;
export type Finding = Schema<'Finding'>;
export type Episode = HostFinding['episodes'][number];
export type HostSummary = Schema<'HostSummary'>;
export type HostDetail = Schema<'HostDetail'>;

/**
 * A live stream of API v1 (text/event-stream) with the session cookie, as EventSource
 * sends it on this origin; the browser reconnects on its own with Last-Event-ID, and
 * the server sends what was missed. `on` maps event names to handlers of their JSON
 * data; `onState` hears whether the stream is open. Returns what closes it.
 */
export function apiEvents(path: string, on: Record<string, (data: any) => void>, onState?: (open: boolean) => void): () => void {
  const es = new EventSource(apiUrl(path));
  for (const [name, fn] of Object.entries(on)) es.addEventListener(name, (e) => fn(JSON.parse((e as MessageEvent<string>).data)));
  es.onopen = () => onState?.(true);
  es.onerror = () => onState?.(false);
  return () => es.close();
}
