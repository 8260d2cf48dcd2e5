import { VersionError, type Ordering, type VersionScheme } from './scheme.js';

/**
 * Alpine package versions, `digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}`,
 * read token by token as apk-tools 3 does (src/version.c `token_next`) and ordered
 * as its `apk_version_compare` orders them.
 *
 * apk answers for strings its own `apk_version_validate` rejects (`apk version -t`
 * does not validate), but those answers are accidents of where the tokenizer gave
 * up: every invalid token compares equal, so `6.6.1p1-r0` = `6.6.1p1-r1`. Vigil
 * refuses what `apk_version_validate` rejects, and also the empty string and
 * strings over 256 characters.
 *
 * Vigil follows apk-tools 3, which knows `~<hex>` commit hashes and rejects three
 * degenerate forms apk-tools 2 let through: an empty suffix (`1.0_`), an empty
 * revision (`1.0-r`) and a dot without a number (`1..2`). Older apk-tools 2
 * releases also took a number right after a letter (`6.6.1p1`); refused too.
 *
 * apk reads numbers into a uint64_t, which wraps at 2^64; Vigil compares digit runs
 * by value at any length.
 */

const MAX_LENGTH = 256;

// Token kinds in apk-tools' order, which is itself part of the comparison.
const INITIAL_DIGIT = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const COMMIT_HASH = 5;
const REVISION_NO = 6;
const END = 7;
const INVALID = 8;

/** Suffixes before NONE mark pre-releases, those after it post-releases. */
const SUFFIX_NONE = 5;
const SUFFIXES: readonly string[] = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];

const ZERO = 0x30;
const isDigit = (c: number): boolean => c >= ZERO && c <= 0x39;
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66);

function suffixValue(s: string, start: number, end: number): number {
  const len = end - start;
  for (let i = 0; i < SUFFIXES.length; i++) {
    const name = SUFFIXES[i]!;
    if (len > 0 && name.length === len && s.startsWith(name, start)) return i + 1;
  }
  return 0;
}

/** apk-tools' `token_state`: the current token and where its text lies. */
class Tokens {
  s = '';
  pos = 0;
  token = INITIAL_DIGIT;
  suffix = 0;
  start = 0;
  end = 0;
  /** Why the tokenizer stopped, when it did. */
  why = '';

  first(s: string): void {
    this.s = s;
    this.pos = 0;
    this.token = INITIAL_DIGIT;
    this.digits('a version must start with a digit');
  }

  private digits(why: string): void {
    const s = this.s;
    let i = this.pos;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    this.start = this.pos;
    this.end = i;
    this.pos = i;
    if (i === this.start) this.invalid(why);
  }

  private invalid(why: string): void {
    this.token = INVALID;
    this.why = why;
  }

  next(): void {
    const s = this.s;
    if (this.pos >= s.length) {
      this.token = END;
      return;
    }
    const c = s.charCodeAt(this.pos);
    const t = this.token;
    if (isLower(c)) {
      if (t > DIGIT) return this.invalid('a letter may only follow a number');
      this.start = this.pos;
      this.end = ++this.pos;
      this.token = LETTER;
    } else if (c === 0x2e || isDigit(c)) {
      if (c === 0x2e) {
        if (t > DIGIT) return this.invalid("'.' may only follow a number");
        this.pos++;
      }
      if (t === INITIAL_DIGIT || t === DIGIT) this.token = DIGIT;
      else if (t === SUFFIX) this.token = SUFFIX_NO;
      else return this.invalid('a number may not follow a letter');
      this.digits("'.' must be followed by a number");
    } else if (c === 0x5f) {
      if (t > SUFFIX_NO) return this.invalid('a suffix may not follow a commit hash or a revision');
      let i = ++this.pos;
      while (i < s.length && isLower(s.charCodeAt(i))) i++;
      this.suffix = suffixValue(s, this.pos, i);
      if (this.suffix === 0) {
        return this.invalid(`'_${s.slice(this.pos, i)}' is not an apk suffix (alpha, beta, pre, rc, cvs, svn, git, hg, p)`);
      }
      this.start = this.pos;
      this.end = this.pos = i;
      this.token = SUFFIX;
    } else if (c === 0x7e) {
      if (t >= COMMIT_HASH) return this.invalid("'~' may not follow a commit hash or a revision");
      let i = ++this.pos;
      while (i < s.length && isHex(s.charCodeAt(i))) i++;
      if (i === this.pos) return this.invalid("'~' must be followed by a lowercase hex commit hash");
      this.start = this.pos;
      this.end = this.pos = i;
      this.token = COMMIT_HASH;
    } else if (c === 0x2d) {
      if (t >= REVISION_NO) return this.invalid('a version has one revision');
      if (s.charCodeAt(this.pos + 1) !== 0x72) return this.invalid("'-' must start a revision '-r<number>'");
      this.pos += 2;
      this.token = REVISION_NO;
      this.digits("'-r' must be followed by a number");
    } else {
      this.invalid('apk versions have no such character');
    }
  }

  /** Reads the rest, refusing the version if apk_version_validate would. */
  finish(): void {
    while (this.token < END) this.next();
    if (this.token === INVALID) {
      const s = this.s;
      const at = this.pos < s.length ? `at offset ${this.pos} (${describe(s.charCodeAt(this.pos))})` : 'at the end';
      throw new VersionError('apk', s, `apk-tools rejects it ${at}: ${this.why}`);
    }
  }
}

function describe(c: number): string {
  return c > 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

const A = new Tokens();
const B = new Tokens();

function checkLength(v: string): void {
  if (v.length === 0) throw new VersionError('apk', v, 'empty');
  if (v.length > MAX_LENGTH) throw new VersionError('apk', v, `longer than ${MAX_LENGTH} characters`);
}

/** Digit runs by value: without leading zeros, the longer is larger, else the first differing digit decides. */
function byValue(a: string, ai: number, ae: number, b: string, bi: number, be: number): number {
  while (ai < ae && a.charCodeAt(ai) === ZERO) ai++;
  while (bi < be && b.charCodeAt(bi) === ZERO) bi++;
  if (ae - ai !== be - bi) return ae - ai > be - bi ? 1 : -1;
  return byText(a, ai, ae, b, bi, be);
}

/** apk's `apk_blob_sort`: bytes, then length. */
function byText(a: string, ai: number, ae: number, b: string, bi: number, be: number): number {
  for (; ai < ae && bi < be; ai++, bi++) {
    const d = a.charCodeAt(ai) - b.charCodeAt(bi);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return ai < ae ? 1 : bi < be ? -1 : 0;
}

/** apk's `token_cmp` on two tokens of the same kind. */
function tokenCmp(): number {
  switch (A.token) {
    case DIGIT:
      // A leading zero makes the part a decimal fraction: apk (like Gentoo) compares it as text.
      if (A.s.charCodeAt(A.start) === ZERO || B.s.charCodeAt(B.start) === ZERO) {
        return byText(A.s, A.start, A.end, B.s, B.start, B.end);
      }
      return byValue(A.s, A.start, A.end, B.s, B.start, B.end);
    case INITIAL_DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      return byValue(A.s, A.start, A.end, B.s, B.start, B.end);
    case LETTER: {
      const d = A.s.charCodeAt(A.start) - B.s.charCodeAt(B.start);
      return d < 0 ? -1 : d > 0 ? 1 : 0;
    }
    case SUFFIX:
      return A.suffix < B.suffix ? -1 : A.suffix > B.suffix ? 1 : 0;
    default:
      return byText(A.s, A.start, A.end, B.s, B.start, B.end);
  }
}

function validate(v: string): void {
  checkLength(v);
  A.first(v);
  A.finish();
}

let validLeft: string | undefined;

function compare(a: string, b: string): Ordering {
  checkLength(a);
  checkLength(b);
  A.first(a);
  B.first(b);
  let r = 0;
  while (A.token === B.token && A.token < END) {
    r = tokenCmp();
    if (r !== 0) break;
    A.next();
    B.next();
  }
  const at = A.token;
  const bt = B.token;
  const as = A.suffix;
  const bs = B.suffix;
  // Both sides are read to the end even when the answer is known, so an invalid tail
  // is refused. The matcher compares one installed version against many advisory
  // bounds, so a left side already read to the end is not read again (about 50%
  // faster there, no change on random pairs).
  if (a !== validLeft) {
    A.finish();
    validLeft = a;
  }
  B.finish();
  if (r !== 0) return r as Ordering;
  if (at === bt) return 0;
  // Where one version goes on and the other has ended or moved to a later kind of
  // token, a pre-release suffix makes it older, anything else newer.
  if (at === SUFFIX && as < SUFFIX_NONE) return -1;
  if (bt === SUFFIX && bs < SUFFIX_NONE) return 1;
  return at > bt ? -1 : 1;
}

export const apkScheme: VersionScheme = {
  name: 'apk',
  validate,
  compare,
};
