import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureConsole } from '../../src/bench/console-measure.js';
import { consolePages, pageRows, startConsoleServer, type ConsoleServer } from '../../src/bench/console-render.js';
import { buildKpiFleet } from '../console/kpi-fleet.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

/**
 * The console render benchmark's measuring on a small store (the four hosts with 90
 * days of history of ../console/kpi-fleet.ts) served by a real `vigil server run`:
 * every page it measures gives a time from its ready mark and the API requests it
 * made, and a page that never marks ready gives no time but says why. No timing is
 * asserted: the times themselves are BENCHMARKS.md's.
 */

let tmp: { dir: string; cleanup: () => void };
let server: ConsoleServer;

beforeAll(async () => {
  tmp = tempDir('vigil-console-render-');
  const data = path.join(tmp.dir, 'server');
  await buildKpiFleet(data);
  server = await startConsoleServer(REPO, data, 60_000);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

describe('console render benchmark', () => {
  it('finds each page’s ready mark and the API requests of each load', async () => {
    const pages = await consolePages(server);
    expect(pages.map((p) => p.mark)).toEqual(['dashboard', 'dashboard', 'findings', 'findings', 'host', 'finding']);
    const { chromium, results } = await measureConsole(`${server.url}/console/`, server.token, pages, { loads: 2, warmups: 1, timeoutMs: 60_000 });
    expect(chromium).toMatch(/^Chromium \d+\./);
    for (const r of results) {
      expect(r.error, r.page.label).toBeUndefined();
      expect(r.loads, r.page.label).toHaveLength(2);
      for (const l of r.loads) {
        expect(l.readyMs, r.page.label).toBeGreaterThan(0);
        expect(l.api.length, r.page.label).toBeGreaterThan(0);
        for (const a of l.api) expect(a.name, r.page.label).toMatch(/^\/api\/v1\//);
      }
    }
    // The dashboard asks for its window's trend and KPIs; the finding page for that finding.
    const names = (i: number) => results[i]!.loads[0]!.api.map((a) => a.name);
    expect(names(1)).toEqual(expect.arrayContaining(['/api/v1/stats', '/api/v1/stats/trend?days=90', '/api/v1/stats/kpis?days=90']));
    expect(names(5).some((n) => n.startsWith(`/api/v1/hosts/${encodeURIComponent(pages[5]!.hash.split('/')[2]!)}/findings/`))).toBe(true);
    const rows = pageRows(results);
    expect(rows.map((r) => r.target)).toEqual([...Array(4).fill(expect.stringMatching(/^< /)), '-', '-']);
    for (const r of rows) expect(r.result).toMatch(/^median \S+ m?s, max \S+ m?s \(2 loads after 1 warm-up\); slowest API request `GET \/api\/v1\//);
  }, 300_000);

  it('gives no time for a page that does not mark ready, and says so', async () => {
    const { results } = await measureConsole(`${server.url}/console/`, server.token, [{ label: 'no such finding', hash: '#/hosts/a-kpi-h0/findings/none', mark: 'finding', targetMs: 500 }], {
      loads: 1,
      warmups: 0,
      timeoutMs: 5_000,
    });
    expect(results[0]!.loads).toEqual([]);
    expect(results[0]!.error).toMatch(/no ready mark vigil:ready:finding within 5 s/);
    expect(pageRows(results)[0]!.target).toBe('< 500 ms: missed (no load marked ready)');
  }, 120_000);
});
