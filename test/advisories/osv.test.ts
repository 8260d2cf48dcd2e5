import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Advisory } from '../../src/advisories/model.js';
import { debianTrackerSource } from '../../src/advisories/sources/debian-tracker.js';
import { lowestVersion, namespaceOf, newTally, pairEvents, parseOsvRecord } from '../../src/advisories/sources/osv.parse.js';
import { osvSource } from '../../src/advisories/sources/osv.js';
import { ubuntuTrackerSource } from '../../src/advisories/sources/ubuntu-tracker.js';
import { REPO, tempDir } from '../helpers/fixtures.js';
import { validateOsv } from '../helpers/schemas.js';

const FEEDS = path.join(REPO, 'data/feeds');
const tmp = tempDir('vigil-osv-');
afterAll(() => tmp.cleanup());

/** Record counts of data/README.md, and the problems each bundled file is known to give. */
const FILES: Array<[string, number, string[]]> = [
  ['debian12-archive/debian12.osv.json.gz', 9972, []],
  ['almalinux/almalinux9.osv.json.gz', 1783, []],
  ['almalinux/almalinux10.osv.json.gz', 660, []],
  ['osv-ecosystems/pypi.osv.json.gz', 2661, ['PYSEC-2022-15: PyPI "loguru": lists no ranges or versions; skipped']],
  ['osv-ecosystems/go.osv.json.gz', 4291, []],
  ['osv-ecosystems/crates.osv.json.gz', 1206, []],
  [
    'osv-ecosystems/ghsa-maven.osv.json.gz',
    356,
    [
      'skipped 1 affected package(s) of ecosystem "SwiftURL": Vigil has no version scheme for it (first in GHSA-qppj-fm5r-hxr3)',
    ],
  ],
  ['osv-ecosystems/ghsa-npm', 4, []],
];

const cache = new Map<string, Promise<Advisory[]>>();
function feed(rel: string): Promise<Advisory[]> {
  if (!cache.has(rel)) cache.set(rel, osvSource.read(path.join(FEEDS, rel)).then((r) => r.advisories));
  return cache.get(rel)!;
}
async function record(rel: string, id: string): Promise<Advisory> {
  const a = (await feed(rel)).find((x) => x.id === id);
  if (!a) throw new Error(`${id} not in ${rel}`);
  return a;
}
function rawRecords(rel: string): Array<Record<string, unknown> & { id: string }> {
  const p = path.join(FEEDS, rel);
  if (rel.endsWith('ghsa-npm')) return readdirSync(p).sort().map((f) => JSON.parse(readFileSync(path.join(p, f), 'utf8')));
  return JSON.parse(gunzipSync(readFileSync(p)).toString('utf8'));
}
/** Reads a feed from text written to a temporary file. */
async function readText(name: string, text: string | Buffer) {
  const f = path.join(tmp.dir, name);
  writeFileSync(f, text);
  return osvSource.read(f);
}

describe('OSV source on the bundled feeds', () => {
  it.each(FILES)('reads %s: %i records, with exactly the known problems', async (rel, count, problems) => {
    const t = performance.now();
    const res = await osvSource.read(path.join(FEEDS, rel));
    console.info(`parse time ${rel}: ${(performance.now() - t).toFixed(0)} ms for ${res.advisories.length} records`);
    expect(res.advisories).toHaveLength(count);
    expect(res.problems.map((p) => p.message)).toEqual(problems);
    // OSV entries with neither ranges nor versions are skipped: an empty Vigil entry would mean every version.
    expect(res.advisories.every((a) => a.source === 'osv' && a.affected.every((p) => p.ranges.length > 0 || (p.versions?.length ?? 0) > 0))).toBe(true);
  });

  it.each(FILES)('validates every record of %s against the OSV schema (only the known feed mistakes fail)', (rel) => {
    const invalid = rawRecords(rel).flatMap((r) => (validateOsv(r).length ? [r.id] : []));
    const known: Record<string, string[]> = {
      // GIT ranges whose `fixed` is not a commit hash (`195caac….patch` and the like).
      'osv-ecosystems/pypi.osv.json.gz': ['PYSEC-2017-27', 'PYSEC-2019-155', 'PYSEC-2021-371', 'PYSEC-2021-424', 'PYSEC-2021-425', 'PYSEC-2021-436', 'PYSEC-2023-80'],
      // A reference URL with `<…>` in it and one that is `apache/commons-configuration`.
      'osv-ecosystems/ghsa-maven.osv.json.gz': ['GHSA-6fxm-66hq-fc96', 'GHSA-9w38-p64v-xpmv'],
    };
    expect(invalid.sort()).toEqual(known[rel] ?? []);
  });

  it('keeps every Maven, NuGet, Go, RubyGems, PyPI and Packagist package of the GHSA Maven export', async () => {
    const counts: Record<string, number> = {};
    for (const a of await feed('osv-ecosystems/ghsa-maven.osv.json.gz')) for (const p of a.affected) counts[p.namespace] = (counts[p.namespace] ?? 0) + 1;
    expect(counts).toEqual({ Maven: 879, NuGet: 8, Go: 5, RubyGems: 5, PyPI: 2, Packagist: 1 });
  });

  it('maps a Debian 12 record to its source package, dpkg and the fixed version', async () => {
    expect(await record('debian12-archive/debian12.osv.json.gz', 'CVE-2012-1823')).toEqual({
      id: 'CVE-2012-1823',
      source: 'osv',
      aliases: [],
      published: '2024-06-17T13:33:14Z',
      modified: '2024-06-17T13:33:14Z',
      summary: '+ [CVE-2024-4577]: Bypass of CVE-2012-1823, Argument Injection in',
      affected: [{ namespace: 'Debian:12', package: 'php8.2', scheme: 'dpkg', status: 'fixed', ranges: [{ introduced: '0', fixed: '8.2.20-1~deb12u1' }], fixedVersion: '8.2.20-1~deb12u1' }],
    });
  });

  it('maps an AlmaLinux advisory: rpm, its CVEs from related as aliases, severity from the summary', async () => {
    const a = await record('almalinux/almalinux9.osv.json.gz', 'ALSA-2022:6313');
    const fixed = { scheme: 'rpm', status: 'fixed', ranges: [{ introduced: '0', fixed: '0.11.1-10.el9_0.2' }], fixedVersion: '0.11.1-10.el9_0.2' };
    expect(a).toMatchObject({ aliases: ['CVE-2022-2735'], severity: 'high', summary: 'Important: pcs security update', published: '2022-09-01T00:00:00Z' });
    expect(a.affected).toEqual([
      { namespace: 'AlmaLinux:9', package: 'pcs', ...fixed },
      { namespace: 'AlmaLinux:9', package: 'pcs-snmp', ...fixed },
    ]);
    expect(a.references).toContain('https://errata.almalinux.org/9/ALSA-2022-6313.html');
    // The summary's word is AlmaLinux's rating for the release the record covers.
    expect(a.ratings).toEqual([{ vendor: 'AlmaLinux', namespace: 'AlmaLinux:9', severity: 'high', raw: 'Important', record: 'ALSA-2022:6313' }]);
  });

  it('maps GHSA npm records: two entries of one package, GHSA severity, CVSS scored', async () => {
    const minimist = await record('osv-ecosystems/ghsa-npm', 'GHSA-xvch-5gv4-984h');
    expect(minimist).toMatchObject({ aliases: ['CVE-2021-44906'], severity: 'critical' });
    expect(minimist.cvss).toEqual([{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, source: 'GitHub' }]);
    expect(minimist.ratings).toEqual([{ vendor: 'GitHub', severity: 'critical', raw: 'CRITICAL', record: 'GHSA-xvch-5gv4-984h' }]);
    expect(minimist.affected).toEqual([
      { namespace: 'npm', package: 'minimist', scheme: 'semver', status: 'fixed', ranges: [{ introduced: '1.0.0', fixed: '1.2.6' }], fixedVersion: '1.2.6' },
      { namespace: 'npm', package: 'minimist', scheme: 'semver', status: 'fixed', ranges: [{ introduced: '0', fixed: '0.2.4' }], fixedVersion: '0.2.4' },
    ]);
    const express = await record('osv-ecosystems/ghsa-npm', 'GHSA-rv95-896h-c2vc');
    expect(express.severity).toBe('medium');
    expect(express.affected.map((p) => p.ranges)).toEqual([[{ introduced: '0', fixed: '4.19.2' }], [{ introduced: '5.0.0-alpha.1', fixed: '5.0.0-beta.3' }]]);
    const lodash = await record('osv-ecosystems/ghsa-npm', 'GHSA-35jh-r3h4-6jhm');
    expect(lodash.affected.map((p) => p.package)).toEqual(['lodash', 'lodash-es']);
  });

  it('pairs PyPI events in file order (newest branch first) and gives the lowest fixed version', async () => {
    const a = await record('osv-ecosystems/pypi.osv.json.gz', 'PYSEC-2024-36');
    expect(a.aliases).toEqual(['CVE-2024-0690']);
    expect(a.cvss).toEqual([{ version: '3.1', vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', baseScore: 5.5, source: 'PyPA' }]);
    const [p] = a.affected;
    expect(p).toMatchObject({ namespace: 'PyPI', package: 'ansible-core', scheme: 'pep440', status: 'fixed', fixedVersion: '2.14.4' });
    expect(p!.ranges).toEqual([
      { introduced: '2.16.0', fixed: '2.16.3' },
      { introduced: '2.15.0', fixed: '2.15.9' },
      { introduced: '0', fixed: '2.14.4' },
    ]);
    expect(p!.versions).toHaveLength(122);
    expect(p!.versions!.slice(0, 2)).toEqual(['0.0.1a1', '2.11.0']);
  });

  it('maps a Go record with an open range after a fixed one', async () => {
    const a = await record('osv-ecosystems/go.osv.json.gz', 'GO-2024-2584');
    expect(a.aliases).toEqual(['GHSA-86h5-xcpx-cfqc']);
    expect(a.affected).toEqual([
      { namespace: 'Go', package: 'github.com/cosmos/cosmos-sdk', scheme: 'go', status: 'fixed', ranges: [{ introduced: '0', fixed: '0.47.10' }, { introduced: '0.50.0' }], fixedVersion: '0.47.10' },
    ]);
  });

  it('keeps withdrawn RustSec records and scores CVSS 4.0 vectors', async () => {
    const spin = await record('osv-ecosystems/crates.osv.json.gz', 'RUSTSEC-2019-0031');
    expect(spin.withdrawn).toBe('2020-10-08T12:00:00Z');
    expect(spin.affected[0]).toMatchObject({ namespace: 'crates.io', package: 'spin', scheme: 'semver', ranges: [{ introduced: '0.0.0-0', fixed: '0.0.0' }] });
    const cap = await record('osv-ecosystems/crates.osv.json.gz', 'RUSTSEC-2024-0445');
    expect(cap.cvss).toEqual([{ version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N', baseScore: expect.any(Number), source: 'RustSec' }]);
    expect(cap.aliases).toEqual(['CVE-2024-51756', 'GHSA-hxf5-99xg-86hw']);
  });

  it('maps last_affected and versions-only Maven entries as affected without a fixed version', async () => {
    const log4j = await record('osv-ecosystems/ghsa-maven.osv.json.gz', 'GHSA-f7vh-qwp3-x37m');
    expect(log4j.affected[0]).toEqual({
      namespace: 'Maven',
      package: 'log4j:log4j',
      scheme: 'maven',
      status: 'affected',
      ranges: [{ introduced: '0', lastAffected: '1.2.17' }],
      versions: ['1.1.3', '1.2.11', '1.2.12', '1.2.13', '1.2.14', '1.2.15', '1.2.16', '1.2.17', '1.2.4', '1.2.5', '1.2.6', '1.2.7', '1.2.8', '1.2.9'],
    });
    const guava = await record('osv-ecosystems/ghsa-maven.osv.json.gz', 'GHSA-mvr2-9pj6-7w5j');
    expect(guava.severity).toBe('medium');
    expect(guava.affected.at(-1)).toEqual({ namespace: 'Maven', package: 'org.sonatype.sisu:sisu-guava', scheme: 'maven', status: 'affected', ranges: [], versions: ['0.11.1'] });
  });
});

describe('OSV source file shapes', () => {
  it('reads a zip of one record per file (osv.dev all.zip, made by python3 -m zipfile) as the JSON array', async () => {
    const dir = path.join(tmp.dir, 'go-records');
    mkdirSync(dir);
    const names = rawRecords('osv-ecosystems/go.osv.json.gz').map((r) => {
      writeFileSync(path.join(dir, `${r.id}.json`), JSON.stringify(r, null, 1));
      return `${r.id}.json`;
    });
    execFileSync('python3', ['-m', 'zipfile', '-c', path.join(tmp.dir, 'all.zip'), ...names], { cwd: dir });
    let t = performance.now();
    const zip = await osvSource.read(path.join(tmp.dir, 'all.zip'));
    console.info(`parse time Go all.zip (python3 -m zipfile): ${(performance.now() - t).toFixed(0)} ms for ${zip.advisories.length} records`);
    expect(zip.problems).toEqual([]);
    expect(zip.advisories).toEqual(await feed('osv-ecosystems/go.osv.json.gz'));
    t = performance.now();
    const fromDir = await osvSource.read(dir);
    console.info(`parse time Go record directory: ${(performance.now() - t).toFixed(0)} ms for ${fromDir.advisories.length} records`);
    expect(fromDir.advisories).toEqual(zip.advisories);
  });

  it('reads a directory, a deflated zip, a single record and a plain JSON array the same', async () => {
    const records = rawRecords('osv-ecosystems/ghsa-npm');
    const array = await readText('npm.json', JSON.stringify(records));
    expect(array.advisories).toEqual(await feed('osv-ecosystems/ghsa-npm'));
    // osv.dev's zips are deflated, unlike python3 -m zipfile's.
    const deflated = path.join(tmp.dir, 'npm.zip');
    execFileSync('python3', ['-c', 'import os, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n    for f in sorted(os.listdir(sys.argv[2])): z.write(os.path.join(sys.argv[2], f), f)', deflated, path.join(FEEDS, 'osv-ecosystems/ghsa-npm')]);
    expect((await osvSource.read(deflated)).advisories).toEqual(array.advisories);
    const single = await osvSource.read(path.join(FEEDS, 'osv-ecosystems/ghsa-npm/GHSA-27h2-hvpr-p74q.json'));
    expect(single.advisories).toEqual([await record('osv-ecosystems/ghsa-npm', 'GHSA-27h2-hvpr-p74q')]);
  });

  it('detects OSV files and leaves the other feeds to their sources', () => {
    const head = (rel: string) => readFileSync(path.join(FEEDS, rel)).subarray(0, 64 * 1024);
    for (const [rel] of FILES.slice(0, 7)) {
      expect(osvSource.detect(rel, head(rel))).toBe(true);
      expect(osvSource.detect(rel, gunzipSync(readFileSync(path.join(FEEDS, rel))).subarray(0, 64 * 1024))).toBe(true);
      expect(debianTrackerSource.detect(rel, head(rel)) || ubuntuTrackerSource.detect(rel, head(rel))).toBe(false);
    }
    expect(osvSource.detect('x.json', head('osv-ecosystems/ghsa-npm/GHSA-xvch-5gv4-984h.json'))).toBe(true);
    for (const rel of ['debian/tracker-json-sample.json', 'debian/DSA-list.txt.gz', 'ubuntu/uct-active.tar.gz', 'kev/known_exploited_vulnerabilities.json', 'alpine/v3.9-main.json']) {
      expect(osvSource.detect(rel, head(rel))).toBe(false);
    }
  });
});

describe('OSV mapping decisions', () => {
  it('keeps OSV ecosystem spelling, dropping only Ubuntu :LTS, and knows the scheme of each ecosystem Vigil declares', () => {
    expect(namespaceOf('Ubuntu:22.04:LTS')).toEqual({ namespace: 'Ubuntu:22.04', scheme: 'dpkg' });
    expect(namespaceOf('Ubuntu:Pro:18.04:LTS')).toEqual({ namespace: 'Ubuntu:Pro:18.04', scheme: 'dpkg' });
    expect(namespaceOf('Ubuntu:24.10')).toEqual({ namespace: 'Ubuntu:24.10', scheme: 'dpkg' });
    expect(namespaceOf('Alpine:v3.19')).toEqual({ namespace: 'Alpine:v3.19', scheme: 'apk' });
    expect(namespaceOf('Rocky Linux:9')).toEqual({ namespace: 'Rocky Linux:9', scheme: 'rpm' });
    expect(namespaceOf('Maven:https://maven.google.com')).toEqual({ namespace: 'Maven:https://maven.google.com', scheme: 'maven' });
    for (const [eco, scheme] of [['RubyGems', 'gem'], ['NuGet', 'nuget'], ['Packagist', 'composer'], ['crates.io', 'semver'], ['PyPI', 'pep440'], ['Red Hat:rhel_aus:8.4::appstream', 'rpm']]) {
      expect(namespaceOf(eco!).scheme).toBe(scheme);
    }
    for (const eco of ['Hex', 'SwiftURL', 'constructor', '__proto__', '']) expect(namespaceOf(eco).scheme).toBeUndefined();
  });

  it("reads Go's zero time as an unknown date, keeps real RFC 3339 dates, and counts others as problems", async () => {
    const tally = newTally();
    const go = parseOsvRecord({ id: 'GO-2020-0001', modified: '0001-01-01T00:00:00Z', published: '2021-04-14T20:04:52Z' }, 'r', tally).advisory!;
    expect(go.published).toBe('2021-04-14T20:04:52Z');
    expect(go.modified).toBeUndefined();
    const frac = parseOsvRecord({ id: 'PYSEC-1', modified: '2023-09-29T21:15:27.86396Z', published: '2023-09-29T21:15:27+02:00' }, 'r', tally).advisory!;
    expect([frac.modified, frac.published]).toEqual(['2023-09-29T21:15:27.86396Z', '2023-09-29T21:15:27+02:00']);
    expect(tally.badDates.count).toBe(0);
    const bad = parseOsvRecord({ id: 'X-1', modified: 'yesterday', published: '2021-13-45T99:00:00Z' }, 'r', tally).advisory!;
    expect([bad.modified, bad.published]).toEqual([undefined, undefined]);
    expect(tally.badDates).toEqual({ count: 2, first: 'X-1 published "2021-13-45T99:00:00Z"' });
    // The bundled Go feed: no record keeps the year 1 as a date.
    const feedRes = await osvSource.read(path.join(REPO, 'data/feeds/osv-ecosystems/go.osv.json.gz'));
    expect(feedRes.advisories.filter((a) => (a.published ?? '').startsWith('0001') || (a.modified ?? '').startsWith('0001'))).toEqual([]);
    expect(feedRes.advisories.filter((a) => a.published !== undefined).length).toBeGreaterThan(200);
  });

  it('takes severities from GHSA, Debian urgency, Ubuntu priority and Red Hat style summaries', () => {
    const tally = newTally();
    const af = (extra: object) => ({ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }], ...extra });
    const urgencies = [{ ecosystem_specific: { urgency: 'low**' } }, { ecosystem_specific: { urgency: 'unimportant' } }, { ecosystem_specific: { urgency: 'not yet assigned' } }];
    const others = [{ database_specific: { severity: 'HIGH' } }, { ecosystem_specific: { severity: 'MODERATE' } }, { severity: [{ type: 'Ubuntu', score: 'medium' }] }, {}];
    const rec = parseOsvRecord({ id: 'DEBIAN-CVE-2024-1', affected: [...urgencies, ...others].map(af) }, 'r', tally).advisory!;
    expect(rec.affected.map((p) => p.severity)).toEqual(['low', 'negligible', 'unknown', 'high', 'medium', 'medium', undefined]);
    expect(parseOsvRecord({ id: 'UBUNTU-CVE-2024-1', severity: [{ type: 'Ubuntu', score: 'high' }] }, 'r', tally).advisory!.severity).toBe('high');
    expect(parseOsvRecord({ id: 'RLSA-2024:1', summary: 'Moderate: curl security update' }, 'r', tally).advisory!.severity).toBe('medium');
    expect(parseOsvRecord({ id: 'GHSA-x', summary: 'Critical: not a distro advisory' }, 'r', tally).advisory!.severity).toBeUndefined();
    const t = performance.now();
    const stars = parseOsvRecord({ id: 'X-2', affected: [af({ ecosystem_specific: { urgency: `${'*'.repeat(1024 * 1024)}x` } })] }, 'r', tally);
    expect(performance.now() - t).toBeLessThan(200);
    expect(stars.advisory!.affected[0]!.severity).toBe('unknown');
  });

  it('lists at most 20 problems of one record, then counts the rest', () => {
    const affected = Array.from({ length: 25 }, (_, i) => ({ package: { ecosystem: 'npm', name: `bad\u0000${i}` } }));
    const { problems } = parseOsvRecord({ id: 'GHSA-many', affected }, 'r', newTally());
    expect(problems).toHaveLength(21);
    expect(problems.at(-1)).toBe('GHSA-many: 5 more problem(s) not shown');
  });

  it('picks the lowest fixed version by the package scheme, never preferring a version it refuses', () => {
    expect(lowestVersion(['1:1.0-1', '2.0-1'], 'dpkg')).toBe('2.0-1');
    expect(lowestVersion(['2.16.3', '2.15.9', '2.14.4'], 'pep440')).toBe('2.14.4');
    expect(lowestVersion(['1.0.0', '1.0.0-rc.1'], 'semver')).toBe('1.0.0-rc.1');
    expect(lowestVersion(['not a version!', '1.0.0', 'also bad!'], 'semver')).toBe('1.0.0');
    expect(lowestVersion(['bad one!', 'bad two!'], 'semver')).toBe('bad one!');
    expect(lowestVersion([], 'rpm')).toBeUndefined();
  });

  it('applies limit events to every range of their events list; `*` lifts them', () => {
    const say = (m: string) => problems.push(m);
    const problems: string[] = [];
    expect(pairEvents([{ kind: 'introduced', version: '0' }, { kind: 'limit', version: '2.0' }], say)).toEqual([{ introduced: '0', limit: '2.0' }]);
    expect(
      pairEvents([{ kind: 'introduced', version: '1' }, { kind: 'fixed', version: '2' }, { kind: 'introduced', version: '3' }, { kind: 'limit', version: '4' }, { kind: 'limit', version: '9' }], say),
    ).toEqual([
      { introduced: '1', fixed: '2', limit: '4' },
      { introduced: '1', fixed: '2', limit: '9' },
      { introduced: '3', limit: '4' },
      { introduced: '3', limit: '9' },
    ]);
    expect(pairEvents([{ kind: 'introduced', version: '0' }, { kind: 'limit', version: '*' }], say)).toEqual([{ introduced: '0' }]);
    expect(problems).toEqual([]);
  });

  it('reads events out of order the wider way and says so', () => {
    const problems: string[] = [];
    const say = (m: string) => problems.push(m);
    expect(pairEvents([{ kind: 'fixed', version: '1.0' }, { kind: 'introduced', version: '0' }], say)).toEqual([{ introduced: '0' }]);
    expect(pairEvents([{ kind: 'introduced', version: '1' }, { kind: 'introduced', version: '2' }, { kind: 'fixed', version: '3' }], say)).toEqual([{ introduced: '1', fixed: '3' }]);
    expect(problems).toEqual([
      'events out of order: fixed "1.0" with no open range; ignored',
      'events out of order: introduced "2" while "1" is open; kept the range open from the first',
    ]);
  });

  it('turns bad records and hostile values into problems and reads the rest', async () => {
    const ok = (id: string, extra: object = {}) => ({ id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }], ...extra });
    const pkg = (name: unknown, ranges: unknown = [{ type: 'SEMVER', events: [{ introduced: '0' }] }]) => ({ package: { ecosystem: 'npm', name }, ranges });
    const records = [
      ok('GHSA-0001'),
      { modified: '2024-01-01T00:00:00Z', affected: [] },
      { id: 'a\u0000b' },
      ok('GHSA-0002', { affected: [pkg('\u001b[31mred'), pkg('x'.repeat(1024 * 1024)), pkg(42), pkg(' spaced'), pkg('fine')] }),
      ok('GHSA-0003', { affected: [pkg('p', [{ type: 'FOO', events: [{ introduced: '0' }] }, { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2' }] }])] }),
      ok('GHSA-0004', { affected: [pkg('q', [{ type: 'ECOSYSTEM', events: [{ fixed: '1' }, { introduced: '0' }] }])] }),
      ok('GHSA-0005', { affected: [pkg('r', [{ type: 'ECOSYSTEM', events: [{ introduced: '0', fixed: '1' }] }]), pkg('s', [{ type: 'ECOSYSTEM', events: [{ introduced: 'v'.repeat(1024 * 1024) }] }])] }),
      ok('GHSA-0006', { affected: [pkg('t', [{ type: 'GIT', repo: 'https://example.org/t', events: [{ introduced: '0' }, { fixed: 'a'.repeat(40) }] }]), pkg('u', [])] }),
      ok('GHSA-0007', { affected: [{ package: { ecosystem: 'Hex', name: 'plug' } }, { package: { ecosystem: 'Hex', name: 'phoenix' } }] }),
      'not a record',
      ok('GHSA-0008', { summary: 's'.repeat(1024 * 1024), severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/garbage' }] }),
    ];
    const t = performance.now();
    const res = await readText('bad.json', `[${records.map((r) => JSON.stringify(r)).join(',')}, {"id": "GHSA-broken",}]`);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(res.advisories.map((a) => a.id)).toEqual(['GHSA-0001', 'GHSA-0002', 'GHSA-0003', 'GHSA-0004', 'GHSA-0005', 'GHSA-0006', 'GHSA-0007', 'GHSA-0008']);
    expect(res.advisories[1]!.affected.map((p) => p.package)).toEqual(['fine']);
    expect(res.advisories[2]!.affected[0]!.ranges).toEqual([{ introduced: '0', fixed: '2' }]);
    expect(res.advisories[3]!.affected[0]!.ranges).toEqual([{ introduced: '0' }]);
    expect(res.advisories[4]!.affected).toEqual([]);
    expect(res.advisories[7]!.summary).toHaveLength(1000);
    const messages = res.problems.map((p) => p.message);
    expect(messages).toEqual([
      'record #2: has no id; skipped',
      'record #3: bad id "a\\u0000b"; skipped',
      'GHSA-0002: has a bad package name "\\u001b[31mred" in "npm"',
      `GHSA-0002: has a bad package name ${JSON.stringify('x'.repeat(80) + '…')} in "npm"`,
      'GHSA-0002: has a bad package name "42" in "npm"',
      'GHSA-0002: has a bad package name " spaced" in "npm"',
      'GHSA-0003: npm "p": range of unknown type "FOO" ignored',
      'GHSA-0004: npm "q": ECOSYSTEM range: events out of order: fixed "1" with no open range; ignored',
      'GHSA-0005: npm "r": ECOSYSTEM range has an event that is not one of introduced/fixed/last_affected/limit: "{\\"introduced\\":\\"0\\",\\"fixed\\":\\"1\\"}"; range ignored',
      'GHSA-0005: npm "r": no usable range or versions left; skipped',
      `GHSA-0005: npm "s": ECOSYSTEM range has a bad introduced version ${JSON.stringify('v'.repeat(80) + '…')}; range ignored`,
      'GHSA-0005: npm "s": no usable range or versions left; skipped',
      'GHSA-0006: npm "u": lists no ranges or versions; skipped',
      'record #10: not a JSON object',
      expect.stringMatching(/^GHSA-0008: invalid CVSS vector "CVSS:3.1\/AV:N\/garbage"/),
      expect.stringMatching(/^record #12: invalid JSON/),
      'skipped 2 affected package(s) of ecosystem "Hex": Vigil has no version scheme for it (first in GHSA-0007)',
      'skipped 1 affected package(s) that have only GIT ranges and no versions list: Vigil has no commit data (first in GHSA-0006)',
    ]);
  });

  it('refuses a truncated gzip, JSON array or record whole, naming the file', async () => {
    const gz = readFileSync(path.join(FEEDS, 'debian12-archive/debian12.osv.json.gz'));
    await expect(readText('cut.osv.json.gz', gz.subarray(0, gz.length >> 1))).rejects.toThrow(/cut\.osv\.json\.gz: gzip data is cut short \(unexpected end of file\)$/);
    const json = gunzipSync(gz).toString('utf8');
    await expect(readText('cut.osv.json', json.slice(0, json.length >> 1))).rejects.toThrow(/cut\.osv\.json: JSON ends early: member #\d+ is cut off$/);
    await expect(readText('mismatched.json', '[{"id": "A-1"}}')).rejects.toThrow(/mismatched\.json: not JSON: expected ',' or ']' at offset 14$/);
    await expect(readText('trailing.json', '[]]')).rejects.toThrow(/trailing\.json: not JSON: text after the closing \] at offset 2$/);
    await expect(readText('cut-record.json', '{"id": "A-1", "modified": "2024-')).rejects.toThrow(/cut-record\.json: JSON ends early \(/);
  });

  it('throws naming the file when nothing in it is readable', async () => {
    const f = (name: string) => path.join(tmp.dir, name);
    await expect(readText('garbage.json', 'this is not json at all')).rejects.toThrow(f('garbage.json'));
    await expect(readText('garbage.json.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(64, 0xff)]))).rejects.toThrow(/garbage\.json\.gz: gzip data is corrupt \(Z_DATA_ERROR: invalid block type\)$/);
    await expect(readText('nested.json', '['.repeat(1024 * 1024))).rejects.toThrow(f('nested.json'));
    await expect(readText('norecords.json', JSON.stringify([1, 2, 'x']))).rejects.toThrow('none of its 3 array elements is an OSV record');
    await expect(readText('nomodified.json', '{"summary": "no id"}')).rejects.toThrow('nomodified.json: not an OSV record');
    await expect(readText('bad.zip', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]))).rejects.toThrow(/bad\.zip: not a readable zip archive/);
    await expect(osvSource.read(f('missing.json'))).rejects.toThrow(f('missing.json'));
    expect((await readText('empty.json', '[]')).advisories).toEqual([]);
  });

  it('takes aliases and upstream as aliases, never related (but for distro advisories that predate upstream)', () => {
    const tally = newTally();
    const rec = { related: ['CVE-2024-1'], upstream: ['CVE-2024-2'], aliases: ['X-1', 'GHSA-a'] };
    expect(parseOsvRecord({ id: 'X-1', ...rec }, 'r', tally)).toEqual({ advisory: { id: 'X-1', source: 'osv', aliases: ['GHSA-a', 'CVE-2024-2'], affected: [] }, problems: [] });
    expect(parseOsvRecord({ id: 'RLSA-2024:1', related: ['CVE-2024-1', 'RLSA-2023:9'] }, 'r', tally).advisory!.aliases).toEqual(['CVE-2024-1']);
    expect(parseOsvRecord({ id: 'GHSA-x', related: ['CVE-2024-1'] }, 'r', tally).advisory!.aliases).toEqual([]);
  });

  it('keeps the record modified last of two with one id', async () => {
    const rec = (modified: string, summary: string) => ({ id: 'GHSA-dup', modified, summary, affected: [] });
    const res = await readText('dup.json', JSON.stringify([rec('2024-02-01T00:00:00Z', 'new'), rec('2024-01-01T00:00:00Z', 'old')]));
    expect(res.advisories.map((a) => a.summary)).toEqual(['new']);
    expect(res.problems.map((p) => p.message)).toEqual(["1 record(s) repeat an id read before; kept the one modified last"]);
  });
});
