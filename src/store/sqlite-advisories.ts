import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Advisory, AffectedPackage, CvssScore, EpssScore, KevEntry, Severity, VulnerabilityState } from '../advisories/model.js';
import { packageKey } from '../advisories/keys.js';
import { VigilError } from '../common/errors.js';
import { importFeedsInto } from './sqlite-advisory-import.js';
import type { AdvisoryChange, AdvisoryStore, AffectedMatch, CvssFact, FeedImport, RatingFact, SourceStatus, StateFact } from './advisory-store.js';

export const SCHEMA_VERSION = 5;
/** `meta` key: the key id of the only key whose signed bundles may change this database (`vigil server --advisory-bundle-key`). */
export const BUNDLE_PIN_META = 'bundle-pin-key';
const TABLES = ['meta', 'sources', 'advisories', 'affected', 'aliases', 'kev', 'cvss', 'ratings', 'states', 'epss', 'changes'];
/** Imports the change log keeps. */
const KEEP_CHANGES = 1_000;
/** Past this many CVEs with changed KEV, EPSS or CVSS, a change records "every CVE". */
const MAX_CHANGED_CVES = 50_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  name TEXT PRIMARY KEY, files TEXT NOT NULL, digest TEXT NOT NULL, imported_at TEXT NOT NULL,
  advisories INTEGER NOT NULL, kev INTEGER NOT NULL, epss INTEGER NOT NULL,
  origin TEXT NOT NULL, location TEXT, newest_published TEXT, newest_modified TEXT, namespaces TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS advisories (
  source TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (source, id));
CREATE TABLE IF NOT EXISTS affected (
  source TEXT NOT NULL, advisory_id TEXT NOT NULL, namespace TEXT NOT NULL, package_key TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS affected_by_package ON affected (namespace, package_key);
CREATE INDEX IF NOT EXISTS affected_by_source ON affected (source);
CREATE TABLE IF NOT EXISTS aliases (alias TEXT NOT NULL, source TEXT NOT NULL, advisory_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS aliases_by_alias ON aliases (alias);
CREATE INDEX IF NOT EXISTS aliases_by_source ON aliases (source);
CREATE TABLE IF NOT EXISTS kev (cve TEXT NOT NULL, source TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (cve, source)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cvss (cve TEXT NOT NULL, source TEXT NOT NULL, version TEXT NOT NULL, vector TEXT NOT NULL, score REAL NOT NULL, publisher TEXT);
CREATE INDEX IF NOT EXISTS cvss_by_cve ON cvss (cve);
CREATE INDEX IF NOT EXISTS cvss_by_source ON cvss (source);
CREATE TABLE IF NOT EXISTS ratings (
  id TEXT NOT NULL, source TEXT NOT NULL, vendor TEXT NOT NULL, namespace TEXT, severity TEXT NOT NULL, raw TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ratings_by_id ON ratings (id);
CREATE INDEX IF NOT EXISTS ratings_by_source ON ratings (source);
CREATE TABLE IF NOT EXISTS states (id TEXT NOT NULL, source TEXT NOT NULL, state TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS states_by_id ON states (id);
CREATE INDEX IF NOT EXISTS states_by_source ON states (source);
CREATE TABLE IF NOT EXISTS epss (cve TEXT NOT NULL, source TEXT NOT NULL, epss REAL NOT NULL, percentile REAL NOT NULL, date TEXT NOT NULL, PRIMARY KEY (cve, source)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT, imported_at TEXT NOT NULL, sources TEXT NOT NULL, packages TEXT NOT NULL, cves TEXT);
`;

type AdvisoryDoc = Omit<Advisory, 'affected'>;

/** What every feed says about one id (CVE, GHSA, ALSA…), read once per id. */
interface IdFacts {
  kev: KevEntry | undefined;
  epss: EpssScore | undefined;
  cvss: CvssFact[];
  ratings: RatingFact[];
  states: StateFact[];
}

const NONE: AffectedMatch[] = Object.freeze([]) as unknown as AffectedMatch[];

/**
 * The advisory database in one SQLite file (WAL). Imports run in one transaction,
 * so a failed or interrupted import leaves the previous content in place. The set
 * of (namespace, package) keys is held in memory: most installed packages have no
 * advisory, and a Set lookup is what keeps matching a host in milliseconds.
 *
 * Each import also appends what it changed to the `changes` table, in the same
 * transaction, so a server holding the file open (or several replicas) re-matches
 * only the hosts with an affected package, whichever process imported.
 */
export class SqliteAdvisoryStore implements AdvisoryStore {
  private readonly db: Database.Database;
  private keys: Set<string> | undefined;
  private readonly byPackage: Database.Statement<[string, string], { adoc: string; fdoc: string; source: string; id: string }>;
  private readonly docCache = new Map<string, AdvisoryDoc>();
  // Read-side caches: a fleet's hosts share most packages and CVEs, so each
  // (namespace, package) and each CVE is read from SQLite and parsed once. Cleared
  // by every import through this instance, and by refresh() after another
  // process's.
  private readonly affectedCache = new Map<string, AffectedMatch[]>();
  private readonly cveCache = new Map<string, IdFacts>();
  private readonly statements = new Map<string, Database.Statement>();

  private stmt<P extends unknown[], R>(sql: string): Database.Statement<P, R> {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st as unknown as Database.Statement<P, R>;
  }

  private cacheGeneration = 0;

  constructor(readonly file: string, opts: { readonly?: boolean } = {}) {
    if (!opts.readonly) mkdirSync(path.dirname(file), { recursive: true });
    try {
      this.db = new Database(file, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
    } catch (err) {
      throw new VigilError('IO', `cannot open advisory database ${file}: ${(err as Error).message}`, { cause: err });
    }
    try {
      if (!opts.readonly) {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        this.db.exec(SCHEMA);
        const v = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
        if (v && Number(v.value) > SCHEMA_VERSION) throw new Error(`schema version ${v.value} is newer than this Vigil (${SCHEMA_VERSION})`);
        if (v && v.value !== String(SCHEMA_VERSION)) {
          // The advisory database is derived from feed files: an older layout is
          // dropped and the feeds imported again, never migrated half-way.
          this.db.transaction(() => {
            for (const t of TABLES) this.db.exec(`DROP TABLE IF EXISTS ${t}`);
            this.db.exec(SCHEMA);
          })();
        }
        // Written only when it changes: opening a database must not modify the file.
        if (v?.value !== String(SCHEMA_VERSION)) this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
      }
      this.byPackage = this.db.prepare(
        `SELECT a.doc AS adoc, f.doc AS fdoc, f.source AS source, f.advisory_id AS id FROM affected f
         JOIN advisories a ON a.source = f.source AND a.id = f.advisory_id
         WHERE f.namespace = ? AND f.package_key = ? ORDER BY f.source, f.advisory_id`,
      );
    } catch (err) {
      this.db.close();
      throw new VigilError('INVALID_INPUT', `${file} is not a Vigil advisory database: ${(err as Error).message}`, { cause: err });
    }
  }

  importFeeds(feeds: FeedImport[], importedAt: string): void {
    importFeedsInto(this.db, this.file, (sql) => this.stmt(sql), feeds, importedAt, { pinKey: BUNDLE_PIN_META, keepChanges: KEEP_CHANGES, maxChangedCves: MAX_CHANGED_CVES });
    this.refresh();
  }

  changesSince(id: number): AdvisoryChange[] {
    return this.stmt<[number], { id: number; imported_at: string; sources: string; packages: string; cves: string | null }>(
      'SELECT id, imported_at, sources, packages, cves FROM changes WHERE id > ? ORDER BY id',
    )
      .all(id)
      .map((r) => {
        const change: AdvisoryChange = {
          id: r.id,
          importedAt: r.imported_at,
          sources: JSON.parse(r.sources) as string[],
          packages: (JSON.parse(r.packages) as Array<[string, string]>).map(([namespace, packageKey]) => ({ namespace, packageKey })),
        };
        if (r.cves !== null) change.cves = JSON.parse(r.cves) as string[];
        return change;
      });
  }

  lastChangeId(): number {
    return this.stmt<[], { id: number }>('SELECT COALESCE(MAX(id), 0) AS id FROM changes').get()!.id;
  }

  refresh(): void {
    this.keys = undefined;
    this.docCache.clear();
    this.affectedCache.clear();
    this.cveCache.clear();
    this.cacheGeneration++;
  }

  generation(): number {
    return this.cacheGeneration;
  }

  sources(): SourceStatus[] {
    type Row = {
      name: string; files: string; digest: string; imported_at: string; advisories: number; kev: number; epss: number;
      origin: string; location: string | null; newest_published: string | null; newest_modified: string | null; namespaces: string;
    };
    return this.db
      .prepare<[], Row>('SELECT * FROM sources ORDER BY name')
      .all()
      .map((r) => {
        const s: SourceStatus = {
          name: r.name,
          files: JSON.parse(r.files) as string[],
          digest: r.digest,
          importedAt: r.imported_at,
          advisories: r.advisories,
          kev: r.kev,
          epss: r.epss,
          origin: r.origin as SourceStatus['origin'],
          namespaces: JSON.parse(r.namespaces) as string[],
        };
        if (r.location !== null) s.location = r.location;
        if (r.newest_published !== null) s.newestPublished = r.newest_published;
        if (r.newest_modified !== null) s.newestModified = r.newest_modified;
        return s;
      });
  }

  hasPackage(namespace: string, pkg: string): boolean {
    if (!this.keys) {
      this.keys = new Set();
      for (const r of this.db.prepare<[], { namespace: string; package_key: string }>('SELECT DISTINCT namespace, package_key FROM affected').iterate()) {
        this.keys.add(`${r.namespace}\u0000${r.package_key}`);
      }
    }
    return this.keys.has(`${namespace}\u0000${packageKey(namespace, pkg)}`);
  }

  affectedFor(namespace: string, pkg: string): AffectedMatch[] {
    const key = packageKey(namespace, pkg);
    const cacheKey = `${namespace}\u0000${key}`;
    const cached = this.affectedCache.get(cacheKey);
    if (cached) return cached;
    if (!this.hasPackage(namespace, pkg)) {
      this.affectedCache.set(cacheKey, NONE);
      return NONE;
    }
    const result = this.byPackage.all(namespace, key).map((r) => {
      const key = `${r.source}\u0000${r.id}`;
      let doc = this.docCache.get(key);
      if (!doc) {
        doc = JSON.parse(r.adoc) as AdvisoryDoc;
        this.docCache.set(key, doc);
      }
      return { advisory: { ...doc, affected: [] }, affected: JSON.parse(r.fdoc) as AffectedPackage };
    });
    this.affectedCache.set(cacheKey, result);
    return result;
  }

  private cveFacts(id: string): IdFacts {
    let facts = this.cveCache.get(id);
    if (facts) return facts;
    const k = this.stmt<[string], { doc: string }>('SELECT doc FROM kev WHERE cve = ? ORDER BY source LIMIT 1').get(id);
    const e = this.stmt<[string], { cve: string; epss: number; percentile: number; date: string }>(
      'SELECT cve, epss, percentile, date FROM epss WHERE cve = ? ORDER BY date DESC LIMIT 1',
    ).get(id);
    const c = this.stmt<[string], { version: string; vector: string; score: number; publisher: string | null; source: string }>(
      'SELECT DISTINCT version, vector, score, publisher, source FROM cvss WHERE cve = ? ORDER BY version DESC, score DESC, vector, source, publisher',
    ).all(id);
    const r = this.stmt<[string], { vendor: string; namespace: string | null; severity: string; raw: string; record: string; source: string }>(
      'SELECT DISTINCT vendor, namespace, severity, raw, record, source FROM ratings WHERE id = ? ORDER BY vendor, namespace, source, record',
    ).all(id);
    const st = this.stmt<[string], { state: string; source: string; record: string }>(
      'SELECT DISTINCT state, source, record FROM states WHERE id = ? ORDER BY state, source, record',
    ).all(id);
    facts = {
      kev: k ? (JSON.parse(k.doc) as KevEntry) : undefined,
      epss: e ? { cve: e.cve, epss: e.epss, percentile: e.percentile, date: e.date } : undefined,
      cvss: c.map((x) => {
        const f: CvssFact = { version: x.version as CvssScore['version'], vector: x.vector, baseScore: x.score, feed: x.source };
        if (x.publisher !== null) f.source = x.publisher;
        return f;
      }),
      ratings: r.map((x) => {
        const f: RatingFact = { vendor: x.vendor, severity: x.severity as Severity, raw: x.raw, record: x.record, feed: x.source };
        if (x.namespace !== null) f.namespace = x.namespace;
        return f;
      }),
      states: st.map((x) => ({ state: x.state as VulnerabilityState, feed: x.source, record: x.record })),
    };
    this.cveCache.set(id, facts);
    return facts;
  }

  advisory(id: string): Advisory[] {
    const rows = this.db
      .prepare<[string], { source: string; advisory_id: string }>('SELECT DISTINCT source, advisory_id FROM aliases WHERE alias = ? ORDER BY source, advisory_id')
      .all(id);
    return rows.map((r) => {
      const doc = JSON.parse(this.db.prepare<[string, string], { doc: string }>('SELECT doc FROM advisories WHERE source = ? AND id = ?').get(r.source, r.advisory_id)!.doc) as AdvisoryDoc;
      const affected = this.db
        .prepare<[string, string], { doc: string }>('SELECT doc FROM affected WHERE source = ? AND advisory_id = ?')
        .all(r.source, r.advisory_id)
        .map((a) => JSON.parse(a.doc) as AffectedPackage);
      return { ...doc, affected };
    });
  }

  kev(cve: string): KevEntry | undefined {
    return this.cveFacts(cve).kev;
  }

  cvss(id: string): CvssFact[] {
    return this.cveFacts(id).cvss;
  }

  ratings(id: string): RatingFact[] {
    return this.cveFacts(id).ratings;
  }

  states(id: string): StateFact[] {
    return this.cveFacts(id).states;
  }

  epss(cve: string): EpssScore | undefined {
    return this.cveFacts(cve).epss;
  }

  close(): void {
    this.db.close();
  }
}
