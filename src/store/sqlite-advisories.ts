import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Advisory, AffectedPackage, CvssScore, EpssScore, KevEntry } from '../advisories/model.js';
import { packageKey } from '../advisories/keys.js';
import { VigilError } from '../common/errors.js';
import type { AdvisoryStore, AffectedMatch, FeedImport, SourceStatus } from './advisory-store.js';

const SCHEMA_VERSION = 3;
const TABLES = ['meta', 'sources', 'advisories', 'affected', 'aliases', 'kev', 'cvss', 'epss'];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  name TEXT PRIMARY KEY, files TEXT NOT NULL, digest TEXT NOT NULL, imported_at TEXT NOT NULL,
  advisories INTEGER NOT NULL, kev INTEGER NOT NULL, epss INTEGER NOT NULL);
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
CREATE TABLE IF NOT EXISTS cvss (cve TEXT NOT NULL, source TEXT NOT NULL, version TEXT NOT NULL, vector TEXT NOT NULL, score REAL NOT NULL);
CREATE INDEX IF NOT EXISTS cvss_by_cve ON cvss (cve);
CREATE INDEX IF NOT EXISTS cvss_by_source ON cvss (source);
CREATE TABLE IF NOT EXISTS epss (cve TEXT NOT NULL, source TEXT NOT NULL, epss REAL NOT NULL, percentile REAL NOT NULL, date TEXT NOT NULL, PRIMARY KEY (cve, source)) WITHOUT ROWID;
`;

type AdvisoryDoc = Omit<Advisory, 'affected'>;

const NONE: AffectedMatch[] = Object.freeze([]) as unknown as AffectedMatch[];

/**
 * The advisory database in one SQLite file (WAL). Imports run in one transaction,
 * so a failed or interrupted import leaves the previous content in place. The set
 * of (namespace, package) keys is held in memory: most installed packages have no
 * advisory, and a Set lookup is what keeps matching a host in milliseconds.
 */
export class SqliteAdvisoryStore implements AdvisoryStore {
  private readonly db: Database.Database;
  private keys: Set<string> | undefined;
  private readonly byPackage: Database.Statement<[string, string], { adoc: string; fdoc: string; source: string; id: string }>;
  private readonly docCache = new Map<string, AdvisoryDoc>();
  // Read-side caches: a fleet's hosts share most packages and CVEs, so each
  // (namespace, package) and each CVE is read from SQLite and parsed once. Cleared
  // by every import.
  private readonly affectedCache = new Map<string, AffectedMatch[]>();
  private readonly cveCache = new Map<string, { kev: KevEntry | undefined; epss: EpssScore | undefined; cvss: CvssScore[] }>();
  private readonly statements = new Map<string, Database.Statement>();

  private stmt<P extends unknown[], R>(sql: string): Database.Statement<P, R> {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st as unknown as Database.Statement<P, R>;
  }

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
        this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
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
    const db = this.db;
    const del = ['advisories', 'affected', 'aliases', 'kev', 'epss', 'cvss'].map((t) => db.prepare(`DELETE FROM ${t} WHERE source = ?`));
    const insAdv = db.prepare('INSERT OR REPLACE INTO advisories (source, id, doc) VALUES (?, ?, ?)');
    const insAff = db.prepare('INSERT INTO affected (source, advisory_id, namespace, package_key, doc) VALUES (?, ?, ?, ?, ?)');
    const insAlias = db.prepare('INSERT INTO aliases (alias, source, advisory_id) VALUES (?, ?, ?)');
    const insCvss = db.prepare('INSERT INTO cvss (cve, source, version, vector, score) VALUES (?, ?, ?, ?, ?)');
    const insKev = db.prepare('INSERT OR REPLACE INTO kev (cve, source, doc) VALUES (?, ?, ?)');
    const insEpss = db.prepare('INSERT OR REPLACE INTO epss (cve, source, epss, percentile, date) VALUES (?, ?, ?, ?, ?)');
    const upSource = db.prepare(
      'INSERT OR REPLACE INTO sources (name, files, digest, imported_at, advisories, kev, epss) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const feed of feeds) {
        for (const d of del) d.run(feed.name);
        for (const adv of feed.advisories) {
          const { affected, ...doc } = adv;
          insAdv.run(feed.name, adv.id, JSON.stringify(doc));
          insAlias.run(adv.id, feed.name, adv.id);
          for (const alias of adv.aliases) insAlias.run(alias, feed.name, adv.id);
          // CVSS is indexed by CVE so a finding from a feed without vectors (Debian's)
          // still gets the vector another feed (Ubuntu's, GHSA) carries for that CVE.
          for (const c of adv.cvss ?? []) for (const cve of [adv.id, ...adv.aliases]) if (cve.startsWith('CVE-')) insCvss.run(cve, feed.name, c.version, c.vector, c.baseScore);
          for (const a of affected) insAff.run(feed.name, adv.id, a.namespace, packageKey(a.namespace, a.package), JSON.stringify(a));
        }
        for (const k of feed.kev ?? []) insKev.run(k.cve, feed.name, JSON.stringify(k));
        for (const e of feed.epss ?? []) insEpss.run(e.cve, feed.name, e.epss, e.percentile, e.date);
        upSource.run(feed.name, JSON.stringify(feed.files), feed.digest, importedAt, feed.advisories.length, feed.kev?.length ?? 0, feed.epss?.length ?? 0);
      }
    })();
    // A feed import is one large transaction; fold it back into the main file so the
    // write-ahead log does not stay the size of the whole database.
    db.pragma('wal_checkpoint(TRUNCATE)');
    this.keys = undefined;
    this.docCache.clear();
    this.affectedCache.clear();
    this.cveCache.clear();
  }

  sources(): SourceStatus[] {
    return this.db
      .prepare<[], { name: string; files: string; digest: string; imported_at: string; advisories: number; kev: number; epss: number }>(
        'SELECT * FROM sources ORDER BY name',
      )
      .all()
      .map((r) => ({ name: r.name, files: JSON.parse(r.files) as string[], digest: r.digest, importedAt: r.imported_at, advisories: r.advisories, kev: r.kev, epss: r.epss }));
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

  private cveFacts(cve: string): { kev: KevEntry | undefined; epss: EpssScore | undefined; cvss: CvssScore[] } {
    let facts = this.cveCache.get(cve);
    if (facts) return facts;
    const k = this.stmt<[string], { doc: string }>('SELECT doc FROM kev WHERE cve = ? ORDER BY source LIMIT 1').get(cve);
    const e = this.stmt<[string], { cve: string; epss: number; percentile: number; date: string }>(
      'SELECT cve, epss, percentile, date FROM epss WHERE cve = ? ORDER BY date DESC LIMIT 1',
    ).get(cve);
    const c = this.stmt<[string], { version: string; vector: string; score: number }>(
      'SELECT DISTINCT version, vector, score FROM cvss WHERE cve = ? ORDER BY version DESC, score DESC, vector',
    ).all(cve);
    facts = {
      kev: k ? (JSON.parse(k.doc) as KevEntry) : undefined,
      epss: e ? { cve: e.cve, epss: e.epss, percentile: e.percentile, date: e.date } : undefined,
      cvss: c.map((r) => ({ version: r.version as CvssScore['version'], vector: r.vector, baseScore: r.score })),
    };
    this.cveCache.set(cve, facts);
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

  cvss(cve: string): CvssScore[] {
    return this.cveFacts(cve).cvss;
  }

  epss(cve: string): EpssScore | undefined {
    return this.cveFacts(cve).epss;
  }

  close(): void {
    this.db.close();
  }
}
