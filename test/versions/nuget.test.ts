import { describe, expect, it } from 'vitest';
import { nugetNormalized, nugetScheme } from '../../src/versions/nuget.js';
import { conformanceFailures, HOSTILE_VERSIONS, loadVectors, outcome, refusalFailures, type Vector } from './vectors.js';

/**
 * Debian packages no NuGet tool, so the reference is NuGet.Client's own tests,
 * transcribed with their provenance into fixtures/versions/nuget.json (comparisons)
 * and below (parsing and normal forms), plus cases read off NuGet.Versioning's
 * comparer (src/NuGet.Core/NuGet.Versioning/VersionComparer.cs @ 0371206b9abfaec5aad8737d52e17006f9d88a3d).
 */

const TESTS = 'NuGet/NuGet.Client test/NuGet.Core.Tests/NuGet.Versioning.Test';

describe('nuget scheme (NuGet.Versioning VersionComparer.Default)', () => {
  it("orders every nuget.json vector transcribed from NuGet.Client's tests, in both directions", () => {
    const vectors = loadVectors<Required<Vector>>('nuget.json');
    expect(vectors.length).toBe(63);
    expect(vectors.filter((v) => !v.source.startsWith(`transcribed from ${TESTS}/`) || !/ @ [0-9a-f]{40}: /.test(v.source))).toEqual([]);
    expect(conformanceFailures(nugetScheme, vectors)).toEqual([]);
  });

  it('orders revisions, int32 overflow labels, case and hyphens as VersionComparer.cs does', () => {
    const pairs: Array<[string, string, -1 | 0 | 1]> = [
      // CompareLegacyVersion: the 4th number comes before the labels.
      ['1.0.0.1', '1.0.0', 1],
      ['1.0.0.0', '1.0.0', 0],
      ['1.0.0.1-beta', '1.0.0', 1],
      ['1.0.0.1-beta', '1.0.0.1', -1],
      ['01.002.0003.04', '1.2.3.4', 0],
      ['2147483647.0', '2147483646.9.9.9', 1],
      // CompareRelease: int.TryParse decides what is a number, so labels past int32 compare as text.
      ['1.0.0-10000000000', '1.0.0-9999999999', -1],
      ['1.0.0-2147483647', '1.0.0-2147483648', -1],
      ['1.0.0-2147483648', '1.0.0-a', -1],
      ['1.0.0--1', '1.0.0-0', -1],
      // OrdinalIgnoreCase: upper-cased code units, so `Z` is above `a` and `-` below letters.
      ['1.0.0-Z', '1.0.0-a', 1],
      ['1.0.0-a-b', '1.0.0-aa', -1],
      ['1.0.0-alpha', '1.0.0-ALPHA.1', -1],
      ['1.0.0-beta+b', '1.0.0-BETA+a', 0],
      ['1', '1.0.0.0', 0],
    ];
    expect(conformanceFailures(nugetScheme, pairs.map(([a, b, expected]) => ({ a, b, expected })))).toEqual([]);
  });

  it('accepts what NuGetVersion.Parse accepts in its tests, and normalizes as ToNormalizedString does', () => {
    // SemVer201SpecTests (valid labels and metadata), SemanticVersionTests.ParseSemanticVersionStrict,
    // NuGetVersionTest.NuGetVersionKeepsOriginalVersionString, and forms only NuGetVersion (not strict SemVer) takes.
    const valid = [
      '0.1.2-Alpha', '0.1.2-Alpha.2.34.5.453.345.345.345.345.A.B.bbbbbbb.Csdfdfdf', '0.1.2-Alpha-2-5Bdd', '0.1.2--', '0.1.2--B-C-', '0.1.2--B2.-.C.-A0-',
      '0.1.2+NoReleaseLabel', '0.1.2-02A', '0.1.2-2.02B', '0.1.2-2.A.02-', '0.1.2-A02.A', '0.1.2+02A', '0.1.2+20349244.233.344.0', '0.1.2+203-49244.23-3.34-4.0-.-.-',
      '0.1.2+-', '0.1.2+----.-.-.-', '0.1.2----+----', '0.1.2+02.02-02', '0.1.2+000000', '0.1.2+AA-02A', '0.1.2+A.-A-02A',
      '1.2.3-X.yZ.3.234.243.32423423.4.23423+METADATA', '1.2.3-X.y3+0', '1.2.3-0', '01.42.0-alpha+metadata', '01.0',
      '1', '1.2', '1.2.3.4', '01.2.3', '1.3.2-CTP-2-Refresh-Alpha',
    ];
    const refused = valid.filter((v) => outcome(() => nugetScheme.validate(v)) === 'VersionError');
    expect(refused).toEqual([]);
    // NuGetVersionTest.ToStringReturnsNormalizedForSemVer2 and VersionParsingTests.VersionLength.
    const normal: Array<[string, string]> = [
      ['1.0+A', '1.0.0'],
      ['1.0-1.1', '1.0.0-1.1'],
      ['1.0-1.1+B.B', '1.0.0-1.1'],
      ['1.0.0009.01-1.1+A', '1.0.9.1-1.1'],
      ['2', '2.0.0'],
      ['2.0', '2.0.0'],
      ['2.0.0', '2.0.0'],
      ['2.0.0.0', '2.0.0'],
      ['  1.3.42.10133-PreRelease  ', '1.3.42.10133-PreRelease'],
    ];
    expect(normal.filter(([v, n]) => nugetNormalized(v) !== n)).toEqual([]);
  });

  it('refuses what NuGetVersion.Parse refuses in its tests, and empty, whitespace, control characters, 10 KB strings and shell text', () => {
    const nugetRefuses = [
      // NuGetVersionTest.ParseThrowsIfStringIsNotAValidSemVer
      '1beta', '$version$', '1.2Av^c', '1.2..', '1.2.3.4.5', '1.2.3.Beta', '1.2.3.4This version is full of awesomeness!!', 'So.is.this', '1.34.2Alpha',
      '1.34.2Release Candidate', '1.4.7-', '1.4.7-*', '1.4.7+*', '1.4.7-AA.01^', '1.4.7-AA.0A^', '1.4.7-A^A', '1.4.7+AA.01^',
      // SemVer201SpecTests rules that NuGetVersion shares: labels, metadata, signs.
      '0.1.2-Alpha..2', '0.1.2-Alpha.', '0.1.2-.AA', '0.1.2-', '0.1.2-alp=ha', '0.1.2-alp┐jj', '0.1.2-a&444', '0.1.2-a.&.444', '0.1.2-02', '0.1.2-2.02',
      '0.1.2-2.A.02', '0.1.2-02.A', '0.1.2+ÄÄ', '0.1.2+22.2ÄÄ', '0.1.2+2+A', '0.1.2+02A.', '0.1.2+02..A', '0.1.2+', '-1.2.3', '1.-2.3', '1.2.-3', 'X.2.3', '1.2.Z', 'X.Y.Z',
      // SemanticVersionTests rules NuGetVersion shares.
      '1.2.3-A..B', '.2.03', '1.2.', '1.2.3-a$b', 'a.b.c', '1.2.3-00', '1.2.3-A.00.B',
      // System.Version: numbers are int32.
      '2147483648.0',
    ];
    // NuGet lets .NET's integer parser read these numbers; Vigil does not.
    const vigilRefuses = ['1.2. 3', '1. 2.3', '1.3 .4', '+1.0', '1.0.0\n', '\t1.0.0', '1.0.\u00000', '\u001b[31m1.0.0', '1.0.0\u00a0'];
    const other = [...HOSTILE_VERSIONS, '1.0.0;id', `1.0.0-${'a'.repeat(10 * 1024)}`];
    expect(refusalFailures(nugetScheme, [...nugetRefuses, ...vigilRefuses, ...other], '1.0.0')).toEqual([]);
    expect(() => nugetScheme.validate('1.2.3-02')).toThrow(/numeric release label 02 has a leading zero/);
    expect(() => nugetScheme.validate('1.2.3.4.5')).toThrow(/more than 4 numbers/);
    expect(() => nugetScheme.validate('2147483648.0')).toThrow(/larger than 2147483647/);
    expect(() => nugetScheme.validate('1.2. 3')).toThrow(/contains a space/);
  });
});
