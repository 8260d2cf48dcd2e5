import { existsSync } from 'node:fs';
import { VigilError } from '../../common/errors.js';
import { formatAge } from '../../matcher/coverage.js';
import type { SourceStatus } from '../../store/advisory-store.js';
import { SqliteAdvisoryStore } from '../../store/sqlite-advisories.js';
import { dbFile } from '../advisory-db.js';
import { table } from '../output.js';

/** The newest record date a feed holds: modified, else published (EPSS: score date; KEV: newest dateAdded). */
export function newestOf(s: SourceStatus): string | undefined {
  return s.newestModified ?? s.newestPublished;
}

function ago(iso: string | undefined, now: number): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '-';
  return `${iso.slice(0, 10)} (${formatAge(Math.max(0, now - Date.parse(iso)))})`;
}

/** Each namespace with the feeds whose records name it, for "what does this database cover". */
export function namespaceCoverage(sources: SourceStatus[]): Array<{ namespace: string; feeds: string[]; newest?: string }> {
  const by = new Map<string, { feeds: string[]; newest?: string }>();
  for (const s of sources) {
    for (const n of s.namespaces) {
      const e = by.get(n) ?? by.set(n, { feeds: [] }).get(n)!;
      e.feeds.push(s.name);
      const d = newestOf(s);
      if (d && (!e.newest || Date.parse(d) > Date.parse(e.newest))) e.newest = d;
    }
  }
  return [...by]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([namespace, e]) => (e.newest ? { namespace, feeds: e.feeds, newest: e.newest } : { namespace, feeds: e.feeds }));
}

/** `vigil db status`: each feed with its records, newest record, import time and origin; then what each namespace is covered by. */
export function dbStatusCommand(values: { db?: string; json?: boolean }): number {
  const file = dbFile(values.db);
  // Status only looks: it never creates a database (or its directory) that is not there.
  if (!existsSync(file)) throw new VigilError('NOT_FOUND', `no advisory database at ${file}; create it with "vigil db import" or "vigil db update"`);
  const store = new SqliteAdvisoryStore(file, { readonly: true });
  try {
    const sources = store.sources();
    const namespaces = namespaceCoverage(sources);
    if (values.json) {
      process.stdout.write(JSON.stringify({ database: store.file, sources, namespaces }, null, 2) + '\n');
      return 0;
    }
    const now = Date.now();
    process.stdout.write(
      table(
        ['FEED', 'RECORDS', 'KEV', 'EPSS', 'NEWEST RECORD', 'IMPORTED', 'ORIGIN'],
        sources.map((s) => [s.name, String(s.advisories), String(s.kev), String(s.epss), ago(newestOf(s), now), ago(s.importedAt, now), s.location ? `${s.origin} ${s.location}` : s.origin]),
      ),
    );
    if (namespaces.length > 0) {
      process.stdout.write('\n' + table(['NAMESPACE', 'NEWEST RECORD', 'FEEDS'], namespaces.map((n) => [n.namespace, ago(n.newest, now), n.feeds.join(', ')])));
    }
    return 0;
  } finally {
    store.close();
  }
}
