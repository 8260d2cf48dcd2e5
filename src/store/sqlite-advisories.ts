import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Advisory, AffectedPackage, CvssScore, EpssScore, KevEntry, Severity, VulnerabilityState } from '../advisories/model.js';
import { packageKey } from '../advisories/keys.js';
import { VigilError } from '../common/errors.js';
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

/**
 * A record's ratings, CVSS and state are indexed under its id and every alias, so a
 * rating on any record of a vulnerability (CVE ↔ GHSA ↔ DSA/DLA/USN/ALSA) counts for all.
 */
function idsOf(adv: Advisory): string[] {
  return adv.aliases.length === 0 ? [adv.id] : [adv.id, ...adv.aliases.filter((a) => a !== adv.id)];
}

/** The later of two ISO-like dates (string order works for ISO 8601 of one shape; Date.parse settles the rest). */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!b || Number.isNaN(Date.parse(b))) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

const NONE: AffectedMatch[] = Object.freeze([]) as unknown as AffectedMatch[];

/**
 * A multiset difference: rows of the old content counted in, rows of the new one
 * counted out. The keys left are rows one side has more often than the other.
 */
class Tally {
  private readonly counts = new Map<string, number>();

  in(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  out(key: string): void {
    const n = (this.counts.get(key) ?? 0) - 1;
    if (n === 0) this.counts.delete(key);
    else this.counts.set(key, n);
  }

  differing(): IterableIterator<string> {
    return this.counts.keys();
  }
}

/** Affected rows by advisory id, as flat (namespace, package_key, doc) triples in the order they were written. */
type AffectedRows = Map<string, string[]>;

function addRow(rows: AffectedRows, advisory: string, namespace: string, key: string, doc: string): void {
  const r = rows.get(advisory);
  if (r) r.push(namespace, key, doc);
  else rows.set(advisory, [namespace, key, doc]);
}

/**
 * Add to `out` the packages (`namespace NUL package_key`) whose multiset of
 * (advisory, entry) differs between the old and new rows. Most advisories keep the
 * same rows in the same order, which one pass over both tells; only the others are
 * counted entry by entry.
 */
function differingPackages(old: AffectedRows, next: AffectedRows, out: Set<string>): void {
  const diff = (a: string[], b: string[]): void => {
    if (a.length === b.length && a.every((v, i) => v === b[i])) return;
    const tally = new Tally();
    for (let i = 0; i < a.length; i += 3) tally.in(`${a[i]}\u0000${a[i + 1]}\u0000${a[i + 2]}`);
    for (let i = 0; i < b.length; i += 3) tally.out(`${b[i]}\u0000${b[i + 1]}\u0000${b[i + 2]}`);
    for (const k of tally.differing()) out.add(prefix(k, 2));
  };
  for (const [id, rows] of old) diff(rows, next.get(id) ?? []);
  for (const [id, rows] of next) if (!old.has(id)) diff([], rows);
}

/** `key` up to its `n`th NUL separator. */
function prefix(key: string, n: number): string {
  let i = -1;
  for (let k = 0; k < n; k++) i = key.indexOf('\u0000', i + 1);
  return key.slice(0, i);
}

/** What one import changed so far, over its feeds. */
class ImportChanges {
  /** `namespace NUL package_key`. */
  readonly packages = new Set<string>();
  /** Undefined once more than MAX_CHANGED_CVES changed. */
  cves: Set<string> | undefined = new Set();

  cve(cve: string): void {
    if (!this.cves) return;
    this.cves.add(cve);
    if (this.cves.size > MAX_CHANGED_CVES) this.cves = undefined;
  }
}

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
    const db = this.db;
    const pin = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(BUNDLE_PIN_META);
    if (pin) throw new VigilError('CONFLICT', `${this.file} takes advisories only from bundles signed by key ${pin.value} (vigil server --advisory-bundle-key); import one with vigil db import --verify PUBKEY BUNDLE`);
    const del = ['advisories', 'affected', 'aliases', 'cvss', 'ratings', 'states'].map((t) => db.prepare(`DELETE FROM ${t} WHERE source = ?`));
    const insAdv = db.prepare('INSERT OR REPLACE INTO advisories (source, id, doc) VALUES (?, ?, ?)');
    const insAff = db.prepare('INSERT INTO affected (source, advisory_id, namespace, package_key, doc) VALUES (?, ?, ?, ?, ?)');
    const insAlias = db.prepare('INSERT INTO aliases (alias, source, advisory_id) VALUES (?, ?, ?)');
    const insCvss = db.prepare('INSERT INTO cvss (cve, source, version, vector, score, publisher) VALUES (?, ?, ?, ?, ?, ?)');
    const insRating = db.prepare('INSERT INTO ratings (id, source, vendor, namespace, severity, raw, record) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insState = db.prepare('INSERT INTO states (id, source, state, record) VALUES (?, ?, ?, ?)');
    // KEV and EPSS rows are keyed (cve, source) and updated in place: a row that
    // stays the same is not written, and the statement's change count tells which
    // CVEs changed without reading the old rows back (EPSS has hundreds of
    // thousands). Within a feed the last value for a CVE wins.
    const upKev = db.prepare(
      'INSERT INTO kev (cve, source, doc) VALUES (?, ?, ?) ON CONFLICT (cve, source) DO UPDATE SET doc = excluded.doc WHERE doc IS NOT excluded.doc',
    );
    const upEpss = db.prepare(
      `INSERT INTO epss (cve, source, epss, percentile, date) VALUES (?, ?, ?, ?, ?) ON CONFLICT (cve, source) DO UPDATE
       SET epss = excluded.epss, percentile = excluded.percentile, date = excluded.date
       WHERE epss IS NOT excluded.epss OR percentile IS NOT excluded.percentile OR date IS NOT excluded.date`,
    );
    const upSource = db.prepare(
      `INSERT OR REPLACE INTO sources (name, files, digest, imported_at, advisories, kev, epss, origin, location, newest_published, newest_modified, namespaces)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insChange = db.prepare('INSERT INTO changes (imported_at, sources, packages, cves) VALUES (?, ?, ?, ?)');
    const trimChanges = db.prepare('DELETE FROM changes WHERE id <= ?');
    db.transaction(() => {
      const changes = new ImportChanges();
      for (const feed of feeds) {
        const advisories = feed.advisories;
        const docs = advisories.map(({ affected: _, ...doc }) => JSON.stringify(doc));
        // Diff against the rows this feed replaces, read before they go. A feed
        // imported for the first time changes every package and CVE it names.
        const prev = this.stmt<[string], { advisories: number; kev: number; epss: number }>('SELECT advisories, kev, epss FROM sources WHERE name = ?').get(feed.name);
        const trackCves = changes.cves !== undefined;
        let changedAdvisories: Set<string> | undefined;
        let oldRows: AffectedRows | undefined;
        let newRows: AffectedRows | undefined;
        let cvss: Tally | undefined;
        if (prev && prev.advisories > 0) {
          // An advisory whose document changed (or that came or went) changes every
          // package it names, before and after; the packages of the others compare on
          // their (advisory, entry) rows, held for the feed being imported only.
          const fresh = new Map<string, string>();
          advisories.forEach((a, i) => fresh.set(a.id, docs[i]!));
          changedAdvisories = new Set();
          for (const r of this.stmt<[string], { id: string; doc: string }>('SELECT id, doc FROM advisories WHERE source = ?').iterate(feed.name)) {
            if (fresh.get(r.id) !== r.doc) changedAdvisories.add(r.id);
            fresh.delete(r.id);
          }
          for (const id of fresh.keys()) changedAdvisories.add(id);
          oldRows = new Map();
          newRows = new Map();
          for (const r of this.stmt<[string], { advisory_id: string; namespace: string; package_key: string; doc: string }>(
            'SELECT advisory_id, namespace, package_key, doc FROM affected WHERE source = ? ORDER BY rowid',
          ).iterate(feed.name)) {
            if (changedAdvisories.has(r.advisory_id)) changes.packages.add(`${r.namespace}\u0000${r.package_key}`);
            else addRow(oldRows, r.advisory_id, r.namespace, r.package_key, r.doc);
          }
          if (trackCves) {
            cvss = new Tally();
            for (const r of this.stmt<[string], { cve: string; version: string; vector: string; score: number; publisher: string | null }>(
              'SELECT cve, version, vector, score, publisher FROM cvss WHERE source = ?',
            ).iterate(feed.name)) {
              cvss.in(`${r.cve}\u0000c\u0000${r.version}\u0000${r.vector}\u0000${r.score}\u0000${r.publisher ?? ''}`);
            }
            for (const r of this.stmt<[string], { id: string; vendor: string; namespace: string | null; severity: string; raw: string; record: string }>(
              'SELECT id, vendor, namespace, severity, raw, record FROM ratings WHERE source = ?',
            ).iterate(feed.name)) {
              cvss.in(`${r.id}\u0000r\u0000${r.vendor}\u0000${r.namespace ?? ''}\u0000${r.severity}\u0000${r.raw}\u0000${r.record}`);
            }
            for (const r of this.stmt<[string], { id: string; state: string; record: string }>('SELECT id, state, record FROM states WHERE source = ?').iterate(feed.name)) {
              cvss.in(`${r.id}\u0000s\u0000${r.state}\u0000${r.record}`);
            }
          }
        }
        for (const d of del) d.run(feed.name);
        let newestPublished: string | undefined;
        let newestModified: string | undefined;
        const namespaces = new Set<string>();
        advisories.forEach((adv, i) => {
          insAdv.run(feed.name, adv.id, docs[i]!);
          insAlias.run(adv.id, feed.name, adv.id);
          for (const alias of adv.aliases) insAlias.run(alias, feed.name, adv.id);
          // CVSS, ratings and states are indexed by every id of the record so a finding
          // from a feed without them (Debian's) still gets what another feed (NVD,
          // Ubuntu's, GHSA) carries for the same vulnerability.
          const ids = adv.cvss || adv.ratings || adv.state ? idsOf(adv) : [];
          const enriched = (key: string, id: string): void => {
            if (cvss) cvss.out(key);
            else if (trackCves) changes.cve(id);
          };
          for (const c of adv.cvss ?? []) {
            for (const id of ids) {
              insCvss.run(id, feed.name, c.version, c.vector, c.baseScore, c.source ?? null);
              enriched(`${id}\u0000c\u0000${c.version}\u0000${c.vector}\u0000${c.baseScore}\u0000${c.source ?? ''}`, id);
            }
          }
          for (const r of adv.ratings ?? []) {
            for (const id of r.wholeRecord ? [adv.id] : ids) {
              insRating.run(id, feed.name, r.vendor, r.namespace ?? null, r.severity, r.raw, r.record);
              enriched(`${id}\u0000r\u0000${r.vendor}\u0000${r.namespace ?? ''}\u0000${r.severity}\u0000${r.raw}\u0000${r.record}`, id);
            }
          }
          if (adv.state) {
            for (const id of ids) {
              insState.run(id, feed.name, adv.state, adv.id);
              enriched(`${id}\u0000s\u0000${adv.state}\u0000${adv.id}`, id);
            }
          }
          newestPublished = later(newestPublished, adv.published);
          newestModified = later(newestModified, adv.modified ?? adv.published);
          const changedDoc = changedAdvisories === undefined || changedAdvisories.has(adv.id);
          for (const a of adv.affected) {
            const key = packageKey(a.namespace, a.package);
            const doc = JSON.stringify(a);
            namespaces.add(a.namespace);
            insAff.run(feed.name, adv.id, a.namespace, key, doc);
            if (changedDoc) changes.packages.add(`${a.namespace}\u0000${key}`);
            else addRow(newRows!, adv.id, a.namespace, key, doc);
          }
        });
        const kev = prev && prev.kev > 0 ? new Set<string>() : undefined;
        for (const k of feed.kev ?? []) {
          if (upKev.run(k.cve, feed.name, JSON.stringify(k)).changes > 0) changes.cve(k.cve);
          newestPublished = later(newestPublished, k.dateAdded);
          kev?.add(k.cve);
        }
        if (kev) this.dropStale('kev', feed.name, kev, changes);
        const epss = prev && prev.epss > 0 ? new Set<string>() : undefined;
        for (const e of feed.epss ?? []) {
          if (upEpss.run(e.cve, feed.name, e.epss, e.percentile, e.date).changes > 0) changes.cve(e.cve);
          newestPublished = later(newestPublished, e.date);
          epss?.add(e.cve);
        }
        if (epss) this.dropStale('epss', feed.name, epss, changes);
        upSource.run(
          feed.name,
          JSON.stringify(feed.files),
          feed.digest,
          importedAt,
          advisories.length,
          feed.kev?.length ?? 0,
          feed.epss?.length ?? 0,
          feed.origin ?? 'file',
          feed.location ?? null,
          newestPublished ?? null,
          later(newestModified, newestPublished) ?? null,
          JSON.stringify([...namespaces].sort()),
        );

        if (oldRows && newRows) differingPackages(oldRows, newRows, changes.packages);
        if (cvss) for (const k of cvss.differing()) changes.cve(prefix(k, 1));
      }
      const packages = [...changes.packages].sort().map((k) => k.split('\u0000'));
      const cves = changes.cves ? JSON.stringify([...changes.cves].sort()) : null;
      const id = Number(insChange.run(importedAt, JSON.stringify([...new Set(feeds.map((f) => f.name))]), JSON.stringify(packages), cves).lastInsertRowid);
      trimChanges.run(id - KEEP_CHANGES);
    })();
    // A feed import is one large transaction; fold it back into the main file so the
    // write-ahead log does not stay the size of the whole database.
    db.pragma('wal_checkpoint(TRUNCATE)');
    this.refresh();
  }

  /** Delete the rows of `source` in a (cve, source) table whose CVE the feed no longer has. */
  private dropStale(table: 'kev' | 'epss', source: string, kept: Set<string>, changes: ImportChanges): void {
    if (this.stmt<[string], { n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE source = ?`).get(source)!.n === kept.size) return;
    const gone = this.stmt<[string], { cve: string }>(`SELECT cve FROM ${table} WHERE source = ?`)
      .all(source)
      .filter((r) => !kept.has(r.cve));
    const del = this.stmt<[string, string], unknown>(`DELETE FROM ${table} WHERE cve = ? AND source = ?`);
    for (const r of gone) {
      del.run(r.cve, source);
      changes.cve(r.cve);
    }
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
