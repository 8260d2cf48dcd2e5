/**
 * Replays what fuzzing kept: every input that once failed a target
 * (test/fixtures/fuzz/<target>/, written by `npm run fuzz`) and every corpus input
 * (test/fixtures/fuzz-corpus/<target>/) must now give a result or a clean rejection.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, CORPUS_DIR, crashFixtures, target, TARGETS } from './targets.js';

describe('fuzz replay', () => {
  for (const { target: name, file } of crashFixtures()) {
    it(`${name}: ${path.basename(file)} (a failure fuzzing found) is handled`, async () => {
      expect(await check(target(name), readFileSync(file))).toMatchObject({ ok: true });
    });
  }

  it('every corpus directory belongs to a target and every corpus input is handled', async () => {
    const dirs = readdirSync(CORPUS_DIR);
    expect(dirs.length).toBeGreaterThan(0);
    let inputs = 0;
    for (const d of dirs) {
      const t = target(d);
      for (const f of readdirSync(path.join(CORPUS_DIR, d))) {
        if (f === 'trust.json') continue;
        inputs++;
        const out = await check(t, readFileSync(path.join(CORPUS_DIR, d, f)));
        expect(out, `${d}/${f}`).toMatchObject({ ok: true });
      }
    }
    expect(inputs).toBeGreaterThanOrEqual(dirs.length);
  });

  it('names each target once', () => {
    expect(new Set(TARGETS.map((t) => t.name)).size).toBe(TARGETS.length);
  });
});
