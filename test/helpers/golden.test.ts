import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, tempDir } from './fixtures.js';
import { expectGolden, underCi } from './golden.js';

describe('golden files', () => {
  let t: { dir: string; cleanup: () => void };
  let ci: string | undefined;
  beforeEach(() => {
    t = tempDir('vigil-golden-');
    ci = process.env.CI;
  });
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    t.cleanup();
  });

  it('CI is CI=true or any value but empty, false and 0', () => {
    expect(['true', '1', 'yes', 'TRUE'].map((CI) => underCi({ CI }))).toEqual([true, true, true, true]);
    expect([undefined, '', 'false', 'FALSE', '0'].map((CI) => underCi({ CI }))).toEqual([false, false, false, false, false]);
  });

  it('under CI=true a deleted golden file fails the test and is not written back', async () => {
    process.env.CI = 'true';
    const file = path.join(t.dir, 'out.json');
    writeFileSync(file, '{"a":1}\n');
    await expectGolden('{"a":1}\n', file);
    rmSync(file);
    await expect(expectGolden('{"a":1}\n', file)).rejects.toThrow(/^golden file .*out\.json is missing: CI never writes one/);
    expect(existsSync(file)).toBe(false);
  });

  it('under CI=true a different golden file fails the test and is left as it was', async () => {
    process.env.CI = 'true';
    const file = path.join(t.dir, 'out.json');
    writeFileSync(file, '{"a":1}\n');
    await expect(expectGolden('{"a":2}\n', file)).rejects.toThrow(/golden file .*out\.json differs: CI never rewrites one/);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
  });

  it('a vitest run writes a missing golden file outside CI, and refuses to under CI=true even with -u', () => {
    symlinkSync(path.join(REPO, 'node_modules'), path.join(t.dir, 'node_modules'));
    writeFileSync(path.join(t.dir, 'package.json'), '{"type":"module"}\n');
    mkdirSync(path.join(t.dir, 'test'));
    const helper = pathToFileURL(path.join(REPO, 'test/helpers/golden.ts')).href;
    writeFileSync(
      path.join(t.dir, 'test/out.test.ts'),
      `import { test } from 'vitest';\nimport { expectGolden } from '${helper}';\n` +
        `test('golden', async () => { await expectGolden('{"b":2}\\n', new URL('./__golden__/out.json', import.meta.url)); });\n`,
    );
    const golden = path.join(t.dir, 'test/__golden__/out.json');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'CI' && k !== 'NODE_ENV'));
    const vitest = (extra: NodeJS.ProcessEnv, ...args: string[]) =>
      spawnSync(process.execPath, [path.join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', '--root', t.dir, ...args], {
        cwd: t.dir,
        env: { ...env, ...extra },
        encoding: 'utf8',
        timeout: 50_000,
      });

    const local = vitest({});
    expect(local.status, local.stdout + local.stderr).toBe(0);
    expect(readFileSync(golden, 'utf8')).toBe('{"b":2}\n');

    rmSync(golden);
    const inCi = vitest({ CI: 'true' }, '-u');
    expect(inCi.status).toBe(1);
    expect(inCi.stdout + inCi.stderr).toMatch(/golden file .*out\.json is missing: CI never writes one/);
    expect(existsSync(golden)).toBe(false);
  });
});
