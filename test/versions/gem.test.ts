import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { gemScheme } from '../../src/versions/gem.js';
import { antisymmetryFailures, HOSTILE_VERSIONS, outcome, pickOne, referenceFailures, refusalFailures, seededRandom } from './vectors.js';

/**
 * The reference is RubyGems itself (Debian's ruby, RubyGems 3.3): every pair goes to
 * one `ruby -e` run as JSON and comes back as `Gem::Version.new(a) <=> Gem::Version.new(b)`,
 * or `"invalid"` when `Gem::Version.correct?` refuses a side.
 */

const RUBY = `
require "json"
out = JSON.parse($stdin.read).map do |a, b|
  if Gem::Version.correct?(a) && Gem::Version.correct?(b)
    Gem::Version.new(a) <=> Gem::Version.new(b)
  else
    "invalid"
  end
end
print JSON.generate([Gem::VERSION, out])
`;

let rubygemsVersion = '';
function ruby(pairs: Array<[string, string]>): Array<number | 'invalid'> {
  const text = execFileSync('ruby', ['-e', RUBY], { input: JSON.stringify(pairs), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const [version, out] = JSON.parse(text) as [string, Array<number | 'invalid'>];
  rubygemsVersion = version;
  expect(out.length).toBe(pairs.length);
  return out;
}

/** Vigil against RubyGems on every pair, both directions; returns the disagreements. */
function crossCheck(pairs: Array<[string, string]>): string[] {
  const want = ruby(pairs).map((w) => (w === 'invalid' ? 'VersionError' : w));
  return [...referenceFailures(gemScheme, pairs, want, 'RubyGems'), ...antisymmetryFailures(gemScheme, pairs)];
}

describe('gem scheme (RubyGems Gem::Version)', () => {
  beforeAll(() => {
    try {
      execFileSync('ruby', ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error('the gem version tests need ruby (apt-get install ruby)');
    }
  });

  it("agrees with RubyGems on the cases of RubyGems' own test_gem_version.rb, and with that test's stated answers", () => {
    // rubygems/rubygems test/rubygems/test_gem_version.rb @ f0d9440234a3a91bc0218242e8e2f9bf269c7d86:
    // test_spaceship, test_semver (assert_less_than), test_equals2, test_eql_eh, test_hash, test_canonical_segments, test_frozen_version.
    const stated: Array<[string, string, -1 | 0 | 1]> = [
      ['1.0', '1.0.0', 0],
      ['1.0', '1.0.a', 1],
      ['1.8.2', '0.0.0', 1],
      ['1.8.2', '1.8.2.a', 1],
      ['1.8.2.b', '1.8.2.a', 1],
      ['1.8.2.a', '1.8.2', -1],
      ['1.8.2.a10', '1.8.2.a9', 1],
      ['0.beta.1', '0.0.beta.1', 0],
      ['0.0.beta', '0.0.beta.1', -1],
      ['0.0.beta', '0.beta.1', -1],
      ['5.a', '5.0.0.rc2', -1],
      ['5.x', '5.0.0.rc2', 1],
      ['1.0.0-alpha', '1.0.0-alpha.1', -1],
      ['1.0.0-alpha.1', '1.0.0-beta.2', -1],
      ['1.0.0-beta.2', '1.0.0-beta.11', -1],
      ['1.0.0-beta.11', '1.0.0-rc.1', -1],
      ['1.0.0-rc1', '1.0.0', -1],
      ['1.0.0-1', '1', -1],
      ['1.2', '1.2', 0],
      ['1.2.b1', '1.2.b.1', 0],
      ['1.2', '1.3', -1],
      ['1.2', '1.2.0', 0],
      ['1.2.pre.1', '1.2.0.pre.1.0', 0],
      ['1.0.0', '1', 0],
      ['1.0.0.a.1.0', '1.a.1', 0],
      ['1.2.3-1', '1.2.3.pre.1', 0],
      ['1.freeze.test', '1', -1],
      // test_initialize: surrounding spaces are stripped.
      ['1.0', '1.0 ', 0],
      ['1.0', ' 1.0 ', 0],
    ];
    const failures = crossCheck(stated.map(([a, b]) => [a, b]));
    for (const [a, b, want] of stated) if (gemScheme.compare(a, b) !== want) failures.push(`${a} <=> ${b} is stated as ${want}`);
    expect(failures).toEqual([]);
    expect(rubygemsVersion).toMatch(/^3\./);
  });

  it('agrees with RubyGems on a few thousand generated pairs: segments, letters, prereleases, trailing zeros, big numbers', () => {
    const rand = seededRandom(4287);
    const pick = <T>(xs: readonly T[]): T => pickOne(xs, rand);
    const words = ['a', 'b', 'alpha', 'beta', 'pre', 'rc', 'RC', 'Beta', 'dev', 'x', 'z', 'A', 'Z'];
    const num = (): string => pick(['0', '0', '1', '2', '9', '10', '11', '00', '01', '007', '123', '99999999999999999999', '100000000000000000000']);
    const segment = (): string => {
      const r = rand();
      if (r < 0.6) return num();
      if (r < 0.8) return pick(words);
      return `${pick(words)}${num()}`.slice(0, 8) + (rand() < 0.2 ? pick(words) : '');
    };
    const version = (): string => {
      let v = num();
      const n = Math.floor(rand() * 5);
      for (let i = 0; i < n; i++) v += `.${segment()}`;
      if (rand() < 0.2) v += `-${[segment(), ...(rand() < 0.5 ? [pick(words)] : [])].join(pick(['.', '-']))}`;
      return v;
    };
    // Small edits of one version make the ties and near-ties that matter (trailing zeros, one letter).
    const edit = (v: string): string =>
      pick([
        () => `${v}.0`,
        () => `${v}.0.0`,
        () => v.replace(/\.0$/, ''),
        () => `${v}.${pick(words)}`,
        () => v.replace(/[a-z]/, (c) => c.toUpperCase()),
        () => v.replace(/\d+$/, (d) => String(Number(d) + 1)),
        () => v.replace(/-/, '.pre.'),
        () => `0${v}`,
        () => version(),
      ])();
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 4000; i++) {
      const a = version();
      pairs.push([a, rand() < 0.6 ? edit(a) : version()]);
    }
    const failures = crossCheck(pairs);
    expect(failures).toEqual([]);
    expect(new Set(ruby(pairs)).size).toBe(3);
  });

  it('accepts exactly the strings RubyGems accepts, apart from the blank and control-character ones Vigil refuses', () => {
    const rand = seededRandom(2013);
    const alphabet = ['0', '1', '2', '9', '.', '.', '.', '-', '-', 'a', 'b', 'Z', ' ', '_', '+', '~', 'v'];
    const candidates = ['1..2', '.1', '1.', '1.0-', '1-.a', '1.0--', '1.0-a-b.c', 'a.1', '1a', '1.0a1', '1.2 3.4', '1.0 ', ' 1.0', 'v1.0', '1_0', '1.0+x', '1.0~rc1', '2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.', 'junk'];
    for (let i = 0; i < 3000; i++) {
      // Half start with a digit, as every valid gem version does, so both answers are common.
      let s = rand() < 0.5 ? '1' : '';
      const n = 1 + Math.floor(rand() * 8);
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
      if (s.trim() !== '') candidates.push(s);
    }
    const answers = ruby(candidates.map((c) => [c, '1']));
    const failures: string[] = [];
    candidates.forEach((c, i) => {
      const accepted = outcome(() => gemScheme.validate(c)) !== 'VersionError';
      if (accepted !== (answers[i] !== 'invalid')) failures.push(`${JSON.stringify(c)}: Vigil ${accepted ? 'accepts' : 'refuses'}, RubyGems ${answers[i] === 'invalid' ? 'refuses' : 'accepts'}`);
    });
    expect(failures).toEqual([]);
  });

  it('refuses empty, whitespace, control characters, 10 KB strings and shell text with VersionError, where RubyGems reads blank as 0 and strips newlines', () => {
    // RubyGems accepts these (test_empty_version, test_initialize); Vigil does not.
    const rubyAccepts = ['', ' ', '   ', '1.0\n', '\n1.0\n', '\t1.0'];
    expect(ruby(rubyAccepts.map((v) => [v, '0']))).toEqual([0, 0, 0, 1, 1, 1]);
    const alsoInvalid = [...HOSTILE_VERSIONS, '1.0\n2.0', '1.\u00000', '\u001b[31m1.0', '1.0\u00a0', '1.0;id', `1.${'a'.repeat(10 * 1024)}`, 'junk', '1..2', '1.2 3.4'];
    expect(refusalFailures(gemScheme, [...rubyAccepts, ...alsoInvalid])).toEqual([]);
    expect(() => gemScheme.validate('')).toThrow(/empty \(RubyGems would read it as 0\)/);
    expect(() => gemScheme.validate('1.0\n')).toThrow(/U\+000A at offset 3/);
  });
});
