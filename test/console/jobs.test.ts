import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTree } from '../../src/bench/tree-copy.js';
import { rootfsFixture, vigil } from '../helpers/cli.js';
import { REPO, tempDir } from '../helpers/fixtures.js';
import { buildDeb, enroll, startAgent, startProc, startServer, waitFor, type AgentHandle, type Proc, type ServerHandle } from '../helpers/fleet.js';

/**
 * Patch jobs and host detail in the console, in Debian's Chromium driven by
 * playwright-core, against a real `vigil server run`, a real agent and its root
 * executor on a copy of the cached debootstrap root holding a vulnerable package
 * (vigil-demo 1.0-1, fixed in 1.0-2 in a local apt repository built here): "patch
 * this" from the finding, the command preview, the job reaching `verified` in the
 * page over its live stream, pause, resume and cancel, what a viewer may not do,
 * the host's inventory search and history, a rescan followed live to "matched". axe-core on every
 * page; screenshots in test-output/console/.
 */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-output/console');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let tmp: { dir: string; cleanup: () => void };
let server: ServerHandle;
let agent: AgentHandle;
let executor: Proc;
let viewer = '';
let context: BrowserContext;
let page: Page;
let firstJob = 0;
const axeResults: Record<string, Array<{ id: string; impact: string | null; nodes: number }>> = {};

const base = (): string => `http://127.0.0.1:${server.apiPort}`;
const consoleUrl = (hash = ''): string => `${base()}/console/${hash}`;

async function api<T>(method: string, route: string, token = server.token): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base()}/api/v1/${route}`, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function checkAccessibility(name: string): Promise<void> {
  await page.evaluate(AXE);
  const violations = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })))",
  )) as Array<{ id: string; impact: string | null; nodes: number; help: string }>;
  axeResults[name] = violations.map(({ id, impact, nodes }) => ({ id, impact, nodes }));
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), name).toEqual([]);
}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function signIn(token: string): Promise<void> {
  await context.clearCookies();
  await page.goto(consoleUrl());
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').waitFor();
}

function makeRepo(dir: string, debs: string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const d of debs) execFileSync('cp', [d, dir]);
  writeFileSync(path.join(dir, 'Packages'), execFileSync('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  tmp = tempDir('vigil-console-jobs-');
  const debs = path.join(tmp.dir, 'debs');
  mkdirSync(debs);
  const built = ['1.0-1', '1.0-2'].flatMap((v) => [buildDeb(debs, 'vigil-demo', v), buildDeb(debs, 'vigil-other', v)]);
  const repo = path.join(tmp.dir, 'repo');
  makeRepo(repo, built);
  const keys = await vigil(['keys', 'init', '--out', path.join(tmp.dir, 'root'), '--json']);
  expect(keys.code, keys.stderr).toBe(0);
  const rootKeyId = (JSON.parse(keys.stdout) as { keyid: string }).keyid;
  const serverDir = path.join(tmp.dir, 'server');
  const rot = await vigil(['keys', 'rotate', '--root-key', path.join(tmp.dir, 'root/root.key'), '--dir', path.join(serverDir, 'keys'), '--actions', 'patch', '--managers', 'apt', '--ttl', '1d', '--json']);
  expect(rot.code, rot.stderr).toBe(0);
  server = await startServer(serverDir);
  const feed = path.join(tmp.dir, 'feed');
  mkdirSync(feed);
  for (const [id, pkg] of [['CVE-2099-0201', 'vigil-demo'], ['CVE-2099-0202', 'vigil-other']] as const) {
    writeFileSync(
      path.join(feed, `${pkg}.json`),
      JSON.stringify({
        schema_version: '1.6.0',
        id: `DEBIAN-${id}`,
        aliases: [id],
        modified: '2026-11-01T00:00:00Z',
        published: '2026-11-01T00:00:00Z',
        affected: [{ package: { ecosystem: 'Debian:12', name: pkg }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0-2' }] }] }],
      }),
    );
  }
  const imp = await vigil(['db', 'import', '--db', serverDir, feed]);
  expect(imp.code, imp.stderr).toBe(0);

  const stateDir = path.join(tmp.dir, 'agent');
  const id = await enroll(server, stateDir);
  const root = path.join(tmp.dir, 'rootfs');
  copyTree(rootfsFixture(), root);
  copyTree(repo, path.join(root, 'srv/repo'));
  writeFileSync(path.join(root, 'etc/apt/sources.list'), 'deb [trusted=yes] file:/srv/repo ./\n');
  execFileSync('rm', ['-rf', path.join(root, 'etc/apt/sources.list.d')]);
  mkdirSync(path.join(root, 'etc/apt/sources.list.d'));
  execFileSync('cp', [built[0]!, built[1]!, path.join(root, 'tmp')]);
  execFileSync('chroot', [root, 'dpkg', '-i', '/tmp/vigil-demo_1.0-1_amd64.deb', '/tmp/vigil-other_1.0-1_amd64.deb'], { stdio: 'ignore', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
  const execDir = path.join(tmp.dir, 'executor');
  mkdirSync(execDir);
  const config = path.join(execDir, 'executor.json');
  writeFileSync(config, JSON.stringify({ hostId: id, rootKeyId, manager: 'apt', root, stateDir: path.join(execDir, 'state'), timeoutSeconds: 300 }));
  const socket = path.join(execDir, 'executor.sock');
  executor = startProc(['executor', 'serve', '--config', config, '--socket', socket]);
  await waitFor('executor socket', () => existsSync(socket), 30_000);
  agent = startAgent(id, stateDir, root, { executor: { socket, timeoutSeconds: 300 } });
  await waitFor('findings of both packages', async () => {
    const r = await api<{ findings: unknown[] }>('GET', `findings?host=${id}&status=ACTIVE&package=pkg:deb/debian/vigil-&limit=10`);
    return r.body.findings?.length === 2;
  }, 180_000);
  const created = await vigil(['token', 'create', '--role', 'viewer', '--name', 'jobs-viewer', '--data-dir', server.dir]);
  expect(created.code, created.stderr).toBe(0);
  viewer = created.stdout.trim().split('\n').at(-1)!.trim();
  context = await chromium.launchPersistentContext(path.join(tmp.dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 600_000);

afterAll(async () => {
  if (Object.keys(axeResults).length) writeFileSync(path.join(SHOTS, 'axe-jobs.json'), JSON.stringify(axeResults, null, 2) + '\n');
  await context?.close();
  await agent?.proc.kill();
  await executor?.kill();
  await server?.proc.kill();
  tmp?.cleanup();
});

describe('patch jobs and host detail in the console', () => {
  it('patches a finding from its page: "patch this", the command preview, and the job reaching verified live with its evidence', async () => {
    await signIn(server.token);
    const f = (await api<{ findings: Array<{ id: string; hostId: string }> }>('GET', `findings?host=${agent.id}&status=ACTIVE&package=pkg:deb/debian/vigil-demo`)).body.findings[0]!;
    await page.goto(consoleUrl(`#/hosts/${agent.id}/findings/${encodeURIComponent(f.id)}`));
    await page.getByTestId('patch-this').click();
    await page.waitForURL(new RegExp(`#/jobs/new\\?hosts=${agent.id}&package=vigil-demo$`));
    await page.getByRole('button', { name: 'Preview commands' }).click();
    await page.getByTestId('preview').waitFor();
    const preview = (await api<{ hosts: Array<{ hostId: string; steps: Array<{ argv: string[]; required: boolean }> }> }>('GET', `jobs/preview?hosts=${agent.id}&package=vigil-demo&canary=1&waves=1&failure-threshold=0.2&window-minutes=120`)).body;
    expect(preview.hosts.map((h) => h.hostId)).toEqual([agent.id]);
    expect(preview.hosts[0]!.steps.at(-1)!.argv).toEqual(['apt-get', 'install', '-y', '--only-upgrade', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', 'vigil-demo']);
    expect(await page.getByTestId('commands').textContent()).toBe(preview.hosts[0]!.steps.map((s) => `${s.argv.join(' ')}${s.required ? '' : '   (may fail)'}`).join('\n'));
    await checkAccessibility('job-new');
    await shot('job-new');

    await page.getByTestId('start-job').click();
    await page.waitForURL(/#\/jobs\/\d+$/);
    firstJob = Number(/#\/jobs\/(\d+)$/.exec(page.url())![1]);
    // The page is not reloaded: a mark left in it now is still there when the job ends.
    await page.evaluate('window.__vigilMark = 1');
    const state = page.getByTestId('job-state');
    await state.waitFor();
    const seen = new Set<string>();
    await waitFor('the job completed in the page', async () => {
      const hostState = await page.locator(`[data-testid="job-hosts"] tr[data-host="${agent.id}"] [data-testid="host-state"]`).textContent();
      seen.add(hostState ?? '');
      return (await state.textContent()) === 'completed' && hostState === 'verified';
    }, 600_000, 200);
    expect(await page.evaluate('window.__vigilMark')).toBe(1);
    expect(seen.has('verified')).toBe(true);
    const view = (await api<{ job: { state: string }; hosts: Array<{ state: string; result: { before: Array<{ version?: string }>; after: Array<{ version?: string }> } }> }>('GET', `jobs/${firstJob}`)).body;
    expect(view.job.state).toBe('completed');
    expect([view.hosts[0]!.result.before[0]!.version, view.hosts[0]!.result.after[0]!.version]).toEqual(['1.0-1', '1.0-2']);
    await waitFor('the evidence shown', async () => (await page.getByTestId('evidence').textContent()) === 'vigil-demo 1.0-1 → 1.0-2');
    await page.getByTestId('closed').waitFor();
    expect(await page.getByTestId('live').textContent()).toBe('The job is over.');
    await checkAccessibility('job');
    await shot('job');
  }, 700_000);

  it('pauses, resumes and cancels a job waiting for its maintenance window, each change shown live', async () => {
    const created = await api<{ jobId: number }>('POST', `jobs?hosts=${agent.id}&package=vigil-other&window=${encodeURIComponent('0 0 1 1 *')}&window-minutes=1`);
    expect(created.status).toBe(201);
    const id = created.body.jobId;
    await page.goto(consoleUrl(`#/jobs/${id}`));
    const state = page.getByTestId('job-state');
    await waitFor('running', async () => (await state.textContent()) === 'running');
    for (const [button, want] of [['Pause', 'paused'], ['Resume', 'running'], ['Cancel', 'cancelled']] as const) {
      await page.getByRole('button', { name: button }).click();
      await waitFor(want, async () => (await state.textContent()) === want);
      expect((await api<{ job: { state: string } }>('GET', `jobs/${id}`)).body.job.state).toBe(want);
    }
    await page.goto(consoleUrl('#/jobs?state=cancelled'));
    await page.getByTestId('jobs-table').waitFor();
    await waitFor('the cancelled job listed', async () => (await page.locator('[data-testid="jobs-table"] tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-job')))).join(',') === String(id));
    await checkAccessibility('jobs');
    await shot('jobs');
  }, 120_000);

  it("searches the host's inventory to exactly the API's rows and shows its history of inventory changes", async () => {
    await page.goto(consoleUrl(`#/hosts/${agent.id}?q=vigil`));
    const rows = page.locator('[data-testid="inventory-table"] tbody tr');
    const want = (await api<{ components: Array<{ key: string }> }>('GET', `hosts/${agent.id}/inventory?q=vigil&limit=50`)).body.components.map((c) => c.key);
    expect(want.length).toBe(2);
    await waitFor('the searched rows', async () => (await rows.evaluateAll((trs) => trs.map((t) => t.getAttribute('data-key')))).join('\n') === want.join('\n'));
    const history = (await api<{ changes: Array<{ seq: number }> }>('GET', `hosts/${agent.id}/history?limit=20`)).body.changes;
    expect(history.length).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="history-table"] tbody tr td:first-child').allTextContents()).toEqual(history.map((c) => String(c.seq)));
    await checkAccessibility('host-detail');
    await shot('host-detail');
  }, 120_000);

  it('rescans from the host page: requested, inventory received and matched arrive live, each with its time, and the page reloads the host without losing them', async () => {
    await page.goto(consoleUrl(`#/hosts/${agent.id}`));
    await page.getByTestId('history-table').waitFor();
    const newest = async () => (await api<{ changes: Array<{ seq: number }> }>('GET', `hosts/${agent.id}/history?limit=1`)).body.changes[0]?.seq;
    const before = await newest();
    const seenBefore = (await api<{ lastSeenAt: string }>('GET', `hosts/${agent.id}`)).body.lastSeenAt;
    await page.evaluate('window.__vigilMark = 2');
    // The finished rescan loads the host again: the answer the page shows after it.
    const reloaded = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/hosts/${agent.id}` && r.request().method() === 'GET', { timeout: 120_000 });
    await page.getByRole('button', { name: 'Rescan now' }).click();
    const steps = page.locator('[data-testid="rescan-steps"] li');
    await waitFor('matched in the page', async () => (await steps.allTextContents()).some((t) => / matched: /.test(t)), 120_000, 100);
    await page.getByTestId('rescan-done').waitFor();
    expect(await page.evaluate('window.__vigilMark')).toBe(2);
    const texts = await steps.allTextContents();
    const times = await page.locator('[data-testid="rescan-steps"] li time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime') ?? ''));
    expect(texts.length).toBe(times.length);
    // Each line starts with its step's time as the stream gave it.
    texts.forEach((t, i) => expect(t.startsWith(`${new Date(times[i]!).toISOString().slice(11, 23)}Z `), t).toBe(true));
    expect(times.every((t, i) => Date.parse(t) >= (i ? Date.parse(times[i - 1]!) : Date.parse(seenBefore)))).toBe(true);
    // The root did not change since the last inventory: nothing applied, nothing matched differently.
    expect(await newest()).toBe(before);
    expect(texts.map((t) => t.slice(14))).toEqual(['rescan requested', 'inventory received from the agent', 'matched: 0 added, 0 removed, 0 changed; 0 findings opened, 0 closed']);
    // The host was loaded again after the steps arrived, and the page shows that answer with the steps still there.
    const seenAfter = ((await (await reloaded).json()) as { lastSeenAt: string }).lastSeenAt;
    expect(Date.parse(seenAfter)).toBeGreaterThanOrEqual(Date.parse(times[0]!));
    await waitFor('the reloaded host shown', async () => (await page.locator('dl.facts').textContent())?.includes(seenAfter.replace('T', ' ').replace(/\.\d+Z$/, 'Z')));
    expect(await steps.count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Rescan now' }).isEnabled()).toBe(true);
    await checkAccessibility('host-rescan');
    await shot('host-rescan');
  }, 180_000);

  it('shows a viewer no create, pause or cancel, and the API refuses its direct calls with 403', async () => {
    await signIn(viewer);
    await page.goto(consoleUrl('#/jobs'));
    await page.getByTestId('jobs-table').waitFor();
    expect(await page.getByTestId('new-job').count()).toBe(0);
    await page.goto(consoleUrl(`#/jobs/new?hosts=${agent.id}&package=vigil-other`));
    await page.getByTestId('no-create').waitFor();
    await page.goto(consoleUrl(`#/jobs/${firstJob}`));
    await page.getByTestId('job-state').waitFor();
    expect(await page.getByRole('button', { name: /^(Pause|Resume|Cancel)$/ }).count()).toBe(0);
    expect((await api('POST', `jobs?hosts=${agent.id}&package=vigil-other`, viewer)).status).toBe(403);
    expect((await api('POST', `jobs/${firstJob}/cancel`, viewer)).status).toBe(403);
    expect((await api('GET', `jobs/preview?hosts=${agent.id}`, viewer)).status).toBe(403);
    await page.goto(consoleUrl(`#/hosts/${agent.id}/findings/x`));
    expect(await page.getByTestId('patch-this').count()).toBe(0);
    await checkAccessibility('job-viewer');
    await shot('job-viewer');
  }, 120_000);
});
