/**
 * API v1 from the browser. Signing in sends the pasted API token once, to POST
 * /api/v1/session, which answers a session cookie (HttpOnly: this code never sees it)
 * and the session's CSRF token. Nothing is kept in web storage: every request sends
 * the cookie (same origin only) and every mutation the CSRF token, which lives in this
 * page's memory and is asked for again (GET /api/v1/session) when the page reloads.
 */

export type Role = 'viewer' | 'operator' | 'admin';
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Who is signed in, as GET /api/v1/session answers. */
export interface Me {
  tokenId: string;
  name: string;
  role: Role;
  tags?: string[];
  csrfToken?: string;
  expiresAt?: string;
}

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

export interface Stats {
  takenAt: string;
  staleAfterSeconds: number;
  daysBack: number;
  open: SeverityCounts;
  kevOpen: number;
  suppressed: number;
  exposedCriticalHosts: number;
  hosts: { total: number; seenSince: number; stale: number; revoked: number };
  agentVersions: Array<{ version: string; hosts: number }>;
  feeds: Array<{ feed: string; newestAt: string; basis: 'record' | 'import'; ageSeconds: number; importedAt: string; importAgeSeconds: number }>;
  riskiestHosts: Array<{ id: string; hostname: string; maxScore: number; critical: number; high: number; open: number }>;
  topVulnerabilities: Array<{ vulnerability: string; hosts: number; findings: number; severity: Severity; maxScore: number; kev: boolean }>;
  openedByDay: Array<{ day: string; findings: number }>;
  problems: string[];
}

/** GET /api/v1/stats/trend?days=30|90: the numbers the server recorded once a UTC day; a day it did not record is absent. */
export interface Trend {
  takenAt: string;
  days: number;
  /** The first and last UTC day of the window (YYYY-MM-DD). */
  from: string;
  to: string;
  source: string;
  series: Array<{
    day: string;
    takenAt: string;
    open: SeverityCounts;
    kevOpen: number;
    suppressed: number;
    hosts: { total: number; seenSince: number; stale: number; revoked: number };
  }>;
}

interface Timing {
  meanSeconds: number | null;
  medianSeconds: number | null;
}

/** GET /api/v1/stats/kpis?days=30|90: remediation over the window, each part naming its source. */
export interface Kpis {
  takenAt: string;
  days: number;
  since: string;
  slaDays: Partial<Record<Severity, number>>;
  mttr: { source: string; excludes: string[]; severities: Array<{ severity: Severity; closed: number } & Timing> };
  timeToDetect: {
    advisoryPublished: { source: string; severities: Array<{ severity: Severity; opened: number; withPublished: number } & Timing> };
    packageInstalled: { source: string; known: number; opened: number; reason: string };
  };
  slaCompliance: {
    source: string;
    severities: Array<{
      severity: Severity;
      slaDays: number | null;
      open: number;
      openWithinSla: number;
      openShare: number | null;
      closed: number;
      closedWithinSla: number;
      closedShare: number | null;
      oldestOpenSince: string | null;
    }>;
  };
}

export interface FindingCounts {
  severity: SeverityCounts;
  status: { ACTIVE: number; SUPPRESSED: number; CLOSED: number };
}

export interface Episode {
  episode: number;
  firstSeen: string;
  lastSeen: string;
  closedAt?: string;
  closeReason?: string;
}

export interface Finding {
  id: string;
  vulnerability: string;
  aliases: string[];
  component: { purl: string; ecosystem: string; name: string; version: string; locations: string[]; source?: { name: string; version?: string } };
  installedVersion: string;
  fixedVersion?: string;
  status: string;
  severity: Severity;
  severitySource?: string;
  ratings?: Array<{ kind: string; severity: Severity; label: string; from: string; chosen?: boolean }>;
  cvss?: { version: string; vector: string; score: number; source?: string };
  scoreReasons?: string[];
  kev?: { dateAdded: string; dueDate: string; ransomware: string };
  epss?: { score: number; percentile: number; date: string };
  exposure: string;
  inUse: boolean;
  score: number;
  remediation?: string;
  summary?: string;
  matches: Array<{ source: string; record: string; namespace: string; package: string; via: string; comparedVersion: string; scheme: string; status: string; rule: string; fixedVersion?: string }>;
}

export interface HostFinding {
  hostId: string;
  id: string;
  status: 'ACTIVE' | 'SUPPRESSED' | 'CLOSED';
  firstSeen: string;
  lastSeen: string;
  closedAt?: string;
  closeReason?: string;
  episode: number;
  episodes: Episode[];
  finding: Finding;
}

export interface HostSummary {
  id: string;
  hostname: string;
  os?: string;
  kernel?: string;
  agentVersion: string;
  tags: string[];
  state: string;
  enrolledAt: string;
  lastSeenAt: string;
  revokedAt?: string;
  components: number;
  findings: SeverityCounts;
  connected: boolean;
}

export interface HostDetail extends HostSummary {
  facts: {
    host?: { hostname: string; os: string; arch: string; addresses: string[]; kernel?: string };
    os?: Record<string, unknown>;
    kernel?: { running?: string };
    ports?: Array<{ protocol: string; address: string; port: number; exposure: string; process?: string; executable?: string; package?: string }>;
    inUse?: string[];
  };
  coverage?: { problems?: Array<{ code?: string; message?: string }> } & Record<string, unknown>;
}

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
