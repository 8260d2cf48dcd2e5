import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { tempDir } from '../helpers/fixtures.js';

/** The fleet database as Vigil wrote it at schema version 2, table for table. */
const V2_DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE hosts (
  id TEXT PRIMARY KEY, hostname TEXT NOT NULL, facts TEXT NOT NULL, agent_version TEXT NOT NULL,
  cert_fingerprint TEXT NOT NULL, enrolled_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE host_tags (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY (host_id, tag));
CREATE INDEX host_tags_by_tag ON host_tags (tag);
CREATE TABLE inventories (
  host_id TEXT PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL, seq INTEGER NOT NULL, digest TEXT NOT NULL);
CREATE TABLE components (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, key TEXT NOT NULL,
  ecosystem TEXT NOT NULL, name TEXT NOT NULL, source_name TEXT, purl_name TEXT NOT NULL, doc TEXT NOT NULL,
  name_key TEXT NOT NULL DEFAULT '', source_key TEXT,
  PRIMARY KEY (host_id, key));
CREATE INDEX components_by_purl_name ON components (host_id, purl_name);
CREATE TABLE findings (
  host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, id TEXT NOT NULL,
  vulnerability TEXT NOT NULL, severity TEXT NOT NULL, score REAL NOT NULL, status TEXT NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, closed_at TEXT, close_reason TEXT, episode INTEGER NOT NULL,
  component_key TEXT NOT NULL, purl_name TEXT NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (host_id, id));
CREATE INDEX findings_by_vulnerability ON findings (vulnerability);
CREATE INDEX findings_by_status ON findings (status, severity);
CREATE TABLE finding_episodes (
  host_id TEXT NOT NULL, finding_id TEXT NOT NULL, episode INTEGER NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, closed_at TEXT NOT NULL, close_reason TEXT NOT NULL,
  PRIMARY KEY (host_id, finding_id, episode),
  FOREIGN KEY (host_id, finding_id) REFERENCES findings (host_id, id) ON DELETE CASCADE);
CREATE TABLE suppressions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, vulnerability TEXT NOT NULL, host_id TEXT REFERENCES hosts (id) ON DELETE CASCADE,
  reason TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX suppressions_by_vulnerability ON suppressions (vulnerability);
CREATE INDEX components_by_name_key ON components (ecosystem, name_key);
CREATE INDEX components_by_source_key ON components (ecosystem, source_key);
INSERT INTO meta VALUES ('schema', '2');
`;

const T = (n: number) => `2026-03-0${n}T12:00:00.000Z`;

let tmp: { dir: string; cleanup: () => void };
let file: string;

function doc(id: string): string {
  return JSON.stringify({ id, vulnerability: `CVE-2026-000${id.at(-1)}`, aliases: [], component: { purl: 'pkg:npm/x@1.0.0', ecosystem: 'npm', name: 'x', version: '1.0.0', locations: [] }, severity: 'high', score: 7 });
}

/** A version 2 database: h1 live with an inventory, h2 revoked with findings version 2 left open, h3 never connected. */
function writeV2(extra = ''): void {
  const raw = new Database(file);
  raw.exec(V2_DDL);
  const host = raw.prepare("INSERT INTO hosts VALUES (?, ?, '{}', '0.1.0', ?, ?, ?, ?)");
  host.run('h1', 'h1.example', 'fp1', T(1), T(4), null);
  host.run('h2', 'h2.example', 'fp2', T(1), T(3), T(3));
  host.run('h3', 'h3.example', 'fp3', T(1), T(1), null);
  raw.prepare("INSERT INTO inventories VALUES ('h1', 1, 4, 'd1'), ('h2', 1, 2, 'd2')").run();
  const finding = raw.prepare("INSERT INTO findings VALUES (?, ?, ?, 'high', 7, ?, ?, ?, ?, ?, ?, 'k', 'pkg:npm/x', ?)");
  finding.run('h1', 'f1', 'CVE-2026-0001', 'ACTIVE', T(1), T(4), null, null, 1, doc('f1'));
  finding.run('h2', 'f2', 'CVE-2026-0002', 'ACTIVE', T(1), T(3), null, null, 1, doc('f2'));
  finding.run('h2', 'f3', 'CVE-2026-0003', 'SUPPRESSED', T(2), T(3), null, null, 2, doc('f3'));
  finding.run('h2', 'f4', 'CVE-2026-0004', 'CLOSED', T(1), T(2), T(2), 'removed', 1, doc('f4'));
  raw.prepare("INSERT INTO finding_episodes VALUES ('h2', 'f3', 1, ?, ?, ?, 'upgraded')").run(T(1), T(1), T(2));
  raw.exec(extra);
  raw.close();
}

beforeEach(() => {
  tmp = tempDir('vigil-fleet3-');
  file = path.join(tmp.dir, 'fleet.db');
});
afterEach(() => tmp.cleanup());

describe('fleet schema 3', () => {
  it('migrates a version 2 database in place: hosts gain their lifecycle state, a revoked host’s open findings close as host-revoked, every episode is kept', () => {
    writeV2();
    const store = new SqliteFleetStore(file);
    try {
      expect(store.hosts().map((h) => [h.id, h.state])).toEqual([
        ['h1', 'offline'],
        ['h2', 'revoked'],
        ['h3', 'enrolled'],
      ]);
      expect(store.findings({ hostId: 'h1' }).map((f) => [f.id, f.status])).toEqual([['f1', 'ACTIVE']]);
      const h2 = Object.fromEntries(store.findings({ hostId: 'h2' }).map((f) => [f.id, f]));
      expect(h2.f2).toMatchObject({ status: 'CLOSED', closedAt: T(3), closeReason: 'host-revoked', episodes: [{ episode: 1, firstSeen: T(1), lastSeen: T(3), closedAt: T(3), closeReason: 'host-revoked' }] });
      expect(h2.f3!.episodes).toEqual([
        { episode: 1, firstSeen: T(1), lastSeen: T(1), closedAt: T(2), closeReason: 'upgraded' },
        { episode: 2, firstSeen: T(2), lastSeen: T(3), closedAt: T(3), closeReason: 'host-revoked' },
      ]);
      // A finding closed before the revocation keeps its own reason and time.
      expect(h2.f4).toMatchObject({ status: 'CLOSED', closedAt: T(2), closeReason: 'removed' });
      expect(store.findings({ status: ['ACTIVE', 'SUPPRESSED'] }).map((f) => f.hostId)).toEqual(['h1']);
      // Re-enrolment keys on the machine id the new column holds.
      expect(store.hostByMachine('0'.repeat(32))).toBeUndefined();
    } finally {
      store.close();
    }
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '4' });
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'hosts_by_machine'").get()).toEqual({ name: 'hosts_by_machine' });
    raw.close();
  });

  it('migrates in one transaction: a migration that fails part-way leaves the version 2 database as it was', () => {
    // The last thing the migration does to data is close h2's findings; make that fail.
    writeV2(`CREATE TRIGGER refuse BEFORE UPDATE OF status ON findings BEGIN SELECT RAISE(ABORT, 'refused by test'); END;`);
    expect(() => new SqliteFleetStore(file)).toThrow(/refused by test/);
    const raw = new Database(file);
    expect(raw.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '2' });
    expect((raw.prepare('PRAGMA table_info(hosts)').all() as Array<{ name: string }>).map((c) => c.name)).not.toContain('state');
    expect(raw.prepare("SELECT status FROM findings WHERE id = 'f2'").get()).toEqual({ status: 'ACTIVE' });
    raw.exec('DROP TRIGGER refuse');
    raw.close();
    const store = new SqliteFleetStore(file);
    expect(store.host('h2')!.state).toBe('revoked');
    store.close();
  });
});
