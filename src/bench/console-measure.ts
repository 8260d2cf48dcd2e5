import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { VigilError } from '../common/errors.js';

/**
 * Render times of the web console in a real browser: Debian's Chromium driven by
 * playwright-core, signed in once through the console's form, each load a fresh
 * navigation in a new tab of the same signed-in context. A load's time is the
 * startTime of the page's ready mark (performance.mark('vigil:ready:<page>'),
 * console/src/ready.tsx), which counts from the navigation's start
 * (performance.timeOrigin); beside it, every API request the load made, timed by
 * PerformanceResourceTiming (startTime to responseEnd).
 */

export const CHROMIUM = '/usr/bin/chromium';
/** As the console's browser tests start it (test/console/browser.ts): this machine's network is closed. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ConsolePage {
  /** What the benchmark row calls it. */
  label: string;
  /** The console address after /console/ (`#/findings?severity=critical`). */
  hash: string;
  /** The ready mark's page name (`findings` for vigil:ready:findings). */
  mark: string;
  /** Milliseconds the page is held to, when it has a target. */
  targetMs?: number;
  /** With MeasureOptions.screenshotDir: the page is shot, full length, to DIR/<shot>.png once measured. */
  shot?: string;
}

export interface ApiTiming {
  /** Path and query of the request (`/api/v1/stats/kpis?days=90`). */
  name: string;
  ms: number;
}

export interface Load {
  /** The ready mark's startTime, milliseconds from the navigation's start. */
  readyMs: number;
  api: ApiTiming[];
}

export interface PageResult {
  page: ConsolePage;
  loads: Load[];
  /** Why the page gave no (more) loads: its ready mark did not come in time. */
  error?: string;
}

export interface MeasureOptions {
  /** Measured loads a page. */
  loads: number;
  /** Unmeasured loads before them. */
  warmups: number;
  /** How long a load may take to mark ready. */
  timeoutMs: number;
  /** Where the pages that name a `shot` are shot. */
  screenshotDir?: string;
}

/** Runs in the page: the ready mark and the API requests, or undefined before the mark. */
const READ = (mark: string): string => `(() => {
  const m = performance.getEntriesByName(${JSON.stringify(`vigil:ready:${mark}`)}, 'mark')[0];
  if (!m) return undefined;
  const api = performance.getEntriesByType('resource')
    .filter((e) => new URL(e.name).pathname.startsWith('/api/v1/'))
    .map((e) => { const u = new URL(e.name); return { name: u.pathname + u.search, ms: e.responseEnd - e.startTime }; });
  return { readyMs: m.startTime, api };
})()`;

/** What the page shows as an error, to say why a load did not mark ready. */
const SHOWN_ERRORS = `Array.from(document.querySelectorAll('.error')).map((e) => e.textContent.trim()).filter(Boolean).join(' / ').slice(0, 300)`;

/** One fresh navigation to `url` in a new tab of `context`, to its ready mark. */
export async function loadOnce(context: BrowserContext, url: string, mark: string, timeoutMs: number): Promise<Load> {
  const tab = await context.newPage();
  try {
    const deadline = Date.now() + timeoutMs;
    await tab.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    // Polled through the DevTools protocol (page.evaluate), which the console's CSP does not govern: it forbids
    // the eval that waitForFunction's string would need. The mark's time is the page's own, whatever the polling.
    for (;;) {
      const load = (await tab.evaluate(READ(mark)).catch((err: Error) => {
        // The document being replaced while it loads: asked again on the next one.
        if (/Execution context was destroyed/.test(err.message)) return undefined;
        throw err;
      })) as Load | undefined;
      if (load) return load;
      if (Date.now() > deadline) {
        const shown = (await tab.evaluate(SHOWN_ERRORS).catch(() => '')) as string;
        throw new VigilError('UNAVAILABLE', `${url}: no ready mark vigil:ready:${mark} within ${(timeoutMs / 1000).toFixed(0)} s${shown ? ` (the page shows: ${shown})` : ''}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await tab.close();
  }
}

/** A full-length screenshot of `url` once its ready mark is made (the page as a user finds it). */
async function shoot(context: BrowserContext, url: string, mark: string, file: string, timeoutMs: number): Promise<void> {
  const tab = await context.newPage();
  try {
    await tab.goto(url, { timeout: timeoutMs });
    // Polled through evaluate (the DevTools protocol), which the page's CSP does not govern as it does waitForFunction's eval.
    for (const deadline = Date.now() + timeoutMs; (await tab.evaluate(READ(mark))) === undefined; ) {
      if (Date.now() > deadline) throw new VigilError('UNAVAILABLE', `${url} did not mark vigil:ready:${mark} within ${timeoutMs / 1000} s for its screenshot`);
      await new Promise((r) => setTimeout(r, 50));
    }
    mkdirSync(path.dirname(file), { recursive: true });
    await tab.screenshot({ path: file, fullPage: true });
  } finally {
    await tab.close();
  }
}

/** Signs `context` in through the console's form with `token`: the session cookie is the context's from then on. */
export async function signInConsole(context: BrowserContext, consoleUrl: string, token: string, timeoutMs: number): Promise<void> {
  const tab = await context.newPage();
  try {
    await tab.goto(consoleUrl, { timeout: timeoutMs });
    await tab.getByLabel('API token').fill(token, { timeout: timeoutMs });
    await tab.getByRole('button', { name: 'Sign in' }).click({ timeout: timeoutMs });
    await tab.getByTestId('who').waitFor({ timeout: timeoutMs });
  } finally {
    await tab.close();
  }
}

/**
 * Each of `pages` loaded `warmups` times unmeasured, then `loads` times measured, in
 * Chromium signed in at `consoleUrl` (`http://HOST:PORT/console/`). A page whose load
 * does not mark ready in time keeps the loads it made and says why it stopped.
 */
export async function measureConsole(consoleUrl: string, token: string, pages: ConsolePage[], opts: MeasureOptions): Promise<{ chromium: string; results: PageResult[] }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await signInConsole(context, consoleUrl, token, opts.timeoutMs);
    const results: PageResult[] = [];
    for (const page of pages) {
      const result: PageResult = { page, loads: [] };
      try {
        for (let i = 0; i < opts.warmups; i++) await loadOnce(context, consoleUrl + page.hash, page.mark, opts.timeoutMs);
        for (let i = 0; i < opts.loads; i++) result.loads.push(await loadOnce(context, consoleUrl + page.hash, page.mark, opts.timeoutMs));
        if (opts.screenshotDir && page.shot) await shoot(context, consoleUrl + page.hash, page.mark, path.join(opts.screenshotDir, `${page.shot}.png`), opts.timeoutMs);
      } catch (err) {
        result.error = err instanceof Error ? err.message : String(err);
      }
      results.push(result);
    }
    await context.close();
    return { chromium: `Chromium ${browser.version()}`, results };
  } finally {
    await browser.close();
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The API request slowest by its median over the loads (every load of a page asks the same ones), with its median and max. */
export function slowestApi(loads: Load[]): { name: string; medianMs: number; maxMs: number } | undefined {
  const by = new Map<string, number[]>();
  for (const l of loads) for (const a of l.api) by.set(a.name, [...(by.get(a.name) ?? []), a.ms]);
  let best: { name: string; medianMs: number; maxMs: number } | undefined;
  for (const [name, ms] of by) {
    const m = median(ms);
    if (!best || m > best.medianMs) best = { name, medianMs: m, maxMs: Math.max(...ms) };
  }
  return best;
}
