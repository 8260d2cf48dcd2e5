import type { Advisory, AffectedPackage, CvssScore, EpssScore, KevEntry } from '../advisories/model.js';
import type { Feed } from '../advisories/source.js';

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
}

export type FeedImport = Feed;

/** One affected-package entry together with the advisory it belongs to. */
export interface AffectedMatch {
  advisory: Advisory;
  affected: AffectedPackage;
}

export interface AdvisoryStore {
  /**
   * Replace every named source with its new content, all or nothing: an import
   * that fails half-way leaves the previous database exactly as it was.
   */
  importFeeds(feeds: FeedImport[], importedAt: string): void;
  sources(): SourceStatus[];
  /** Entries keyed by (namespace, package name as the feed keys it). */
  affectedFor(namespace: string, pkg: string): AffectedMatch[];
  /** Every (namespace, package) pair that has advisories: the matcher's inverted index. */
  hasPackage(namespace: string, pkg: string): boolean;
  advisory(id: string): Advisory[];
  kev(cve: string): KevEntry | undefined;
  epss(cve: string): EpssScore | undefined;
  /** CVSS vectors any feed carries for a CVE, newest CVSS version first. */
  cvss(cve: string): CvssScore[];
  close(): void;
}
