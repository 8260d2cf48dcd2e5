import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/fixtures.js';

/**
 * The console's types of API v1 (console/src/api-schema.ts) are generated from the
 * OpenAPI document the server serves, and the console is type-checked against them:
 * a route schema that changes without the console following fails here, not in a
 * browser.
 */
describe("the console's API types", () => {
  it('are what the OpenAPI document of this build says (npm run api-types)', async () => {
    const { generate, TARGET } = (await import(path.join(REPO, 'console/scripts/api-types.mjs'))) as { generate: () => Promise<string>; TARGET: string };
    expect(TARGET).toBe(path.join(REPO, 'console/src/api-schema.ts'));
    const text = await generate();
    expect(text).toContain('"/api/v1/stats/kpis"');
    expect(readFileSync(TARGET, 'utf8') === text, 'console/src/api-schema.ts is stale: run npm run api-types').toBe(true);
  });

  it('type-check the console (tsc -p console/tsconfig.json)', () => {
    let out = '';
    try {
      execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', path.join(REPO, 'console/tsconfig.json')], { cwd: REPO, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(out).toBe('');
  }, 120_000);
});
