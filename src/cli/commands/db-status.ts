import { existsSync } from 'node:fs';
import { VigilError } from '../../common/errors.js';
import { SqliteAdvisoryStore } from '../../store/sqlite-advisories.js';
import { dbFile } from '../advisory-db.js';
import { table } from '../output.js';

function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/** `vigil db status`: each imported feed, its record counts and age. */
export function dbStatusCommand(values: { db?: string; json?: boolean }): number {
  const file = dbFile(values.db);
  // Status only looks: it never creates a database (or its directory) that is not there.
  if (!existsSync(file)) throw new VigilError('NOT_FOUND', `no advisory database at ${file}; create it with "vigil db import" or "vigil db update"`);
  const store = new SqliteAdvisoryStore(file, { readonly: true });
  try {
    const sources = store.sources();
    if (values.json) {
      process.stdout.write(JSON.stringify({ database: store.file, sources }, null, 2) + '\n');
      return 0;
    }
    process.stdout.write(
      table(
        ['FEED', 'ADVISORIES', 'KEV', 'EPSS', 'AGE', 'FILES'],
        sources.map((s) => [s.name, String(s.advisories), String(s.kev), String(s.epss), age(s.importedAt), String(s.files.length)]),
      ),
    );
    return 0;
  } finally {
    store.close();
  }
}
