import type { AffectedStatus, Severity } from '../advisories/model.js';
import type { Ecosystem, Exposure } from '../common/model.js';
import type { VersionFormat } from '../versions/scheme.js';

/** How one advisory record matched one component: what `vigil explain` prints. */
export interface MatchDetail {
  source: string;
  record: string;
  namespace: string;
  /** Package name as compared (the source package for Debian and Ubuntu). */
  package: string;
  /** `direct` when the component's own name matched, `source` when its source package did. */
  via: 'direct' | 'source';
  comparedVersion: string;
  scheme: VersionFormat;
  status: AffectedStatus;
  /** The rule that fired, in words: `1.2.3-1 < fixed 1.2.3-2`. */
  rule: string;
  fixedVersion?: string;
}

export interface Finding {
  /** Stable id: a hash of the component's identity (purl and locations), `:`, the vulnerability. */
  id: string;
  vulnerability: string;
  aliases: string[];
  component: {
    purl: string;
    ecosystem: Ecosystem;
    name: string;
    version: string;
    locations: string[];
    sourceName?: string;
    /** Digest of the image layer that last wrote the component's first location. */
    layer?: string;
  };
  installedVersion: string;
  fixedVersion?: string;
  /** `fixed`: a fix exists; `affected`: no fix available yet; or the distribution's decision. */
  status: Exclude<AffectedStatus, 'not-affected'>;
  severity: Severity;
  cvss?: { version: string; vector: string; score: number };
  kev?: { dateAdded: string; dueDate: string; ransomware: boolean };
  epss?: { score: number; percentile: number; date: string };
  /** Widest exposure of a socket the package's process listens on, or `none`. */
  exposure: Exposure | 'none';
  inUse: boolean;
  /** Vigil score, 0–10: see README "Vigil score". */
  score: number;
  remediation?: string;
  summary?: string;
  matches: MatchDetail[];
}
