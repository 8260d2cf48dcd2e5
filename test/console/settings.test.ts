import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { PKGDB, makeRoot, tempDir } from '../helpers/fixtures.js';
import { enroll, startAgent, startServer, waitFor, type AgentHandle, type ServerHandle } from '../helpers/fleet.js';
import { checkAccessibility as axeCheck, launchBrowser, shot as screenshot, signIn as signInWith, writeAxeResults, type AxeResults } from './browser.js';

/**
 * The console's session sign-in, Settings page, bulk suppress and CSV export in
 * Debian's Chromium (playwright-core) against a real `vigil server run` with a real
 * agent on a Debian 12 root (the real minbase dpkg status): the session cookie is
 * HttpOnly and nothing lands in web storage; findings suppressed from the findings
 * page leave the active counts by exactly what the rule covers and come back when the
 * rule is deleted on the Settings page; the CSV export holds the API's rows for the
 * filter; the CSRF token and the role are enforced on calls made with the cookie;
 * sign-out ends the session. axe-core on every Settings tab and on the findings page
 * with a selection; screenshots in test-output/console/.
 */

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';

interface HostFinding {
  hostId: string;
  id: string;
  status: string;
  finding: { vulnerability: string; aliases: string[]; severity: string; score: number; component: { purl: string; name: string } };
}
interface Rule {
  id: string;
  match: { vulnerabilities?: string[]; purls?: string[]; hosts?: string[] };
  reason: string;
  justification?: string;
  statement?: string;
  author: string;
  expires?: string;
}

let tmp: { dir: string; cleanup: () => void };
let root: { root: string; cleanup: () => void };
let server: ServerHandle;
let agent: AgentHandle;
let second: AgentHandle;
let viewer: string;
let operator: string;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];
const axeResults: AxeResults = {};

const base = (): string => `http://127.0.0.1:${server.apiPort}`;
const consoleUrl = (hash = ''): string => `${base()}/console/${hash}`;
const checkAccessibility = (name: string): Promise<void> => axeCheck(page, name, axeResults);
const shot = (name: string): Promise<void> => screenshot(page, name);

/** Signs in through the form and waits for the header to name the session's token and role. */
async function signIn(token: string, who: string): Promise<void> {
  await signInWith(page, consoleUrl(), token);
  await waitFor(`signed in as ${who}`, async () => (await page.getByTestId('who').textContent().catch(() => null)) === who, 30_000);
}

interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A call to API v1 with a bearer token or a Cookie header (and, if given, an X-CSRF-Token). */
async function call<T>(method: string, route: string, auth: { bearer?: string; cookie?: string; csrf?: string }, query: Record<string, string> = {}, body?: unknown): Promise<Answer<T>> {
  const u = new URL(`${base()}/api/v1/${route}`);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.csrf) headers['x-csrf-token'] = auth.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(u, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // CSV or other text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

async function allFindings(query: Record<string, string>): Promise<HostFinding[]> {
  const out: HostFinding[] = [];
  let cursor: string | undefined;
  do {
    const r = await call<{ findings: HostFinding[]; next?: string }>('GET', 'findings', { bearer: viewer }, { ...query, limit: '1000', ...(cursor ? { cursor } : {}) });
    expect(r.status).toBe(200);
    out.push(...r.body.findings);
    cursor = r.body.next;
  } while (cursor);
  return out;
}

async function activeCount(): Promise<number> {
  const r = await call<{ severity: { total: number } }>('GET', 'stats/findings', { bearer: viewer }, { status: 'ACTIVE' });
  expect(r.status).toBe(200);
  return r.body.severity.total;
}

/** The browser's session cookie as a Cookie header, and the cookie itself. */
async function sessionCookie(): Promise<{ header: string; cookie: Awaited<ReturnType<BrowserContext['cookies']>>[number] } | undefined> {
  const c = (await context.cookies(`${base()}/api/v1/session`)).find((x) => x.name === 'vigil_session');
  return c ? { header: `vigil_session=${c.value}`, cookie: c } : undefined;
}

/** The package at any version, as a purl without its version. */
const anyVersion = (purl: string): string => {
  const at = purl.lastIndexOf('@', purl.search(/[?#]|$/));
  return at < 0 ? purl : purl.slice(0, at) + purl.slice(purl.search(/[?#]|$/));
};

/** What one rule for these vulnerabilities, packages and hosts sets aside: every list matches (a vulnerability by its id or an alias). */
function covered(all: HostFinding[], m: { vulnerabilities: string[]; purls: string[]; hosts: string[] }): HostFinding[] {
  const ids = new Set(m.vulnerabilities.map((v) => v.toUpperCase()));
  return all.filter(
    (f) =>
      (ids.has(f.finding.vulnerability.toUpperCase()) || f.finding.aliases.some((a) => ids.has(a.toUpperCase()))) &&
      m.purls.includes(anyVersion(f.finding.component.purl)) &&
      m.hosts.includes(f.hostId),
  );
}

/** RFC 4180 records of a CSV text. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

async function createToken(role: string, name: string): Promise<string> {
  const created = await vigil(['token', 'create', '--role', role, '--name', name, '--data-dir', server.dir]);
  expect(created.code, created.stderr).toBe(0);
  return created.stdout.trim().split('\n').at(-1)!.trim();
}

let ruleId = '';
let ruleMatch = { vulnerabilities: [] as string[], purls: [] as string[], hosts: [] as string[] };
let activeBefore = 0;

beforeAll(async () => {
  tmp = tempDir('vigil-console-settings-');
  server = await startServer(path.join(tmp.dir, 'server'));
  root = makeRoot({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') } });
  const stateDir = path.join(tmp.dir, 'agent');
  agent = startAgent(await enroll(server, stateDir), stateDir, root.root);
  // A second host on the same root: the same findings, so one rule for a selection across both hosts covers their cross product.
  const secondDir = path.join(tmp.dir, 'agent-2');
  second = startAgent(await enroll(server, secondDir), secondDir, root.root);
  for (const a of [agent, second]) {
    await waitFor('the host inventoried with findings', async () => {
      const h = await server.api<{ findings?: { total: number } }>('GET', `hosts/${a.id}`);
      return h.status === 200 && (h.body.findings?.total ?? 0) >= 10;
    }, 180_000);
  }
  viewer = await createToken('viewer', 'console-viewer');
  operator = await createToken('operator', 'console-operator');
  ({ context, page } = await launchBrowser(path.join(tmp.dir, 'chromium-profile')));
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
}, 400_000);

afterAll(async () => {
  writeAxeResults('axe-settings.json', axeResults);
  await context?.close();
  await second?.proc.kill();
  await agent?.proc.kill();
  await server?.proc.kill();
  root?.cleanup();
  tmp?.cleanup();
});

describe('console sessions, Settings, bulk suppress and CSV export', () => {
  it('signs in with an HttpOnly, SameSite=Strict session cookie and keeps nothing in web storage', async () => {
    await signIn(operator, 'console-operator (operator)');
    const s = await sessionCookie();
    expect(s).toBeDefined();
    expect({ httpOnly: s!.cookie.httpOnly, sameSite: s!.cookie.sameSite, path: s!.cookie.path, secure: s!.cookie.secure }).toEqual({ httpOnly: true, sameSite: 'Strict', path: '/api/', secure: false });
    // 256 bits of base64url.
    expect(s!.cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const storage = (await page.evaluate('JSON.stringify({ session: sessionStorage.length, local: localStorage.length, cookie: document.cookie })')) as string;
    expect(JSON.parse(storage)).toEqual({ session: 0, local: 0, cookie: '' });
    // The page's own HTML and scripts never hold the token either.
    expect(await page.content()).not.toContain(operator);
    const me = await call<{ name: string; role: string; csrfToken: string }>('GET', 'session', { cookie: s!.header });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: 'console-operator', role: 'operator', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('suppresses selected findings as one rule from the findings page: they leave the active list and the count drops by what the rule covers', async () => {
    const active = await allFindings({ status: 'ACTIVE', sort: '-score' });
    activeBefore = await activeCount();
    expect(activeBefore).toBe(active.length);
    // The two rows whose rule (the cross product of their vulnerabilities, packages and hosts) covers the most beyond them:
    // two vulnerabilities of one package, one on each host, also cover each on the other host.
    const pkg = (f: HostFinding) => anyVersion(f.finding.component.purl);
    const matchOf = (pair: HostFinding[]) => ({
      vulnerabilities: [...new Set(pair.map((f) => f.finding.vulnerability))].sort(),
      purls: [...new Set(pair.map(pkg))].sort(),
      hosts: [...new Set(pair.map((f) => f.hostId))].sort(),
    });
    let pair: [HostFinding, HostFinding] = [active[0]!, active[1]!];
    for (let i = 0; i < active.length; i++)
      for (let j = i + 1; j < active.length; j++) if (covered(active, matchOf([active[i]!, active[j]!])).length > covered(active, matchOf(pair)).length) pair = [active[i]!, active[j]!];
    const match = matchOf(pair);
    ruleMatch = match;
    const willCover = covered(active, match);
    expect(willCover.length).toBe(4);

    await page.goto(consoleUrl('#/findings?status=ACTIVE&limit=1000'));
    const rows = page.locator('[data-testid="findings-table"] tbody tr');
    await waitFor('every active finding on one page', async () => (await rows.count()) === active.length);
    for (const f of pair) await page.locator(`tr[data-host="${f.hostId}"][data-finding="${f.id}"] input[type="checkbox"]`).check();
    const extra = page.getByTestId('bulk-extra');
    await waitFor('the count of what else the rule covers', async () => (await extra.getAttribute('data-extra')) !== null);
    expect(Number(await extra.getAttribute('data-extra'))).toBe(willCover.length - 2);
    expect(await extra.textContent()).toBe('It also covers 2 other active findings (a selected vulnerability in another selected package on a selected host).');
    expect(await page.getByTestId('bulk-summary').textContent()).toContain(`2 selected: one rule for vulnerabilities ${match.vulnerabilities.join(', ')}; packages ${match.purls.join(', ')}; hosts ${match.hosts.join(', ')}.`);
    const form = page.getByTestId('bulk-suppress');
    await form.getByLabel('Reason').selectOption('not_affected');
    await form.getByLabel('VEX justification').selectOption('vulnerable_code_not_present');
    await form.getByLabel('Note').fill('the vulnerable code is not built into this image');
    const expires = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('Expires (optional)').fill(expires);
    await checkAccessibility('findings-selection');
    await shot('findings-selection');

    await form.getByRole('button', { name: 'Suppress 2 findings' }).click();
    const outcome = page.getByTestId('bulk-outcome');
    await waitFor('the rule made', async () => /^Rule rule-[0-9a-f]+ suppresses 2 selected findings/.test((await outcome.textContent()) ?? ''));
    ruleId = /^Rule (rule-[0-9a-f]+)/.exec((await outcome.textContent())!)![1]!;
    expect(await outcome.textContent()).toBe(`Rule ${ruleId} suppresses 2 selected findings${willCover.length > 2 ? ` and ${willCover.length - 2} other${willCover.length === 3 ? '' : 's'} it covers` : ''}.`);

    // The API: exactly what the rule covers left the active findings, as SUPPRESSED.
    expect(await activeCount()).toBe(activeBefore - willCover.length);
    const after = await allFindings({ status: 'ACTIVE' });
    const gone = new Set(willCover.map((f) => `${f.hostId} ${f.id}`));
    expect(after.filter((f) => gone.has(`${f.hostId} ${f.id}`))).toEqual([]);
    expect((await allFindings({ status: 'SUPPRESSED' })).map((f) => `${f.hostId} ${f.id}`).sort()).toEqual([...gone].sort());
    const rule = (await call<{ rules: Rule[] }>('GET', 'rules', { bearer: viewer })).body.rules;
    expect(rule).toEqual([
      expect.objectContaining({ id: ruleId, match, reason: 'not_affected', justification: 'vulnerable_code_not_present', statement: 'the vulnerable code is not built into this image', author: 'console-operator', expires }),
    ]);
    // The page: the rows left the open list, and its count is the API's.
    await waitFor('the suppressed rows gone from the list', async () => (await rows.count()) === after.length);
    for (const f of pair) expect(await page.locator(`tr[data-host="${f.hostId}"][data-finding="${f.id}"]`).count()).toBe(0);
    await waitFor('the new count', async () => (await page.getByTestId('counts').locator('[data-count="total"]').textContent()) === (activeBefore - willCover.length).toLocaleString('en'));
  });

  it('shows the rule on the Settings page and deletes it: what it covered is active again', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.waitForURL(/#\/settings$/);
    const row = page.locator(`[data-testid="rules-table"] tr[data-rule="${ruleId}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toBe('not_affected (vulnerable_code_not_present)');
    expect(cells[2]).toBe(`vulnerabilities ${ruleMatch.vulnerabilities.join(', ')}; packages ${ruleMatch.purls.join(', ')}; hosts ${ruleMatch.hosts.join(', ')}`);
    expect(cells[3]).toBe('console-operator');
    expect(cells[5]).not.toBe('never');
    expect(cells[6]).toBe('the vulnerable code is not built into this image');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Settings: Suppression rules');
    await checkAccessibility('settings-rules-operator');
    await shot('settings-rules-operator');
    await row.getByRole('button', { name: `Delete rule ${ruleId}` }).click();
    await waitFor('the rule deleted', async () => (await page.getByTestId('rules-outcome').textContent()) === `Rule ${ruleId} deleted: what it covered is active again.`);
    await waitFor('the row gone', async () => (await row.count()) === 0);
    expect((await call<{ rules: Rule[] }>('GET', 'rules', { bearer: viewer })).body.rules).toEqual([]);
    expect(await activeCount()).toBe(activeBefore);
    expect(await allFindings({ status: 'SUPPRESSED' })).toEqual([]);
  });

  it('exports the CSV of a filtered view: every row the API answers for the filter, in its order', async () => {
    const counts = await call<{ severity: Record<string, number> }>('GET', 'stats/findings', { bearer: viewer }, { status: 'ACTIVE' });
    const severity = (['medium', 'high', 'low', 'critical', 'negligible', 'unknown'] as const).find((s) => (counts.body.severity[s] ?? 0) > 1)!;
    await page.goto(consoleUrl(`#/findings?status=ACTIVE&severity=${severity}&sort=vulnerability`));
    const link = page.getByTestId('export-csv');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`${base()}/api/v1/findings/export.csv?severity=${severity}&status=ACTIVE&sort=vulnerability`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^vigil-findings-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...records] = parseCsv(readFileSync((await download.path())!, 'utf8'));
    const want = await allFindings({ status: 'ACTIVE', severity, sort: 'vulnerability' });
    expect(want.length).toBe(counts.body.severity[severity]);
    const col = (name: string) => header!.indexOf(name);
    for (const c of ['host_id', 'finding_id', 'vulnerability', 'severity', 'status', 'score', 'purl']) expect(col(c), c).toBeGreaterThanOrEqual(0);
    expect(records.map((r) => [r[col('host_id')], r[col('finding_id')], r[col('vulnerability')], r[col('severity')], r[col('status')], Number(r[col('score')]), r[col('purl')]])).toEqual(
      want.map((f) => [f.hostId, f.id, f.finding.vulnerability, f.finding.severity, f.status, f.finding.score, f.finding.component.purl]),
    );
  });

  it('refuses a mutation made with the session cookie but without its CSRF token, and audits it', async () => {
    const s = (await sessionCookie())!;
    const csrf = (await call<{ csrfToken: string }>('GET', 'session', { cookie: s.header })).body.csrfToken;
    const body = { match: { vulnerabilities: ['CVE-2000-0001'] }, reason: 'accepted_risk' };
    const none = await call<{ code: string; detail: string }>('POST', 'rules', { cookie: s.header }, {}, body);
    expect(none.status).toBe(403);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(none.body).toMatchObject({ code: 'PERMISSION_DENIED', detail: expect.stringMatching(/needs the session's CSRF token in X-CSRF-Token/) });
    const wrong = await call<{ code: string }>('POST', 'rules', { cookie: s.header, csrf: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` }, {}, body);
    expect([wrong.status, wrong.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await call<{ rules: Rule[] }>('GET', 'rules', { bearer: viewer })).body.rules).toEqual([]);
    // With the token the same call is made; undone at once.
    const made = await call<Rule>('POST', 'rules', { cookie: s.header, csrf }, {}, body);
    expect(made.status).toBe(201);
    expect((await call('DELETE', `rules/${made.body.id}`, { cookie: s.header, csrf })).status).toBe(200);
    const entries: Array<{ actor: { name: string } | null; method: string; path: string; status: number; code?: string }> = [];
    let cursor: string | undefined;
    do {
      const r = await call<{ entries: typeof entries; next?: string }>('GET', 'audit', { bearer: server.token }, { limit: '1000', ...(cursor ? { cursor } : {}) });
      entries.push(...r.body.entries);
      cursor = r.body.next;
    } while (cursor);
    const refused = entries.filter((e) => e.method === 'POST' && e.path === '/api/v1/rules' && e.status === 403);
    expect(refused.map((e) => [e.actor?.name, e.code])).toEqual([
      ['console-operator', 'PERMISSION_DENIED'],
      ['console-operator', 'PERMISSION_DENIED'],
    ]);
  });

  it('ends the session at sign-out: the old cookie no longer works', async () => {
    const s = (await sessionCookie())!;
    const csrf = (await call<{ csrfToken: string }>('GET', 'session', { cookie: s.header })).body.csrfToken;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    await waitFor('the cookie removed', async () => (await sessionCookie()) === undefined);
    const after = await call<{ code: string }>('GET', 'session', { cookie: s.header });
    expect([after.status, after.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    const mutation = await call<{ code: string }>('POST', 'rules', { cookie: s.header, csrf }, {}, { match: { vulnerabilities: ['CVE-2000-0001'] }, reason: 'accepted_risk' });
    expect([mutation.status, mutation.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    // Loaded afresh, the console asks for a token again.
    await page.goto(consoleUrl('#/settings'));
    await page.getByLabel('API token').waitFor();
  });

  it('shows every Settings tab to an admin with the API\'s rows: tokens created (the secret once) and revoked, the audit log, feeds, event routes', async () => {
    await signIn(server.token, 'api.token (admin)');
    const tabs: Array<[string, string, string[]]> = [
      ['rules', 'Suppression rules', ['rules-table']],
      ['events', 'Event routes and deliveries', ['routes-table', 'deliveries-table']],
      ['feeds', 'Advisory feeds', ['feeds-table']],
      ['tokens', 'API tokens', ['tokens-table']],
      ['audit', 'Audit log', ['audit-table']],
    ];
    for (const [tab, title, tables] of tabs) {
      await page.goto(consoleUrl(`#/settings/${tab}`));
      for (const t of tables) await page.getByTestId(t).waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Settings: ${title}`);
      expect(await page.locator('nav[aria-label="Settings"] a[aria-current="page"]').textContent()).toBe(title);
      if (tab === 'feeds') {
        const stats = await call<{ feeds: Array<{ feed: string }> }>('GET', 'stats', { bearer: viewer });
        expect(stats.body.feeds.length).toBeGreaterThan(0);
        expect(await page.locator('[data-testid="feeds-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-feed')))).toEqual(stats.body.feeds.map((f) => f.feed).sort());
      }
      if (tab === 'audit') {
        const first = await call<{ entries: Array<{ seq: number }>; next?: string }>('GET', 'audit', { bearer: server.token }, { limit: '100' });
        expect(await page.locator('[data-testid="audit-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))))).toEqual(first.body.entries.map((e) => e.seq));
        expect(await page.getByRole('link', { name: 'Next page of audit entries' }).count()).toBe(first.body.next ? 1 : 0);
      }
      await checkAccessibility(`settings-${tab}`);
      await shot(`settings-${tab}`);
    }

    // Tokens: the list is the API's; a new one's secret is shown once and works; revoked, it stops.
    await page.goto(consoleUrl('#/settings/tokens'));
    await page.getByTestId('tokens-table').waitFor();
    const listed = async () => (await call<{ tokens: Array<{ id: string; name: string; revokedAt?: string }> }>('GET', 'tokens', { bearer: server.token }, { limit: '1000' })).body.tokens;
    expect(await page.locator('[data-testid="tokens-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-token')))).toEqual((await listed()).map((t) => t.id));
    const form = page.getByTestId('token-form');
    await form.getByLabel('Name').fill('console-made');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByTestId('token-secret').locator('pre');
    await secret.waitFor();
    const made = (await secret.textContent())!.trim();
    expect((await call<{ name: string; role: string }>('GET', 'session', { bearer: made })).body).toMatchObject({ name: 'console-made', role: 'viewer' });
    const id = (await listed()).find((t) => t.name === 'console-made')!.id;
    await page.locator(`[data-testid="tokens-table"] tr[data-token="${id}"]`).waitFor();
    await checkAccessibility('settings-tokens-secret');
    await shot('settings-tokens-secret');
    await page.getByRole('button', { name: 'Revoke token console-made' }).click();
    await waitFor('the token revoked', async () => (await page.getByTestId('tokens-outcome').textContent()) === 'Token console-made revoked: it and its console sessions stop working now.');
    expect((await listed()).find((t) => t.id === id)!.revokedAt).toBeTruthy();
    expect((await call('GET', 'session', { bearer: made })).status).toBe(401);
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    // Shown once: loaded again, the page has no secret.
    await page.reload();
    await page.getByTestId('tokens-table').waitFor();
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(made);
  });

  it('creates a webhook route on the events tab as an admin, lists its deliveries as the API does and redelivers one', async () => {
    // A webhook receiver on loopback that answers 200 and keeps each event id it was sent.
    const received: string[] = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push((JSON.parse(body) as { id: string }).id);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(consoleUrl('#/settings/events'));
      await page.getByTestId('routes-table').waitFor();
      await page.getByLabel('Name', { exact: true }).fill('console-hook');
      await page.getByLabel('Webhook URL (HTTPS, or HTTP to loopback)').fill(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`);
      await page.getByRole('button', { name: 'Create route' }).click();
      await waitFor('the route created', async () => /^Route console-hook created/.test((await page.getByTestId('routes-outcome').textContent()) ?? ''));
      const routes = (await call<{ routes: Array<{ id: string; name: string }> }>('GET', 'routes', { bearer: server.token })).body.routes;
      expect(routes.map((r) => r.name)).toEqual(['console-hook']);
      await page.locator(`[data-testid="routes-table"] tr[data-route="${routes[0]!.id}"]`).waitFor();
      // A rule made and removed: Finding State Change events, each delivered to the hook.
      const one = (await allFindings({ status: 'ACTIVE' }))[0]!;
      const rule = await call<Rule>('POST', 'rules', { bearer: server.token }, {}, { match: { vulnerabilities: [one.finding.vulnerability], hosts: [one.hostId] }, reason: 'accepted_risk' });
      expect(rule.status).toBe(201);
      expect((await call('DELETE', `rules/${rule.body.id}`, { bearer: server.token })).status).toBe(200);
      type Delivery = { id: number; eventId: string; state: string };
      const delivered = await waitFor('the events delivered', async () => {
        const d = (await call<{ deliveries: Delivery[] }>('GET', 'deliveries', { bearer: server.token }, { limit: '50' })).body.deliveries;
        return d.length >= 2 && d.every((x) => x.state === 'delivered') ? d : undefined;
      });
      expect([...received].sort()).toEqual(delivered.map((d) => d.eventId).sort());
      await page.reload();
      const rows = page.locator('[data-testid="deliveries-table"] tbody tr');
      await waitFor('the deliveries listed', async () => (await rows.count()) === delivered.length);
      expect(await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-delivery'))))).toEqual(delivered.map((d) => d.id));
      await checkAccessibility('settings-events-deliveries');
      await shot('settings-events-deliveries');
      const again = delivered[0]!;
      await page.getByRole('button', { name: `Redeliver delivery ${again.id}` }).click();
      await waitFor('the delivery queued again', async () => /^Delivery \d+ queued again/.test((await page.getByTestId('deliveries-outcome').textContent()) ?? ''));
      await waitFor('the event sent again', () => received.filter((e) => e === again.eventId).length === 2);
      // The dead-letter view is the API's (none here: every delivery succeeded).
      await page.getByLabel('Show').selectOption('dead');
      await page.waitForURL(/#\/settings\/events\?state=dead$/);
      await waitFor('the dead letters listed', async () => (await page.getByText('No delivery in state dead.').count()) === 1);
      expect((await call<{ deliveries: Delivery[] }>('GET', 'deliveries', { bearer: server.token }, { state: 'dead' })).body.deliveries).toEqual([]);
      await page.getByRole('button', { name: 'Delete route console-hook' }).click();
      await waitFor('the route deleted', async () => (await call<{ routes: unknown[] }>('GET', 'routes', { bearer: server.token })).body.routes.length === 0);
    } finally {
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  });

  it('shows a viewer no suppress, create or revoke control, and the API refuses its session\'s mutations with the CSRF token', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    await signIn(viewer, 'console-viewer (viewer)');
    await page.goto(consoleUrl('#/findings?status=ACTIVE'));
    await page.locator('[data-testid="findings-table"] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid="findings-table"] input[type="checkbox"]').count()).toBe(0);
    expect(await page.getByTestId('bulk-suppress').count()).toBe(0);
    await page.goto(consoleUrl('#/settings/rules'));
    await page.getByTestId('rules-table').waitFor();
    expect(await page.getByTestId('rule-form').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    expect(await page.getByTestId('needs-role').textContent()).toMatch(/for the operator role and above; this token \(console-viewer\) has the viewer role/);
    await checkAccessibility('settings-rules-viewer');
    await shot('settings-rules-viewer');
    for (const tab of ['tokens', 'audit', 'events']) {
      await page.goto(consoleUrl(`#/settings/${tab}`));
      await page.getByTestId('needs-role').waitFor();
      expect(await page.getByTestId('token-form').count()).toBe(0);
      expect(await page.getByRole('button', { name: /^(Revoke|Delete|Redeliver|Create)/ }).count()).toBe(0);
    }
    const s = (await sessionCookie())!;
    const csrf = (await call<{ csrfToken: string }>('GET', 'session', { cookie: s.header })).body.csrfToken;
    const suppress = await call<{ code: string; detail: string }>('POST', 'rules', { cookie: s.header, csrf }, {}, { match: { vulnerabilities: ['CVE-2000-0001'] }, reason: 'accepted_risk' });
    expect([suppress.status, suppress.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    expect(suppress.body.detail).toMatch(/needs the operator role; token console-viewer has viewer/);
    const token = await call<{ code: string }>('POST', 'tokens', { cookie: s.header, csrf }, {}, { name: 'from-viewer', role: 'admin' });
    expect([token.status, token.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    const opId = (await call<{ tokens: Array<{ id: string; name: string }> }>('GET', 'tokens', { bearer: server.token }, { limit: '1000' })).body.tokens.find((t) => t.name === 'console-operator')!.id;
    const revoke = await call<{ code: string }>('DELETE', `tokens/${opId}`, { cookie: s.header, csrf });
    expect([revoke.status, revoke.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await call<{ rules: Rule[] }>('GET', 'rules', { bearer: viewer })).body.rules).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
