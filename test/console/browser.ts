import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO } from '../helpers/fixtures.js';

/**
 * What the console's browser tests share: Debian's Chromium started by playwright-core
 * with the flags this machine's closed network needs, axe-core run in the page, full
 * page screenshots and the axe results written to test-output/console/, and the
 * sign-in form filled with a token.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = path.join(REPO, 'test-output/console');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Per page: each axe-core violation's rule, impact and how many nodes break it. */
export type AxeResults = Record<string, Array<{ id: string; impact: string | null; nodes: number }>>;

/** A headless Chromium with a fresh profile in `profileDir`, and its first page. */
export async function launchBrowser(profileDir: string): Promise<{ context: BrowserContext; page: Page }> {
  mkdirSync(SHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** axe-core in the page (evaluated through the DevTools protocol, which the page's CSP does not govern); no serious or critical violation. */
export async function checkAccessibility(page: Page, name: string, results: AxeResults): Promise<void> {
  await page.evaluate(AXE);
  // (A string, evaluated in the page: the test itself is compiled without the DOM's types.)
  const violations = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })))",
  )) as Array<{ id: string; impact: string | null; nodes: number; help: string }>;
  results[name] = violations.map(({ id, impact, nodes }) => ({ id, impact, nodes }));
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), name).toEqual([]);
}

/** A full-page screenshot to test-output/console/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The axe results of a suite to test-output/console/<file>. */
export function writeAxeResults(file: string, results: AxeResults): void {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(path.join(SHOTS, file), JSON.stringify(results, null, 2) + '\n');
}

/** Opens the console at `consoleUrl` and signs in with `token` through its form. */
export async function signIn(page: Page, consoleUrl: string, token: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
