import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import type { Component, Inventory } from '../../src/common/model.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { matchInventory } from '../../src/matcher/match.js';
import type { InventoryDelta } from '../../src/common/delta.js';
import { componentKey, type FleetStore, type HostInput } from '../../src/store/fleet-store.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { PKGDB, REPO, silentLog, tempDir } from '../helpers/fixtures.js';

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const NPM_V2 = path.join(PKGDB, 'npm/real-npm-v2');

const T = (n: number) => `2026-03-0${n}T12:00:00.000Z`;

/** The digest agent and server agree on; the store receives the components sorted by key. */
function digest(components: Component[]): string {
  const h = createHash('sha256');
  for (const k of components.map((c) => `${componentKey(c)}\u0000${c.version}`).sort()) h.update(`${k}\n`);
  return h.digest('hex');
}

function npm(name: string, version: string): Component {
  return {
    ecosystem: 'npm',
    name,
    version,
    purl: `pkg:npm/${name}@${version}`,
    locations: [`/app/node_modules/${name}/package.json`],
    foundBy: 'test',
  };
}

function hostInput(id: string, tags: string[] = []): HostInput {
  return { id, hostname: `${id}.example`, facts: { os: { id: 'debian', versionId: '12', distro: 'debian-12' } }, tags, agentVersion: '0.1.0', certFingerprint: `sha256:${id}` };
}

export interface StoreHandle {
  store: FleetStore;
  cleanup: () => void | Promise<void>;
}

/**
 * The behaviour every FleetStore backend must show. Each test gets an empty store
 * from `makeStore`; the PostgreSQL backend runs this same suite.
 */
export function fleetStoreSuite(name: string, makeStore: () => StoreHandle | Promise<StoreHandle>): void {
  describe(`FleetStore: ${name}`, () => {
    let handle: StoreHandle;
    let store: FleetStore;
    beforeEach(async () => {
      handle = await makeStore();
      store = handle.store;
    });
    afterEach(async () => {
      store.close();
      await handle.cleanup();
    });

    describe('hosts', () => {
      it('enrols, refreshes, filters by tag and lists revoked hosts as revoked', () => {
        store.upsertHost(hostInput('h1', ['prod', 'web']), T(1));
        store.upsertHost(hostInput('h2', ['dev']), T(1));
        store.upsertHost({ ...hostInput('h1', ['prod']), agentVersion: '0.2.0' }, T(2));
        store.upsertHost(hostInput('h3'), T(1));
        store.revokeHost('h3', T(3));
        store.revokeHost('h3', T(4)); // a second revocation keeps the first time

        const h1 = store.host('h1')!;
        expect(h1).toMatchObject({ hostname: 'h1.example', tags: ['prod'], agentVersion: '0.2.0', enrolledAt: T(1), lastSeenAt: T(2) });
        expect(h1.revokedAt).toBeUndefined();
        expect(h1.facts.os?.distro).toBe('debian-12');
        expect(store.hosts().map((h) => h.id)).toEqual(['h1', 'h2', 'h3']);
        expect(store.hosts({ revoked: true })).toMatchObject([{ id: 'h3', revokedAt: T(3) }]);
        expect(store.hosts({ revoked: false }).map((h) => h.id)).toEqual(['h1', 'h2']);
        expect(store.hosts({ tag: 'dev' }).map((h) => h.id)).toEqual(['h2']);
        expect(store.host('nope')).toBeUndefined();
        expect(() => store.revokeHost('nope', T(1))).toThrow(/unknown host/);
      });
    });

    describe('delta sequencing', () => {
      const a = npm('a', '1.0.0');
      const b = npm('b', '1.0.0');
      const c = npm('c', '2.0.0');
      const afterFirst = [b, c];
      const first: InventoryDelta = { epoch: 1, baseSeq: 5, seq: 6, added: [c], removed: [componentKey(a)], digestAfter: digest(afterFirst) };

      beforeEach(() => {
        store.upsertHost(hostInput('h1'), T(1));
        store.replaceInventory('h1', 1, 5, [a, b], digest([a, b]));
      });

      const state = () => {
        const inv = store.inventory('h1')!;
        return { epoch: inv.epoch, seq: inv.seq, digest: inv.digest, names: inv.components.map((x) => `${x.name}@${x.version}`) };
      };

      it('asks for a snapshot before any inventory is held', () => {
        store.upsertHost(hostInput('h2'), T(1));
        expect(store.applyDelta('h2', { ...first, baseSeq: 0, seq: 1 }, digest)).toEqual({ outcome: 'gap', seq: 0 });
        expect(store.inventory('h2')).toBeUndefined();
      });

      it('applies a delta whose baseSeq is the stored seq, and re-acks its duplicate', () => {
        expect(store.applyDelta('h1', first, digest)).toEqual({ outcome: 'applied', seq: 6 });
        expect(state()).toEqual({ epoch: 1, seq: 6, digest: digest(afterFirst), names: ['b@1.0.0', 'c@2.0.0'] });
        expect(store.applyDelta('h1', first, digest)).toEqual({ outcome: 'duplicate', seq: 6 });
        expect(state().seq).toBe(6);
      });

      it('reports a gap, a stale epoch and a new epoch without touching state', () => {
        const before = state();
        expect(store.applyDelta('h1', { ...first, baseSeq: 7, seq: 8 }, digest)).toEqual({ outcome: 'gap', seq: 5 });
        expect(store.applyDelta('h1', { ...first, epoch: 0 }, digest)).toEqual({ outcome: 'stale-epoch', seq: 5 });
        expect(store.applyDelta('h1', { ...first, epoch: 2 }, digest)).toEqual({ outcome: 'gap', seq: 5 });
        expect(state()).toEqual(before);
      });

      it('rolls back a delta whose result does not match its digest', () => {
        const before = state();
        expect(store.applyDelta('h1', { ...first, digestAfter: 'wrong' }, digest)).toEqual({ outcome: 'digest-mismatch', seq: 5 });
        expect(state()).toEqual(before);
      });

      it('leaves seq and components unchanged when applying fails half-way', () => {
        const before = state();
        const failing = () => {
          throw new Error('injected failure after the components were written');
        };
        expect(() => store.applyDelta('h1', first, failing)).toThrow(/injected failure/);
        expect(state()).toEqual(before);
        expect(store.applyDelta('h1', first, digest)).toEqual({ outcome: 'applied', seq: 6 });
      });

      it('replaces the inventory from a snapshot, which starts a new epoch', () => {
        store.applyDelta('h1', first, digest);
        store.replaceInventory('h1', 2, 0, [a], digest([a]));
        expect(state()).toEqual({ epoch: 2, seq: 0, digest: digest([a]), names: ['a@1.0.0'] });
        expect(store.applyDelta('h1', first, digest).outcome).toBe('stale-epoch');
        const next: InventoryDelta = { epoch: 2, baseSeq: 0, seq: 1, added: [b], removed: [], digestAfter: digest([a, b]) };
        expect(store.applyDelta('h1', next, digest)).toEqual({ outcome: 'applied', seq: 1 });
      });

      it('refuses inventory from revoked and unknown hosts', () => {
        store.revokeHost('h1', T(2));
        expect(() => store.applyDelta('h1', first, digest)).toThrow(/revoked/);
        expect(() => store.replaceInventory('h1', 1, 9, [], digest([]))).toThrow(/revoked/);
        expect(() => store.applyDelta('nope', first, digest)).toThrow(/unknown host/);
        expect(state().seq).toBe(5);
      });
    });

    describe('inverted index', () => {
      it('returns exactly the active hosts holding a package, by name or source name', () => {
        const libssl: Component = {
          ecosystem: 'deb',
          name: 'libssl3',
          version: '3.0.11-1~deb12u2',
          source: { name: 'openssl' },
          purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
          locations: ['/var/lib/dpkg/status'],
          foundBy: 'test',
        };
        const inventories: Record<string, Component[]> = {
          h1: [npm('lodash', '4.17.20'), npm('minimist', '1.2.5')],
          h2: [npm('lodash', '4.17.21'), libssl],
          h3: [npm('lodash', '4.17.20'), npm('minimist', '1.2.5')],
          h4: [npm('lodash-es', '4.17.20')],
        };
        for (const [id, comps] of Object.entries(inventories)) {
          store.upsertHost(hostInput(id), T(1));
          store.replaceInventory(id, 1, 1, comps, digest(comps));
        }
        store.revokeHost('h3', T(2));

        expect(store.hostsHolding('npm', ['minimist'])).toEqual(['h1']);
        expect(store.hostsHolding('npm', ['lodash'])).toEqual(['h1', 'h2']);
        expect(store.hostsHolding('npm', ['lodash', 'lodash-es'])).toEqual(['h1', 'h2', 'h4']);
        expect(store.hostsHolding('deb', ['openssl'])).toEqual(['h2']);
        expect(store.hostsHolding('deb', ['libssl3'])).toEqual(['h2']);
        expect(store.hostsHolding('pypi', ['lodash'])).toEqual([]);
        expect(store.hostsHolding('npm', [])).toEqual([]);

        // PyPI names compare as the advisory index keys them: case, '-', '_' and '.' do not matter.
        const rest: Component = { ecosystem: 'pypi', name: 'Django_REST.framework', version: '3.14.0', purl: 'pkg:pypi/django-rest.framework@3.14.0', locations: ['/usr/lib/python3/dist-packages/Django_REST.framework-3.14.0.dist-info/METADATA'], foundBy: 'test' };
        store.upsertHost(hostInput('h5'), T(1));
        store.replaceInventory('h5', 1, 1, [rest], digest([rest]));
        expect(store.hostsHolding('pypi', ['django-rest-framework'])).toEqual(['h5']);
        expect(store.hostsHolding('pypi', ['DJANGO_rest_Framework'])).toEqual(['h5']);
        expect(store.hostsHolding('pypi', ['django-rest'])).toEqual([]);
        // Debian names are lowercase by policy; the key is too.
        expect(store.hostsHolding('deb', ['LibSSL3'])).toEqual(['h2']);

        const drop: InventoryDelta = { epoch: 1, baseSeq: 1, seq: 2, added: [], removed: [componentKey(npm('minimist', '1.2.5'))], digestAfter: digest([npm('lodash', '4.17.20')]) };
        expect(store.applyDelta('h1', drop, digest).outcome).toBe('applied');
        expect(store.hostsHolding('npm', ['minimist'])).toEqual([]);
      });
    });

    describe('findings lifecycle (real matcher)', () => {
      let advisories: SqliteAdvisoryStore;
      let advDir: { dir: string; cleanup: () => void };
      let base: Inventory;

      beforeAll(async () => {
        advDir = tempDir('vigil-fleet-adv-');
        advisories = new SqliteAdvisoryStore(path.join(advDir.dir, 'advisories.db'));
        advisories.importFeeds((await readFeeds([GHSA_NPM])).feeds, T(1));
        base = await scan({ path: NPM_V2, log: silentLog });
      });
      afterAll(() => {
        advisories.close();
        advDir.cleanup();
      });

      const match = (components: Component[]): Finding[] => matchInventory({ ...base, components }, advisories).findings;
      const byName = (findings: Finding[], name: string) => findings.filter((f) => f.component.name === name);

      /** Apply the change as the agent would send it, then re-match and reconcile. */
      function step(hostId: string, from: Component[], to: Component[], now: string) {
        const held = store.inventory(hostId)!;
        const fromKeys = new Set(from.map(componentKey));
        const toKeys = new Set(to.map(componentKey));
        const delta: InventoryDelta = {
          epoch: held.epoch,
          baseSeq: held.seq,
          seq: held.seq + 1,
          added: to.filter((c) => !fromKeys.has(componentKey(c))),
          removed: [...fromKeys].filter((k) => !toKeys.has(k)),
          digestAfter: digest(to),
        };
        expect(store.applyDelta(hostId, delta, digest).outcome).toBe('applied');
        return store.reconcileFindings(hostId, match(to), now);
      }

      it('opens, keeps, closes as upgraded or removed, and reopens as a new episode', () => {
        const c0 = base.components;
        const f0 = match(c0);
        const lodash = byName(f0, 'lodash');
        const minimist = byName(f0, 'minimist');
        expect(lodash.length).toBeGreaterThan(0);
        expect(minimist.length).toBeGreaterThan(0);

        store.upsertHost({ ...hostInput('h1', ['prod']), facts: { os: base.os } }, T(1));
        store.replaceInventory('h1', 1, 0, c0, digest(c0));
        const r1 = store.reconcileFindings('h1', f0, T(1));
        expect(r1.opened.sort()).toEqual(f0.map((f) => f.id).sort());
        expect(store.findings({ hostId: 'h1' }).every((s) => s.status === 'ACTIVE' && s.firstSeen === T(1) && s.episode === 1)).toBe(true);
        // The finding comes back exactly as the matcher produced it.
        expect(store.findings({ hostId: 'h1', cve: lodash[0]!.vulnerability }).find((s) => s.id === lodash[0]!.id)!.finding).toEqual(lodash[0]);

        // Seen again: last seen moves, first seen stays.
        expect(store.reconcileFindings('h1', f0, T(2))).toEqual({ opened: [], reopened: [], closed: [] });
        expect(store.findings({ hostId: 'h1' }).every((s) => s.firstSeen === T(1) && s.lastSeen === T(2))).toBe(true);

        // Upgrade lodash to the fixed version.
        const c1 = c0.map((c) => (c.name === 'lodash' && c.version === '4.17.20' ? { ...c, version: '4.17.21', purl: c.purl.replace('@4.17.20', '@4.17.21') } : c));
        expect(byName(match(c1), 'lodash')).toEqual([]);
        const r3 = step('h1', c0, c1, T(3));
        expect(r3.closed.sort()).toEqual(lodash.map((f) => f.id).sort());
        for (const f of lodash) {
          expect(store.findings({ hostId: 'h1', cve: f.vulnerability }).find((s) => s.id === f.id)).toMatchObject({
            status: 'CLOSED',
            closeReason: 'upgraded',
            closedAt: T(3),
            firstSeen: T(1),
            lastSeen: T(2),
          });
        }

        // Remove minimist.
        const c2 = c1.filter((c) => c.name !== 'minimist');
        const r4 = step('h1', c1, c2, T(4));
        expect(r4.closed.sort()).toEqual(minimist.map((f) => f.id).sort());
        for (const f of minimist) expect(store.findings({ hostId: 'h1' }).find((s) => s.id === f.id)).toMatchObject({ status: 'CLOSED', closeReason: 'removed', closedAt: T(4) });

        // Re-add it: the same id comes back as episode 2, the closed episode kept as history.
        const r5 = step('h1', c2, [...c2, ...c0.filter((c) => c.name === 'minimist')], T(5));
        expect(r5.reopened.sort()).toEqual(minimist.map((f) => f.id).sort());
        const again = store.findings({ hostId: 'h1' }).find((s) => s.id === minimist[0]!.id)!;
        expect(again).toMatchObject({ status: 'ACTIVE', firstSeen: T(5), lastSeen: T(5), episode: 2 });
        expect(again.closedAt).toBeUndefined();
        expect(store.findingHistory('h1', minimist[0]!.id)).toEqual([{ episode: 1, firstSeen: T(1), lastSeen: T(3), closedAt: T(4), closeReason: 'removed' }]);
        // lodash stays closed.
        expect(store.findings({ hostId: 'h1', status: 'CLOSED' }).map((s) => s.id).sort()).toEqual(lodash.map((f) => f.id).sort());
      });

      it('takes a close reason from the caller', () => {
        const f0 = match(base.components);
        store.upsertHost(hostInput('h1'), T(1));
        store.replaceInventory('h1', 1, 0, base.components, digest(base.components));
        store.reconcileFindings('h1', f0, T(1));
        const express = byName(f0, 'express');
        expect(express.length).toBeGreaterThan(0);
        const rest = f0.filter((f) => f.component.name !== 'express');
        store.reconcileFindings('h1', rest, T(2), (closed) => (closed.finding.component.name === 'express' ? 'patched-by-job:42' : undefined));
        const closed = store.findings({ status: 'CLOSED' });
        expect(closed.map((s) => s.id).sort()).toEqual(express.map((f) => f.id).sort());
        expect(closed.every((s) => s.closeReason === 'patched-by-job:42' && s.closedAt === T(2))).toBe(true);
        // Without a reason, a finding whose component is unchanged closed because the advisory changed.
        store.reconcileFindings('h1', [], T(3));
        expect(new Set(store.findings({ status: 'CLOSED' }).filter((s) => s.closedAt === T(3)).map((s) => s.closeReason))).toEqual(new Set(['advisory-changed']));
      });

      it('filters by host, severity, status, cve, tag and suppresses', () => {
        const f0 = match(base.components);
        store.upsertHost(hostInput('prod1', ['prod']), T(1));
        store.upsertHost(hostInput('dev1', ['dev']), T(1));
        for (const id of ['prod1', 'dev1']) {
          store.replaceInventory(id, 1, 0, base.components, digest(base.components));
          store.reconcileFindings(id, f0, T(1));
        }
        store.revokeHost('dev1', T(2));

        expect(store.findings().length).toBe(2 * f0.length);
        expect(store.findings({ hostId: 'dev1' }).length).toBe(f0.length);
        expect(store.findings({ tag: 'dev' }).every((s) => s.hostId === 'dev1')).toBe(true);
        expect(store.findings({ tag: 'dev' }).length).toBe(f0.length);
        expect(store.findings({ tag: 'none' })).toEqual([]);

        const minimist = byName(f0, 'minimist')[0]!;
        const sev = store.findings({ severity: minimist.severity });
        expect(sev.length).toBe(2 * f0.filter((f) => f.severity === minimist.severity).length);
        expect(sev.every((s) => s.finding.severity === minimist.severity)).toBe(true);
        expect(store.findings({ severity: ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] }).length).toBe(2 * f0.length);

        const byCve = store.findings({ cve: minimist.vulnerability });
        const perHost = f0.filter((f) => f.vulnerability === minimist.vulnerability).map((f) => f.id).sort();
        expect(byCve.length).toBe(2 * perHost.length);
        expect(byCve.filter((s) => s.hostId === 'prod1').map((s) => s.id).sort()).toEqual(perHost);
        for (const alias of minimist.aliases) expect(store.findings({ cve: alias }).length).toBe(2 * perHost.length);

        expect(store.suppress({ vulnerability: minimist.vulnerability, hostId: 'prod1', reason: 'mitigated by config', createdAt: T(3) })).toBe(perHost.length);
        const suppressed = () => store.findings({ status: 'SUPPRESSED' }).map((s) => `${s.hostId} ${s.id}`).sort();
        expect(suppressed()).toEqual(perHost.map((id) => `prod1 ${id}`));
        // Suppression outlives reconciliation while the finding is present.
        store.reconcileFindings('prod1', f0, T(4));
        expect(suppressed()).toEqual(perHost.map((id) => `prod1 ${id}`));
        expect(store.findings({ status: ['ACTIVE', 'SUPPRESSED'], hostId: 'prod1' }).length).toBe(f0.length);

        // Tallies count what the findings list counts.
        const tallies = store.hostTallies();
        for (const id of ['prod1', 'dev1']) {
          const active = store.findings({ hostId: id, status: 'ACTIVE' });
          const bySeverity: Record<string, number> = {};
          for (const f of active) bySeverity[f.finding.severity] = (bySeverity[f.finding.severity] ?? 0) + 1;
          expect(tallies.get(id)).toEqual({ components: base.components.length, epoch: 1, seq: 0, digest: digest(base.components), active: bySeverity });
          expect(store.hostTallies(id)).toEqual(new Map([[id, tallies.get(id)]]));
        }

        // Pages in either direction of every sort key list every finding once, in order, ties by host and id the same way.
        const all = store.findings();
        for (const sort of ['score', 'severity', 'vulnerability', 'firstSeen', 'host'] as const) {
          for (const descending of [false, true]) {
            const seen: string[] = [];
            let after;
            do {
              const page = store.findingsPage({}, { sort, descending, limit: 7, ...(after ? { after } : {}) });
              seen.push(...page.items.map((f) => `${f.hostId} ${f.id}`));
              after = page.next;
            } while (after);
            expect(new Set(seen).size).toBe(all.length);
            const rank = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'];
            const value = (f: (typeof all)[number]): string | number =>
              sort === 'score' ? f.finding.score : sort === 'severity' ? rank.indexOf(f.finding.severity) : sort === 'vulnerability' ? f.finding.vulnerability : sort === 'firstSeen' ? f.firstSeen : f.hostId;
            const cmp = (a: (typeof all)[number], b: (typeof all)[number]): number => {
              const [va, vb] = [value(a), value(b)];
              const c = va < vb ? -1 : va > vb ? 1 : a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
              return descending ? -c : c;
            };
            expect(seen).toEqual([...all].sort(cmp).map((f) => `${f.hostId} ${f.id}`));
          }
        }

        // A revoked host keeps its findings and is listed as revoked.
        expect(store.hosts({ revoked: true }).map((h) => h.id)).toEqual(['dev1']);
        expect(() => store.reconcileFindings('nope', f0, T(4))).toThrow(/unknown host/);
      });
    });
  });
}

fleetStoreSuite('SQLite', () => {
  const { dir, cleanup } = tempDir('vigil-fleet-');
  return { store: new SqliteFleetStore(path.join(dir, 'fleet.db')), cleanup };
});

describe('SqliteFleetStore file', () => {
  it('migrates a version 1 database: stored components gain the inverted index keys', () => {
    const { dir, cleanup } = tempDir('vigil-fleet-');
    try {
      const file = path.join(dir, 'fleet.db');
      // The version 1 layout of the tables involved, as Vigil 0.1 wrote it.
      const raw = new Database(file);
      raw.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE hosts (id TEXT PRIMARY KEY, hostname TEXT NOT NULL, facts TEXT NOT NULL, agent_version TEXT NOT NULL,
          cert_fingerprint TEXT NOT NULL, enrolled_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, revoked_at TEXT);
        CREATE TABLE components (host_id TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE, key TEXT NOT NULL,
          ecosystem TEXT NOT NULL, name TEXT NOT NULL, source_name TEXT, purl_name TEXT NOT NULL, doc TEXT NOT NULL,
          PRIMARY KEY (host_id, key));
        CREATE INDEX components_by_name ON components (ecosystem, name);
        CREATE INDEX components_by_source ON components (ecosystem, source_name);
        INSERT INTO meta VALUES ('schema', '1');`);
      const yaml: Component = { ecosystem: 'pypi', name: 'PyYAML', version: '6.0.1', purl: 'pkg:pypi/pyyaml@6.0.1', locations: ['/usr/lib/python3/dist-packages/PyYAML-6.0.1.dist-info/METADATA'], foundBy: 'test' };
      raw.prepare(`INSERT INTO hosts VALUES ('h1', 'h1.example', '{}', '0.1.0', 'sha256:h1', ?, ?, NULL)`).run(T(1), T(1));
      raw.prepare('INSERT INTO components VALUES (?, ?, ?, ?, NULL, ?, ?)').run('h1', componentKey(yaml), 'pypi', 'PyYAML', 'pkg:pypi/pyyaml', JSON.stringify(yaml));
      raw.close();
      const store = new SqliteFleetStore(file);
      expect(store.hostsHolding('pypi', ['pyyaml'])).toEqual(['h1']);
      store.close();
      const after = new Database(file, { readonly: true });
      expect(after.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '4' });
      expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'components_by_%' ORDER BY name").all()).toEqual([
        { name: 'components_by_name_key' },
        { name: 'components_by_purl_name' },
        { name: 'components_by_source_key' },
      ]);
      after.close();
    } finally {
      cleanup();
    }
  });

  it('keeps state across reopening and refuses a newer schema', () => {
    const { dir, cleanup } = tempDir('vigil-fleet-');
    try {
      const file = path.join(dir, 'fleet.db');
      const s1 = new SqliteFleetStore(file);
      s1.upsertHost(hostInput('h1'), T(1));
      s1.replaceInventory('h1', 1, 3, [npm('a', '1.0.0')], digest([npm('a', '1.0.0')]));
      s1.close();
      const s2 = new SqliteFleetStore(file);
      expect(s2.inventory('h1')).toMatchObject({ epoch: 1, seq: 3, components: [{ name: 'a' }] });
      s2.close();
      const raw = new Database(file);
      raw.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
      raw.close();
      expect(() => new SqliteFleetStore(file)).toThrow(/newer than this Vigil/);
    } finally {
      cleanup();
    }
  });
});
