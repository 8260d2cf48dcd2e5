import { VersionError, type Ordering, type VersionScheme } from './scheme.js';

/**
 * Alpine package versions, `digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}`,
 * read token by token as apk-tools 3 does (src/version.c `token_next`) and ordered
 * as its `apk_version_compare` orders them.
 *
 * apk orders every string, including those its own `apk_version_validate` rejects,
 * and so does Vigil; `unusual` says what apk-tools 3 rejects. Two kinds of such
 * versions are read as apk-tools 2 read them, because Alpine shipped them and its
 * secdb names them: a number right after the letter (openssh's `6.6.1p1-r0`, compared
 * as the number it is) and a dot or a `-r` without a number (`1..2`, `1-r`: an
 * empty number, 0; in `0.8.21.r2` the dot only separates the letter). Past any other character apk cannot read (`1.2.0A`,
 * `1.0_foo`, `1-ruff`), the rest is not compared, as in apk-tools 3: two versions
 * that agree up to there are equal, and one that stops there is older than one that
 * goes on or ends.
 *
 * As hostile text Vigil refuses the empty string, strings over 256 characters, and
 * any character outside printable ASCII or that a shell or a quoted context acts on
 * (`` " $ & ' ( ) ; < > \ ` | ``).
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
  /** The first thing apk-tools 3 rejects, as a sentence, or '' when it accepts all so far. */
  note = '';

  first(s: string): void {
    this.s = s;
    this.pos = 0;
    this.token = INITIAL_DIGIT;
    this.note = '';
    this.digits('a version must start with a digit');
  }

  /** A digit run; an empty one is the number 0, as apk-tools 2 read it, and unusual. */
  private digits(why: string): void {
    const s = this.s;
    let i = this.pos;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    this.start = this.pos;
    this.end = i;
    if (i === this.pos) this.unusual(why);
    this.pos = i;
  }

  private unusual(why: string): void {
    if (this.note === '') this.note = `apk-tools 3 rejects it ${at(this.s, this.pos)}: ${why}`;
  }

  private invalid(why: string): void {
    this.unusual(why);
    this.token = INVALID;
  }

  next(): void {
    const s = this.s;
    if (this.pos >= s.length) {
      this.token = END;
      return;
    }
    let c = s.charCodeAt(this.pos);
    const t = this.token;
    if (c === 0x2e && t <= DIGIT && isLower(s.charCodeAt(this.pos + 1))) {
      // `0.8.21.r2`: the dot only separates the letter from the numbers.
      this.unusual("'.' must be followed by a number");
      c = s.charCodeAt(++this.pos);
    }
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
      else if (t === LETTER) {
        // apk-tools 2 read a number after the letter as one more part of the version.
        this.unusual('a number may not follow a letter');
        this.token = DIGIT;
      } else return this.invalid('a number may not follow a suffix number');
      this.digits("'.' must be followed by a number");
    } else if (c === 0x5f) {
      if (t > SUFFIX_NO) return this.invalid('a suffix may not follow a commit hash or a revision');
      let i = this.pos + 1;
      while (i < s.length && isLower(s.charCodeAt(i))) i++;
      const suffix = suffixValue(s, this.pos + 1, i);
      if (suffix === 0) {
        return this.invalid(`'_${s.slice(this.pos + 1, i)}' is not an apk suffix (alpha, beta, pre, rc, cvs, svn, git, hg, p)`);
      }
      this.suffix = suffix;
      this.start = this.pos + 1;
      this.end = this.pos = i;
      this.token = SUFFIX;
    } else if (c === 0x7e) {
      if (t >= COMMIT_HASH) return this.invalid("'~' may not follow a commit hash or a revision");
      let i = this.pos + 1;
      while (i < s.length && isHex(s.charCodeAt(i))) i++;
      if (i === this.pos + 1) return this.invalid("'~' must be followed by a lowercase hex commit hash");
      this.start = this.pos + 1;
      this.end = this.pos = i;
      this.token = COMMIT_HASH;
    } else if (c === 0x2d) {
      if (t >= REVISION_NO) return this.invalid('a version has one revision');
      // `-r` then a word (`1-ruff`) is no revision at all; `-r` alone is revision 0, as in apk-tools 2.
      if (s.charCodeAt(this.pos + 1) !== 0x72 || isLower(s.charCodeAt(this.pos + 2))) return this.invalid("'-' must start a revision '-r<number>'");
      this.pos += 2;
      this.token = REVISION_NO;
      this.digits("'-r' must be followed by a number");
    } else {
      this.invalid('apk versions have no such character');
    }
  }

  /** Reads the rest, for `unusual`. */
  finish(): string {
    while (this.token < END) this.next();
    return this.note;
  }
}

function at(s: string, pos: number): string {
  return pos < s.length ? `at offset ${pos} (${describe(s.charCodeAt(pos))})` : 'at the end';
}

function describe(c: number): string {
  return c > 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

const A = new Tokens();
const B = new Tokens();

/** Printable ASCII but the shell and quoting characters. */
const HOSTILE = /[^\x21-\x7e]|["$&'();<>\\`|]/;

function checkText(v: string): void {
  if (v.length === 0) throw new VersionError('apk', v, 'empty');
  if (v.length > MAX_LENGTH) throw new VersionError('apk', v, `longer than ${MAX_LENGTH} characters`);
  const bad = HOSTILE.exec(v);
  if (bad) {
    const c = v.charCodeAt(bad.index);
    const what = c > 0x20 && c < 0x7f ? 'a shell metacharacter' : 'a space, control or non-ASCII character';
    throw new VersionError('apk', v, `contains ${describe(c)} at offset ${bad.index}, ${what} no Alpine version carries`);
  }
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
      if ((A.end > A.start && A.s.charCodeAt(A.start) === ZERO) || (B.end > B.start && B.s.charCodeAt(B.start) === ZERO)) {
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
  checkText(v);
}

function unusual(v: string): string | undefined {
  checkText(v);
  A.first(v);
  return A.finish() || undefined;
}

// The matcher compares one installed version against many advisory bounds: a left
// side already checked is not checked again.
let checkedLeft: string | undefined;

function compare(a: string, b: string): Ordering {
  if (a !== checkedLeft) {
    checkText(a);
    checkedLeft = a;
  }
  checkText(b);
  A.first(a);
  B.first(b);
  let r = 0;
  while (A.token === B.token && A.token < END) {
    r = tokenCmp();
    if (r !== 0) return r as Ordering;
    A.next();
    B.next();
  }
  const at = A.token;
  const bt = B.token;
  // Both ended, or both stopped at something apk cannot read.
  if (at === bt) return 0;
  // Where one version goes on and the other has ended or moved to a later kind of
  // token, a pre-release suffix makes it older, anything else newer; one that stops
  // at what apk cannot read (INVALID, the last kind) is older.
  if (at === SUFFIX && A.suffix < SUFFIX_NONE) return -1;
  if (bt === SUFFIX && B.suffix < SUFFIX_NONE) return 1;
  return at > bt ? -1 : 1;
}

export const apkScheme: VersionScheme = {
  name: 'apk',
  validate,
  unusual,
  compare,
};

declare module './scheme.js' {
  interface VersionFormats {
    apk: true;
  }
}
