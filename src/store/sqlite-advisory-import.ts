import type Database from 'better-sqlite3';
import type { Advisory } from '../advisories/model.js';
import { packageKey } from '../advisories/keys.js';
import { VigilError } from '../common/errors.js';
import type { FeedImport } from './advisory-store.js';

/**
 * Replacing feeds in the advisory database, in one transaction: the rows of each feed,
 * its CVSS, ratings and states under every id of a record, KEV and EPSS updated in
 * place, the feed's status, and one row of what changed (packages and CVEs) for the
 * servers that re-match on it. See SqliteAdvisoryStore.importFeeds.
 */

/** Prepared statements, cached by the store. */
export type Stmt = <P extends unknown[], R>(sql: string) => Database.Statement<P, R>;

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
  /** Undefined once more than `max` changed. */
  cves: Set<string> | undefined = new Set();

  constructor(private readonly max: number) {}

  cve(cve: string): void {
    if (!this.cves) return;
    this.cves.add(cve);
    if (this.cves.size > this.max) this.cves = undefined;
  }
}

/** The store's settings an import applies. */
export interface ImportConstants {
  /** `meta` key of the bundle pin: a pinned database refuses feed imports. */
  pinKey: string;
  /** Imports the change log keeps. */
  keepChanges: number;
  /** Past this many CVEs with changed KEV, EPSS or CVSS, a change records "every CVE". */
  maxChangedCves: number;
}

/** Replaces every named feed with its new content, all or nothing. */
export function importFeedsInto(db: Database.Database, file: string, stmt: Stmt, feeds: FeedImport[], importedAt: string, consts: ImportConstants): void {
  const pin = stmt<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(consts.pinKey);
  if (pin) throw new VigilError('CONFLICT', `${file} takes advisories only from bundles signed by key ${pin.value} (vigil server --advisory-bundle-key); import one with vigil db import --verify PUBKEY BUNDLE`);
  db.transaction(() => {
    const changes = new ImportChanges(consts.maxChangedCves);
    for (const feed of feeds) importFeed(stmt, feed, importedAt, changes);
    recordChange(stmt, feeds, importedAt, changes, consts.keepChanges);
  })();
  // A feed import is one large transaction; fold it back into the main file so the
  // write-ahead log does not stay the size of the whole database.
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** One feed's rows replaced, and what that changed added to `changes`. */
function importFeed(stmt: Stmt, feed: FeedImport, importedAt: string, changes: ImportChanges): void {
  const docs = feed.advisories.map(({ affected: _, ...doc }) => JSON.stringify(doc));
  const prev = stmt<[string], { advisories: number; kev: number; epss: number }>('SELECT advisories, kev, epss FROM sources WHERE name = ?').get(feed.name);
  // Read before the rows go. A feed imported for the first time changes every package and CVE it names.
  const before = prev && prev.advisories > 0 ? previousRows(stmt, feed, docs, changes) : undefined;
  for (const t of ['advisories', 'affected', 'aliases', 'cvss', 'ratings', 'states']) stmt<[string], unknown>(`DELETE FROM ${t} WHERE source = ?`).run(feed.name);
  const written = writeAdvisories(stmt, feed, docs, before, changes);
  const newest = upsertScores(stmt, feed, prev, changes);
  writeSource(stmt, feed, importedAt, {
    published: later(written.newestPublished, newest),
    modified: written.newestModified,
    namespaces: written.namespaces,
  });
  if (before) {
    differingPackages(before.rows, written.rows, changes.packages);
    if (before.enrichment) for (const k of before.enrichment.differing()) changes.cve(prefix(k, 1));
  }
}

/** What a feed's previous import left, read with one query per table. */
interface PreviousRows {
  /** Advisories whose document changed, came or went: every package they name, before and after, changed. */
  changedAdvisories: Set<string>;
  /** The affected rows of the other advisories, to compare entry by entry. */
  rows: AffectedRows;
  /** The CVSS, rating and state rows, counted in (`writeAdvisories` counts the new ones out); undefined when CVEs are no longer tracked. */
  enrichment: Tally | undefined;
}

function previousRows(stmt: Stmt, feed: FeedImport, docs: string[], changes: ImportChanges): PreviousRows {
  const fresh = new Map<string, string>();
  feed.advisories.forEach((a, i) => fresh.set(a.id, docs[i]!));
  const changedAdvisories = new Set<string>();
  for (const r of stmt<[string], { id: string; doc: string }>('SELECT id, doc FROM advisories WHERE source = ?').iterate(feed.name)) {
    if (fresh.get(r.id) !== r.doc) changedAdvisories.add(r.id);
    fresh.delete(r.id);
  }
  for (const id of fresh.keys()) changedAdvisories.add(id);
  const rows: AffectedRows = new Map();
  for (const r of stmt<[string], { advisory_id: string; namespace: string; package_key: string; doc: string }>(
    'SELECT advisory_id, namespace, package_key, doc FROM affected WHERE source = ? ORDER BY rowid',
  ).iterate(feed.name)) {
    if (changedAdvisories.has(r.advisory_id)) changes.packages.add(`${r.namespace}\u0000${r.package_key}`);
    else addRow(rows, r.advisory_id, r.namespace, r.package_key, r.doc);
  }
  if (changes.cves === undefined) return { changedAdvisories, rows, enrichment: undefined };
  const enrichment = new Tally();
  for (const r of stmt<[string], { cve: string; version: string; vector: string; score: number; publisher: string | null }>(
    'SELECT cve, version, vector, score, publisher FROM cvss WHERE source = ?',
  ).iterate(feed.name)) {
    enrichment.in(`${r.cve}\u0000c\u0000${r.version}\u0000${r.vector}\u0000${r.score}\u0000${r.publisher ?? ''}`);
  }
  for (const r of stmt<[string], { id: string; vendor: string; namespace: string | null; severity: string; raw: string; record: string }>(
    'SELECT id, vendor, namespace, severity, raw, record FROM ratings WHERE source = ?',
  ).iterate(feed.name)) {
    enrichment.in(`${r.id}\u0000r\u0000${r.vendor}\u0000${r.namespace ?? ''}\u0000${r.severity}\u0000${r.raw}\u0000${r.record}`);
  }
  for (const r of stmt<[string], { id: string; state: string; record: string }>('SELECT id, state, record FROM states WHERE source = ?').iterate(feed.name)) {
    enrichment.in(`${r.id}\u0000s\u0000${r.state}\u0000${r.record}`);
  }
  return { changedAdvisories, rows, enrichment };
}

/**
 * Writes the feed's advisories, aliases, CVSS, ratings, states and affected rows.
 * Returns the affected rows of the advisories whose document did not change (to
 * compare with `before`), the newest dates and the namespaces named.
 */
function writeAdvisories(
  stmt: Stmt,
  feed: FeedImport,
  docs: string[],
  before: PreviousRows | undefined,
  changes: ImportChanges,
): { rows: AffectedRows; newestPublished: string | undefined; newestModified: string | undefined; namespaces: Set<string> } {
  const insAdv = stmt<[string, string, string], unknown>('INSERT OR REPLACE INTO advisories (source, id, doc) VALUES (?, ?, ?)');
  const insAff = stmt<[string, string, string, string, string], unknown>('INSERT INTO affected (source, advisory_id, namespace, package_key, doc) VALUES (?, ?, ?, ?, ?)');
  const insAlias = stmt<[string, string, string], unknown>('INSERT INTO aliases (alias, source, advisory_id) VALUES (?, ?, ?)');
  const insCvss = stmt<[string, string, string, string, number, string | null], unknown>('INSERT INTO cvss (cve, source, version, vector, score, publisher) VALUES (?, ?, ?, ?, ?, ?)');
  const insRating = stmt<[string, string, string, string | null, string, string, string], unknown>(
    'INSERT INTO ratings (id, source, vendor, namespace, severity, raw, record) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insState = stmt<[string, string, string, string], unknown>('INSERT INTO states (id, source, state, record) VALUES (?, ?, ?, ?)');
  const rows: AffectedRows = new Map();
  const namespaces = new Set<string>();
  let newestPublished: string | undefined;
  let newestModified: string | undefined;
  const trackCves = changes.cves !== undefined;
  const enrichment = before?.enrichment;
  const enriched = (key: string, id: string): void => {
    if (enrichment) enrichment.out(key);
    else if (trackCves) changes.cve(id);
  };
  feed.advisories.forEach((adv, i) => {
    insAdv.run(feed.name, adv.id, docs[i]!);
    insAlias.run(adv.id, feed.name, adv.id);
    for (const alias of adv.aliases) insAlias.run(alias, feed.name, adv.id);
    // CVSS, ratings and states are indexed by every id of the record so a finding
    // from a feed without them (Debian's) still gets what another feed (NVD,
    // Ubuntu's, GHSA) carries for the same vulnerability.
    const ids = adv.cvss || adv.ratings || adv.state ? idsOf(adv) : [];
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
    const changedDoc = before === undefined || before.changedAdvisories.has(adv.id);
    for (const a of adv.affected) {
      const key = packageKey(a.namespace, a.package);
      const doc = JSON.stringify(a);
      namespaces.add(a.namespace);
      insAff.run(feed.name, adv.id, a.namespace, key, doc);
      if (changedDoc) changes.packages.add(`${a.namespace}\u0000${key}`);
      else addRow(rows, adv.id, a.namespace, key, doc);
    }
  });
  return { rows, newestPublished, newestModified, namespaces };
}

/**
 * KEV and EPSS rows are keyed (cve, source) and updated in place: a row that stays
 * the same is not written, and the statement's change count tells which CVEs changed
 * without reading the old rows back (EPSS has hundreds of thousands). Within a feed
 * the last value for a CVE wins. Returns the newest KEV or EPSS date.
 */
function upsertScores(stmt: Stmt, feed: FeedImport, prev: { kev: number; epss: number } | undefined, changes: ImportChanges): string | undefined {
  const upKev = stmt<[string, string, string], unknown>(
    'INSERT INTO kev (cve, source, doc) VALUES (?, ?, ?) ON CONFLICT (cve, source) DO UPDATE SET doc = excluded.doc WHERE doc IS NOT excluded.doc',
  );
  const upEpss = stmt<[string, string, number, number, string], unknown>(
    `INSERT INTO epss (cve, source, epss, percentile, date) VALUES (?, ?, ?, ?, ?) ON CONFLICT (cve, source) DO UPDATE
     SET epss = excluded.epss, percentile = excluded.percentile, date = excluded.date
     WHERE epss IS NOT excluded.epss OR percentile IS NOT excluded.percentile OR date IS NOT excluded.date`,
  );
  let newest: string | undefined;
  const kev = prev && prev.kev > 0 ? new Set<string>() : undefined;
  for (const k of feed.kev ?? []) {
    if (upKev.run(k.cve, feed.name, JSON.stringify(k)).changes > 0) changes.cve(k.cve);
    newest = later(newest, k.dateAdded);
    kev?.add(k.cve);
  }
  if (kev) dropStale(stmt, 'kev', feed.name, kev, changes);
  const epss = prev && prev.epss > 0 ? new Set<string>() : undefined;
  for (const e of feed.epss ?? []) {
    if (upEpss.run(e.cve, feed.name, e.epss, e.percentile, e.date).changes > 0) changes.cve(e.cve);
    newest = later(newest, e.date);
    epss?.add(e.cve);
  }
  if (epss) dropStale(stmt, 'epss', feed.name, epss, changes);
  return newest;
}

/** The feed's row in `sources`: what `vigil db status` and the freshness checks read. */
function writeSource(stmt: Stmt, feed: FeedImport, importedAt: string, newest: { published: string | undefined; modified: string | undefined; namespaces: Set<string> }): void {
  stmt<unknown[], unknown>(
    `INSERT OR REPLACE INTO sources (name, files, digest, imported_at, advisories, kev, epss, origin, location, newest_published, newest_modified, namespaces)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    feed.name,
    JSON.stringify(feed.files),
    feed.digest,
    importedAt,
    feed.advisories.length,
    feed.kev?.length ?? 0,
    feed.epss?.length ?? 0,
    feed.origin ?? 'file',
    feed.location ?? null,
    newest.published ?? null,
    later(newest.modified, newest.published) ?? null,
    JSON.stringify([...newest.namespaces].sort()),
  );
}

/** One row of the change log for the whole import, keeping the latest `keep`. */
function recordChange(stmt: Stmt, feeds: FeedImport[], importedAt: string, changes: ImportChanges, keep: number): void {
  const packages = [...changes.packages].sort().map((k) => k.split('\u0000'));
  const cves = changes.cves ? JSON.stringify([...changes.cves].sort()) : null;
  const id = Number(
    stmt<[string, string, string, string | null], unknown>('INSERT INTO changes (imported_at, sources, packages, cves) VALUES (?, ?, ?, ?)').run(
      importedAt,
      JSON.stringify([...new Set(feeds.map((f) => f.name))]),
      JSON.stringify(packages),
      cves,
    ).lastInsertRowid,
  );
  stmt<[number], unknown>('DELETE FROM changes WHERE id <= ?').run(id - keep);
}

/** Delete the rows of `source` in a (cve, source) table whose CVE the feed no longer has: one read of its CVEs, only when the count differs. */
function dropStale(stmt: Stmt, table: 'kev' | 'epss', source: string, kept: Set<string>, changes: ImportChanges): void {
  if (stmt<[string], { n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE source = ?`).get(source)!.n === kept.size) return;
  const gone = stmt<[string], { cve: string }>(`SELECT cve FROM ${table} WHERE source = ?`)
    .all(source)
    .filter((r) => !kept.has(r.cve));
  const del = stmt<[string, string], unknown>(`DELETE FROM ${table} WHERE cve = ? AND source = ?`);
  for (const r of gone) {
    del.run(r.cve, source);
    changes.cve(r.cve);
  }
}
