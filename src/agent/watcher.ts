import { existsSync } from 'node:fs';
import path from 'node:path';
import { watch, type ChokidarOptions } from 'chokidar';
import type { Collector } from '../inventory/collector.js';

export interface WatchDatabasesOptions {
  /** Host path of the inventoried root; database paths are resolved under it. */
  root: string;
  collectors: readonly Pick<Collector, 'name' | 'databases'>[];
  /** Fire once the databases have been quiet this long. */
  quietMs: number;
  /** Fire at the latest this long after the first change of a burst, even if it goes on. */
  maxWaitMs: number;
  /** Names of the collectors whose databases changed, in `collectors` order. */
  onChange(collectorNames: string[]): void | Promise<void>;
  /** Watcher failures and onChange rejections; the watch goes on. */
  onError?(err: unknown): void;
}

export interface DatabaseWatch {
  /** Resolves once every watch is in place; changes before it may be missed. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Files package managers write beside their databases while they work: dpkg's
 * backup and staging copies and its locks. They change on every run, and the
 * database itself changes too when the run commits anything, so they add nothing.
 */
function isScratch(base: string): boolean {
  return base === 'status-old' || base === 'status-new' || base.startsWith('lock') || base.endsWith('.dpkg-new');
}

function isWithin(p: string, dir: string): boolean {
  return p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** The closest existing directory holding `p`; `p` is under `root`, so this stops there. */
function nearestExisting(p: string, root: string): string {
  let dir = path.dirname(p);
  while (dir !== root && !existsSync(dir)) dir = path.dirname(dir);
  return dir;
}

/**
 * Whether a changed path is (part of) the database. SQLite in WAL mode commits into
 * `<db>-wal` and only folds it into the database file later, so rpm's sqlite
 * transactions show up there first.
 */
function touches(p: string, db: string): boolean {
  return p === db || isWithin(p, db) || p === `${db}-wal`;
}

/**
 * Watches every collector's package databases under `root` and calls `onChange`
 * once per burst of writes, with the collectors whose databases were touched.
 */
export function watchDatabases(options: WatchDatabasesOptions): DatabaseWatch {
  const root = path.resolve(options.root);
  const databases = options.collectors.flatMap((c) =>
    c.databases.map((db) => ({ collector: c.name, path: path.join(root, db) })),
  );
  const onError = options.onError ?? (() => {});

  // Parents rather than the databases themselves: dpkg and rpm replace their files
  // by rename, which a watch on the old inode would not follow, and a database that
  // does not exist yet (a package manager installed later) has nothing to watch.
  const targets = [...new Set(databases.map((db) => nearestExisting(db.path, root)))];

  // Only the directories on the way to a database, the databases and what is in
  // database directories (dpkg's status.d) are watched; everything else beside
  // them (/var/lib/dpkg/info with its thousands of files, /usr/lib) stays unwatched.
  const ignored = (p: string): boolean => {
    const abs = path.resolve(p);
    return !databases.some((db) => touches(abs, db.path) || isWithin(db.path, abs));
  };

  const chokidarOptions: ChokidarOptions = {
    // inotify costs nothing while the package manager is idle; polling would stat
    // every watched path forever.
    usePolling: false,
    // We debounce whole bursts ourselves; awaitWriteFinish would add a stat poll per
    // written file on top, for no better answer.
    awaitWriteFinish: false,
    // The agent collects everything at start anyway; only later changes matter.
    ignoreInitial: true,
    ignored,
    persistent: true,
    // Fedora links /var/lib/rpm to /usr/lib/sysimage/rpm and merged-/usr hosts link
    // /lib to /usr/lib; the filter above keeps following them cheap.
    followSymlinks: true,
    ignorePermissionErrors: true,
  };
  const watcher = watch(targets, chokidarOptions);

  const order = new Map(options.collectors.map((c, i) => [c.name, i]));
  const pending = new Set<string>();
  let quietTimer: NodeJS.Timeout | undefined;
  let maxTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const fire = () => {
    clearTimeout(quietTimer);
    clearTimeout(maxTimer);
    quietTimer = maxTimer = undefined;
    if (closed || pending.size === 0) return;
    const names = [...pending].sort((a, b) => order.get(a)! - order.get(b)!);
    pending.clear();
    try {
      Promise.resolve(options.onChange(names)).catch(onError);
    } catch (err) {
      onError(err);
    }
  };

  watcher.on('all', (_event, p) => {
    if (closed) return;
    const abs = path.resolve(p);
    if (isScratch(path.basename(abs))) return;
    const hit = databases.filter((db) => touches(abs, db.path));
    if (hit.length === 0) return;
    for (const db of hit) pending.add(db.collector);
    clearTimeout(quietTimer);
    quietTimer = setTimeout(fire, options.quietMs);
    maxTimer ??= setTimeout(fire, options.maxWaitMs);
  });
  watcher.on('error', onError);

  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      pending.clear();
      await watcher.close();
    },
  };
}
