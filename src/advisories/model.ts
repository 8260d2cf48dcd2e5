import type { VersionFormat } from '../versions/scheme.js';

/**
 * Vigil's normalised advisory: every feed (OSV, Debian tracker, Ubuntu tracker,
 * Alpine secdb, npm advisories…) is turned into these records, so matching is one
 * piece of code whatever the source.
 */

/** Lower-case severity levels, distro-neutral. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'negligible' | 'unknown';

/** Every severity, highest first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'];

/**
 * What the distribution says about a package for an advisory. `fixed` carries a
 * fixed version; `affected` means no fix is available yet; the others are decisions
 * that keep a finding from being raised (or mark it for the operator).
 */
export type AffectedStatus = 'fixed' | 'affected' | 'not-affected' | 'will-not-fix' | 'end-of-life' | 'needs-triage';

/** One OSV-style range: events in order. A version is affected from `introduced` up to `fixed` (excl.) or `lastAffected` (incl.). */
export interface VersionRange {
  /** `0` means from the beginning. */
  introduced: string;
  fixed?: string;
  lastAffected?: string;
  /** OSV `limit`: the range stops here (exclusive) regardless of the other events. */
  limit?: string;
}

export interface AffectedPackage {
  /**
   * Advisory namespace: OSV ecosystem spelling, release-qualified for distributions:
   * `Debian:12`, `Ubuntu:18.04`, `Alpine:v3.11`, `AlmaLinux:9`, `npm`, `PyPI`, `Maven`,
   * `Go`, `crates.io`, `RubyGems`, `Packagist`, `NuGet`.
   */
  namespace: string;
  /**
   * Name as the feed keys it: the SOURCE package for Debian and Ubuntu, the origin for
   * Alpine, the binary rpm for rpm distributions, `group:artifact` for Maven.
   */
  package: string;
  scheme: VersionFormat;
  status: AffectedStatus;
  /** Any version in any range is affected. Empty with `status: affected` and no versions = every version. */
  ranges: VersionRange[];
  /** Explicitly listed affected versions (OSV `versions`). */
  versions?: string[];
  /**
   * npm range expression of the affected versions (`<1.5.2 || >=2.0.0 <2.1.7`), for feeds
   * that publish ranges rather than OSV events; it is the authority. Read as `npm audit`
   * reads ranges (loose, pre-releases included), it covers the same versions as `ranges`,
   * which carry it as events for readers without npm range semantics.
   */
  semverRange?: string;
  /** The lowest fixed version, for display and remediation. */
  fixedVersion?: string;
  /** Distro urgency or per-package severity, when the feed gives one. */
  severity?: Severity;
  /** Free-text note from the feed (e.g. the reason for will-not-fix). */
  note?: string;
}

export interface CvssScore {
  version: '2.0' | '3.0' | '3.1' | '4.0';
  vector: string;
  baseScore: number;
  /**
   * Who published the vector, as the feed names it: `nvd@nist.gov` (NVD), a CNA's
   * short name or id (CVE records), `GitHub` (GHSA), a distribution (`Ubuntu`).
   * Absent when the feed does not say.
   */
  source?: string;
}

/**
 * What the CVE Program or NVD says of the vulnerability itself: `disputed` (a party
 * disputes that it is a vulnerability) or `rejected` (the id was withdrawn).
 */
export type VulnerabilityState = 'disputed' | 'rejected';

/** One severity word a publisher gave a vulnerability, with who gave it and for what. */
export interface VendorRating {
  /** `Debian`, `Ubuntu`, `AlmaLinux`, `Alpine`, `GitHub`, `npm`… */
  vendor: string;
  /** The release namespace the rating is for (`Debian:12`); absent = every release of the vendor. */
  namespace?: string;
  severity: Severity;
  /** The publisher's own word (`unimportant`, `Important`, `low`). */
  raw: string;
  /** The feed record it came from. */
  record: string;
  /**
   * The word rates the record as a whole: a distribution advisory fixing several CVEs
   * carries its gravest one's severity, which says nothing of each CVE, so it is kept
   * under the record's id only, not under its aliases.
   */
  wholeRecord?: true;
}

export interface Advisory {
  /** Feed id: `CVE-2024-1234`, `DSA-5380-1`, `GHSA-…`, `ALSA-2023:1234`, `PYSEC-…`, `NSWG-ECO-1`… */
  id: string;
  /** Name of the AdvisorySource that produced it. */
  source: string;
  /** Other ids for the same vulnerability (CVE ↔ GHSA ↔ DSA…), without `id` itself. */
  aliases: string[];
  published?: string;
  modified?: string;
  /** Set when the feed withdrew the advisory: such records never match. */
  withdrawn?: string;
  summary?: string;
  severity?: Severity;
  cvss?: CvssScore[];
  /** Publishers' severity words, each with its vendor and release. */
  ratings?: VendorRating[];
  /** Set by CVE and NVD records (and the Ubuntu tracker's `** DISPUTED **` mark). */
  state?: VulnerabilityState;
  /** CWE ids (`CWE-416`), from CVE and NVD records. */
  cwes?: string[];
  references?: string[];
  affected: AffectedPackage[];
}

/** CISA Known Exploited Vulnerabilities entry. */
export interface KevEntry {
  cve: string;
  vendorProject: string;
  product: string;
  name: string;
  dateAdded: string;
  dueDate: string;
  knownRansomwareCampaignUse: string;
  requiredAction: string;
}

/** EPSS score of one CVE. */
export interface EpssScore {
  cve: string;
  epss: number;
  percentile: number;
  /** Score date of the feed. */
  date: string;
}
