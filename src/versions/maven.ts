/**
 * Maven versions ordered exactly as Maven 3.8.7's `ComparableVersion` orders them: the
 * order Maven resolves ranges by, and the one advisories for Maven packages assume.
 * Later Maven releases changed some results (MNG-7644, MNG-7714); Vigil keeps 3.8.7's.
 *
 * Maven itself accepts any string. Vigil refuses, with VersionError, the strings that
 * cannot have come from Maven metadata and would only be ordered by accident:
 * - the empty string (Maven would read it as "0");
 * - strings longer than MAX_MAVEN_LENGTH UTF-16 units (no published version comes close);
 * - control characters anywhere (C0, DEL, C1);
 * - leading or trailing whitespace (Maven trims the text of <version> when it reads a POM).
 * Everything else, shell metacharacters and non-ASCII included, is compared as Maven
 * would: such a string is only ever data here, never passed to a shell.
 */
import { cachedParser } from './parse-cache.js';
import { VersionError, type Ordering, type VersionScheme } from './scheme.js';

export const MAX_MAVEN_LENGTH = 256;

// Maven's item kinds. Numbers of different kinds are never compared by value: Maven
// orders int < long < BigInteger by kind, which only matters for zero-padded numbers.
const INT = 0;
const LONG = 1;
const BIG = 2;
const STR = 3;
const LIST = 4;

interface NumItem {
  readonly t: typeof INT | typeof LONG | typeof BIG;
  readonly v: number | bigint;
}
interface StrItem {
  readonly t: typeof STR;
  /** Index among the known qualifiers, 7 for any other string. */
  readonly rank: number;
  /** The string itself for unknown qualifiers (ordered lexically), '' for known ones. */
  readonly q: string;
}
interface ListItem {
  readonly t: typeof LIST;
  readonly items: Item[];
}
type Item = NumItem | StrItem | ListItem;

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_RANK = QUALIFIERS.indexOf('');
const UNKNOWN_RANK = QUALIFIERS.length;
// A Map, not an object literal: a qualifier such as "constructor" must not find a prototype member.
const ALIASES = new Map([
  ['ga', ''],
  ['final', ''],
  ['release', ''],
  ['cr', 'rc'],
]);
const ZERO: NumItem = { t: INT, v: 0 };

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const EDGE_SPACE = /^\s|\s$/;
const UNICODE_DIGIT = /\p{Nd}/u;

/**
 * Java's Character.isDigit on one UTF-16 unit, and Character.digit's value: Maven splits
 * and parses numbers by it, so Arabic-Indic or fullwidth digits are numbers too. Every
 * run of decimal digits in the BMP is exactly ten long, starting at its zero.
 */
function digitValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c < 0x80 || !UNICODE_DIGIT.test(s[i]!)) return -1;
  let zero = c;
  while (c - zero < 9 && UNICODE_DIGIT.test(String.fromCharCode(zero - 1))) zero--;
  return c - zero;
}

function numberItem(s: string, start: number, end: number): NumItem {
  let j = start;
  while (j < end && s.charCodeAt(j) === 0x30) j++;
  // An all-zero run keeps its length: "0000000000" is a long zero for Maven.
  if (j === end) j = start;
  const len = end - j;
  if (len <= 15) {
    let n = 0;
    for (let k = j; k < end; k++) n = n * 10 + digitValue(s, k);
    return { t: len <= 9 ? INT : LONG, v: n };
  }
  let digits = '';
  for (let k = j; k < end; k++) digits += digitValue(s, k);
  return { t: len <= 18 ? LONG : BIG, v: BigInt(digits) };
}

function stringItem(value: string, followedByDigit: boolean): StrItem {
  if (followedByDigit && value.length === 1) {
    // a1 = alpha-1, b1 = beta-1, m1 = milestone-1
    if (value === 'a') value = 'alpha';
    else if (value === 'b') value = 'beta';
    else if (value === 'm') value = 'milestone';
  }
  value = ALIASES.get(value) ?? value;
  const rank = QUALIFIERS.indexOf(value);
  return rank < 0 ? { t: STR, rank: UNKNOWN_RANK, q: value } : { t: STR, rank, q: '' };
}

function isNull(item: Item): boolean {
  if (item.t === LIST) return item.items.length === 0;
  if (item.t === STR) return item.rank === RELEASE_RANK;
  return item.v == 0;
}

/** Maven drops trailing "null" items (0, "", ga, final, empty lists), looking past non-null lists. */
function normalize(list: ListItem): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.t !== LIST) break;
  }
}

function parse(v: string): ListItem {
  if (v === '') throw new VersionError('maven', v, 'empty');
  if (v.length > MAX_MAVEN_LENGTH) throw new VersionError('maven', v, `longer than ${MAX_MAVEN_LENGTH} characters`);
  if (CONTROL.test(v)) throw new VersionError('maven', v, 'contains a control character');
  if (EDGE_SPACE.test(v)) throw new VersionError('maven', v, 'has leading or trailing whitespace');

  const s = v.toLowerCase();
  const root: ListItem = { t: LIST, items: [] };
  const stack: ListItem[] = [root];
  let list = root;
  const nest = (): void => {
    const sub: ListItem = { t: LIST, items: [] };
    list.items.push(sub);
    stack.push(sub);
    list = sub;
  };
  const item = (isDigit: boolean, start: number, end: number): Item =>
    isDigit ? numberItem(s, start, end) : stringItem(s.slice(start, end), false);

  let isDigit = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e || c === 0x2d) {
      // '.' and '-' both end an item; '-' also opens a sub-list, which sorts below a '.'.
      list.items.push(i === start ? ZERO : item(isDigit, start, i));
      start = i + 1;
      if (c === 0x2d) nest();
    } else if (digitValue(s, i) >= 0) {
      if (!isDigit && i > start) {
        // A qualifier followed by a number, "rc1": Maven 3.8.7 opens a sub-list for the
        // qualifier unless the current one is empty, so "1.rc1" equals "1-rc1".
        if (list.items.length > 0) nest();
        list.items.push(stringItem(s.slice(start, i), true));
        start = i;
        nest();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(numberItem(s, start, i));
        start = i;
        nest();
      }
      isDigit = false;
    }
  }
  if (s.length > start) {
    if (!isDigit && list.items.length > 0) nest();
    list.items.push(item(isDigit, start, s.length));
  }
  for (let k = stack.length - 1; k >= 0; k--) normalize(stack[k]!);
  return root;
}

/** Maven's Item.compareTo(b), `b` undefined standing for Maven's null (a missing item). */
function compareItem(a: Item, b: Item | undefined): number {
  if (b === undefined) {
    if (a.t === STR) return a.rank - RELEASE_RANK;
    if (a.t !== LIST) return a.v == 0 ? 0 : 1;
    for (const x of a.items) {
      const c = compareItem(x, undefined);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (a.t === LIST) {
    if (b.t === STR) return 1;
    if (b.t !== LIST) return -1;
    const n = Math.max(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      const l = a.items[i];
      const c = l === undefined ? -compareItem(b.items[i]!, undefined) : compareItem(l, b.items[i]);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (a.t === STR) {
    if (b.t !== STR) return -1;
    if (a.rank !== b.rank) return a.rank - b.rank;
    return a.q < b.q ? -1 : a.q > b.q ? 1 : 0;
  }
  if (b.t === STR || b.t === LIST) return 1;
  if (a.t !== b.t) return a.t - b.t;
  return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
}

const parsed = cachedParser(parse);

export const mavenScheme: VersionScheme = {
  name: 'maven',
  validate(v: string): void {
    parsed(v);
  },
  unusual(v: string): undefined {
    parsed(v);
    return undefined;
  },
  compare(a: string, b: string): Ordering {
    const c = compareItem(parsed(a), parsed(b));
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  },
};

declare module './scheme.js' {
  interface VersionFormats {
    maven: true;
  }
}
