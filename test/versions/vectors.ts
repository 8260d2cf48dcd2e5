import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VersionError, type Ordering, type VersionScheme } from '../../src/versions/scheme.js';
import { FIXTURES } from '../helpers/fixtures.js';

/**
 * What every version scheme's conformance test does: read reference vectors, compare
 * Vigil with them or with the reference tool itself, and check that hostile input is
 * refused. Each helper returns the disagreements as readable lines, so a test asserts
 * an empty list and a failure names every pair at once rather than only the first.
 */

/** One reference comparison: the sign of a − b by the scheme's own tool. */
export interface Vector {
  a: string;
  b: string;
  expected: Ordering;
  source?: string;
}

export type Pair = readonly [string, string];

/** A vector file of test/fixtures/versions. */
export function loadVectors<T = Vector>(file: string): T[] {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'versions', file), 'utf8')) as T[];
}

/** The call's answer, or 'VersionError' when it refuses; any other error is a bug and propagates. */
export function outcome<T>(f: () => T): T | 'VersionError' {
  try {
    return f();
  } catch (err) {
    if (err instanceof VersionError) return 'VersionError';
    throw err;
  }
}

const show = (v: string): string => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/**
 * Pairs where a − b and b − a are not opposite, or where only one direction refuses:
 * a comparator that is not antisymmetric sorts differently depending on argument order.
 */
export function antisymmetryFailures(scheme: VersionScheme, pairs: Iterable<Pair>): string[] {
  const failures: string[] = [];
  for (const [a, b] of pairs) {
    const ab = outcome(() => scheme.compare(a, b));
    const ba = outcome(() => scheme.compare(b, a));
    if (ab === 'VersionError' ? ba !== 'VersionError' : ba !== -ab) failures.push(`${show(b)} vs ${show(a)}: got ${ba}, want ${ab === 'VersionError' ? ab : -ab} (antisymmetry)`);
  }
  return failures;
}

/** Vectors the scheme answers differently, in either direction; every version also equals itself. */
export function conformanceFailures(scheme: VersionScheme, vectors: Iterable<Vector>): string[] {
  const failures: string[] = [];
  const pairs: Pair[] = [];
  for (const v of vectors) {
    const got = outcome(() => scheme.compare(v.a, v.b));
    if (got !== v.expected) failures.push(`${show(v.a)} vs ${show(v.b)}: got ${got}, want ${v.expected}${v.source ? ` (${v.source})` : ''}`);
    for (const x of [v.a, v.b]) if (outcome(() => scheme.compare(x, x)) !== 0) failures.push(`${show(x)} is not equal to itself`);
    pairs.push([v.a, v.b]);
  }
  return [...failures, ...antisymmetryFailures(scheme, pairs)];
}

/** Disagreements with a reference tool's answer for each pair; 'VersionError' in `want` means the tool refuses it. */
export function referenceFailures(scheme: VersionScheme, pairs: readonly Pair[], want: readonly unknown[], tool: string): string[] {
  if (want.length !== pairs.length) return [`${tool} gave ${want.length} answers for ${pairs.length} pairs`];
  return pairs.flatMap(([a, b], i) => {
    const got = outcome(() => scheme.compare(a, b));
    return got === want[i] ? [] : [`${show(a)} vs ${show(b)}: got ${got}, ${tool} says ${String(want[i])}`];
  });
}

/** Pairs of `ascending` (equal neighbours not allowed) that the scheme does not order by their position. */
export function orderFailures(scheme: VersionScheme, ascending: readonly string[]): string[] {
  const failures: string[] = [];
  for (let i = 0; i < ascending.length; i++) {
    for (let j = 0; j < ascending.length; j++) {
      const want = Math.sign(i - j);
      const got = outcome(() => scheme.compare(ascending[i]!, ascending[j]!));
      if (got !== want) failures.push(`${ascending[i]} vs ${ascending[j]}: got ${got}, want ${want}`);
    }
  }
  return failures;
}

/**
 * Input no scheme but Maven's (which compares any string, as Maven does) may read as a
 * version: blank, control characters, shell text and 10 KB strings. Each test adds the
 * version-shaped spellings of its own format, such as a valid version with a newline.
 */
export const HOSTILE_VERSIONS: readonly string[] = [
  '',
  ' ',
  '   ',
  '\t',
  '\n',
  '\u0000',
  '\u001b[31m',
  '$(id)',
  '`id`',
  ';',
  '9'.repeat(10 * 1024),
  'a'.repeat(10 * 1024),
];

/** A valid `version` with shell text after it: refused whole, never cut at the first odd character. */
export function shellTextAfter(version: string): string[] {
  return ['$(id)', '`id`', ';rm -rf /', ';id', '|id', '&&id', '>x', "'", '"', '\\'].map((s) => version + s);
}

/**
 * Versions the scheme does not refuse everywhere it meets them (validate, and either side
 * of a comparison with each of `good`), or refuses with an error that does not name the
 * scheme and the exact string, matches the case's reason, or is long enough to flood a log.
 */
export function refusalFailures(
  scheme: VersionScheme,
  cases: Iterable<string | readonly [string, RegExp]>,
  good: string | readonly string[] = '1.0',
  maxMessageLength = 400,
): string[] {
  const failures: string[] = [];
  for (const c of cases) {
    const [bad, reason] = typeof c === 'string' ? [c, undefined] : c;
    const calls = [() => scheme.validate(bad), ...[good].flat().flatMap((g) => [() => scheme.compare(bad, g), () => scheme.compare(g, bad)])];
    for (const f of calls) {
      try {
        f();
        failures.push(`accepted ${show(bad)}`);
      } catch (err) {
        if (!(err instanceof VersionError) || err.scheme !== scheme.name || err.version !== bad || err.message.length > maxMessageLength || (reason && !reason.test(err.message))) {
          failures.push(`bad error for ${show(bad)}: ${String(err)}`);
        }
      }
    }
  }
  return failures;
}

/** A small seeded PRNG (mulberry32), so that sampled pairs, and any failure, are the same on every run. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickOne<T>(from: readonly T[], random: () => number): T {
  return from[Math.floor(random() * from.length)]!;
}

/**
 * `n` random pairs from `pool`; with `selfEvery`, every such pair compares a version with
 * itself, because random pairs of distinct versions are almost never equal.
 */
export function samplePairs(pool: readonly string[], n: number, random: () => number, selfEvery = 0): [string, string][] {
  return Array.from({ length: n }, (_, i) => {
    const a = pickOne(pool, random);
    return [a, selfEvery > 0 && i % selfEvery === 0 ? a : pickOne(pool, random)];
  });
}

/**
 * Runs a reference tool that reads `a<TAB>b` lines on stdin and prints a line of output
 * per pair (after any header): one process for all pairs, as a process per pair would
 * dominate the test's time. The pairs never pass through a shell.
 */
export function runReference(argv: readonly [string, ...string[]], pairs: readonly Pair[]): string[] {
  const [program, ...args] = argv;
  const out = execFileSync(program, args, {
    input: pairs.map(([a, b]) => `${a}\t${b}\n`).join(''),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.trimEnd().split('\n');
}
