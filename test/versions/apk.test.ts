import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apkScheme } from '../../src/versions/apk.js';
import { PKGDB, REPO } from '../helpers/fixtures.js';
import { apkVercmp } from '../matcher/reference-tools.js';
import { conformanceFailures, HOSTILE_VERSIONS, loadVectors, orderFailures, outcome, pickOne, referenceFailures, refusalFailures, samplePairs, seededRandom, shellTextAfter } from './vectors.js';

const ALPINE_FEEDS = path.join(REPO, 'data/feeds/alpine');
/** Accepted by apk-tools 3's apk_version_validate. */
const usual = (v: string): boolean => apkScheme.unusual(v) === undefined;

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
  it('agrees with every apk.json vector in both directions, refusing none, and calls unusual what apk-tools 3 rejects', () => {
    const vectors = loadVectors('apk.json');
    expect(vectors.length).toBe(10241);
    expect(conformanceFailures(apkScheme, vectors)).toEqual([]);
    const unusualPairs = vectors.filter((v) => !usual(v.a) || !usual(v.b)).map((v) => `${v.a} vs ${v.b}`);
    // Versions like openssh's `6.6.1p1-r0` from old Alpine releases, a number right after a letter (read by
    // apk-tools 2, which made these vectors, as a number; rejected by apk-tools 3) ...
    expect(unusualPairs.filter((p) => /\d[a-z]\d+-r\d/.test(p)).length).toBe(36);
    // ... and osv-scalibr and apk-tools corner cases: `1.0bc`, `23_foo`, `1-ruff`, `.1`, `c`, `1-r`, `0..1..0`.
    expect(unusualPairs.filter((p) => !/\d[a-z]\d+-r\d/.test(p)).length).toBe(24);
  });

  it('orders every fixed version in the Alpine secdb, as apk-tools 2 (which Alpine used then) does', () => {
    const versions = new Set<string>();
    for (const file of readdirSync(ALPINE_FEEDS).filter((f) => f.endsWith('.json'))) {
      const db = JSON.parse(readFileSync(path.join(ALPINE_FEEDS, file), 'utf8')) as { packages?: { pkg: { secfixes?: Record<string, unknown> } }[] };
      for (const { pkg } of db.packages ?? []) for (const v of Object.keys(pkg.secfixes ?? {})) if (v !== '0') versions.add(v);
    }
    const all = [...versions].sort();
    expect(all.filter((v) => outcome(() => apkScheme.validate(v)) === 'VersionError')).toEqual([]);
    const unusual = all.filter((v) => !usual(v));
    // Typos in the secdb that apk-tools 3 rejects, whose fixes Vigil used to skip.
    expect(unusual).toEqual(expect.arrayContaining(['0.8.21.r2', '6.6.2p1-r0', '0.12.5.-r0', '2.15.r-r1', '10.2.22.r0', '4.10-1-r1']));
    expect(unusual.length).toBe(15);
    // Each unusual one against 40 others; apk-tools 2's algorithm, ported to python3, is the reference.
    const random = seededRandom(20260601);
    const against = (u: string): [string, string][] => Array.from({ length: 40 }, () => [u, pickOne(all, random)] as [string, string]);
    // Where apk-tools 2 too cannot read on (a '-' that starts no revision: `4.10-1-r1`), Vigil takes apk-tools 3's
    // side: the rest is not compared and a version that stops there is older than one that goes on or ends. So
    // it is ordered as the part before is, and below what that part equals.
    const unreadable = unusual.filter((u) => /-(?!r)/.test(u));
    expect(unreadable).toEqual(['1.11-20-r0', '2.7.16-33', '4.10-1-r1', '57-1-r2']);
    const pairs = unusual.filter((u) => !unreadable.includes(u)).flatMap(against);
    pairs.push(...samplePairs(all.filter((v) => !unreadable.includes(v)), 1000, random, 50));
    expect(referenceFailures(apkScheme, pairs, apkVercmp(pairs), 'apk-tools 2')).toEqual([]);
    const cut = unreadable.flatMap(against).filter(([, x]) => !unreadable.includes(x));
    const before = cut.map(([u, x]): [string, string] => [u.slice(0, /-(?!r)/.exec(u)!.index), x]);
    const want = apkVercmp(before).map((r) => r || -1);
    expect(referenceFailures(apkScheme, cut, want, 'apk-tools 2 on the part before, else older')).toEqual([]);
  });

  it('accepts every version in the apk databases in the fixtures', () => {
    const versions = readdirSync(path.join(PKGDB, 'apk')).flatMap((dir) =>
      [...readFileSync(path.join(PKGDB, 'apk', dir, 'installed'), 'utf8').matchAll(/^V:(.+)$/gm)].map((m) => m[1]!),
    );
    expect(versions.length).toBeGreaterThan(20);
    expect(versions.filter((v) => !usual(v))).toEqual([]);
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

  it('calls unusual what apk_version_validate rejects, saying where and why, and still orders it', () => {
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
      ['0.8.21.r2', /offset 6 \('.'\): '.' must be followed by a number/],
      ['1.0_rc1.2', /'.' may only follow a number/],
      ['.1', /offset 0 \('.'\): a version must start with a digit/],
      ['v1.0', /a version must start with a digit/],
      ['1.0+1', /offset 3 \('\+'\): apk versions have no such character/],
      ['1.2.0A', /apk versions have no such character/],
    ];
    const failures: string[] = [];
    for (const [v, reason] of cases) {
      const note = outcome(() => apkScheme.unusual(v));
      if (typeof note !== 'string' || !reason.test(note) || !note.startsWith('apk-tools 3 rejects it ')) failures.push(`${v}: ${String(note)}`);
      if (outcome(() => apkScheme.compare(v, v)) !== 0) failures.push(`${v} is not equal to itself`);
    }
    expect(failures).toEqual([]);
    for (const v of ['0', '1.0', '1.2.3_alpha1_pre2-r3', '1.0~0123abc-r1', '1.0_p1-r0', '20240101', '2.9.11_pre20061021-r2']) {
      expect(apkScheme.unusual(v)).toBeUndefined();
    }
    // As apk-tools 2 read them: a number after the letter, an empty number or revision.
    expect(apkScheme.compare('6.6.2p1-r0', '6.6.2p2-r0')).toBe(-1);
    expect(apkScheme.compare('6.6.2p1-r0', '6.6.2-r0')).toBe(1);
    expect(apkScheme.compare('6.6.2p1-r0', '6.6.3-r0')).toBe(-1);
    expect(apkScheme.compare('0.8.21.r2', '0.8.21.r1')).toBe(1);
    expect(apkScheme.compare('0.8.21.r2', '0.8.22')).toBe(-1);
    expect(apkScheme.compare('1..2', '1.2')).toBe(-1);
    expect(apkScheme.compare('1-r', '1-r0')).toBe(0);
    // Past what apk cannot read nothing is compared, and stopping there is older, as in apk-tools 3.
    expect(apkScheme.compare('1.2.0A', '1.2.0B')).toBe(0);
    expect(apkScheme.compare('1.2.0A', '1.2.0')).toBe(-1);
    expect(apkScheme.compare('1.2.0A', '1.2.1')).toBe(-1);
    expect(apkScheme.compare('1.2.1A', '1.2.0')).toBe(1);
  });

  it('refuses empty, whitespace, control characters, 10 KB strings and shell text with VersionError', () => {
    expect(refusalFailures(apkScheme, INVALID)).toEqual([]);
    expect(() => apkScheme.validate('')).toThrow(/: empty$/);
    expect(() => apkScheme.validate('1.0\n')).toThrow(/U\+000A/);
    expect(() => apkScheme.validate('1.0;id')).toThrow(/';' at offset 3, a shell metacharacter/);
    expect(() => apkScheme.validate('9'.repeat(10 * 1024))).toThrow(/longer than 256 characters/);
  });
});
