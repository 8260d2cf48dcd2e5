import Database from 'better-sqlite3';
import { randomBytes, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { commitTempFile } from '../common/atomic-write.js';
import { VigilError } from '../common/errors.js';
import { canonicalBytes, keyId, signEnvelope } from '../common/signing.js';
import { BUNDLE_PIN_META, SCHEMA_VERSION, SqliteAdvisoryStore } from './sqlite-advisories.js';
import {
  bad,
  BUNDLE_FORMAT,
  BUNDLE_MAGIC,
  BUNDLE_META,
  checkBundleOutput,
  counts,
  extract,
  feedOf,
  isoOrUndefined,
  KEEP_CHANGES,
  LOCAL_TABLES,
  MANIFEST_TYPE,
  openBundle,
  sha256File,
  Tap,
  type BundleFeed,
  type BundleManifest,
  type Opened,
} from './advisory-bundle-format.js';

/**
 * Signed offline advisory bundles: the whole advisory database of one Vigil, carried
 * to air-gapped ones as a single file.
 *
 * File layout (all of it covered by the signature, directly or by digest):
 *
 *     VIGIL-ADVISORY-BUNDLE 1\n      magic line: format 1
 *     <N>\n                          byte length of the envelope, decimal, no leading zeros
 *     <N bytes>                      DSSE envelope (JSON) of the manifest, Ed25519
 *     <payload>                      gzip of an SQLite snapshot of the database, to the end of the file
 *
 * The manifest (canonical JSON, payload type MANIFEST_TYPE) names the payload's
 * SHA-256 and size, the uncompressed database's SHA-256 and size, the schema version,
 * every feed with its counts, newest dates and digest, the record counts, and when
 * the bundle was made and stops being accepted.
 */
/** A work directory beside `near` (same file system, so nothing large crosses devices), removed by `done`. */
async function workDir(near: string): Promise<{ dir: string; done: () => Promise<void> }> {
  await mkdir(near, { recursive: true });
  const dir = await mkdtemp(path.join(near, '.vigil-bundle-'));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

// ---- the file ----

export interface BundleOptions {
  /** The advisory database file to bundle. */
  db: string;
  /** The bundle file to write. */
  out: string;
  key: KeyObject;
  createdAt?: Date;
  expiresAt: Date;
  /** gzip level, default 6. */
  level?: number;
}

export interface BundleResult {
  file: string;
  keyid: string;
  manifest: BundleManifest;
  bytes: number;
}

/**
 * Writes a signed bundle of the database. The snapshot is `VACUUM INTO` a temporary
 * file (one read transaction: consistent while imports run, and never the live WAL
 * file's bytes), with this database's own change log and settings left out; it is
 * gzip'd, described, signed and written beside `out`, then renamed into place.
 */
export async function writeAdvisoryBundle(opts: BundleOptions): Promise<BundleResult> {
  if (!existsSync(opts.db)) throw new VigilError('NOT_FOUND', `no advisory database at ${opts.db}`);
  const createdAt = opts.createdAt ?? new Date();
  if (!(opts.expiresAt.getTime() > createdAt.getTime())) throw new VigilError('USAGE', 'a bundle must expire after it is created');
  await checkBundleOutput(opts.out);
  const work = await workDir(path.dirname(path.resolve(opts.out)));
  try {
    const snapshot = path.join(work.dir, 'advisories.db');
    let src: Database.Database;
    try {
      src = new Database(opts.db, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw new VigilError('IO', `cannot open advisory database ${opts.db}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const schema = src.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
      if (schema?.value !== String(SCHEMA_VERSION)) throw new VigilError('INVALID_INPUT', `${opts.db} is not a Vigil advisory database of schema ${SCHEMA_VERSION}`);
      src.prepare('VACUUM INTO ?').run(snapshot);
    } catch (err) {
      if (err instanceof VigilError) throw err;
      throw new VigilError('INVALID_INPUT', `${opts.db} is not a Vigil advisory database: ${(err as Error).message}`, { cause: err });
    } finally {
      src.close();
    }

    const snap = new Database(snapshot);
    let feeds: BundleFeed[];
    let records: BundleManifest['records'];
    try {
      // The receiving database keeps its own change log and settings; a rollback
      // journal (not WAL) makes the file whole by itself.
      snap.pragma('journal_mode = DELETE');
      snap.exec("DELETE FROM changes; DELETE FROM meta WHERE key <> 'schema'; DELETE FROM sqlite_sequence;");
      snap.exec('VACUUM');
      records = counts(snap);
    } finally {
      snap.close();
    }
    const store = new SqliteAdvisoryStore(snapshot, { readonly: true });
    try {
      feeds = store.sources().map(feedOf);
    } finally {
      store.close();
    }
    if (feeds.length === 0) throw new VigilError('CONFLICT', `${opts.db} holds no advisory feeds; import some before bundling it`);
    const database = await sha256File(snapshot);

    const gz = path.join(work.dir, 'payload.gz');
    const tap = new Tap();
    await pipeline(createReadStream(snapshot, { highWaterMark: 1024 * 1024 }), createGzip({ level: opts.level ?? 6, chunkSize: 256 * 1024 }), tap, createWriteStream(gz));
    const payload = { sha256: tap.digest(), size: tap.bytes };

    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      createdAt: createdAt.toISOString(),
      expiresAt: opts.expiresAt.toISOString(),
      schema: SCHEMA_VERSION,
      feeds,
      records,
      payload,
      database,
    };
    const envelope = Buffer.from(JSON.stringify(signEnvelope(MANIFEST_TYPE, canonicalBytes(manifest), opts.key)));
    const head = Buffer.concat([Buffer.from(BUNDLE_MAGIC, 'latin1'), Buffer.from(`${envelope.length}\n`, 'latin1'), envelope]);

    // Beside the destination, so the rename is atomic; fsynced before it.
    const out = path.resolve(opts.out);
    const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await pipeline(
        async function* () {
          yield head;
          yield* createReadStream(gz, { highWaterMark: 1024 * 1024 });
        },
        createWriteStream(tmp, { flags: 'wx', mode: 0o644 }),
      );
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await checkBundleOutput(out);
      await commitTempFile(tmp, out);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      if (err instanceof VigilError) throw err;
      throw new VigilError('IO', `cannot write ${out}: ${(err as Error).message}`, { cause: err });
    }
    return { file: out, keyid: keyId(opts.key), manifest, bytes: head.length + payload.size };
  } finally {
    await work.done();
  }
}

// ---- reading and verifying ----

/** What the receiving database says about where its content came from. */
interface CurrentState {
  schema: string | undefined;
  meta: Map<string, string>;
  newestModified: Map<string, string | null>;
}

function currentState(db: Database.Database): CurrentState {
  const meta = new Map(db.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta').all().map((r) => [r.key, r.value]));
  const schema = meta.get('schema');
  const newestModified = new Map<string, string | null>();
  // A database of another schema is rebuilt on open: nothing in it is kept or compared.
  if (schema !== String(SCHEMA_VERSION)) return { schema, meta: new Map(), newestModified };
  for (const r of db.prepare<[], { name: string; newest_modified: string | null }>('SELECT name, newest_modified FROM sources').all()) newestModified.set(r.name, r.newest_modified);
  return { schema, meta, newestModified };
}

function readCurrent(dbFile: string): CurrentState | undefined {
  if (!existsSync(dbFile)) return undefined;
  let db: Database.Database;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new VigilError('IO', `cannot open advisory database ${dbFile}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return currentState(db);
  } catch (err) {
    throw new VigilError('INVALID_INPUT', `${dbFile} is not a Vigil advisory database: ${(err as Error).message}`, { cause: err });
  } finally {
    db.close();
  }
}

/** Expiry, pin and rollback: CONFLICTs of an intact bundle the receiving database may not take. */
function checkPolicy(file: string, opened: Opened, now: Date, current: CurrentState | undefined): void {
  const m = opened.manifest;
  if (Date.parse(m.expiresAt) < now.getTime()) throw new VigilError('CONFLICT', `${file}: expired at ${m.expiresAt} (created ${m.createdAt}); build a new bundle`);
  if (!current) return;
  const pin = current.meta.get(BUNDLE_PIN_META);
  if (pin !== undefined && pin !== opened.keyid)
    throw new VigilError('CONFLICT', `${file}: the database is pinned to bundle key ${pin} (vigil server --advisory-bundle-key), not ${opened.keyid}`);
  const last = current.meta.get(BUNDLE_META.createdAt);
  if (last !== undefined && !(Date.parse(m.createdAt) > Date.parse(last)))
    throw new VigilError('CONFLICT', `${file}: rollback refused: created ${m.createdAt}, not after the bundle the database holds (created ${last})`);
  for (const f of m.feeds) {
    const have = isoOrUndefined(current.newestModified.get(f.name) ?? undefined);
    const got = isoOrUndefined(f.newestModified);
    if (have !== undefined && (got === undefined || got < have))
      throw new VigilError('CONFLICT', `${file}: rollback refused: feed ${f.name} is older (newest record ${f.newestModified ?? 'none'}) than the database's (${current.newestModified.get(f.name)})`);
  }
}

export interface ImportBundleOptions {
  /** The advisory database file to replace the content of. */
  db: string;
  bundle: string;
  publicKey: KeyObject;
  now?: Date;
}

export interface ImportBundleResult {
  manifest: BundleManifest;
  keyid: string;
  digest: string;
  /** The change-log id the import recorded. */
  changeId: number;
}

/**
 * Verifies a bundle completely, then replaces the database's advisory content with
 * it in one transaction.
 *
 * Nothing touches the database until every check passed: magic and format, the
 * signature by `publicKey`, the manifest, the payload's size and SHA-256, the
 * unpacked database's size and SHA-256, its schema, record counts and feeds; then
 * expiry, the pinned key and rollback (read with a read-only connection). The checks
 * of the database's state run again inside the write transaction, so two imports
 * racing cannot roll each other back.
 *
 * Replace in place, not by renaming a file over advisories.db: a running server
 * (and any other reader) keeps its connection to the file, under WAL. A renamed-in
 * file would leave such a reader on the old inode, blind to the change, and its
 * -wal/-shm files would then belong to a different database. In one transaction,
 * readers see the old content or the new one, never a mix, and the change-log row
 * it appends (every package and CVE changed) makes a running server re-match every
 * host.
 */
export async function importAdvisoryBundle(opts: ImportBundleOptions): Promise<ImportBundleResult> {
  const file = opts.bundle;
  const now = opts.now ?? new Date();
  const opened = await openBundle(file, opts.publicKey);
  const work = await workDir(path.dirname(path.resolve(opts.db)));
  try {
    const extracted = path.join(work.dir, 'bundle.db');
    await extract(file, opened, extracted);
    checkPolicy(file, opened, now, readCurrent(opts.db));

    // Create (or rebuild for this schema) the receiving database, then write.
    new SqliteAdvisoryStore(opts.db).close();
    const db = new Database(opts.db);
    try {
      db.pragma('busy_timeout = 10000');
      db.prepare('ATTACH DATABASE ? AS bundle').run(extracted);
      let changeId = 0;
      try {
        changeId = db.transaction(() => {
          checkPolicy(file, opened, now, currentState(db));
          const before = db.prepare<[], { name: string }>('SELECT name FROM main.sources').all().map((r) => r.name);
          const tables = db
            .prepare<[], { name: string }>("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")
            .all()
            .map((r) => r.name)
            .filter((t) => !LOCAL_TABLES.has(t));
          for (const t of tables) {
            const cols = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${t}', 'main')`).all().map((r) => `"${r.name}"`);
            const theirs = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${t}', 'bundle')`).all().map((r) => `"${r.name}"`);
            if (cols.join(',') !== theirs.join(',')) bad(file, `table ${t} of the database inside has other columns than this Vigil's`);
            db.exec(`DELETE FROM main."${t}"`);
            db.exec(`INSERT INTO main."${t}" (${cols.join(',')}) SELECT ${cols.join(',')} FROM bundle."${t}"`);
          }
          db.prepare("UPDATE main.sources SET origin = 'bundle', location = ?").run(path.resolve(file));
          const setMeta = db.prepare('INSERT OR REPLACE INTO main.meta (key, value) VALUES (?, ?)');
          setMeta.run(BUNDLE_META.createdAt, opened.manifest.createdAt);
          setMeta.run(BUNDLE_META.digest, opened.digest);
          setMeta.run(BUNDLE_META.key, opened.keyid);
          setMeta.run(BUNDLE_META.file, path.resolve(file));
          // Every feed, old and new, changed as a whole: no package list, and "every CVE".
          const names = [...new Set([...before, ...opened.manifest.feeds.map((f) => f.name)])].sort();
          const id = Number(
            db.prepare("INSERT INTO main.changes (imported_at, sources, packages, cves) VALUES (?, ?, '[]', NULL)").run(now.toISOString(), JSON.stringify(names)).lastInsertRowid,
          );
          db.prepare('DELETE FROM main.changes WHERE id <= ?').run(id - KEEP_CHANGES);
          return id;
        }).immediate();
      } finally {
        db.exec('DETACH DATABASE bundle');
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
      return { manifest: opened.manifest, keyid: opened.keyid, digest: opened.digest, changeId };
    } finally {
      db.close();
    }
  } finally {
    await work.done();
  }
}

/**
 * Pins the database to one bundle key (or removes the pin with `undefined`): while
 * pinned, feed imports into it are refused and only bundles signed by that key are
 * imported. Returns the pin it replaced.
 */
export function setBundlePin(dbFile: string, keyid: string | undefined): string | undefined {
  new SqliteAdvisoryStore(dbFile).close();
  const db = new Database(dbFile);
  try {
    db.pragma('busy_timeout = 10000');
    return db.transaction(() => {
      const prev = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(BUNDLE_PIN_META)?.value;
      if (keyid === undefined) db.prepare('DELETE FROM meta WHERE key = ?').run(BUNDLE_PIN_META);
      else db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(BUNDLE_PIN_META, keyid);
      return prev;
    }).immediate();
  } finally {
    db.close();
  }
}

/** The pinned bundle key id of a database, if any (read-only). */
export function bundlePin(dbFile: string): string | undefined {
  return readCurrent(dbFile)?.meta.get(BUNDLE_PIN_META);
}

export { BUNDLE_MAGIC, MANIFEST_TYPE, isAdvisoryBundle, parseManifest, type BundleManifest, type BundleFeed } from './advisory-bundle-format.js';
