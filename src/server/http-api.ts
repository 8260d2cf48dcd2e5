import { timingSafeEqual, createHash } from 'node:crypto';
import http from 'node:http';
import type { Logger } from 'pino';
import type { Severity } from '../advisories/model.js';
import { remediationPlan } from '../matcher/remediation.js';
import { VigilError, describeError, errorCodeOf, httpStatusOf } from '../common/errors.js';
import type { FindingFilter, FindingStatus } from '../store/fleet-store.js';
import type { AgentStreams } from './connect-service.js';
import type { PatchRequest } from './patch-service.js';
import type { RolloutSpec } from './rollout.js';
import type { FleetRemote } from './worker-client.js';

/**
 * The HTTP JSON API the CLI and the console use. Every route but /api/v1/health
 * needs `Authorization: Bearer <token>`. Request bodies are not read: every
 * operation is a path plus query parameters, so there is nothing to bound. An error
 * answers with its code's HTTP status and `{"error": "<one line>", "code": "<code>"}`
 * (the catalog in src/common/errors.ts).
 *
 *   GET  /api/v1/health
 *   GET  /api/v1/hosts[?tag=]
 *   GET  /api/v1/hosts/ID
 *   POST /api/v1/hosts/ID/rescan[?timeout=SECONDS]
 *   POST /api/v1/hosts/ID/revoke         (its open findings close as host-revoked)
 *   DELETE /api/v1/hosts/ID              (409 unless revoked; answers what it removed)
 *   GET  /api/v1/hosts/ID/findings/FID   (one finding with every episode)
 *   GET  /api/v1/findings[?host=&severity=&status=&cve=&tag=]   (severity and status take comma lists)
 */
export interface ApiOptions {
  fleet: FleetRemote;
  streams: AgentStreams;
  token: string;
  log: Logger;
  /** Called after a job is created or changes state, so the rollout moves at once. */
  onJobChange?: () => void;
}

const SEVERITIES = new Set<Severity>(['critical', 'high', 'medium', 'low', 'negligible', 'unknown']);
const STATUSES = new Set<FindingStatus>(['ACTIVE', 'CLOSED', 'SUPPRESSED']);
const HOST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** A request the API refuses: a malformed parameter, a path no route serves, a wrong token. */
function refused(code: 'INVALID_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED', message: string): VigilError {
  return new VigilError(code, message);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function createApi(opts: ApiOptions): http.Server {
  const expected = digest(opts.token);
  const server = http.createServer((req, res) => {
    const send = (code: number, body: unknown): void => {
      const text = JSON.stringify(body) + '\n';
      res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(text);
    };
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://api');
      const parts = url.pathname.split('/').filter(Boolean);
      if (parts[0] !== 'api' || parts[1] !== 'v1') throw refused('NOT_FOUND', `no route ${url.pathname}`);
      const route = parts.slice(2);
      if (route.length === 1 && route[0] === 'health' && req.method === 'GET') {
        return send(200, { ok: true, connectedAgents: opts.streams.connected().length });
      }
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      // Hashing both sides gives equal lengths, so the comparison is constant-time for any input.
      if (!auth || !timingSafeEqual(digest(auth[1]!), expected)) throw refused('UNAUTHENTICATED', 'missing or wrong bearer token');
      const q = url.searchParams;
      if (route[0] === 'hosts') {
        const connected = new Set(opts.streams.connected());
        if (route.length === 1 && req.method === 'GET') {
          const tag = q.get('tag');
          const hosts = await opts.fleet.hosts(tag ? { tag } : {});
          return send(200, { hosts: hosts.map((h) => ({ ...h, connected: connected.has(h.id) })) });
        }
        const id = route[1] ?? '';
        if (!HOST_ID.test(id)) throw refused('INVALID_INPUT', `malformed host id ${JSON.stringify(id.slice(0, 64))}`);
        if (route.length === 2 && req.method === 'GET') return send(200, { ...(await opts.fleet.host(id)), connected: connected.has(id) });
        if (route.length === 2 && req.method === 'DELETE') return send(200, await opts.fleet.deleteHost(id));
        if (route.length === 4 && route[2] === 'findings' && req.method === 'GET') return send(200, await opts.fleet.finding(id, pathPart(route[3]!)));
        if (route.length === 3 && route[2] === 'remediation' && req.method === 'GET') {
          // The host's active findings as the upgrades that fix them (see matcher/remediation.ts).
          await opts.fleet.host(id);
          const active = await opts.fleet.findings({ hostId: id, status: 'ACTIVE' });
          // Stored findings are the matcher's Findings (the store types only what it indexes).
          return send(200, remediationPlan(active.map((s) => s.finding), 'host'));
        }
        if (route.length === 3 && route[2] === 'rescan' && req.method === 'POST') {
          const timeout = Number(q.get('timeout') ?? '300');
          if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) throw refused('INVALID_INPUT', 'timeout must be 1..3600 seconds');
          await opts.fleet.host(id);
          return send(200, await opts.streams.rescan(id, timeout * 1000));
        }
        if (route.length === 3 && route[2] === 'revoke' && req.method === 'POST') {
          const host = await opts.fleet.revoke(id);
          opts.streams.disconnect(id, `agent ${id} was revoked`);
          opts.log.warn({ host: id }, 'host revoked');
          return send(200, host);
        }
      }
      if (route.length === 1 && route[0] === 'findings' && req.method === 'GET') return send(200, { findings: await opts.fleet.findings(findingFilter(q)) });
      if (route[0] === 'jobs') {
        if (route.length === 1 && req.method === 'GET') return send(200, { jobs: await opts.fleet.patchList() });
        if (route.length === 1 && req.method === 'POST') {
          const created = await opts.fleet.patchCreate(patchRequest(q));
          opts.onJobChange?.();
          return send(201, created);
        }
        const id = Number(route[1]);
        if (!Number.isSafeInteger(id) || id <= 0) throw refused('INVALID_INPUT', `malformed job id ${JSON.stringify((route[1] ?? '').slice(0, 32))}`);
        if (route.length === 2 && req.method === 'GET') return send(200, await opts.fleet.patchView(id));
        const action = route[2];
        if (route.length === 3 && req.method === 'POST' && (action === 'pause' || action === 'resume' || action === 'cancel')) {
          const job = await opts.fleet.patchSetState(id, action === 'pause' ? 'paused' : action === 'resume' ? 'running' : 'cancelled');
          opts.onJobChange?.();
          return send(200, job);
        }
      }
      throw refused('NOT_FOUND', `no route ${req.method} ${url.pathname}`);
    })().catch((err: unknown) => {
      // The status and the code's name both come from the catalog (src/common/errors.ts).
      const code = errorCodeOf(err);
      if (code === 'INTERNAL' || code === 'IO') opts.log.error({ err }, 'API request failed');
      if (!res.headersSent) send(httpStatusOf(err), { error: describeError(err), code });
      else res.destroy();
    });
  });
  server.requestTimeout = 3_700_000;
  server.headersTimeout = 10_000;
  return server;
}

/** A percent-encoded path segment (finding ids hold ':'). */
function pathPart(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw refused('INVALID_INPUT', `malformed path segment ${JSON.stringify(raw.slice(0, 64))}`);
  }
}

function list<T extends string>(q: URLSearchParams, name: string, allowed: Set<T>, normalise: (s: string) => string): T[] | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const items = raw.split(',').map((s) => normalise(s.trim()));
  for (const i of items) if (!allowed.has(i as T)) throw refused('INVALID_INPUT', `${name} ${JSON.stringify(i)} is not one of ${[...allowed].join(', ')}`);
  return items as T[];
}

export function findingFilter(q: URLSearchParams): FindingFilter {
  const f: FindingFilter = {};
  const host = q.get('host');
  if (host) f.hostId = host;
  const sev = list(q, 'severity', SEVERITIES, (s) => s.toLowerCase());
  if (sev) f.severity = sev;
  const st = list(q, 'status', STATUSES, (s) => s.toUpperCase());
  if (st) f.status = st;
  const cve = q.get('cve');
  if (cve) f.cve = cve;
  const tag = q.get('tag');
  if (tag) f.tag = tag;
  return f;
}

function num(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw refused('INVALID_INPUT', `${name} must be a number (got ${JSON.stringify(raw.slice(0, 32))})`);
  return n;
}

/** `POST /api/v1/jobs?cve=&severity=&tag=&hosts=a,b&canary=1&waves=2|20%&concurrency=&failure-threshold=0.2&window=CRON&window-minutes=&deadline=&timeout=&ttl=` */
export function patchRequest(q: URLSearchParams): PatchRequest {
  const wavesText = q.get('waves') ?? '1';
  const waves = wavesText.endsWith('%') ? { percent: Number(wavesText.slice(0, -1)) } : { count: Number(wavesText) };
  const rollout: RolloutSpec = {
    canary: num(q, 'canary', 1),
    waves,
    concurrency: num(q, 'concurrency', 10),
    failureThreshold: num(q, 'failure-threshold', 0.2),
    commandTimeoutSeconds: num(q, 'timeout', 1800),
  };
  const win = q.get('window');
  if (win) rollout.window = { cron: win, durationMinutes: num(q, 'window-minutes', 120) };
  const deadline = q.get('deadline');
  if (deadline) rollout.deadline = deadline;
  const req: PatchRequest = { rollout, commandTtlSeconds: num(q, 'ttl', 3600) };
  const cve = q.get('cve');
  if (cve) req.cve = cve;
  const sev = list(q, 'severity', SEVERITIES, (s) => s.toLowerCase());
  if (sev) req.severity = sev;
  const tag = q.get('tag');
  if (tag) req.tag = tag;
  const hosts = q.get('hosts');
  if (hosts) req.hosts = hosts.split(',').map((h) => h.trim()).filter(Boolean);
  if (!req.cve && !req.severity && !req.tag && !req.hosts) throw refused('INVALID_INPUT', 'select what to patch: cve, severity, tag or hosts');
  return req;
}
