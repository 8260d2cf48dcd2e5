import { severityFromScore } from '../advisories/cvss.js';
import type { Advisory, AffectedPackage, Severity, VulnerabilityState } from '../advisories/model.js';
import { databaseOf } from '../advisories/publishers.js';
import type { AdvisoryStore, CvssFact, RatingFact } from '../store/advisory-store.js';
import type { RatingCandidate } from './finding.js';

/**
 * Which rating a finding's severity takes, in this order (README "Severity and its
 * sources"):
 *
 * 1. the rating of the distribution whose namespace matched (Debian urgency, Ubuntu
 *    priority, AlmaLinux severity): the matched entry's own word for its package, then
 *    the distribution's word for that release, then for every release; the gravest of
 *    equals wins. Language ecosystems have no such publisher;
 * 2. CVSS: NVD's vector first, then the CNA's (CVE record), then GitHub's, then any other
 *    feed's copy; within one publisher the newest CVSS version, then the higher score;
 * 3. another publisher's word (another distribution's, GitHub's or Node.js's rating);
 * 4. `unknown`.
 *
 * A rating on any record of the vulnerability counts: the store indexes ratings, CVSS
 * vectors and states under every id and alias of the record that carries them.
 */

export interface RatingResult {
  severity: Severity;
  severitySource: string;
  candidates: RatingCandidate[];
  /** The CVSS vector shown with the finding (the best by step 2's order), whether or not severity came from it. */
  cvss?: CvssFact;
  /** Severity came from a vendor's word: the Vigil score then starts from that severity, not from CVSS. */
  fromVendor: boolean;
  state?: { state: VulnerabilityState; source: string };
  deprioritized?: string;
}

export interface RatedHit {
  advisory: Advisory;
  affected: AffectedPackage;
  namespace: string;
}

const GRAVITY: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, negligible: 1, unknown: 0 };

/** The publisher of a namespace's ratings: the distribution for `Debian:12`, GitHub for language ecosystems. */
export function namespaceVendor(namespace: string): string | undefined {
  const i = namespace.indexOf(':');
  // Language ecosystems have no distribution: their databases' words (GitHub, Node.js)
  // are another publisher's, weighed after CVSS.
  return i > 0 ? namespace.slice(0, i) : undefined;
}

/** Step 2's publisher order. */
function publisherRank(c: CvssFact): number {
  if (c.source === 'nvd@nist.gov') return 0;
  if (c.feed.startsWith('cve5:') || (c.feed.startsWith('nvd:') && c.source !== undefined)) return 1;
  if (c.source === 'GitHub') return 2;
  return 3;
}

function betterCvss(a: CvssFact, b: CvssFact): boolean {
  const ra = publisherRank(a);
  const rb = publisherRank(b);
  if (ra !== rb) return ra < rb;
  if (a.version !== b.version) return a.version > b.version;
  return a.baseScore > b.baseScore;
}

function cvssLabel(c: CvssFact): string {
  return `CVSS ${c.version} ${c.baseScore.toFixed(1)} by ${c.source ?? 'an unnamed publisher'}`;
}

function ratingLabel(r: RatingFact): string {
  return `${r.vendor} rates it ${JSON.stringify(r.raw)}${r.namespace ? ` for ${r.namespace}` : ''}`;
}

export function rate(ids: readonly string[], hits: readonly RatedHit[], store: AdvisoryStore): RatingResult {
  const ratings = new Map<string, RatingFact>();
  const cvss = new Map<string, CvssFact>();
  const add = (r: RatingFact) => ratings.set(`${r.vendor}\u0000${r.namespace ?? ''}\u0000${r.raw}\u0000${r.record}`, r);
  for (const id of ids) {
    for (const r of store.ratings(id)) add(r);
    for (const c of store.cvss(id)) cvss.set(`${c.version}\u0000${c.vector}\u0000${c.source ?? ''}\u0000${c.feed}`, c);
  }
  // The matched entry's own word for its package and release (a Debian urgency, an
  // Ubuntu per-package priority): it beats the same vendor's word for the whole record.
  const entryWords = new Set<RatingFact>();
  for (const h of hits) {
    const s = h.affected.severity;
    // Without a distribution, the word is its database's (GitHub's for a GHSA): another publisher's.
    const vendor = namespaceVendor(h.namespace) ?? databaseOf(h.advisory.id) ?? h.advisory.source;
    if (s && s !== 'unknown') {
      const same = [...ratings.values()].find((r) => r.vendor === vendor && r.namespace === h.namespace && r.record === h.advisory.id && r.severity === s);
      if (same && namespaceVendor(h.namespace)) entryWords.add(same);
      else {
        const r: RatingFact = { vendor, namespace: h.namespace, severity: s, raw: s, record: h.advisory.id, feed: h.advisory.source };
        add(r);
        if (namespaceVendor(h.namespace)) entryWords.add(r);
      }
    }
    // The record's own vectors are in the store under its id already; these only
    // matter for a store that does not index them.
    for (const c of h.advisory.cvss ?? []) {
      const same = [...cvss.values()].some((x) => x.version === c.version && x.vector === c.vector && x.source === c.source);
      if (!same) cvss.set(`${c.version}\u0000${c.vector}\u0000${c.source ?? ''}\u0000${h.advisory.source}`, { ...c, feed: h.advisory.source });
    }
  }
  const namespaces = new Set(hits.map((h) => h.namespace));
  const vendors = new Set([...namespaces].flatMap((n) => namespaceVendor(n) ?? []));

  // Step 1: the matched namespace's publisher; the release-specific word first.
  // Tiers: the matched entry's word, the vendor's word for the release, for every release.
  let own: RatingFact | undefined;
  let ownTier = 3;
  const others: RatingFact[] = [];
  for (const r of ratings.values()) {
    if (r.severity === 'unknown') continue;
    const specific = r.namespace !== undefined && namespaces.has(r.namespace);
    const mine = vendors.has(r.vendor) && (specific || r.namespace === undefined);
    if (!mine) {
      others.push(r);
      continue;
    }
    const tier = entryWords.has(r) ? 0 : specific ? 1 : 2;
    if (!own || tier < ownTier || (tier === ownTier && GRAVITY[r.severity] > GRAVITY[own.severity])) {
      own = r;
      ownTier = tier;
    }
  }
  let best: CvssFact | undefined;
  for (const c of cvss.values()) if (!best || betterCvss(c, best)) best = c;
  let other: RatingFact | undefined;
  for (const r of others) if (!other || GRAVITY[r.severity] > GRAVITY[other.severity]) other = r;

  // Every candidate, in the order the rules weigh them: the matched namespace's
  // publisher, CVSS by publisher, other publishers; the one taken is marked.
  const taken: RatingFact | CvssFact | undefined = own ?? best ?? other;
  const from = (r: { feed: string; record?: string }) => (r.record ? `${r.feed} ${r.record}` : r.feed);
  const weighed: Array<{ step: number; c: RatingCandidate }> = [];
  for (const r of ratings.values()) {
    if (r.severity === 'unknown') continue;
    const c: RatingCandidate = { kind: 'vendor', severity: r.severity, label: ratingLabel(r), from: from(r) };
    if (r === taken) c.chosen = true;
    weighed.push({ step: others.includes(r) ? 3 : 1, c });
  }
  for (const x of [...cvss.values()].sort((a, b) => (betterCvss(a, b) ? -1 : betterCvss(b, a) ? 1 : 0))) {
    const c: RatingCandidate = { kind: 'cvss', severity: severityFromScore(x.baseScore, x.version), label: cvssLabel(x), from: x.feed };
    if (x === taken) c.chosen = true;
    weighed.push({ step: 2, c });
  }
  const candidates = weighed.sort((a, b) => a.step - b.step).map((w) => w.c);

  let severity: Severity = 'unknown';
  let severitySource = 'no rating in any feed';
  let fromVendor = false;
  if (own) {
    severity = own.severity;
    severitySource = `${ratingLabel(own)} (${from(own)})`;
    fromVendor = true;
  } else if (best) {
    severity = severityFromScore(best.baseScore, best.version);
    severitySource = `${cvssLabel(best)} (${best.feed})`;
  } else if (other) {
    severity = other.severity;
    severitySource = `${ratingLabel(other)} (${from(other)}; ${vendors.size ? `no rating by ${[...vendors].join(', ')} and ` : ''}no CVSS)`;
    fromVendor = true;
  }

  const result: RatingResult = { severity, severitySource, candidates, fromVendor };
  if (best) result.cvss = best;
  let state: { state: VulnerabilityState; source: string } | undefined;
  for (const id of ids) {
    for (const s of store.states(id)) {
      if (!state || (s.state === 'rejected' && state.state !== 'rejected')) state = { state: s.state, source: `${s.feed} ${s.record}` };
    }
  }
  for (const h of hits) if (h.advisory.state && !state) state = { state: h.advisory.state, source: `${h.advisory.source} ${h.advisory.id}` };
  if (state) {
    result.state = state;
    result.deprioritized = `${state.state} (${state.source})`;
  } else if (own && own.severity === 'negligible') {
    result.deprioritized = `${ratingLabel(own)}: negligible for this release`;
  }
  return result;
}
