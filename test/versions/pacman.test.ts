import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { pacmanRpmvercmp, pacmanScheme } from '../../src/versions/pacman.js';
import { antisymmetryFailures, conformanceFailures, HOSTILE_VERSIONS, loadVectors, outcome, pickOne, referenceFailures, refusalFailures, samplePairs, seededRandom, shellTextAfter, type Pair } from './vectors.js';

/**
 * Two references, both pacman 6.0.2 from Debian: the `vercmp` tool itself (package
 * `makepkg`), one process per pair, and `alpm_pkg_vercmp` in libalpm.so.13 (package
 * `libalpm13`, which `pacman` uses), called through python3's ctypes on every pair in
 * one process. vercmp is built from the same version.c, linked in statically; the
 * tests check the two agree wherever both are asked, and use the library for the
 * tens of thousands of generated pairs, where a process per pair would take minutes.
 */

const run = promisify(execFile);

/** The vercmp tool's answer for each pair, two processes at a time; the pairs are argv, never a shell's input. */
async function vercmp(pairs: readonly Pair[]): Promise<number[]> {
  const out: number[] = new Array<number>(pairs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const i = next++;
      const [a, b] = pairs[i]!;
      const { stdout } = await run('vercmp', [a, b], { encoding: 'utf8' });
      out[i] = Number(stdout.trim());
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

const PYTHON = `
import ctypes, json, sys
lib = ctypes.CDLL('libalpm.so.13')
f = lib.alpm_pkg_vercmp
f.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
f.restype = ctypes.c_int
pairs = json.load(sys.stdin)
json.dump([f(a.encode(), b.encode()) for a, b in pairs], sys.stdout)
`;

/** libalpm's alpm_pkg_vercmp on every pair, in one python3 process; the pairs go as JSON on stdin. */
function alpmVercmp(pairs: readonly Pair[]): number[] {
  const out = execFileSync('python3', ['-c', PYTHON], { input: JSON.stringify(pairs), encoding: 'utf8', maxBuffer: 64 << 20 });
  const answers = JSON.parse(out) as number[];
  expect(answers.length).toBe(pairs.length);
  return answers.map((r) => Math.sign(r));
}

/** Versions shaped as Arch's are, and as its odd corners are: epochs, pkgrels, letters, separators, UTF-8. */
function generated(count: number, seed: number): string[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => pickOne(xs, rand);
  const num = () => pick(['0', '1', '1', '2', '3', '9', '10', '01', '007', '20230101', '123456789012345678901234567890', '0000']);
  const word = () => pick(['a', 'b', 'rc', 'alpha', 'beta', 'pre', 'r', 'g', 'git', 'dev', 'p', 'Z', 'ab', 'r1234.gabcdef0']);
  const sep = () => pick(['.', '.', '.', '_', '+', '~', '^', '..', '__', '@', '%', ',', '/', '-', '=', 'é', '']);
  const versions: string[] = [];
  for (let i = 0; i < count; i++) {
    let v = '';
    if (rand() < 0.2) v += pick(['1:', '2:', '0:', '10:', '01:', ':', '00:']);
    if (rand() < 0.05) v += pick(['.', '_', 'v', 'a']);
    v += rand() < 0.9 ? num() : word();
    const parts = Math.floor(rand() * 5);
    for (let j = 0; j < parts; j++) v += sep() + (rand() < 0.7 ? num() : word());
    if (rand() < 0.25) v += pick(['a', 'b', 'rc1', '.a', 'alpha2', '~rc1', '+r12+g0abc', '.r3.gdeadbee', '.', '_', '~', 'é', '']);
    if (rand() < 0.7) v += '-' + pick(['1', '1', '2', '3', '10', '1.1', '2.5', '0', '1a', '', '1.1.1', '.1']);
    if (rand() < 0.03) v += pick(['-1', ':2', '-']);
    versions.push(v);
  }
  return versions;
}

describe('pacman scheme (pacman 6.0.2 alpm_pkg_vercmp)', () => {
  beforeAll(() => {
    try {
      execFileSync('vercmp', ['1', '2'], { stdio: 'ignore' });
      execFileSync('python3', ['-c', "import ctypes; ctypes.CDLL('libalpm.so.13')"], { stdio: 'ignore' });
    } catch {
      throw new Error('the pacman version tests need vercmp and libalpm13 (apt-get install makepkg pacman-package-manager python3)');
    }
  });

  it("agrees with every vector of pacman's own vercmptest.sh in both directions, and the real vercmp agrees too", async () => {
    const vectors = loadVectors('pacman.json');
    expect(vectors.length).toBe(46);
    expect(conformanceFailures(pacmanScheme, vectors)).toEqual([]);
    const pairs = vectors.map((v) => [v.a, v.b] as const);
    expect(await vercmp(pairs)).toEqual(vectors.map((v) => v.expected));
  });

  it('agrees with the real vercmp and with libalpm on hand-picked edge cases: epochs, pkgrels with dots, letters, tildes, separators, UTF-8', async () => {
    const big = '1' + '0'.repeat(40);
    const cases: Pair[] = [
      // epochs: none is 0, an empty one is 0, leading zeros, one past 2^64
      ['1:1.0-1', '2.0-1'], [':1.0', '1.0'], [':1.0', '0:1.0'], ['00:1.0', '0:1.0'], ['01:1.0', '1:1.0'], [`${big}:1`, `${big.slice(0, -1)}9:1`],
      ['1:', '0:9'], ['1:-1', '1:0-1'], ['a:1', '1'], ['1:2:3', '1:2.3'],
      // pkgrels: only compared when both sides have one, dotted ones, odd ones
      ['1.0-1', '1.0-1.1'], ['1.0-1.1', '1.0-2'], ['1.0-1.10', '1.0-1.9'], ['1.0-1', '1.0'], ['1.0', '1.0-2'], ['1.0-1', '1.0-2'],
      ['1.0-', '1.0-0'], ['1.0-', '1.0'], ['1.0-1a', '1.0-1'], ['1.0-rc1-1', '1.0-1'], ['1-2-3', '1-2-4'], ['-1', '0-1'],
      // letters: a letter run is older than the end, a dotted one newer
      ['1.0a', '1.0'], ['1.0.a', '1.0'], ['1.0a', '1.0.a'], ['1.', '1.a'], ['1', '1.a'], ['1.0', '1.0.'], ['1.0rc1', '1.0'], ['1.0.rc1', '1.0'],
      ['1.0a1', '1.0a'], ['1.0A', '1.0a'], ['a', 'b'], ['a', '1'], ['1a', '1b'], ['r1234.gabcdef', 'r1234.gabcdeg'],
      // tildes and carets are separators in pacman, unlike rpm
      ['1.0~rc1', '1.0'], ['1.0~1', '1.0'], ['1.0~rc1', '1.0rc1'], ['1.0^1', '1.0.1'], ['1.0^', '1.0'], ['1.0~', '1.0'], ['1~~1', '1~1'],
      // separator runs and leading separators count
      ['2___a', '2_a'], ['1..0', '1.0'], ['_1', '1'], ['.1', '1'], ['1.+0', '1..0'], ['1.0+1', '1.0.1'], ['1.0_1', '1.0.1'],
      // digit runs by value, at any length, leading zeros dropped
      [`1.${big}`, `1.${big.slice(0, -1)}9`], [`1.000${big}`, `1.${big}`], ['1.01', '1.1'], ['1.0010', '1.010'], ['1.0', '1.00'],
      // real Arch versions
      ['1:1.2.13-2', '1.2.13-3'], ['2.39.2-1', '2.39.1-1'], ['6.4.arch1-1', '6.4.1.arch1-1'], ['r32.3f5ab4a-1', 'r32.3f5ab4b-1'], ['1.0.r12.g3f5ab4a-1', '1.0-1'],
      ['2:9.0.1672-1', '2:9.0.1677-1'], ['20230516.1-1', '20230516-1'], ['3.1.4-1.1', '3.1.4-1'],
      // outside ASCII: one separator per UTF-8 byte
      ['1.é', '1.a'], ['1é0', '1.0'], ['1é0', '1..0'], ['1€0', '1...0'], ['1ü', '1'],
    ];
    const real = await vercmp(cases);
    expect(alpmVercmp(cases)).toEqual(real);
    expect(referenceFailures(pacmanScheme, cases, real, 'vercmp')).toEqual([]);
    expect(antisymmetryFailures(pacmanScheme, cases)).toEqual([]);
    // The orderings that make pacman differ from rpm and from a plain segment comparison: a tilde is no pre-release.
    expect(pacmanScheme.compare('1.0~rc1', '1.0')).toBe(1);
    expect(pacmanScheme.compare('1.0rc1', '1.0')).toBe(-1);
    expect(pacmanScheme.compare('1.0~1', '1.0')).toBe(1);
    expect(pacmanScheme.compare('1.0a', '1.0')).toBe(-1);
    expect(pacmanScheme.compare('1.0.a', '1.0')).toBe(1);
    expect(pacmanScheme.compare('1.0-1', '1.0')).toBe(0);
    expect(pacmanScheme.compare('1.0', '1.0-2')).toBe(0);
    expect(pacmanScheme.compare('1.0-1', '1.0-2')).toBe(-1);
    expect(pacmanRpmvercmp('1.0-2', '1.0-10')).toBe(-1);
  });

  it('agrees with libalpm on 40,000 generated pairs, and with the real vercmp on 500 of them', async () => {
    const pool = generated(4000, 6020);
    const pairs = samplePairs(pool, 40000, seededRandom(2023), 25);
    const alpm = alpmVercmp(pairs);
    const failures = referenceFailures(pacmanScheme, pairs, alpm, 'libalpm');
    expect(failures.slice(0, 20)).toEqual([]);
    expect(failures.length).toBe(0);
    expect(antisymmetryFailures(pacmanScheme, pairs).slice(0, 20)).toEqual([]);
    // Every answer occurs, so the check is not vacuous.
    expect(new Set(alpm)).toEqual(new Set([-1, 0, 1]));
    const some = pairs.filter((_, i) => i % 80 === 0);
    expect(await vercmp(some)).toEqual(alpmVercmp(some));
  });

  it('refuses the empty string (which pacman orders before any version), whitespace, control characters, shell text and 10 KB strings', () => {
    const cases = [
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
      ...shellTextAfter('1.0-1'),
      `1.0-${'1'.repeat(10 * 1024)}`,
    ];
    expect(refusalFailures(pacmanScheme, cases, ['1.0-1', '1:2.0'])).toEqual([]);
    expect(() => pacmanScheme.validate('1.0-1;id')).toThrow(/shell metacharacter/);
    expect(() => pacmanScheme.validate('')).toThrow(/empty/);
  });

  it('calls unusual what makepkg refuses, and orders it as pacman does', () => {
    const usual = ['1.0-1', '1:2.39.2-1', '2:9.0.1672-1.1', 'r32.3f5ab4a-1', '1.0.r12.g3f5ab4a+x_y~z^w-3', '1.5', '0:1.0'];
    for (const v of usual) expect(pacmanScheme.unusual(v), v).toBeUndefined();
    const odd: [string, RegExp][] = [
      ['1.0-1a', /pkgrel "1a"/],
      ['1.0-', /pkgrel ""/],
      ['1.0-1.1.1', /pkgrel "1.1.1"/],
      [':1.0-1', /empty epoch/],
      ['1:-1', /empty pkgver/],
      ['-1', /empty pkgver/],
      ['1.0-rc1-1', /'-' in its pkgver/],
      ['1:2:3-1', /':' in its pkgver/],
      ['1/2-1', /'\/' in its pkgver/],
      ['1.é-1', /U\+00E9 .*ASCII only/],
    ];
    for (const [v, why] of odd) expect(pacmanScheme.unusual(v), v).toMatch(why);
    for (const [v] of odd) expect(outcome(() => pacmanScheme.compare(v, '1.0-1'))).not.toBe('VersionError');
  });
});
