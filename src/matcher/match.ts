import { createHash } from 'node:crypto';
import { componentKey } from '../common/identity.js';
import type { Component, Exposure, Inventory, Problem } from '../common/model.js';
import type { AdvisoryStore } from '../store/advisory-store.js';
import { VersionError, type VersionScheme } from '../versions/scheme.js';
import { SCHEMES } from '../versions/index.js';
import type { Finding } from './finding.js';
import { matchTargets, type VulnGroup } from './match-groups.js';
import { remediation } from './remediation.js';
import { contextReasons, vigilScore, type Criticality, type ScoreInput } from './score.js';
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

export { vulnerabilityKey } from './match-groups.js';

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

/** Component ids already hashed: the hosts of a fleet share most of their components. */
const componentIds = new Map<string, string>();
const MAX_IDS_KEPT = 100_000;

/** The component half of a finding id: hashed once per component, not once per finding. */
function componentId(c: Component): string {
  const key = componentKey(c);
  let id = componentIds.get(key);
  if (id === undefined) {
    id = createHash('sha256').update(key).digest('hex').slice(0, 16);
    if (componentIds.size >= MAX_IDS_KEPT) componentIds.clear();
    componentIds.set(key, id);
  }
  return id;
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

  for (const c of inv.components) {
    if (c.metadata?.ownedBy) continue; // the OS package that owns it carries the distribution's advisories
    const targets = lookupTargets(c, inv.os);
    lookups += targets.length;
    const m = matchTargets(targets, store);
    if (!m) continue;
    candidates += m.candidates;
    for (const { version, scheme } of m.checks) checkVersion(c, version, SCHEMES[scheme], componentProblems);
    for (const key of m.bad) badVersions.set(key, (badVersions.get(key) ?? 0) + 1);
    if (m.groups.length === 0) continue;
    const ctx = componentContext(c, inv, opts.inUseObserved ?? inv.target.kind === 'host');
    for (const g of m.groups) findings.push(toFinding(c, ctx, g, opts));
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

function toFinding(c: Component, ctx: ComponentContext, g: VulnGroup, opts: MatchOptions): Finding {
  // What the component's findings share with every component of the same targets is
  // in the group (match-groups.ts); this adds the component's own part.
  const { vuln, rated, kev, epss } = g;

  const { severity, cvss } = rated;
  const { exposure, inUse } = ctx;
  const scoreInput: ScoreInput = { severity, kev: kev !== undefined, exposure, inUse: ctx.live ? inUse : undefined };
  if (cvss) scoreInput.cvss = cvss.baseScore;
  if (rated.fromVendor) scoreInput.fromVendor = true;
  if (rated.deprioritized) scoreInput.deprioritized = rated.deprioritized;
  if (epss) scoreInput.epss = epss.epss;
  if (opts.criticality) scoreInput.criticality = opts.criticality;
  const reasons = contextReasons(scoreInput, { listening: ctx.listening, cache: ctx.component.cache }, g.reasons.slice());

  const f: Finding = {
    id: `${ctx.id}:${vuln}`,
    vulnerability: vuln,
    aliases: g.aliases,
    // Shared by the component's findings: one object per component, not per finding.
    component: ctx.component,
    installedVersion: c.version,
    status: g.status,
    severity,
    severitySource: rated.severitySource,
    ratings: rated.candidates,
    state: rated.state,
    deprioritized: rated.deprioritized,
    exposure,
    inUse,
    score: vigilScore(scoreInput),
    scoreReasons: reasons,
    matches: g.matches,
    // Optional fields are always present (undefined when absent, which JSON omits):
    // one object shape for thousands of findings keeps their construction cheap.
    fixedVersion: g.fixed,
    cvss: g.shown.cvss,
    kev: g.shown.kev,
    epss: g.shown.epss,
    summary: g.summary,
    remediation: undefined,
  };
  let fix = ctx.remediation.get(g.fixed);
  if (fix === undefined && !ctx.remediation.has(g.fixed)) ctx.remediation.set(g.fixed, (fix = remediation(c, g.fixed)));
  f.remediation = fix;
  return f;
}
