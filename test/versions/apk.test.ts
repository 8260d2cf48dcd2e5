import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apkScheme } from '../../src/versions/apk.js';
import { VersionError } from '../../src/versions/scheme.js';
import { PKGDB } from '../helpers/fixtures.js';
import { conformanceFailures, HOSTILE_VERSIONS, loadVectors, orderFailures, outcome, refusalFailures, shellTextAfter } from './vectors.js';

const valid = (v: string): boolean => outcome(() => apkScheme.validate(v)) !== 'VersionError';

const INVALID = [
  ...HOSTILE_VERSIONS,
  ' 1.0',
  '1.0 ',
  '1.0\n',
  '1.0-r1\r',
  '1.\u00000',
  '\u001b[31m1.0',
  '1.0\u00a0',
  '1.0-r1ü',
  ...shellTextAfter('1.0'),
  `1.0-r${'1'.repeat(10 * 1024)}`,
];

describe('apk scheme (apk-tools 3)', () => {
  it('agrees with every apk.json vector whose versions apk accepts, in both directions, and refuses the rest', () => {
    const vectors = loadVectors('apk.json');
    expect(vectors.length).toBe(10241);
    const failures = conformanceFailures(apkScheme, vectors.filter((v) => valid(v.a) && valid(v.b)));
    const refused: string[] = [];
    for (const v of vectors.filter((v) => !valid(v.a) || !valid(v.b))) {
      // apk_version_validate rejects a side: Vigil names it rather than repeat apk's accidental answer.
      refused.push(`${v.a} vs ${v.b}`);
      for (const [x, y] of [
        [v.a, v.b],
        [v.b, v.a],
      ] as const) {
        try {
          apkScheme.compare(x, y);
          failures.push(`${x} vs ${y} was compared`);
        } catch (err) {
          const bad = valid(x) ? y : x;
          if (!(err instanceof VersionError) || err.scheme !== 'apk' || err.version !== bad) failures.push(`bad error for ${x} vs ${y}: ${String(err)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(refused.length).toBe(60);
    // Of those, versions like openssh's `6.6.1p1-r0` from old Alpine releases, a number right after a letter
    // (read by older apk-tools 2 releases, rejected since: apk-tools 3 would find every such pair equal) ...
    expect(refused.filter((p) => /\d[a-z]\d+-r\d/.test(p)).length).toBe(36);
    // ... and the rest osv-scalibr and apk-tools corner cases: `1.0bc`, `23_foo`, `1-ruff`, `.1`, `c`, `1-r`, `0..1..0`.
    expect(refused.filter((p) => !/\d[a-z]\d+-r\d/.test(p)).length).toBe(24);
  });

  it('accepts every version in the apk databases in the fixtures', () => {
    const versions = readdirSync(path.join(PKGDB, 'apk')).flatMap((dir) =>
      [...readFileSync(path.join(PKGDB, 'apk', dir, 'installed'), 'utf8').matchAll(/^V:(.+)$/gm)].map((m) => m[1]!),
    );
    expect(versions.length).toBeGreaterThan(20);
    expect(versions.filter((v) => !valid(v))).toEqual([]);
  });

  it('orders suffixes, letters, revisions, commit hashes and leading zeros as apk-tools does', () => {
    const ascending = ['1.0_alpha', '1.0_alpha1', '1.0_alpha2_pre1', '1.0_beta', '1.0_pre', '1.0_rc1', '1.0', '1.0-r0', '1.0-r1', '1.0-r10', '1.0_cvs', '1.0_svn', '1.0_git', '1.0_hg', '1.0_p1'];
    expect(orderFailures(apkScheme, ascending)).toEqual([]);
    expect(apkScheme.compare('1.2', '1.2a')).toBe(-1);
    expect(apkScheme.compare('1.2a', '1.2b')).toBe(-1);
    expect(apkScheme.compare('1.2z', '1.3')).toBe(-1);
    expect(apkScheme.compare('1.0-r1', '1.0-r01')).toBe(0);
    // A leading zero makes apk compare the part as text, like a decimal fraction.
    expect(apkScheme.compare('1.01', '1.1')).toBe(-1);
    expect(apkScheme.compare('1.010', '1.01')).toBe(1);
    expect(apkScheme.compare('1.09', '1.1')).toBe(-1);
    expect(apkScheme.compare('01', '1')).toBe(0);
    // Commit hashes sit between suffixes and the revision.
    expect(apkScheme.compare('1.0~abc123', '1.0~abc124')).toBe(-1);
    expect(apkScheme.compare('1.0_git20240101~abc-r1', '1.0_git20240101-r1')).toBe(1);
    expect(apkScheme.compare('1.0~abc', '1.0')).toBe(1);
    // Digit runs keep their value at any length, where apk's uint64_t would wrap.
    const big = '1' + '0'.repeat(25);
    expect(apkScheme.compare(`1.${big}`, `1.${'9'.repeat(25)}`)).toBe(1);
    expect(apkScheme.compare(`1.${big}1`, `1.${big}0`)).toBe(1);
    expect(apkScheme.compare(`1.0_pre${big}`, `1.0_pre${big}`)).toBe(0);
    expect(apkScheme.compare('1.0.0_pre20191002222144-r0', '1.0.0_pre20210530193627-r0')).toBe(-1);
  });

  it("refuses what apk_version_validate rejects, saying where and why", () => {
    const cases: [string, RegExp][] = [
      ['6.6.1p1-r0', /offset 6 \('1'\): a number may not follow a letter/],
      ['1.0bc', /offset 4 \('c'\): a letter may only follow a number/],
      ['1.0_foo', /'_foo' is not an apk suffix/],
      ['1.0_', /'_' is not an apk suffix/],
      ['1.0-r', /at the end: '-r' must be followed by a number/],
      ['1.0-1', /'-' must start a revision/],
      ['1.0-r1-r2', /a version has one revision/],
      ['1.0-r1_p1', /a suffix may not follow a commit hash or a revision/],
      ['1.0~', /'~' must be followed by a lowercase hex commit hash/],
      ['1.0~ABC', /'~' must be followed by a lowercase hex commit hash/],
      ['1.0~ab~cd', /'~' may not follow a commit hash/],
      ['1..0', /'.' must be followed by a number/],
      ['1.0.', /at the end: '.' must be followed by a number/],
      ['1.0_rc1.2', /'.' may only follow a number/],
      ['.1', /offset 0 \('.'\): a version must start with a digit/],
      ['v1.0', /a version must start with a digit/],
      ['1.0+1', /offset 3 \('\+'\): apk versions have no such character/],
      ['1.0A', /apk versions have no such character/],
    ];
    const failures: string[] = [];
    for (const [v, reason] of cases) {
      try {
        apkScheme.validate(v);
        failures.push(`accepted ${v}`);
      } catch (err) {
        if (!(err instanceof VersionError) || !reason.test(err.message)) failures.push(`${v}: ${String(err)}`);
      }
    }
    expect(failures).toEqual([]);
    for (const v of ['0', '1.0', '1.2.3_alpha1_pre2-r3', '1.0~0123abc-r1', '1.0_p1-r0', '20240101', '2.9.11_pre20061021-r2']) {
      expect(() => apkScheme.validate(v)).not.toThrow();
    }
  });

  it('refuses empty, whitespace, control characters, 10 KB strings and shell text with VersionError', () => {
    expect(refusalFailures(apkScheme, INVALID)).toEqual([]);
    expect(() => apkScheme.validate('')).toThrow(/: empty$/);
    expect(() => apkScheme.validate('1.0\n')).toThrow(/U\+000A/);
    expect(() => apkScheme.validate('1.0;id')).toThrow(/offset 3 \(';'\)/);
    expect(() => apkScheme.validate('9'.repeat(10 * 1024))).toThrow(/longer than 256 characters/);
  });
});
