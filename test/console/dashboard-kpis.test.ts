import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { startServer, waitFor, type ServerHandle } from '../helpers/fleet.js';
import { checkAccessibility as axeCheck, launchBrowser, shot, signIn, writeAxeResults, type AxeResults } from './browser.js';
import { UNRECORDED, buildKpiFleet, type KpiFleet } from './kpi-fleet.js';

/**
 * The dashboard's trend and remediation KPIs in a real browser (Debian's Chromium by
 * playwright-core) against a real `vigil server run` whose data directory holds 90 days
 * of history made with the real stores and FleetService on a moving clock
 * (./kpi-fleet.ts). Every number shown is held to what GET /api/v1/stats/trend and
 * /kpis answer the same token for the same window; the window is in the address; each
 * page's ready mark (performance.mark('vigil:ready:<page>')) is made once its data is
 * on the page.
 */

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;
type Sev = (typeof SEVERITIES)[number];

interface Trend {
  days: number;
  from: string;
  to: string;
  series: Array<{ day: string; open: Record<Sev | 'total', number>; kevOpen: number; suppressed: number }>;
}
interface Timing {
  meanSeconds: number | null;
  medianSeconds: number | null;
}
interface Kpis {
  days: number;
  mttr: { severities: Array<{ severity: Sev; closed: number } & Timing> };
  timeToDetect: { advisoryPublished: { severities: Array<{ severity: Sev; opened: number; withPublished: number } & Timing> }; packageInstalled: { known: number; opened: number; reason: string } };
  slaCompliance: {
    severities: Array<{ severity: Sev; slaDays: number | null; open: number; openWithinSla: number; openShare: number | null; closed: number; closedWithinSla: number; closedShare: number | null }>;
  };
}
/** What the page held when it made a ready mark (recorded by the init script below, synchronously in performance.mark). */
interface ReadyAt {
  name: string;
  startTime: number;
  hash: string;
  rows: number;
  trendRows: number;
  kpiRows: number;
  loading: number;
  errors: number;
}

// Wraps performance.mark before the console's script runs: each ready mark records the page as it stands at that moment.
const RECORD_MARKS = `
window.__ready = [];
const mark = performance.mark.bind(performance);
performance.mark = (name, options) => {
  const entry = mark(name, options);
  if (name.startsWith('vigil:ready:')) window.__ready.push({
    name, startTime: entry.startTime, hash: location.hash,
    rows: document.querySelectorAll('main tbody tr').length,
    trendRows: document.querySelectorAll('[data-testid="trend-table"] tbody tr').length,
    kpiRows: document.querySelectorAll('[data-testid^="kpi-"] tbody tr').length,
    loading: document.querySelectorAll('main .loading').length,
    errors: document.querySelectorAll('main .error').length,
  });
  return entry;
};`;

let tmp: { dir: string; cleanup: () => void };
let fleet: KpiFleet;
let server: ServerHandle;
let viewer: string;
let context: BrowserContext;
let page: Page;
const axeResults: AxeResults = {};
const cspViolations: string[] = [];

const consoleUrl = (hash = ''): string => `http://127.0.0.1:${server.apiPort}/console/${hash}`;

async function api<T>(route: string, query: Record<string, string> = {}): Promise<T> {
  const u = new URL(`http://127.0.0.1:${server.apiPort}/api/v1/${route}`);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  const res = await fetch(u, { headers: { authorization: `Bearer ${viewer}` } });
  expect(res.status, `${u.pathname}${u.search}`).toBe(200);
  return (await res.json()) as T;
}

/** Durations as the dashboard writes them: minutes under an hour, hours under a day, else days, one decimal. */
function duration(seconds: number): string {
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(seconds);
  if (s < 3600) return `${sign}${Math.round(s / 60)} min`;
  if (s < 86_400) return `${sign}${(s / 3600).toFixed(1)} h`;
  return `${sign}${(s / 86_400).toFixed(1)} days`;
}
const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

function everyDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const readies = async (name: string): Promise<ReadyAt[]> => ((await page.evaluate('window.__ready')) as ReadyAt[]).filter((r) => r.name === `vigil:ready:${name}`);
const waitReady = (name: string): Promise<ReadyAt[]> => waitFor(`the ${name} ready mark`, async () => {
  const r = await readies(name);
  return r.length ? r : undefined;
});

/** The trend table's rows: each day with its numbers, or 'not recorded'. */
async function shownTrend(): Promise<Array<{ day: string; cells: Record<string, string> | 'not recorded' }>> {
  // (Elements of the page: the test is compiled without the DOM's types.)
  return page.locator('[data-testid="trend-table"] tbody tr').evaluateAll((trs: any[]) =>
    trs.map((tr) => ({
      day: tr.getAttribute('data-day'),
      cells: tr.getAttribute('data-recorded') === 'true' ? Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map((td: any) => [td.getAttribute('data-field'), td.textContent])) : tr.querySelector('td').textContent,
    })),
  );
}

function expectedTrend(t: Trend): Array<{ day: string; cells: Record<string, string> | 'not recorded' }> {
  const byDay = new Map(t.series.map((d) => [d.day, d]));
  return everyDay(t.from, t.to).map((day) => {
    const d = byDay.get(day);
    if (!d) return { day, cells: 'not recorded' as const };
    const cells: Record<string, string> = Object.fromEntries([...SEVERITIES, 'total'].map((s) => [`open.${s}`, String(d.open[s as Sev | 'total'])]));
    return { day, cells: { ...cells, kevOpen: String(d.kevOpen), suppressed: String(d.suppressed) } };
  });
}

/** A KPI table's rows: per severity, each numeric cell's raw value and text. */
async function shownKpis(id: string): Promise<Record<string, Record<string, { value: string; text: string }>>> {
  return page.locator(`[data-testid="${id}"] tbody tr`).evaluateAll((trs: any[]) =>
    Object.fromEntries(
      trs.map((tr) => [tr.getAttribute('data-severity'), Object.fromEntries([...tr.querySelectorAll('td[data-value]')].map((td: any) => [td.getAttribute('data-field'), { value: td.getAttribute('data-value'), text: td.textContent }]))]),
    ),
  );
}

const cell = (value: number | null, text: (v: number) => string): { value: string; text: RegExp | string } =>
  value === null ? { value: 'null', text: expect.stringMatching(/^no data: \S/) as unknown as RegExp } : { value: String(value), text: text(value) };
const count = (v: number | null): { value: string; text: RegExp | string } => cell(v, (n) => n.toLocaleString('en'));

function expectedKpis(k: Kpis) {
  return {
    mttr: Object.fromEntries(k.mttr.severities.map((r) => [r.severity, { closed: count(r.closed), meanSeconds: cell(r.meanSeconds, duration), medianSeconds: cell(r.medianSeconds, duration) }])),
    ttd: Object.fromEntries(
      k.timeToDetect.advisoryPublished.severities.map((r) => [
        r.severity,
        { opened: count(r.opened), withPublished: count(r.withPublished), meanSeconds: cell(r.meanSeconds, duration), medianSeconds: cell(r.medianSeconds, duration) },
      ]),
    ),
    sla: Object.fromEntries(
      k.slaCompliance.severities.map((r) => [
        r.severity,
        {
          slaDays: cell(r.slaDays, (d) => `${d} days`),
          openShare: cell(r.openShare, (s) => `${percent(s)} (${r.openWithinSla} of ${r.open})`),
          open: count(r.open),
          closedShare: cell(r.closedShare, (s) => `${percent(s)} (${r.closedWithinSla} of ${r.closed})`),
          closed: count(r.closed),
        },
      ]),
    ),
  };
}

/** The dashboard shows the trend and KPIs the API answers for `days`. */
async function expectDashboardOf(days: 30 | 90): Promise<{ trend: Trend; kpis: Kpis }> {
  await waitFor(`the ${days}-day trend`, async () => (await page.getByRole('heading', { name: `Trend and remediation, last ${days} days` }).count()) === 1 && (await page.locator('[data-testid="kpi-sla"]').count()) === 1);
  const trend = await api<Trend>('stats/trend', { days: String(days) });
  const kpis = await api<Kpis>('stats/kpis', { days: String(days) });
  expect(await shownTrend()).toEqual(expectedTrend(trend));
  const want = expectedKpis(kpis);
  expect(await shownKpis('kpi-mttr')).toEqual(want.mttr);
  expect(await shownKpis('kpi-ttd')).toEqual(want.ttd);
  expect(await shownKpis('kpi-sla')).toEqual(want.sla);
  const installed = kpis.timeToDetect.packageInstalled;
  expect(installed.known).toBe(0);
  expect(await page.getByTestId('kpi-installed').textContent()).toBe(`Package installed → finding: no data: ${installed.reason}`);
  expect(await page.getByTestId('trend-recorded').textContent()).toMatch(new RegExp(`^Recorded on ${trend.series.length} of ${days} days\\.`));
  // Each part names the API call and the field its numbers come from.
  const sources = await page.locator('.history .source').allTextContents();
  expect(sources.map((s) => /^Source: (GET \S+) (\S+)/.exec(s)?.slice(1, 3).join(' '))).toEqual([
    `GET /api/v1/stats/trend?days=${days} series[].open`,
    `GET /api/v1/stats/kpis?days=${days} mttr.severities[]`,
    `GET /api/v1/stats/kpis?days=${days} timeToDetect.advisoryPublished.severities[]`,
    `GET /api/v1/stats/kpis?days=${days} timeToDetect.packageInstalled`,
    `GET /api/v1/stats/kpis?days=${days} slaCompliance.severities[]`,
  ]);
  return { trend, kpis };
}

beforeAll(async () => {
  tmp = tempDir('vigil-dashboard-kpis-');
  fleet = await buildKpiFleet(path.join(tmp.dir, 'server'));
  server = await startServer(path.join(tmp.dir, 'server'));
  const created = await vigil(['token', 'create', '--role', 'viewer', '--name', 'dashboard-viewer', '--data-dir', server.dir]);
  expect(created.code, created.stderr).toBe(0);
  viewer = created.stdout.trim().split('\n').at(-1)!.trim();
  ({ context, page } = await launchBrowser(path.join(tmp.dir, 'chromium-profile')));
  await page.addInitScript(RECORD_MARKS);
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
}, 400_000);

afterAll(async () => {
  writeAxeResults('dashboard-kpis-axe.json', axeResults);
  await context?.close();
  await server?.proc.kill();
  tmp?.cleanup();
});

describe('dashboard trend and KPIs', () => {
  it('serves a history with gaps, closes in both windows and first openings inside the last 30 days', async () => {
    const t90 = await api<Trend>('stats/trend', { days: '90' });
    const t30 = await api<Trend>('stats/trend', { days: '30' });
    const today = new Date().toISOString().slice(0, 10);
    // Every day the builder recorded inside the window, and today's, which the server recorded at start.
    expect(t90.series.map((d) => d.day)).toEqual([...fleet.recorded.filter((d) => d >= t90.from), today]);
    expect(t30.series.map((d) => d.day)).toEqual([...fleet.recorded.filter((d) => d >= t30.from), today]);
    expect(fleet.unrecorded).toHaveLength(UNRECORDED.length);
    expect(fleet.unrecorded.filter((d) => d >= t30.from)).toHaveLength(1);
    expect(t90.series.some((d) => d.open.total > 0)).toBe(true);
    const k30 = await api<Kpis>('stats/kpis', { days: '30' });
    const k90 = await api<Kpis>('stats/kpis', { days: '90' });
    const closed = (k: Kpis): number => k.mttr.severities.reduce((a, s) => a + s.closed, 0);
    const opened = (k: Kpis): number => k.timeToDetect.advisoryPublished.severities.reduce((a, s) => a + s.opened, 0);
    expect(closed(k30)).toBeGreaterThan(0);
    expect(closed(k90)).toBeGreaterThan(closed(k30));
    expect(opened(k30)).toBeGreaterThan(0);
    expect(opened(k90)).toBeGreaterThan(opened(k30));
    // Some severity has no close in the window: shown as no data.
    expect(k30.mttr.severities.some((s) => s.meanSeconds === null)).toBe(true);
  });

  it('shows the 30-day trend and KPIs the API answers, marks the dashboard ready once they are on the page, and passes axe-core', async () => {
    await signIn(page, consoleUrl(), viewer);
    const { trend } = await expectDashboardOf(30);
    expect(trend.series.length).toBeLessThan(30);
    expect((await shownTrend()).filter((r) => r.cells === 'not recorded').length).toBe(30 - trend.series.length);
    // The canvas is hidden from assistive technology; the table carries the numbers.
    expect(await page.locator('.history figure.chart > div[aria-hidden="true"] canvas').count()).toBe(1);
    const [mark] = await waitReady('dashboard');
    expect(mark).toMatchObject({ trendRows: 30, kpiRows: 3 * SEVERITIES.length, loading: 0, errors: 0 });
    await checkAccessibility('dashboard-30');
    await shot(page, 'dashboard');

    // Loaded afresh from its address (the session cookie resumes), the dashboard marks once, counted from the navigation's start.
    await page.goto(consoleUrl('#/'));
    await page.reload();
    const [fresh] = await waitReady('dashboard');
    expect(fresh!.startTime).toBeGreaterThan(0);
    expect(fresh).toMatchObject({ hash: '#/', trendRows: 30, kpiRows: 3 * SEVERITIES.length, loading: 0, errors: 0 });
    expect(await page.evaluate("performance.getEntriesByName('vigil:ready:dashboard').length")).toBe(1);
  });

  it('switches to 90 days: the address says so, the numbers are the 90-day answers, and a reload keeps them', async () => {
    const before = await shownKpis('kpi-mttr');
    await page.getByRole('radio', { name: 'Last 90 days' }).check();
    await page.waitForURL(/#\/\?days=90$/);
    const { kpis } = await expectDashboardOf(90);
    expect((await shownTrend()).length).toBe(90);
    expect(await shownKpis('kpi-mttr')).not.toEqual(before);
    expect(kpis.mttr.severities.reduce((a, s) => a + s.closed, 0)).toBeGreaterThan(Object.values(before).reduce((a, r) => a + Number(r.closed!.value), 0));
    expect(await page.getByRole('radio', { name: 'Last 90 days' }).isChecked()).toBe(true);
    await checkAccessibility('dashboard-90');
    await shot(page, 'dashboard-90-days');

    await page.reload();
    expect(page.url()).toBe(consoleUrl('#/?days=90'));
    await waitReady('dashboard');
    await expectDashboardOf(90);
    expect(await readies('dashboard')).toHaveLength(1);
    await page.getByRole('radio', { name: 'Last 30 days' }).check();
    await page.waitForURL(/#\/\?days=30$/);
    await expectDashboardOf(30);
  });

  it('marks the findings, host and finding pages ready once their rows are on the page', async () => {
    await page.goto(consoleUrl('#/findings?status=ACTIVE'));
    const [findings] = await waitReady('findings');
    expect(findings!.rows).toBeGreaterThan(0);
    expect(findings).toMatchObject({ loading: 0, errors: 0 });
    const hostId = (await page.locator('[data-testid="findings-table"] tbody tr').first().getAttribute('data-host'))!;

    await page.goto(consoleUrl(`#/hosts/${hostId}`));
    const [host] = await waitReady('host');
    expect(host).toMatchObject({ loading: 0, errors: 0 });
    expect(host!.rows).toBeGreaterThan(0);

    // A page reached inside the console marks too, from the same navigation's start.
    const id = (await page.locator('[data-testid="findings-table"] tbody tr').first().getAttribute('data-finding'))!;
    await page.locator(`main a[href="#/hosts/${encodeURIComponent(hostId)}/findings/${encodeURIComponent(id)}"]`).first().click();
    const [finding] = await waitReady('finding');
    expect(finding).toMatchObject({ hash: `#/hosts/${hostId}/findings/${encodeURIComponent(id)}`, loading: 0, errors: 0 });
    expect(finding!.startTime).toBeGreaterThan(host!.startTime);
    expect(await page.getByTestId('finding-id').textContent()).toBe(id);
    // The chart and the legend drew under the console's Content-Security-Policy.
    expect(cspViolations).toEqual([]);
  });
});

function checkAccessibility(name: string): Promise<void> {
  return axeCheck(page, name, axeResults);
}
