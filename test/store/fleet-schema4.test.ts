import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { componentKey } from '../../src/common/identity.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import { DigestState, inventoryDigestV2 } from '../../src/common/inventory-lthash.js';
import type { Component } from '../../src/common/model.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { fixtureComponents } from '../agent/fixture-components.js';
import { tempDir } from '../helpers/fixtures.js';

/** The fleet database's tables as Vigil wrote them at schema version 3. */
const V3_DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE hosts (
  id TEXT PRIMARY KEY, hostname TEXT NOT NULL, facts TEXT NOT NULL, agent_version TEXT NOT NULL,
  cert_fingerprint TEXT NOT NULL, enrolled_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, revoked_at TEXT,
  machine_id TEXT, state TEXT NOT NULL DEFAULT 'enrolled');
CREATE TABLE host_tags (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY (host_id, tag));
CREATE TABLE inventories (
  host_id TEXT PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL, seq INTEGER NOT NULL, digest TEXT NOT NULL);
CREATE TABLE components (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, key TEXT NOT NULL,
  ecosystem TEXT NOT NULL, name TEXT NOT NULL, source_name TEXT, purl_name TEXT NOT NULL, doc TEXT NOT NULL,
  name_key TEXT NOT NULL DEFAULT '', source_key TEXT,
  PRIMARY KEY (host_id, key));
CREATE TABLE findings (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, id TEXT NOT NULL,
  vulnerability TEXT NOT NULL, severity TEXT NOT NULL, score REAL NOT NULL, status TEXT NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, closed_at TEXT, close_reason TEXT, episode INTEGER NOT NULL,
  component_key TEXT NOT NULL, purl_name TEXT NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (host_id, id));
CREATE TABLE finding_episodes (
  host_id TEXT NOT NULL, finding_id TEXT NOT NULL, episode INTEGER NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, closed_at TEXT NOT NULL, close_reason TEXT NOT NULL,
  PRIMARY KEY (host_id, finding_id, episode),
  FOREIGN KEY (host_id, finding_id) REFERENCES findings (host_id, id) ON DELETE CASCADE);
CREATE TABLE suppressions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, vulnerability TEXT NOT NULL, host_id TEXT REFERENCES hosts (id) ON DELETE CASCADE,
  reason TEXT NOT NULL, created_at TEXT NOT NULL);
INSERT INTO meta VALUES ('schema', '3');
`;

let pool: Component[];
let tmp: { dir: string; cleanup: () => void };
let file: string;

beforeAll(async () => {
  pool = (await fixtureComponents()).slice(0, 30);
});
beforeEach(() => {
  tmp = tempDir('vigil-fleet4-');
  file = path.join(tmp.dir, 'fleet.db');
});
afterEach(() => tmp.cleanup());

/** A version 3 database: h1 and h2 with the same inventory at seq 5 under a v1 digest. */
function writeV3(): void {
  const raw = new Database(file);
  raw.exec(V3_DDL);
  for (const h of ['h1', 'h2']) {
    raw.prepare("INSERT INTO hosts VALUES (?, ?, '{}', '0.1.0', 'fp', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', NULL, NULL, 'offline')").run(h, `${h}.example`);
    raw.prepare('INSERT INTO inventories VALUES (?, 1, 5, ?)').run(h, inventoryDigest(pool));
    const ins = raw.prepare("INSERT INTO components VALUES (?, ?, ?, ?, NULL, 'p', ?, '', NULL)");
    for (const c of pool) ins.run(h, componentKey(c), c.ecosystem, c.name, JSON.stringify(c));
  }
  raw.close();
}

describe('fleet schema 4', () => {
  it('migrates a version 3 database in place: inventories gain an empty LtHash state, every v1 digest kept', () => {
    writeV3();
    const store = new SqliteFleetStore(file);
    try {
      expect(store.inventory('h1')).toMatchObject({ epoch: 1, seq: 5, digest: inventoryDigest(pool) });
      expect(store.inventoryHead('h1', 1)).toEqual({ epoch: 1, seq: 5, digest: inventoryDigest(pool), digestVersion: 1 });
    } finally {
      store.close();
    }
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '4' });
    expect(raw.prepare('SELECT host_id, lthash FROM inventories ORDER BY host_id').all()).toEqual([
      { host_id: 'h1', lthash: null },
      { host_id: 'h2', lthash: null },
    ]);
    raw.close();
  });

  it('after the migration, a v2 agent’s delta applies on the v1 host (its state computed once) while a v1 agent’s host stays v1', () => {
    writeV3();
    const store = new SqliteFleetStore(file);
    try {
      const extra = pool[0]!;
      const rest = pool.slice(1);
      const d = { epoch: 1, baseSeq: 5, seq: 6, added: [], removed: [componentKey(extra)] };
      expect(store.applyDelta('h1', { ...d, digestAfter: inventoryDigestV2(rest) }, inventoryDigest, 2)).toEqual({ outcome: 'applied', seq: 6 });
      expect(store.applyDelta('h2', { ...d, digestAfter: inventoryDigest(rest) }, inventoryDigest, 1)).toEqual({ outcome: 'applied', seq: 6 });
      expect(store.inventoryHead('h1', 2)).toEqual({ epoch: 1, seq: 6, digest: inventoryDigestV2(rest), digestVersion: 2 });
      expect(store.inventoryHead('h2', 1)).toEqual({ epoch: 1, seq: 6, digest: inventoryDigest(rest), digestVersion: 1 });
    } finally {
      store.close();
    }
    const raw = new Database(file, { readonly: true });
    const rows = raw.prepare('SELECT host_id, lthash FROM inventories ORDER BY host_id').all() as Array<{ host_id: string; lthash: Buffer | null }>;
    raw.close();
    expect(DigestState.fromBuffer(rows[0]!.lthash!).equals(DigestState.of(pool.slice(1)))).toBe(true);
    expect(rows[1]!.lthash).toBeNull();
  });

  it('migrates in one transaction: a failure part-way leaves the version 3 database as it was', () => {
    writeV3();
    // The migration's last step writes the schema version; refuse it.
    const raw = new Database(file);
    raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON meta BEGIN SELECT RAISE(ABORT, 'refused by test'); END;");
    raw.close();
    expect(() => new SqliteFleetStore(file)).toThrow(/refused by test/);
    const back = new Database(file);
    expect(back.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '3' });
    expect((back.prepare('PRAGMA table_info(inventories)').all() as Array<{ name: string }>).map((c) => c.name)).not.toContain('lthash');
    back.exec('DROP TRIGGER refuse');
    back.close();
    const store = new SqliteFleetStore(file);
    expect(store.inventoryHead('h1', 1)!.seq).toBe(5);
    store.close();
  });
});
