import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rpmScheme, rpmvercmp } from '../../src/versions/rpm.js';
import { VersionError } from '../../src/versions/scheme.js';
import { PKGDB, tempDir } from '../helpers/fixtures.js';
import { conformanceFailures, HOSTILE_VERSIONS, loadVectors, referenceFailures, refusalFailures, samplePairs, seededRandom, shellTextAfter, type Pair } from './vectors.js';

/**
 * The real rpm's `rpm.vercmp` (rpm 4.18's Lua binding, from Debian's `rpm` package)
 * on many pairs in one process: the pairs go through a file so that no macro or
 * shell expansion touches them. 'error' where rpm raises.
 */
function rpmVercmp(pairs: readonly Pair[]): (-1 | 0 | 1 | 'error')[] {
  const { dir, cleanup } = tempDir('vigil-rpm-');
  try {
    const file = path.join(dir, 'pairs');
    writeFileSync(file, pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
    const lua = `for line in io.lines('${file}') do local a, b = line:match('^(.-)\\t(.*)$'); local ok, r = pcall(rpm.vercmp, a, b); print((ok and tostring(r) or 'error') .. ' ') end`;
    const out = execFileSync('rpm', ['--eval', `%{lua: ${lua}}`], { encoding: 'utf8' }).trim().split(/\s+/);
    expect(out.length).toBe(pairs.length);
    return out.map((x) => (x === 'error' ? 'error' : (Number(x) as -1 | 0 | 1)));
  } finally {
    cleanup();
  }
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
  '1.0\u202e',
  '1.0\ud800',
  ...shellTextAfter('1.0'),
  `1.0-${'a'.repeat(10 * 1024)}`,
];

describe('rpm scheme (rpm 4.18.0)', () => {
  it('agrees with rpm.vercmp on every rpm-vercmp.json vector, in both directions', () => {
    const vectors = loadVectors('rpm-vercmp.json');
    expect(vectors.length).toBe(3244);
    expect(conformanceFailures(rpmScheme, vectors)).toEqual([]);
  });

  it('gives the raw rpmvercmp answer on rpm-vercmp.json wherever no side has an epoch or release to split off', () => {
    // rpm.vercmp splits each side as an EVR first; where neither has ':' or '-' that is rpmvercmp itself.
    const vectors = loadVectors('rpm-vercmp.json');
    const failures: string[] = [];
    let raw = 0;
    let split = 0;
    for (const v of vectors) {
      if (/[:-]/.test(v.a + v.b)) {
        if (rpmvercmp(v.a, v.b) !== v.expected) split++;
        continue;
      }
      raw++;
      if (rpmvercmp(v.a, v.b) !== v.expected) failures.push(`${v.a} vs ${v.b}: got ${rpmvercmp(v.a, v.b)}, want ${v.expected}`);
      if (rpmvercmp(v.b, v.a) !== -v.expected) failures.push(`${v.b} vs ${v.a}: antisymmetry`);
    }
    expect(failures).toEqual([]);
    expect(raw).toBe(3100);
    // Of the other 144, these are where splitting the EVR first changes the answer (`1-2-3-4` against `1.2.3.4` and the like).
    expect(split).toBe(7);
  });

  it('agrees with rpm.ver on every rpm-evr.json vector, in both directions', () => {
    const vectors = loadVectors('rpm-evr.json');
    expect(vectors.length).toBe(1064);
    expect(conformanceFailures(rpmScheme, vectors)).toEqual([]);
  });

  it('refuses every rpm-vercmp-rejected-by-rpm.json pair, naming the empty side, as rpm raises on them', () => {
    const vectors = loadVectors<{ a: string; b: string }>('rpm-vercmp-rejected-by-rpm.json');
    expect(vectors.length).toBe(133);
    const failures: string[] = [];
    for (const v of vectors) {
      for (const [x, y] of [
        [v.a, v.b],
        [v.b, v.a],
      ] as const) {
        try {
          rpmScheme.compare(x, y);
          failures.push(`${JSON.stringify(x)} vs ${JSON.stringify(y)} was compared`);
        } catch (err) {
          const bad = x === '' ? x : y;
          if (!(err instanceof VersionError) || err.version !== bad || !/empty/.test(err.message)) failures.push(`bad error for ${x} vs ${y}: ${String(err)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(rpmVercmp(vectors.map((v) => [v.a, v.b] as const)).every((r) => r === 'error')).toBe(true);
  });

  it("takes rpm's side on rpm-mismatch-with-go-rpm-version.json, where the raw segment comparison takes go-rpm-version's", () => {
    const vectors = loadVectors('rpm-mismatch-with-go-rpm-version.json');
    expect(vectors.length).toBe(6);
    for (const v of vectors) {
      expect(rpmScheme.compare(v.a, v.b)).toBe(v.expected);
      expect(rpmScheme.compare(v.b, v.a)).toBe(-v.expected);
      expect(rpmvercmp(v.a, v.b)).not.toBe(v.expected);
    }
    expect(rpmVercmp(vectors.map((v) => [v.a, v.b] as const))).toEqual(vectors.map((v) => v.expected));
  });

  it('agrees with the real rpm on 300 random pairs of EVRs from the rpm databases in the fixtures', () => {
    const evrs = new Set<string>();
    for (const dir of readdirSync(path.join(PKGDB, 'rpm'))) {
      const db = JSON.parse(readFileSync(path.join(PKGDB, 'rpm', dir, 'expected.json'), 'utf8')) as {
        packages: { epoch: number | null; version: string; release: string }[];
      };
      for (const p of db.packages) evrs.add(`${p.epoch === null ? '' : `${p.epoch}:`}${p.version}-${p.release}`);
    }
    const versions = [...evrs].sort();
    expect(versions.length).toBeGreaterThan(100);
    const pairs = samplePairs(versions, 300, seededRandom(20240601), 20);
    expect(referenceFailures(rpmScheme, pairs, rpmVercmp(pairs), 'rpm')).toEqual([]);
  });

  it('agrees with the real rpm on edge cases: tilde, caret, long digit runs, epochs, empty parts, non-ASCII', () => {
    const big = '1' + '0'.repeat(40);
    const cases: [string, string][] = [
      ['1.0~rc1', '1.0'],
      ['1.0~rc1^git1', '1.0~rc1'],
      ['1.0^', '1.0'],
      ['1.0^git1', '1.0.1'],
      ['1.0^git1', '1.0a'],
      ['1.0~^', '1.0~'],
      [`1.${big}`, `1.${big.slice(0, -1)}9`],
      [`1.000${big}`, `1.${big}`],
      ['0001:1.0', '1:1.0'],
      [`${big}:1.0`, `${big.slice(0, -1)}9:1.0`],
      [':1.0', '0:1.0'],
      ['1:', '0:9'],
      ['1.0-', '1.0'],
      ['1.0-', '1.0-0'],
      ['1.0', '1.0-0'],
      ['a:1', '1'],
      ['1-2-3-4', '1-2-3'],
      ['1.0_1', '1.0.1'],
      ['1.0+1', '1.0.1'],
      ['1.0%{x}', '1.0'],
      ['1.αβ', '1.a'],
      ['1.α1', '1.1'],
      ['1.\u{1f600}2', '1.2'],
    ];
    const pairs = cases.flatMap(([a, b]) => [[a, b] as const, [b, a] as const]);
    expect(referenceFailures(rpmScheme, pairs, rpmVercmp(pairs), 'rpm')).toEqual([]);
  });

  it('orders what rpmbuild would refuse as the real rpm does, calling it unusual: unexpanded macros, stray punctuation', () => {
    const cases: [string, string][] = [
      ['1.0-1%{?dist}', '1.0-1'],
      ['1.0-1%{?dist}', '1.0-1.el9'],
      ['1.0-1%{?dist}', '1.0-2'],
      ['2:1.0-1%{?dist}', '1:9.9-1'],
      ['1.0,1', '1.0.1'],
      ['1.0/1', '1.0.1'],
      ['1.0?', '1.0'],
      ['1.0#1', '1.0.2'],
      ['1.0!1', '1.0a'],
      ['1.0=1', '1.0_1'],
      ['1.0@1', '1.0.1'],
      ['1.0*', '1.0'],
      ['1.0[1]', '1.0.1'],
      ['1.0-1,2', '1.0-1.3'],
      ['1.0-1.αβ', '1.0-1'],
    ];
    const pairs = cases.flatMap(([a, b]) => [[a, b] as const, [b, a] as const]);
    expect(referenceFailures(rpmScheme, pairs, rpmVercmp(pairs), 'rpm')).toEqual([]);
    const failures: string[] = [];
    for (const [v] of cases) {
      const note = rpmScheme.unusual(v);
      if (!note || !/^contains .* at offset \d+, which rpmbuild refuses in a version; compared as rpm compares it/.test(note)) failures.push(`${v}: ${String(note)}`);
    }
    expect(failures).toEqual([]);
    expect(rpmScheme.unusual('1.0-1%{?dist}')).toBe("contains '?' at offset 7, which rpmbuild refuses in a version; compared as rpm compares it");
    for (const v of ['1.0-1.el9', '2:1.0~rc1^git1-1%{dist}', '1.0+1_2']) expect(rpmScheme.unusual(v)).toBeUndefined();
  });

  it('refuses empty, whitespace, control characters, 10 KB strings and shell text with VersionError', () => {
    expect(refusalFailures(rpmScheme, INVALID)).toEqual([]);
    expect(() => rpmScheme.validate('')).toThrow(/: empty \(rpm refuses it\)$/);
    expect(() => rpmScheme.validate('1.0\n')).toThrow(/U\+000A at offset 3/);
    expect(() => rpmScheme.validate('1.0;id')).toThrow(/';' at offset 3/);
    expect(() => rpmScheme.validate('1.0\u00a0')).toThrow(/U\+00A0 at offset 3/);
  });

  it('compares a raw version or release with rpmvercmp, refusing nothing, as rpm does', () => {
    expect(rpmvercmp('', '')).toBe(0);
    expect(rpmvercmp('', '1')).toBe(-1);
    expect(rpmvercmp('1.0~rc1', '1.0')).toBe(-1);
    expect(rpmvercmp('1.0^post1', '1.0')).toBe(1);
    expect(rpmvercmp('1.0^post1', '1.0.1')).toBe(-1);
    expect(rpmvercmp('1-2', '1.2')).toBe(0);
  });
});
