import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/common/model.js';
import { coverage } from '../../src/matcher/coverage.js';
import type { SourceStatus } from '../../src/store/advisory-store.js';
import { rootfsFixture, vigil } from '../helpers/cli.js';
import { PKGDB, REPO, tempDir } from '../helpers/fixtures.js';

const tmp = tempDir('vigil-coverage-');
const db = path.join(tmp.dir, 'db');
let fedora: string;
afterAll(tmp.cleanup);

beforeAll(async () => {
  fedora = execFileSync('bash', [path.join(REPO, 'scripts/fixtures/fedora-rootfs.sh')], { encoding: 'utf8' }).trim();
  const res = await vigil(['db', 'import', path.join(REPO, 'data/feeds/alpine/v3.11-main.json'), path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm'), '--db', db, '--quiet']);
  expect(res.stderr).toBe('');
}, 120_000);

const NOT_CHECKED = 'no advisory data for Fedora Linux 40 (Container Image): OS packages not checked (6 rpm packages); Vigil reads no feed for this distribution';

describe('a target no feed covers', () => {
  it('a Fedora 40 rootfs: its OS packages were not checked, said in every format, exit 5 under --fail-on', async () => {
    const json = await vigil(['scan', '--root', fedora, '--db', db, '--format', 'json', '--quiet']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { findings: unknown[]; problems: Array<{ code: string; message: string; path: string }> };
    expect(doc.findings).toEqual([]);
    expect(doc.problems).toContainEqual({ collector: 'matcher', path: '/etc/os-release', code: 'not-covered', message: NOT_CHECKED });

    const table = await vigil(['scan', '--root', fedora, '--db', db]);
    expect(table.stdout).toBe(`no known vulnerabilities in what was checked\nnot checked: ${NOT_CHECKED}\n`);
    const sarif = await vigil(['scan', '--root', fedora, '--db', db, '--format', 'sarif', '--quiet']);
    expect(sarif.stdout).toContain(NOT_CHECKED);
    const cdx = await vigil(['scan', '--root', fedora, '--db', db, '--format', 'cyclonedx', '--quiet']);
    const props = (JSON.parse(cdx.stdout) as { metadata: { properties: Array<{ name: string; value: string }> } }).metadata.properties;
    expect(props.filter((p) => p.value === NOT_CHECKED)).toHaveLength(1);

    const gate = await vigil(['scan', '--root', fedora, '--db', db, '--fail-on', 'high', '--quiet']);
    expect(gate.code).toBe(5);
    expect(gate.stderr).toBe(`vigil: ${NOT_CHECKED}\n`);
  });

  it('a Debian 12 rootfs against a database without Debian data names the namespace to import', async () => {
    const res = await vigil(['scan', '--root', rootfsFixture(), '--db', db, '--format', 'json', '--quiet']);
    const doc = JSON.parse(res.stdout) as { problems: Array<{ code: string; message: string }> };
    const p = doc.problems.find((x) => x.code === 'not-covered')!;
    expect(p.message).toMatch(/^no advisory data for Debian GNU\/Linux 12 \(bookworm\): OS packages not checked \(\d+ deb packages\); import a feed for Debian:12$/);
    expect((await vigil(['scan', '--root', rootfsFixture(), '--db', db, '--fail-on', 'critical', '--quiet'])).code).toBe(5);
  });

  it('a project whose ecosystem has no feed says so; one that is covered does not', async () => {
    const py = await vigil(['scan', path.join(PKGDB, 'python'), '--db', db, '--format', 'json', '--quiet']);
    const problems = (JSON.parse(py.stdout) as { problems: Array<{ code: string; message: string }> }).problems.filter((p) => p.code === 'not-covered');
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^no advisory data for PyPI: \d+ PyPI packages? not checked; import a feed for PyPI$/)]);
    const npm = await vigil(['scan', path.join(PKGDB, 'npm/real-npm-v2'), '--db', db, '--format', 'json', '--quiet']);
    expect((JSON.parse(npm.stdout) as { problems: Array<{ code: string }> }).problems.filter((p) => p.code === 'not-covered')).toEqual([]);
  });
});

describe('freshness', () => {
  const inv: Inventory = {
    schemaVersion: 1,
    tool: { name: 'vigil', version: 'test' },
    target: { kind: 'path', path: '/app' },
    scannedAt: '2026-12-01T00:00:00Z',
    components: [{ ecosystem: 'npm', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20', locations: ['/app/package-lock.json'], foundBy: 'npm' }],
    problems: [],
  };
  const source = (name: string, newestModified: string, namespaces: string[]): SourceStatus => ({
    name, files: [name], digest: '', importedAt: '2026-12-01T00:00:00Z', advisories: 1, kev: 0, epss: 0, origin: 'file', newestModified, namespaces,
  });
  const now = Date.parse('2026-12-07T00:00:00Z');

  it('measures the age of the newest record of the feeds covering the target, not the import time', () => {
    const fresh = coverage(inv, [source('osv:npm', '2026-12-05T00:00:00Z', ['npm']), source('osv:pypi', '2020-01-01T00:00:00Z', ['PyPI'])], { now });
    expect(fresh.problems).toEqual([]);
    expect(fresh.newest).toBe('2026-12-05T00:00:00Z');
    expect(fresh.namespaces).toEqual([{ namespace: 'npm', components: 1, feeds: ['osv:npm'] }]);
    // A newer feed for another ecosystem does not make the target's data fresh.
    const stale = coverage(inv, [source('osv:npm', '2026-11-20T00:00:00Z', ['npm']), source('osv:pypi', '2026-12-06T00:00:00Z', ['PyPI'])], { now });
    expect(stale.problems).toEqual([
      { collector: 'matcher', path: '-', code: 'stale-data', message: 'advisory data is old: the newest record of the feeds covering this target is from 2026-11-20 (17d ago, over 7d); update with "vigil db update" or import a newer bundle' },
    ]);
    expect(coverage(inv, [source('osv:npm', '2026-11-20T00:00:00Z', ['npm'])], { now, maxAgeMs: 30 * 86_400_000 }).problems).toEqual([]);
  });
});

describe('--include-disputed', () => {
  it('a disputed finding does not fail the gate unless asked, and ranks last', async () => {
    const dir = path.join(tmp.dir, 'disputed-db');
    const page = path.join(tmp.dir, 'nvd-disputed.json');
    // An NVD API page marking the lodash CVE disputed (a test input, not NVD's statement).
    writeFileSync(page, JSON.stringify({ format: 'NVD_CVE', version: '2.0', vulnerabilities: [{ cve: { id: 'CVE-2021-23337', sourceIdentifier: 'test', vulnStatus: 'Analyzed', cveTags: [{ tags: ['disputed'] }], descriptions: [] } }] }));
    await vigil(['db', 'import', path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm'), '--db', dir, '--quiet']);
    const project = path.join(tmp.dir, 'lodash');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': { name: 'x' }, 'node_modules/lodash': { version: '4.17.20' } } }));
    expect((await vigil(['scan', project, '--db', dir, '--fail-on', 'high', '--quiet'])).code).toBe(1);
    await vigil(['db', 'import', page, '--db', dir, '--quiet']);
    const res = await vigil(['scan', project, '--db', dir, '--format', 'json', '--quiet']);
    const findings = (JSON.parse(res.stdout) as { findings: Array<{ vulnerability: string; severity: string; deprioritized?: string; score: number }> }).findings;
    const f = findings.find((x) => x.vulnerability === 'CVE-2021-23337')!;
    expect(f.deprioritized).toBe('disputed (nvd:nvd-disputed.json CVE-2021-23337)');
    expect(f.score).toBe(0);
    expect(findings.at(-1)).toBe(f);
    const gated = findings.filter((x) => x.deprioritized === undefined && ['high', 'critical'].includes(x.severity));
    expect((await vigil(['scan', project, '--db', dir, '--fail-on', 'high', '--quiet'])).code).toBe(gated.length > 0 ? 1 : 0);
    expect((await vigil(['scan', project, '--db', dir, '--fail-on', 'high', '--include-disputed', '--quiet'])).code).toBe(1);
  });
});

describe('vigil db status', () => {
  it('lists each feed with its records, newest record, import time and origin, then each namespace with its feeds', async () => {
    const json = JSON.parse((await vigil(['db', 'status', '--db', db, '--json'])).stdout) as {
      sources: SourceStatus[];
      namespaces: Array<{ namespace: string; feeds: string[]; newest?: string }>;
    };
    const alpine = json.sources.find((s) => s.name === 'alpine-secdb:v3.11-main.json')!;
    expect(alpine).toMatchObject({ origin: 'file', location: path.join(REPO, 'data/feeds/alpine/v3.11-main.json'), namespaces: ['Alpine:v3.11'] });
    const ghsa = json.sources.find((s) => s.name === 'osv:ghsa-npm/')!;
    expect(ghsa).toMatchObject({ origin: 'file', location: path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm'), namespaces: ['npm'] });
    expect(ghsa.newestModified).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(json.namespaces).toEqual([
      { namespace: 'Alpine:v3.11', feeds: ['alpine-secdb:v3.11-main.json'] },
      { namespace: 'npm', feeds: ['osv:ghsa-npm/'], newest: ghsa.newestModified },
    ]);
    const text = (await vigil(['db', 'status', '--db', db])).stdout.split('\n');
    expect(text[0]).toMatch(/^FEED\s+RECORDS\s+KEV\s+EPSS\s+NEWEST RECORD\s+IMPORTED\s+ORIGIN$/);
    expect(text.find((l) => l.startsWith('osv:ghsa-npm/'))).toMatch(/\s\d{4}-\d{2}-\d{2} \(\d+d\)\s+\d{4}-\d{2}-\d{2} \(\d+m\)\s+file \/.*ghsa-npm$/);
    expect(text).toContain(text.find((l) => /^NAMESPACE\s+NEWEST RECORD\s+FEEDS$/.test(l)));
  });
});
