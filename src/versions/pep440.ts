/**
 * PEP 440 versions exactly as Python's `packaging.version.Version` 23.0 reads, prints
 * and orders them: that is what pip installs by, so it is what an advisory's range means.
 */
import { cachedParser } from './parse-cache.js';
import { VersionError, type Ordering, type VersionScheme } from './scheme.js';

/**
 * packaging has no length limit, but no real release comes near this; refusing longer
 * strings bounds the work a hostile inventory or feed can cause.
 */
export const MAX_PEP440_LENGTH = 256;

// Python's `\s` (str.isspace), which packaging strips around a version: not JS's `\s`.
const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
// Python's re.IGNORECASE also lets ı and İ match "i", ſ match "s" and the Kelvin sign
// match "k"; packaging then keeps them (lower-cased), so they must parse here too.
const LOCAL_CHAR = '[a-z0-9\\u0130\\u0131\\u017f\\u212a]';
const PATTERN = new RegExp(
  `^${PY_SPACE}*v?(?:(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)` +
    `(?:[-_.]?(a|b|c|rc|alpha|beta|pre|prev[i\\u0130\\u0131]ew)[-_.]?([0-9]+)?)?` +
    `(?:-([0-9]+)|[-_.]?(po[s\\u017f]t|rev|r)[-_.]?([0-9]+)?)?` +
    `(?:[-_.]?(dev)[-_.]?([0-9]+)?)?)` +
    `(?:\\+(${LOCAL_CHAR}+(?:[-_.]${LOCAL_CHAR}+)*))?${PY_SPACE}*$`,
  'i',
);
const PY_SPACE_ONLY = new RegExp(`^${PY_SPACE}*$`);
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Python ints are unbounded; numbers past 2^53 stay exact as bigint. */
type Num = number | bigint;

/** Infinity / NegativeInfinity of packaging's sort key, as ranks around a real value (0). */
const NEG_INF = -1;
const VALUE = 0;
const INF = 1;

interface Pep440 {
  epoch: Num;
  release: Num[];
  /** `release` without trailing zeros: 1.0 and 1 are the same release. */
  releaseLen: number;
  preRank: number;
  preLetter: string;
  preN: Num;
  postRank: number;
  postLetter: string;
  postN: Num;
  devRank: number;
  devN: Num;
  /** null sorts before any local version; parts are numbers or lower-cased strings. */
  local: (Num | string)[] | null;
}

function num(digits: string): Num {
  return digits.length <= 15 ? Number(digits) : BigInt(digits);
}

function cmp(a: Num | string, b: Num | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** packaging spells some letters another way; a case-folded spelling such as "prevıew" stays as written. */
function preLetter(l: string): string {
  const lower = l.toLowerCase();
  if (lower === 'alpha') return 'a';
  if (lower === 'beta') return 'b';
  if (lower === 'c' || lower === 'pre' || lower === 'preview') return 'rc';
  return lower;
}

function reason(v: string): string {
  if (v.length > MAX_PEP440_LENGTH) return `longer than ${MAX_PEP440_LENGTH} characters`;
  if (PY_SPACE_ONLY.test(v)) return 'empty';
  if (CONTROL.test(v)) return 'contains a control character';
  return 'not a PEP 440 version';
}

function parse(v: string): Pep440 {
  const m = v.length <= MAX_PEP440_LENGTH ? PATTERN.exec(v) : null;
  if (!m) throw new VersionError('pep440', v, reason(v));
  const [, epoch, release, preL, preN, postN1, postL, postN2, devL, devN, local] = m;
  const rel = release!.split('.').map(num);
  let releaseLen = rel.length;
  while (releaseLen > 0 && rel[releaseLen - 1] == 0) releaseLen--;
  const hasPre = preL !== undefined;
  const hasPost = postN1 !== undefined || postL !== undefined;
  const hasDev = devL !== undefined;
  const postLetter = postL === undefined ? 'post' : postL.toLowerCase();
  return {
    epoch: epoch === undefined ? 0 : num(epoch),
    release: rel,
    releaseLen,
    // packaging sorts 1.0.dev0 before 1.0a0 by giving a bare dev release the lowest pre.
    preRank: hasPre ? VALUE : !hasPost && hasDev ? NEG_INF : INF,
    preLetter: hasPre ? preLetter(preL) : '',
    preN: preN === undefined ? 0 : num(preN),
    postRank: hasPost ? VALUE : NEG_INF,
    postLetter: postLetter === 'rev' || postLetter === 'r' ? 'post' : postLetter,
    postN: num(postN1 ?? postN2 ?? '0'),
    devRank: hasDev ? VALUE : INF,
    devN: devN === undefined ? 0 : num(devN),
    local: local === undefined ? null : local.split(/[-_.]/).map((p) => (/^[0-9]+$/.test(p) ? num(p) : p.toLowerCase())),
  };
}

function compareLocal(a: (Num | string)[] | null, b: (Num | string)[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xs = typeof x === 'string';
    // A string part sorts before any number part.
    if (xs !== (typeof y === 'string')) return xs ? -1 : 1;
    const c = cmp(x, y);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareParsed(a: Pep440, b: Pep440): number {
  let c = cmp(a.epoch, b.epoch);
  if (c !== 0) return c;
  const n = Math.min(a.releaseLen, b.releaseLen);
  for (let i = 0; i < n; i++) {
    c = cmp(a.release[i]!, b.release[i]!);
    if (c !== 0) return c;
  }
  if (a.releaseLen !== b.releaseLen) return a.releaseLen - b.releaseLen;
  if (a.preRank !== b.preRank) return a.preRank - b.preRank;
  if (a.preRank === VALUE) {
    c = cmp(a.preLetter, b.preLetter) || cmp(a.preN, b.preN);
    if (c !== 0) return c;
  }
  if (a.postRank !== b.postRank) return a.postRank - b.postRank;
  if (a.postRank === VALUE) {
    c = cmp(a.postLetter, b.postLetter) || cmp(a.postN, b.postN);
    if (c !== 0) return c;
  }
  if (a.devRank !== b.devRank) return a.devRank - b.devRank;
  if (a.devRank === VALUE) {
    c = cmp(a.devN, b.devN);
    if (c !== 0) return c;
  }
  return compareLocal(a.local, b.local);
}

const parsed = cachedParser(parse);

/** packaging's `str(Version(v))`: the canonical spelling. Throws VersionError. */
export function normalizePep440(v: string): string {
  const p = parsed(v);
  let s = p.epoch != 0 ? `${p.epoch}!` : '';
  s += p.release.join('.');
  if (p.preRank === VALUE) s += `${p.preLetter}${p.preN}`;
  if (p.postRank === VALUE) s += `.post${p.postN}`;
  if (p.devRank === VALUE) s += `.dev${p.devN}`;
  if (p.local !== null) s += `+${p.local.join('.')}`;
  return s;
}

export const pep440Scheme: VersionScheme = {
  name: 'pep440',
  validate(v: string): void {
    parsed(v);
  },
  unusual(v: string): undefined {
    parsed(v);
    return undefined;
  },
  compare(a: string, b: string): Ordering {
    const c = compareParsed(parsed(a), parsed(b));
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  },
};

declare module './scheme.js' {
  interface VersionFormats {
    pep440: true;
  }
}
