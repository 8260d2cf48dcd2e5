import type { Advisory, AffectedPackage, CvssScore, EpssScore, KevEntry, VendorRating, VulnerabilityState } from '../advisories/model.js';
import type { Feed, FeedOrigin } from '../advisories/source.js';

/**
 * The advisory database as the matcher and the `db` commands see it. SQLite backs
 * it by default; a PostgreSQL backend implements the same interface, so nothing
 * here may depend on one engine's semantics.
 */

export interface SourceStatus {
  /** AdvisorySource name plus the feed file set it came from (`osv:debian12.osv.json.gz`). */
  name: string;
  files: string[];
  /** SHA-256 over the imported files' bytes, to skip re-imports of unchanged feeds. */
  digest: string;
  importedAt: string;
  advisories: number;
  kev: number;
  epss: number;
  origin: FeedOrigin;
  /** Path or URL the feed was read from, when known. */
  location?: string;
  /** Newest `published` and `modified` date of the feed's records (EPSS: its score date; KEV: newest dateAdded). */
  newestPublished?: string;
  newestModified?: string;
  /** Advisory namespaces the feed's affected entries name (`Debian:12`, `npm`), sorted. */
  namespaces: string[];
}

/** A CVSS vector any feed carries for an id, with the feed that carried it. */
export interface CvssFact extends CvssScore {
  /** The feed (SourceStatus name) it was read from. */
  feed: string;
}

/** A vendor rating any feed carries for an id (or one of its aliases). */
export interface RatingFact extends VendorRating {
  feed: string;
}

export interface StateFact {
  state: VulnerabilityState;
  /** The feed and record that say so. */
  feed: string;
  record: string;
}

export type FeedImport = Feed;

/** One affected-package entry together with the advisory it belongs to. */
export interface AffectedMatch {
  advisory: Advisory;
  affected: AffectedPackage;
}

/** What one import changed, for re-matching only what it touches. */
export interface AdvisoryChange {
  /** Increasing id of the import in this database. */
  id: number;
  importedAt: string;
  sources: string[];
  /** (namespace, package_key) pairs whose affected entries or advisory documents changed, added or went away. */
  packages: Array<{ namespace: string; packageKey: string }>;
  /** CVEs whose KEV, EPSS or CVSS enrichment changed; undefined when more changed than the store lists (treat as "every CVE"). */
  cves?: string[];
}

export interface AdvisoryStore {
  /**
   * Replace every named source with its new content, all or nothing: an import
   * that fails half-way leaves the previous database exactly as it was.
   */
  importFeeds(feeds: FeedImport[], importedAt: string): void;
  /**
   * The imports recorded after `id`, oldest first, as any process sharing the
   * database wrote them. Each import adds one change, ids one apart, and only the
   * latest 1,000 are kept: when the first one returned is not `id + 1`, or none is
   * returned while `lastChangeId()` is past `id`, some were dropped and everything
   * must be re-matched. A `lastChangeId()` below an id seen before means the
   * database was rebuilt (new schema): re-match everything as well.
   */
  changesSince(id: number): AdvisoryChange[];
  /** The id of the latest import, 0 when none. */
  lastChangeId(): number;
  /**
   * Drop what this instance cached from the database. An import through this
   * instance does it itself; a process that keeps a store open while another one
   * imports (`vigil db import`, `vigil db update`, another server replica) calls it
   * when `lastChangeId()` moves, before matching again.
   */
  refresh(): void;
  /**
   * A number that changes whenever what this instance answers may have changed (an
   * import through it, a refresh): callers that keep results derived from the store
   * (the matcher's ratings) drop them when it moves.
   */
  generation(): number;
  sources(): SourceStatus[];
  /** Entries keyed by (namespace, package name as the feed keys it). */
  affectedFor(namespace: string, pkg: string): AffectedMatch[];
  /** Every (namespace, package) pair that has advisories: the matcher's inverted index. */
  hasPackage(namespace: string, pkg: string): boolean;
  advisory(id: string): Advisory[];
  kev(cve: string): KevEntry | undefined;
  epss(cve: string): EpssScore | undefined;
  /**
   * CVSS vectors any feed carries for an id (CVE, GHSA, ALSA…: every record's vectors
   * are indexed under its id and each of its aliases), newest CVSS version first.
   */
  cvss(id: string): CvssFact[];
  /** Vendor ratings any record carries under this id or alias. */
  ratings(id: string): RatingFact[];
  /** Disputed / rejected statements any record makes under this id or alias. */
  states(id: string): StateFact[];
  close(): void;
}
