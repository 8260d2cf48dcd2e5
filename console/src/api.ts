/**
 * API v1 from the browser: every request carries the user's API token as a bearer
 * token. The token is kept in sessionStorage, so it lives as long as the tab and is
 * never sent anywhere but this origin's API.
 */

const KEY = 'vigil.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  set: (t: string): void => sessionStorage.setItem(KEY, t),
  clear: (): void => sessionStorage.removeItem(KEY),
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

/** GET /api/v1/<path>?<query>, with `token` or the session's. */
export async function apiGet<T>(path: string, query: Query = {}, token = session.token()): Promise<T> {
  const u = new URL(`/api/v1/${path}`, location.origin);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
  const res = await fetch(u, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
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
