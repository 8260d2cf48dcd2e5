import Database from 'better-sqlite3';
import { VigilError, describeError } from '../common/errors.js';

/**
 * A host's inventory as the console reads it, over a connection of its own to
 * fleet.db: one page of the components matching a search (name, version, source
 * package, collector or location, filtered in SQL), and the history of inventory
 * changes: one summary per applied delta or snapshot (seq, time, how many
 * components were added, removed or changed, and the first names of each), the
 * newest `KEEP_PER_HOST` per host kept.
 */

export const KEEP_PER_HOST = 1000;
/** Names kept per list of a change; the counts are always whole. */
export const NAMES_PER_CHANGE = 50;

export interface InventoryRow {
  key: string;
  ecosystem: string;
  name: string;
  version: string;
  purl: string;
  source?: string;
  foundBy: string;
  locations: string[];
}

export interface InventoryChange {
  id: number;
  hostId: string;
  epoch: number;
  seq: number;
  at: string;
  kind: 'delta' | 'snapshot';
  added: number;
  removed: number;
  changed: number;
  /** Up to NAMES_PER_CHANGE of each. */
  names: { added: string[]; removed: string[]; changed: string[] };
}

export interface InventoryChangeInput {
  epoch: number;
  seq: number;
  kind: 'delta' | 'snapshot';
  added: string[];
  removed: string[];
  changed: string[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS inventory_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL,
  added INTEGER NOT NULL, removed INTEGER NOT NULL, changed INTEGER NOT NULL, names TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS inventory_changes_by_host ON inventory_changes (host_id, id);
`;

/** `%`, `_` and the escape itself taken literally in a LIKE pattern. */
const like = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class SqliteHostInventory {
  private readonly db: Database.Database;

  constructor(file: string) {
    try {
      this.db = new Database(file, { fileMustExist: true });
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('foreign_keys = ON');
      this.db.exec(SCHEMA);
    } catch (err) {
      throw new VigilError('IO', `cannot open fleet database ${file} for inventory history: ${describeError(err)}`, { cause: err });
    }
  }

  record(hostId: string, c: InventoryChangeInput, at: string): void {
    const names = JSON.stringify({ added: c.added.slice(0, NAMES_PER_CHANGE), removed: c.removed.slice(0, NAMES_PER_CHANGE), changed: c.changed.slice(0, NAMES_PER_CHANGE) });
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO inventory_changes (host_id, epoch, seq, at, kind, added, removed, changed, names) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(hostId, c.epoch, c.seq, at, c.kind, c.added.length, c.removed.length, c.changed.length, names);
      this.db
        .prepare('DELETE FROM inventory_changes WHERE host_id = ? AND id <= (SELECT id FROM inventory_changes WHERE host_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)')
        .run(hostId, hostId, KEEP_PER_HOST);
    })();
  }

  /** Newest first; `before` is the id of the last change of the previous page. */
  history(hostId: string, limit: number, before?: number): InventoryChange[] {
    const rows = this.db
      .prepare<[string, number, number], Record<string, unknown>>(
        'SELECT id, host_id, epoch, seq, at, kind, added, removed, changed, names FROM inventory_changes WHERE host_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
      )
      .all(hostId, before ?? Number.MAX_SAFE_INTEGER, limit);
    return rows.map((r) => ({
      id: r.id as number,
      hostId: r.host_id as string,
      epoch: r.epoch as number,
      seq: r.seq as number,
      at: r.at as string,
      kind: r.kind as InventoryChange['kind'],
      added: r.added as number,
      removed: r.removed as number,
      changed: r.changed as number,
      names: JSON.parse(r.names as string) as InventoryChange['names'],
    }));
  }

  /**
   * Components of a host whose name, version, source package, collector or a
   * location holds `q` (case-insensitive for ASCII), by name then key, after the key
   * `after`; `keys` keeps only those components (the ones in use).
   */
  search(hostId: string, opts: { q?: string; keys?: string[]; limit: number; after?: { name: string; key: string } }): InventoryRow[] {
    const where = ['host_id = ?'];
    const args: unknown[] = [hostId];
    if (opts.q) {
      const p = like(opts.q);
      where.push(
        "(name LIKE ? ESCAPE '\\' OR json_extract(doc, '$.version') LIKE ? ESCAPE '\\' OR source_name LIKE ? ESCAPE '\\' OR json_extract(doc, '$.foundBy') LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM json_each(doc, '$.locations') l WHERE l.value LIKE ? ESCAPE '\\'))",
      );
      args.push(p, p, p, p, p);
    }
    if (opts.keys) {
      where.push('key IN (SELECT value FROM json_each(?))');
      args.push(JSON.stringify(opts.keys));
    }
    if (opts.after) {
      where.push('(name > ? OR (name = ? AND key > ?))');
      args.push(opts.after.name, opts.after.name, opts.after.key);
    }
    args.push(opts.limit);
    const rows = this.db
      .prepare<unknown[], { key: string; doc: string }>(`SELECT key, doc FROM components WHERE ${where.join(' AND ')} ORDER BY name, key LIMIT ?`)
      .all(...args);
    return rows.map((r) => {
      const c = JSON.parse(r.doc) as { ecosystem: string; name: string; version: string; purl: string; source?: { name: string }; foundBy: string; locations: string[] };
      return { key: r.key, ecosystem: c.ecosystem, name: c.name, version: c.version, purl: c.purl, ...(c.source ? { source: c.source.name } : {}), foundBy: c.foundBy, locations: c.locations };
    });
  }

  close(): void {
    this.db.close();
  }
}
