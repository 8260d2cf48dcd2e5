import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMES } from '../../src/versions/index.js';
import type { Ordering, VersionFormat } from '../../src/versions/scheme.js';
import { FIXTURES, tempDir } from '../helpers/fixtures.js';
import { conformanceFailures, loadVectors, outcome, type Vector } from './vectors.js';

/**
 * Every vector file at once: for each pair its reference orders, Vigil answers, and
 * answers the same; for each pair the reference refuses, Vigil refuses. Each scheme's
 * own test file says why and checks more; this one makes sure no file and no pair is
 * left out, and counts what Vigil calls unusual.
 */

/** The scheme each file's expected values are for, and what the reference does with its pairs. */
const FILES: Record<string, { scheme: VersionFormat; reference: 'orders' | 'refuses' | 'by the file' }> = {
  'dpkg.json': { scheme: 'dpkg', reference: 'orders' },
  // dpkg answers after a warning for some of these, exits 2 for others: its message says which.
  'dpkg-invalid.json': { scheme: 'dpkg', reference: 'by the file' },
  'rpm-vercmp.json': { scheme: 'rpm', reference: 'orders' },
  'rpm-evr.json': { scheme: 'rpm', reference: 'orders' },
  'rpm-mismatch-with-go-rpm-version.json': { scheme: 'rpm', reference: 'orders' },
  'rpm-vercmp-rejected-by-rpm.json': { scheme: 'rpm', reference: 'refuses' },
  'apk.json': { scheme: 'apk', reference: 'orders' },
  'pep440.json': { scheme: 'pep440', reference: 'orders' },
  'pep440-invalid.json': { scheme: 'pep440', reference: 'refuses' },
  'maven.json': { scheme: 'maven', reference: 'orders' },
  // The expected order is later Maven's; the reference (Maven 3.8.7) answers `maven_3_8_7_result`.
  'maven-disagreements.json': { scheme: 'maven', reference: 'by the file' },
  'semver.json': { scheme: 'semver', reference: 'orders' },
  // osv-scalibr's generic-SemVer expectations; npm semver refuses these versions.
  'semver-disagreements.json': { scheme: 'semver', reference: 'refuses' },
  'nuget.json': { scheme: 'nuget', reference: 'orders' },
  // pacman's test/util/vercmptest.sh, checked against the real vercmp by pacman.test.ts.
  'pacman.json': { scheme: 'pacman', reference: 'orders' },
};
/** Range vectors, checked by semver.test.ts: not pairs of versions. */
const NOT_PAIRS = ['semver-ranges.json'];

type AnyVector = Vector & { dpkg_message?: string; maven_3_8_7_result?: Ordering };

/** What the reference answers for a vector: its ordering, 'VersionError' where the tool refuses, 'dpkg' where dpkg answers after a warning. */
function referenceAnswer(file: string, v: AnyVector): Ordering | 'VersionError' | 'dpkg' {
  const { reference } = FILES[file]!;
  if (reference === 'orders') return v.expected;
  if (reference === 'refuses') return 'VersionError';
  if (v.maven_3_8_7_result !== undefined) return v.maven_3_8_7_result;
  // dpkg-invalid.json: an error line means dpkg exits 2; Vigil also refuses the empty string dpkg reads as blank.
  if (/^dpkg: error:/m.test(v.dpkg_message ?? '') || v.a === '' || v.b === '') return 'VersionError';
  return 'dpkg';
}

describe('every version vector file', () => {
  it('is covered here', () => {
    const files = readdirSync(path.join(FIXTURES, 'versions')).filter((f) => f.endsWith('.json') && !NOT_PAIRS.includes(f));
    expect(files.sort()).toEqual(Object.keys(FILES).sort());
  });

  it('gets an answer from Vigil for every pair its reference orders, the same answer, in both directions, and a refusal where the reference refuses', () => {
    const failures: string[] = [];
    const counts: string[] = [];
    let refusedButOrdered = 0;
    for (const file of Object.keys(FILES)) {
      const scheme = SCHEMES[FILES[file]!.scheme];
      const vectors = loadVectors<AnyVector>(file);
      let ordered = 0;
      let unusual = 0;
      for (const v of vectors) {
        const want = referenceAnswer(file, v);
        const got = outcome(() => scheme.compare(v.a, v.b));
        const back = outcome(() => scheme.compare(v.b, v.a));
        if (want === 'VersionError') {
          if (got !== 'VersionError' || back !== 'VersionError') failures.push(`${file}: ${JSON.stringify(v.a)} vs ${JSON.stringify(v.b)} was compared; the reference refuses it`);
          continue;
        }
        ordered++;
        if (got === 'VersionError' || back === 'VersionError') refusedButOrdered++;
        if (want === 'dpkg') continue; // ordered, with the answer dpkg.test.ts takes from the real dpkg
        if (got !== want || back !== -want) failures.push(`${file}: ${v.a} vs ${v.b}: got ${got}/${back}, want ${want}/${-want}`);
        if ([v.a, v.b].some((x) => scheme.unusual(x) !== undefined)) unusual++;
      }
      counts.push(`${file}: ${vectors.length} pairs, ${ordered} ordered by the reference, ${unusual} with an unusual side`);
    }
    console.log(counts.join('\n'));
    expect(failures).toEqual([]);
    expect(refusedButOrdered).toBe(0);
  });

  it('agrees with the real rpm, run here, on every rpm-vercmp.json and rpm-evr.json pair', () => {
    const pairs = [...loadVectors('rpm-vercmp.json'), ...loadVectors('rpm-evr.json')].map((v) => [v.a, v.b] as const);
    const { dir, cleanup } = tempDir('vigil-rpm-all-');
    try {
      const file = path.join(dir, 'pairs');
      writeFileSync(file, pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
      const lua = `for line in io.lines('${file}') do local a, b = line:match('^(.-)\\t(.*)$'); local ok, r = pcall(rpm.vercmp, a, b); print((ok and tostring(r) or 'error') .. ' ') end`;
      const real = execFileSync('rpm', ['--eval', `%{lua: ${lua}}`], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split(/\s+/);
      expect(real.length).toBe(pairs.length);
      const failures = pairs.flatMap(([a, b], i) => {
        const got = outcome(() => SCHEMES.rpm.compare(a, b));
        return String(got) === real[i] ? [] : [`${a} vs ${b}: got ${got}, rpm says ${real[i]}`];
      });
      expect(failures).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('conforms in full for each file the reference orders (self-equality and antisymmetry included)', () => {
    for (const [file, { scheme, reference }] of Object.entries(FILES)) {
      if (reference !== 'orders') continue;
      const vectors = loadVectors(file);
      // semver.json's strict vectors are answered the same in npm's loose mode, Vigil's default (semver.test.ts).
      expect(conformanceFailures(SCHEMES[scheme], vectors), file).toEqual([]);
    }
  });
});
