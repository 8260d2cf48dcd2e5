import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { REPO } from './fixtures.js';

/** True when the run is CI's: `CI` set to anything but '', 'false' or '0' (as .ci/run exports it). */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Compares `actual` with the golden file at `file` (a URL, say `new URL('./__golden__/x.json',
 * import.meta.url)`, or a path absolute or relative to the repo).
 * Under CI a missing or different golden file fails the test and is never written, not
 * even with `vitest -u`. Elsewhere vitest's file snapshot writes a missing one and
 * `vitest -u` rewrites a different one, for review before it is committed.
 */
export async function expectGolden(actual: string, file: string | URL): Promise<void> {
  const abs = file instanceof URL ? fileURLToPath(file) : path.resolve(REPO, file);
  const name = path.relative(REPO, abs);
  if (underCi()) {
    if (!existsSync(abs)) {
      throw new Error(`golden file ${name} is missing: CI never writes one (run the test outside CI to create it, review and commit it)`);
    }
    expect(actual, `golden file ${name} differs: CI never rewrites one (run vitest -u outside CI, review and commit it)`).toBe(
      readFileSync(abs, 'utf8'),
    );
    return;
  }
  await expect(actual).toMatchFileSnapshot(abs);
}
