import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpkgScheme } from '../../src/versions/dpkg.js';
import { VersionError } from '../../src/versions/scheme.js';
import { FIXTURES, PKGDB } from '../helpers/fixtures.js';

interface Pair {
  a: string;
  b: string;
  expected: -1 | 0 | 1;
  source: string;
}

interface InvalidPair {
  a: string;
  b: string;
  dpkg_message: string;
  source: string;
}

const load = <T>(name: string): T[] => JSON.parse(readFileSync(path.join(FIXTURES, 'versions', name), 'utf8')) as T[];

function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (err) {
    if (err instanceof VersionError) return 'VersionError';
    throw err;
  }
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

/** A small seeded PRNG so that the sampled pairs, and any failure, are reproducible. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function statusFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) return statusFiles(p);
    return /\.(json|md5sums)$/.test(e) ? [] : [p];
  });
}

const INVALID = [
  '',
  ' ',
  '\t',
  ' 1.0',
  '1.0 ',
  '1.0\n',
  '1.0-1\r',
  '1.\u00000',
  '\u001b[31m1.0',
  '1.0\u00a0',
  '1.0\u200b',
  '1.0-1ü',
  '$(id)',
  '1.0$(id)',
  '1.0`id`',
  '1.0;rm -rf /',
  '1.0;id',
  '1.0|id',
  '1.0&&id',
  '1.0>x',
  "1.0'",
  '1.0"',
  '1.0\\',
  '9'.repeat(10 * 1024),
  `1.0-${'a'.repeat(10 * 1024)}`,
];

describe('dpkg scheme (dpkg 1.21.22)', () => {
  it('agrees with dpkg on every dpkg.json vector, in both directions', () => {
    const vectors = load<Pair>('dpkg.json');
    expect(vectors.length).toBe(10534);
    const failures: string[] = [];
    for (const v of vectors) {
      const got = outcome(() => dpkgScheme.compare(v.a, v.b));
      const back = outcome(() => dpkgScheme.compare(v.b, v.a));
      if (got !== v.expected) failures.push(`${JSON.stringify(v.a)} vs ${JSON.stringify(v.b)}: got ${got}, want ${v.expected} (${v.source})`);
      if (back !== -v.expected) failures.push(`${JSON.stringify(v.b)} vs ${JSON.stringify(v.a)}: got ${back}, want ${-v.expected} (antisymmetry)`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses what dpkg refuses on dpkg-invalid.json, and answers as dpkg does where dpkg only warns', () => {
    const vectors = load<InvalidPair>('dpkg-invalid.json');
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
        if (got !== real || back !== (real === 'error' ? real : -real)) failures.push(`${v.a} vs ${v.b}: got ${got}/${back}, dpkg says ${real}`);
      }
    }
    expect(failures).toEqual([]);
    expect(answered).toBe(8);
  });

  it('agrees with the real dpkg on 300 random pairs of versions from the dpkg databases in the fixtures', () => {
    const files = [...statusFiles(path.join(PKGDB, 'dpkg')), path.join(PKGDB, 'debian12-minbase-status')];
    const versions = [...new Set(files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^Version: (.+)$/gm)].map((m) => m[1]!)))].sort();
    expect(versions.length).toBeGreaterThan(100);
    const random = mulberry32(20240601);
    const pick = () => versions[Math.floor(random() * versions.length)]!;
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const a = pick();
      const b = i % 20 === 0 ? a : pick();
      const want = dpkg(a, b);
      const got = outcome(() => dpkgScheme.compare(a, b));
      if (got !== want) failures.push(`${a} vs ${b}: got ${got}, dpkg says ${want}`);
    }
    expect(failures).toEqual([]);
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
    const failures: string[] = [];
    for (const [a, b] of cases) {
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        const want = dpkg(x, y);
        const got = outcome(() => dpkgScheme.compare(x, y));
        if (got !== (want === 'error' ? 'VersionError' : want)) failures.push(`${x} vs ${y}: got ${got}, dpkg says ${want}`);
      }
    }
    expect(failures).toEqual([]);
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
    const failures: string[] = [];
    for (const bad of INVALID) {
      for (const f of [() => dpkgScheme.validate(bad), () => dpkgScheme.compare(bad, '1.0'), () => dpkgScheme.compare('1.0', bad)]) {
        try {
          f();
          failures.push(`accepted ${JSON.stringify(bad.slice(0, 40))}`);
        } catch (err) {
          if (!(err instanceof VersionError) || err.scheme !== 'dpkg' || err.version !== bad || err.message.length > 400) {
            failures.push(`bad error for ${JSON.stringify(bad.slice(0, 40))}: ${String(err)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
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
});
