import { type Ordering, type VersionScheme, VersionError } from './scheme.js';

/**
 * RubyGems versions, ordered as `Gem::Version#<=>` orders them.
 *
 * RubyGems reads `1.0.0-rc1` as `1.0.0.pre.rc1`, cuts the string into runs of digits
 * and runs of letters (`1.8.2.a10` → 1, 8, 2, "a", 10), and drops trailing zeros
 * from the numeric head and from the rest separately, so `1.0 == 1.0.0` and
 * `1.0.0.a.1.0 == 1.a.1`. Segments then compare pairwise, a missing one counting as
 * 0: numbers numerically (any size), letters as bytes, and letters below numbers,
 * which is what makes any version with a letter a pre-release of its numbers.
 *
 * Accepted strings are RubyGems' own pattern, surrounding spaces included. Vigil
 * refuses what RubyGems would silently take: an empty or blank string (which it
 * reads as version 0) and tabs or newlines around the version (which it strips).
 */

/** Gem versions are short; longer strings are not data Vigil should read. */
const MAX_LENGTH = 256;

/** RubyGems' VERSION_PATTERN (its atomic group needs no equivalent: segments begin with `.`, so nothing backtracks). */
const PATTERN = /^ *([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?) *$/;

type Segment = bigint | string;

function parse(v: string): Segment[] {
  if (v.trim() === '') throw new VersionError('gem', v, v === '' ? 'empty (RubyGems would read it as 0)' : 'only whitespace (RubyGems would read it as 0)');
  if (v.length > MAX_LENGTH) throw new VersionError('gem', v, `longer than ${MAX_LENGTH} characters`);
  const bad = /[^\x20-\x7e]/.exec(v);
  if (bad) {
    const code = bad[0].codePointAt(0)!;
    throw new VersionError('gem', v, `contains U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index}; gem versions are printable ASCII`);
  }
  const m = PATTERN.exec(v);
  if (!m) throw new VersionError('gem', v, 'not a RubyGems version (digits, then dot-separated letters and digits, optionally -prerelease)');
  const segments: Segment[] = [];
  for (const [s] of m[1]!.replaceAll('-', '.pre.').matchAll(/[0-9]+|[a-z]+/gi)) segments.push(/^[0-9]/.test(s) ? BigInt(s) : s);
  return canonical(segments);
}

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1] === 0n) end--;
  return segments.slice(0, end);
}

/** Gem::Version#canonical_segments. */
function canonical(segments: Segment[]): Segment[] {
  const firstString = segments.findIndex((s) => typeof s === 'string');
  const split = firstString < 0 ? segments.length : firstString;
  return [...dropTrailingZeros(segments.slice(0, split)), ...dropTrailingZeros(segments.slice(split))];
}

export const gemScheme: VersionScheme = {
  name: 'gem',
  validate(v: string): void {
    parse(v);
  },
  unusual(v: string): undefined {
    parse(v);
    return undefined;
  },
  compare(a: string, b: string): Ordering {
    const x = parse(a);
    const y = parse(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const l = x[i] ?? 0n;
      const r = y[i] ?? 0n;
      if (l === r) continue;
      if (typeof l !== typeof r) return typeof l === 'string' ? -1 : 1;
      return l < r ? -1 : 1;
    }
    return 0;
  },
};

declare module './scheme.js' {
  interface VersionFormats {
    gem: true;
  }
}
