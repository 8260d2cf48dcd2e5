import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { CollectContext } from '../collector.js';
import { hostPath, readInRoot } from '../rootfs.js';
import { MAX_DB_BYTES, rpmCollector, type RpmDatabase, type RpmRecord } from './rpm-common.js';
import { RpmFormatError } from './rpm-header.parse.js';
import { sqliteImage } from './rpm-sqlite-wal.js';

/**
 * rpm's sqlite backend (Fedora 33+, RHEL 9, CBL-Mariner/Azure Linux, Amazon Linux
 * 2023): table `Packages(hnum INTEGER PRIMARY KEY, blob BLOB)` of header blobs.
 */

const NAME = 'rpm-sqlite';
/** Readers wait this long for rpm's write lock on a live host before giving up until the next scan. */
const LIVE_BUSY_TIMEOUT_MS = 1000;

/** SQLite's verdicts on the file itself mean a corrupt database, not an I/O failure. */
function classify(err: unknown): unknown {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT|ERROR|FORMAT|RANGE|MISMATCH|TOOBIG)/.test(code)) {
    return new RpmFormatError(`not a readable rpm sqlite database: ${(err as Error).message}`);
  }
  return err;
}

/**
 * Whether SQLite can read the live file without creating anything beside it: a
 * rollback-journal database, or a WAL one whose `-wal` and `-shm` already exist.
 */
async function readsInPlace(file: string): Promise<boolean> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    if (!(await handle.stat()).isFile()) return false;
    const head = Buffer.alloc(20);
    const { bytesRead } = await handle.read(head, 0, 20, 0);
    if (bytesRead < 20) return false;
    if (head[18] === 1 && head[19] === 1) return true;
  } finally {
    await handle.close();
  }
  const exists = (p: string) => access(p).then(() => true, () => false);
  return (await exists(`${file}-wal`)) && (await exists(`${file}-shm`));
}

function prepare(db: Database.Database): Database.Statement {
  try {
    return db.prepare('SELECT hnum, blob FROM Packages').raw(true);
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * The database with its statement ready. On a live host SQLite reads rpm's file in
 * place, under its locks, when that leaves no trace; otherwise (and always for a
 * scanned image) it gets an in-memory image of the file and its log, so scanning
 * never creates `-wal`/`-shm` files, never takes locks and never leaves the root.
 */
async function openPackages(ctx: CollectContext, resolved: string): Promise<[Database.Database, Database.Statement]> {
  if (ctx.live) {
    const file = hostPath(ctx.root, resolved);
    if (await readsInPlace(file)) {
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true, timeout: LIVE_BUSY_TIMEOUT_MS });
        return [db, prepare(db)];
      } catch (err) {
        ctx.log.debug({ collector: NAME, path: resolved, err }, 'reading rpmdb in place failed; reading a snapshot');
      }
    }
  }
  const bytes = await readInRoot(ctx.root, resolved, { maxBytes: MAX_DB_BYTES });
  if (!bytes) throw Object.assign(new Error(`${resolved} disappeared`), { code: 'ENOENT' });
  const wal = await readInRoot(ctx.root, `${resolved}-wal`, { maxBytes: MAX_DB_BYTES });
  try {
    const db = new Database(sqliteImage(bytes, wal), { readonly: true });
    return [db, prepare(db)];
  } catch (err) {
    throw classify(err);
  }
}

async function openRpmdb(ctx: CollectContext, resolved: string): Promise<RpmDatabase> {
  const [db, stmt] = await openPackages(ctx, resolved);
  return {
    *records(): Generator<RpmRecord> {
      try {
        for (const row of stmt.iterate() as Iterable<unknown[]>) {
          const [hnum, blob] = row;
          const key = typeof hnum === 'number' ? hnum : -1;
          if (Buffer.isBuffer(blob)) yield { key, blob };
          else yield { key, error: `blob column holds ${blob === null ? 'NULL' : typeof blob}, not a header` };
        }
      } catch (err) {
        throw classify(err);
      }
    },
    close: () => db.close(),
  };
}

export const rpmSqliteCollector = rpmCollector({
  name: NAME,
  version: 1,
  databases: ['/var/lib/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/rpmdb.sqlite', '/usr/share/rpm/rpmdb.sqlite'],
  open: openRpmdb,
});
