import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component } from '../../src/common/model.js';
import { validateHostFinding } from '../../src/matcher/finding-schema.js';
import type { FleetReport, ReportFinding } from '../../src/report/index.js';
import { csvField } from '../../src/report/csv.js';
import { escapeHtml } from '../../src/report/html-kit.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { vigil } from '../helpers/cli.js';
import { enroll, startAgent, startServer, waitFor, type AgentHandle, type ServerHandle } from '../helpers/fleet.js';
import { PKGDB, REPO, makeRoot, tempDir } from '../helpers/fixtures.js';
import { connectRaw, sendSnapshot, type RawAgent } from '../helpers/raw-agent.js';
import { validateSarif } from '../helpers/schemas.js';

/**
 * `vigil report` against a real `vigil server run`: two `vigil agent run`s on Debian 12
 * roots (the real minbase dpkg status, the real npm fixture installed under hostile
 * directory names, a hostile tag) and one compromised agent whose snapshot names
 * packages `<script>alert(1)</script>` and `=HYPERLINK(…)`, matched by an advisory whose
 * summary is markup. Every format is read back by an independent reader: Python's csv
 * and html.parser, the official SARIF schema, Vigil's published host-finding schema.
 */

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';
const SCRIPT_NAME = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("https://example.invalid","x")';
const HOSTILE_TAG = `${IMG}`;
/** An advisory naming the compromised agent's packages (a test input, not a published record). */
const HOSTILE_OSV = {
  schema_version: '1.6.0',
  id: 'GHSA-vgil-test-0001',
  modified: '2026-12-01T00:00:00Z',
  published: '2026-12-01T00:00:00Z',
  aliases: ['CVE-2099-0001'],
  summary: `${IMG} in ${SCRIPT_NAME}`,
  affected: [SCRIPT_NAME, FORMULA, '@SUM(1+1)', '-2+3'].map((name) => ({ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] })),
};

let tmp: { dir: string; cleanup: () => void };
let server: ServerHandle;
const agents: AgentHandle[] = [];
const roots: Array<{ root: string; cleanup: () => void }> = [];
let compromised: { id: string; stream: RawAgent };
let api: string[];

const report = (args: string[], env: NodeJS.ProcessEnv = {}) => vigil(['report', ...args, ...api], { env: { VIGIL_API_TOKEN: server.token, ...env }, timeoutMs: 300_000 });

/** Every finding of the API's list, following its pages. */
async function apiFindings(status: string): Promise<ReportFinding[]> {
  const out: ReportFinding[] = [];
  let cursor: string | undefined;
  do {
    const r = await server.api<{ findings: ReportFinding[]; next?: string }>('GET', 'findings', { status, limit: '1000', ...(cursor ? { cursor } : {}) });
    out.push(...r.body.findings);
    cursor = r.body.next;
  } while (cursor);
  return out;
}

function npmApp(dir: string): Record<string, { copy: string }> {
  return Object.fromEntries(['lodash', 'minimist'].map((p) => [`srv/${dir}/node_modules/${p}/package.json`, { copy: path.join(PKGDB, `npm/real-npm-v2/node_modules/${p}/package.json`) }]));
}

function hostileComponent(name: string): Component {
  return { ecosystem: 'npm', name, version: '1.0.0', purl: `pkg:npm/${encodeURIComponent(name)}@1.0.0`, locations: [`/srv/${IMG}/package-lock.json`], foundBy: 'npm-lock' };
}

beforeAll(async () => {
  tmp = tempDir('vigil-report-');
  server = await startServer(path.join(tmp.dir, 'server'));
  api = ['--api', `http://127.0.0.1:${server.apiPort}`];
  const base = { 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') } };
  roots.push(makeRoot({ ...base, ...npmApp(IMG), ...npmApp(SCRIPT_NAME) }), makeRoot(base));
  for (const [i, r] of roots.entries()) {
    const stateDir = path.join(tmp.dir, `agent-${i}`);
    agents.push(startAgent(await enroll(server, stateDir), stateDir, r.root, { tags: { environment: i === 0 ? 'prod' : 'test', team: i === 0 ? HOSTILE_TAG : 'ops' } }));
  }
  const osv = path.join(tmp.dir, 'hostile-osv.json');
  writeFileSync(osv, JSON.stringify(HOSTILE_OSV));
  const imported = await vigil(['db', 'import', osv, '--db', server.dir, '--quiet']);
  expect(imported.code, imported.stderr).toBe(0);
  const stateDir = path.join(tmp.dir, 'compromised');
  const id = await enroll(server, stateDir);
  const stream = connectRaw(server, stateDir);
  await sendSnapshot(stream, [SCRIPT_NAME, FORMULA, '@SUM(1+1)', '-2+3'].map(hostileComponent));
  compromised = { id, stream };
  await waitFor(
    'findings on every host',
    async () => {
      const f = await apiFindings('ACTIVE');
      const on = new Set(f.map((x) => x.hostId));
      const hostile = f.filter((x) => x.hostId === id).length;
      return [...agents.map((a) => a.id), id].every((h) => on.has(h)) && hostile === 4 && f.some((x) => x.finding.component.locations.some((l) => l.includes(SCRIPT_NAME)));
    },
    180_000,
  );
}, 600_000);

afterAll(async () => {
  compromised?.stream.close();
  await Promise.all(agents.map((a) => a.proc?.kill()));
  await server?.proc.kill();
  for (const r of roots) r.cleanup();
  tmp?.cleanup();
});

const file = (name: string): string => path.join(tmp.dir, name);
let json: FleetReport;

describe('vigil report --format json', () => {
  it('exports every open finding of the fleet as the API keeps it, valid against schemas/host-finding.schema.json', async () => {
    const r = await report(['--format', 'json', '--output', file('fleet.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    json = JSON.parse(readFileSync(file('fleet.json'), 'utf8')) as FleetReport;
    expect(Object.keys(json)).toEqual(['generatedAt', 'source', 'findings']);
    const open = await apiFindings('ACTIVE,SUPPRESSED');
    expect(json.findings.map((f) => `${f.hostId}/${f.id}`).sort()).toEqual(open.map((f) => `${f.hostId}/${f.id}`).sort());
    expect(json.findings.flatMap((f) => validateHostFinding(f))).toEqual([]);
    const scores = json.findings.map((f) => f.finding.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(r.stderr).toBe(`vigil: ${json.findings.length} findings (${summary(json.findings)}) on 3 host(s); ${file('fleet.json')} (${readFileSync(file('fleet.json')).length} bytes)\n`);
  });

  it('names its source: the server, the request, the filters, and each host with the age of its advisory data', async () => {
    expect(json.source).toMatchObject({ tool: 'vigil', api: `http://127.0.0.1:${server.apiPort}`, request: 'GET /api/v1/findings?status=ACTIVE,SUPPRESSED', filters: { status: ['ACTIVE', 'SUPPRESSED'] }, problems: [] });
    expect(json.source.hosts.map((h) => h.id).sort()).toEqual([...agents.map((a) => a.id), compromised.id].sort());
    for (const h of json.source.hosts) {
      const detail = (await server.api<{ coverage?: { newest?: string } }>('GET', `hosts/${h.id}`)).body;
      expect(h.advisoryData?.newest, h.id).toBe(detail.coverage?.newest);
    }
    expect(json.source.hosts.find((h) => h.id === agents[0]!.id)!.tags).toContain(`team=${HOSTILE_TAG}`);
  });

  it('takes the filters of vigil findings: severity, host, tag, status', async () => {
    const r = await report(['--severity', 'unknown', '--host', agents[0]!.id, '--status', 'active']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as FleetReport;
    expect(doc.source.request).toBe(`GET /api/v1/findings?host=${agents[0]!.id}&severity=unknown&status=ACTIVE`);
    expect(doc.findings.length).toBeGreaterThan(0);
    expect(doc.findings.every((f) => f.hostId === agents[0]!.id && f.finding.severity === 'unknown' && f.status === 'ACTIVE')).toBe(true);
    const tagged = JSON.parse((await report(['--tag', 'environment=test'])).stdout) as FleetReport;
    expect(tagged.source.hosts.map((h) => h.id)).toEqual([agents[1]!.id]);
    expect(new Set(tagged.findings.map((f) => f.hostId))).toEqual(new Set([agents[1]!.id]));
  });
});

function summary(findings: ReportFinding[]): string {
  const order = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'];
  return order.map((s) => [s, findings.filter((f) => f.finding.severity === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
}

const PY_CSV = `
import csv, json, sys
raw = open(sys.argv[1], 'rb').read()
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8'), strict=True))
print(json.dumps({'rows': rows, 'crlf': raw.count(b'\\r\\n'), 'lf': raw.count(b'\\n')}))
`;

describe('vigil report --format csv', () => {
  it('is RFC 4180 as Python’s csv reads it: one row per finding, CRLF, quotes doubled', async () => {
    const r = await report(['--output', file('fleet.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const { rows, crlf, lf } = JSON.parse(execFileSync('python3', ['-c', PY_CSV, file('fleet.csv')], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as { rows: string[][]; crlf: number; lf: number };
    const [header, ...records] = rows;
    expect(header![0]).toBe('host_id');
    expect(records.length).toBe(json.findings.length);
    // Every line ends with CRLF; no field holds a line break.
    expect(crlf).toBe(lf);
    expect(crlf).toBe(rows.length);
    const col = (name: string) => header!.indexOf(name);
    const byId = new Map(json.findings.map((f) => [`${f.hostId}/${f.id}`, f]));
    for (const rec of records) {
      const f = byId.get(`${rec[col('host_id')]}/${rec[col('finding_id')]}`)!;
      expect(f, rec.join(',')).toBeDefined();
      expect(Number(rec[col('score')])).toBe(f.finding.score);
      expect(rec[col('severity_source')]).toBe(f.finding.severitySource ?? '');
      expect(rec[col('vulnerability')]).toBe(f.finding.vulnerability);
    }
  });

  it('keeps a hostile package name text: a cell starting with = + - @ is prefixed with a single quote', async () => {
    const { rows } = JSON.parse(execFileSync('python3', ['-c', PY_CSV, file('fleet.csv')], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as { rows: string[][] };
    const header = rows[0]!;
    const packages = rows.slice(1).filter((r) => r[header.indexOf('host_id')] === compromised.id).map((r) => r[header.indexOf('package')]).sort();
    expect(packages).toEqual([`'-2+3`, `'${FORMULA}`, `'@SUM(1+1)`, SCRIPT_NAME].sort());
    expect(rows.slice(1).every((r) => r.every((cell) => !/^[=+\-@\t\r]/.test(cell)))).toBe(true);
    expect(csvField('a,"b"\r\nc')).toBe('"a,""b""\r\nc"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField(-1)).toBe("'-1");
    expect(csvField(undefined)).toBe('');
  });
});

describe('vigil report --format asff', () => {
  it('writes the BatchImportFindings body: one ASFF 2018-10-08 finding per host finding, for the account and region given', async () => {
    const r = await report(['--format', 'asff', '--output', file('fleet.asff.json'), '--aws-account', '123456789012', '--aws-region', 'eu-west-1']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(file('fleet.asff.json'), 'utf8')) as { Findings: Array<Record<string, unknown>> };
    expect(doc.Findings).toHaveLength(json.findings.length);
    for (const f of doc.Findings) {
      expect(f).toMatchObject({ SchemaVersion: '2018-10-08', AwsAccountId: '123456789012', ProductArn: expect.stringMatching(/^arn:aws:securityhub:eu-west-1:123456789012:product\//) });
      expect((f.Title as string).length).toBeLessThanOrEqual(256);
    }
    const missing = await report(['--format', 'asff'], { AWS_ACCOUNT_ID: '', AWS_REGION: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs the AWS account and region/);
  });
});

describe('vigil report --format sarif', () => {
  it('validates against the official SARIF 2.1.0 schema, one result per finding on a host', async () => {
    const r = await report(['--output', file('fleet.sarif')]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(file('fleet.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>; invocations: Array<{ executionSuccessful: boolean }> }> };
    expect(validateSarif(doc)).toEqual([]);
    const run = doc.runs[0]!;
    expect(run.invocations[0]!.executionSuccessful).toBe(true);
    expect(run.results.map((x) => x.partialFingerprints.vigilHostFinding).sort()).toEqual(json.findings.map((f) => `${f.hostId}/${f.id}`).sort());
    // Hostile directory names are percent-encoded into valid URI references.
    const uris = run.results.flatMap((x) => x.locations.map((l) => l.physicalLocation.artifactLocation.uri));
    expect(uris).toContain(`srv/${encodeURIComponent(IMG)}/package-lock.json`);
  });
});

const PY_HTML = `
import html.parser, json, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.styles, self.texts, self.tables = [], [], [], [], []
        self.stack, self.cell = [], None
    def handle_starttag(self, tag, attrs):
        self.tags.append([tag, attrs])
        if tag == 'table': self.tables.append([])
        elif tag == 'tr' and self.tables: self.tables[-1].append([])
        elif tag in ('td', 'th') and self.tables: self.cell = []
        self.stack.append(tag)
    def handle_endtag(self, tag):
        if tag in ('td', 'th') and self.cell is not None:
            self.tables[-1][-1].append(' '.join(self.cell)); self.cell = None
        if self.stack and self.stack[-1] == tag: self.stack.pop()
    def handle_data(self, data):
        top = self.stack[-1] if self.stack else ''
        if top == 'script': self.scripts.append(data)
        elif top == 'style': self.styles.append(data)
        else:
            self.texts.append(data)
            if self.cell is not None and data.strip(): self.cell.append(data.strip())
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read()); p.close()
print(json.dumps({'tags': p.tags, 'scripts': p.scripts, 'styles': p.styles, 'text': ''.join(p.texts), 'tables': p.tables}))
`;

interface ParsedHtml {
  tags: Array<[string, Array<[string, string | null]>]>;
  scripts: string[];
  styles: string[];
  text: string;
  tables: string[][][];
}

const parseHtml = (f: string): ParsedHtml => JSON.parse(execFileSync('python3', ['-c', PY_HTML, f], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as ParsedHtml;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64');
const ELEMENTS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'p', 'code', 'section', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'small', 'span', 'script']);

/** What Python's HTML parser found in the page: only Vigil's elements, nothing loaded, one script and style, both allowed by the CSP. */
function checkPage(doc: ParsedHtml): void {
  expect(doc.tags.map(([t]) => t).filter((t) => !ELEMENTS.has(t))).toEqual([]);
  const attrs = doc.tags.flatMap(([, a]) => a.map(([name]) => name));
  expect(attrs.filter((a) => /^on|^(src|href|srcset|action|formaction|xlink:href|background|poster)$/.test(a))).toEqual([]);
  expect(doc.tags.filter(([t]) => t === 'script')).toEqual([['script', []]]);
  const csp = doc.tags.find(([t, a]) => t === 'meta' && a.some(([k, v]) => k === 'http-equiv' && v === 'Content-Security-Policy'))![1].find(([k]) => k === 'content')![1]!;
  expect(csp).toMatch(/^default-src 'none'; /);
  expect(csp).toContain(`script-src 'sha256-${sha256(doc.scripts.join(''))}'`);
  expect(csp).toContain(`style-src 'sha256-${sha256(doc.styles.join(''))}'`);
  // The sorting script compiles.
  expect(() => new Script(doc.scripts.join(''))).not.toThrow();
}

describe('vigil report --format html', () => {
  let doc: ParsedHtml;
  beforeAll(async () => {
    const r = await report(['--output', file('fleet.html')]);
    expect(r.code, r.stderr).toBe(0);
    doc = parseHtml(file('fleet.html'));
  });

  it('is one self-contained page: only its own markup, no external resource, script and style allowed by hash', () => {
    checkPage(doc);
    expect(doc.styles.join('')).not.toMatch(/url\(|@import/);
  });

  it('escapes every value: hostile package names, paths, tags and summaries come back as the same text', () => {
    for (const s of [SCRIPT_NAME, IMG, FORMULA, `${IMG} in ${SCRIPT_NAME}`, `team=${HOSTILE_TAG}`, `/srv/${SCRIPT_NAME}/node_modules/lodash/package.json`]) expect(doc.text, s).toContain(s);
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;');
  });

  it('counts per severity and per host the findings it lists, and says where each number comes from', () => {
    const [bySeverity, byHost, findings] = doc.tables;
    const order = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'];
    expect(bySeverity![0]).toEqual([...order, 'total']);
    expect(bySeverity![1]).toEqual([...order.map((s) => String(json.findings.filter((f) => f.finding.severity === s).length)), String(json.findings.length)]);
    for (const row of byHost!.slice(1)) {
      const mine = json.findings.filter((f) => f.hostId === row[0]);
      expect(row.slice(5, 12), row[0]).toEqual([...order.map((s) => String(mine.filter((f) => f.finding.severity === s).length)), String(mine.length)]);
      expect(row[12]).toMatch(/^\d{4}-\d\d-\d\d \((\d+d|less than a day) before this report\) newest record of /);
    }
    expect(findings!.length - 1).toBe(json.findings.length);
    const first = findings![1]!;
    const top = json.findings[0]!.finding;
    expect(first[0]).toBe(`${top.score.toFixed(1)} Vigil score: ${top.scoreReasons!.join('; ')}`);
    expect(first[1]).toBe(`${top.severity} ${top.severitySource}`);
    expect(doc.text).toMatch(new RegExp(`as the Vigil server at http://127\\.0\\.0\\.1:${server.apiPort} answered GET /api/v1/findings\\?status=ACTIVE,SUPPRESSED at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; written by vigil `));
  });
});

describe('vigil report --per-host', () => {
  it('writes one printable page per host into the directory', async () => {
    const dir = file('pages');
    const r = await report(['--per-host', '--output', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([...agents.map((a) => a.id), compromised.id].map((id) => `${id}.html`).sort());
    for (const id of [...agents.map((a) => a.id), compromised.id]) {
      const text = readFileSync(path.join(dir, `${id}.html`), 'utf8');
      const page = parseHtml(path.join(dir, `${id}.html`));
      checkPage(page);
      expect(page.text).toMatch(new RegExp(`Vigil report: .* \\(${id}\\)`));
      expect(page.tables[2]!.length - 1).toBe(json.findings.filter((f) => f.hostId === id).length);
      expect(page.styles.join('')).toMatch(/@page \{ size: A4 landscape;[\s\S]*@media print \{[\s\S]*thead \{ display: table-header-group; \}/);
      expect(text).toContain('break-inside: avoid');
    }
    // Again into the same directory: its own pages are replaced.
    expect((await report(['--per-host', '--output', dir, '--quiet'])).code).toBe(0);
  });
});

describe('on a terminal', () => {
  it('a progress line shows the findings received and the hosts fetched, then the summary', () => {
    // Python's pty runs vigil on a pseudo-terminal (argv only, no shell) and copies what it writes.
    const out = execFileSync('python3', ['-c', 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)', process.execPath, path.join(REPO, 'bin/vigil.js'), 'report', ...api, '--output', file('tty.html')], {
      encoding: 'utf8',
      env: { ...process.env, VIGIL_API_TOKEN: server.token },
      input: '',
    });
    expect(out).toMatch(/\r\x1b\[2K. findings: \d+ receiv/);
    expect(out).toMatch(/\r\x1b\[2K. hosts: 3\/3 with their/);
    expect(out).toMatch(/\r\x1b\[2Kvigil: \d+ findings \(.*\) on 3 host\(s\); /);
  });
});

describe('where a report may be written, and errors', () => {
  it('replaces an empty file or a report Vigil wrote, and refuses any other file (exit 8), which stays as it was', async () => {
    const notes = file('notes.csv');
    writeFileSync(notes, 'host,owner\nweb-1,alice\n');
    const refused = await report(['--output', notes]);
    expect(refused.code).toBe(8);
    expect(refused.stderr).toBe(`vigil: refusing to overwrite ${notes}: it is not a report Vigil wrote; name another file or remove it\n`);
    expect(readFileSync(notes, 'utf8')).toBe('host,owner\nweb-1,alice\n');
    const empty = file('empty.html');
    writeFileSync(empty, '');
    expect((await report(['--output', empty, '--quiet'])).code).toBe(0);
    // A report of any format is Vigil's: the CSV report is replaced by JSON.
    expect((await report(['--format', 'json', '--output', file('fleet.csv'), '--quiet'])).code).toBe(0);
    expect(JSON.parse(readFileSync(file('fleet.csv'), 'utf8'))).toHaveProperty('generatedAt');
    const page = path.join(file('pages'), `${agents[1]!.id}.html`);
    writeFileSync(page, '<!DOCTYPE html><p>my notes</p>');
    expect((await report(['--per-host', '--output', file('pages')])).code).toBe(8);
    expect(readFileSync(page, 'utf8')).toBe('<!DOCTYPE html><p>my notes</p>');
    expect((await report(['--output', '/dev/null'])).code).toBe(0);
  });

  it.each<[string, number, string[], RegExp]>([
    ['an unknown format', 2, ['--format', 'xml'], /^vigil: --format must be one of csv, json, sarif, html, asff \(got "xml"\)\n$/],
    ['--per-host without a directory', 2, ['--per-host'], /--per-host needs --output DIR/],
    ['--per-host as CSV', 2, ['--per-host', '--format', 'csv', '--output', '/tmp'], /--per-host writes HTML pages/],
    ['a severity that does not exist', 2, ['--severity', 'severe'], /--severity: "severe" is not one of critical, high/],
    ['a host the server does not know', 3, ['--host', 'a-0000000000000000'], /a-0000000000000000/],
    ['a directory as the output file', 4, ['--output', '/tmp'], /refusing to write \/tmp: it is a directory/],
  ])('%s exits %i', async (_what, code, args, message) => {
    const r = await report(args);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it('a wrong token exits 9, a server that does not answer exits 7', async () => {
    const wrong = await report([], { VIGIL_API_TOKEN: 'vigil_wrong_token_0123456789' });
    expect(wrong.code, wrong.stderr).toBe(9);
    const gone = await vigil(['report', '--api', 'http://127.0.0.1:9'], { env: { VIGIL_API_TOKEN: server.token } });
    expect(gone.code, gone.stderr).toBe(7);
  });
});

describe('from the data directory of a stopped server', () => {
  it('suppressed findings are marked as such; a finding the database holds broken is left out and named, the report still written, exit 4', async () => {
    // A revoked host's findings close (host-revoked) and are never matched again: their documents stay as stored.
    const revoked = agents[1]!.id;
    const rev = await vigil(['hosts', 'revoke', revoked, ...api], { env: { VIGIL_API_TOKEN: server.token } });
    expect(rev.code, rev.stderr).toBe(0);
    await Promise.all(agents.map((a) => a.proc.kill()));
    compromised.stream.close();
    await server.proc.kill();
    const fleet = new SqliteFleetStore(path.join(server.dir, 'fleet.db'));
    expect(fleet.suppress({ vulnerability: 'CVE-2099-0001', reason: 'test', createdAt: new Date().toISOString() })).toBe(4);
    const closed = fleet.findings({ hostId: revoked, status: 'CLOSED' });
    fleet.close();
    expect(closed.length).toBeGreaterThan(1);
    const env = { VIGIL_DATA_DIR: server.dir, VIGIL_API_URL: '', VIGIL_API_TOKEN: '' };
    const sarif = await vigil(['report', '--format', 'sarif'], { env });
    expect(sarif.code, sarif.stderr).toBe(0);
    const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ properties: { hostId: string }; suppressions?: unknown[] }> }> }).runs[0]!.results;
    expect(results.filter((x) => x.suppressions).map((x) => x.properties.hostId)).toEqual([compromised.id, compromised.id, compromised.id, compromised.id]);

    // A closed finding whose document lost its score (a damaged or hand-edited database).
    const db = new Database(path.join(server.dir, 'fleet.db'));
    db.prepare("UPDATE findings SET doc = json_remove(doc, '$.score') WHERE host_id = ? AND id = ?").run(revoked, closed[0]!.id);
    db.close();
    const out = file('closed.json');
    const r = await vigil(['report', '--status', 'CLOSED', '--output', out], { env });
    expect(r.code, r.stderr).toBe(4);
    const escaped = closed[0]!.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(r.stderr).toMatch(new RegExp(`^vigil: left out: GET /api/v1/findings #\\d+ \\(${escaped}\\): /finding needs "score"$`, 'm'));
    expect(r.stderr).toMatch(/^vigil: 1 finding\(s\) the server answered are not valid host findings \(schemas\/host-finding.schema.json\) and were left out; first: /m);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as FleetReport;
    expect(doc.findings.length).toBe(closed.length - 1);
    expect(doc.findings.every((f) => f.status === 'CLOSED' && f.closeReason === 'host-revoked')).toBe(true);
    expect(doc.source.problems).toHaveLength(1);
    expect(doc.source.hosts.map((h) => h.id)).toContain(revoked);
  });
});
