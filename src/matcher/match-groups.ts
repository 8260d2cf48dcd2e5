import type { Advisory, AffectedPackage, EpssScore, KevEntry } from '../advisories/model.js';
import type { LookupTarget } from '../ecosystems/types.js';
import type { AdvisoryStore } from '../store/advisory-store.js';
import { VersionError, type VersionFormat, type VersionScheme } from '../versions/scheme.js';
import { SCHEMES } from '../versions/index.js';
import { satisfiesRange } from '../versions/semver.js';
import { evaluate } from './affected.js';
import type { Finding, MatchDetail } from './finding.js';
import { rate, type RatingResult } from './ratings.js';
import { ratingReasons } from './score.js';

/**
 * What a component's lookups found, by vulnerability, apart from the component
 * itself: it depends only on the lookup targets (namespace, package, version,
 * scheme, how the name was reached) and the store's content. The binaries of one
 * source package share their targets, and so do the hosts of a fleet running the
 * same versions, so each set of targets is evaluated and rated once per store
 * generation; a finding then only adds what is the component's own (its id,
 * exposure, use, remediation and score).
 */

export interface Hit {
  advisory: Advisory;
  affected: AffectedPackage;
  detail: MatchDetail;
}

/** One vulnerability's matched records, with everything its findings share. */
export interface VulnGroup {
  vuln: string;
  hits: Hit[];
  aliases: string[];
  fixed: string | undefined;
  status: Finding['status'];
  cve: string | undefined;
  rated: RatingResult;
  kev: KevEntry | undefined;
  epss: EpssScore | undefined;
  matches: MatchDetail[];
  summary: string | undefined;
  /** The finding's `cvss`, `kev` and `epss` as it shows them. */
  shown: Pick<Finding, 'cvss' | 'kev' | 'epss'>;
  /** The score reasons that come from the vulnerability alone (score.ts ratingReasons). */
  reasons: string[];
}

/** The outcome of one component's lookups, to replay on every component with the same targets. */
export interface TargetsMatch {
  candidates: number;
  /** The version checks the component's problems come from, in the order they were made. */
  checks: Array<{ version: string; scheme: VersionFormat }>;
  /** One `malformed-record` key per record whose own version could not be ordered. */
  bad: string[];
  groups: VulnGroup[];
}

/** The fix decisions that outrank "affected, no fix yet", in the order a finding's status takes them. */
const STATUS_RANK = { fixed: 4, affected: 3, 'needs-triage': 2, 'will-not-fix': 1, 'end-of-life': 0 } as const;

const MAX_RATINGS_KEPT = 200_000;
const MAX_TARGETS_KEPT = 100_000;
const MAX_NONE_KEPT = 200_000;

interface StoreCaches {
  generation: number;
  ratings: Map<string, RatingResult>;
  targets: Map<string, TargetsMatch>;
  /** Target sets with no record at all: most of a host's packages. */
  none: Set<string>;
}

/** Kept per store until it changes (AdvisoryStore.generation), each map bounded by dropping it whole. */
const caches = new WeakMap<AdvisoryStore, StoreCaches>();

function cachesOf(store: AdvisoryStore): StoreCaches {
  const generation = store.generation();
  let c = caches.get(store);
  if (!c || c.generation !== generation) caches.set(store, (c = { generation, ratings: new Map(), targets: new Map(), none: new Set() }));
  if (c.ratings.size > MAX_RATINGS_KEPT) c.ratings = new Map();
  if (c.targets.size > MAX_TARGETS_KEPT) c.targets = new Map();
  if (c.none.size > MAX_NONE_KEPT) c.none = new Set();
  return c;
}

/**
 * Forgets what was worked out for a store's target sets, as if its data had just
 * changed: the benchmark measures a match of versions seen for the first time with it.
 */
export function forgetTargetSets(store: AdvisoryStore): void {
  caches.delete(store);
}

/** The vulnerability a record is about: its CVE when it has one, so CVE ↔ GHSA ↔ DSA merge. */
const vulnKeys = new WeakMap<Advisory, string>();

export function vulnerabilityKey(a: Advisory): string {
  let key = vulnKeys.get(a);
  if (key === undefined) {
    if (a.id.startsWith('CVE-')) key = a.id;
    else {
      const cves = a.aliases.filter((x) => x.startsWith('CVE-'));
      key = cves.length === 1 ? cves[0]! : a.id;
    }
    vulnKeys.set(a, key);
  }
  return key;
}

/** Whether `version` can be ordered in `scheme` (an unusual version still can). */
function orderable(version: string, scheme: VersionScheme): boolean {
  try {
    scheme.unusual(version);
    return true;
  } catch (err) {
    if (!(err instanceof VersionError)) throw err;
    return false;
  }
}

/**
 * The records a component with these lookup targets matches, grouped by
 * vulnerability, or undefined when no target has any record (nothing is kept then).
 */
export function matchTargets(targets: readonly LookupTarget[], store: AdvisoryStore): TargetsMatch | undefined {
  if (targets.length === 0) return undefined;
  let key = '';
  for (const t of targets) key += `${t.namespace}\u0000${t.package}\u0000${t.version}\u0000${t.scheme}\u0000${t.via}\u0001`;
  const c = cachesOf(store);
  const m = c.targets.get(key);
  if (m) return m;
  if (c.none.has(key)) return undefined;
  if (!targets.some((t) => store.affectedFor(t.namespace, t.package).length > 0)) {
    c.none.add(key);
    return undefined;
  }
  const made = evaluateTargets(targets, store, c.ratings);
  c.targets.set(key, made);
  return made;
}

function evaluateTargets(targets: readonly LookupTarget[], store: AdvisoryStore, rateCache: Map<string, RatingResult>): TargetsMatch {
  const m: TargetsMatch = { candidates: 0, checks: [], bad: [], groups: [] };
  const hits = new Map<string, Hit[]>();
  for (const t of targets) {
    const entries = store.affectedFor(t.namespace, t.package);
    if (entries.length === 0) continue;
    const scheme: VersionScheme = SCHEMES[t.scheme];
    m.checks.push({ version: t.version, scheme: t.scheme });
    const installedValid = orderable(t.version, scheme);
    for (const { advisory, affected } of entries) {
      m.candidates++;
      if (advisory.withdrawn) continue;
      const same = affected.scheme === t.scheme;
      if (same && !installedValid) continue; // said once for the component, not once per record
      let verdict;
      try {
        verdict = evaluate(t.version, affected, same ? scheme : SCHEMES[affected.scheme], satisfiesRange, same);
      } catch (err) {
        if (!(err instanceof VersionError)) throw err;
        if (err.version === t.version) m.checks.push({ version: t.version, scheme: err.scheme });
        else m.bad.push(`${advisory.source}: ${err.message}`);
        continue;
      }
      if (!verdict.affected) continue;
      const vuln = vulnerabilityKey(advisory);
      const detail: MatchDetail = {
        source: advisory.source,
        record: advisory.id,
        namespace: t.namespace,
        package: t.package,
        via: t.via,
        comparedVersion: t.version,
        scheme: affected.scheme,
        status: affected.status,
        rule: verdict.rule,
      };
      if (affected.fixedVersion) detail.fixedVersion = affected.fixedVersion;
      const list = hits.get(vuln);
      if (list) list.push({ advisory, affected, detail });
      else hits.set(vuln, [{ advisory, affected, detail }]);
    }
  }
  for (const [vuln, list] of hits) m.groups.push(group(vuln, list, store, rateCache));
  return m;
}

function group(vuln: string, hits: Hit[], store: AdvisoryStore, rateCache: Map<string, RatingResult>): VulnGroup {
  const aliases = new Set<string>();
  for (const h of hits) {
    if (h.advisory.id !== vuln) aliases.add(h.advisory.id);
    for (const x of h.advisory.aliases) if (x !== vuln) aliases.add(x);
  }
  // An upgrade must satisfy every record, so the highest fixed version is the one to reach.
  let fixed: string | undefined;
  for (const h of hits) {
    const f = h.affected.fixedVersion;
    if (f === undefined) continue;
    try {
      if (fixed === undefined || SCHEMES[h.affected.scheme].compare(f, fixed) > 0) fixed = f;
    } catch {
      fixed ??= f;
    }
  }
  let status: Finding['status'] = 'end-of-life';
  for (const h of hits) {
    const s = h.affected.status;
    if (s !== 'not-affected' && STATUS_RANK[s] > STATUS_RANK[status]) status = s;
  }
  if (status === 'fixed' && fixed === undefined) status = 'affected';

  let cve = vuln.startsWith('CVE-') ? vuln : undefined;
  if (!cve) for (const x of aliases) if (x.startsWith('CVE-')) { cve = x; break; }
  // Rated once per set of matched records: other targets can match the same ones.
  let rateKey = vuln;
  for (const x of aliases) rateKey += `\u0000${x}`;
  for (const h of hits) rateKey += `\u0001${h.advisory.source}\u0000${h.advisory.id}\u0000${h.detail.namespace}\u0000${h.affected.severity ?? ''}`;
  let rated = rateCache.get(rateKey);
  if (!rated) {
    rated = rate([vuln, ...aliases], hits.map((h) => ({ advisory: h.advisory, affected: h.affected, namespace: h.detail.namespace })), store);
    rateCache.set(rateKey, rated);
  }
  const kev = cve ? store.kev(cve) : undefined;
  const epss = cve ? store.epss(cve) : undefined;
  const { cvss } = rated;
  const scored = { severity: rated.severity, kev: kev !== undefined, fromVendor: rated.fromVendor, deprioritized: rated.deprioritized, cvss: cvss?.baseScore };
  const reasons = ratingReasons(scored, {
    cvss: cvss ? { score: cvss.baseScore, version: cvss.version, ...(cvss.source ? { source: cvss.source } : {}) } : undefined,
    severitySource: rated.severitySource,
    kevDateAdded: kev?.dateAdded,
    epss: epss ? { score: epss.epss, percentile: epss.percentile } : undefined,
  });
  return {
    vuln,
    hits,
    aliases: aliases.size <= 1 ? [...aliases] : [...aliases].sort(),
    fixed,
    status,
    cve,
    rated,
    kev,
    epss,
    matches: hits.length === 1 ? [hits[0]!.detail] : hits.map((h) => h.detail).sort((a, b) => (a.source + a.record < b.source + b.record ? -1 : 1)),
    summary: hits.length === 1 ? hits[0]!.advisory.summary : hits.find((h) => h.advisory.summary)?.advisory.summary,
    shown: {
      cvss: cvss ? { version: cvss.version, vector: cvss.vector, score: cvss.baseScore, source: cvss.source ?? `${cvss.feed} (publisher not named)` } : undefined,
      kev: kev ? { dateAdded: kev.dateAdded, dueDate: kev.dueDate, ransomware: kev.knownRansomwareCampaignUse === 'Known' } : undefined,
      epss: epss ? { score: epss.epss, percentile: epss.percentile, date: epss.date } : undefined,
    },
    reasons,
  };
}
