import Database from 'better-sqlite3';
import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { VigilError } from '../common/errors.js';
import { CommandRefused, canonicalBytes, keyId, parseEnvelope, verifyEnvelope, type Envelope } from '../common/signing.js';
import { SCHEMA_VERSION, SqliteAdvisoryStore } from './sqlite-advisories.js';

/**
 * The advisory bundle's file format: magic line, envelope length, the signed manifest
 * (DSSE, Ed25519), the gzip payload; parsing and verifying a bundle without touching
 * any database (see sqlite-advisory-bundle.ts for writing and importing one).
 */

export const BUNDLE_FORMAT = 1;
export const BUNDLE_MAGIC = `VIGIL-ADVISORY-BUNDLE ${BUNDLE_FORMAT}\n`;
export const MAGIC_PREFIX = 'VIGIL-ADVISORY-BUNDLE ';
export const MANIFEST_TYPE = 'application/vnd.vigil.advisory-bundle.manifest+json';
/** The envelope is a few KiB per hundred feeds; anything near this is not a bundle Vigil wrote. */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;
/** `meta` keys of the bundle a database was last replaced from (rollback protection). */
export const BUNDLE_META = { createdAt: 'bundle-created-at', digest: 'bundle-digest', key: 'bundle-key', file: 'bundle-file' } as const;
/** Tables a bundle does not carry: this database's own settings and change log. */
export const LOCAL_TABLES = new Set(['meta', 'changes', 'sqlite_sequence']);
/** What the change log keeps (as sqlite-advisories.ts). */
export const KEEP_CHANGES = 1_000;
/** Tables whose row counts the manifest lists. */
export const COUNTED = ['advisories', 'affected', 'aliases', 'cvss', 'epss', 'kev', 'ratings', 'states'] as const;

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

export function bad(file: string, what: string): never {
  throw new VigilError('INVALID_INPUT', `${file}: ${what}`);
}

/** A pass-through that hashes and counts what flows by, and stops past `max` bytes. */
export class Tap extends Transform {
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

export class TapOverflow extends Error {}

export async function sha256File(file: string, start = 0): Promise<{ sha256: string; size: number }> {
  const tap = new Tap();
  await pipeline(createReadStream(file, { start, highWaterMark: 1024 * 1024 }), tap, async (src: AsyncIterable<Buffer>) => {
    for await (const _ of src);
  });
  return { sha256: tap.digest(), size: tap.bytes };
}

export function isoOrUndefined(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

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

export const HEX64 = /^[0-9a-f]{64}$/;

export function obj(v: unknown, keys: readonly string[], optional: readonly string[], what: string, file: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(file, `bad manifest: ${what} is not an object`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k) && !optional.includes(k)) bad(file, `bad manifest: unknown field ${what}.${k}`);
  for (const k of keys) if (!(k in o)) bad(file, `bad manifest: ${what}.${k} is missing`);
  return o;
}

export function count(v: unknown, what: string, file: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) bad(file, `bad manifest: ${what} is not a count`);
  return v;
}

export function text(v: unknown, what: string, file: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 4096) bad(file, `bad manifest: ${what} is not a string`);
  return v;
}

export function date(v: unknown, what: string, file: string): string {
  const s = text(v, what, file);
  if (Number.isNaN(Date.parse(s))) bad(file, `bad manifest: ${what} is not a date`);
  return s;
}

export function digest(v: unknown, what: string, file: string): { sha256: string; size: number } {
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
export interface Opened {
  manifest: BundleManifest;
  /** SHA-256 of the signed manifest bytes: the bundle's identity. */
  digest: string;
  keyid: string;
  payloadOffset: number;
  fileSize: number;
}

/** Reads the magic, the envelope and the manifest, and checks the signature with `publicKey`. */
export async function openBundle(file: string, publicKey: KeyObject): Promise<Opened> {
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

/** Unpacks the payload to `out` and checks it against the manifest; then the database inside it. */
export async function extract(file: string, opened: Opened, out: string): Promise<void> {
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

export function feedOf(s: { name: string; digest: string; advisories: number; kev: number; epss: number; newestPublished?: string; newestModified?: string; namespaces: string[] }): BundleFeed {
  const f: BundleFeed = { name: s.name, digest: s.digest, advisories: s.advisories, kev: s.kev, epss: s.epss, namespaces: [...s.namespaces] };
  if (s.newestPublished !== undefined) f.newestPublished = s.newestPublished;
  if (s.newestModified !== undefined) f.newestModified = s.newestModified;
  return f;
}

export function counts(db: Database.Database, schema = 'main'): BundleManifest['records'] {
  const r = {} as BundleManifest['records'];
  for (const t of COUNTED) r[t] = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${schema}.${t}`).get()!.n;
  return r;
}
