import { VersionError, type Ordering, type VersionScheme } from './scheme.js';

/**
 * Debian package versions, `[epoch:]upstream[-revision]`, ordered exactly as dpkg
 * 1.21 orders them (lib/dpkg/version.c `dpkg_version_compare`) and checked as its
 * parser does (lib/dpkg/parsehelp.c `parseversion`).
 *
 * dpkg's parser has two kinds of complaint. Errors (empty revision, bad epoch,
 * nothing after the colon, …) make `dpkg --compare-versions` exit 2: Vigil refuses
 * those too, with dpkg's own wording. Warnings ("version number does not start with
 * digit", "invalid character in revision number") only print a line and dpkg still
 * answers, as its lax database reader does for a status file written by an older
 * dpkg; Vigil answers the same way, so a host whose dpkg accepted a version is matched.
 *
 * Vigil refuses, where dpkg would answer: the empty string (dpkg silently reads it
 * as the blank version), strings over 256 characters, whitespace (dpkg trims it at
 * the ends), control and non-ASCII characters, and the characters a shell or a
 * quoted context acts on (`` " $ & ' ( ) ; < > \ ` | ``). No package dpkg-deb
 * builds carries them (it turns every warning into an error), so they come from a
 * broken parser upstream or from hostile input, and Vigil passes versions on to apt
 * and into reports.
 */

const MAX_LENGTH = 256;
const COLON = 0x3a;
const HYPHEN = 0x2d;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;
const INT_MAX = 2147483647;

/** dpkg's `order()`: `~` before the end of a part, which is before letters, which are before other characters. */
const ORDER = new Int16Array(128);
/** What parse() needs to know of each ASCII character. */
const KIND = new Uint8Array(128);
const PLAIN = 0;
const IS_COLON = 1;
const IS_HYPHEN = 2;
const CONTROL = 3;
/** Printable ASCII that Vigil still refuses; see the header. */
const SHELL = 4;
for (let c = 0; c < 128; c++) {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  ORDER[c] = c >= ZERO && c <= NINE ? 0 : letter ? c : c === 0x7e ? -1 : c + 256;
  KIND[c] = c <= 0x20 || c === 0x7f ? CONTROL : c === COLON ? IS_COLON : c === HYPHEN ? IS_HYPHEN : PLAIN;
}
for (const ch of '"$&\'();<>\\`|') KIND[ch.charCodeAt(0)] = SHELL;

// The last successful parse(): module state rather than a returned object, so that
// comparing allocates nothing. compare() copies it out before parsing the other side.
let pEpoch = 0;
let pVerStart = 0;
let pVerEnd = 0;
let pRevStart = 0;

function refuse(v: string, reason: string): never {
  throw new VersionError('dpkg', v, reason);
}

function describe(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** strtol(3)'s reading of the epoch field, with dpkg's checks on the result. */
function parseEpoch(v: string, colon: number): number {
  let i = 0;
  const sign = v.charCodeAt(0);
  if (sign === PLUS || sign === HYPHEN) i = 1;
  const digits = i;
  let value = 0;
  for (; i < colon; i++) {
    const c = v.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    // Saturates instead of overflowing; anything past INT_MAX is refused below.
    if (value <= INT_MAX) value = value * 10 + (c - ZERO);
  }
  if (i === digits) refuse(v, 'epoch in version is empty (dpkg refuses it)');
  if (i !== colon) refuse(v, 'epoch in version is not number (dpkg refuses it)');
  if (sign === HYPHEN && value !== 0) refuse(v, 'epoch in version is negative (dpkg refuses it)');
  if (value > INT_MAX) refuse(v, 'epoch in version is too big (dpkg refuses it)');
  return value;
}

function parse(v: string): void {
  const n = v.length;
  if (n === 0) refuse(v, 'empty');
  if (n > MAX_LENGTH) refuse(v, `longer than ${MAX_LENGTH} characters`);
  let colon = -1;
  let hyphen = -1;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    const kind = c < 128 ? KIND[c]! : CONTROL;
    if (kind === PLAIN) continue;
    if (kind === IS_COLON) {
      if (colon < 0) colon = i;
    } else if (kind === IS_HYPHEN) {
      hyphen = i;
    } else if (kind === SHELL) {
      refuse(v, `contains '${v[i]}' at offset ${i}, a shell metacharacter no Debian version carries`);
    } else {
      refuse(v, `contains ${describe(c)} at offset ${i}; dpkg versions are printable ASCII`);
    }
  }
  let start = 0;
  pEpoch = 0;
  if (colon >= 0) {
    pEpoch = parseEpoch(v, colon);
    start = colon + 1;
    if (start === n) refuse(v, 'nothing after colon in version number (dpkg refuses it)');
  }
  // The revision starts after the last hyphen of what follows the epoch.
  if (hyphen >= start) {
    if (hyphen === n - 1) refuse(v, 'revision number is empty (dpkg refuses it)');
    pVerEnd = hyphen;
    pRevStart = hyphen + 1;
  } else {
    pVerEnd = n;
    pRevStart = n;
  }
  if (pVerEnd === start) refuse(v, 'version number is empty (dpkg refuses it)');
  pVerStart = start;
}

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/**
 * dpkg's `verrevcmp` on `a[ai, ae)` and `b[bi, be)`: alternating non-digit runs,
 * compared character by character through ORDER, and digit runs, compared by value
 * without converting them, so any length keeps its precision.
 */
function verrevcmp(a: string, ai: number, ae: number, b: string, bi: number, be: number): number {
  while (ai < ae || bi < be) {
    // The non-digit run. ORDER is 0 exactly for digits, as for the end of a part, so
    // equal orders of 0 mean both runs are over.
    for (;;) {
      const ac = ai < ae ? ORDER[a.charCodeAt(ai)]! : 0;
      const bc = bi < be ? ORDER[b.charCodeAt(bi)]! : 0;
      if (ac !== bc) return ac - bc;
      if (ac === 0) break;
      ai++;
      bi++;
    }
    let firstDiff = 0;
    while (ai < ae && a.charCodeAt(ai) === ZERO) ai++;
    while (bi < be && b.charCodeAt(bi) === ZERO) bi++;
    while (ai < ae && bi < be) {
      const ac = a.charCodeAt(ai);
      const bc = b.charCodeAt(bi);
      if (!isDigit(ac) || !isDigit(bc)) break;
      if (firstDiff === 0) firstDiff = ac - bc;
      ai++;
      bi++;
    }
    if (ai < ae && isDigit(a.charCodeAt(ai))) return 1;
    if (bi < be && isDigit(b.charCodeAt(bi))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

// The matcher compares one installed version against many advisory bounds, so the
// left side's parse is kept while the same string keeps coming: one version against
// the dpkg vectors went from 9 to 14 million comparisons a second, random pairs did
// not change, and a Map of parsed versions was slower than none (hashing, evicting).
let memo: string | undefined;
let mEpoch = 0;
let mVerStart = 0;
let mVerEnd = 0;
let mRevStart = 0;

function compare(a: string, b: string): Ordering {
  if (a !== memo) {
    parse(a);
    memo = a;
    mEpoch = pEpoch;
    mVerStart = pVerStart;
    mVerEnd = pVerEnd;
    mRevStart = pRevStart;
  }
  parse(b);
  if (a === b) return 0;
  if (mEpoch !== pEpoch) return mEpoch > pEpoch ? 1 : -1;
  let r = verrevcmp(a, mVerStart, mVerEnd, b, pVerStart, pVerEnd);
  if (r === 0) r = verrevcmp(a, mRevStart, a.length, b, pRevStart, b.length);
  return r > 0 ? 1 : r < 0 ? -1 : 0;
}

const isAlnum = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** dpkg's parseversion warnings, which dpkg prints and then answers anyway. */
function unusual(v: string): string | undefined {
  parse(v);
  if (!isDigit(v.charCodeAt(pVerStart))) return 'version number does not start with digit (dpkg warns, and compares it)';
  for (let i = pVerStart; i < pVerEnd; i++) {
    const c = v.charCodeAt(i);
    if (!isAlnum(c) && c !== 0x2e && c !== HYPHEN && c !== PLUS && c !== 0x7e && c !== COLON) {
      return `invalid character '${v[i]}' at offset ${i} in version number (dpkg warns, and compares it)`;
    }
  }
  for (let i = pRevStart; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!isAlnum(c) && c !== 0x2e && c !== PLUS && c !== 0x7e) {
      return `invalid character '${v[i]}' at offset ${i} in revision number (dpkg warns, and compares it)`;
    }
  }
  return undefined;
}

export const dpkgScheme: VersionScheme = {
  name: 'dpkg',
  validate: parse,
  unusual,
  compare,
};

declare module './scheme.js' {
  interface VersionFormats {
    dpkg: true;
  }
}
