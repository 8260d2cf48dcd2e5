import { createHash } from 'node:crypto';
import type { Advisory, AffectedPackage } from '../advisories/model.js';
import { componentKey } from '../common/identity.js';
import type { Component, Exposure, Inventory, Problem } from '../common/model.js';
import type { AdvisoryStore } from '../store/advisory-store.js';
import { VersionError, type VersionScheme } from '../versions/scheme.js';
import { SCHEMES } from '../versions/index.js';
import { satisfiesRange } from '../versions/semver.js';
import { evaluate } from './affected.js';
import type { Finding, MatchDetail } from './finding.js';
import { remediation } from './remediation.js';
import { rate, type RatingResult } from './ratings.js';
import { scoreReasons, vigilScore, type Criticality, type ScoreInput } from './score.js';
import { lookupTargets } from '../ecosystems/index.js';

export interface MatchOptions {
  criticality?: Criticality;
  /**
   * Whether the inventory says which components running processes use. By default a
   * live host scan does (target "host") and other targets do not. The server's copy of
   * an agent's inventory does not carry it, so there "unknown" is the truth, not "not running".
   */
  inUseObserved?: boolean;
}

export interface MatchResult {
  findings: Finding[];
  problems: Problem[];
  /** Components looked up and (namespace, package) pairs that had advisories. */
  stats: { components: number; lookups: number; candidates: number };
}

/** The fix decisions that outrank "affected, no fix yet", in the order a finding's status takes them. */
const STATUS_RANK = { fixed: 4, affected: 3, 'needs-triage': 2, 'will-not-fix': 1, 'end-of-life': 0 } as const;

/**
 * Ratings depend only on the store's facts and the records that matched, so they are
 * kept per store until it changes: the binaries of one source package, and the hosts
 * of a fleet, share them.
 */
const rateCaches = new WeakMap<AdvisoryStore, { generation: number; map: Map<string, RatingResult> }>();
const MAX_RATINGS_KEPT = 200_000;

function ratingsOf(store: AdvisoryStore): Map<string, RatingResult> {
  const generation = store.generation();
  let c = rateCaches.get(store);
  if (!c || c.generation !== generation || c.map.size > MAX_RATINGS_KEPT) rateCaches.set(store, (c = { generation, map: new Map() }));
  return c.map;
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

interface Hit {
  advisory: Advisory;
  affected: AffectedPackage;
  detail: MatchDetail;
}

/** The widest exposure of a socket the component's process listens on, and that socket in words. */
function exposureOf(c: Component, inv: Inventory): { exposure: Exposure | 'none'; listening?: string } {
  let best: Exposure | 'none' = 'none';
  let listening: string | undefined;
  const rank = { none: 0, loopback: 1, private: 2, any: 3 } as const;
  for (const p of inv.ports ?? []) {
    if (p.package !== c.purl || rank[p.exposure] <= rank[best]) continue;
    best = p.exposure;
    const addr = p.address.includes(':') ? `[${p.address}]` : p.address;
    listening = `${addr}:${p.port}/${p.protocol.replace('6', '')}${p.process ? ` (${p.process})` : ''}`;
  }
  return listening ? { exposure: best, listening } : { exposure: best };
}

/** The component half of a finding id: hashed once per component, not once per finding. */
function componentId(c: Component): string {
  return createHash('sha256').update(componentKey(c)).digest('hex').slice(0, 16);
}

/**
 * Match an inventory against the advisory database. Each component is looked up in
 * the namespace its ecosystem and the host's release select; every affected record
 * is kept as a match detail, and records about the same vulnerability (by CVE
 * alias) on the same component become one finding.
 */
export function matchInventory(inv: Inventory, store: AdvisoryStore, opts: MatchOptions = {}): MatchResult {
  const problems: Problem[] = [];
  const findings: Finding[] = [];
  let lookups = 0;
  let candidates = 0;
  const badVersions = new Map<string, number>();
  const componentProblems = new Map<string, Problem>();
  const rateCache = ratingsOf(store);

  for (const c of inv.components) {
    if (c.metadata?.ownedBy) continue; // the OS package that owns it carries the distribution's advisories
    let hits: Map<string, Hit[]> | undefined;
    for (const t of lookupTargets(c, inv.os)) {
      lookups++;
      const entries = store.affectedFor(t.namespace, t.package);
      if (entries.length === 0) continue;
      const scheme: VersionScheme = SCHEMES[t.scheme];
      const installedValid = checkVersion(c, t.version, scheme, componentProblems);
      for (const { advisory, affected } of entries) {
        candidates++;
        if (advisory.withdrawn) continue;
        const same = affected.scheme === t.scheme;
        if (same && !installedValid) continue; // said once for the component, not once per record
        let verdict;
        try {
          verdict = evaluate(t.version, affected, same ? scheme : SCHEMES[affected.scheme], satisfiesRange, same);
        } catch (err) {
          if (!(err instanceof VersionError)) throw err;
          if (err.version === t.version) {
            checkVersion(c, t.version, SCHEMES[err.scheme], componentProblems);
            continue;
          }
          const key = `${advisory.source}: ${err.message}`;
          badVersions.set(key, (badVersions.get(key) ?? 0) + 1);
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
        hits ??= new Map();
        const list = hits.get(vuln);
        if (list) list.push({ advisory, affected, detail });
        else hits.set(vuln, [{ advisory, affected, detail }]);
      }
    }
    if (!hits) continue;
    const ctx = componentContext(c, inv, opts.inUseObserved ?? inv.target.kind === 'host');
    for (const [vuln, list] of hits) findings.push(toFinding(c, ctx, vuln, list, store, opts, rateCache));
  }
  problems.push(...componentProblems.values());
  for (const [message, count] of badVersions) {
    problems.push({ collector: 'matcher', path: '-', code: 'malformed-record', message: count > 1 ? `${message} (${count} times)` : message });
  }
  findings.sort((a, b) => b.score - a.score || Number(a.deprioritized !== undefined) - Number(b.deprioritized !== undefined) || (a.vulnerability < b.vulnerability ? -1 : a.vulnerability > b.vulnerability ? 1 : 0) || (a.component.purl < b.component.purl ? -1 : 1));
  return { findings, problems, stats: { components: inv.components.length, lookups, candidates } };
}

/**
 * Whether the component's version can be ordered in `scheme`, recording a problem on
 * the component when it cannot (it is then matched against nothing) or when it is
 * unusual (it is matched, as the format's own tool would order it).
 */
function checkVersion(c: Component, version: string, scheme: VersionScheme, out: Map<string, Problem>): boolean {
  let code: 'unusual-version' | 'unordered-version';
  let message: string;
  try {
    const note = scheme.unusual(version);
    if (note === undefined) return true;
    code = 'unusual-version';
    message = `${c.purl}: unusual ${scheme.name} version ${JSON.stringify(version)}: ${note}; still matched`;
  } catch (err) {
    if (!(err instanceof VersionError)) throw err;
    code = 'unordered-version';
    message = `${c.purl}: ${err.message}; not matched against any ${scheme.name} advisory`;
  }
  const key = `${code}\u0000${message}`;
  if (!out.has(key)) out.set(key, { collector: 'matcher', path: c.locations[0] ?? '-', code, message, purl: c.purl });
  return code === 'unusual-version';
}

/** What every finding of one component shares, computed once per component. */
interface ComponentContext {
  id: string;
  component: Finding['component'];
  exposure: Exposure | 'none';
  listening?: string;
  inUse: boolean;
  live: boolean;
  remediation: Map<string | undefined, string | undefined>;
}

function componentContext(c: Component, inv: Inventory, live: boolean): ComponentContext {
  const component: Finding['component'] = { purl: c.purl, ecosystem: c.ecosystem, name: c.name, version: c.version, locations: c.locations };
  if (c.source && (c.source.name !== c.name || (c.source.version !== undefined && c.source.version !== c.version))) component.source = c.source;
  if (c.metadata?.layer) component.layer = String(c.metadata.layer);
  if (c.metadata?.cache) component.cache = String(c.metadata.cache);
  const { exposure, listening } = exposureOf(c, inv);
  const ctx: ComponentContext = { id: componentId(c), component, exposure, inUse: c.inUse === true, live, remediation: new Map() };
  if (listening) ctx.listening = listening;
  return ctx;
}

function toFinding(c: Component, ctx: ComponentContext, vuln: string, hits: Hit[], store: AdvisoryStore, opts: MatchOptions, rateCache: Map<string, RatingResult>): Finding {
  // Written as plain loops: a host yields thousands of findings, and per-finding
  // temporary arrays were most of the matcher's garbage.
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

  let cveId = vuln.startsWith('CVE-') ? vuln : undefined;
  if (!cveId) for (const x of aliases) if (x.startsWith('CVE-')) { cveId = x; break; }
  // Rated once per set of matched records (see ratingsOf).
  let rateKey = vuln;
  for (const x of aliases) rateKey += `\u0000${x}`;
  for (const h of hits) rateKey += `\u0001${h.advisory.source}\u0000${h.advisory.id}\u0000${h.detail.namespace}\u0000${h.affected.severity ?? ''}`;
  let rated = rateCache.get(rateKey);
  if (!rated) {
    rated = rate([vuln, ...aliases], hits.map((h) => ({ advisory: h.advisory, affected: h.affected, namespace: h.detail.namespace })), store);
    rateCache.set(rateKey, rated);
  }
  const { severity, cvss } = rated;

  const cve = cveId;
  const kev = cve ? store.kev(cve) : undefined;
  const epss = cve ? store.epss(cve) : undefined;
  const { exposure, inUse } = ctx;
  const scoreInput: ScoreInput = { severity, kev: kev !== undefined, exposure, inUse: ctx.live ? inUse : undefined };
  if (cvss) scoreInput.cvss = cvss.baseScore;
  if (rated.fromVendor) scoreInput.fromVendor = true;
  if (rated.deprioritized) scoreInput.deprioritized = rated.deprioritized;
  if (epss) scoreInput.epss = epss.epss;
  if (opts.criticality) scoreInput.criticality = opts.criticality;
  const reasons = scoreReasons(scoreInput, {
    cvss: cvss ? { score: cvss.baseScore, version: cvss.version, ...(cvss.source ? { source: cvss.source } : {}) } : undefined,
    severitySource: rated.severitySource,
    kevDateAdded: kev?.dateAdded,
    epss: epss ? { score: epss.epss, percentile: epss.percentile } : undefined,
    listening: ctx.listening,
    cache: ctx.component.cache,
  });

  const f: Finding = {
    id: `${ctx.id}:${vuln}`,
    vulnerability: vuln,
    aliases: aliases.size <= 1 ? [...aliases] : [...aliases].sort(),
    // Shared by the component's findings: one object per component, not per finding.
    component: ctx.component,
    installedVersion: c.version,
    status,
    severity,
    severitySource: rated.severitySource,
    ratings: rated.candidates,
    state: rated.state,
    deprioritized: rated.deprioritized,
    exposure,
    inUse,
    score: vigilScore(scoreInput),
    scoreReasons: reasons,
    matches: hits.length === 1 ? [hits[0]!.detail] : hits.map((h) => h.detail).sort((a, b) => (a.source + a.record < b.source + b.record ? -1 : 1)),
    // Optional fields are always present (undefined when absent, which JSON omits):
    // one object shape for thousands of findings keeps their construction cheap.
    fixedVersion: fixed,
    cvss: cvss ? { version: cvss.version, vector: cvss.vector, score: cvss.baseScore, source: cvss.source ?? `${cvss.feed} (publisher not named)` } : undefined,
    kev: kev ? { dateAdded: kev.dateAdded, dueDate: kev.dueDate, ransomware: kev.knownRansomwareCampaignUse === 'Known' } : undefined,
    epss: epss ? { score: epss.epss, percentile: epss.percentile, date: epss.date } : undefined,
    summary: hits.length === 1 ? hits[0]!.advisory.summary : hits.find((h) => h.advisory.summary)?.advisory.summary,
    remediation: undefined,
  };
  let fix = ctx.remediation.get(fixed);
  if (fix === undefined && !ctx.remediation.has(fixed)) ctx.remediation.set(fixed, (fix = remediation(c, fixed)));
  f.remediation = fix;
  return f;
}
