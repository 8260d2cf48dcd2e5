import { SCHEMES } from '../../versions/index.js';
import type { VersionFormat, VersionScheme } from '../../versions/scheme.js';
import type { AffectedPackage, Advisory, Severity, VendorRating, VersionRange } from '../model.js';
import { databaseOf } from '../publishers.js';
import { advisoryEcosystem } from '../../ecosystems/index.js';
import { cvssScores, debianUrgency, displayText, FEED_LIMITS, graver, hasControl, quote, severityWord } from './shared.js';

/**
 * OSV record → Vigil advisory, pure. Decisions (see also the source in osv.ts):
 * - namespace keeps the OSV ecosystem spelling, except Ubuntu's `:LTS` suffix, which is
 *   dropped (`Ubuntu:22.04:LTS` → `Ubuntu:22.04`): LTS is a property of the release,
 *   not a separate stream, and hosts know their release as `22.04`. `Ubuntu:Pro:18.04:LTS`
 *   → `Ubuntu:Pro:18.04`: Pro/ESM fixes only reach hosts attached to Ubuntu Pro, so
 *   they stay a namespace of their own (the Ubuntu tracker writes `trusty/esm` the same way).
 * - `aliases` are OSV `aliases` plus `upstream` (the CVEs a distro advisory bundles, like
 *   the CVE line of a DSA); `related` is not the same vulnerability and is left out,
 *   except the CVE ids that distro advisories published before `upstream` existed
 *   (ALSA, RLSA, RHSA…) put there for exactly that meaning.
 * - events are paired in file order (feeds write one introduced/closing pair after the
 *   other, not always sorted: PyPI lists its newest branch first). An event that breaks
 *   the pairing is reported and read the wider way, never the narrower: a wrong guess
 *   then reports too much rather than hiding a vulnerable version.
 */

/** Advisory ids of distro feeds that put their CVEs in `related`. */
const DISTRO_ADVISORY = /^(ALSA|ALBA|ALEA|RLSA|RLBA|RLEA|RXSA|RHSA|RHBA|RHEA)-/;
/** Red Hat style summaries: `Important: kernel security update`. */
const RH_SEVERITY = /^(Critical|Important|Moderate|Low):/;
const MAX_ID_CHARS = 200;
const MAX_ECOSYSTEM_CHARS = 200;
/** Problems listed per record; a hostile record could otherwise bury every other problem. */
const MAX_PROBLEMS = 20;

/** What the caller tallies once per file instead of once per record. */
export interface OsvTally {
  /** Ecosystem → affected entries skipped and the first record naming it. */
  unknownEcosystems: Map<string, { count: number; first: string }>;
  gitOnly: { count: number; first?: string };
  /** Records whose published or modified date is no RFC 3339 date (Go's zero time, which means unknown, is not counted). */
  badDates: { count: number; first?: string };
}

export function newTally(): OsvTally {
  return { unknownEcosystems: new Map(), gitOnly: { count: 0 }, badDates: { count: 0 } };
}

/** Go's zero time: what Go's vulnerability database (and records converted from it) writes for an unknown date. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * An OSV timestamp (RFC 3339) as given; `unset` for a field absent or holding Go's zero
 * time (unknown, not the year 1), `bad` for anything else that is no such date.
 */
export function osvTimestamp(v: unknown): string | 'unset' | 'bad' {
  if (v === undefined || v === null || v === GO_ZERO_TIME) return 'unset';
  const s = stringField(v);
  if (s === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) || Number.isNaN(Date.parse(s))) return 'bad';
  return s;
}

export function namespaceOf(ecosystem: string): { namespace: string; scheme?: VersionFormat } {
  const colon = ecosystem.indexOf(':');
  const base = colon < 0 ? ecosystem : ecosystem.slice(0, colon);
  const namespace = base === 'Ubuntu' && ecosystem.endsWith(':LTS') ? ecosystem.slice(0, -4) : ecosystem;
  // Schemes come from the ecosystem registry; an ecosystem it does not declare has none.
  return { namespace, scheme: advisoryEcosystem(base)?.scheme };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function cleanId(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_CHARS && !hasControl(v) && v.trim() === v ? v : undefined;
}

function cleanVersion(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= FEED_LIMITS.maxVersionChars && !hasControl(v) ? v : undefined;
}

function idList(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.slice(0, FEED_LIMITS.maxListItems).flatMap((x) => cleanId(x) ?? []);
}

function stringField(v: unknown): string | undefined {
  return typeof v === 'string' && v.length <= MAX_ID_CHARS && !hasControl(v) ? v : undefined;
}

/**
 * The lowest of several fixed versions, by the package's own scheme. A version the scheme
 * refuses is never preferred (it could not be offered as an upgrade target anyway); when
 * none parses, the first in file order is kept.
 */
export function lowestVersion(versions: string[], scheme: VersionFormat): string | undefined {
  const s = SCHEMES[scheme];
  let best: string | undefined;
  for (const v of versions) {
    if (best === undefined) best = v;
    else if (valid(s, v) && (!valid(s, best) || s.compare(v, best) < 0)) best = v;
  }
  return best;
}

function valid(s: VersionScheme, v: string): boolean {
  try {
    s.validate(v);
    return true;
  } catch {
    return false;
  }
}

type OsvEvent = { kind: 'introduced' | 'fixed' | 'last_affected' | 'limit'; version: string };

function readEvents(raw: unknown, say: (m: string) => void): OsvEvent[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return say('has no events'), undefined;
  if (raw.length > FEED_LIMITS.maxListItems) return say(`has ${raw.length} events, more than ${FEED_LIMITS.maxListItems}`), undefined;
  const out: OsvEvent[] = [];
  for (const e of raw) {
    const keys = isObj(e) ? Object.keys(e) : [];
    const kind = keys[0];
    if (keys.length !== 1 || (kind !== 'introduced' && kind !== 'fixed' && kind !== 'last_affected' && kind !== 'limit')) {
      return say(`has an event that is not one of introduced/fixed/last_affected/limit: ${quote(JSON.stringify(e))}`), undefined;
    }
    const version = cleanVersion((e as Record<string, unknown>)[kind]);
    if (version === undefined) return say(`has a bad ${kind} version ${quote((e as Record<string, unknown>)[kind])}`), undefined;
    out.push({ kind, version });
  }
  return out;
}

/** One OSV range's events → Vigil ranges: each introduced up to the closing event after it. */
export function pairEvents(events: OsvEvent[], say: (m: string) => void): VersionRange[] {
  const out: VersionRange[] = [];
  const limits: string[] = [];
  let open: string | undefined;
  for (const e of events) {
    if (e.kind === 'limit') {
      limits.push(e.version);
    } else if (e.kind === 'introduced') {
      if (open !== undefined) say(`events out of order: introduced ${quote(e.version)} while ${quote(open)} is open; kept the range open from the first`);
      else open = e.version;
    } else if (open === undefined) {
      say(`events out of order: ${e.kind} ${quote(e.version)} with no open range; ignored`);
    } else {
      out.push(e.kind === 'fixed' ? { introduced: open, fixed: e.version } : { introduced: open, lastAffected: e.version });
      open = undefined;
    }
  }
  if (open !== undefined) out.push({ introduced: open });
  if (out.length === 0) say('has no introduced event');
  // A version is in the range when it is below ANY limit; `*` is infinity and lifts them all.
  if (limits.length === 0 || limits.some((l) => l.includes('*'))) return out;
  return out.flatMap((r) => limits.map((limit) => ({ ...r, limit })));
}

function packageSeverity(af: Record<string, unknown>): Severity | undefined {
  const eco = isObj(af.ecosystem_specific) ? af.ecosystem_specific : {};
  const db = isObj(af.database_specific) ? af.database_specific : {};
  let sev = severityWord(eco.severity) ?? severityWord(db.severity) ?? debianUrgency(eco.urgency);
  if (Array.isArray(af.severity)) for (const s of af.severity) if (isObj(s) && s.type === 'Ubuntu') sev = graver(sev, severityWord(s.score));
  return sev;
}

function readAffected(af: unknown, id: string, tally: OsvTally, say: (m: string) => void): AffectedPackage | undefined {
  if (!isObj(af) || !isObj(af.package)) return say('has an affected entry without a package'), undefined;
  const { ecosystem, name } = af.package;
  if (typeof ecosystem !== 'string' || !ecosystem || ecosystem.length > MAX_ECOSYSTEM_CHARS || hasControl(ecosystem)) {
    return say(`has a bad ecosystem ${quote(ecosystem)}`), undefined;
  }
  if (typeof name !== 'string' || !name || name.length > FEED_LIMITS.maxNameChars || hasControl(name) || name.trim() !== name) {
    return say(`has a bad package name ${quote(name)} in ${quote(ecosystem)}`), undefined;
  }
  const { namespace, scheme } = namespaceOf(ecosystem);
  if (!scheme) {
    // Distinct names are bounded too, so a hostile feed cannot turn the summary into a flood.
    const key = tally.unknownEcosystems.size < 100 || tally.unknownEcosystems.has(ecosystem) ? ecosystem : '(other ecosystems)';
    const t = tally.unknownEcosystems.get(key) ?? { count: 0, first: id };
    t.count++;
    tally.unknownEcosystems.set(key, t);
    return undefined;
  }
  const pkgSay = (m: string) => say(`${namespace} ${quote(name)}: ${m}`);
  const ranges: VersionRange[] = [];
  let gitRanges = 0;
  let badRanges = 0;
  for (const r of Array.isArray(af.ranges) ? af.ranges : []) {
    const type = isObj(r) ? r.type : undefined;
    if (type === 'GIT') {
      gitRanges++;
      continue;
    }
    if (type !== 'ECOSYSTEM' && type !== 'SEMVER') {
      pkgSay(`range of unknown type ${quote(type)} ignored`);
      badRanges++;
      continue;
    }
    const events = readEvents((r as Record<string, unknown>).events, (m) => pkgSay(`${type} range ${m}; range ignored`));
    if (!events) {
      badRanges++;
      continue;
    }
    ranges.push(...pairEvents(events, (m) => pkgSay(`${type} range: ${m}`)));
  }
  let versions: string[] | undefined;
  if (Array.isArray(af.versions) && af.versions.length > 0) {
    const raw = af.versions.slice(0, FEED_LIMITS.maxListItems);
    versions = raw.flatMap((v) => cleanVersion(v) ?? []);
    if (versions.length !== af.versions.length) pkgSay(`${af.versions.length - versions.length} bad or excess version(s) dropped from versions`);
  }
  if (ranges.length === 0 && !versions?.length) {
    // An empty Vigil entry means "every version"; OSV's means "none known": never confuse them.
    if (gitRanges > 0 && badRanges === 0) {
      tally.gitOnly.count++;
      tally.gitOnly.first ??= id;
    } else if (badRanges === 0) {
      pkgSay('lists no ranges or versions; skipped');
    } else {
      pkgSay('no usable range or versions left; skipped');
    }
    return undefined;
  }
  const fixes = ranges.flatMap((r) => (r.fixed !== undefined ? [r.fixed] : []));
  const out: AffectedPackage = { namespace, package: name, scheme, status: fixes.length > 0 ? 'fixed' : 'affected', ranges };
  if (versions?.length) out.versions = versions;
  const fixedVersion = lowestVersion(fixes, scheme);
  if (fixedVersion !== undefined) out.fixedVersion = fixedVersion;
  const severity = packageSeverity(af);
  if (severity) out.severity = severity;
  return out;
}

function recordSeverity(rec: Record<string, unknown>, id: string): Severity | undefined {
  const db = isObj(rec.database_specific) ? rec.database_specific : {};
  let sev = severityWord(db.severity);
  if (Array.isArray(rec.severity)) for (const s of rec.severity) if (isObj(s) && s.type === 'Ubuntu') sev = graver(sev, severityWord(s.score));
  if (!sev && DISTRO_ADVISORY.test(id) && typeof rec.summary === 'string') sev = severityWord(RH_SEVERITY.exec(rec.summary)?.[1]);
  return sev;
}

/**
 * The record's own severity word as a publisher's rating: a distribution's record rates
 * the vulnerability for each release it names (vendor = the namespace's distribution,
 * `AlmaLinux` for `AlmaLinux:9`); a language database's (GHSA) for every release.
 */
function recordRatings(rec: Record<string, unknown>, id: string, severity: Severity | undefined, affected: AffectedPackage[]): VendorRating[] {
  if (!severity || severity === 'unknown') return [];
  const db = isObj(rec.database_specific) ? rec.database_specific : {};
  const rh = DISTRO_ADVISORY.test(id) && typeof rec.summary === 'string' ? RH_SEVERITY.exec(rec.summary)?.[1] : undefined;
  const ub = Array.isArray(rec.severity) ? rec.severity.find((x) => isObj(x) && x.type === 'Ubuntu' && typeof x.score === 'string') : undefined;
  const raw = (typeof db.severity === 'string' ? db.severity : rh ?? (isObj(ub) ? (ub.score as string) : severity)).slice(0, 64);
  // A distribution advisory for several CVEs (an ALSA, a USN) is rated by its gravest one.
  const cves = new Set([id, ...idList(rec.aliases), ...idList(rec.upstream), ...(DISTRO_ADVISORY.test(id) ? idList(rec.related) : [])].filter((x) => x.startsWith('CVE-')));
  const whole = !id.startsWith('CVE-') && cves.size > 1 ? ({ wholeRecord: true } as const) : {};
  const distro = [...new Set(affected.map((a) => a.namespace).filter((n) => n.includes(':')))];
  if (distro.length > 0) return distro.slice(0, 100).map((namespace) => ({ vendor: namespace.slice(0, namespace.indexOf(':')), namespace, severity, raw, record: id, ...whole }));
  const vendor = databaseOf(id);
  return vendor ? [{ vendor, severity, raw, record: id, ...whole }] : [];
}

/** CVSS vectors of the record and of its packages (a record may put them on either, not both). */
function cvssVectors(rec: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const s of list.slice(0, 16)) {
      if (isObj(s) && typeof s.type === 'string' && s.type.startsWith('CVSS_') && typeof s.score === 'string') out.push(s.score);
    }
  };
  add(rec.severity);
  for (const af of Array.isArray(rec.affected) ? rec.affected.slice(0, 1000) : []) {
    if (!isObj(af)) continue;
    add(af.severity);
    // RustSec repeats its vector per package here, sometimes the only place it appears.
    if (isObj(af.database_specific) && typeof af.database_specific.cvss === 'string') out.push(af.database_specific.cvss);
  }
  return out;
}

/** One OSV record (already JSON-parsed); `where` names it in problems when it has no usable id. */
export function parseOsvRecord(raw: unknown, where: string, tally: OsvTally, source = 'osv'): { advisory?: Advisory; problems: string[] } {
  const problems: string[] = [];
  if (!isObj(raw)) return { problems: [`${where}: not a JSON object`] };
  const id = cleanId(raw.id);
  if (!id) return { problems: [`${where}: ${raw.id === undefined ? 'has no id' : `bad id ${quote(raw.id)}`}; skipped`] };
  let unsaid = 0;
  const say = (m: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(`${id}: ${m}`);
    else unsaid++;
  };
  const upstream = idList(raw.upstream);
  if (upstream.length === 0 && DISTRO_ADVISORY.test(id)) upstream.push(...idList(raw.related).filter((r) => r.startsWith('CVE-')));
  const aliases = [...new Set([...idList(raw.aliases), ...upstream])].filter((a) => a !== id);
  const affected: AffectedPackage[] = [];
  if (raw.affected !== undefined && raw.affected !== null && !Array.isArray(raw.affected)) say('affected is not a list');
  for (const af of Array.isArray(raw.affected) ? raw.affected.slice(0, FEED_LIMITS.maxListItems) : []) {
    const a = readAffected(af, id, tally, say);
    if (a) affected.push(a);
  }
  const advisory: Advisory = { id, source, aliases, affected };
  // A date that is none (Go's zero time for "unknown") is left out, not taken as the year 1.
  for (const field of ['published', 'modified'] as const) {
    const t = osvTimestamp(raw[field]);
    if (t === 'bad') {
      tally.badDates.count++;
      tally.badDates.first ??= `${id} ${field} ${JSON.stringify(String(raw[field]).slice(0, 40))}`;
    } else if (t !== 'unset') advisory[field] = t;
  }
  const withdrawn = stringField(raw.withdrawn);
  if (withdrawn) advisory.withdrawn = withdrawn;
  const summary = displayText(raw.summary) ?? displayText(typeof raw.details === 'string' ? raw.details.split('\n\n')[0] : undefined);
  if (summary) advisory.summary = summary;
  const severity = recordSeverity(raw, id);
  if (severity) advisory.severity = severity;
  const ratings = recordRatings(raw, id, severity, affected);
  if (ratings.length) advisory.ratings = ratings;
  const publisher = databaseOf(id);
  const cvss = cvssScores(cvssVectors(raw), say);
  if (cvss) advisory.cvss = publisher ? cvss.map((c) => ({ ...c, source: publisher })) : cvss;
  if (Array.isArray(raw.references)) {
    const refs = raw.references.slice(0, 1000).flatMap((r) => (isObj(r) && typeof r.url === 'string' && r.url.length <= 2000 && !hasControl(r.url) ? [r.url] : []));
    if (refs.length) advisory.references = refs;
  }
  if (unsaid > 0) problems.push(`${id}: ${unsaid} more problem(s) not shown`);
  return { advisory, problems };
}
