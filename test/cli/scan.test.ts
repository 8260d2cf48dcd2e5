import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PKGDB, REPO, tempDir } from '../helpers/fixtures.js';
import { vigil } from '../helpers/cli.js';

interface JsonFinding {
  vulnerability: string;
  aliases: string[];
  component: { name: string; version: string };
  fixedVersion?: string;
  severity: string;
  remediation?: string;
  matches: Array<{ source: string; record: string; rule: string; namespace: string }>;
}

const tmp = tempDir('vigil-scan-');
const db = path.join(tmp.dir, 'db');
const project = path.join(PKGDB, 'npm/real-npm-v2');
afterAll(tmp.cleanup);

beforeAll(async () => {
  const res = await vigil(['db', 'import', path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm'), path.join(REPO, 'data/feeds/kev'), '--db', db, '--quiet']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
});

describe('vigil scan on a project', () => {
  it('finds the lodash, minimist and express advisories with their fixes and remediation', async () => {
    const res = await vigil(['scan', project, '--db', db, '--format', 'json']);
    expect(res.code).toBe(0);
    const { findings } = JSON.parse(res.stdout) as { findings: JsonFinding[] };
    const lodash = findings.find((f) => f.component.name === 'lodash' && f.component.version === '4.17.20');
    expect(lodash).toMatchObject({ vulnerability: 'CVE-2021-23337', fixedVersion: '4.17.21', remediation: 'npm install lodash@4.17.21' });
    expect(lodash!.aliases).toContain('GHSA-35jh-r3h4-6jhm');
    expect(lodash!.matches[0]).toMatchObject({ source: 'osv', record: 'GHSA-35jh-r3h4-6jhm', namespace: 'npm' });
    expect(findings.some((f) => f.component.name === 'minimist' && f.aliases.includes('GHSA-xvch-5gv4-984h'))).toBe(true);
    expect(findings.some((f) => f.component.name === 'express' && f.vulnerability === 'CVE-2024-29041')).toBe(true);
    // jsonwebtoken 9.0.0 is the fixed version of GHSA-27h2-hvpr-p74q.
    expect(findings.some((f) => f.component.name === 'jsonwebtoken')).toBe(false);
  });

  it('prints a table sorted by score', async () => {
    const res = await vigil(['scan', project, '--db', db]);
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SCORE\s+SEVERITY\s+VULNERABILITY\s+PACKAGE\s+INSTALLED\s+FIXED IN/);
    const scores = lines.slice(1).map((l) => Number(l.split(/\s+/)[0]));
    expect(scores.length).toBeGreaterThan(3);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(res.stderr).toMatch(/components, \d+ findings/);
  });

  it('fails the gate when a finding at or above the threshold exists', async () => {
    const high = await vigil(['scan', project, '--db', db, '--fail-on', 'high', '--quiet']);
    expect(high.code).toBe(1);
    // The fixture under the name npm gives it, so the npm collector reads it.
    const { copyFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(path.join(tmp.dir, 'peer'), { recursive: true });
    copyFileSync(path.join(PKGDB, 'npm/trivy/package-lock_v3_with_peer.json'), path.join(tmp.dir, 'peer/package-lock.json'));
    const clean = await vigil(['scan', path.join(tmp.dir, 'peer/package-lock.json'), '--db', db, '--fail-on', 'low', '--format', 'json', '--quiet']);
    const doc = JSON.parse(clean.stdout) as { findings: Array<{ severity: string }>; problems: Array<{ code: string; message: string }> };
    // The GHSA records are years old: said, but not a failure without --max-db-age.
    expect(doc.problems.map((p) => p.code)).toEqual(['stale-data']);
    expect(doc.problems[0]!.message).toMatch(/^advisory data is old: the newest record of the feeds covering this target is from \d{4}-\d{2}-\d{2} \(\d+d ago, over 7d\)/);
    expect(clean.code).toBe(doc.findings.length > 0 ? 1 : 0);
    const strict = await vigil(['scan', path.join(tmp.dir, 'peer/package-lock.json'), '--db', db, '--fail-on', 'critical', '--max-db-age', '30d', '--quiet']);
    expect(strict.code).toBe(doc.findings.some((f) => f.severity === 'critical') ? 1 : 5);
  });

  it('rejects an unknown severity with one clear line', async () => {
    const res = await vigil(['scan', project, '--db', db, '--fail-on', 'severe']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('vigil: --fail-on must be one of critical, high, medium, low, negligible, unknown (got "severe")\n');
  });
});

describe('vigil explain', () => {
  it('shows the record, namespace, versions, scheme and rule for each copy', async () => {
    const res = await vigil(['explain', 'CVE-2021-23337', project, '--db', db]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('AFFECTED  lodash 4.17.20');
    expect(res.stdout).toContain('record     osv GHSA-35jh-r3h4-6jhm (aliases CVE-2021-23337)');
    expect(res.stdout).toContain('compared   lodash 4.17.20 against fixed 4.17.21 (semver)');
    expect(res.stdout).toContain('rule       4.17.20 < fixed 4.17.21');
  });

  it('shows how each finding was rated: every candidate, the one taken, the score and its reasons', async () => {
    const res = await vigil(['explain', 'CVE-2021-23337', project, '--db', db]);
    expect(res.stdout).toMatch(/^RATING {2}lodash 4\.17\.20: high, Vigil score \d+\.\d$/m);
    expect(res.stdout).toMatch(/^ {2}taken {6}high {7}CVSS 3\.1 7\.2 by /m);
    expect(res.stdout).toMatch(/^ {2}score {6}CVSS 3\.1 7\.2/m);
    const json = await vigil(['explain', 'CVE-2021-23337', project, '--db', db, '--json']);
    const { ratings } = JSON.parse(json.stdout) as { ratings: Array<{ severity: string; ratings: Array<{ chosen?: boolean }>; scoreReasons: string[] }> };
    expect(ratings.length).toBeGreaterThan(0);
    for (const r of ratings) {
      expect(r.ratings.filter((x) => x.chosen)).toHaveLength(1);
      expect(r.scoreReasons.length).toBeGreaterThan(0);
    }
  });

  it('says why a package is not affected', async () => {
    const res = await vigil(['explain', 'GHSA-27h2-hvpr-p74q', project, '--db', db, '--json']);
    const { explanations } = JSON.parse(res.stdout) as { explanations: Array<{ affected: boolean; rule: string; component: { name: string } }> };
    const jwt = explanations.filter((e) => e.component.name === 'jsonwebtoken');
    expect(jwt.length).toBeGreaterThan(0);
    expect(jwt.every((e) => !e.affected && /outside every affected range/.test(e.rule))).toBe(true);
  });
});

describe('vigil version compare', () => {
  it.each([
    ['dpkg', '1:1.0', '2.0', '1'],
    ['dpkg', '1.0~rc1', '1.0', '-1'],
    ['rpm', '1.0-1.el9', '1.0-1.el9', '0'],
    ['pep440', '1.0.post1', '1.0', '1'],
    ['semver', '1.2.3-beta', '1.2.3', '-1'],
    ['maven', '1.0-SNAPSHOT', '1.0', '-1'],
  ])('%s %s %s → %s', async (scheme, a, b, expected) => {
    const res = await vigil(['version', 'compare', scheme, a, b]);
    expect(res.stdout).toBe(`${expected}\n`);
    expect(res.code).toBe(0);
  });

  it('reads JSON lines in batch mode and reports bad versions per line', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, [path.join(REPO, 'bin/vigil.js'), 'version', 'compare', 'dpkg', '--batch'], {
      input: '{"a":"1.0","b":"1.1"}\n{"a":"","b":"1"}\n',
      encoding: 'utf8',
    });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { result?: number; error?: string });
    expect(lines[0]).toEqual({ a: '1.0', b: '1.1', result: -1 });
    expect(lines[1]!.error).toMatch(/invalid dpkg version ""/);
  });

  it('exits non-zero with one line for an invalid version', async () => {
    const res = await vigil(['version', 'compare', 'pep440', '1.0', 'not a version']);
    expect(res.code).toBe(4);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^vigil: invalid pep440 version "not a version"/);
  });
});

describe('vigil scan standard outputs', () => {
  it('writes SARIF 2.1.0 that validates against the official schema', async () => {
    const { validateSarif } = await import('../helpers/schemas.js');
    const res = await vigil(['scan', project, '--db', db, '--format', 'sarif', '--quiet']);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(validateSarif(doc)).toEqual([]);
    const uris = doc.runs[0]!.results.filter((r) => r.ruleId === 'CVE-2021-23337').flatMap((r) => r.locations.map((l) => l.physicalLocation.artifactLocation.uri));
    expect(uris).toContain('package-lock.json');
    expect(uris).toContain('node_modules/lodash/package.json');
  });

  it('writes CycloneDX 1.6 with vulnerabilities that point at components and validates', async () => {
    const { validateCycloneDx } = await import('../helpers/schemas.js');
    const res = await vigil(['scan', project, '--db', db, '--format', 'cyclonedx', '--quiet']);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as { components: Array<{ 'bom-ref': string }>; vulnerabilities: Array<{ id: string; affects: Array<{ ref: string }> }> };
    expect(validateCycloneDx(doc)).toEqual([]);
    const refs = new Set(doc.components.map((c) => c['bom-ref']));
    const lodash = doc.vulnerabilities.find((v) => v.id === 'CVE-2021-23337');
    expect(lodash?.affects.length).toBeGreaterThanOrEqual(2);
    expect(lodash!.affects.every((a) => refs.has(a.ref))).toBe(true);
  });
});

describe('vigil scan on a named file it cannot read', () => {
  const bad = path.join(tmp.dir, 'bad', 'package-lock.json');
  beforeAll(async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(path.dirname(bad), { recursive: true });
    // A lockfile cut off mid-way, as a failed download or a merge conflict leaves it.
    writeFileSync(bad, '{"name":"app","lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17');
    writeFileSync(path.join(tmp.dir, 'bad', 'notes.txt'), 'not a package manifest\n');
  });

  it('says so in every format and exits 4, never "no known vulnerabilities"', async () => {
    const { validateSarif, validateCycloneDx } = await import('../helpers/schemas.js');
    const table = await vigil(['scan', bad, '--db', db]);
    expect(table.code).toBe(4);
    expect(table.stdout).toMatch(/^not scanned: .*package-lock\.json: lockfile is not valid JSON/);
    expect(table.stdout).not.toMatch(/no known vulnerabilities/);
    expect(table.stderr).toMatch(/vigil: .*package-lock\.json was not scanned: lockfile is not valid JSON/);

    const json = await vigil(['scan', bad, '--db', db, '--format', 'json']);
    expect(json.code).toBe(4);
    expect((JSON.parse(json.stdout) as { problems: unknown[] }).problems).toEqual([expect.objectContaining({ path: '/package-lock.json', code: 'corrupt', collector: 'npm-lock' })]);

    const sarif = await vigil(['scan', bad, '--db', db, '--format', 'sarif']);
    expect(sarif.code).toBe(4);
    const s = JSON.parse(sarif.stdout) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }> };
    expect(validateSarif(s)).toEqual([]);
    expect(s.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(s.runs[0]!.invocations[0]!.toolExecutionNotifications[0]).toMatchObject({ level: 'error', message: { text: expect.stringMatching(/not valid JSON/) } });

    const cdx = await vigil(['scan', bad, '--db', db, '--format', 'cyclonedx']);
    expect(cdx.code).toBe(4);
    const c = JSON.parse(cdx.stdout) as { metadata: { properties?: Array<{ name: string; value: string }> } };
    expect(validateCycloneDx(c)).toEqual([]);
    expect(JSON.stringify(c.metadata.properties)).toMatch(/not valid JSON/);

    const sbom = await vigil(['sbom', bad]);
    expect(sbom.code).toBe(4);
    expect(sbom.stderr).toMatch(/was not scanned: lockfile is not valid JSON/);
  });

  it('a named file no collector reads exits 5 (not covered)', async () => {
    const r = await vigil(['scan', path.join(tmp.dir, 'bad', 'notes.txt'), '--db', db]);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/^not scanned: .*notes\.txt: no Vigil collector reads this kind of file/);
  });

  it('a directory with one unreadable lockfile scans the rest and says a file could not be read', async () => {
    const r = await vigil(['scan', path.dirname(bad), '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no known vulnerabilities in what was read; 1 file(s) could not be read (see the problems)\n');
    expect(r.stderr).toMatch(/vigil: problem: \/package-lock\.json: lockfile is not valid JSON.*\(npm-lock, corrupt\)/);
  });
});
