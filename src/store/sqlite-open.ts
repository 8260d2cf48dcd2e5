import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { VigilError, describeError } from '../common/errors.js';

/**
 * How Vigil's SQLite stores open their files and claim their schema: WAL (readers never
 * block the writer), synchronous NORMAL (a commit survives a crash of the process; what
 * must also survive a crash of the machine is synced by the store itself), foreign keys
 * where a store declares them, and a busy timeout for the stores that share a file with
 * another connection.
 */

export interface OpenStoreOptions {
  /** Turn on foreign key enforcement (off by default in SQLite). */
  foreignKeys?: boolean;
  /** Wait this long for another connection's write lock instead of failing at once. */
  busyTimeoutMs?: number;
  /** Create the file's directory first. */
  mkdir?: boolean;
}

/**
 * Opens `file` read-write. A file that cannot be opened is an IO error naming it
 * ("cannot open WHAT FILE: ..."); one that opens but is no SQLite database (the first
 * pragma reads its header) is refused as INVALID_INPUT ("FILE NOT_OURS: ...").
 */
export function openStoreDatabase(file: string, names: { what: string; notOurs: string }, opts: OpenStoreOptions = {}): Database.Database {
  let db: Database.Database;
  try {
    if (opts.mkdir) mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
  } catch (err) {
    throw new VigilError('IO', `cannot open ${names.what} ${file}: ${describeError(err)}`, { cause: err });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    if (opts.foreignKeys) db.pragma('foreign_keys = ON');
    if (opts.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs)}`);
    return db;
  } catch (err) {
    db.close();
    throw new VigilError('INVALID_INPUT', `${file} ${names.notOurs}: ${describeError(err)}`, { cause: err });
  }
}

/**
 * The version of one store's schema recorded in `meta` under `key` (undefined when
 * none is), after recording `known` in its place, in the caller's transaction. A
 * version newer than `known`, or one that is not a whole number, is refused: a store
 * never drops or rewrites a layout it does not know. `label` names the schema in that
 * error ("job schema" → "job schema version 3 is newer than this Vigil (2)").
 */
export function claimSchemaVersion(db: Database.Database, key: string, known: number, label: string): number | undefined {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
  let stored: number | undefined;
  if (row) {
    stored = Number(row.value);
    if (!Number.isSafeInteger(stored) || stored < 1) throw new Error(`${label} version ${JSON.stringify(String(row.value).slice(0, 40))} is not a version number`);
    if (stored > known) throw new Error(`${label} version ${stored} is newer than this Vigil (${known})`);
  }
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, String(known));
  return stored;
}
