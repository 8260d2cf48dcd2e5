import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpkgScheme } from '../../src/versions/dpkg.js';
import { VersionError } from '../../src/versions/scheme.js';
import { PKGDB } from '../helpers/fixtures.js';
import { conformanceFailures, HOSTILE_VERSIONS, loadVectors, outcome, pickOne, referenceFailures, refusalFailures, samplePairs, seededRandom, shellTextAfter, type Pair } from './vectors.js';

interface InvalidPair {
  a: string;
  b: string;
  dpkg_message: string;
  source: string;
}

/** The real dpkg's answer: -1/0/1, or 'error' when it exits 2 (bad syntax it does not tolerate). */
function dpkg(a: string, b: string): -1 | 0 | 1 | 'error' {
  // `--` keeps dpkg from reading a version such as `-0:1.0` as an option.
  const run = (op: string) => spawnSync('dpkg', ['--compare-versions', '--', a, op, b], { stdio: ['ignore', 'ignore', 'pipe'] }).status;
  const lt = run('lt');
  if (lt === 2) return 'error';
  if (lt === 0) return -1;
  return run('eq') === 0 ? 0 : 1;
}

function statusFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) return statusFiles(p);
    return /\.(json|md5sums)$/.test(e) ? [] : [p];
  });
}

const INVALID = [
  ...HOSTILE_VERSIONS,
  ' 1.0',
  '1.0 ',
  '1.0\n',
  '1.0-1\r',
  '1.\u00000',
  '\u001b[31m1.0',
  '1.0\u00a0',
  '1.0\u200b',
  '1.0-1ü',
  ...shellTextAfter('1.0'),
  `1.0-${'a'.repeat(10 * 1024)}`,
];

describe('dpkg scheme (dpkg 1.21.22)', () => {
  it('agrees with dpkg on every dpkg.json vector, in both directions', () => {
    const vectors = loadVectors('dpkg.json');
    expect(vectors.length).toBe(10534);
    expect(conformanceFailures(dpkgScheme, vectors)).toEqual([]);
  });

  it('refuses what dpkg refuses on dpkg-invalid.json, and answers as dpkg does where dpkg only warns', () => {
    const vectors = loadVectors<InvalidPair>('dpkg-invalid.json');
    expect(vectors.length).toBe(12);
    const failures: string[] = [];
    let answered = 0;
    for (const v of vectors) {
      const real = dpkg(v.a, v.b);
      const errorLine = /^dpkg: error: version '(.*)' has bad syntax: (.*)$/m.exec(v.dpkg_message);
      const got = outcome(() => dpkgScheme.compare(v.a, v.b));
      const back = outcome(() => dpkgScheme.compare(v.b, v.a));
      if (errorLine) {
        // dpkg exits 2: Vigil refuses the same side, in dpkg's words.
        if (real !== 'error') failures.push(`dpkg no longer refuses ${v.a} vs ${v.b}`);
        try {
          dpkgScheme.validate(errorLine[1]!);
          failures.push(`accepted ${errorLine[1]}`);
        } catch (err) {
          if (!(err instanceof VersionError) || !err.message.includes(errorLine[2]!)) failures.push(`bad error for ${errorLine[1]}: ${String(err)}`);
        }
        if (got !== 'VersionError' || back !== 'VersionError') failures.push(`${v.a} vs ${v.b} was compared`);
      } else if (v.a === '' || v.b === '') {
        // dpkg reads '' as the blank version without a word; Vigil refuses to guess.
        if (got !== 'VersionError' || back !== 'VersionError') failures.push(`${JSON.stringify(v.a)} vs ${JSON.stringify(v.b)} was compared`);
      } else {
        // Warnings only: dpkg answers, and so does Vigil, with the same answer.
        answered++;
        if (real === 'error' || got !== real || back !== -real) failures.push(`${v.a} vs ${v.b}: got ${got}/${back}, dpkg says ${real}`);
      }
    }
    expect(failures).toEqual([]);
    expect(answered).toBe(8);
  });

  it('agrees with the real dpkg on 300 random pairs of versions from the dpkg databases in the fixtures', () => {
    const files = [...statusFiles(path.join(PKGDB, 'dpkg')), path.join(PKGDB, 'debian12-minbase-status')];
    const versions = [...new Set(files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^Version: (.+)$/gm)].map((m) => m[1]!)))].sort();
    expect(versions.length).toBeGreaterThan(100);
    const pairs = samplePairs(versions, 300, seededRandom(20240601), 20);
    expect(referenceFailures(dpkgScheme, pairs, pairs.map(([a, b]) => dpkg(a, b)), 'dpkg')).toEqual([]);
  });

  it('agrees with the real dpkg on edge cases: tildes, long digit runs, epochs at their limits, signs, letters against punctuation', () => {
    const big = '1' + '0'.repeat(40);
    const cases: [string, string][] = [
      ['1.0~rc1', '1.0'],
      ['1.0~~', '1.0~'],
      ['1.0~', '1.0'],
      ['1.0', '1.0-0'],
      ['1.0-0', '1.0-'.concat('00')],
      ['1.0+dfsg-1', '1.0-1'],
      ['1.0a', '1.0+'],
      ['1.0a', '1.0.'],
      ['1.0A', '1.0a'],
      ['1.0-1+deb12u1', '1.0-1+b1'],
      [`1.${big}`, `1.${big.slice(0, -1)}9`],
      [`1.${big}1`, `1.${big}0`],
      [`1.000${big}`, `1.${big}`],
      ['2147483647:1.0', '2147483646:9.9'],
      ['+1:1.0', '1:1.0'],
      ['-0:1.0', '1.0'],
      ['00:1.0', '1.0'],
      ['1:1.0:2-3', '1:1.0:2-2'],
      ['1.0-a-b', '1.0-a-c'],
      ['6.0-4.el6.x86_64', '6.0-4.el6.x86+64'],
      ['a', 'b'],
      ['~', 'a'],
    ];
    const pairs: Pair[] = cases.flatMap(([a, b]) => [[a, b] as const, [b, a] as const]);
    const want = pairs.map(([a, b]) => dpkg(a, b)).map((r) => (r === 'error' ? 'VersionError' : r));
    expect(referenceFailures(dpkgScheme, pairs, want, 'dpkg')).toEqual([]);
  });

  it("refuses every version dpkg refuses, naming dpkg's reason", () => {
    const cases: [string, RegExp][] = [
      ['1.0-', /revision number is empty/],
      ['1:', /nothing after colon in version number/],
      [':1.0', /epoch in version is empty/],
      ['+:1.0', /epoch in version is empty/],
      ['a:1.0', /epoch in version is empty/],
      ['1a:1.0', /epoch in version is not number/],
      ['-1:1.0', /epoch in version is negative/],
      ['2147483648:1.0', /epoch in version is too big/],
      ['99999999999999999999:1.0', /epoch in version is too big/],
      ['1:-1', /version number is empty/],
      ['-1', /version number is empty/],
    ];
    const failures: string[] = [];
    for (const [v, reason] of cases) {
      if (dpkg(v, '1.0') !== 'error') failures.push(`dpkg accepts ${v}`);
      const err = outcome(() => dpkgScheme.validate(v));
      if (err !== 'VersionError') failures.push(`accepted ${v}`);
      expect(() => dpkgScheme.compare('1.0', v)).toThrow(reason);
    }
    expect(failures).toEqual([]);
  });

  it('refuses empty, whitespace, control characters, 10 KB strings and shell text with VersionError, though dpkg only warns about some', () => {
    expect(refusalFailures(dpkgScheme, INVALID)).toEqual([]);
    // Stricter than dpkg on purpose: dpkg compares these after a warning.
    expect(dpkg('$(id)', '1.0')).toBe(1);
    expect(dpkg('1.0;id', '1.0')).toBe(1);
    expect(() => dpkgScheme.validate('')).toThrow(/: empty$/);
    expect(() => dpkgScheme.validate('1.0\n')).toThrow(/U\+000A at offset 3/);
    expect(() => dpkgScheme.validate('1.0;id')).toThrow(/';' at offset 3/);
    expect(() => dpkgScheme.validate('9'.repeat(10 * 1024))).toThrow(/longer than 256 characters/);
  });

  it('answers for versions dpkg only warns about, as dpkg does', () => {
    expect(dpkgScheme.compare('6.0-4.el6.x86_64', '6.0-5.el6.x86_64')).toBe(-1);
    expect(dpkgScheme.compare('a', 'b')).toBe(-1);
    expect(dpkgScheme.compare('~~', '~~a')).toBe(-1);
    expect(() => dpkgScheme.validate('1.0-1_el6')).not.toThrow();
    expect(() => dpkgScheme.validate('beta1')).not.toThrow();
  });

  it("calls unusual, in dpkg's words, every version dpkg warns about in dpkg-invalid.json, and nothing in dpkg.json that dpkg accepts silently", () => {
    const failures: string[] = [];
    for (const v of loadVectors<InvalidPair>('dpkg-invalid.json')) {
      for (const m of v.dpkg_message.matchAll(/^dpkg: warning: version '(.*)' has bad syntax: (.*)$/gm)) {
        const note = dpkgScheme.unusual(m[1]!);
        const words = m[2]!.replace(/^invalid character in/, 'in');
        if (!note?.includes(words) || !note.endsWith('(dpkg warns, and compares it)')) failures.push(`${m[1]}: ${String(note)}, dpkg says ${m[2]}`);
      }
    }
    expect(failures).toEqual([]);
    expect(dpkgScheme.unusual('6.0-4.el6.x86_64')).toBe("invalid character '_' at offset 13 in revision number (dpkg warns, and compares it)");
    // dpkg.json holds none that dpkg warns about (checked on a sample with the real dpkg): none is unusual.
    const versions = [...new Set(loadVectors('dpkg.json').flatMap((v) => [v.a, v.b]))];
    expect(versions.filter((x) => dpkgScheme.unusual(x) !== undefined)).toEqual([]);
    const warns = (x: string): boolean => /warning: version .* has bad syntax/.test(spawnSync('dpkg', ['--compare-versions', '--', x, 'eq', x], { encoding: 'utf8' }).stderr);
    const random = seededRandom(20260602);
    expect(Array.from({ length: 200 }, () => pickOne(versions, random)).filter(warns)).toEqual([]);
  });
});
