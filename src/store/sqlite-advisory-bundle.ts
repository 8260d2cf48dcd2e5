import Database from 'better-sqlite3';
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { commitTempFile } from '../common/atomic-write.js';
import { VigilError } from '../common/errors.js';
import { CommandRefused, canonicalBytes, keyId, parseEnvelope, signEnvelope, verifyEnvelope, type Envelope } from '../common/signing.js';
import { BUNDLE_PIN_META, SCHEMA_VERSION, SqliteAdvisoryStore } from './sqlite-advisories.js';

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
export const BUNDLE_FORMAT = 1;
export const BUNDLE_MAGIC = `VIGIL-ADVISORY-BUNDLE ${BUNDLE_FORMAT}\n`;
const MAGIC_PREFIX = 'VIGIL-ADVISORY-BUNDLE ';
export const MANIFEST_TYPE = 'application/vnd.vigil.advisory-bundle.manifest+json';
/** The envelope is a few KiB per hundred feeds; anything near this is not a bundle Vigil wrote. */
const MAX_ENVELOPE_BYTES = 1024 * 1024;
/** `meta` keys of the bundle a database was last replaced from (rollback protection). */
export const BUNDLE_META = { createdAt: 'bundle-created-at', digest: 'bundle-digest', key: 'bundle-key', file: 'bundle-file' } as const;
/** Tables a bundle does not carry: this database's own settings and change log. */
const LOCAL_TABLES = new Set(['meta', 'changes', 'sqlite_sequence']);
/** What the change log keeps (as sqlite-advisories.ts). */
const KEEP_CHANGES = 1_000;
/** Tables whose row counts the manifest lists. */
const COUNTED = ['advisories', 'affected', 'aliases', 'cvss', 'epss', 'kev', 'ratings', 'states'] as const;

export interface BundleFeed {
  name: string;
  digest: string;
  advisories: number;
  kev: number;
  epss: number;
  newestPublished?: string;
  newestModified?: string;
  namespaces: string[];
}

export interface BundleManifest {
  format: number;
  createdAt: string;
  expiresAt: string;
  /** SCHEMA_VERSION of the advisory database inside. */
  schema: number;
  feeds: BundleFeed[];
  records: Record<(typeof COUNTED)[number], number>;
  /** The gzip payload as stored in the file. */
  payload: { sha256: string; size: number };
  /** The SQLite database the payload unpacks to. */
  database: { sha256: string; size: number };
}

// ---- small helpers ----

function bad(file: string, what: string): never {
  throw new VigilError('INVALID_INPUT', `${file}: ${what}`);
}

/** A pass-through that hashes and counts what flows by, and stops past `max` bytes. */
class Tap extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  constructor(private readonly max = Number.MAX_SAFE_INTEGER) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) return done(new TapOverflow());
    this.hash.update(chunk);
    done(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

class TapOverflow extends Error {}

async function sha256File(file: string, start = 0): Promise<{ sha256: string; size: number }> {
  const tap = new Tap();
  await pipeline(createReadStream(file, { start, highWaterMark: 1024 * 1024 }), tap, async (src: AsyncIterable<Buffer>) => {
    for await (const _ of src);
  });
  return { sha256: tap.digest(), size: tap.bytes };
}

function isoOrUndefined(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** A work directory beside `near` (same file system, so nothing large crosses devices), removed by `done`. */
async function workDir(near: string): Promise<{ dir: string; done: () => Promise<void> }> {
  await mkdir(near, { recursive: true });
  const dir = await mkdtemp(path.join(near, '.vigil-bundle-'));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

function feedOf(s: { name: string; digest: string; advisories: number; kev: number; epss: number; newestPublished?: string; newestModified?: string; namespaces: string[] }): BundleFeed {
  const f: BundleFeed = { name: s.name, digest: s.digest, advisories: s.advisories, kev: s.kev, epss: s.epss, namespaces: [...s.namespaces] };
  if (s.newestPublished !== undefined) f.newestPublished = s.newestPublished;
  if (s.newestModified !== undefined) f.newestModified = s.newestModified;
  return f;
}

function counts(db: Database.Database, schema = 'main'): BundleManifest['records'] {
  const r = {} as BundleManifest['records'];
  for (const t of COUNTED) r[t] = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${schema}.${t}`).get()!.n;
  return r;
}

// ---- the file ----

/** Whether the file starts like a Vigil advisory bundle (any format version). */
export async function isAdvisoryBundle(file: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    return false;
  }
  try {
    if (!(await fh.stat()).isFile()) return false;
    const head = Buffer.alloc(MAGIC_PREFIX.length);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.toString('latin1') === MAGIC_PREFIX;
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

/**
 * Refuses an `-o` path that holds something other than a bundle: a bundle file is
 * replaced, any other file is left alone (the rule `-o` follows for every artefact
 * Vigil writes over: never destroy what the path is).
 */
export async function checkBundleOutput(out: string): Promise<void> {
  let st;
  try {
    st = await lstat(out);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new VigilError('IO', `cannot write ${out}: ${(err as Error).message}`, { cause: err });
  }
  if (!st.isFile()) throw new VigilError('INVALID_INPUT', `refusing to write ${out}: it is not a regular file`);
  if (!(await isAdvisoryBundle(out))) throw new VigilError('CONFLICT', `refusing to overwrite ${out}: it is not a Vigil advisory bundle`);
}

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

const HEX64 = /^[0-9a-f]{64}$/;

function obj(v: unknown, keys: readonly string[], optional: readonly string[], what: string, file: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(file, `bad manifest: ${what} is not an object`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k) && !optional.includes(k)) bad(file, `bad manifest: unknown field ${what}.${k}`);
  for (const k of keys) if (!(k in o)) bad(file, `bad manifest: ${what}.${k} is missing`);
  return o;
}

function count(v: unknown, what: string, file: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) bad(file, `bad manifest: ${what} is not a count`);
  return v;
}

function text(v: unknown, what: string, file: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 4096) bad(file, `bad manifest: ${what} is not a string`);
  return v;
}

function date(v: unknown, what: string, file: string): string {
  const s = text(v, what, file);
  if (Number.isNaN(Date.parse(s))) bad(file, `bad manifest: ${what} is not a date`);
  return s;
}

function digest(v: unknown, what: string, file: string): { sha256: string; size: number } {
  const o = obj(v, ['sha256', 'size'], [], what, file);
  if (typeof o.sha256 !== 'string' || !HEX64.test(o.sha256)) bad(file, `bad manifest: ${what}.sha256 is not a SHA-256`);
  return { sha256: o.sha256, size: count(o.size, `${what}.size`, file) };
}

/** The manifest's exact shape; anything else in it is refused, not ignored. */
export function parseManifest(v: unknown, file: string): BundleManifest {
  const o = obj(v, ['format', 'createdAt', 'expiresAt', 'schema', 'feeds', 'records', 'payload', 'database'], [], 'manifest', file);
  if (o.format !== BUNDLE_FORMAT) bad(file, `bad manifest: format ${JSON.stringify(o.format)}, this Vigil reads ${BUNDLE_FORMAT}`);
  if (!Array.isArray(o.feeds)) bad(file, 'bad manifest: feeds is not a list');
  const feeds = o.feeds.map((f, i): BundleFeed => {
    const w = `feeds[${i}]`;
    const fo = obj(f, ['name', 'digest', 'advisories', 'kev', 'epss', 'namespaces'], ['newestPublished', 'newestModified'], w, file);
    if (!Array.isArray(fo.namespaces)) bad(file, `bad manifest: ${w}.namespaces is not a list`);
    const feed: BundleFeed = {
      name: text(fo.name, `${w}.name`, file),
      digest: text(fo.digest, `${w}.digest`, file),
      advisories: count(fo.advisories, `${w}.advisories`, file),
      kev: count(fo.kev, `${w}.kev`, file),
      epss: count(fo.epss, `${w}.epss`, file),
      namespaces: fo.namespaces.map((n, j) => text(n, `${w}.namespaces[${j}]`, file)),
    };
    if ('newestPublished' in fo) feed.newestPublished = date(fo.newestPublished, `${w}.newestPublished`, file);
    if ('newestModified' in fo) feed.newestModified = date(fo.newestModified, `${w}.newestModified`, file);
    return feed;
  });
  if (new Set(feeds.map((f) => f.name)).size !== feeds.length) bad(file, 'bad manifest: a feed is listed twice');
  const ro = obj(o.records, COUNTED, [], 'records', file);
  const records = {} as BundleManifest['records'];
  for (const t of COUNTED) records[t] = count(ro[t], `records.${t}`, file);
  const m: BundleManifest = {
    format: BUNDLE_FORMAT,
    createdAt: date(o.createdAt, 'createdAt', file),
    expiresAt: date(o.expiresAt, 'expiresAt', file),
    schema: count(o.schema, 'schema', file),
    feeds,
    records,
    payload: digest(o.payload, 'payload', file),
    database: digest(o.database, 'database', file),
  };
  return m;
}

/** The header of a bundle file: its signed manifest and where the payload starts. */
interface Opened {
  manifest: BundleManifest;
  /** SHA-256 of the signed manifest bytes: the bundle's identity. */
  digest: string;
  keyid: string;
  payloadOffset: number;
  fileSize: number;
}

/** Reads the magic, the envelope and the manifest, and checks the signature with `publicKey`. */
async function openBundle(file: string, publicKey: KeyObject): Promise<Opened> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new VigilError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `cannot read ${file}: ${code ?? (err as Error).message}`, { cause: err });
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) bad(file, 'not a regular file');
    const fileSize = st.size;
    const headLen = Math.min(fileSize, MAGIC_PREFIX.length + 16 + 16);
    const head = Buffer.alloc(headLen);
    await fh.read(head, 0, headLen, 0);
    if (head.subarray(0, MAGIC_PREFIX.length).toString('latin1') !== MAGIC_PREFIX) bad(file, 'not a Vigil advisory bundle');
    const nl = head.indexOf(0x0a, MAGIC_PREFIX.length);
    const version = nl < 0 ? '' : head.subarray(MAGIC_PREFIX.length, nl).toString('latin1');
    if (nl < 0) bad(file, 'truncated: the bundle header is cut short');
    if (version !== String(BUNDLE_FORMAT)) bad(file, `bundle format ${JSON.stringify(version.slice(0, 16))} is not one this Vigil reads (${BUNDLE_FORMAT})`);
    const nl2 = head.indexOf(0x0a, nl + 1);
    if (nl2 < 0) bad(file, fileSize < headLen + 1 ? 'truncated: the bundle header is cut short' : 'damaged header: no envelope length');
    const lenText = head.subarray(nl + 1, nl2).toString('latin1');
    if (!/^[1-9][0-9]{0,7}$/.test(lenText) || Number(lenText) > MAX_ENVELOPE_BYTES) bad(file, `damaged header: envelope length ${JSON.stringify(lenText.slice(0, 16))}`);
    const envLen = Number(lenText);
    const envStart = nl2 + 1;
    if (envStart + envLen > fileSize) bad(file, 'truncated: the signed manifest is cut short');
    const envBytes = Buffer.alloc(envLen);
    await fh.read(envBytes, 0, envLen, envStart);
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(JSON.parse(envBytes.toString('utf8')), 'bundle envelope');
    } catch (err) {
      return bad(file, `damaged envelope: ${err instanceof CommandRefused ? err.detail : 'not JSON'}`);
    }
    const keyid = keyId(publicKey);
    let body: Buffer;
    try {
      body = verifyEnvelope(envelope, MANIFEST_TYPE, keyid, publicKey);
    } catch (err) {
      if (err instanceof CommandRefused) {
        const why = err.reason === 'unknown-key' ? 'not signed by the given key' : err.reason === 'bad-signature' ? 'the signature does not verify (tampered manifest)' : 'bad signature';
        return bad(file, `${why}: ${err.detail}`);
      }
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return bad(file, 'bad manifest: not JSON');
    }
    let again: Buffer | undefined;
    try {
      again = canonicalBytes(parsed);
    } catch {
      /* below */
    }
    if (!again || !again.equals(body)) bad(file, 'bad manifest: not canonical JSON');
    const manifest = parseManifest(parsed, file);
    return { manifest, digest: createHash('sha256').update(body).digest('hex'), keyid, payloadOffset: envStart + envLen, fileSize };
  } finally {
    await fh.close();
  }
}

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

/** Unpacks the payload to `out` and checks it against the manifest; then the database inside it. */
async function extract(file: string, opened: Opened, out: string): Promise<void> {
  const m = opened.manifest;
  if (m.schema !== SCHEMA_VERSION) bad(file, `built for advisory schema ${m.schema}; this Vigil reads schema ${SCHEMA_VERSION}`);
  const size = opened.fileSize - opened.payloadOffset;
  if (size < m.payload.size) bad(file, `truncated: ${size} of ${m.payload.size} payload bytes`);
  if (size > m.payload.size) bad(file, `${size - m.payload.size} bytes after the payload the manifest describes`);
  const got = await sha256File(file, opened.payloadOffset);
  if (got.size !== m.payload.size || got.sha256 !== m.payload.sha256) bad(file, 'payload SHA-256 does not match the signed manifest (tampered or damaged)');

  const tap = new Tap(m.database.size);
  try {
    await pipeline(createReadStream(file, { start: opened.payloadOffset, highWaterMark: 1024 * 1024 }), createGunzip({ chunkSize: 256 * 1024 }), tap, createWriteStream(out, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    if (err instanceof TapOverflow) bad(file, `the payload unpacks to more than the ${m.database.size} bytes the manifest says`);
    bad(file, `the payload is not valid gzip: ${(err as Error).message}`);
  }
  if (tap.bytes !== m.database.size || tap.digest() !== m.database.sha256) bad(file, 'the unpacked database does not match the signed manifest');

  let db: Database.Database;
  try {
    db = new Database(out, { readonly: true, fileMustExist: true });
  } catch (err) {
    return bad(file, `the payload is not an SQLite database: ${(err as Error).message}`);
  }
  try {
    const schema = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
    if (schema?.value !== String(SCHEMA_VERSION)) bad(file, `the database inside is schema ${schema?.value ?? 'unknown'}, not ${SCHEMA_VERSION}`);
    const records = counts(db);
    for (const t of COUNTED) if (records[t] !== m.records[t]) bad(file, `the database inside has ${records[t]} ${t} rows, the manifest says ${m.records[t]}`);
  } catch (err) {
    if (err instanceof VigilError) throw err;
    bad(file, `the database inside is not a Vigil advisory database: ${(err as Error).message}`);
  } finally {
    db.close();
  }
  const store = new SqliteAdvisoryStore(out, { readonly: true });
  let feeds: BundleFeed[];
  try {
    feeds = store.sources().map(feedOf);
  } finally {
    store.close();
  }
  if (!Buffer.from(canonicalBytes(feeds)).equals(canonicalBytes(m.feeds))) bad(file, 'the feeds of the database inside do not match the manifest');
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
