import { existsSync } from 'node:fs';
import path from 'node:path';
import { readFeeds } from '../advisories/feeds.js';
import type { FeedOrigin } from '../advisories/source.js';
import { advisoryDbFile, bundledFeedsDir } from '../common/config.js';
import { SqliteAdvisoryStore } from '../store/sqlite-advisories.js';
import { progressLine } from './output.js';

/** The database a command uses: `--db DIR` or the data directory's. */
export function dbFile(dir: string | undefined): string {
  return dir ? path.join(path.resolve(dir), 'advisories.db') : advisoryDbFile();
}

export interface ImportSummary {
  feeds: number;
  advisories: number;
  problems: number;
  skipped: number;
}

/** Where the feeds of an import came from, for `db status`. */
export interface ImportOrigin {
  origin: FeedOrigin;
  /** The URL a downloaded file came from; other feeds are located by the path given. */
  urlOf?: (file: string) => string | undefined;
}

/** The path given on the command line that holds `file` (itself, or a directory above it). */
function givenPath(paths: string[], file: string): string {
  const abs = path.resolve(file);
  for (const p of paths) {
    const a = path.resolve(p);
    if (abs === a || abs.startsWith(a + path.sep)) return a;
  }
  return abs;
}

/** Read feeds, then replace them in the store in one transaction. */
export async function importInto(store: SqliteAdvisoryStore, paths: string[], quiet: boolean, from: ImportOrigin = { origin: 'file' }): Promise<ImportSummary> {
  const progress = progressLine(!quiet && process.stderr.isTTY === true);
  const res = await readFeeds(paths, (done, total, file) => progress.update('reading feeds', `${done}/${total} ${path.basename(file)}`));
  for (const f of res.feeds) {
    f.origin = from.origin;
    const file = f.files[0];
    if (file !== undefined) f.location = from.urlOf?.(file) ?? (f.files.length > 1 ? path.dirname(path.resolve(file)) : givenPath(paths, file));
  }
  progress.update('writing', `${res.feeds.length} feeds`);
  store.importFeeds(res.feeds, new Date().toISOString());
  progress.done();
  return {
    feeds: res.feeds.length,
    advisories: res.feeds.reduce((n, f) => n + f.advisories.length, 0),
    problems: res.problems.length,
    skipped: res.skipped.length,
  };
}

/**
 * Open the advisory database for matching. An empty or missing database is filled
 * from the bundled offline snapshot first, so the embedded default and air-gapped
 * sites work with no network.
 */
export async function openForMatching(dir: string | undefined, quiet: boolean): Promise<SqliteAdvisoryStore> {
  const file = dbFile(dir);
  const fresh = !existsSync(file);
  const store = new SqliteAdvisoryStore(file);
  if (fresh || store.sources().length === 0) {
    if (!quiet) process.stderr.write(`vigil: ${file} is empty; importing the bundled advisory snapshot (once)\n`);
    await importInto(store, [bundledFeedsDir()], quiet, { origin: 'bundled' });
  }
  return store;
}
