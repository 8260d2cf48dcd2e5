import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { PKGDB, makeRoot, tempDir } from '../helpers/fixtures.js';
import { enroll, startAgent, startServer, waitFor, type AgentHandle, type ServerHandle } from '../helpers/fleet.js';
import { checkAccessibility as axeCheck, launchBrowser, shot as screenshot, signIn as signInWith, writeAxeResults, type AxeResults } from './browser.js';

/**
 * The web console in a real browser: Debian's Chromium, driven by playwright-core,
 * against a real `vigil server run` with a real `vigil agent run` on a Debian 12 root
 * (the real minbase dpkg status). Every number and row the console shows is held to
 * what API v1 answers the same token; every page is checked by axe-core (no serious
 * or critical violation) and photographed into test-output/console/.
 */

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;

interface HostFinding {
  hostId: string;
  id: string;
  status: string;
  finding: { vulnerability: string; severity: string; score: number; kev?: unknown; remediation?: string; fixedVersion?: string };
}
interface Stats {
  open: Record<string, number>;
  kevOpen: number;
  exposedCriticalHosts: number;
  suppressed: number;
  hosts: { total: number; seenSince: number; stale: number; revoked: number };
  agentVersions: Array<{ version: string; hosts: number }>;
  riskiestHosts: Array<{ id: string; hostname: string; maxScore: number; critical: number; high: number; open: number }>;
  topVulnerabilities: Array<{ vulnerability: string; hosts: number; findings: number; maxScore: number }>;
  feeds: Array<{ feed: string }>;
}

let tmp: { dir: string; cleanup: () => void };
let root: { root: string; cleanup: () => void };
let server: ServerHandle;
let agent: AgentHandle;
let viewer: string;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];
const axeResults: AxeResults = {};

const consoleUrl = (hash = ''): string => `http://127.0.0.1:${server.apiPort}/console/${hash}`;

/** GET /api/v1/<route> as the viewer, every page of a list followed. */
async function api<T>(route: string, query: Record<string, string> = {}): Promise<T> {
  const u = new URL(`http://127.0.0.1:${server.apiPort}/api/v1/${route}`);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  const res = await fetch(u, { headers: { authorization: `Bearer ${viewer}` } });
  expect(res.status, `${u.pathname}${u.search}`).toBe(200);
  return (await res.json()) as T;
}

async function allFindings(query: Record<string, string>): Promise<HostFinding[]> {
  const out: HostFinding[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<{ findings: HostFinding[]; next?: string }>('findings', { ...query, limit: '1000', ...(cursor ? { cursor } : {}) });
    out.push(...page.findings);
    cursor = page.next;
  } while (cursor);
  return out;
}

const checkAccessibility = (name: string): Promise<void> => axeCheck(page, name, axeResults);
const shot = (name: string): Promise<void> => screenshot(page, name);
const signIn = (token: string): Promise<void> => signInWith(page, consoleUrl(), token);

beforeAll(async () => {
  tmp = tempDir('vigil-console-');
  server = await startServer(path.join(tmp.dir, 'server'));
  root = makeRoot({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') } });
  const stateDir = path.join(tmp.dir, 'agent');
  agent = startAgent(await enroll(server, stateDir), stateDir, root.root);
  await waitFor('the host inventoried with findings', async () => {
    const h = await server.api<{ findings?: { total: number } }>('GET', `hosts/${agent.id}`);
    return h.status === 200 && (h.body.findings?.total ?? 0) >= 10;
  }, 180_000);
  const created = await vigil(['token', 'create', '--role', 'viewer', '--name', 'console-viewer', '--data-dir', server.dir]);
  expect(created.code, created.stderr).toBe(0);
  viewer = created.stdout.trim().split('\n').at(-1)!.trim();
  ({ context, page } = await launchBrowser(path.join(tmp.dir, 'chromium-profile')));
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
}, 400_000);

afterAll(async () => {
  writeAxeResults('axe.json', axeResults);
  await context?.close();
  await agent?.proc.kill();
  await server?.proc.kill();
  root?.cleanup();
  tmp?.cleanup();
});

describe('web console', () => {
  it('is served at /console/ with a strict Content-Security-Policy, index.html revalidated and hashed assets cached for a year', async () => {
    const index = await fetch(consoleUrl());
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    // No inline script: every script is a file of the build.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(`http://127.0.0.1:${server.apiPort}${asset}`);
    expect([js.status, js.headers.get('content-type'), js.headers.get('cache-control')]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    const missing = await fetch(consoleUrl('assets/none.js'));
    expect([missing.status, missing.headers.get('cache-control')]).toEqual([404, 'no-cache']);
    expect((await fetch(consoleUrl('../api/v1/hosts'))).status).toBe(401);
  });

  it('refuses a bad token with a visible error and keeps the sign-in form', async () => {
    await signIn('vigil_at_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^The server refused this token: unknown, revoked or expired API token/);
    expect(await page.getByRole('alert').count()).toBe(1);
    await checkAccessibility('login');
    await shot('login-refused');
  });

  it('signs in with a viewer token and shows the dashboard numbers the API answers', async () => {
    await signIn(viewer);
    await page.locator('[data-kpi="open-total"]').waitFor();
    const stats = await api<Stats>('stats');
    const kpi = async (id: string) => Number((await page.locator(`[data-kpi="${id}"] .kpi-value`).textContent())!.replace(/,/g, ''));
    // The numbers are the API's, and the API's are what the findings list holds.
    const active = await allFindings({ status: 'ACTIVE' });
    expect(await kpi('open-total')).toBe(stats.open.total);
    expect(stats.open.total).toBe(active.length);
    for (const s of SEVERITIES) {
      expect(await kpi(`open-${s}`), s).toBe(stats.open[s]);
      expect(stats.open[s], s).toBe(active.filter((f) => f.finding.severity === s).length);
    }
    expect(await kpi('kev-open')).toBe(stats.kevOpen);
    expect(stats.kevOpen).toBe(active.filter((f) => f.finding.kev).length);
    expect(stats.kevOpen).toBe((await allFindings({ status: 'ACTIVE', kev: 'true' })).length);
    expect(await kpi('exposed-critical-hosts')).toBe(stats.exposedCriticalHosts);
    expect(stats.exposedCriticalHosts).toBe(new Set((await allFindings({ status: 'ACTIVE', severity: 'critical', exposure: 'any' })).map((f) => f.hostId)).size);
    const hosts = (await api<{ hosts: Array<{ id: string; agentVersion: string; state: string }> }>('hosts', { limit: '1000' })).hosts;
    expect([await kpi('hosts-total'), await kpi('hosts-seen'), await kpi('hosts-stale'), await kpi('hosts-revoked')]).toEqual([stats.hosts.total, stats.hosts.seenSince, stats.hosts.stale, stats.hosts.revoked]);
    expect(stats.hosts).toEqual({ total: hosts.length, seenSince: 1, stale: 0, revoked: 0 });
    expect(stats.agentVersions).toEqual([{ version: hosts[0]!.agentVersion, hosts: 1 }]);
    // Top vulnerabilities: by hosts affected, then the highest score, then the id.
    const byVuln = new Map<string, { hosts: Set<string>; findings: number; maxScore: number }>();
    for (const f of active) {
      const v = byVuln.get(f.finding.vulnerability) ?? { hosts: new Set(), findings: 0, maxScore: 0 };
      v.hosts.add(f.hostId);
      v.findings++;
      v.maxScore = Math.max(v.maxScore, f.finding.score);
      byVuln.set(f.finding.vulnerability, v);
    }
    const top = [...byVuln]
      .sort(([a, x], [b, y]) => y.hosts.size - x.hosts.size || y.maxScore - x.maxScore || (a < b ? -1 : 1))
      .slice(0, 10)
      .map(([vulnerability, v]) => ({ vulnerability, hosts: v.hosts.size, findings: v.findings, maxScore: v.maxScore }));
    expect(stats.topVulnerabilities.map(({ vulnerability, hosts: h, findings, maxScore }) => ({ vulnerability, hosts: h, findings, maxScore }))).toEqual(top);
    const shownVulns = await page.locator('[data-testid="top-vulnerabilities"] tbody tr td:first-child a').allTextContents();
    expect(shownVulns).toEqual(top.map((t) => t.vulnerability));
    expect(stats.riskiestHosts).toEqual([
      {
        id: agent.id,
        hostname: expect.any(String),
        maxScore: Math.max(...active.map((f) => f.finding.score)),
        critical: stats.open.critical,
        high: stats.open.high,
        open: active.length,
      },
    ]);
    expect(await page.locator('[data-testid="riskiest-hosts"] tbody tr').count()).toBe(1);
    expect((await page.locator('[data-testid="feeds"] tbody tr td:first-child').allTextContents()).sort()).toEqual(stats.feeds.map((f) => f.feed).sort());
    expect(stats.feeds.length).toBeGreaterThan(0);
    // Each number names its source and links to the view it counts.
    expect(await page.locator('[data-kpi="open-critical"]').getAttribute('href')).toBe('#/findings?status=ACTIVE&severity=critical');
    expect(await page.locator('[data-kpi="kev-open"]').getAttribute('href')).toBe('#/findings?status=ACTIVE&kev=true');
    expect(await page.locator('.source').first().textContent()).toMatch(/^Source: GET \/api\/v1\/stats/);
    await checkAccessibility('dashboard');
    await shot('dashboard-one-host');
  });

  it('filters findings by severity, from the keyboard, to exactly the rows the API answers', async () => {
    const stats = await api<Stats>('stats');
    const severity = (['high', 'medium', 'low', 'critical'] as const).find((s) => (stats.open[s] ?? 0) > 0)!;
    await page.locator('[data-kpi="open-total"]').click();
    await page.waitForURL(/#\/findings\?status=ACTIVE$/);
    await page.getByTestId('findings-table').waitFor();
    await page.getByRole('checkbox', { name: severity, exact: true }).focus();
    await page.keyboard.press('Space');
    await page.waitForURL(new RegExp(`#/findings\\?status=ACTIVE&severity=${severity}$`));
    const want = await api<{ findings: HostFinding[] }>('findings', { status: 'ACTIVE', severity, sort: '-score', limit: '50' });
    expect(want.findings.length).toBeGreaterThan(0);
    const rows = page.locator('[data-testid="findings-table"] tbody tr');
    await waitFor('the filtered rows', async () => (await rows.count()) === want.findings.length && (await rows.first().getAttribute('data-finding')) === want.findings[0]!.id);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-host')} ${tr.getAttribute('data-finding')}`));
    expect(shown).toEqual(want.findings.map((f) => `${f.hostId} ${f.id}`));
    expect(await page.getByRole('checkbox', { name: severity, exact: true }).isChecked()).toBe(true);
    const counts = await api<{ severity: Record<string, number> }>('stats/findings', { status: 'ACTIVE', severity });
    await page.getByTestId('counts').locator('[data-count="total"]').waitFor();
    expect(Number((await page.getByTestId('counts').locator('[data-count="total"]').textContent())!.replace(/,/g, ''))).toBe(counts.severity.total);
    expect(counts.severity.total).toBe(stats.open[severity]);
    await checkAccessibility('findings');
    await shot('findings');

    // The address holds the view: loaded afresh, it shows the same rows.
    await page.goto(consoleUrl(`#/findings?status=ACTIVE&severity=${severity}&sort=vulnerability`));
    const sorted = await api<{ findings: HostFinding[] }>('findings', { status: 'ACTIVE', severity, sort: 'vulnerability', limit: '50' });
    await waitFor('the sorted rows', async () => (await rows.first().getAttribute('data-finding')) === sorted.findings[0]!.id && (await rows.count()) === sorted.findings.length);
  });

  it('opens a finding from the list and shows its id, remediation, ratings and episodes', async () => {
    await page.goto(consoleUrl('#/findings?status=ACTIVE&fixable=true'));
    const first = page.locator('[data-testid="findings-table"] tbody tr').first();
    await first.waitFor();
    const [hostId, id] = [(await first.getAttribute('data-host'))!, (await first.getAttribute('data-finding'))!];
    await first.locator('td:nth-child(3) a').click();
    await page.getByTestId('finding-id').waitFor();
    const want = await api<HostFinding & { episodes: unknown[] }>(`hosts/${hostId}/findings/${encodeURIComponent(id)}`);
    expect(await page.getByTestId('finding-id').textContent()).toBe(id);
    expect(want.finding.remediation).toBeTruthy();
    expect(await page.getByTestId('remediation').textContent()).toBe(want.finding.remediation);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(want.finding.vulnerability);
    expect(await page.getByRole('table', { name: 'Every episode of the finding, oldest first' }).locator('tbody tr').count()).toBe(want.episodes.length);
    await checkAccessibility('finding');
    await shot('finding');
  });

  it('shows a host with its facts, tags and open findings, and the host list', async () => {
    await page.goto(consoleUrl(`#/hosts/${agent.id}`));
    await page.getByTestId('host-name').waitFor();
    const host = await api<{ hostname: string; tags: string[]; findings: { total: number } }>(`hosts/${agent.id}`);
    expect(await page.getByTestId('host-name').textContent()).toBe(host.hostname);
    expect(await page.locator('ul.tags li').allTextContents()).toEqual(host.tags);
    await page.getByTestId('findings-table').waitFor();
    expect(await page.locator('[data-testid="findings-table"] tbody tr').count()).toBe(Math.min(100, host.findings.total));
    await checkAccessibility('host');
    await shot('host');

    await page.getByRole('link', { name: 'Hosts', exact: true }).click();
    await page.getByTestId('hosts-table').waitFor();
    expect(await page.locator('[data-testid="hosts-table"] tbody tr').count()).toBe(1);
    await checkAccessibility('hosts');
    await shot('hosts');
  });

  it('ends the session when the token stops working, and broke no Content-Security-Policy rule', async () => {
    const tokens = await fetch(`http://127.0.0.1:${server.apiPort}/api/v1/tokens`, { headers: { authorization: `Bearer ${server.token}` } });
    const id = ((await tokens.json()) as { tokens: Array<{ id: string; name: string }> }).tokens.find((t) => t.name === 'console-viewer')!.id;
    const revoked = await vigil(['token', 'revoke', id, '--data-dir', server.dir]);
    expect(revoked.code, revoked.stderr).toBe(0);
    await page.goto(consoleUrl('#/'));
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Signed out: unknown, revoked or expired API token/);
    expect(cspViolations).toEqual([]);
  });
});
