import { cpSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { PKGDB, makeRoot, tempDir } from '../helpers/fixtures.js';
import { enroll, startAgent, startServer, waitFor, type AgentHandle, type ServerHandle } from '../helpers/fleet.js';
import { checkAccessibility as axeCheck, launchBrowser, shot as screenshot, signIn as signInWith, writeAxeResults, type AxeResults } from './browser.js';

/**
 * The findings page grouped, filtered by EPSS and use, and a page of 1,000 rows, in
 * Debian's Chromium against a real `vigil server run` and `vigil agent run`. The agent's
 * root holds seven copies of the language lockfiles of test/fixtures/pkgdb under
 * /opt/app-N (each copy's components are their own, so their findings are too), which
 * gives the host well over 1,000 findings. Every group, count and row is held to what
 * API v1 answers the same token.
 */

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';
const COPIES = 7;

interface HostFinding {
  hostId: string;
  id: string;
  finding: { vulnerability: string; epss?: { score: number }; inUse: boolean };
}
interface Group {
  key: string;
  findings: number;
  hosts: number;
  fixable: number;
}

let tmp: { dir: string; cleanup: () => void };
let root: { root: string; cleanup: () => void };
let server: ServerHandle;
let agent: AgentHandle;
let viewer: string;
let context: BrowserContext;
let page: Page;
const axeResults: AxeResults = {};

const consoleUrl = (hash = ''): string => `http://127.0.0.1:${server.apiPort}/console/${hash}`;

async function api<T>(route: string, query: Record<string, string> = {}): Promise<T> {
  const u = new URL(`http://127.0.0.1:${server.apiPort}/api/v1/${route}`);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  const res = await fetch(u, { headers: { authorization: `Bearer ${viewer}` } });
  expect(res.status, `${u.pathname}${u.search}`).toBe(200);
  return (await res.json()) as T;
}

const rows = () => page.locator('[data-testid="findings-table"] tbody tr[data-index]');
const shownKeys = () => rows().evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-host')} ${tr.getAttribute('data-finding')}`));
const keysOf = (fs: HostFinding[]) => fs.map((f) => `${f.hostId} ${f.id}`);

/** The rows the page shows equal the API's page for the same query (a page of up to 100 rows is rendered whole). */
async function expectRows(query: Record<string, string>): Promise<HostFinding[]> {
  const want = (await api<{ findings: HostFinding[] }>('findings', { limit: '50', ...query })).findings;
  await waitFor(`the rows of ${JSON.stringify(query)}`, async () => JSON.stringify(await shownKeys()) === JSON.stringify(keysOf(want)), 20_000);
  return want;
}

beforeAll(async () => {
  tmp = tempDir('vigil-console-groups-');
  server = await startServer(path.join(tmp.dir, 'server'));
  root = makeRoot({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') } });
  for (let i = 1; i <= COPIES; i++) cpSync(PKGDB, path.join(root.root, 'opt', `app-${i}`), { recursive: true });
  const stateDir = path.join(tmp.dir, 'agent');
  agent = startAgent(await enroll(server, stateDir), stateDir, root.root);
  await waitFor('the host inventoried with over 1,000 findings', async () => {
    const h = await server.api<{ findings?: { total: number } }>('GET', `hosts/${agent.id}`);
    return h.status === 200 && (h.body.findings?.total ?? 0) > 1000;
  }, 240_000);
  const created = await vigil(['token', 'create', '--role', 'viewer', '--name', 'groups-viewer', '--data-dir', server.dir]);
  expect(created.code, created.stderr).toBe(0);
  viewer = created.stdout.trim().split('\n').at(-1)!.trim();
  ({ context, page } = await launchBrowser(path.join(tmp.dir, 'chromium-profile')));
  await signInWith(page, consoleUrl(), viewer);
  await page.locator('[data-kpi="open-total"]').waitFor();
}, 400_000);

afterAll(async () => {
  writeAxeResults('axe-findings-groups.json', axeResults);
  await context?.close();
  await agent?.proc.kill();
  await server?.proc.kill();
  root?.cleanup();
  tmp?.cleanup();
});

describe('findings page: groups, EPSS and in-use filters, windowed rows', () => {
  it('groups by vulnerability with the counts of GET /api/v1/findings/groups, and a group opens the list filtered to it', async () => {
    await page.goto(consoleUrl('#/findings'));
    await rows().first().waitFor();
    await page.getByLabel('Group by').selectOption('vulnerability');
    await page.waitForURL(/#\/findings\?group=vulnerability$/);
    const want = (await api<{ groups: Group[]; next?: string }>('findings/groups', { by: 'vulnerability', limit: '50' })).groups;
    expect(want.length).toBeGreaterThan(5);
    const groupRows = page.locator('[data-testid="groups-table"] tbody tr');
    await waitFor('the groups', async () => (await groupRows.count()) === want.length);
    const shown = await groupRows.evaluateAll((trs) =>
      trs.map((tr) => ({
        key: tr.getAttribute('data-group'),
        findings: Number(tr.querySelector('[data-field="findings"]')!.textContent!.replace(/,/g, '')),
        hosts: Number(tr.querySelector('[data-field="hosts"]')!.textContent!.replace(/,/g, '')),
        fixable: Number(tr.querySelector('[data-field="fixable"]')!.textContent!.replace(/,/g, '')),
      })),
    );
    expect(shown).toEqual(want.map((g) => ({ key: g.key, findings: g.findings, hosts: g.hosts, fixable: g.fixable })));
    await axeCheck(page, 'findings-grouped', axeResults);
    await screenshot(page, 'findings-grouped-by-vulnerability');

    // The largest group: its link filters the list to exactly its findings.
    const top = want[0]!;
    await groupRows.first().getByTestId('group-link').click();
    await page.waitForURL(new RegExp(`#/findings\\?vulnerability=${top.key}$`));
    expect(await page.getByTestId('exact-vulnerability').textContent()).toBe(top.key);
    const listed = await expectRows({ vulnerability: top.key });
    expect(listed.length).toBe(Math.min(50, top.findings));
    expect(listed.every((f) => f.finding.vulnerability === top.key)).toBe(true);
    await waitFor('the counts of the group', async () => (await page.locator('[data-count="total"]').textContent()) === top.findings.toLocaleString('en'));
  });

  it('filters by EPSS score and by use from the form, kept in the address, with the rows of the API', async () => {
    const all = (await api<{ findings: HostFinding[] }>('findings', { limit: '1000', sort: 'vulnerability' })).findings;
    const scores = all.flatMap((f) => (f.finding.epss ? [f.finding.epss.score] : [])).sort((a, b) => a - b);
    const threshold = scores[Math.floor(scores.length * 0.8)]!;
    await page.goto(consoleUrl('#/findings'));
    await rows().first().waitFor();
    await page.getByLabel('EPSS score at least (0–1)').fill(String(threshold));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`#/findings\\?epss=${String(threshold).replace('.', '\\.')}$`));
    const above = await expectRows({ epss: String(threshold) });
    expect(above.length).toBeGreaterThan(0);
    expect(above.every((f) => (f.finding.epss?.score ?? -1) >= threshold)).toBe(true);
    await page.getByLabel('In use').selectOption('false');
    await page.waitForURL(new RegExp(`#/findings\\?epss=${String(threshold).replace('.', '\\.')}&inUse=false$`));
    const unused = await expectRows({ epss: String(threshold), inUse: 'false' });
    expect(unused.every((f) => !f.finding.inUse)).toBe(true);
    const counts = await api<{ severity: { total: number } }>('stats/findings', { epss: String(threshold), inUse: 'false' });
    await waitFor('the counts of the filter', async () => (await page.locator('[data-count="total"]').textContent()) === counts.severity.total.toLocaleString('en'));
    await axeCheck(page, 'findings-epss-in-use', axeResults);
  });

  it('renders a page of 1,000 findings as a window of rows with their aria-rowindex, scrolled and walked with the keyboard', async () => {
    await page.goto(consoleUrl('#/findings'));
    await rows().first().waitFor();
    await page.getByLabel('Page size').selectOption('1000');
    await page.waitForURL(/#\/findings\?limit=1000$/);
    const want = (await api<{ findings: HostFinding[] }>('findings', { limit: '1000' })).findings;
    expect(want.length).toBe(1000);
    const table = page.getByTestId('findings-table');
    await waitFor('the 1,000-row table', async () => (await table.getAttribute('aria-rowcount')) === '1001');
    const rendered = await rows().count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(100);
    // The rendered rows are the API's first ones, each with its place among all of them.
    expect(await shownKeys()).toEqual(keysOf(want.slice(0, rendered)));
    expect(await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('aria-rowindex')))).toEqual(want.slice(0, rendered).map((_, i) => String(i + 2)));
    await axeCheck(page, 'findings-1000-rows', axeResults);
    await screenshot(page, 'findings-1000-rows');

    // Scrolled to the end, the last rows are rendered and the first are not.
    const scrolled = (await page.evaluate("(() => { const el = document.querySelector('[data-testid=findings-scroll]'); el.scrollTop = el.scrollHeight; return [el.scrollTop, el.scrollHeight, el.clientHeight]; })()")) as number[];
    expect(scrolled[0]).toBeGreaterThan(900 * 30);
    const last = want[999]!;
    await page.locator(`tr[aria-rowindex="1001"][data-finding="${last.id}"]`).waitFor();
    expect(await page.locator('tr[aria-rowindex="2"]').count()).toBe(0);
    expect(await rows().count()).toBeLessThan(100);
    const tail = await shownKeys();
    expect(tail).toEqual(keysOf(want.slice(1000 - tail.length)));

    // Back at the top, the arrow keys move the focus row by row past the rendered window.
    await page.evaluate("document.querySelector('[data-testid=findings-scroll]').scrollTop = 0");
    await page.locator('tr[aria-rowindex="2"] a').first().focus();
    const steps = rendered + 5;
    for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate("document.activeElement.closest('tr').getAttribute('data-index')");
    expect(focused).toBe(String(steps));
    expect(await page.evaluate("document.activeElement.closest('tr').getAttribute('data-finding')")).toBe(want[steps]!.id);
    await screenshot(page, 'findings-1000-rows-keyboard');
  });
});
