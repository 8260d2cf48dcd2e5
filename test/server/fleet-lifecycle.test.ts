import type { Finding } from '../../src/matcher/finding.js';
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { VigilError } from '../../src/common/errors.js';
import { componentKey } from '../../src/common/identity.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import { FINDING_INITIAL, FINDING_TRANSITIONS, observeFindingTransitions, type FindingStatus } from '../../src/common/lifecycle/finding.js';
import { HOST_INITIAL, HOST_TRANSITIONS, observeHostTransitions, type HostState } from '../../src/common/lifecycle/host.js';
import type { Component, Inventory } from '../../src/common/model.js';
import type { DeltaMsg, HelloMsg } from '../../src/common/wire/messages.js';
import { scan } from '../../src/inventory/scan.js';
import { FleetService } from '../../src/server/fleet-service.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { PKGDB, REPO, silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * Hosts and findings through their written lifecycles, on the real store and
 * service over real SQLite and real advisories (GHSA npm records matched against a
 * real package-lock): revoking closes, deleting removes, every episode is kept, and
 * nothing changes state outside the tables in common/lifecycle.
 */

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const NPM_V2 = path.join(PKGDB, 'npm/real-npm-v2');
const MACHINE = 'c0ffee00c0ffee00c0ffee00c0ffee00';

let advDir: { dir: string; cleanup: () => void };
let advisories: SqliteAdvisoryStore;
let base: Inventory;
let tmp: { dir: string; cleanup: () => void };
let file: string;
let fleet: SqliteFleetStore<Finding>;
let clock: number;
let service: FleetService;

beforeAll(async () => {
  advDir = tempDir('vigil-lifecycle-adv-');
  advisories = new SqliteAdvisoryStore(path.join(advDir.dir, 'advisories.db'));
  advisories.importFeeds((await readFeeds([GHSA_NPM])).feeds, '2026-03-01T00:00:00.000Z');
  base = await scan({ path: NPM_V2, log: silentLog });
});
afterAll(() => {
  advisories.close();
  advDir.cleanup();
});
beforeEach(() => {
  tmp = tempDir('vigil-lifecycle-');
  file = path.join(tmp.dir, 'fleet.db');
  fleet = new SqliteFleetStore<Finding>(file);
  clock = Date.parse('2026-03-02T00:00:00.000Z');
  service = new FleetService({ fleet, advisories, log: silentLog, now: () => new Date((clock += 1000)) });
});
afterEach(() => {
  fleet.close();
  tmp.cleanup();
});

const HELLO: HelloMsg = { kind: 'hello', agentVersion: 'test', agentEpoch: 1, lastAckedSeq: 0, capabilities: [] };

function enrolAndSync(id: string, components: Component[] = base.components, machineId?: string): void {
  service.enrolled({ agentId: id, hostname: `${id}.example`, certFingerprint: `fp-${id}`, ...(machineId ? { machineId } : {}) });
  service.hello(id, `fp-${id}`, HELLO);
  const r = service.snapshot(id, { epoch: 1, seq: 1, components, digest: inventoryDigest(components), ...(base.os ? { os: base.os } : {}) });
  expect(r.applied).toBe(true);
}

/** The inventory change an agent would send, applied through the service. */
function change(id: string, to: Component[]): void {
  const held = fleet.inventory(id)!;
  const toKeys = new Set(to.map(componentKey));
  const fromKeys = new Set(held.components.map(componentKey));
  const d: DeltaMsg = {
    kind: 'delta',
    epoch: held.epoch,
    baseSeq: held.seq,
    seq: held.seq + 1,
    added: to.filter((c) => !fromKeys.has(componentKey(c))),
    removed: [...fromKeys].filter((k) => !toKeys.has(k)),
    digestAfter: inventoryDigest(to),
  };
  expect(service.delta(id, d).applied).toBe(true);
}

const open = (hostId: string) => service.findings({ hostId, status: ['ACTIVE', 'SUPPRESSED'] });
const without = (name: string) => base.components.filter((c) => c.name !== name);

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof VigilError ? err.code : String(err);
  }
  return undefined;
}

describe('revoking a host', () => {
  it('closes its open findings as host-revoked, kept in history and counted as open nowhere', () => {
    enrolAndSync('h1');
    enrolAndSync('h2');
    const before = open('h1');
    expect(before.length).toBeGreaterThan(0);
    expect(service.host('h1').findings.total).toBe(before.length);

    const revoked = service.revoke('h1');
    expect(open('h1').map((f) => f.status)).toEqual([]);
    expect(service.findings({ status: 'ACTIVE' }).every((f) => f.hostId === 'h2')).toBe(true);
    const summary = service.hosts().find((h) => h.id === 'h1')!;
    expect(summary.findings.total).toBe(0);
    expect(revoked.state).toBe('revoked');
    expect(summary.state).toBe('revoked');
    // The other host's counts are untouched.
    expect(service.host('h2').findings.total).toBe(before.length);

    const closed = service.findings({ hostId: 'h1', status: 'CLOSED' });
    expect(closed.map((f) => f.id).sort()).toEqual(before.map((f) => f.id).sort());
    for (const f of closed) {
      expect(f).toMatchObject({ closeReason: 'host-revoked', closedAt: revoked.revokedAt });
      expect(f.episodes.at(-1)).toMatchObject({ closedAt: revoked.revokedAt, closeReason: 'host-revoked' });
    }
    // Nothing reopens them: no re-match, no advisory change, no inventory.
    expect(service.rematch('h1')).toEqual({ opened: [], reopened: [], closed: [] });
    expect(service.rematchAll()).toBe(1);
    expect(code(() => fleet.reconcileFindings('h1', before.map((f) => f.finding), new Date(clock).toISOString()))).toBe('CONFLICT');
    expect(open('h1')).toEqual([]);
  });
});

describe('deleting a host', () => {
  it('is refused with CONFLICT unless the host is revoked, then removes it with its components, findings and episodes', () => {
    enrolAndSync('h1');
    enrolAndSync('h2');
    // An earlier episode, so there is history to remove too.
    change('h1', without('minimist'));
    change('h1', base.components);
    expect(service.findings({ hostId: 'h1' }).some((f) => f.episode === 2)).toBe(true);
    fleet.suppress({ vulnerability: open('h1')[0]!.finding.vulnerability, hostId: 'h1', reason: 'test', createdAt: new Date(clock).toISOString() });

    expect(code(() => service.deleteHost('h1'))).toBe('CONFLICT');
    expect(() => service.deleteHost('h1')).toThrow('host h1 is online, not revoked; revoke it first (vigil hosts revoke h1)');
    expect(code(() => service.deleteHost('nope'))).toBe('NOT_FOUND');

    const findings = service.findings({ hostId: 'h1' }).length;
    const episodes = service.findings({ hostId: 'h1' }).reduce((n, f) => n + f.episodes.length - 1, 0);
    service.revoke('h1');
    const gone = service.deleteHost('h1');
    expect(gone).toEqual({ id: 'h1', hostname: 'h1.example', components: base.components.length, findings, episodes, suppressions: 1 });
    expect(episodes).toBeGreaterThan(0);

    expect(code(() => service.host('h1'))).toBe('NOT_FOUND');
    expect(code(() => service.deleteHost('h1'))).toBe('NOT_FOUND');
    const raw = new Database(file, { readonly: true });
    try {
      for (const [table, col] of [
        ['hosts', 'id'],
        ['host_tags', 'host_id'],
        ['inventories', 'host_id'],
        ['components', 'host_id'],
        ['findings', 'host_id'],
        ['finding_episodes', 'host_id'],
        ['suppressions', 'host_id'],
      ] as const) {
        expect(raw.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${col} = 'h1'`).get(), table).toEqual({ n: 0 });
      }
      expect((raw.prepare("SELECT COUNT(*) AS n FROM components WHERE host_id = 'h2'").get() as { n: number }).n).toBe(base.components.length);
    } finally {
      raw.close();
    }
    expect(service.host('h2').findings.total).toBeGreaterThan(0);
  });
});

describe('finding episodes', () => {
  it('a finding that closes and reopens keeps every episode, with when it opened and closed and why', () => {
    enrolAndSync('h1');
    const m1 = open('h1').find((f) => f.finding.component.name === 'minimist')!;
    expect(m1.episodes).toEqual([{ episode: 1, firstSeen: m1.firstSeen, lastSeen: m1.lastSeen }]);
    change('h1', without('minimist'));
    const closed = service.finding('h1', m1.id);
    expect(closed).toMatchObject({ status: 'CLOSED', closeReason: 'removed', episode: 1 });
    change('h1', base.components);

    const again = service.finding('h1', m1.id);
    expect(again.status).toBe('ACTIVE');
    expect(again.episodes).toEqual([
      { episode: 1, firstSeen: m1.firstSeen, lastSeen: closed.lastSeen, closedAt: closed.closedAt, closeReason: 'removed' },
      { episode: 2, firstSeen: again.firstSeen, lastSeen: again.lastSeen },
    ]);
    expect(again.firstSeen > closed.closedAt!).toBe(true);
    // The list shows the same episodes as the detail.
    expect(service.findings({ hostId: 'h1' }).find((f) => f.id === m1.id)!.episodes).toEqual(again.episodes);

    change('h1', without('minimist'));
    service.revoke('h1');
    const third = service.finding('h1', m1.id);
    expect(third.episodes.map((e) => [e.episode, e.closeReason])).toEqual([
      [1, 'removed'],
      [2, 'removed'],
    ]);
    expect(code(() => service.finding('h1', 'nope'))).toBe('NOT_FOUND');
  });
});

type Snapshot = { hosts: Map<string, HostState>; findings: Map<string, { status: FindingStatus; episode: number }> };

function snapshot(): Snapshot {
  const raw = new Database(file, { readonly: true });
  try {
    const hosts = new Map((raw.prepare('SELECT id, state FROM hosts').all() as Array<{ id: string; state: HostState }>).map((r) => [r.id, r.state]));
    const findings = new Map(
      (raw.prepare('SELECT host_id, id, status, episode FROM findings').all() as Array<{ host_id: string; id: string; status: FindingStatus; episode: number }>).map((r) => [
        `${r.host_id} ${r.id}`,
        { status: r.status, episode: r.episode },
      ]),
    );
    return { hosts, findings };
  } finally {
    raw.close();
  }
}

describe('every state change the store and service make is in the lifecycle tables', () => {
  it('drives one host through its whole life and checks each change read from the database', () => {
    const seenHost: string[] = [];
    const seenFinding: string[] = [];
    const stops = [
      observeHostTransitions((t) => seenHost.push(`${t.hostId} ${t.from}→${t.to}`)),
      observeFindingTransitions((t) => seenFinding.push(`${t.hostId} ${t.findingId} ${t.from}→${t.to}`)),
    ];
    const fromDb: { hosts: string[]; findings: string[]; created: string[] } = { hosts: [], findings: [], created: [] };
    let prev = snapshot();
    const step = (fn: () => unknown): void => {
      fn();
      const next = snapshot();
      for (const [id, to] of next.hosts) {
        const from = prev.hosts.get(id);
        if (from === undefined) {
          expect(to, `host ${id} created`).toBe(HOST_INITIAL);
          fromDb.created.push(`host ${id}`);
        } else if (from !== to) fromDb.hosts.push(`${id} ${from}→${to}`);
      }
      for (const [id, from] of prev.hosts) if (!next.hosts.has(id)) fromDb.hosts.push(`${id} ${from}→deleted`);
      for (const [key, f] of next.findings) {
        const was = prev.findings.get(key);
        if (!was) {
          expect(FINDING_INITIAL, `finding ${key} created`).toContain(f.status);
          expect(f.episode).toBe(1);
        } else if (was.status !== f.status) {
          fromDb.findings.push(`${key} ${was.status}→${f.status}`);
          // A new episode exactly when a closed finding comes back.
          expect(f.episode, key).toBe(was.status === 'CLOSED' ? was.episode + 1 : was.episode);
        } else expect(f.episode, key).toBe(was.episode);
      }
      prev = next;
    };
    try {
      const hello = (fp: string) => service.hello('h1', fp, HELLO);
      step(() => service.enrolled({ agentId: 'h1', hostname: 'h1.example', certFingerprint: 'fp-1', machineId: MACHINE }));
      step(() => hello('fp-1'));
      step(() => service.snapshot('h1', { epoch: 1, seq: 1, components: base.components, digest: inventoryDigest(base.components) }));
      step(() => change('h1', without('minimist')));
      step(() => change('h1', base.components));
      step(() => fleet.suppress({ vulnerability: open('h1').find((f) => f.finding.component.name === 'lodash')!.finding.vulnerability, reason: 'test', createdAt: new Date(clock).toISOString() }));
      step(() => service.disconnected('h1'));
      step(() => hello('fp-1'));
      step(() => service.serverStarted());
      step(() => hello('fp-1'));
      // The same machine enrols again while its stream is open: same host, new certificate.
      step(() => expect(service.enrolment(MACHINE)).toEqual({ hostId: 'h1' }));
      step(() => expect(service.enrolled({ agentId: 'h1', hostname: 'h1.example', certFingerprint: 'fp-2', machineId: MACHINE })).toEqual({ reenrolled: true }));
      step(() => expect(() => hello('fp-1')).toThrow(/replaced/));
      step(() => hello('fp-2'));
      step(() => service.revoke('h1'));
      step(() => expect(code(() => service.enrolment(MACHINE))).toBe('CONFLICT'));
      step(() => expect(code(() => hello('fp-2'))).toBe('INVALID_INPUT'));
      step(() => service.deleteHost('h1'));
      step(() => expect(service.enrolment(MACHINE)).toEqual({}));
    } finally {
      for (const stop of stops) stop();
    }

    for (const t of fromDb.hosts) {
      const [from, to] = t.split(' ')[1]!.split('→') as [HostState, HostState];
      expect(HOST_TRANSITIONS[from][to], t).toBeDefined();
    }
    for (const t of fromDb.findings) {
      const [from, to] = t.split(' ').at(-1)!.split('→') as [FindingStatus, FindingStatus];
      expect(FINDING_TRANSITIONS[from][to], t).toBeDefined();
    }
    // Every change went through the lifecycle's gate, and the gate passed nothing that did not happen.
    expect(seenHost).toEqual(fromDb.hosts);
    expect([...seenFinding].sort()).toEqual([...fromDb.findings].sort());
    expect(fromDb.hosts).toEqual([
      'h1 enrolled→online',
      'h1 online→offline',
      'h1 offline→online',
      'h1 online→offline',
      'h1 offline→online',
      'h1 online→enrolled',
      'h1 enrolled→online',
      'h1 online→revoked',
      'h1 revoked→deleted',
    ]);
    const kinds = new Set(fromDb.findings.map((t) => t.split(' ').at(-1)));
    expect([...kinds].sort()).toEqual(['ACTIVE→CLOSED', 'ACTIVE→SUPPRESSED', 'CLOSED→ACTIVE', 'SUPPRESSED→CLOSED']);
  });
});

describe('a host\'s advisory coverage', () => {
  it('names the namespaces its packages are looked up in, the feeds covering each, and what is not covered', () => {
    const fedora = { id: 'fedora', versionId: '40', prettyName: 'Fedora Linux 40 (Server Edition)', distro: 'fedora-40' };
    const rpm: Component = { ecosystem: 'rpm', name: 'bash', version: '5.2.26', release: '3.fc40', purl: 'pkg:rpm/fedora/bash@5.2.26-3.fc40', locations: ['/var/lib/rpm/rpmdb.sqlite'], foundBy: 'rpm-sqlite' };
    service.enrolled({ agentId: 'h9', hostname: 'h9.example', certFingerprint: 'fp-h9' });
    service.hello('h9', 'fp-h9', HELLO);
    const components = [...base.components, rpm];
    expect(service.snapshot('h9', { epoch: 1, seq: 1, components, digest: inventoryDigest(components), os: fedora }).applied).toBe(true);
    const cov = service.host('h9').coverage!;
    expect(cov.namespaces).toEqual([
      { namespace: 'Fedora:40', components: 1, feeds: [] },
      { namespace: 'npm', components: base.components.length, feeds: ['osv:ghsa-npm/'] },
    ]);
    expect(cov.problems.map((p) => [p.code, p.message])).toContainEqual([
      'not-covered',
      'no advisory data for Fedora Linux 40 (Server Edition): OS packages not checked (1 rpm package); Vigil reads no feed for this distribution',
    ]);
    // The GHSA records are from 2024: old by the service's clock.
    expect(cov.problems.map((p) => p.code)).toContain('stale-data');
  });
});

describe('components in use, as the agent reports them', () => {
  it("reach the host's findings: in use, not running, and unknown where the agent never said", () => {
    enrolAndSync('h1');
    const unknown = open('h1');
    expect(unknown.length).toBeGreaterThan(1);
    // An agent that read no processes: in-use unknown, scored as such, no in-use reason.
    for (const f of unknown) {
      expect(f.finding.inUse).toBe(false);
      expect(f.finding.scoreReasons).not.toContain('installed, not running');
    }
    const used = unknown[0]!.finding.component;
    const usedKey = componentKey(used);
    const held = fleet.inventory('h1')!;
    const d: DeltaMsg = { kind: 'delta', epoch: held.epoch, baseSeq: held.seq, seq: held.seq + 1, added: [], removed: [], inUse: [usedKey], digestAfter: held.digest };
    expect(service.delta('h1', d).applied).toBe(true);
    const after = open('h1');
    expect(after.map((f) => f.id).sort()).toEqual(unknown.map((f) => f.id).sort());
    const before = new Map(unknown.map((f) => [f.id, f.finding.score]));
    for (const f of after) {
      const inUse = componentKey(f.finding.component) === usedKey;
      expect(f.finding.inUse).toBe(inUse);
      expect(f.finding.scoreReasons).toContain(inUse ? 'in use by a running process' : 'installed, not running');
      // Not running ranks lower than unknown; in use as unknown (no socket).
      if (inUse) expect(f.finding.score).toBe(before.get(f.id));
      else expect(f.finding.score).toBeLessThanOrEqual(before.get(f.id)!);
    }
    expect(after.some((f) => !f.finding.inUse && f.finding.score < before.get(f.id)!)).toBe(true);
    expect(fleet.host('h1')!.facts.inUse).toEqual([usedKey]);

    // Nothing in use any more: an empty set, not an absent one.
    const d2: DeltaMsg = { ...d, baseSeq: d.seq, seq: d.seq + 1, inUse: [] };
    expect(service.delta('h1', d2).applied).toBe(true);
    expect(open('h1').every((f) => !f.finding.inUse && f.finding.scoreReasons!.includes('installed, not running'))).toBe(true);
    // A delta without the set leaves it as it was.
    const d3: DeltaMsg = { kind: 'delta', epoch: d.epoch, baseSeq: d2.seq, seq: d2.seq + 1, added: [], removed: [], digestAfter: held.digest };
    expect(service.delta('h1', d3).applied).toBe(true);
    expect(fleet.host('h1')!.facts.inUse).toEqual([]);
  });

  it('arrive with a snapshot too', () => {
    service.enrolled({ agentId: 'h3', hostname: 'h3.example', certFingerprint: 'fp-h3' });
    service.hello('h3', 'fp-h3', HELLO);
    const key = componentKey(base.components.find((c) => c.name === 'lodash')!);
    expect(service.snapshot('h3', { epoch: 1, seq: 1, components: base.components, digest: inventoryDigest(base.components), inUse: [key] }).applied).toBe(true);
    const [used, others] = [open('h3').filter((f) => componentKey(f.finding.component) === key), open('h3').filter((f) => componentKey(f.finding.component) !== key)];
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((f) => f.finding.inUse)).toBe(true);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((f) => !f.finding.inUse)).toBe(true);
  });
});

describe('a finding through the store', () => {
  it('comes back as the matcher made it: the one conversion is the store row reader, and it loses nothing', async () => {
    const { matchInventory } = await import('../../src/matcher/match.js');
    const { findings } = matchInventory({ ...base, target: { kind: 'host', path: '/' } }, advisories, { inUseObserved: true });
    expect(findings.length).toBeGreaterThan(1);
    enrolAndSync('h9');
    fleet.reconcileFindings('h9', findings, '2026-03-03T00:00:00.000Z');
    const back = new Map(fleet.findings({ hostId: 'h9' }).map((s) => [s.id, s.finding]));
    expect(back.size).toBe(findings.length);
    // JSON drops the fields left undefined; every other field is the matcher's, typed as its Finding.
    for (const f of findings) expect(back.get(f.id)).toEqual(JSON.parse(JSON.stringify(f)) as Finding);
  });
});
