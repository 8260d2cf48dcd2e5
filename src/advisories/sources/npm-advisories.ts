import semver from 'semver';
import { describeError } from '../../common/errors.js';
import { NPM_AUDIT_RANGE_OPTIONS } from '../../versions/semver.js';
import { severityFromScore } from '../cvss.js';
import type { AffectedPackage, Advisory, VersionRange } from '../model.js';
import type { AdvisorySource, FeedProblem, FeedResult } from '../source.js';
import { cvssScores, displayText, FEED_LIMITS, firstChar, JsonShapeError, peekText, quote, readFeedBytes, scanJson, severityWord, unreadable } from './shared.js';

/**
 * The Node.js Security WG advisories (github.com/nodejs/security-wg, `vuln/`): npm
 * packages (`vuln/npm/*.json`, ids NSWG-ECO-<n>) and the Node.js runtime
 * (`vuln/core/index.json`, ids NSWG-COR-<n>). Both state affected versions as npm
 * range expressions, kept as `semverRange` and also turned into OSV-style events.
 */

const NAME = 'npm-advisories';
const RANGE_OPTS = { ...NPM_AUDIT_RANGE_OPTIONS };
/** Fix versions are releases someone installs, so they are read without pre-release widening. */
const RELEASE_OPTS = { loose: true };
const CVE = /^CVE-\d{4}-\d{4,}$/;
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[A-Za-z0-9][A-Za-z0-9._~-]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

// ---- npm ranges as intervals: what `semver` cannot do (subtract one range from another) ----

interface Bound {
  v: semver.SemVer;
  incl: boolean;
}
/** A set of versions between two bounds; an absent bound is unbounded. */
export interface Interval {
  lo?: Bound;
  hi?: Bound;
}

function tighterLo(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const c = a.v.compare(b.v);
  return c > 0 || (c === 0 && !a.incl) ? a : b;
}

function tighterHi(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const c = a.v.compare(b.v);
  return c < 0 || (c === 0 && !a.incl) ? a : b;
}

function isEmpty(i: Interval): boolean {
  if (!i.lo || !i.hi) return false;
  const c = i.lo.v.compare(i.hi.v);
  return c > 0 || (c === 0 && !(i.lo.incl && i.hi.incl));
}

/** The comparator sets of an npm range as intervals; throws for a range npm cannot read. */
export function intervalsOf(range: string, opts: semver.RangeOptions = RANGE_OPTS): Interval[] {
  const out: Interval[] = [];
  for (const set of new semver.Range(range, opts).set) {
    let lo: Bound | undefined;
    let hi: Bound | undefined;
    for (const c of set) {
      if (c.value === '') continue; // `*`: no bound
      const v = c.semver;
      if (c.operator === '>=' || c.operator === '>' || c.operator === '') lo = tighterLo(lo, { v, incl: c.operator !== '>' });
      if (c.operator === '<=' || c.operator === '<' || c.operator === '') hi = tighterHi(hi, { v, incl: c.operator !== '<' });
    }
    // Read without pre-releases, nothing is below 0.0.0: `<0.0.0` is npm's way to say "no fix".
    if (!lo && !opts.includePrerelease) lo = { v: new semver.SemVer('0.0.0'), incl: true };
    const i: Interval = {};
    if (lo) i.lo = lo;
    if (hi) i.hi = hi;
    if (!isEmpty(i)) out.push(i);
  }
  return out;
}

function intersect(a: Interval, b: Interval): Interval | undefined {
  const i: Interval = {};
  const lo = b.lo ? tighterLo(a.lo, b.lo) : a.lo;
  const hi = b.hi ? tighterHi(a.hi, b.hi) : a.hi;
  if (lo) i.lo = lo;
  if (hi) i.hi = hi;
  return isEmpty(i) ? undefined : i;
}

/** The versions in `a` and in none of `b`. */
export function subtract(a: Interval[], b: Interval[]): Interval[] {
  let pieces = a;
  for (const p of b) {
    const outside: Interval[] = [];
    if (p.lo) outside.push({ hi: { v: p.lo.v, incl: !p.lo.incl } });
    if (p.hi) outside.push({ lo: { v: p.hi.v, incl: !p.hi.incl } });
    pieces = pieces.flatMap((x) => outside.flatMap((o) => intersect(x, o) ?? []));
  }
  return pieces.sort((x, y) => (x.lo ? (y.lo ? x.lo.v.compare(y.lo.v) : 1) : y.lo ? -1 : 0));
}

export function overlaps(a: Interval[], b: Interval[]): boolean {
  return a.some((x) => b.some((y) => intersect(x, y) !== undefined));
}

/** Intervals back as an npm range that `semver.satisfies` reads with npm audit's options. */
export function rangeString(intervals: Interval[]): string {
  return intervals
    .map(({ lo, hi }) => {
      if (lo && hi && lo.incl && hi.incl && lo.v.compare(hi.v) === 0) return lo.v.version;
      const parts = [lo ? `${lo.incl ? '>=' : '>'}${lo.v.version}` : '', hi ? `${hi.incl ? '<=' : '<'}${hi.v.version}` : ''].filter(Boolean);
      return parts.length ? parts.join(' ') : '*';
    })
    .join(' || ');
}

/** The first version above `v`: nothing sorts between 1.2.3 and 1.2.4-0, or between 1.0.0-a and 1.0.0-a.0. */
function successor(v: semver.SemVer): string {
  return v.prerelease.length ? `${v.version}.0` : `${v.major}.${v.minor}.${v.patch + 1}-0`;
}

/** The same intervals as OSV events, for matching without npm range semantics. */
export function toVersionRanges(intervals: Interval[]): VersionRange[] {
  return intervals.map(({ lo, hi }) => {
    const r: VersionRange = { introduced: !lo ? '0' : lo.incl ? lo.v.version : successor(lo.v) };
    if (hi) {
      if (hi.incl) r.lastAffected = hi.v.version;
      else r.fixed = hi.v.version;
    }
    return r;
  });
}

/** The lowest release in `patched` that `affected` does not cover: the version to upgrade to. */
function lowestFix(patched: string | undefined, affected: Interval[]): string | undefined {
  if (patched === undefined) return undefined;
  const first = subtract(intervalsOf(patched, RELEASE_OPTS), affected)[0];
  if (!first) return undefined;
  if (!first.lo) return '0.0.0';
  if (first.lo.incl) return first.lo.v.version;
  const v = first.lo.v;
  return v.prerelease.length ? `${v.version}.0` : `${v.major}.${v.minor}.${v.patch + 1}`;
}

// ---- records ----

interface Ctx {
  file: string;
  problems: FeedProblem[];
  advisories: Advisory[];
  /** Record text by advisory id: `vuln/npm/index.json` repeats every record, which is no news. */
  seen: Map<string, string>;
}

type Rec = Record<string, unknown>;

function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function say(ctx: Ctx, where: string, message: string): void {
  ctx.problems.push({ file: ctx.file, message: `${where}: ${message}` });
}

/** An npm range field; a missing or unreadable one is reported, and skips the record when `required`. */
function rangeField(ctx: Ctx, where: string, rec: Rec, field: string, required: boolean): string | undefined {
  const v = rec[field];
  const skip = required ? '; skipped' : '';
  if (v === null || v === undefined) {
    if (required) say(ctx, where, `no ${field} range${skip}`);
    return undefined;
  }
  if (typeof v !== 'string' || v.length > 4096 || semver.validRange(v.trim(), RANGE_OPTS) === null) {
    say(ctx, where, `${field} ${quote(v)} is not an npm version range${skip}`);
    return undefined;
  }
  return v.trim();
}

function common(ctx: Ctx, where: string, rec: Rec, cveField: string): Pick<Advisory, 'aliases' | 'published' | 'modified' | 'references'> {
  const out: Pick<Advisory, 'aliases' | 'published' | 'modified' | 'references'> = { aliases: [] };
  const cves = rec[cveField];
  if (Array.isArray(cves)) {
    for (const c of cves.slice(0, 1000)) {
      if (typeof c !== 'string' || !CVE.test(c)) say(ctx, where, `${quote(c)} is not a CVE id; left out`);
      else if (!out.aliases.includes(c)) out.aliases.push(c);
    }
  } else if (cves !== undefined && cves !== null) say(ctx, where, `${cveField} is not a list`);
  for (const [field, key] of [['publish_date', 'published'], ['updated_at', 'modified']] as const) {
    const d = rec[field];
    if (typeof d === 'string' && DATE.test(d)) out[key] = d;
    else if (d !== undefined && d !== null) say(ctx, where, `${field} ${quote(d)} is not a date`);
  }
  const refs = ([] as unknown[]).concat(rec.references ?? [], rec.ref ?? []);
  const urls = refs.filter((r): r is string => typeof r === 'string' && /^https?:\/\/\S+$/.test(r) && r.length <= 2048).slice(0, 100);
  if (urls.length) out.references = urls;
  return out;
}

function npmRecord(ctx: Ctx, rec: Rec): Advisory | undefined {
  const n = rec.id;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
    say(ctx, `record with id ${quote(n)}`, 'no positive integer id; skipped');
    return undefined;
  }
  const id = `NSWG-ECO-${n}`;
  const name = rec.module_name;
  if (typeof name !== 'string' || name.length > 214 || !NPM_NAME.test(name)) {
    say(ctx, id, `invalid npm package name ${quote(name)}; skipped`);
    return undefined;
  }
  const vulnerable = rangeField(ctx, id, rec, 'vulnerable_versions', true);
  if (vulnerable === undefined) return undefined;
  const patched = rangeField(ctx, id, rec, 'patched_versions', false);
  const affectedSet = intervalsOf(vulnerable);
  if (patched !== undefined && overlaps(intervalsOf(patched, RELEASE_OPTS), affectedSet)) {
    // npm audit flags what vulnerable_versions covers; a fix inside it would be advice to stay vulnerable.
    say(ctx, id, `patched_versions ${quote(patched)} overlaps vulnerable_versions ${quote(vulnerable)}; the fixed version is taken outside the vulnerable range`);
  }
  const fixedVersion = lowestFix(patched, affectedSet);
  const affected: AffectedPackage = {
    namespace: 'npm',
    package: name,
    scheme: 'semver',
    status: fixedVersion ? 'fixed' : 'affected',
    ranges: toVersionRanges(affectedSet),
    semverRange: vulnerable,
  };
  if (fixedVersion) affected.fixedVersion = fixedVersion;
  const adv: Advisory = { id, source: NAME, ...common(ctx, id, rec, 'cves'), affected: [affected] };
  const summary = displayText(rec.title);
  if (summary) adv.summary = summary;
  if (typeof rec.cvss_vector === 'string') {
    const cvss = cvssScores([rec.cvss_vector], (m) => say(ctx, id, m));
    if (cvss) {
      // The Node.js security WG publishes the vector with its advisory.
      adv.cvss = cvss.map((c) => ({ ...c, source: 'Node.js security WG' }));
      adv.severity = severityFromScore(cvss[0]!.baseScore, cvss[0]!.version);
      const published = rec.cvss_score;
      if (typeof published === 'number' && published !== cvss[0]!.baseScore) {
        say(ctx, id, `cvss_score ${published} disagrees with its vector's base score ${cvss[0]!.baseScore}; the vector's score is kept`);
      }
    }
  }
  return adv;
}

function coreRecord(ctx: Ctx, key: string, rec: Rec): Advisory | undefined {
  if (!/^[1-9]\d{0,8}$/.test(key)) {
    say(ctx, `record ${quote(key)}`, 'key is not a positive number; skipped');
    return undefined;
  }
  const id = `NSWG-COR-${key}`;
  const vulnerable = rangeField(ctx, id, rec, 'vulnerable', true);
  if (vulnerable === undefined) return undefined;
  const patched = rangeField(ctx, id, rec, 'patched', false);
  // `vulnerable` names whole release lines (`8.x`); the versions of them that `patched` covers are fixed.
  const affectedSet = patched === undefined ? intervalsOf(vulnerable) : subtract(intervalsOf(vulnerable), intervalsOf(patched));
  if (affectedSet.length === 0) {
    say(ctx, id, `patched ${quote(patched)} covers all of vulnerable ${quote(vulnerable)}; skipped`);
    return undefined;
  }
  const fixedVersion = lowestFix(patched, affectedSet);
  const affected: AffectedPackage = {
    namespace: 'nodejs',
    package: 'node',
    scheme: 'semver',
    status: fixedVersion ? 'fixed' : 'affected',
    ranges: toVersionRanges(affectedSet),
    semverRange: rangeString(affectedSet),
  };
  if (fixedVersion) affected.fixedVersion = fixedVersion;
  if (patched !== undefined) affected.note = `patched in ${patched}`;
  const adv: Advisory = { id, source: NAME, ...common(ctx, id, rec, 'cve'), affected: [affected] };
  const summary = displayText(rec.description) ?? displayText(rec.overview);
  if (summary) adv.summary = summary;
  let vector = typeof rec.cvss === 'string' ? rec.cvss : undefined;
  if (vector && /^3\.[01]\/AV:/.test(vector)) {
    say(ctx, id, `cvss ${quote(vector)} lacks its "CVSS:" prefix; read as CVSS:${vector}`);
    vector = `CVSS:${vector}`;
  }
  const cvss = vector ? cvssScores([vector], (m) => say(ctx, id, m)) : undefined;
  if (cvss) adv.cvss = cvss.map((c) => ({ ...c, source: 'Node.js' }));
  // The Node.js project's own word for its release lines.
  const word = severityWord(rec.severity);
  if (word && word !== 'unknown') adv.ratings = [{ vendor: 'Node.js', severity: word, raw: String(rec.severity).slice(0, 64), record: id }];
  const severity = cvss ? severityFromScore(cvss[0]!.baseScore, cvss[0]!.version) : word;
  if (severity) adv.severity = severity;
  else if (rec.severity !== undefined) say(ctx, id, `unknown severity ${quote(rec.severity)}`);
  return adv;
}

/** False for a record read before; a different record under the same id is reported. */
function firstTime(ctx: Ctx, id: string, rec: Rec): boolean {
  const text = JSON.stringify(rec);
  const prev = ctx.seen.get(id);
  if (prev === undefined) {
    ctx.seen.set(id, text);
    return true;
  }
  if (prev !== text) say(ctx, id, 'appears twice with different content; the first is kept');
  return false;
}

/** An npm record, a Node.js record, or `vuln/npm/index.json`'s id → record object. */
function member(ctx: Ctx, key: string | undefined, value: unknown, where: string): void {
  if (!isRecord(value)) return say(ctx, where, 'not a JSON object; skipped');
  let adv: Advisory | undefined;
  if ('module_name' in value) {
    if (!firstTime(ctx, `NSWG-ECO-${String(value.id)}`, value)) return;
    adv = npmRecord(ctx, value);
  } else if ('vulnerable' in value) {
    if (key === undefined) return say(ctx, where, 'Node.js record without an id key; skipped');
    if (!firstTime(ctx, `NSWG-COR-${key}`, value)) return;
    adv = coreRecord(ctx, key, value);
  } else {
    const inner = Object.entries(value);
    if (inner.length === 0 || !inner.every(([, v]) => isRecord(v))) return say(ctx, where, 'neither an npm nor a Node.js advisory; skipped');
    for (const [k, v] of inner) member(ctx, k, v, `${where}[${quote(k)}]`);
    return;
  }
  if (adv) ctx.advisories.push(adv);
}

async function read(file: string): Promise<FeedResult> {
  const text = (await readFeedBytes(file)).toString('utf8');
  const ctx: Ctx = { file, problems: [], advisories: [], seen: new Map() };
  try {
    scanJson(text, (m) => {
      const where = m.key === undefined ? `record #${m.index + 1}` : `record ${quote(m.key)}`;
      if (m.text.length > FEED_LIMITS.maxRecordChars) return say(ctx, where, `more than ${FEED_LIMITS.maxRecordChars} characters; skipped`);
      let value: unknown;
      try {
        value = JSON.parse(m.text);
      } catch (err) {
        return say(ctx, where, `invalid JSON (${describeError(err)}); skipped`);
      }
      member(ctx, m.key, value, where);
    });
  } catch (err) {
    if (!(err instanceof JsonShapeError)) throw err;
    const first = firstChar(text);
    throw unreadable(file, first === '[' || first === '{' ? err.message : `not a JSON array or object of advisories: ${err.message}`);
  }
  return { advisories: ctx.advisories, problems: ctx.problems };
}

function detect(_file: string, head: Buffer): boolean {
  const text = peekText(head);
  if (!/^\s*[[{]/.test(text)) return false;
  const npm = /"module_name"\s*:/.test(text) && /"vulnerable_versions"\s*:/.test(text);
  const core = /"vulnerable"\s*:/.test(text) && /"patched"\s*:/.test(text) && /"cve"\s*:\s*\[/.test(text);
  return npm || core;
}

export const npmAdvisoriesSource: AdvisorySource = { name: NAME, detect, read };
