import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { VigilError } from '../../src/common/errors.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { matchInventory } from '../../src/matcher/match.js';
import { parseVigilignore } from '../../src/matcher/suppression-file.js';
import { applySuppressions, parsePurlPattern, purlMatches, type SuppressionRule } from '../../src/matcher/suppression.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { PKGDB, REPO, tempDir } from '../helpers/fixtures.js';

const tmp = tempDir('vigil-suppression-');
let findings: Finding[] = [];
beforeAll(async () => {
  const { feeds } = await readFeeds([path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm')]);
  const store = new SqliteAdvisoryStore(path.join(tmp.dir, 'advisories.db'));
  try {
    store.importFeeds(feeds, '2026-01-01T00:00:00Z');
    const inv = await scan({ path: path.join(PKGDB, 'npm/real-npm-v2') });
    findings = matchInventory(inv, store).findings;
  } finally {
    store.close();
  }
});
afterAll(tmp.cleanup);

const rule = (over: Partial<SuppressionRule> & Pick<SuppressionRule, 'match'>): SuppressionRule => ({
  id: 'r1',
  reason: 'accepted_risk',
  author: 'alice@example.com',
  created: '2026-01-10',
  origin: '.vigilignore:3:5',
  ...over,
});

const at = (iso: string) => ({ now: new Date(iso) });

describe('applySuppressions on the findings of a real npm project', () => {
  it('sets aside a finding matched by an alias and a version-less purl, and keeps the rest', () => {
    const r = rule({ match: { vulnerabilities: ['ghsa-35jh-r3h4-6jhm'], purls: ['pkg:npm/lodash'] } });
    const res = applySuppressions(findings, [r], at('2026-02-01T00:00:00Z'));
    expect(res.suppressed.length).toBeGreaterThan(0);
    expect(res.suppressed.every((s) => s.finding.vulnerability === 'CVE-2021-23337' && s.rule === r)).toBe(true);
    expect(res.kept.some((f) => f.component.name === 'lodash' && f.vulnerability === 'CVE-2021-23337')).toBe(false);
    expect(res.kept.length + res.suppressed.length).toBe(findings.length);
    expect(res.expired).toEqual([]);
  });

  it('matches a purl with a version only at that version, and a * glob in the name', () => {
    const other = applySuppressions(findings, [rule({ match: { purls: ['pkg:npm/lodash@4.17.21'] } })], at('2026-02-01T00:00:00Z'));
    expect(other.suppressed).toEqual([]);
    const exact = applySuppressions(findings, [rule({ match: { purls: ['pkg:npm/lodash@4.17.20'] } })], at('2026-02-01T00:00:00Z'));
    expect(exact.suppressed.length).toBeGreaterThan(0);
    const glob = applySuppressions(findings, [rule({ match: { purls: ['pkg:npm/mini*'] } })], at('2026-02-01T00:00:00Z'));
    expect(new Set(glob.suppressed.map((s) => s.finding.component.name))).toEqual(new Set(['minimist']));
  });

  it('combines criteria: severity, exposure and fixed/unfixed must all hold', () => {
    const crit = applySuppressions(findings, [rule({ match: { severities: ['critical'], fix: 'fixed', exposures: ['none'] } })], at('2026-02-01T00:00:00Z'));
    expect(crit.suppressed.length).toBe(findings.filter((f) => f.severity === 'critical' && f.fixedVersion).length);
    const unfixed = applySuppressions(findings, [rule({ match: { severities: ['critical'], fix: 'unfixed' } })], at('2026-02-01T00:00:00Z'));
    expect(unfixed.suppressed.length).toBe(findings.filter((f) => f.severity === 'critical' && !f.fixedVersion).length);
    const exposed = applySuppressions(findings, [rule({ match: { exposures: ['any'] } })], at('2026-02-01T00:00:00Z'));
    expect(exposed.suppressed).toEqual([]);
  });

  it('applies a rule naming hosts or tags only to those fleet hosts, never to a target that is no host', () => {
    const r = rule({ match: { purls: ['pkg:npm/lodash'], hosts: ['web-1'] } });
    const now = new Date('2026-02-01T00:00:00Z');
    expect(applySuppressions(findings, [r], at('2026-02-01T00:00:00Z')).suppressed).toEqual([]);
    expect(applySuppressions(findings, [r], { now, host: { id: 'db-1', tags: [] } }).suppressed).toEqual([]);
    expect(applySuppressions(findings, [r], { now, host: { id: 'web-1', tags: [] } }).suppressed.length).toBeGreaterThan(0);
    const t = rule({ match: { purls: ['pkg:npm/lodash'], tags: ['env=lab'] } });
    expect(applySuppressions(findings, [t], at('2026-02-01T00:00:00Z')).suppressed).toEqual([]);
    expect(applySuppressions(findings, [t], { now, host: { id: 'db-1', tags: ['env=prod'] } }).suppressed).toEqual([]);
    expect(applySuppressions(findings, [t], { now, host: { id: 'db-1', tags: ['env=lab'] } }).suppressed.length).toBeGreaterThan(0);
  });

  it('brings the findings back once the rule expires, by the injected clock, and names the rule', () => {
    const r = rule({ id: 'lodash-90d', match: { purls: ['pkg:npm/lodash'] }, expires: '2026-04-10' });
    const before = applySuppressions(findings, [r], at('2026-04-09T23:59:59Z'));
    const after = applySuppressions(findings, [r], at('2026-04-10T00:00:00Z'));
    expect(before.suppressed.length).toBeGreaterThan(0);
    expect(before.expired).toEqual([]);
    expect(after.suppressed).toEqual([]);
    expect(after.kept).toHaveLength(findings.length);
    expect(after.expired).toHaveLength(1);
    expect(after.expired[0]!.rule.id).toBe('lodash-90d');
    expect(after.expired[0]!.findings.map((f) => f.id).sort()).toEqual(before.suppressed.map((s) => s.finding.id).sort());
    const timed = rule({ match: { purls: ['pkg:npm/lodash'] }, expires: '2026-04-10T12:00:00+02:00' });
    expect(applySuppressions(findings, [timed], at('2026-04-10T09:59:59Z')).expired).toEqual([]);
    expect(applySuppressions(findings, [timed], at('2026-04-10T10:00:00Z')).expired).toHaveLength(1);
  });

  it('gives each finding to the first rule in force that matches', () => {
    const a = rule({ id: 'a', match: { purls: ['pkg:npm/lodash'] }, expires: '2020-01-01' });
    const b = rule({ id: 'b', match: { purls: ['pkg:npm/lodash'] } });
    const c = rule({ id: 'c', match: { purls: ['pkg:npm/*'] } });
    const res = applySuppressions(findings, [a, b, c], at('2026-02-01T00:00:00Z'));
    expect(res.suppressed.filter((s) => s.finding.component.name === 'lodash').every((s) => s.rule.id === 'b')).toBe(true);
    expect(res.kept).toEqual([]);
    expect(res.expired.map((e) => [e.rule.id, e.findings.length])).toEqual([['a', 0]]);
  });
});

describe('purl patterns', () => {
  it.each([
    ['pkg:npm/lodash', 'pkg:npm/lodash@4.17.20', true],
    ['pkg:npm/lodash@4.17.20', 'pkg:npm/lodash@4.17.21', false],
    ['pkg:npm/%40grpc/grpc-js', 'pkg:npm/%40grpc/grpc-js@1.8.0', true],
    ['pkg:npm/%40grpc/*', 'pkg:npm/%40grpc/grpc-js@1.8.0', true],
    ['pkg:npm/grpc-js', 'pkg:npm/%40grpc/grpc-js@1.8.0', false],
    ['pkg:PyPI/Foo_Bar', 'pkg:pypi/foo-bar@1.0', true],
    ['pkg:deb/debian/openssl?arch=amd64', 'pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64&distro=debian-12', true],
    ['pkg:deb/debian/openssl?arch=arm64', 'pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64&distro=debian-12', false],
    ['pkg:maven/org.apache.logging.log4j/log4j-*', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', true],
  ])('%s against %s: %s', (pattern, purl, expected) => {
    expect(purlMatches(parsePurlPattern(pattern), purl)).toBe(expected);
  });
});

const GOOD = `# Decisions on the web project
version: 1
rules:
  - id: lodash-template
    match:
      vulnerabilities: [CVE-2021-23337]
      purls: ["pkg:npm/lodash"]
    reason: not_affected
    justification: vulnerable_code_not_in_execute_path
    statement: _.template never sees user input
    author: alice@example.com
    created: 2026-01-10
    expires: 2026-07-01T00:00:00Z
  - match:
      severities: [low, negligible]
      fix: unfixed
    reason: accepted_risk
    author: bob@example.com
    created: 2026-01-11
`;

describe('.vigilignore', () => {
  it('reads rules with their origin, defaulting the id to the file and line', () => {
    const rules = parseVigilignore(GOOD, '.vigilignore');
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatchObject({ id: 'lodash-template', reason: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', created: '2026-01-10', expires: '2026-07-01T00:00:00Z', origin: '.vigilignore:4:5' });
    expect(rules[1]).toMatchObject({ id: '.vigilignore:14', match: { severities: ['low', 'negligible'], fix: 'unfixed' }, origin: '.vigilignore:14:5' });
  });

  it.each([
    ['not YAML', 'version: 1\nrules: [\n', /^f\.yaml:3:1: not valid YAML: /],
    ['wrong version', 'version: 2\nrules: []\n', /^f\.yaml:1:10: \/version must be 1 \(got 2\)$/],
    ['no rules key', 'version: 1\n', /^f\.yaml:1:1: \/ needs "rules"$/],
    ['an unknown reason', GOOD.replace('reason: accepted_risk', 'reason: ok'), /^f\.yaml:17:13: \/rules\/1\/reason must be one of accepted_risk, false_positive, not_affected, mitigated \(got "ok"\)$/],
    ['not_affected without a justification', GOOD.replace('    justification: vulnerable_code_not_in_execute_path\n', ''), /^f\.yaml:4:5: \/rules\/0 needs "justification"$/],
    ['an unknown key', GOOD.replace('    statement:', '    comment: x\n    statement:'), /^f\.yaml:10:5: \/rules\/0\/comment is not a known key$/],
    ['an empty match', GOOD.replace(/match:\n {6}severities: \[low, negligible\]\n {6}fix: unfixed/, 'match: {}'), /^f\.yaml:14:12: \/rules\/1\/match must name at least one criterion$/],
    ['a bad date', GOOD.replace('created: 2026-01-11', 'created: next week'), /^f\.yaml:19:14: \/rules\/1\/created must be an RFC 3339 date \(2026-01-31\) or date-time/],
    ['an impossible date', GOOD.replace('created: 2026-01-11', 'created: 2026-02-31'), /^f\.yaml:19:14: \/rules\/1\/created must be an RFC 3339 date/],
    ['a purl that is not one', GOOD.replace('"pkg:npm/lodash"', 'lodash'), /^f\.yaml:7:15: \/rules\/0\/match\/purls\/0 is not a package URL: not a purl: lodash$/],
    ['a repeated id', GOOD.replace('  - match:', '  - id: lodash-template\n    match:'), /^f\.yaml:14:9: \/rules\/1\/id repeats the id "lodash-template" of the rule at f\.yaml:4:5$/],
    ['a duplicate key', 'version: 1\nversion: 1\nrules: []\n', /^f\.yaml:2:1: not valid YAML: Map keys must be unique/],
    ['a list at the top', '- a\n', /^f\.yaml:1:1: \/ must be object$/],
    ['an alias bomb', 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n', /^f\.yaml: not usable YAML: Excessive alias count/],
  ])('refuses %s with file, line, column and pointer', (_name, text, message) => {
    let err: unknown;
    try {
      parseVigilignore(text, 'f.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VigilError);
    expect((err as VigilError).code).toBe('INVALID_INPUT');
    expect((err as VigilError).message).toMatch(message);
  });
});

describe('renderOpenVex', () => {
  it('maps every reason to a valid OpenVEX statement: not_affected only where the vulnerability is not there', async () => {
    const { renderOpenVex } = await import('../../src/matcher/vex-output.js');
    const { validateOpenVex } = await import('../helpers/schemas.js');
    const { scan: scanInv } = await import('../../src/inventory/scan.js');
    const inv = await scanInv({ path: path.join(PKGDB, 'npm/real-npm-v2') });
    const pick = (name: string) => findings.find((f) => f.component.name === name)!;
    const doc = JSON.parse(
      renderOpenVex(inv, [], [
        { finding: pick('lodash'), rule: rule({ reason: 'false_positive', statement: 'the copy is a test fixture', match: {} }) },
        { finding: pick('minimist'), rule: rule({ reason: 'mitigated', statement: 'argv comes from a fixed list', match: {} }) },
        { finding: pick('express'), rule: rule({ reason: 'not_affected', statement: 'no route uses res.redirect', match: {} }) },
      ])!,
    ) as { statements: Array<Record<string, unknown>> };
    expect(validateOpenVex(doc)).toEqual([]);
    expect(doc.statements.map((s) => [s.status, s.impact_statement ?? s.action_statement])).toEqual([
      ['not_affected', 'False positive: the copy is a test fixture'],
      ['affected', 'Mitigated outside the package: argv comes from a fixed list'],
      ['not_affected', 'no route uses res.redirect'],
    ]);
    expect(renderOpenVex(inv, findings.filter((f) => !f.fixedVersion), [])).toBeUndefined();
  });
});
