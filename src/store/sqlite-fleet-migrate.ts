import type Database from 'better-sqlite3';
import { componentNameKey } from '../advisories/keys.js';
import { HOST_INITIAL, hostTransition, type HostState } from '../common/lifecycle/host.js';

/**
 * Brings a fleet database written at schema version `from` up to the current one,
 * inside the caller's transaction: a migration that fails part-way changes nothing.
 * `closeOpen` closes a host's open findings as `host-revoked` at a given time,
 * through the finding lifecycle.
 */
export function migrateFleet(db: Database.Database, from: number, closeOpen: (hostId: string, at: string) => void): void {
  if (from < 2) migrateToKeys(db);
  if (from < 3) migrateToLifecycle(db, closeOpen);
  if (from < 4) migrateToLtHash(db);
}

/**
 * Version 3 → 4: inventories gain `lthash`, the host's LtHash state when its digest is
 * v2 (store/sqlite-fleet-digest.ts). Every digest version 3 stored is v1, so the column
 * starts NULL; a host's state is computed from its components the first time an agent
 * that digests with v2 speaks for it.
 */
function migrateToLtHash(db: Database.Database): void {
  // A database older than the inventories table got it, with the column, from SCHEMA.
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(inventories)').all();
  if (!columns.some((c) => c.name === 'lthash')) db.exec('ALTER TABLE inventories ADD COLUMN lthash BLOB;');
}

/**
 * Version 1 → 2: components gain the names the inverted index compares
 * (componentNameKey), filled from every stored component.
 */
function migrateToKeys(db: Database.Database): void {
  db.exec(`ALTER TABLE components ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE components ADD COLUMN source_key TEXT;
    DROP INDEX IF EXISTS components_by_name;
    DROP INDEX IF EXISTS components_by_source;`);
  const update = db.prepare<[string, string | null, string, string]>('UPDATE components SET name_key = ?, source_key = ? WHERE host_id = ? AND key = ?');
  const rows = db.prepare<[], { host_id: string; key: string; ecosystem: string; name: string; source_name: string | null }>('SELECT host_id, key, ecosystem, name, source_name FROM components').all();
  for (const r of rows) update.run(componentNameKey(r.ecosystem, r.name), r.source_name === null ? null : componentNameKey(r.ecosystem, r.source_name), r.host_id, r.key);
}

/**
 * Version 2 → 3: hosts gain a lifecycle state and the machine id re-enrolment keys
 * on. A revoked host is `revoked` and the findings version 2 left open on it close
 * as `host-revoked` at its revocation time; a host with an inventory is `offline`
 * (no server runs while this does), one without is `enrolled`.
 */
function migrateToLifecycle(db: Database.Database, closeOpen: (hostId: string, at: string) => void): void {
  db.exec(`ALTER TABLE hosts ADD COLUMN machine_id TEXT;
    ALTER TABLE hosts ADD COLUMN state TEXT NOT NULL DEFAULT 'enrolled';`);
  const hosts = db
    .prepare<[], { id: string; revoked_at: string | null; inv: number }>('SELECT h.id, h.revoked_at, EXISTS (SELECT 1 FROM inventories i WHERE i.host_id = h.id) AS inv FROM hosts h')
    .all();
  const setState = db.prepare<[string, string]>('UPDATE hosts SET state = ? WHERE id = ?');
  for (const h of hosts) {
    // Each host starts `enrolled` and moves along the lifecycle to where version 2 had it.
    const path: HostState[] = h.revoked_at ? ['revoked'] : h.inv ? ['online', 'offline'] : [];
    let at: HostState = HOST_INITIAL;
    for (const to of path) {
      hostTransition(h.id, at, to);
      at = to;
    }
    setState.run(at, h.id);
    if (h.revoked_at) closeOpen(h.id, h.revoked_at);
  }
}
