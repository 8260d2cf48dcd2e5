import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { writeFileAtomicSync } from '../common/atomic-write.js';
import { VigilError } from '../common/errors.js';

export const LOCK_FILE = 'server.lock';
export const HOLDER_FILE = 'server.json';

/** What a running server says about itself in `server.json`, for the CLI to find its API. */
export interface LockHolder {
  pid: number;
  since: string;
  api?: string;
  grpc?: string;
}

/**
 * An exclusive, kernel-held lock on a server data directory, so two servers never
 * open the same fleet.db. The lock is SQLite's own (fcntl) lock on `server.lock`,
 * taken in exclusive locking mode and kept for the life of the connection: the
 * kernel drops it when the process dies, so a crashed server leaves no stale lock,
 * and a second process (or a second server in the same process) is refused at once.
 * `server.json` beside it names the holder and its API address; it is only advice
 * (the CLI checks the lock itself before believing it).
 */
export class DataDirLock {
  private holder: LockHolder | undefined;
  private constructor(
    private db: Database.Database | undefined,
    readonly dir: string,
  ) {}

  static acquire(dir: string): DataDirLock {
    const file = path.join(dir, LOCK_FILE);
    let db: Database.Database;
    try {
      db = new Database(file, { timeout: 0 });
    } catch (err) {
      throw new VigilError('IO', `cannot open ${file}: ${(err as Error).message}`, { cause: err });
    }
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
      db.exec('DELETE FROM holder');
      db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
      db.exec('COMMIT');
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY' || (err as { code?: string }).code === 'SQLITE_LOCKED') {
        const pid = readHolder(dir)?.pid;
        throw new VigilError('UNAVAILABLE', `another Vigil server${pid ? ` (pid ${pid})` : ''} is using ${dir}: ${file} is locked`);
      }
      throw new VigilError('INVALID_INPUT', `${file} is not a Vigil lock file: ${(err as Error).message}`, { cause: err });
    }
    const lock = new DataDirLock(db, dir);
    lock.announce({});
    return lock;
  }

  /** True when some process (this one included) holds the directory's lock now. */
  static isHeld(dir: string): boolean {
    try {
      DataDirLock.acquire(dir).release();
      return false;
    } catch (err) {
      if (err instanceof VigilError && err.code === 'UNAVAILABLE') return true;
      throw err;
    }
  }

  /** Records where this holder listens, in `server.json` (0644: it holds no secret). */
  announce(where: { api?: string; grpc?: string }): void {
    if (!this.db) return;
    this.holder = { pid: process.pid, since: this.holder?.since ?? new Date().toISOString(), ...where };
    writeFileAtomicSync(path.join(this.dir, HOLDER_FILE), JSON.stringify(this.holder) + '\n', { mode: 0o644, regularOnly: true });
  }

  release(): void {
    if (!this.db) return;
    if (readHolder(this.dir)?.pid === process.pid) rmSync(path.join(this.dir, HOLDER_FILE), { force: true });
    this.db.close();
    this.db = undefined;
  }
}

/** The holder a server last recorded in DIR/server.json, if any; advice only. */
export function readHolder(dir: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(path.join(dir, HOLDER_FILE), 'utf8')) as Partial<LockHolder>;
    if (!Number.isSafeInteger(h.pid) || (h.pid ?? 0) <= 0 || typeof h.since !== 'string') return undefined;
    return { pid: h.pid!, since: h.since, ...(typeof h.api === 'string' ? { api: h.api } : {}), ...(typeof h.grpc === 'string' ? { grpc: h.grpc } : {}) };
  } catch {
    return undefined;
  }
}
