import { SqliteAdvisoryStore } from '../../store/sqlite-advisories.js';
import { VigilError } from '../../common/errors.js';
import { parse } from '../args.js';
import { dbFile, importInto } from '../advisory-db.js';
import { dbStatusCommand } from './db-status.js';
import { DB_UPDATE_USAGE, dbUpdateCommand } from './db-update.js';
import { DB_BUNDLE_SYNOPSIS, DB_BUNDLE_USAGE, anyBundle, dbBundleCommand, dbBundleKeyCommand, dbImportBundle } from './db-bundle.js';

export const DB_USAGE = `usage: vigil db import FILE|DIR... [--db DIR] [--json]
       vigil db status [--db DIR] [--json]
       ${DB_UPDATE_USAGE.slice('usage: '.length, DB_UPDATE_USAGE.indexOf('\n'))}
${DB_BUNDLE_SYNOPSIS}

import  reads advisory feeds (OSV files, directories or zips; Debian tracker JSON and
        DSA/DLA lists; Ubuntu CVE tracker; Alpine secdb; npm advisories; NVD CVE API
        2.0 pages and feed files; CVE JSON 5 records, trees or zips; CISA KEV; EPSS)
        and replaces them in the database in one transaction: a corrupt file aborts
        the import and leaves the previous database as it was.
status  each imported feed, its record counts and age.
${DB_UPDATE_USAGE.slice(DB_UPDATE_USAGE.indexOf('\n\n') + 2)}

${DB_BUNDLE_USAGE}`;

export async function dbCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'update') return dbUpdateCommand(rest);
  if (sub === 'bundle') return dbBundleCommand(rest);
  if (sub === 'bundle-key') return dbBundleKeyCommand(rest);
  const { values, positionals } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, verify: { type: 'string' } }, 1000);
  if (sub === 'status') return dbStatusCommand(values);
  // A bundle is verified before anything opens the database for writing.
  if (sub === 'import' && (values.verify !== undefined || (await anyBundle(positionals)))) return dbImportBundle(values, positionals);
  const file = dbFile(values.db);
  const store = new SqliteAdvisoryStore(file);
  try {
    switch (sub) {
      case 'import': {
        if (positionals.length === 0) throw new VigilError('USAGE', 'vigil db import needs at least one FILE or DIR');
        const s = await importInto(store, positionals, values.quiet === true || values.json === true);
        if (values.json) process.stdout.write(JSON.stringify(s) + '\n');
        else if (!values.quiet) process.stderr.write(`vigil: imported ${s.advisories} advisories from ${s.feeds} feeds${s.problems ? `, ${s.problems} bad records skipped` : ''}${s.skipped ? `, ${s.skipped} unrecognised files ignored` : ''}\n`);
        return 0;
      }
      default:
        throw new VigilError('USAGE', `unknown db subcommand ${JSON.stringify(sub ?? '')}; use import, status, update, bundle or bundle-key`);
    }
  } finally {
    store.close();
  }
}
