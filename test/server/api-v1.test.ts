import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTree } from '../../src/bench/tree-copy.js';
import { AuditLog } from '../../src/server/audit-log.js';
import { purlName } from '../../src/store/fleet-store.js';
import { rootfsFixture } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { enroll, startAgent, startServer, waitFor, type AgentHandle, type ServerHandle } from '../helpers/fleet.js';

/**
 * API v1 on a real `vigil server run` with one real agent on a debootstrap root: the
 * OpenAPI document validates with an OpenAPI 3.1 validator, every answer this file
 * receives validates against that document, every route answers every role as the
 * matrix below says, lists page with cursors, reads carry ETags, and refused or
 * mutating calls land in the hash-chained audit log.
 */

const REPO = path.resolve(__dirname, '../..');
/** A Prometheus text-format parser (CommonJS, untyped). */
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => unknown;
type Role = 'viewer' | 'operator' | 'admin';
type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>; components: { schemas: Record<string, object> } };

let tmp: { dir: string; cleanup: () => void };
let server: ServerHandle;
let agent: AgentHandle;
let doc: Doc;
const tokens: Record<Role, string> = { viewer: '', operator: '', admin: '' };
const checked: string[] = [];
let ajv: Ajv2020;
const validators = new Map<string, ValidateFunction>();

function vigil(args: string[]): string {
  return execFileSync(process.execPath, [path.join(REPO, 'bin/vigil.js'), ...args], { encoding: 'utf8' }).trim();
}

/** The document's path template a concrete path matches (`/api/v1/hosts/{id}`). */
function templateOf(method: string, p: string): string | undefined {
  return Object.keys(doc.paths).find((t) => doc.paths[t]![method.toLowerCase()] && new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(p));
}

/** Checks an answer against the OpenAPI document: the route's response for this status (or its 4XX/5XX range). */
function validate(method: string, p: string, status: number, body: unknown): void {
  if (status === 304 || status === 204) return;
  const t = templateOf(method, p);
  if (!t) throw new Error(`${method} ${p} is in no path of the OpenAPI document`);
  const responses = doc.paths[t]![method.toLowerCase()]!.responses;
  const r = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (!r) throw new Error(`${method} ${t} documents no ${status} answer`);
  const content = r.content?.['application/json'] ?? r.content?.['application/problem+json'] ?? r.content?.['text/plain'] ?? r.content?.['text/csv'];
  if (!content) throw new Error(`${method} ${t} ${status} has no JSON schema`);
  const key = `${method} ${t} ${status}`;
  let v = validators.get(key);
  // The document's `#/components/...` references resolve against the root they are compiled in.
  if (!v) validators.set(key, (v = ajv.compile({ ...content.schema, components: doc.components })));
  if (!v(body)) throw new Error(`${key}: ${ajv.errorsText(v.errors)}`);
  checked.push(key);
}

async function call(role: Role | 'none' | 'bogus', method: string, route: string, opts: { query?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {}) {
  const u = new URL(`http://127.0.0.1:${server.apiPort}/api/v1/${route}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) u.searchParams.set(k, v);
  const headers: Record<string, string> = { ...opts.headers };
  if (role === 'bogus') headers.authorization = 'Bearer vigil_at_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  else if (role !== 'none') headers.authorization = `Bearer ${tokens[role]}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(u, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  const body = !text ? undefined : /^text\/(plain|csv)/.test(res.headers.get('content-type') ?? '') ? text : (JSON.parse(text) as unknown);
  validate(method, u.pathname, res.status, body);
  return { status: res.status, body: body as Record<string, unknown>, headers: res.headers };
}

/** A call with a session cookie (and CSRF token) instead of a bearer token, its answer checked against the document. */
async function sessionCall(method: string, route: string, opts: { cookie?: string; csrf?: string; body?: unknown; query?: Record<string, string> } = {}) {
  const u = new URL(`http://127.0.0.1:${server.apiPort}/api/v1/${route}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) u.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(u, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  const body = !text ? undefined : /^text\/(plain|csv)/.test(res.headers.get('content-type') ?? '') ? text : (JSON.parse(text) as unknown);
  validate(method, u.pathname, res.status, body);
  return { status: res.status, body: body as Record<string, unknown>, headers: res.headers };
}

/** Signs `token` in; the cookie (name=value) and CSRF token of the new session. */
async function signIn(token: string): Promise<{ cookie: string; csrf: string; body: Record<string, unknown>; setCookie: string }> {
  const r = await sessionCall('POST', 'session', { body: { token } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const setCookie = r.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, csrf: r.body.csrfToken as string, body: r.body, setCookie };
}

/** POST /api/v1/session from another loopback source address (the limit is per address). */
function signInFrom(localAddress: string, token: string): Promise<{ status: number; retryAfter?: string; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify({ token });
    const req = httpRequest(
      { host: '127.0.0.1', port: server.apiPort, localAddress, method: 'POST', path: '/api/v1/session', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          const body = JSON.parse(text) as Record<string, unknown>;
          validate('POST', '/api/v1/session', res.statusCode ?? 0, body);
          resolve({ status: res.statusCode ?? 0, body, ...(res.headers['retry-after'] ? { retryAfter: res.headers['retry-after'] } : {}) });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function auditEntries(): Promise<Array<Record<string, unknown>>> {
  const entries: Array<Record<string, unknown>> = [];
  let cursor: string | undefined;
  do {
    const page = await call('admin', 'GET', 'audit', { query: { limit: '1000', ...(cursor ? { cursor } : {}) } });
    entries.push(...(page.body.entries as Array<Record<string, unknown>>));
    cursor = page.body.next as string | undefined;
  } while (cursor);
  return entries;
}

beforeAll(async () => {
  tmp = tempDir('vigil-api-');
  server = await startServer(path.join(tmp.dir, 'server'));
  const root = path.join(tmp.dir, 'root');
  copyTree(rootfsFixture(), root);
  const id = await enroll(server, path.join(tmp.dir, 'agent'));
  agent = startAgent(id, path.join(tmp.dir, 'agent'), root);
  await waitFor('host inventoried with findings', async () => {
    const h = await server.api<{ seq?: number; findings?: { total: number } }>('GET', `hosts/${id}`);
    return h.status === 200 && (h.body.findings?.total ?? 0) >= 10;
  }, 120_000);
  for (const role of ['viewer', 'operator', 'admin'] as const) tokens[role] = vigil(['token', 'create', '--role', role, '--name', `test-${role}`, '--data-dir', server.dir]);
  const res = await fetch(`http://127.0.0.1:${server.apiPort}/api/v1/openapi.json`);
  doc = (await res.json()) as Doc;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
}, 400_000);

afterAll(async () => {
  await agent?.proc.kill();
  await server?.proc.kill();
  tmp?.cleanup();
});

describe('API v1', () => {
  it('serves an OpenAPI 3.1 document that an OpenAPI validator accepts', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(14);
  });

  it('answers every route to every role as the role matrix says', async () => {
    const host = agent.id;
    // Destructive routes name objects that do not exist: a role allowed through gets
    // 404 (or 400), one refused gets 403 before anything is looked up.
    const matrix: Array<[string, string, Role | 'public', number, { query?: Record<string, string>; body?: unknown }?]> = [
      ['GET', 'health', 'public', 200],
      ['GET', 'hosts', 'viewer', 200],
      ['GET', `hosts/${host}`, 'viewer', 200],
      ['GET', `hosts/${host}/remediation`, 'viewer', 200],
      ['GET', `hosts/${host}/findings/nope`, 'viewer', 404],
      ['GET', 'findings', 'viewer', 200, { query: { limit: '5' } }],
      ['GET', 'jobs', 'viewer', 200],
      ['GET', 'jobs/999999', 'viewer', 404],
      ['GET', 'jobs/999999/events', 'viewer', 404],
      ['GET', 'jobs/preview', 'operator', 400],
      ['GET', 'hosts/a-0000000000000000/events', 'viewer', 404],
      ['GET', `hosts/${host}/inventory`, 'viewer', 200, { query: { q: 'lib', limit: '5' } }],
      ['GET', `hosts/${host}/history`, 'viewer', 200],
      ['POST', 'hosts/a-0000000000000000/rescan', 'operator', 404],
      ['POST', 'jobs', 'operator', 400],
      ['POST', 'jobs/999999/pause', 'operator', 404],
      ['POST', 'jobs/999999/resume', 'operator', 404],
      ['POST', 'jobs/999999/cancel', 'operator', 404],
      ['POST', 'hosts/a-0000000000000000/revoke', 'admin', 404],
      ['DELETE', 'hosts/a-0000000000000000', 'admin', 404],
      ['GET', 'tokens', 'admin', 200],
      ['POST', 'tokens', 'admin', 201, { body: { name: 'matrix', role: 'viewer' } }],
      ['DELETE', 'tokens/000000000000', 'admin', 404],
      ['POST', 'enrolment-tokens', 'admin', 201, { body: {} }],
      ['GET', 'audit', 'admin', 200],
      ['GET', 'events', 'viewer', 200],
      ['GET', 'routes', 'operator', 200],
      ['POST', 'routes', 'admin', 400, { body: { name: 'matrix', pattern: {}, target: { type: 'webhook', url: 'http://127.0.0.1:9/hook' } } }],
      ['DELETE', 'routes/nope', 'admin', 404],
      ['GET', 'deliveries', 'operator', 200],
      ['POST', 'deliveries/999999/redeliver', 'operator', 404],
      ['GET', 'rules', 'viewer', 200],
      ['POST', 'rules', 'operator', 400, { body: { match: {}, reason: 'accepted_risk' } }],
      ['DELETE', 'rules/nope', 'operator', 404],
      ['POST', 'vex', 'operator', 400, { body: {} }],
      ['GET', 'vex', 'viewer', 404, { query: { host: 'a-0000000000000000' } }],
      ['GET', '../../metrics', 'viewer', 200],
      ['GET', 'stats', 'viewer', 200],
      ['GET', 'stats/findings', 'viewer', 200, { query: { severity: 'critical,high', exposure: 'any' } }],
      ['GET', 'stats/trend', 'viewer', 200, { query: { days: '90' } }],
      ['GET', 'stats/kpis', 'viewer', 200],
      ['POST', 'session', 'public', 401, { body: { token: 'vigil_at_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } }],
      ['GET', 'session', 'viewer', 200],
      ['DELETE', 'session', 'viewer', 204],
      ['GET', 'findings/export.csv', 'viewer', 200, { query: { severity: 'critical,high' } }],
      ['GET', 'findings/groups', 'viewer', 200, { query: { by: 'vulnerability', limit: '5' } }],
    ];
    const rank = { viewer: 0, operator: 1, admin: 2 } as const;
    const seen = new Set<string>();
    for (const [method, route, needs, allowed, opts] of matrix) {
      seen.add(`${method} ${templateOf(method, new URL(`http://api/api/v1/${route}`).pathname)}`);
      for (const role of ['none', 'bogus', 'viewer', 'operator', 'admin'] as const) {
        const o = method === 'POST' && route === 'tokens' ? { body: { name: `matrix-${role}`, role: 'viewer' } } : opts;
        const r = await call(role, method, route, o);
        const want = needs === 'public' ? allowed : role === 'none' || role === 'bogus' ? 401 : rank[role] >= rank[needs] ? allowed : 403;
        expect({ method, route, role, status: r.status }).toEqual({ method, route, role, status: want });
        if (want >= 400) expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    }
    // Every route of the document is in the matrix.
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.filter((d) => !seen.has(d))).toEqual([]);
  });

  it('writes each refused and each mutating call to a hash-chained audit log', async () => {
    const denied = await call('viewer', 'POST', `hosts/${agent.id}/rescan`);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'PERMISSION_DENIED', detail: expect.stringMatching(/needs the operator role; token test-viewer has viewer/) });
    const entries: Array<Record<string, unknown>> = [];
    let cursor: string | undefined;
    do {
      const page = await call('admin', 'GET', 'audit', { query: { limit: '50', ...(cursor ? { cursor } : {}) } });
      entries.push(...(page.body.entries as Array<Record<string, unknown>>));
      cursor = page.body.next as string | undefined;
    } while (cursor);
    expect(entries.at(-1)).toMatchObject({
      actor: { name: 'test-viewer', role: 'viewer' },
      method: 'POST',
      route: '/api/v1/hosts/:id/rescan',
      path: `/api/v1/hosts/${agent.id}/rescan`,
      status: 403,
      code: 'PERMISSION_DENIED',
      remote: '127.0.0.1',
    });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(new AuditLog(server.dir).verify()).toBeUndefined();
  });

  it('pages findings with cursors: every finding once, in the sort order, and a cursor only for its own query', async () => {
    const all = (await call('viewer', 'GET', 'findings', { query: { limit: '1000' } })).body.findings as Array<{ hostId: string; id: string; finding: { severity: string } }>;
    expect(all.length).toBeGreaterThanOrEqual(10);
    const paged: typeof all = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await call('viewer', 'GET', 'findings', { query: { limit: '3', ...(cursor ? { cursor } : {}) } });
      paged.push(...(r.body.findings as typeof all));
      cursor = r.body.next as string | undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(all.length / 3));
    expect(paged.map((f) => f.id)).toEqual(all.map((f) => f.id));
    const first = await call('viewer', 'GET', 'findings', { query: { limit: '8', sort: 'severity' } });
    const rank = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'];
    const sev = (first.body.findings as typeof all).map((f) => rank.indexOf(f.finding.severity));
    expect(sev).toEqual([...sev].sort((a, b) => a - b));
    const other = await call('viewer', 'GET', 'findings', { query: { limit: '10', sort: '-severity', cursor: first.body.next as string } });
    expect(other.status).toBe(400);
    expect(other.body.detail).toMatch(/cursor was made for a query with other filters or another sort/);
    const critical = await call('viewer', 'GET', 'findings', { query: { severity: 'critical,high', fixable: 'true', limit: '1000' } });
    for (const f of critical.body.findings as Array<{ finding: { severity: string; fixedVersion?: string } }>) {
      expect(['critical', 'high']).toContain(f.finding.severity);
      expect(f.finding.fixedVersion).toBeTruthy();
    }
  });

  it('filters findings by EPSS score and by whether a process uses the package, in the list, its counts and the CSV export', async () => {
    type Row = { hostId: string; id: string; finding: { severity: string; inUse: boolean; epss?: { score: number } } };
    const all = (await call('viewer', 'GET', 'findings', { query: { limit: '1000', sort: 'vulnerability' } })).body.findings as Row[];
    const scores = all.flatMap((f) => (f.finding.epss ? [f.finding.epss.score] : [])).sort((a, b) => a - b);
    // The fixture's findings carry EPSS scores from the bundled feed, spread so that a middle threshold splits them.
    expect(scores.length).toBeGreaterThan(3);
    const threshold = scores[Math.floor(scores.length / 2)]!;
    const keys = (rows: Row[]) => rows.map((f) => `${f.hostId} ${f.id}`);
    const cases: Array<[Record<string, string>, (f: Row) => boolean]> = [
      [{ epss: String(threshold) }, (f) => (f.finding.epss?.score ?? -1) >= threshold],
      [{ epss: '0' }, (f) => f.finding.epss !== undefined],
      [{ inUse: 'true' }, (f) => f.finding.inUse],
      [{ inUse: 'false' }, (f) => !f.finding.inUse],
      [{ epss: String(threshold), inUse: 'false' }, (f) => (f.finding.epss?.score ?? -1) >= threshold && !f.finding.inUse],
    ];
    for (const [filter, keep] of cases) {
      const want = all.filter(keep);
      const got = (await call('viewer', 'GET', 'findings', { query: { ...filter, limit: '1000', sort: 'vulnerability' } })).body.findings as Row[];
      expect({ filter, rows: keys(got) }).toEqual({ filter, rows: keys(want) });
      const counts = (await call('viewer', 'GET', 'stats/findings', { query: filter })).body as { severity: { total: number } };
      expect({ filter, total: counts.severity.total }).toEqual({ filter, total: want.length });
      const csv = (await call('viewer', 'GET', 'findings/export.csv', { query: filter })).body as unknown as string;
      expect({ filter, lines: csv.split('\r\n').length - 2 }).toEqual({ filter, lines: want.length });
    }
    // The split is real: some findings are at or above the threshold and some below.
    expect(all.filter(cases[0]![1]).length).toBeGreaterThan(0);
    expect(all.filter(cases[0]![1]).length).toBeLessThan(all.length);
    for (const [query, pattern] of [
      [{ epss: '1.5' }, /querystring\/epss must be <= 1/],
      [{ epss: 'high' }, /querystring\/epss must be number/],
      [{ inUse: 'maybe' }, /querystring\/inUse must be boolean/],
    ] as const) {
      const r = await call('viewer', 'GET', 'findings', { query });
      expect([r.status, r.body.code, r.body.detail]).toEqual([400, 'INVALID_INPUT', expect.stringMatching(pattern)]);
    }
  });

  it('groups findings by vulnerability, host or package with counts equal to a recount of the list, paged by cursors, each group the list filtered to its key', async () => {
    type Row = { hostId: string; id: string; finding: { vulnerability: string; severity: string; score: number; kev?: unknown; fixedVersion?: string; component: { purl: string } } };
    type Group = { key: string; hostname?: string; findings: number; hosts: number; severity: string; maxScore: number; kev: boolean; fixable: number };
    const rank = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'];
    const keyOf = { vulnerability: (f: Row) => f.finding.vulnerability, host: (f: Row) => f.hostId, package: (f: Row) => purlName(f.finding.component.purl) };
    const filterOf = { vulnerability: 'vulnerability', host: 'host', package: 'purl' } as const;
    for (const filter of [{}, { status: 'ACTIVE', severity: 'critical,high,medium' }] as Array<Record<string, string>>) {
      const rows = (await call('viewer', 'GET', 'findings', { query: { ...filter, limit: '1000' } })).body.findings as Row[];
      expect(rows.length).toBeGreaterThan(0);
      for (const by of ['vulnerability', 'host', 'package'] as const) {
        const recount = new Map<string, Group & { hostSet: Set<string> }>();
        for (const f of rows) {
          const k = keyOf[by](f);
          const g = recount.get(k) ?? { key: k, findings: 0, hosts: 0, hostSet: new Set<string>(), severity: 'unknown', maxScore: -1, kev: false, fixable: 0 };
          g.findings++;
          g.hostSet.add(f.hostId);
          g.hosts = g.hostSet.size;
          if (rank.indexOf(f.finding.severity) > rank.indexOf(g.severity)) g.severity = f.finding.severity;
          g.maxScore = Math.max(g.maxScore, f.finding.score);
          g.kev ||= f.finding.kev !== undefined;
          if (f.finding.fixedVersion) g.fixable++;
          recount.set(k, g);
        }
        // Small pages, so the cursors are followed.
        const groups: Group[] = [];
        let cursor: string | undefined;
        do {
          const r = await call('viewer', 'GET', 'findings/groups', { query: { ...filter, by, limit: '3', ...(cursor ? { cursor } : {}) } });
          expect(r.status).toBe(200);
          groups.push(...(r.body.groups as Group[]));
          cursor = r.body.next as string | undefined;
        } while (cursor);
        const want = [...recount.values()].map(({ hostSet: _h, ...g }) => g).sort((a, b) => b.findings - a.findings || (a.key < b.key ? 1 : -1));
        expect({ filter, by, groups: groups.map(({ hostname: _n, ...g }) => g) }).toEqual({ filter, by, groups: want });
        if (by === 'host') expect(groups.every((g) => typeof g.hostname === 'string' && g.hostname.length > 0)).toBe(true);
        // Each group is the list filtered to its key.
        for (const g of groups.slice(0, 5)) {
          const counts = (await call('viewer', 'GET', 'stats/findings', { query: { ...filter, [filterOf[by]]: g.key } })).body as { severity: { total: number } };
          expect({ by, key: g.key, n: counts.severity.total }).toEqual({ by, key: g.key, n: g.findings });
        }
      }
    }
    const byScore = (await call('viewer', 'GET', 'findings/groups', { query: { by: 'package', sort: '-maxScore', limit: '1000' } })).body.groups as Group[];
    expect(byScore.map((g) => g.maxScore)).toEqual([...byScore.map((g) => g.maxScore)].sort((a, b) => b - a));
    const first = await call('viewer', 'GET', 'findings/groups', { query: { by: 'vulnerability', limit: '1' } });
    expect(first.body.next).toBeTruthy();
    const replay = await call('viewer', 'GET', 'findings/groups', { query: { by: 'package', limit: '1', cursor: first.body.next as string } });
    expect([replay.status, replay.body.detail]).toEqual([400, expect.stringMatching(/cursor was made for a query with other filters or another sort/)]);
    for (const [query, pattern] of [
      [{}, /querystring must have required property 'by'/],
      [{ by: 'team' }, /querystring\/by must be equal to one of the allowed values/],
      [{ by: 'host', sort: 'hosts' }, /sort "hosts" is not one of findings, maxScore/],
    ] as const) {
      const r = await call('viewer', 'GET', 'findings/groups', { query });
      expect([r.status, r.body.code, r.body.detail]).toEqual([400, 'INVALID_INPUT', expect.stringMatching(pattern)]);
    }
  });

  it('answers reads with an ETag and 304 Not Modified when it still holds', async () => {
    const a = await call('viewer', 'GET', `hosts/${agent.id}`);
    const etag = a.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const b = await call('viewer', 'GET', `hosts/${agent.id}`, { headers: { 'if-none-match': etag! } });
    expect(b.status).toBe(304);
    const c = await call('viewer', 'GET', `hosts/${agent.id}`, { headers: { 'if-none-match': '"other"' } });
    expect(c.status).toBe(200);
  });

  it('refuses unknown parameters, bad values and oversized bodies as problems naming what was wrong', async () => {
    const unknown = await call('viewer', 'GET', 'findings', { query: { sevrity: 'high' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ type: 'urn:vigil:error:INVALID_INPUT', code: 'INVALID_INPUT', detail: expect.stringMatching(/querystring must NOT have additional properties \(sevrity\)/) });
    const limit = await call('viewer', 'GET', 'findings', { query: { limit: '100000' } });
    expect(limit.body.detail).toMatch(/querystring\/limit must be <= 1000/);
    // A body declared larger than the 1 MiB limit is refused from its headers, before any of it is read.
    const big = await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: server.apiPort, method: 'POST', path: '/api/v1/tokens', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        },
      );
      req.on('error', reject);
      req.flushHeaders();
    });
    validate('POST', '/api/v1/tokens', big.status, big.body);
    expect([big.status, big.body.code]).toEqual([400, 'INVALID_INPUT']);
    expect(big.body.detail).toMatch(/body/i);
    const revoked = await call('admin', 'GET', 'tokens');
    const viewer = (revoked.body.tokens as Array<{ id: string; name: string }>).find((t) => t.name === 'test-viewer')!;
    vigil(['token', 'revoke', viewer.id, '--data-dir', server.dir]);
    expect((await call('viewer', 'GET', 'hosts')).status).toBe(401);
  });

  it('confines an operator token with a tag scope to hosts carrying one of its tags, and audits each refusal', async () => {
    const inside = vigil(['token', 'create', '--role', 'operator', '--name', 'scoped-in', '--tag', 'environment=test', '--data-dir', server.dir]);
    const outside = vigil(['token', 'create', '--role', 'operator', '--name', 'scoped-out', '--tag', 'Environment=prod', '--tag', 'team=web', '--data-dir', server.dir]);
    const as = async (token: string, method: string, route: string, opts: { query?: Record<string, string>; body?: unknown } = {}) => {
      const saved = tokens.operator;
      tokens.operator = token;
      try {
        return await call('operator', method, route, opts);
      } finally {
        tokens.operator = saved;
      }
    };
    const listed = (await call('admin', 'GET', 'tokens')).body.tokens as Array<{ name: string; tags?: string[] }>;
    expect(listed.find((t) => t.name === 'scoped-out')!.tags).toEqual(['environment=prod', 'team=web']);
    const id = agent.id;
    const denied = /^token scoped-out acts only on hosts tagged environment=prod or team=web; /;

    const rescan = await as(outside, 'POST', `hosts/${id}/rescan`, { query: { timeout: '60' } });
    expect([rescan.status, rescan.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    expect(rescan.body.detail).toMatch(new RegExp(denied.source + `a rescan touches host ${id} outside it$`));
    expect((await as(inside, 'POST', `hosts/${id}/rescan`, { query: { timeout: '60' } })).status).toBe(200);
    // Reads are not scoped.
    expect((await as(outside, 'GET', `hosts/${id}`)).status).toBe(200);

    const named = await as(outside, 'POST', 'jobs', { query: { hosts: id, severity: 'critical,high,medium,low' } });
    expect([named.status, named.body.detail]).toEqual([403, expect.stringMatching(new RegExp(denied.source + `the job touches host ${id} outside it$`))]);
    // A job chosen by filters is narrowed to the scope rather than refused (test/server/patch-service.test.ts).
    expect((await as(outside, 'POST', 'jobs', { query: { severity: 'critical,high,medium,low' } })).status).not.toBe(403);

    const vuln = ((await call('admin', 'GET', 'findings', { query: { host: id, limit: '1' } })).body.findings as Array<{ finding: { vulnerability: string } }>)[0]!.finding.vulnerability;
    const everywhere = await as(outside, 'POST', 'rules', { body: { match: { vulnerabilities: [vuln] }, reason: 'accepted_risk' } });
    expect([everywhere.status, everywhere.body.detail]).toEqual([403, expect.stringMatching(new RegExp(denied.source + 'a rule without hosts or tags applies to every host'))]);
    const foreign = await as(outside, 'POST', 'rules', { body: { match: { vulnerabilities: [vuln], tags: ['environment=test'] }, reason: 'accepted_risk' } });
    expect(foreign.body.detail).toMatch(/the rule names tag environment=test, which is not in the scope/);
    const byHost = await as(outside, 'POST', 'rules', { body: { match: { vulnerabilities: [vuln], hosts: [id] }, reason: 'accepted_risk' } });
    expect(byHost.body.detail).toMatch(new RegExp(`the rule names host ${id}, outside it`));
    expect((await as(outside, 'POST', 'vex', { body: { '@context': 'https://openvex.dev/ns/v0.2.0' } })).status).toBe(403);
    const mine = await as(inside, 'POST', 'rules', { body: { id: 'scoped-rule', match: { vulnerabilities: [vuln], tags: ['environment=test'] }, reason: 'accepted_risk' } });
    expect(mine.status).toBe(201);
    expect((await as(outside, 'DELETE', 'rules/scoped-rule')).status).toBe(403);
    expect((await as(inside, 'DELETE', 'rules/scoped-rule')).status).toBe(200);

    // Only an operator token takes a scope.
    const viewerScope = await call('admin', 'POST', 'tokens', { body: { name: 'scoped-viewer', role: 'viewer', tags: ['environment=test'] } });
    expect([viewerScope.status, viewerScope.body.detail]).toEqual([400, expect.stringMatching(/only an operator token takes a host tag scope/)]);

    const audit: Array<Record<string, unknown>> = [];
    let cursor: string | undefined;
    do {
      const page = await call('admin', 'GET', 'audit', { query: { limit: '200', ...(cursor ? { cursor } : {}) } });
      audit.push(...(page.body.entries as Array<Record<string, unknown>>));
      cursor = page.body.next as string | undefined;
    } while (cursor);
    const refusals = audit.filter((e) => (e.actor as { name?: string } | null)?.name === 'scoped-out' && e.status === 403);
    expect(refusals.map((e) => `${e.method} ${e.route}`)).toEqual([
      'POST /api/v1/hosts/:id/rescan',
      'POST /api/v1/jobs',
      'POST /api/v1/rules',
      'POST /api/v1/rules',
      'POST /api/v1/rules',
      'POST /api/v1/vex',
      'DELETE /api/v1/rules/:id',
    ]);
    expect(refusals.every((e) => e.code === 'PERMISSION_DENIED' && (e.actor as { tags?: string[] }).tags?.join() === 'environment=prod,team=web')).toBe(true);
  });

  it('serves Prometheus metrics that a Prometheus text-format parser reads, with the fleet as the store holds it', async () => {
    // (The viewer token was revoked above: an operator reads as a viewer does.)
    const r = await call('operator', 'GET', '../../metrics');
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(r.body as unknown as string) as Array<{ name: string; type: string; metrics: Array<{ value?: string; labels?: Record<string, string> }> }>;
    const family = (name: string) => families.find((f) => f.name === name);
    const value = (name: string, labels: Record<string, string>) => Number(family(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);
    expect(value('vigil_hosts', { state: 'online' })).toBe(1);
    expect(value('vigil_agent_streams', {})).toBe(1);
    const active = ((await call('operator', 'GET', 'findings', { query: { status: 'ACTIVE', limit: '1000' } })).body.findings as unknown[]).length;
    const counted = family('vigil_findings')!.metrics.filter((m) => m.labels?.status === 'ACTIVE').reduce((n, m) => n + Number(m.value), 0);
    expect(counted).toBe(active);
    for (const [name, type] of [['vigil_api_request_duration_seconds', 'HISTOGRAM'], ['vigil_match_seconds', 'HISTOGRAM'], ['vigil_advisory_feed_age_seconds', 'GAUGE'], ['vigil_event_deliveries', 'GAUGE']] as const) {
      expect(family(name)?.type, name).toBe(type);
    }
    expect((await call('none', 'GET', '../../metrics')).status).toBe(401);
  });

  it('signs a token in to an HttpOnly, SameSite=Strict session cookie whose mutations need its CSRF token, auditing every attempt', async () => {
    const made = await call('admin', 'POST', 'tokens', { body: { name: 'session-operator', role: 'operator' } });
    const s = await signIn(made.body.token as string);
    expect(s.setCookie).toMatch(/^vigil_session=[A-Za-z0-9_-]{43}; Path=\/api\/; HttpOnly; SameSite=Strict$/);
    expect(s.body).toEqual({ tokenId: made.body.id, name: 'session-operator', role: 'operator', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });
    // Twelve hours from now (the token does not expire).
    expect(Math.abs(Date.parse(s.body.expiresAt as string) - Date.now() - 12 * 3600_000)).toBeLessThan(120_000);
    const me = await sessionCall('GET', 'session', { cookie: s.cookie });
    expect(me.body).toMatchObject({ tokenId: made.body.id, role: 'operator', csrfToken: s.csrf });
    expect((await sessionCall('GET', 'hosts', { cookie: s.cookie })).status).toBe(200);
    // A bearer caller has no session: GET says who it is, without a CSRF token.
    expect((await call('operator', 'GET', 'session')).body).toEqual({ tokenId: expect.any(String), name: 'test-operator', role: 'operator' });

    const rule = { id: 'session-test', match: { vulnerabilities: ['CVE-1999-0001'] }, reason: 'accepted_risk' };
    const bare = await sessionCall('POST', 'rules', { cookie: s.cookie, body: rule });
    expect([bare.status, bare.body.code, bare.body.detail]).toEqual([403, 'PERMISSION_DENIED', "POST /api/v1/rules with a session cookie needs the session's CSRF token in X-CSRF-Token"]);
    expect((await sessionCall('POST', 'rules', { cookie: s.cookie, csrf: `${s.csrf.slice(1)}A`, body: rule })).status).toBe(403);
    const other = await signIn(made.body.token as string);
    expect(other.csrf).not.toBe(s.csrf);
    expect((await sessionCall('POST', 'rules', { cookie: s.cookie, csrf: other.csrf, body: rule })).status).toBe(403);
    const ok = await sessionCall('POST', 'rules', { cookie: s.cookie, csrf: s.csrf, body: rule });
    expect([ok.status, ok.body.author]).toEqual([201, 'session-operator']);
    expect((await sessionCall('DELETE', 'rules/session-test', { cookie: s.cookie, csrf: s.csrf })).status).toBe(200);

    // A viewer's session, CSRF token and all, is refused what a viewer may not do.
    const viewerToken = (await call('admin', 'POST', 'tokens', { body: { name: 'session-viewer', role: 'viewer' } })).body.token as string;
    const v = await signIn(viewerToken);
    expect(v.body.role).toBe('viewer');
    const refused = await sessionCall('POST', 'rules', { cookie: v.cookie, csrf: v.csrf, body: rule });
    expect([refused.status, refused.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    expect(refused.body.detail).toMatch(/needs the operator role; token session-viewer has viewer/);

    const bad = await sessionCall('POST', 'session', { body: { token: 'vigil_at_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect([bad.status, bad.body.code, bad.headers.get('set-cookie')]).toEqual([401, 'UNAUTHENTICATED', null]);
    const audit = await auditEntries();
    const signIns = audit.filter((e) => e.route === '/api/v1/session' && e.method === 'POST');
    expect(signIns.filter((e) => e.status === 201 && (e.actor as { name?: string } | null)?.name === 'session-operator')).toHaveLength(2);
    expect(signIns.at(-1)).toMatchObject({ status: 401, actor: null, code: 'UNAUTHENTICATED' });
    expect(audit.find((e) => e.route === '/api/v1/rules' && e.status === 403 && e.code === 'PERMISSION_DENIED' && (e.actor as { name?: string }).name === 'session-operator')).toBeTruthy();
    // No secret reaches the log: neither the token nor the cookie nor the CSRF token.
    const log = JSON.stringify(audit);
    for (const secret of [made.body.token as string, s.cookie.split('=')[1]!, s.csrf]) expect(log).not.toContain(secret);
    expect(new AuditLog(server.dir).verify()).toBeUndefined();
  });

  it('ends a session at sign-out, when its token is revoked and when its token expires', async () => {
    const made = await call('admin', 'POST', 'tokens', { body: { name: 'session-ends', role: 'viewer' } });
    const a = await signIn(made.body.token as string);
    const b = await signIn(made.body.token as string);
    const out = await sessionCall('DELETE', 'session', { cookie: a.cookie, csrf: a.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('vigil_session=; Max-Age=0; Path=/api/; HttpOnly; SameSite=Strict');
    const after = await sessionCall('GET', 'hosts', { cookie: a.cookie });
    expect([after.status, after.body.detail]).toEqual([401, 'unknown, expired or ended session; sign in again']);
    // Signing out needs the CSRF token too, so another site cannot sign the user out.
    expect((await sessionCall('DELETE', 'session', { cookie: b.cookie })).status).toBe(403);
    expect((await sessionCall('GET', 'hosts', { cookie: b.cookie })).status).toBe(200);
    expect((await call('admin', 'DELETE', `tokens/${made.body.id as string}`)).status).toBe(200);
    const revoked = await sessionCall('GET', 'hosts', { cookie: b.cookie });
    expect([revoked.status, revoked.body.detail]).toEqual([401, 'unknown, revoked or expired API token: the session ended with it']);

    const brief = await call('admin', 'POST', 'tokens', { body: { name: 'session-brief', role: 'viewer', ttlSeconds: 2 } });
    const c = await signIn(brief.body.token as string);
    expect(c.body.expiresAt).toBe(brief.body.expiresAt);
    await waitFor('the token to expire', () => Date.now() > Date.parse(brief.body.expiresAt as string) + 50, 10_000);
    expect((await sessionCall('GET', 'hosts', { cookie: c.cookie })).status).toBe(401);
    expect((await sessionCall('GET', 'hosts', { cookie: 'vigil_session=not-a-session' })).status).toBe(401);
  });

  it('limits failed sign-ins per source address: 10 at once, then 429 with Retry-After', async () => {
    const bogus = 'vigil_at_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await signInFrom('127.0.0.9', bogus)).status);
    expect(statuses).toEqual(new Array(10).fill(401));
    const limited = await signInFrom('127.0.0.9', bogus);
    expect([limited.status, limited.body.code, limited.body.status]).toEqual([429, 'UNAVAILABLE', 429]);
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(limited.body.detail).toMatch(/^too many sign-in attempts from 127\.0\.0\.9; try again in \d+ s$/);
    // Another address is not held back.
    expect((await signInFrom('127.0.0.10', bogus)).status).toBe(401);
  });

  it('exports a findings query as CSV with the rows and columns of vigil report --format csv', async () => {
    const query = { status: 'ACTIVE,SUPPRESSED', severity: 'critical,high,medium' };
    const r = await call('operator', 'GET', 'findings/export.csv', { query });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="vigil-findings-\d{4}-\d{2}-\d{2}\.csv"$/);
    const csv = r.body as unknown as string;
    const lines = csv.split('\r\n');
    expect(lines.at(-1)).toBe('');
    const api = (await call('operator', 'GET', 'findings', { query: { ...query, limit: '1000' } })).body.findings as Array<{ id: string; hostId: string }>;
    expect(api.length).toBeGreaterThan(0);
    // One row per finding, in the API's order (finding_id is the last column; no id holds a comma).
    expect(lines.slice(1, -1).map((l) => `${l.split(',')[0]} ${l.split(',').at(-1)}`)).toEqual(api.map((f) => `${f.hostId} ${f.id}`));
    const report = execFileSync(process.execPath, [path.join(REPO, 'bin/vigil.js'), 'report', '--format', 'csv', '--status', query.status, '--severity', query.severity, '--quiet'], {
      encoding: 'utf8',
      env: { ...process.env, VIGIL_API_URL: `http://127.0.0.1:${server.apiPort}`, VIGIL_API_TOKEN: tokens.operator },
    });
    const reportLines = report.split('\r\n');
    expect(lines[0]).toBe(reportLines[0]);
    expect(lines.slice(1).sort()).toEqual(reportLines.slice(1).sort());
    const bad = await call('operator', 'GET', 'findings/export.csv', { query: { severity: 'severe' } });
    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_INPUT']);
  });

  it('validated every answer it received against the document', () => {
    expect(new Set(checked).size).toBeGreaterThanOrEqual(30);
  });
});
