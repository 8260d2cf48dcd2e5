import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import type { Inventory } from '../../src/common/model.js';
import type { HelloMsg } from '../../src/common/wire/messages.js';
import type { Finding } from '../../src/matcher/finding.js';
import { scan } from '../../src/inventory/scan.js';
import type { FindingEventDetail } from '../../src/server/events/finding-event.js';
import { FleetService } from '../../src/server/fleet-service.js';
import { SuppressionService } from '../../src/server/suppression-service.js';
import { fleetOpenVex } from '../../src/server/vex-export.js';
import { validateOpenVex } from '../helpers/schemas.js';
import type { SuppressionRule } from '../../src/matcher/suppression.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { SqliteRuleStore } from '../../src/store/sqlite-rules.js';
import { PKGDB, REPO, silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * Server-side suppression on the real stores and service, with an injected clock:
 * a rule with an expiry takes a finding out of the host's active counts and brings
 * it back when it expires, with a `Finding State Change` event for each move; host
 * and tag scopes hold; a VEX document imports as rules; bad rules name the problem.
 * Real advisories (GHSA npm) matched against a real package-lock.
 */

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const NPM_V2 = path.join(PKGDB, 'npm/real-npm-v2');
const HELLO: HelloMsg = { kind: 'hello', agentVersion: 'test', agentEpoch: 1, lastAckedSeq: 0, capabilities: [] };

let advDir: { dir: string; cleanup: () => void };
let advisories: SqliteAdvisoryStore;
let base: Inventory;
let tmp: { dir: string; cleanup: () => void };
let fleet: SqliteFleetStore<Finding>;
let rules: SqliteRuleStore<SuppressionRule>;
let clock: number;
let service: FleetService;
let suppression: SuppressionService;
let events: Array<{ type: string; detail: FindingEventDetail & { suppression?: Record<string, unknown> } }>;

beforeAll(async () => {
  advDir = tempDir('vigil-suppress-adv-');
  advisories = new SqliteAdvisoryStore(path.join(advDir.dir, 'advisories.db'));
  advisories.importFeeds((await readFeeds([GHSA_NPM])).feeds, '2026-03-01T00:00:00.000Z');
  base = await scan({ path: NPM_V2, log: silentLog });
});
afterAll(() => {
  advisories.close();
  advDir.cleanup();
});
beforeEach(() => {
  tmp = tempDir('vigil-suppress-');
  const file = path.join(tmp.dir, 'fleet.db');
  fleet = new SqliteFleetStore<Finding>(file);
  rules = new SqliteRuleStore<SuppressionRule>(file);
  clock = Date.parse('2026-03-02T00:00:00.000Z');
  const now = (): Date => new Date(clock);
  events = [];
  suppression = new SuppressionService(rules, fleet, now, (type, _r, detail) => events.push({ type, detail: detail as unknown as (typeof events)[number]['detail'] }));
  service = new FleetService({ fleet, advisories, log: silentLog, now, suppressedBy: (h) => suppression.suppressedBy(h) });
});
afterEach(() => {
  rules.close();
  fleet.close();
  tmp.cleanup();
});

function enrol(id: string, tags: string[] = []): void {
  service.enrolled({ agentId: id, hostname: `${id}.example`, certFingerprint: `fp-${id}` });
  service.hello(id, `fp-${id}`, { ...HELLO, ...(tags.length ? { tags } : {}) } as HelloMsg);
  expect(service.snapshot(id, { epoch: 1, seq: 1, components: base.components, digest: inventoryDigest(base.components) }).applied).toBe(true);
}

const active = (id: string): number => service.host(id).findings.total;

describe('server suppression rules', () => {
  it('hide a finding from the active counts until the rule expires, then bring it back, with an event each way', () => {
    enrol('h1');
    const before = active('h1');
    expect(before).toBeGreaterThan(3);
    const target = fleet.findings({ hostId: 'h1', status: 'ACTIVE' })[0]!;
    const rule = suppression.create({ match: { vulnerabilities: [target.finding.vulnerability] }, reason: 'accepted_risk', expires: '2026-03-05T00:00:00Z', statement: 'port firewalled' }, 'alice');
    expect(rule).toMatchObject({ author: 'alice', created: '2026-03-02T00:00:00.000Z', reason: 'accepted_risk', origin: expect.stringMatching(/^server rule rule-[0-9a-f]{12} by alice$/) });
    const covered = fleet.findings({ hostId: 'h1', cve: target.finding.vulnerability });
    expect(covered.every((f) => f.status === 'SUPPRESSED')).toBe(true);
    expect(active('h1')).toBe(before - covered.length);
    expect(events.map((e) => [e.detail.findingId, e.detail.previous, e.detail.status, e.detail.suppression?.rule])).toEqual(
      covered.map((f) => [f.id, 'ACTIVE', 'SUPPRESSED', { id: rule.id, reason: 'accepted_risk', author: 'alice', expires: '2026-03-05T00:00:00Z' }]),
    );
    // A re-match of the host keeps it suppressed, and keeps its episode.
    service.rematch('h1');
    expect(fleet.finding('h1', target.id)).toMatchObject({ status: 'SUPPRESSED', episode: 1, firstSeen: target.firstSeen });
    events.length = 0;
    // One second before expiry nothing moves; at expiry it is back.
    clock = Date.parse('2026-03-04T23:59:59Z');
    expect(suppression.refresh()).toEqual({ suppressed: 0, unsuppressed: 0 });
    clock = Date.parse('2026-03-05T00:00:00Z');
    expect(suppression.refresh()).toEqual({ suppressed: 0, unsuppressed: covered.length });
    expect(active('h1')).toBe(before);
    expect(fleet.finding('h1', target.id)).toMatchObject({ status: 'ACTIVE', episode: 1, firstSeen: target.firstSeen });
    expect(events.map((e) => [e.detail.findingId, e.detail.previous, e.detail.status, e.detail.suppression])).toEqual(
      covered.map((f) => [f.id, 'SUPPRESSED', 'ACTIVE', { because: 'rule-expired', rule: { id: rule.id, reason: 'accepted_risk', author: 'alice', expires: '2026-03-05T00:00:00Z' } }]),
    );
    // A finding that opens after expiry is not suppressed either.
    service.rematch('h1');
    expect(fleet.finding('h1', target.id)!.status).toBe('ACTIVE');
  });

  it('applies a rule naming hosts or tags only to those hosts, and a removed rule brings its findings back', () => {
    enrol('h1');
    enrol('h2');
    const vuln = fleet.findings({ hostId: 'h1', status: 'ACTIVE' })[0]!.finding.vulnerability;
    const rule = suppression.create({ id: 'only-h2', match: { vulnerabilities: [vuln], hosts: ['h2'] }, reason: 'mitigated' }, 'bob');
    expect(fleet.findings({ hostId: 'h1', cve: vuln }).map((f) => f.status)).not.toContain('SUPPRESSED');
    expect(fleet.findings({ hostId: 'h2', cve: vuln }).every((f) => f.status === 'SUPPRESSED')).toBe(true);
    suppression.remove(rule.id);
    expect(fleet.findings({ hostId: 'h2', cve: vuln }).every((f) => f.status === 'ACTIVE')).toBe(true);
    expect(events.at(-1)!.detail.suppression).toEqual({ because: 'no-rule-matches' });
  });

  it('imports an OpenVEX document as rules, and names what is wrong in a bad rule', () => {
    enrol('h1');
    const f = fleet.findings({ hostId: 'h1', status: 'ACTIVE' })[0]!.finding;
    const vex = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/1',
      author: 'Security Team',
      timestamp: '2026-03-01T00:00:00Z',
      version: 1,
      statements: [{ vulnerability: { name: f.vulnerability }, products: [{ '@id': f.component.purl }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }],
    };
    const r = suppression.importVex(JSON.stringify(vex), 'vex.json', 'carol');
    expect(r.rules).toHaveLength(1);
    expect(r.rules[0]).toMatchObject({ reason: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' });
    expect(fleet.findings({ hostId: 'h1', cve: f.vulnerability }).some((x) => x.status === 'SUPPRESSED')).toBe(true);
    expect(() => suppression.create({ match: {}, reason: 'accepted_risk' }, 'alice')).toThrow(/\/rules\/0\/match must name at least one criterion/);
    expect(() => suppression.create({ match: { vulnerabilities: ['X'] }, reason: 'not_affected' }, 'alice')).toThrow(/justification/);
    expect(() => suppression.create({ id: 'dup', match: { vulnerabilities: ['X'] }, reason: 'mitigated' }, 'a')).not.toThrow();
    expect(() => suppression.create({ id: 'dup', match: { vulnerabilities: ['X'] }, reason: 'mitigated' }, 'a')).toThrow(/a suppression rule "dup" exists/);
  });

  it('exports what is decided as valid OpenVEX that, imported into another server, suppresses the same findings', () => {
    enrol('h1', ['env=prod']);
    enrol('h2');
    const open = fleet.findings({ hostId: 'h1', status: 'ACTIVE' });
    const [a, b] = [open[0]!.finding, open.find((f) => f.finding.vulnerability !== open[0]!.finding.vulnerability)!.finding];
    expect(fleetOpenVex(suppression.decisions(), { scope: 'fleet', timestamp: '2026-03-02T00:00:00Z', tooling: 'vigil test' })).toEqual({ statements: 0, findings: 0 });
    suppression.create({ id: 'na', match: { vulnerabilities: [a.vulnerability] }, reason: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', statement: 'not loaded' }, 'alice');
    suppression.create({ id: 'risk', match: { vulnerabilities: [b.vulnerability], tags: ['env=prod'] }, reason: 'accepted_risk', expires: '2026-06-01', statement: 'port firewalled' }, 'bob');
    const decided = suppression.decisions();
    // Every SUPPRESSED finding is a decision with the rule that covers it, and nothing else is.
    expect(decided.map((d) => `${d.host.id} ${d.finding.id}`).sort()).toEqual(fleet.findings({ status: 'SUPPRESSED' }).map((f) => `${f.hostId} ${f.id}`).sort());
    expect(new Set(decided.map((d) => d.rule.id))).toEqual(new Set(['na', 'risk']));
    expect(decided.filter((d) => d.rule.id === 'risk').every((d) => d.host.id === 'h1')).toBe(true);
    expect(suppression.decisions({ hostId: 'h2' }).every((d) => d.rule.id === 'na')).toBe(true);
    expect(suppression.decisions({ tag: 'env=prod' }).every((d) => d.host.id === 'h1')).toBe(true);

    const vex = fleetOpenVex(decided, { scope: 'fleet', timestamp: '2026-03-02T00:00:00Z', tooling: 'vigil test' });
    const doc = JSON.parse(vex.document!) as { statements: Array<Record<string, unknown>> };
    expect(validateOpenVex(doc)).toEqual([]);
    expect(vex.findings).toBe(decided.length);
    const na = doc.statements.find((x) => (x.vulnerability as { name: string }).name === a.vulnerability)!;
    expect(na).toMatchObject({ status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', products: [{ '@id': a.component.purl }] });
    expect(na.status_notes).toMatch(/^not loaded Decided by alice, 2026-03-02T00:00:00.000Z \(rule na, server rule na by alice\)\. On 2 hosts: h1.example \(h1\), h2.example \(h2\)\.$/);
    const risk = doc.statements.find((x) => (x.vulnerability as { name: string }).name === b.vulnerability)!;
    expect(risk).toMatchObject({ status: 'affected', action_statement: 'Risk accepted until 2026-06-01: port firewalled' });
    expect(risk.status_notes).toMatch(/On 1 host: h1.example \(h1\)\.$/);

    // Imported into a fresh server with the same hosts, the not_affected statements set the same findings aside.
    const other = tempDir('vigil-suppress-other-');
    try {
      const file = path.join(other.dir, 'fleet.db');
      const fleet2 = new SqliteFleetStore<Finding>(file);
      const rules2 = new SqliteRuleStore<SuppressionRule>(file);
      const s2 = new SuppressionService(rules2, fleet2, () => new Date(clock));
      const svc2 = new FleetService({ fleet: fleet2, advisories, log: silentLog, now: () => new Date(clock), suppressedBy: (h) => s2.suppressedBy(h) });
      svc2.enrolled({ agentId: 'h1', hostname: 'h1.example', certFingerprint: 'fp-h1' });
      svc2.hello('h1', 'fp-h1', HELLO);
      svc2.snapshot('h1', { epoch: 1, seq: 1, components: base.components, digest: inventoryDigest(base.components) });
      const imported = s2.importVex(vex.document!, 'export.json', 'dave');
      expect(imported.rules.length).toBeGreaterThan(0);
      const want = fleet.findings({ hostId: 'h1', cve: a.vulnerability }).filter((f) => f.status === 'SUPPRESSED').map((f) => f.id).sort();
      expect(fleet2.findings({ hostId: 'h1', status: 'SUPPRESSED' }).map((f) => f.id).sort()).toEqual(want);
      rules2.close();
      fleet2.close();
    } finally {
      other.cleanup();
    }
  });

  it('passes on the timer only when a rule expired since the last pass or the rules changed', () => {
    enrol('h1');
    const target = fleet.findings({ hostId: 'h1', status: 'ACTIVE' })[0]!;
    const covered = fleet.findings({ hostId: 'h1', cve: target.finding.vulnerability }).length;
    suppression.create({ match: { vulnerabilities: [target.finding.vulnerability] }, reason: 'accepted_risk', expires: '2026-03-05T00:00:00Z' }, 'alice');
    expect(suppression.tick()).toBeUndefined();
    clock = Date.parse('2026-03-04T23:59:59Z');
    expect(suppression.tick()).toBeUndefined();
    clock = Date.parse('2026-03-05T00:00:01Z');
    expect(suppression.tick()).toEqual({ suppressed: 0, unsuppressed: covered });
    expect(suppression.tick()).toBeUndefined();
    // A rule written by another process (straight into the store) is applied on the next pass.
    rules.add([{ id: 'other', match: { vulnerabilities: [target.finding.vulnerability] }, reason: 'mitigated', author: 'x', created: '2026-03-05T00:00:00Z', origin: 'elsewhere' }]);
    expect(suppression.tick()).toEqual({ suppressed: covered, unsuppressed: 0 });
    expect(suppression.tick()).toBeUndefined();
  });
});
