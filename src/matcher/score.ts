import type { Severity } from '../advisories/model.js';
import type { Exposure } from '../common/model.js';

/**
 * The Vigil score, 0–10, documented with worked examples in the README:
 *
 *   rated:          score = base × (0.45 + 0.25·E + 0.20·X + 0.10·C), capped at 10
 *   severity unknown: score = 10 × (0.25·E + 0.20·X + 0.10·C)
 *   disputed, rejected or rated negligible by the distribution: score = 0
 *
 * base: the CVSS base score when severity came from CVSS, else the vendor severity's
 *   typical score (the distribution's word for its release outranks a generic vector).
 * E (exploitation): 1 when in CISA KEV, else the EPSS probability.
 * X (exposure): 1 listening on any address, 0.7 on a private one, 0.3 on loopback,
 *   0.2 running without listening, 0 installed but not running (unknown: 0.2).
 * C (asset criticality tag): high 1, medium 0.5 (default), low 0.
 *
 * An unknown severity is not replaced by a made-up middle value: the score is what
 * is known (exploitation, exposure, criticality) and says so in its reasons.
 */

export const SEVERITY_BASE: Record<Exclude<Severity, 'unknown'>, number> = { critical: 9.5, high: 7.5, medium: 5.5, low: 3, negligible: 1 };

export type Criticality = 'high' | 'medium' | 'low';

export interface ScoreInput {
  /** CVSS base score, used as the base when `fromVendor` is not set. */
  cvss?: number;
  severity: Severity;
  /** Severity is a vendor's word: the base is that severity's typical score, not CVSS. */
  fromVendor?: boolean;
  kev: boolean;
  epss?: number;
  exposure: Exposure | 'none';
  /** true running, false not running, undefined unknown (not a live scan). */
  inUse: boolean | undefined;
  criticality?: Criticality;
  /** Set for disputed, rejected and vendor-negligible findings: they score 0. */
  deprioritized?: string;
}

/** What a score was made of, in words, for `scoreReasons`. */
export interface ReasonFacts {
  cvss?: { score: number; version: string; source?: string };
  severitySource?: string;
  kevDateAdded?: string;
  epss?: { score: number; percentile: number };
  /** The widest listening socket of the package: `0.0.0.0:22 (sshd)`. */
  listening?: string;
  /** The package cache the component was found only in. */
  cache?: string | undefined;
}

export function exposureFactor(exposure: Exposure | 'none', inUse: boolean | undefined): number {
  switch (exposure) {
    case 'any':
      return 1;
    case 'private':
      return 0.7;
    case 'loopback':
      return 0.3;
    default:
      return inUse === false ? 0 : 0.2;
  }
}

function round1(x: number): number {
  return Math.min(10, Math.round(x * 10) / 10);
}

export function vigilScore(s: ScoreInput): number {
  if (s.deprioritized) return 0;
  const e = s.kev ? 1 : (s.epss ?? 0);
  const x = exposureFactor(s.exposure, s.inUse);
  const c = s.criticality === 'high' ? 1 : s.criticality === 'low' ? 0 : 0.5;
  if (s.severity === 'unknown' && s.cvss === undefined) return round1(10 * (0.25 * e + 0.2 * x + 0.1 * c));
  const base = !s.fromVendor && s.cvss !== undefined ? s.cvss : SEVERITY_BASE[s.severity === 'unknown' ? 'medium' : s.severity];
  return round1(base * (0.45 + 0.25 * e + 0.2 * x + 0.1 * c));
}

/** The score's parts in words, most decisive first. */
export function scoreReasons(s: ScoreInput, facts: ReasonFacts): string[] {
  return contextReasons(s, facts, ratingReasons(s, facts));
}

/**
 * The reasons that come from the vulnerability alone (deprioritized, severity or CVSS,
 * KEV or EPSS), the same on every component it is found on: the first part of
 * `scoreReasons`.
 */
export function ratingReasons(s: Pick<ScoreInput, 'deprioritized' | 'severity' | 'cvss' | 'fromVendor' | 'kev'>, facts: ReasonFacts): string[] {
  const out: string[] = [];
  if (s.deprioritized) out.push(`${s.deprioritized}: ranked below every rated finding`);
  if (s.severity === 'unknown' && s.cvss === undefined) out.push('severity unknown: scored on exploitation, exposure and criticality only');
  else if (!s.fromVendor && facts.cvss) out.push(`CVSS ${facts.cvss.version} ${facts.cvss.score.toFixed(1)}${facts.cvss.source ? ` (${facts.cvss.source})` : ''}`);
  else out.push(`severity ${s.severity}${facts.severitySource ? ` (${facts.severitySource})` : ''}`);
  if (s.kev) out.push(facts.kevDateAdded ? `KEV (added ${facts.kevDateAdded})` : 'KEV');
  else if (facts.epss) out.push(`EPSS ${facts.epss.score.toFixed(2)} (p${Math.floor(facts.epss.percentile * 100)})`);
  return out;
}

/** The reasons of the component and the asset (listening, running, criticality, cache), appended to `out`. */
export function contextReasons(s: Pick<ScoreInput, 'inUse' | 'criticality'>, facts: Pick<ReasonFacts, 'listening' | 'cache'>, out: string[]): string[] {
  if (facts.listening) out.push(`listening on ${facts.listening}`);
  else if (s.inUse === true) out.push('in use by a running process');
  else if (s.inUse === false) out.push('installed, not running');
  if (s.criticality && s.criticality !== 'medium') out.push(`asset criticality ${s.criticality}`);
  if (facts.cache) out.push(`found only in the package cache ${facts.cache}: downloaded, not necessarily installed`);
  return out;
}

export function severityFromCvss(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'negligible';
}
