import { existsSync } from 'node:fs';
import { SqliteAdvisoryStore } from '../../store/sqlite-advisories.js';
import { VigilError } from '../../common/errors.js';
import { parse } from '../args.js';
import { dbFile, importInto } from '../advisory-db.js';
import { table } from '../output.js';
import { DB_UPDATE_USAGE, dbUpdateCommand } from './db-update.js';

export const DB_USAGE = `usage: vigil db import FILE|DIR... [--db DIR] [--json]
       vigil db status [--db DIR] [--json]
       ${DB_UPDATE_USAGE.slice('usage: '.length, DB_UPDATE_USAGE.indexOf('\n'))}

import  reads advisory feeds (OSV files, directories or zips; Debian tracker JSON and
        DSA/DLA lists; Ubuntu CVE tracker; Alpine secdb; npm advisories; CISA KEV;
        EPSS) and replaces them in the database in one transaction: a corrupt file
        aborts the import and leaves the previous database as it was.
status  each imported feed, its record counts and age.
${DB_UPDATE_USAGE.slice(DB_UPDATE_USAGE.indexOf('\n\n') + 2)}`;

function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export async function dbCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'update') return dbUpdateCommand(rest);
  const { values, positionals } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } }, 1000);
  const file = dbFile(values.db);
  // Status only looks: it never creates a database (or its directory) that is not there.
  if (sub === 'status' && !existsSync(file)) throw new VigilError('NOT_FOUND', `no advisory database at ${file}; create it with "vigil db import" or "vigil db update"`);
  const store = new SqliteAdvisoryStore(file, { readonly: sub === 'status' });
  try {
    switch (sub) {
      case 'import': {
        if (positionals.length === 0) throw new VigilError('USAGE', 'vigil db import needs at least one FILE or DIR');
        const s = await importInto(store, positionals, values.quiet === true || values.json === true);
        if (values.json) process.stdout.write(JSON.stringify(s) + '\n');
        else if (!values.quiet) process.stderr.write(`vigil: imported ${s.advisories} advisories from ${s.feeds} feeds${s.problems ? `, ${s.problems} bad records skipped` : ''}${s.skipped ? `, ${s.skipped} unrecognised files ignored` : ''}\n`);
        return 0;
      }
      case 'status': {
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
      }
      default:
        throw new VigilError('USAGE', `unknown db subcommand ${JSON.stringify(sub ?? '')}; use import, status or update`);
    }
  } finally {
    store.close();
  }
}
