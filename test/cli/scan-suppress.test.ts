import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { table } from '../../src/cli/output.js';
import { PKGDB, REPO, tempDir } from '../helpers/fixtures.js';
import { vigil } from '../helpers/cli.js';

interface JsonFinding {
  id: string;
  vulnerability: string;
  severity: string;
  fixedVersion?: string;
  component: { name: string };
}

const tmp = tempDir('vigil-scan-suppress-');
const db = path.join(tmp.dir, 'db');
const project = path.join(PKGDB, 'npm/real-npm-v2');
afterAll(tmp.cleanup);

/** Writes a rules file in the temporary directory and returns its path. */
function ignoreFile(name: string, text: string): string {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, text);
  return file;
}

const rule = (id: string, match: string, extra = '') => `  - id: ${id}
    match:
${match}
    reason: accepted_risk
    statement: fixed in the next release train
    author: alice@example.com
    created: 2026-01-10
${extra}`;

let all: JsonFinding[] = [];
beforeAll(async () => {
  const res = await vigil(['db', 'import', path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm'), '--db', db, '--quiet']);
  expect(res.code).toBe(0);
  const scan = await vigil(['scan', project, '--db', db, '--format', 'json', '--quiet']);
  all = (JSON.parse(scan.stdout) as { findings: JsonFinding[] }).findings;
  // The fixture's known advisories: minimist (critical), lodash (high), express (medium).
  expect(new Set(all.map((f) => `${f.component.name} ${f.severity}`))).toEqual(new Set(['minimist critical', 'lodash high', 'express medium']));
});

describe('vigil scan with suppression rules', () => {
  it('reads .vigilignore from the current directory, says so, and a suppressed finding does not fail the gate', async () => {
    const dir = path.join(tmp.dir, 'cwd');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '.vigilignore'), `version: 1\nrules:\n${rule('minimist', '      purls: ["pkg:npm/minimist"]')}${rule('lodash', '      vulnerabilities: [GHSA-35jh-r3h4-6jhm]')}`);
    const gated = await vigil(['scan', project, '--db', db, '--fail-on', 'high'], { cwd: dir });
    expect(gated.stderr).toContain('vigil: 2 suppression rule(s) read from .vigilignore\n');
    expect(gated.stderr).toMatch(/components, 2 findings \(2 medium\); 4 suppressed\n/);
    expect(gated.stdout).not.toMatch(/minimist|lodash/);
    expect(gated.code).toBe(0);
    const elsewhere = await vigil(['scan', project, '--db', db, '--fail-on', 'high', '--quiet'], { cwd: tmp.dir });
    expect(elsewhere.code).toBe(1);
  });

  it('lists suppressed findings with --show-suppressed: a SUPPRESSED column, and suppressed[] in JSON', async () => {
    const file = ignoreFile('show.yaml', `version: 1\nrules:\n${rule('lodash-accepted', '      purls: ["pkg:npm/lodash@4.17.20"]')}`);
    const res = await vigil(['scan', project, '--db', db, '--ignore-file', file, '--show-suppressed', '--quiet']);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toMatch(/EXPOSURE\s+SUPPRESSED$/);
    expect(lines.filter((l) => l.includes('lodash')).every((l) => l.endsWith('accepted_risk (lodash-accepted)'))).toBe(true);
    expect(lines.filter((l) => l.includes('minimist')).every((l) => !l.includes('accepted_risk'))).toBe(true);
    const json = await vigil(['scan', project, '--db', db, '--ignore-file', file, '--show-suppressed', '--format', 'json', '--quiet']);
    const doc = JSON.parse(json.stdout) as { findings: JsonFinding[]; suppressed: Array<{ finding: JsonFinding; rule: { id: string; reason: string; origin: string } }> };
    expect(doc.findings.some((f) => f.component.name === 'lodash')).toBe(false);
    expect(doc.suppressed.length).toBe(all.filter((f) => f.component.name === 'lodash').length);
    expect(doc.suppressed[0]!.rule).toMatchObject({ id: 'lodash-accepted', reason: 'accepted_risk', origin: `${file}:3:5` });
    const hidden = await vigil(['scan', project, '--db', db, '--ignore-file', file, '--format', 'json', '--quiet']);
    expect(JSON.parse(hidden.stdout)).not.toHaveProperty('suppressed');
  });

  it('brings an expired rule\'s findings back with a warning naming the rule, and they fail the gate again', async () => {
    const past = ignoreFile('past.yaml', `version: 1\nrules:\n${rule('minimist-q1', '      purls: ["pkg:npm/minimist"]', '    expires: 2020-03-31\n')}`);
    const res = await vigil(['scan', project, '--db', db, '--ignore-file', past, '--fail-on', 'critical']);
    expect(res.stderr).toContain(`vigil: warning: suppression rule "minimist-q1" (${past}:3:5) expired 2020-03-31: ${all.filter((f) => f.component.name === 'minimist').length} finding(s) it set aside are reported again\n`);
    expect(res.stdout).toContain('minimist');
    expect(res.code).toBe(1);
    const future = ignoreFile('future.yaml', `version: 1\nrules:\n${rule('minimist-q1', '      purls: ["pkg:npm/minimist"]', '    expires: 2999-03-31\n')}`);
    const kept = await vigil(['scan', project, '--db', db, '--ignore-file', future, '--fail-on', 'critical']);
    expect(kept.stderr).not.toContain('expired');
    expect(kept.code).toBe(0);
  });

  it('refuses a malformed ignore file with exit 4 and one line naming file, line and column', async () => {
    const bad = ignoreFile('bad.yaml', 'version: 1\nrules:\n  - match: {purls: ["pkg:npm/lodash"]}\n    reason: not_affected\n    author: a\n    created: 2026-01-01\n');
    const res = await vigil(['scan', project, '--db', db, '--ignore-file', bad]);
    expect(res.code).toBe(4);
    expect(res.stderr).toBe(`vigil: ${bad}:3:5: /rules/0 needs "justification"\n`);
    const missing = await vigil(['scan', project, '--db', db, '--ignore-file', path.join(tmp.dir, 'nope.yaml')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/ignore file .*nope\.yaml does not exist/);
  });
});

describe('vigil scan filters and exit codes', () => {
  it('--severity shows and counts only the listed severities', async () => {
    const res = await vigil(['scan', project, '--db', db, '--severity', 'critical,high', '--format', 'json']);
    const { findings } = JSON.parse(res.stdout) as { findings: JsonFinding[] };
    expect(new Set(findings.map((f) => f.severity))).toEqual(new Set(['critical', 'high']));
    expect(res.stderr).toMatch(new RegExp(`, ${findings.length} findings \\(.*\\); ${all.length - findings.length} filtered out`));
    const bad = await vigil(['scan', project, '--db', db, '--severity', 'high,severe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('vigil: --severity takes a comma-separated list of critical, high, medium, low, negligible, unknown (got "high,severe")\n');
  });

  it('--ignore-unfixed keeps only findings with a fixed version', async () => {
    const res = await vigil(['scan', project, '--db', db, '--ignore-unfixed', '--format', 'json', '--quiet']);
    const { findings } = JSON.parse(res.stdout) as { findings: JsonFinding[] };
    expect(findings.map((f) => f.id)).toEqual(all.filter((f) => f.fixedVersion !== undefined).map((f) => f.id));
  });

  it('--exit-code N replaces 1: with --fail-on at its threshold, without it for any finding left', async () => {
    expect((await vigil(['scan', project, '--db', db, '--fail-on', 'high', '--exit-code', '13', '--quiet'])).code).toBe(13);
    expect((await vigil(['scan', project, '--db', db, '--exit-code', '13', '--quiet'])).code).toBe(13);
    // Only medium findings are left: under the high threshold, but any finding triggers a bare --exit-code.
    expect((await vigil(['scan', project, '--db', db, '--severity', 'medium', '--fail-on', 'high', '--exit-code', '13', '--quiet'])).code).toBe(0);
    expect((await vigil(['scan', project, '--db', db, '--severity', 'medium', '--exit-code', '13', '--quiet'])).code).toBe(13);
    expect((await vigil(['scan', project, '--db', db, '--exit-code', '0', '--fail-on', 'low', '--quiet'])).code).toBe(0);
    const bad = await vigil(['scan', project, '--db', db, '--exit-code', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('vigil: --exit-code must be a whole number from 0 to 255 (got "x")\n');
  });

  it('--top N lists the N highest-scored findings and says how many more there are', async () => {
    const res = await vigil(['scan', project, '--db', db, '--top', '1', '--quiet']);
    const lines = res.stdout.split('\n');
    expect(lines[1]).toMatch(/minimist/);
    expect(lines[2]).toBe(`… ${all.length - 1} more finding(s); without --top all are listed`);
  });
});

const openVex = (statements: unknown[]) =>
  JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex/web-1', author: 'Security Team', timestamp: '2026-01-10T00:00:00Z', version: 1, statements });

describe('vigil scan --vex', () => {
  it('sets aside findings an OpenVEX not_affected statement and a CycloneDX resolved analysis cover, and the gate passes', async () => {
    const { validateCycloneDx, validateOpenVex } = await import('../helpers/schemas.js');
    const ov = openVex([
      { vulnerability: { name: 'CVE-2021-44906' }, products: [{ '@id': 'pkg:npm/minimist@1.2.5' }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impact_statement: undefined },
      { vulnerability: { name: 'CVE-2021-23337' }, products: [{ '@id': 'pkg:npm/lodash' }], status: 'under_investigation' },
    ]);
    expect(validateOpenVex(JSON.parse(ov))).toEqual([]);
    const cdx = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, vulnerabilities: [{ id: 'GHSA-35jh-r3h4-6jhm', analysis: { state: 'resolved' }, affects: [{ ref: 'pkg:npm/lodash@4.17.20' }] }] };
    expect(validateCycloneDx(cdx)).toEqual([]);
    const ovFile = ignoreFile('web.openvex.json', ov);
    const cdxFile = ignoreFile('web.cdx.json', JSON.stringify(cdx));
    const res = await vigil(['scan', project, '--db', db, '--vex', ovFile, '--vex', cdxFile, '--fail-on', 'high', '--format', 'json', '--show-suppressed']);
    expect(res.stderr).toContain(`vigil: 1 suppressing statement(s) read from ${ovFile} (OpenVEX)\n`);
    expect(res.stderr).toContain(`vigil: 1 suppressing statement(s) read from ${cdxFile} (CycloneDX VEX)\n`);
    const doc = JSON.parse(res.stdout) as { findings: JsonFinding[]; suppressed: Array<{ finding: JsonFinding; rule: { reason: string; justification?: string; origin: string } }> };
    expect(new Set(doc.findings.map((f) => f.component.name))).toEqual(new Set(['express']));
    const byName = new Map(doc.suppressed.map((s) => [s.finding.component.name, s.rule]));
    expect(byName.get('minimist')).toMatchObject({ reason: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', origin: `${ovFile}#/statements/0` });
    expect(byName.get('lodash')).toMatchObject({ reason: 'fixed', origin: `${cdxFile}#/vulnerabilities/0` });
    expect(res.code).toBe(0);
  });

  it('sets nothing aside for affected statements, and refuses a malformed document with exit 4 naming file and place', async () => {
    const affected = ignoreFile('affected.json', openVex([{ vulnerability: { name: 'CVE-2021-44906' }, products: [{ '@id': 'pkg:npm/minimist' }], status: 'affected', action_statement: 'upgrade to 1.2.6' }]));
    expect((await vigil(['scan', project, '--db', db, '--vex', affected, '--fail-on', 'critical', '--quiet'])).code).toBe(1);
    const cut = ignoreFile('cut.json', openVex([]).slice(0, 60));
    const res = await vigil(['scan', project, '--db', db, '--vex', cut]);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(new RegExp(`^vigil: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:61: not valid JSON: `));
    const bad = ignoreFile('bad.vex.json', openVex([{ vulnerability: { name: 'CVE-2021-44906' }, products: [{ '@id': 'pkg:npm/minimist' }], status: 'not_affected' }]));
    const refused = await vigil(['scan', project, '--db', db, '--vex', bad]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toBe(`vigil: ${bad}#/statements/0: a not_affected statement needs a justification or an impact_statement\n`);
  });
});

describe('vigil scan --format openvex', () => {
  it('states each decision honestly and validates against the official OpenVEX schema; read back with --vex it sets aside only the not_affected', async () => {
    const { validateOpenVex } = await import('../helpers/schemas.js');
    const rules = ignoreFile(
      'decided.yaml',
      `version: 1\nrules:\n  - id: lodash-template\n    match: {purls: ["pkg:npm/lodash"]}\n    reason: not_affected\n    justification: vulnerable_code_not_in_execute_path\n    statement: _.template never sees user input\n    author: alice@example.com\n    created: 2026-01-10\n${rule('minimist-accepted', '      purls: ["pkg:npm/minimist"]', '    expires: 2999-01-01\n')}`,
    );
    const out = path.join(tmp.dir, 'decided.openvex.json');
    const res = await vigil(['scan', project, '--db', db, '--ignore-file', rules, '--format', 'openvex', '-o', out, '--quiet']);
    expect(res.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { statements: Array<{ vulnerability: { name: string }; products: Array<{ '@id': string }>; status: string; justification?: string; action_statement?: string; status_notes?: string }> };
    expect(validateOpenVex(doc)).toEqual([]);
    const by = new Map(doc.statements.map((st) => [st.products[0]!['@id'], st]));
    expect(by.get('pkg:npm/lodash@4.17.20')).toMatchObject({ status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' });
    expect(by.get('pkg:npm/lodash@4.17.20')!.status_notes).toMatch(/^_\.template never sees user input Decided by alice@example\.com, 2026-01-10 \(rule lodash-template, /);
    // An accepted risk is still a vulnerability that is there: affected, with the decision as the action.
    expect(by.get('pkg:npm/minimist@1.2.5')).toMatchObject({ status: 'affected', action_statement: 'Risk accepted until 2999-01-01: fixed in the next release train' });
    expect(by.get('pkg:npm/express@4.17.1')).toMatchObject({ status: 'affected', action_statement: 'Upgrade to 4.19.2: npm install express@4.19.2' });
    // One statement per vulnerability and package, though the fixture installs some twice.
    expect(doc.statements).toHaveLength(new Set(all.map((f) => `${f.vulnerability} ${f.component.name}`)).size);
    const back = await vigil(['scan', project, '--db', db, '--vex', out, '--fail-on', 'high', '--format', 'json', '--quiet']);
    const again = JSON.parse(back.stdout) as { findings: JsonFinding[] };
    expect(new Set(again.findings.map((f) => f.component.name))).toEqual(new Set(['minimist', 'express']));
    expect(back.code).toBe(1);
  });

  it('writes no document when there is nothing to state, and says so', async () => {
    const res = await vigil(['scan', project, '--db', db, '--severity', 'negligible', '--format', 'openvex']);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('vigil: no OpenVEX document written: nothing was set aside and no open finding has a fix\n');
    expect(res.code).toBe(0);
  });
});

/** Runs `vigil` on a pseudo-terminal of the given width (util-linux `script`), as a user's terminal shows it. */
function onTerminal(args: string[], columns: number, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const quoted = [process.execPath, path.join(REPO, 'bin/vigil.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', `stty cols ${columns} rows 50; ${quoted}`, '/dev/null'], { env: { ...process.env, ...env } }, (err, stdout) => {
      if (err && typeof (err as { code?: unknown }).code !== 'number') reject(err);
      else resolve(stdout.replace(/\r\n/g, '\n'));
    });
  });
}

describe('vigil scan on a terminal', () => {
  it('colours severities and fits the table to the terminal width, cutting the widest column with an ellipsis', async () => {
    const out = await onTerminal(['scan', project, '--db', db, '--quiet', '--show-suppressed', '--ignore-file', ignoreFile('t.yaml', `version: 1\nrules:\n${rule('a-very-long-rule-name-that-widens-the-table', '      purls: ["pkg:npm/lodash"]')}`)], 90);
    expect(out).toContain('\x1b[1;31mcritical');
    const rows = out.split('\n').filter((l) => /^(SCORE|\d)/.test(l)).map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(rows.length).toBe(all.length + 1);
    expect(Math.max(...rows.map((r) => r.length))).toBeLessThanOrEqual(90);
    expect(rows.some((r) => r.endsWith('…'))).toBe(true);
  });

  it('prints no colour with --no-color or NO_COLOR, nor when the output is not a terminal', async () => {
    expect(await onTerminal(['scan', project, '--db', db, '--quiet', '--no-color'], 200)).not.toContain('\x1b[');
    expect(await onTerminal(['scan', project, '--db', db, '--quiet'], 200, { NO_COLOR: '1' })).not.toContain('\x1b[');
    expect((await vigil(['scan', project, '--db', db, '--quiet'])).stdout).not.toContain('\x1b[');
  });
});

describe('table()', () => {
  it('never exceeds the width it is given, and cuts the widest column with an ellipsis', () => {
    const rows = [['1', 'a'.repeat(40), 'short'], ['2', 'b', 'c'.repeat(30)]];
    const out = table(['N', 'NAME', 'NOTE'], rows, { maxWidth: 40 }).trimEnd().split('\n');
    expect(Math.max(...out.map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(out[1]).toMatch(/^1 {2}a+… {2}short$/);
    expect(table(['N', 'NAME'], [['1', 'x']], { maxWidth: 40 })).toBe('N  NAME\n1  x\n');
    // Narrower than every column's minimum: still no line longer than the terminal.
    expect(Math.max(...table(['N', 'NAME', 'NOTE'], rows, { maxWidth: 12 }).trimEnd().split('\n').map((l) => l.length))).toBeLessThanOrEqual(12);
  });
});
