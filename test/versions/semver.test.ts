import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { VersionError } from '../../src/versions/scheme.js';
import { NPM_AUDIT_RANGE_OPTIONS, satisfiesRange, semverScheme, semverStrictScheme } from '../../src/versions/semver.js';
import { conformanceFailures, HOSTILE_VERSIONS, loadVectors, outcome, refusalFailures, type Vector } from './vectors.js';

interface Pair extends Vector {
  loose: boolean;
}

interface RangeVector {
  range: string;
  version: string;
  expected: boolean;
  options: { loose?: unknown; includePrerelease?: unknown };
  source: string;
}

const INVALID = [...HOSTILE_VERSIONS, '1.2.3\n', '1.2.\u00003', '\u001b[31m1.2.3', '1.2.3\u00a0', '1.2.3; rm -rf /', `1.2.3-${'a'.repeat(10 * 1024)}`, '1.2', 'x.y.z'];

describe('semver scheme (npm semver 7.8.6)', () => {
  it('agrees with npm semver compare on every semver.json vector, in both directions', () => {
    const vectors = loadVectors<Pair>('semver.json');
    expect(vectors.length).toBe(100);
    const failures = [...conformanceFailures(semverScheme, vectors.filter((v) => v.loose)), ...conformanceFailures(semverStrictScheme, vectors.filter((v) => !v.loose))];
    for (const v of vectors) {
      // Loose is the default because it accepts more and orders strict versions identically.
      if (!v.loose && semverScheme.compare(v.a, v.b) !== v.expected) failures.push(`loose default differs on strict vector ${v.a} vs ${v.b}`);
      // Strict mode never gives a different answer on a loose vector: it answers the same or refuses.
      if (v.loose) {
        const strict = outcome(() => semverStrictScheme.compare(v.a, v.b));
        if (strict !== v.expected && strict !== 'VersionError') failures.push(`strict mode answered ${strict} on loose vector ${v.a} vs ${v.b}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('agrees with npm semver.satisfies on every semver-ranges.json vector, except where npm silently says false for a non-version', () => {
    const vectors = loadVectors<RangeVector>('semver-ranges.json');
    expect(vectors.length).toBe(156);
    const failures: string[] = [];
    let refused = 0;
    for (const v of vectors) {
      // The vectors pass npm's options as found in its tests (`loose: 123`, `loose: null`); npm reads them as booleans.
      const options = { loose: Boolean(v.options.loose), includePrerelease: Boolean(v.options.includePrerelease) };
      const got = outcome(() => satisfiesRange(v.version, v.range, options));
      if (got === 'VersionError') {
        refused++;
        // npm answers false for a string that is no version at all; Vigil refuses to answer.
        if (semver.valid(v.version, options) !== null || v.expected !== false) failures.push(`${v.version} in ${JSON.stringify(v.range)}: refused, npm says ${v.expected}`);
      } else if (got !== v.expected) {
        failures.push(`${v.version} in ${JSON.stringify(v.range)} ${JSON.stringify(options)}: got ${got}, want ${v.expected}`);
      }
    }
    expect(failures).toEqual([]);
    expect(refused).toBe(1); // `glorp` in `>=2`
  });

  it('refuses the semver-disagreements.json versions, as npm semver does, instead of following osv-scalibr', () => {
    const vectors = loadVectors<Pair>('semver-disagreements.json');
    expect(vectors.length).toBe(3);
    const failures: string[] = [];
    for (const v of vectors) {
      for (const scheme of [semverScheme, semverStrictScheme]) {
        if (outcome(() => scheme.compare(v.a, v.b)) !== 'VersionError') failures.push(`${v.a} vs ${v.b} was compared`);
      }
      if (semver.valid(v.a, { loose: true }) !== null) failures.push(`npm semver accepts ${v.a}`);
    }
    expect(failures).toEqual([]);
  });

  it('tests installed versions against advisory ranges the way npm audit does, pre-releases included', () => {
    expect(NPM_AUDIT_RANGE_OPTIONS).toEqual({ loose: true, includePrerelease: true });
    expect(satisfiesRange('2.0.0-beta.1', '<2.0.1')).toBe(true);
    expect(semver.satisfies('2.0.0-beta.1', '<2.0.1')).toBe(false);
    expect(satisfiesRange('5.0.0-alpha.2', '>=5.0.0-alpha.1 <5.0.0-beta.3')).toBe(true);
    expect(satisfiesRange('4.17.21', '<4.17.21')).toBe(false);
    expect(satisfiesRange('=4.17.20', '<4.17.21')).toBe(true);
    expect(satisfiesRange('1.2.3', '')).toBe(true); // npm's empty range is `*`
    expect(() => satisfiesRange('1.2.3', '>= 1.2.3.4')).toThrow(VersionError);
    expect(() => satisfiesRange('1.2.3', 'blerg')).toThrow(/not an npm version range/);
    expect(() => satisfiesRange('1.2.3', `>=1.0.0\n<2.0.0`)).toThrow(/U\+000A/);
    expect(() => satisfiesRange('1.2.3', '>=1.0.0 || '.repeat(1000))).toThrow(/longer than 4096/);
  });

  it('accepts loose forms by default and refuses them in strict mode with a reason', () => {
    expect(semverScheme.compare('=1.2.3', '1.2.3')).toBe(0);
    expect(semverScheme.compare('1.2.3beta', '1.2.3-beta')).toBe(0);
    expect(semverScheme.compare('01.2.3', '1.2.3')).toBe(0);
    expect(semverScheme.compare('1.2.3+build.1', '1.2.3+build.2')).toBe(0);
    expect(() => semverStrictScheme.validate('=1.2.3')).toThrow(/valid only in npm semver loose mode/);
    expect(() => semverStrictScheme.validate('01.2.3')).toThrow(VersionError);
    expect(() => semverScheme.validate('99999999999999999.0.0')).toThrow(/larger than npm semver allows/);
  });

  it('refuses empty, whitespace, control characters, 10 KB strings and shell text with VersionError', () => {
    expect([semverScheme, semverStrictScheme].flatMap((scheme) => refusalFailures(scheme, INVALID, '1.0.0'))).toEqual([]);
    expect(() => semverScheme.validate('')).toThrow(/: empty$/);
    expect(() => semverScheme.validate('1.2.3\n')).toThrow(/U\+000A at offset 5/);
  });
});
