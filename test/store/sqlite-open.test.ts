import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VigilError } from '../../src/common/errors.js';
import { SqliteEventStore } from '../../src/store/sqlite-events.js';
import { SqliteJobStore } from '../../src/store/sqlite-jobs.js';
import { SqliteRuleStore } from '../../src/store/sqlite-rules.js';
import { claimSchemaVersion, openStoreDatabase } from '../../src/store/sqlite-open.js';
import { tempDir } from '../helpers/fixtures.js';

const tmp = tempDir('vigil-sqlite-open-');
afterAll(tmp.cleanup);

function refusal(fn: () => unknown): VigilError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VigilError);
    return err as VigilError;
  }
  throw new Error('expected a refusal');
}

const STORES: Array<[string, (file: string) => { close(): void }, RegExp]> = [
  ['events', (f) => new SqliteEventStore(f), /is not a Vigil event database/],
  ['jobs', (f) => new SqliteJobStore(f), /does not hold Vigil patch jobs/],
  ['rules', (f) => new SqliteRuleStore(f), /does not hold Vigil suppression rules/],
];

describe('the SQLite stores open their files one way', () => {
  it('opens in WAL with the pragmas asked for, creating the directory when told', () => {
    const file = path.join(tmp.dir, 'new/dir/a.db');
    const db = openStoreDatabase(file, { what: 'test database', notOurs: 'is not a test database' }, { mkdir: true, foreignKeys: true, busyTimeoutMs: 1234 });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    } finally {
      db.close();
    }
  });

  it.each(STORES)('%s: a file that is no database is refused as INVALID_INPUT naming it, and left as it was', (_name, open, phrase) => {
    const junk = path.join(tmp.dir, `junk-${_name}.db`);
    const text = 'not sqlite at all, just text '.repeat(100);
    writeFileSync(junk, text);
    const err = refusal(() => open(junk));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message.startsWith(`${junk} `)).toBe(true);
    expect(err.message).toMatch(phrase);
    expect(readFileSync(junk, 'utf8')).toBe(text);
  });

  it.each(STORES)('%s: a file that cannot be opened is an IO error naming it', (_name, open) => {
    const dir = path.join(tmp.dir, `dir-${_name}`);
    mkdirSync(dir);
    // A directory where the file should be: no user, root included, opens it as a database.
    const err = refusal(() => open(dir));
    expect(['IO', 'INVALID_INPUT']).toContain(err.code);
    expect(err.message).toContain(dir);
  });

  it('claims a schema version, refusing a newer one and one that is not a number', () => {
    const file = path.join(tmp.dir, 'meta.db');
    const db = new Database(file);
    try {
      db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      expect(claimSchemaVersion(db, 'k', 2, 'test schema')).toBeUndefined();
      expect(claimSchemaVersion(db, 'k', 3, 'test schema')).toBe(2);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'k'").pluck().get()).toBe('3');
      expect(() => claimSchemaVersion(db, 'k', 2, 'test schema')).toThrow('test schema version 3 is newer than this Vigil (2)');
      db.prepare("UPDATE meta SET value = 'two' WHERE key = 'k'").run();
      expect(() => claimSchemaVersion(db, 'k', 3, 'test schema')).toThrow('test schema version "two" is not a version number');
      expect(db.prepare("SELECT value FROM meta WHERE key = 'k'").pluck().get()).toBe('two');
    } finally {
      db.close();
    }
  });
});
