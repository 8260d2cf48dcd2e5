import { VersionError, type Ordering, type VersionScheme } from './scheme.js';

/**
 * RPM versions, `[epoch:]version[-release]`, ordered exactly as rpm 4.18 orders
 * them: each side split as rpmio/rpmver.c `rpmverParse` splits it (the epoch is the
 * leading digits before a `:`, the release is what follows the last `-`), then
 * `rpmverCmp`: epoch, version and release each through `rpmvercmp`, a missing epoch
 * read as 0 and a missing release sorting before any release. That is what rpm's
 * own `rpm.vercmp` and `rpm.ver` do (rpmio/rpmlua.c), so `1-2-3-4` is version
 * `1-2-3`, release `4`, and older than `1.2.3.4`, although `rpmvercmp` alone, where
 * `-` is only a separator, finds the two equal.
 *
 * rpm itself refuses only the empty string, and orders any other: Vigil does too,
 * so a release with an unexpanded macro (`1.0-1%{?dist}`) or a stray `,` is placed
 * where rpm places it, and `unusual` names the characters rpmbuild would refuse in an
 * epoch, version or release (anything but letters, digits and `._+%{}~^-:`) and any
 * non-ASCII letter, which rpm compares as a separator.
 *
 * As hostile text Vigil refuses strings over 256 characters, whitespace and control
 * characters, the characters a shell or a quoted context acts on
 * (`` " $ & ' ( ) ; < > \ ` | ``), and non-ASCII spaces, controls and format
 * characters: no package rpmbuild makes carries them.
 */

const MAX_LENGTH = 256;
const COLON = 0x3a;
const HYPHEN = 0x2d;
const TILDE = 0x7e;
const CARET = 0x5e;
const ZERO = 0x30;
const NO_RELEASE = -1;
/** What rpmverCmp compares a missing epoch as. */
const EPOCH_ZERO = '0';

/** 1 for ASCII letters, 2 for digits; rpm's risalpha/risdigit ignore the locale and non-ASCII. */
const CLASS = new Uint8Array(128);
/**
 * Per ASCII character: ALLOWED where rpmbuild accepts it in an EVR
 * (build/rpmbuild_internal.h ALLOWED_CHARS_EVR), HOSTILE where Vigil refuses it, else
 * 0 (ordered, but unusual).
 */
const KIND = new Uint8Array(128);
// 0: any other printable character.
const ALLOWED = 1;
const HOSTILE = 2;
for (let c = 0; c < 128; c++) {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) CLASS[c] = 1;
  else if (c >= ZERO && c <= 0x39) CLASS[c] = 2;
  if (CLASS[c] !== 0) KIND[c] = ALLOWED;
  else if (c <= 0x20 || c === 0x7f) KIND[c] = HOSTILE;
}
for (const ch of '._+%{}~^-:') KIND[ch.charCodeAt(0)] = ALLOWED;
for (const ch of '"$&\'();<>\\`|') KIND[ch.charCodeAt(0)] = HOSTILE;

const NOT_TEXT = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}]/u;

const isAlpha = (c: number): boolean => c < 128 && CLASS[c] === 1;
const isDigit = (c: number): boolean => c < 128 && CLASS[c] === 2;
const isAlnum = (c: number): boolean => c < 128 && CLASS[c] !== 0;

/**
 * rpm 4.18 `rpmvercmp` on `a[ai, ae)` and `b[bi, be)`: digit runs compared by value
 * (leading zeros dropped, then length, then digits), letter runs by strcmp, a digit
 * run newer than a letter run, anything else a separator; `~` sorts before
 * everything, even the end, and `^` after the end but before anything else.
 */
function segments(a: string, ai: number, ae: number, b: string, bi: number, be: number): number {
  while (ai < ae || bi < be) {
    while (ai < ae) {
      const c = a.charCodeAt(ai);
      if (isAlnum(c) || c === TILDE || c === CARET) break;
      ai++;
    }
    while (bi < be) {
      const c = b.charCodeAt(bi);
      if (isAlnum(c) || c === TILDE || c === CARET) break;
      bi++;
    }
    const ca = ai < ae ? a.charCodeAt(ai) : -1;
    const cb = bi < be ? b.charCodeAt(bi) : -1;
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      ai++;
      bi++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (ca === -1) return -1;
      if (cb === -1) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      ai++;
      bi++;
      continue;
    }
    if (ca === -1 || cb === -1) break;

    let ap = ai;
    let bp = bi;
    const isNum = isDigit(ca);
    const inRun = isNum ? isDigit : isAlpha;
    while (ap < ae && inRun(a.charCodeAt(ap))) ap++;
    while (bp < be && inRun(b.charCodeAt(bp))) bp++;
    // The runs differ in kind: a number is newer than letters.
    if (bp === bi) return isNum ? 1 : -1;
    if (isNum) {
      while (ai < ap && a.charCodeAt(ai) === ZERO) ai++;
      while (bi < bp && b.charCodeAt(bi) === ZERO) bi++;
      if (ap - ai !== bp - bi) return ap - ai > bp - bi ? 1 : -1;
    }
    for (; ai < ap && bi < bp; ai++, bi++) {
      const d = a.charCodeAt(ai) - b.charCodeAt(bi);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    if (ai < ap) return 1;
    if (bi < bp) return -1;
  }
  if (ai >= ae && bi >= be) return 0;
  return ai < ae ? 1 : -1;
}

/**
 * rpm 4.18's `rpmvercmp` itself: one version or release string against another,
 * with no EVR split (`-` and `:` are separators like `.`). It refuses nothing, as in
 * rpm, where an empty release is a legitimate argument; callers comparing whole
 * versions want `rpmScheme.compare`, which validates.
 */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  return segments(a, 0, a.length, b, 0, b.length) as Ordering;
}

// The last parse(): module state rather than a returned object, so that comparing
// allocates nothing. compare() copies it out before parsing the other side.
let pEpochEnd = 0;
let pVerStart = 0;
let pRelStart = NO_RELEASE;

function refuse(v: string, reason: string): never {
  throw new VersionError('rpm', v, reason);
}

function shown(v: string, i: number): string {
  const code = v.codePointAt(i)!;
  return code > 0x20 && code < 0x7f ? `'${v[i]}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function refuseChar(v: string, i: number): never {
  const code = v.charCodeAt(i);
  refuse(v, `contains ${shown(v, i)} at offset ${i}, ${code < 128 && code > 0x20 && code < 0x7f ? 'a shell metacharacter' : 'a space, control or format character'} no rpm package carries`);
}

/** Offset of the first character that makes `v` unusual (set by parse), or -1. */
let pUnusual = -1;

function parse(v: string): void {
  const n = v.length;
  if (n === 0) refuse(v, 'empty (rpm refuses it)');
  if (n > MAX_LENGTH) refuse(v, `longer than ${MAX_LENGTH} characters`);
  let digits = 0;
  while (digits < n && isDigit(v.charCodeAt(digits))) digits++;
  let lastHyphen = -1;
  pUnusual = -1;
  for (let i = digits; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 128) {
      const kind = KIND[c];
      if (kind === ALLOWED) {
        if (c === HYPHEN) lastHyphen = i;
        continue;
      }
      if (kind === HOSTILE) refuseChar(v, i);
      if (pUnusual < 0) pUnusual = i;
    } else {
      const code = v.codePointAt(i)!;
      if (NOT_TEXT.test(String.fromCodePoint(code))) refuseChar(v, i);
      if (pUnusual < 0) pUnusual = i;
      if (code > 0xffff) i++;
    }
  }
  if (digits < n && v.charCodeAt(digits) === COLON) {
    pEpochEnd = digits;
    pVerStart = digits + 1;
  } else {
    pEpochEnd = -1;
    pVerStart = 0;
  }
  pRelStart = lastHyphen >= 0 ? lastHyphen + 1 : NO_RELEASE;
}

// The matcher compares one installed version against many advisory bounds, so the
// left side's parse is kept while the same string keeps coming (about 20% faster
// there, no change on random pairs).
let memo: string | undefined;
let mEpochEnd = 0;
let mVerStart = 0;
let mRelStart = NO_RELEASE;

function compare(a: string, b: string): Ordering {
  if (a !== memo) {
    parse(a);
    memo = a;
    mEpochEnd = pEpochEnd;
    mVerStart = pVerStart;
    mRelStart = pRelStart;
  }
  parse(b);
  if (a === b) return 0;

  // An empty epoch (`:1.0`) is 0 as well, in rpm.
  let r = segments(
    mEpochEnd > 0 ? a : EPOCH_ZERO,
    0,
    mEpochEnd > 0 ? mEpochEnd : 1,
    pEpochEnd > 0 ? b : EPOCH_ZERO,
    0,
    pEpochEnd > 0 ? pEpochEnd : 1,
  );
  if (r !== 0) return r as Ordering;
  const aVerEnd = mRelStart === NO_RELEASE ? a.length : mRelStart - 1;
  const bVerEnd = pRelStart === NO_RELEASE ? b.length : pRelStart - 1;
  r = segments(a, mVerStart, aVerEnd, b, pVerStart, bVerEnd);
  if (r !== 0) return r as Ordering;
  if (mRelStart === NO_RELEASE || pRelStart === NO_RELEASE) {
    return mRelStart === pRelStart ? 0 : mRelStart === NO_RELEASE ? -1 : 1;
  }
  return segments(a, mRelStart, a.length, b, pRelStart, b.length) as Ordering;
}

function unusual(v: string): string | undefined {
  parse(v);
  if (pUnusual < 0) return undefined;
  const ascii = v.charCodeAt(pUnusual) < 128;
  return `contains ${shown(v, pUnusual)} at offset ${pUnusual}, which rpmbuild refuses in a version; compared as rpm compares it${ascii ? '' : ' (as a separator)'}`;
}

export const rpmScheme: VersionScheme = {
  name: 'rpm',
  validate: parse,
  unusual,
  compare,
};

declare module './scheme.js' {
  interface VersionFormats {
    rpm: true;
  }
}
