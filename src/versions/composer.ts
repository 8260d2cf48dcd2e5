import { cachedParser } from './parse-cache.js';
import { type Ordering, type VersionScheme, VersionError } from './scheme.js';

/**
 * Composer (Packagist) versions, ordered as Composer orders them: composer/semver's
 * `VersionParser::normalize` turns each version into its normal form, and
 * `Comparator` compares two normal forms with PHP's `version_compare`.
 *
 * Normalisation, case-insensitively: an optional `v`; one to four numbers (missing
 * ones become 0: `1.2` is `1.2.0.0`), or a date (`2010-01-02`, `20100102`); then an
 * optional stability, `stable`, `alpha`/`a`, `beta`/`b`, `RC`, `patch`/`pl`/`p`, with
 * numbers (`-beta.2`, `RC1`, `pl3`), and an optional `-dev`; `+metadata` is dropped.
 * Numbered branches (`1.x-dev`, `2.0.x-dev`) become `1.9999999.9999999.9999999-dev`.
 * `version_compare` then cuts the normal form at dots and at every change between
 * digits and letters, compares numbers numerically, and words by their first
 * letters: `dev` < `alpha` < `beta` < `RC` < a number < `patch`, so `1.0-dev` <
 * `1.0-beta1` < `1.0` < `1.0-patch1`, and a longer version is above its prefix when
 * the rest starts with a number or `patch` (`1.0.0.0.1`), below it otherwise.
 *
 * Named branches (`dev-master`, `dev-feature/x`, and `master`, `trunk`, `default`)
 * are no place in that order: Composer matches them against no range (its
 * constraints never compare a branch with a version), so Vigil refuses them rather
 * than guess. Vigil also refuses what Composer would take but no version should
 * hold: spaces (Composer's `1.0 as 2.0` aliases), characters other than letters,
 * digits and `.`, `_`, `+`, `-` in build metadata, numbers above PHP's integer range,
 * and anything outside printable ASCII. A stability flag (`1.0@dev`) belongs to
 * constraints; Composer drops it, and so does Vigil, calling the version unusual.
 */

/** Composer versions are short; longer strings are not data Vigil should read. */
const MAX_LENGTH = 256;
/** PHP_INT_MAX: `version_compare` reads numbers with strtol, which saturates beyond it. */
const PHP_INT_MAX = 9223372036854775807n;

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${MODIFIER}$`, 'i');
const NUMBERED_BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;
const STABILITY_FLAG = /@(?:stable|RC|beta|alpha|dev)$/i;
const METADATA = /^([^,+]+)\+(.+)$/;

type Part = bigint | string;

interface Normal {
  /** The normal form, as composer/semver writes it (`1.0.0.0-beta2`). */
  text: string;
  /** The normal form cut as version_compare cuts it: numbers and words. */
  parts: Part[];
  /** Why Composer takes it although it is no version, when that is so. */
  unusual?: string;
}

function fail(v: string, reason: string): never {
  throw new VersionError('composer', v, reason);
}

function expandStability(s: string): string {
  const l = s.toLowerCase();
  return l === 'a' ? 'alpha' : l === 'b' ? 'beta' : l === 'p' || l === 'pl' ? 'patch' : l === 'rc' ? 'RC' : l;
}

/** VersionParser::normalizeBranch for a branch name; undefined for a named (non-numeric) branch. */
function numberedBranch(name: string): string | undefined {
  const m = NUMBERED_BRANCH.exec(name);
  if (!m) return undefined;
  let out = '';
  for (let i = 1; i < 5; i++) out += m[i] !== undefined ? m[i]!.replace(/[*X]/g, 'x') : '.x';
  return out.replaceAll('x', '9999999') + '-dev';
}

function normalize(v: string): Normal {
  const { text, unusual } = normalForm(v);
  const parts = canonicalize(text).split('.').map((p): Part => (/^[0-9]/.test(p) ? number(v, p) : p));
  return unusual === undefined ? { text, parts } : { text, parts, unusual };
}

function normalForm(v: string): { text: string; unusual?: string } {
  if (v.trim() === '') fail(v, v === '' ? 'empty' : 'only whitespace');
  if (v.length > MAX_LENGTH) fail(v, `longer than ${MAX_LENGTH} characters`);
  const bad = /[^\x20-\x7e]/.exec(v);
  if (bad) {
    const code = bad[0].codePointAt(0)!;
    fail(v, `contains U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index}; Composer versions are printable ASCII`);
  }
  let text = v.trim();
  if (text.includes(' ')) fail(v, 'contains a space (an alias or a constraint, not a version)');
  let unusual: string | undefined;
  const flag = STABILITY_FLAG.exec(text);
  if (flag) {
    text = text.slice(0, flag.index);
    unusual = `the stability flag ${flag[0]} belongs to constraints, not versions; Composer ignores it`;
  }
  if (text === 'master' || text === 'trunk' || text === 'default' || /^dev-/i.test(text)) {
    fail(v, 'a named branch: Composer matches branches against no version range (only numbered ones such as 1.x-dev are ordered)');
  }
  const meta = METADATA.exec(text);
  if (meta) {
    if (!/^[0-9A-Za-z._+-]+$/.test(meta[2]!)) fail(v, `build metadata ${JSON.stringify(meta[2])} has characters other than letters, digits, ".", "_", "+" and "-"`);
    text = meta[1]!;
  }
  let version: string | undefined;
  let mods: Array<string | undefined> = [];
  let m = CLASSICAL.exec(text);
  if (m) {
    version = m[1]! + (m[2] || '.0') + (m[3] || '.0') + (m[4] || '.0');
    mods = m.slice(5);
  } else if ((m = DATE.exec(text))) {
    version = m[1]!.replace(/\D/g, '.');
    mods = m.slice(2);
  }
  if (version !== undefined) {
    const [stability, digits, dev] = mods;
    if (stability) {
      // Composer drops a lower-case `stable` with everything after it; any other spelling is kept as a word.
      if (stability === 'stable') return { text: version, unusual };
      version += '-' + expandStability(stability) + (digits ? digits.replace(/^[.-]+/, '') : '');
    }
    if (dev) version += '-dev';
    return { text: version, unusual };
  }
  // A numbered branch: `1.x-dev`, `2.0.*-dev`, `v1.0-dev` (which the classical form already took).
  const branch = /^(.*?)[.-]?dev$/i.exec(text);
  const numbered = branch ? numberedBranch(branch[1]!.trim()) : undefined;
  if (numbered) return { text: numbered, unusual };
  return fail(v, 'not a Composer version ([v]MAJOR[.MINOR[.PATCH[.BUILD]]][-STABILITY[N]][-dev], a date, or N.x-dev)');
}

const normalized = cachedParser(normalize);

/** php_canonicalize_version: `-`, `_` and `+` become dots, and a dot goes between digits and other characters. */
function canonicalize(s: string): string {
  const isDigit = (c: string) => c >= '0' && c <= '9';
  const isNonDigit = (c: string) => !isDigit(c) && c !== '.';
  let out = s[0] ?? '';
  let prev = out;
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    const last = out[out.length - 1];
    if (c === '-' || c === '_' || c === '+') {
      if (last !== '.') out += '.';
    } else if ((isNonDigit(prev) && isDigit(c)) || (isDigit(prev) && isNonDigit(c))) {
      if (last !== '.') out += '.';
      out += c;
    } else if (!/[0-9A-Za-z]/.test(c)) {
      if (last !== '.') out += '.';
    } else {
      out += c;
    }
    prev = c;
  }
  return out;
}

const SPECIAL_FORMS: ReadonlyArray<[string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

/** compare_special_version_forms: a word's rank is that of the first form it starts with, -1 for none. */
function specialRank(form: string): number {
  for (const [name, rank] of SPECIAL_FORMS) if (form.startsWith(name)) return rank;
  return -1;
}

const sign = (n: number | bigint): Ordering => (n < 0 ? -1 : n > 0 ? 1 : 0);
/** The rank version_compare gives a number when it meets a word (`#N#`). */
const NUMBER_RANK = 4;

function number(v: string, part: string): bigint {
  const n = BigInt(part);
  if (n > PHP_INT_MAX) fail(v, `the number ${part.length > 40 ? part.slice(0, 40) + '…' : part} is beyond PHP's integer range`);
  return n;
}

/** php_version_compare on two normal forms, already cut into parts. */
function versionCompare(ps: readonly Part[], qs: readonly Part[]): Ordering {
  const rank = (p: Part) => (typeof p === 'bigint' ? NUMBER_RANK : specialRank(p));
  let i = 0;
  for (; i < ps.length && i < qs.length; i++) {
    const l = ps[i]!;
    const r = qs[i]!;
    const c = typeof l === 'bigint' && typeof r === 'bigint' ? sign(l - r) : sign(rank(l) - rank(r));
    if (c !== 0) return c;
  }
  // The longer side's next part decides: a number is above the end, a word by its rank against a number.
  if (i < ps.length) return sign(rank(ps[i]!) - NUMBER_RANK) || 1;
  if (i < qs.length) return sign(NUMBER_RANK - rank(qs[i]!)) || -1;
  return 0;
}

export const composerScheme: VersionScheme = {
  name: 'composer',
  validate(v: string): void {
    normalized(v);
  },
  unusual(v: string): string | undefined {
    return normalized(v).unusual;
  },
  compare(a: string, b: string): Ordering {
    return versionCompare(normalized(a).parts, normalized(b).parts);
  },
};

/** composer/semver's normal form of a version (`v1.2-beta.3` → `1.2.0.0-beta3`). */
export function composerNormalized(v: string): string {
  return normalized(v).text;
}

declare module './scheme.js' {
  interface VersionFormats {
    composer: true;
  }
}
