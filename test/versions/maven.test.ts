import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_MAVEN_LENGTH, mavenScheme } from '../../src/versions/maven.js';
import type { Ordering } from '../../src/versions/scheme.js';
import { REPO } from '../helpers/fixtures.js';
import { hasJava, mavenCompare } from '../helpers/maven-reference.js';
import { antisymmetryFailures, conformanceFailures, loadVectors, orderFailures, outcome, pickOne, referenceFailures, refusalFailures, samplePairs, seededRandom, type Vector } from './vectors.js';

const VALID = loadVectors('maven.json');
const DISAGREEMENTS = loadVectors<Vector & { maven_3_8_7_result: Ordering }>('maven-disagreements.json');

/** Vigil's answer, or 'VersionError' when it refuses. */
const compare = (a: string, b: string) => outcome(() => mavenScheme.compare(a, b));

type Osv = { affected?: { versions?: string[]; ranges?: { events?: Record<string, string>[] }[] }[] };
const ghsa = (): Osv[] => JSON.parse(gunzipSync(readFileSync(path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-maven.osv.json.gz'))).toString('utf8')) as Osv[];

/** Strings Maven accepts that Vigil compares too, although no repository would publish them. */
const ODD_BUT_ACCEPTED = ['$(id)', ';', '1.0; rm -rf /', '`id`', '1.0 beta', '../../etc/passwd', '%00', '\u00fcber-1', '1.0-\u0130', '1.0-\u03a3\u03a3', '1.0-STRASSE', '1.0-stra\u00dfe', '1-constructor', '1-__proto__', 'hasOwnProperty'];

describe('Maven versions (ComparableVersion 3.8.7)', () => {
  it('orders every pair of maven.json as Maven 3.8.7 does, and antisymmetrically', () => {
    expect(conformanceFailures(mavenScheme, VALID)).toEqual([]);
    expect(VALID.length).toBeGreaterThan(21_000);
  });

  it("follows 3.8.7, not later Maven, where they disagree (maven-disagreements.json)", () => {
    expect(conformanceFailures(mavenScheme, DISAGREEMENTS.map((v) => ({ ...v, expected: v.maven_3_8_7_result })))).toEqual([]);
    expect(DISAGREEMENTS).toHaveLength(22);
  });

  it('knows the qualifier order, the a1/b1/m1 shorthands, trailing zeros and "-" nesting', () => {
    const ascending = ['1-alpha1', '1-a2', '1-beta1', '1-b2', '1-milestone1', '1-m2', '1-rc1', '1-cr2', '1-snapshot', '1', '1-sp', '1-abc', '1-xyz', '1-1', '1.1'];
    expect(orderFailures(mavenScheme, ascending)).toEqual([]);
    for (const same of ['1.0', '1.0.0', '1-ga', '1-final', '1.0-release', '1-0', '1.0.0-0.0']) expect(compare('1', same)).toBe(0);
    expect(compare('1-RC1', '1-rc-1')).toBe(0);
    expect(compare('1.0.0000000000000000000001', '1.0.1')).toBe(0);
    expect(compare('99999999999999999999999.1', '99999999999999999999998.2')).toBe(1);
  });

  it('refuses what cannot be a Maven version, and compares odd strings as Maven does', () => {
    const refused: [string, RegExp][] = [
      ['', /empty/],
      ['1.0\u0000', /control character/],
      ['1.0\n2.0', /control character/],
      ['\u0085', /control character/],
      [' 1.0', /whitespace/],
      ['1.0\u00a0', /whitespace/],
      ['x'.repeat(10 * 1024), new RegExp(`longer than ${MAX_MAVEN_LENGTH}`)],
      ['1'.repeat(MAX_MAVEN_LENGTH + 1), /longer than/],
    ];
    expect(refusalFailures(mavenScheme, refused)).toEqual([]);
    expect(() => mavenScheme.validate('1.' + '0'.repeat(MAX_MAVEN_LENGTH - 2))).not.toThrow();
    for (const odd of ODD_BUT_ACCEPTED) expect(() => mavenScheme.validate(odd)).not.toThrow();
    expect(antisymmetryFailures(mavenScheme, ODD_BUT_ACCEPTED.map((odd) => [odd, '1.0'] as const))).toEqual([]);
  });

  it.skipIf(!hasJava)('agrees with Maven 3.8.7 (Debian libmaven3-core-java) on random pairs, every GHSA version and Unicode digits', () => {
    const pool = [...new Set(VALID.flatMap((v) => [v.a, v.b]))];
    const random = seededRandom(387);
    const pick = (from: string[]): string => pickOne(from, random);
    const pairs = samplePairs(pool, 2000, random);

    const advisory = new Set<string>();
    for (const rec of ghsa())
      for (const aff of rec.affected ?? []) {
        const listed = aff.versions ?? [];
        listed.forEach((v, i) => {
          advisory.add(v);
          if (i > 0) pairs.push([listed[i - 1]!, v]);
        });
        for (const range of aff.ranges ?? []) for (const ev of range.events ?? []) Object.values(ev).forEach((v) => advisory.add(v));
      }
    const real = [...advisory];
    for (const v of real) pairs.push([v, pick(real)], [v, pick(pool)]);

    // Java's Character.isDigit and Character.digit, which Maven splits and parses numbers by.
    for (let c = 0x80; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (!/\p{Nd}/u.test(ch)) continue;
      for (let d = 0; d <= 9; d++) pairs.push([`1.${ch}`, `1.${d}`]);
      pairs.push([`1.${ch}${ch}`, `1.${ch}`], [`1.0${ch}000000000`, '1.1'], [`rc${ch}`, `rc-${ch}`]);
    }
    for (const odd of ODD_BUT_ACCEPTED) pairs.push([odd, '1.0'], [odd, pick(pool)]);

    const maven = mavenCompare(pairs);
    expect(maven.version).toBe('3.8.7');
    expect(maven.signs).toHaveLength(pairs.length);
    expect(referenceFailures(mavenScheme, pairs, maven.signs, 'Maven').slice(0, 50)).toEqual([]);
    expect(real.length).toBeGreaterThan(3000);
  });
});
