import type { Severity } from '../advisories/model.js';
import type { Exposure } from '../common/model.js';

/**
 * The Vigil score, 0–10, documented with worked examples in the README:
 *
 *   score = base × (0.45 + 0.25·E + 0.20·X + 0.10·C), capped at 10
 *
 * base: the CVSS base score, else a severity's typical score.
 * E (exploitation): 1 when in CISA KEV, else the EPSS probability.
 * X (exposure): 1 listening on any address, 0.7 on a private one, 0.3 on loopback,
 *   0.2 running without listening, 0 installed but not running (unknown: 0.2).
 * C (asset criticality tag): high 1, medium 0.5 (default), low 0.
 */

export const SEVERITY_BASE: Record<Severity, number> = { critical: 9.5, high: 7.5, medium: 5.5, low: 3, negligible: 1, unknown: 5 };

export type Criticality = 'high' | 'medium' | 'low';

export interface ScoreInput {
  cvss?: number;
  severity: Severity;
  kev: boolean;
  epss?: number;
  exposure: Exposure | 'none';
  /** true running, false not running, undefined unknown (not a live scan). */
  inUse: boolean | undefined;
  criticality?: Criticality;
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

export function vigilScore(s: ScoreInput): number {
  const base = s.cvss ?? SEVERITY_BASE[s.severity];
  const e = s.kev ? 1 : (s.epss ?? 0);
  const x = exposureFactor(s.exposure, s.inUse);
  const c = s.criticality === 'high' ? 1 : s.criticality === 'low' ? 0 : 0.5;
  const score = base * (0.45 + 0.25 * e + 0.2 * x + 0.1 * c);
  return Math.min(10, Math.round(score * 10) / 10);
}

export function severityFromCvss(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'negligible';
}
