import { type Ordering, type VersionScheme, VersionError } from './scheme.js';

/**
 * NuGet package versions, ordered as NuGet.Versioning's `VersionComparer.Default`
 * orders `NuGetVersion`s (the order `dotnet restore` and nuget.org use).
 *
 * A version is 1 to 4 dot-separated numbers (missing ones are 0; the 4th, the
 * "revision", is compared after the patch), each at most 2147483647 and leading
 * zeros allowed (`1.01 == 1.1`); then optional SemVer 2 release labels after `-`
 * and build metadata after `+`. Labels compare one by one: two numbers (a label
 * that parses as a 32-bit integer) numerically, a number below a word, two words
 * ordinally ignoring case; fewer labels first when one list is a prefix of the
 * other; no labels above any labels. Metadata never affects the order.
 *
 * Vigil reads NuGet's syntax with two refusals: spaces or a sign inside the numbers,
 * which NuGet lets through because it hands each number to .NET's integer parser,
 * and tabs or newlines around the version, which NuGet trims. Only surrounding
 * spaces are trimmed, as NuGet does.
 */

/** Package versions are short; longer strings are not data Vigil should read. */
const MAX_LENGTH = 256;
const INT32_MAX = 2147483647;

interface NuGetVersion {
  /** major, minor, patch, revision */
  numbers: [number, number, number, number];
  /** Absent for a release. */
  labels?: string[];
}

const IDENT = /^[0-9A-Za-z-]+$/;

function parse(v: string): NuGetVersion {
  const fail = (reason: string): never => {
    throw new VersionError('nuget', v, reason);
  };
  if (v.trim() === '') fail(v === '' ? 'empty' : 'only whitespace');
  if (v.length > MAX_LENGTH) fail(`longer than ${MAX_LENGTH} characters`);
  const bad = /[^\x20-\x7e]/.exec(v);
  if (bad) {
    const code = bad[0].codePointAt(0)!;
    fail(`contains U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index}; NuGet versions are printable ASCII`);
  }
  const text = v.trim();
  if (text.includes(' ')) fail('contains a space');
  // NuGet's ParseSections: the version ends at the first `-` or `+`, the labels at the next `+`.
  const m = /^([^-+]*)(?:-([^+]*))?(?:\+(.*))?$/.exec(text)!;
  const parts = m[1]!.split('.');
  if (parts.length > 4) fail('more than 4 numbers before the release labels');
  const numbers: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) fail(p === '' ? 'an empty number in the version' : `${JSON.stringify(p)} is not a number (MAJOR[.MINOR[.PATCH[.REVISION]]][-LABELS][+METADATA])`);
    const n = Number(p);
    if (n > INT32_MAX) fail(`${p} is larger than ${INT32_MAX}`);
    numbers.push(n);
  }
  while (numbers.length < 4) numbers.push(0);
  const version: NuGetVersion = { numbers: numbers as NuGetVersion['numbers'] };
  if (m[2] !== undefined) {
    const labels = m[2].split('.');
    for (const l of labels) {
      if (!IDENT.test(l)) fail(l === '' ? 'an empty release label' : `release label ${JSON.stringify(l)} has characters other than letters, digits and -`);
      if (/^0[0-9]+$/.test(l)) fail(`numeric release label ${l} has a leading zero`);
    }
    version.labels = labels;
  }
  if (m[3] !== undefined) {
    for (const id of m[3].split('.')) if (!IDENT.test(id)) fail(id === '' ? 'an empty build metadata identifier' : `build metadata ${JSON.stringify(id)} has characters other than letters, digits and -`);
  }
  return version;
}

const sign = (n: number): Ordering => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** .NET's `int.TryParse` on a label that is already letters, digits and `-`. */
function asInt32(label: string): number | undefined {
  if (!/^-?[0-9]+$/.test(label)) return undefined;
  const n = Number(label);
  return n >= -INT32_MAX - 1 && n <= INT32_MAX ? n : undefined;
}

function compareLabel(a: string, b: string): Ordering {
  const x = asInt32(a);
  const y = asInt32(b);
  if (x !== undefined && y !== undefined) return sign(x - y);
  if (x !== undefined || y !== undefined) return x !== undefined ? -1 : 1;
  // StringComparer.OrdinalIgnoreCase: code units after upper-casing.
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function compareLabels(x: string[] | undefined, y: string[] | undefined): Ordering {
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  for (let i = 0; i < x.length && i < y.length; i++) {
    const c = compareLabel(x[i]!, y[i]!);
    if (c !== 0) return c;
  }
  return sign(x.length - y.length);
}

export const nugetScheme: VersionScheme = {
  name: 'nuget',
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
    for (let i = 0; i < 4; i++) {
      const c = sign(x.numbers[i]! - y.numbers[i]!);
      if (c !== 0) return c;
    }
    return compareLabels(x.labels, y.labels);
  },
};

/**
 * NuGet's normalized form (`ToNormalizedString`): three numbers, the revision only
 * when it is not 0, the labels as written, no metadata. nuget.org and lock files
 * record versions this way, so it is the form to report and to key on.
 */
export function nugetNormalized(v: string): string {
  const { numbers, labels } = parse(v);
  const [major, minor, patch, revision] = numbers;
  return `${major}.${minor}.${patch}${revision > 0 ? `.${revision}` : ''}${labels ? `-${labels.join('.')}` : ''}`;
}

declare module './scheme.js' {
  interface VersionFormats {
    nuget: true;
  }
}
