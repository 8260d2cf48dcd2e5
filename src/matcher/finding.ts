import type { AffectedStatus, Severity, VulnerabilityState } from '../advisories/model.js';
import type { Ecosystem, Exposure, SourcePackage } from '../common/model.js';
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

/** One rating a finding could take its severity from. */
export interface RatingCandidate {
  /** `vendor` (a distribution's or publisher's word) or `cvss`. */
  kind: 'vendor' | 'cvss';
  severity: Severity;
  /** `Debian urgency "unimportant" for Debian:12`, `CVSS 3.1 9.8 by nvd@nist.gov`. */
  label: string;
  /** Feed and record it came from: `osv:debian12.osv.json.gz CVE-2024-1`. */
  from: string;
  /** The candidate `severity` took. */
  chosen?: boolean;
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
    /** The source package, as the component names it, when it differs from the component (by name or version). */
    source?: SourcePackage;
    /** Digest of the image layer that last wrote the component's first location. */
    layer?: string;
    /** The package cache the component was found only in (`maven-local-repository`): downloaded, not necessarily installed. */
    cache?: string;
  };
  /** The version installed: the component's own. The version compared (a Debian source package's) is in `matches`. */
  installedVersion: string;
  fixedVersion?: string;
  /** `fixed`: a fix exists; `affected`: no fix available yet; or the distribution's decision. */
  status: Exclude<AffectedStatus, 'not-affected'>;
  severity: Severity;
  /** Where `severity` came from, in words: `Debian urgency "low" for Debian:12 (CVE-2024-1 in debian-tracker:json)`, `CVSS 3.1 9.8 by nvd@nist.gov`, `no rating in any feed`. */
  severitySource?: string;
  /** Every rating candidate considered, in the documented order, the chosen one marked. */
  ratings?: RatingCandidate[];
  cvss?: { version: string; vector: string; score: number; source?: string };
  /** The CVE Program's or NVD's statement on the vulnerability, and who made it. */
  state?: { state: VulnerabilityState; source: string };
  /**
   * Why the finding ranks below every rated finding and is left out of `--fail-on`
   * (unless `--include-disputed`): `disputed (nvd:…)`, `rejected`, `Debian rates it negligible`.
   */
  deprioritized?: string;
  /** What the Vigil score was made of, in words: `KEV`, `EPSS 0.94 (p99)`, `listening on 0.0.0.0:22`, `severity unknown`. */
  scoreReasons?: string[];
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
