import { existsSync } from 'node:fs';
import path from 'node:path';
import { readFeeds } from '../advisories/feeds.js';
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

/** Read feeds, then replace them in the store in one transaction. */
export async function importInto(store: SqliteAdvisoryStore, paths: string[], quiet: boolean): Promise<ImportSummary> {
  const progress = progressLine(!quiet && process.stderr.isTTY === true);
  const res = await readFeeds(paths, (done, total, file) => progress.update('reading feeds', `${done}/${total} ${path.basename(file)}`));
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
    await importInto(store, [bundledFeedsDir()], quiet);
  }
  return store;
}
