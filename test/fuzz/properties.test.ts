/**
 * Property tests of every fuzz target (test/fuzz/targets.ts): over mutations of the
 * target's real fixtures, each call either returns a result or rejects with a clean
 * error naming what was wrong, and no call runs over TIME_LIMIT_MS (the issue's
 * "no hang over 1 s": a bound on one call, far above the milliseconds these parsers
 * take, not a benchmark). Fixed seed and bounded runs; a failing case is printed
 * with its replay path, and its input belongs in test/fixtures/fuzz/<target>/.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, caseOf } from './mutate.js';
import { check, seedsOf, TARGETS } from './targets.js';

const SEED = 0x5eed_f022;
const RUNS = Number(process.env.VIGIL_FUZZ_RUNS ?? 1000);

describe('fuzz properties: a result or a clean rejection, never a crash or a hang', () => {
  for (const t of TARGETS) {
    it(`${t.name} (${t.entry})`, async () => {
      const seeds = await seedsOf(t);
      expect(seeds.length).toBeGreaterThan(0);
      // The unmutated seeds first: every fixture passes as it is, and at least one gives a result.
      const plain = [];
      for (const s of seeds) plain.push(await check(t, s));
      for (const o of plain) expect(o).toMatchObject({ ok: true });
      expect(plain.some((o) => o.ok && o.rejected === undefined)).toBe(true);
      await fc.assert(
        fc.asyncProperty(caseOf(seeds.length), async (c) => {
          const out = await check(t, apply(seeds, c));
          if (!out.ok) throw new Error(out.why);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
  }
});
