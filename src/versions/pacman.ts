import { Buffer } from 'node:buffer';
import { VersionError, type Ordering, type VersionScheme } from './scheme.js';

/**
 * Arch Linux package versions, `[epoch:]pkgver[-pkgrel]`, ordered exactly as pacman
 * 6.0's `alpm_pkg_vercmp` (lib/libalpm/version.c, which the `vercmp` tool runs)
 * orders them. Each side is split as `parseEVR` splits it: the epoch is the leading
 * digits before a `:` (none, or an empty one, is 0), the release what follows the
 * last `-`. Epochs, then versions, are compared by pacman's `rpmvercmp`; the releases
 * only when both sides have one, so `1.5` equals both `1.5-1` and `1.5-2` (pacman
 * compares a dependency's bare version that way).
 *
 * pacman's `rpmvercmp` is an older rpm's, with differences that decide real
 * orderings, all kept here: `~` and `^` are separators like any other; where both
 * sides have a segment left, the side with the longer run of separators before it is
 * newer (`2___a` > `2_a`); and at the end, a side whose rest starts with a letter is
 * older, one whose rest starts with a separator newer (`1.0a` < `1.0` < `1.0.a`).
 * Bytes outside ASCII are separators, one per byte of their UTF-8 form, as in C.
 *
 * pacman orders every string; `unusual` names what makepkg refuses in a package
 * version (an empty or non-numeric part, a `:`, `/` or `-` in pkgver, a pkgrel other
 * than `integer[.integer]`, anything outside ASCII). As hostile text Vigil refuses
 * the empty string, strings over 256 characters, whitespace and control characters,
 * the characters a shell or a quoted context acts on (`` " $ & ' ( ) ; < > \ ` | ``)
 * and non-ASCII spaces, controls and format characters.
 */

const MAX_LENGTH = 256;
const COLON = 0x3a;
const HYPHEN = 0x2d;
const SLASH = 0x2f;
const ZERO = 0x30;
const NO_RELEASE = -1;
const EPOCH_ZERO = '0';

/** 1 for ASCII letters, 2 for digits: glibc's isalpha/isdigit in the C locale, which vercmp never changes. */
const CLASS = new Uint8Array(256);
/** 1 where Vigil refuses the ASCII character. */
const HOSTILE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) CLASS[c] = 1;
  else if (c >= ZERO && c <= 0x39) CLASS[c] = 2;
  if (c <= 0x20 || c === 0x7f) HOSTILE[c] = 1;
}
for (const ch of '"$&\'();<>\\`|') HOSTILE[ch.charCodeAt(0)] = 1;

const NOT_TEXT = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}]/u;

/**
 * pacman's `rpmvercmp` on the bytes `a[ai, ae)` and `b[bi, be)` (each string holds
 * one byte per code unit): the C loop step by step, with indices for its pointers.
 */
function rpmvercmp(a: string, ai: number, ae: number, b: string, bi: number, be: number): Ordering {
  if (ae - ai === be - bi && a.startsWith(b.slice(bi, be), ai)) return 0;
  let one = ai;
  let two = bi;
  // Where the previous segment ended: the separators since then are counted.
  let p1 = ai;
  let p2 = bi;
  while (one < ae && two < be) {
    while (one < ae && CLASS[a.charCodeAt(one)] === 0) one++;
    while (two < be && CLASS[b.charCodeAt(two)] === 0) two++;
    if (one >= ae || two >= be) break;
    if (one - p1 !== two - p2) return one - p1 < two - p2 ? -1 : 1;
    p1 = one;
    p2 = two;
    const kind = CLASS[a.charCodeAt(p1)]!;
    while (p1 < ae && CLASS[a.charCodeAt(p1)] === kind) p1++;
    while (p2 < be && CLASS[b.charCodeAt(p2)] === kind) p2++;
    // Segments of different kinds: a number is newer than letters.
    if (p2 === two) return kind === 2 ? 1 : -1;
    if (kind === 2) {
      while (one < p1 && a.charCodeAt(one) === ZERO) one++;
      while (two < p2 && b.charCodeAt(two) === ZERO) two++;
      if (p1 - one !== p2 - two) return p1 - one > p2 - two ? 1 : -1;
    }
    for (; one < p1 && two < p2; one++, two++) {
      const d = a.charCodeAt(one) - b.charCodeAt(two);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    if (one < p1) return 1;
    if (two < p2) return -1;
  }
  if (one >= ae && two >= be) return 0;
  // "We never want a remaining alpha string to beat an empty string."
  if ((one >= ae && CLASS[b.charCodeAt(two)] !== 1) || (one < ae && CLASS[a.charCodeAt(one)] === 1)) return -1;
  return 1;
}

function refuse(v: string, reason: string): never {
  throw new VersionError('pacman', v, reason);
}

function shown(v: string, i: number): string {
  const code = v.codePointAt(i)!;
  return code > 0x20 && code < 0x7f ? `'${v[i]}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A parsed side: its bytes (one per code unit) and where the epoch ends and the version and release start. */
interface Evr {
  bytes: string;
  epochEnd: number;
  verStart: number;
  relStart: number;
  /** Offset in the original string of the first non-ASCII character, or -1. */
  nonAscii: number;
}

function parse(v: string): Evr {
  const n = v.length;
  if (n === 0) refuse(v, 'empty');
  if (n > MAX_LENGTH) refuse(v, `longer than ${MAX_LENGTH} characters`);
  let nonAscii = -1;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 128) {
      if (HOSTILE[c] === 1) refuse(v, `contains ${shown(v, i)} at offset ${i}, ${c > 0x20 && c < 0x7f ? 'a shell metacharacter' : 'a space or control character'} no Arch package carries`);
      continue;
    }
    const code = v.codePointAt(i)!;
    if (NOT_TEXT.test(String.fromCodePoint(code))) refuse(v, `contains ${shown(v, i)} at offset ${i}, a space, control or format character no Arch package carries`);
    if (nonAscii < 0) nonAscii = i;
    if (code > 0xffff) i++;
  }
  // C compares bytes: past ASCII, the UTF-8 form, one byte per code unit.
  const bytes = nonAscii < 0 ? v : Buffer.from(v, 'utf8').toString('latin1');
  let digits = 0;
  while (digits < bytes.length && CLASS[bytes.charCodeAt(digits)] === 2) digits++;
  const hasEpoch = digits < bytes.length && bytes.charCodeAt(digits) === COLON;
  const hyphen = bytes.lastIndexOf('-');
  return {
    bytes,
    epochEnd: hasEpoch ? digits : -1,
    verStart: hasEpoch ? digits + 1 : 0,
    relStart: hyphen >= 0 ? hyphen + 1 : NO_RELEASE,
    nonAscii,
  };
}

// The matcher compares one installed version against many advisory bounds: the left
// side's parse is kept while the same string keeps coming.
let memo: string | undefined;
let memoEvr: Evr | undefined;

function compare(a: string, b: string): Ordering {
  if (a !== memo || memoEvr === undefined) {
    memoEvr = parse(a);
    memo = a;
  }
  const x = memoEvr;
  const y = parse(b);
  if (a === b) return 0;
  const xa = x.bytes;
  const yb = y.bytes;
  // An empty epoch (`:1.0`) is 0 as well.
  const xe = x.epochEnd > 0;
  const ye = y.epochEnd > 0;
  let r = rpmvercmp(xe ? xa : EPOCH_ZERO, 0, xe ? x.epochEnd : 1, ye ? yb : EPOCH_ZERO, 0, ye ? y.epochEnd : 1);
  if (r !== 0) return r;
  const xVerEnd = x.relStart === NO_RELEASE ? xa.length : x.relStart - 1;
  const yVerEnd = y.relStart === NO_RELEASE ? yb.length : y.relStart - 1;
  r = rpmvercmp(xa, x.verStart, xVerEnd, yb, y.verStart, yVerEnd);
  if (r !== 0 || x.relStart === NO_RELEASE || y.relStart === NO_RELEASE) return r;
  return rpmvercmp(xa, x.relStart, xa.length, yb, y.relStart, yb.length);
}

const PKGREL = /^[0-9]+(\.[0-9]+)?$/;

function unusual(v: string): string | undefined {
  const p = parse(v);
  if (p.nonAscii >= 0) return `contains ${shown(v, p.nonAscii)} at offset ${p.nonAscii}, which makepkg refuses (ASCII only); compared byte by byte as pacman compares it, as separators`;
  const bytes = p.bytes;
  if (p.epochEnd === 0) return 'has an empty epoch before the colon, which makepkg never writes; read as epoch 0, as pacman reads it';
  const verEnd = p.relStart === NO_RELEASE ? bytes.length : p.relStart - 1;
  if (verEnd === p.verStart) return 'has an empty pkgver, which makepkg refuses; compared as pacman compares it';
  for (let i = p.verStart; i < verEnd; i++) {
    const c = bytes.charCodeAt(i);
    if (c === COLON || c === SLASH || c === HYPHEN) return `has ${shown(bytes, i)} in its pkgver at offset ${i}, which makepkg refuses; compared as pacman compares it`;
  }
  if (p.relStart !== NO_RELEASE) {
    const rel = bytes.slice(p.relStart);
    if (!PKGREL.test(rel)) return `has the pkgrel ${JSON.stringify(rel)}, which makepkg refuses (it must be integer[.integer]); compared as pacman compares it`;
  }
  return undefined;
}

export const pacmanScheme: VersionScheme = {
  name: 'pacman',
  validate(v: string): void {
    parse(v);
  },
  unusual,
  compare,
};

/** pacman's `rpmvercmp` alone, on whole strings (no epoch or release split): for tests of the segment rules. */
export function pacmanRpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  const x = parse(a).bytes;
  const y = parse(b).bytes;
  return rpmvercmp(x, 0, x.length, y, 0, y.length);
}

declare module './scheme.js' {
  interface VersionFormats {
    pacman: true;
  }
}
