import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Advisory, AffectedPackage } from '../../src/advisories/model.js';
import { debianTrackerSource } from '../../src/advisories/sources/debian-tracker.js';
import { osvSource } from '../../src/advisories/sources/osv.js';
import { parseUctFile, ubuntuNamespace, ubuntuTrackerSource, uctStatus } from '../../src/advisories/sources/ubuntu-tracker.js';
import type { FeedResult } from '../../src/advisories/source.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const UCT = path.join(REPO, 'data/feeds/ubuntu/uct-active.tar.gz');
const tmp = tempDir('vigil-uct-');
afterAll(() => tmp.cleanup());

let tarball: FeedResult;
beforeAll(async () => {
  const t = performance.now();
  tarball = await ubuntuTrackerSource.read(UCT);
  console.info(`parse time ubuntu/uct-active.tar.gz: ${(performance.now() - t).toFixed(0)} ms for ${tarball.advisories.length} advisories`);
});

function byId(id: string): Advisory {
  const a = tarball.advisories.find((x) => x.id === id);
  if (!a) throw new Error(`${id} missing`);
  return a;
}
const pkg = (namespace: string, name: string, status: AffectedPackage['status'], extra: Partial<AffectedPackage> = {}): AffectedPackage => ({
  namespace,
  package: name,
  scheme: 'dpkg',
  status,
  ranges: extra.fixedVersion ? [{ introduced: '0', fixed: extra.fixedVersion }] : [],
  ...extra,
});
const eol = (ns: string, name: string, note = 'reached end-of-life') => pkg(ns, name, 'end-of-life', { note });

describe('Ubuntu CVE Tracker on the bundled archive', () => {
  it('reads all 6,509 CVE files; the only problems are the 44 real stray "-- Tags_xen" lines', () => {
    expect(tarball.advisories).toHaveLength(6509);
    expect(new Set(tarball.advisories.map((a) => a.id)).size).toBe(6509);
    expect(tarball.problems).toHaveLength(44);
    for (const p of tarball.problems) {
      expect(p.file).toBe(UCT);
      expect(p.message).toMatch(/^active\/CVE-\d{4}-\d+: line \d+: not a field or status line: "-- Tags_xen: universe-binary"$/);
    }
  });

  it('maps CVE-2012-0880 exactly: end of life and end of standard support, deferred, ESM as Ubuntu Pro', () => {
    const ns = (v: string) => `Ubuntu:${v}`;
    const deferred = (v: string) => pkg(v, 'xerces-c', 'affected', { note: 'deferred (2019-01-01)' });
    expect(byId('CVE-2012-0880')).toEqual({
      id: 'CVE-2012-0880',
      source: 'ubuntu-tracker',
      aliases: [],
      published: '2017-08-08T21:29:00Z',
      summary: 'Apache Xerces-C++ allows remote attackers to cause a denial of service (CPU consumption) via a crafted message sent to an XML service that causes hash table collisions.',
      severity: 'medium',
      ratings: [{ vendor: 'Ubuntu', severity: 'medium', raw: 'medium', record: 'CVE-2012-0880' }],
      cvss: [{ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', baseScore: 7.5, source: 'nvd@nist.gov' }],
      references: ['https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2012-0880'],
      affected: [
        eol(ns('10.04'), 'xerces-c'),
        eol(ns('12.04'), 'xerces-c'),
        eol(ns('13.10'), 'xerces-c'),
        eol(ns('14.04'), 'xerces-c', 'out of standard support'),
        deferred('Ubuntu:Pro:14.04'),
        eol(ns('14.10'), 'xerces-c'),
        eol(ns('15.04'), 'xerces-c'),
        eol(ns('15.10'), 'xerces-c'),
        deferred(ns('16.04')),
        eol(ns('16.10'), 'xerces-c'),
        eol(ns('17.04'), 'xerces-c'),
        eol(ns('17.10'), 'xerces-c'),
        deferred(ns('18.04')),
        eol(ns('18.10'), 'xerces-c'),
        eol(ns('19.04'), 'xerces-c'),
        deferred(ns('19.10')),
      ],
    });
  });

  it('maps CVE-2016-0718: released versions, per-package priority, not-affected with its reason', () => {
    const a = byId('CVE-2016-0718');
    expect(a).toMatchObject({ published: '2016-05-26T16:59:00Z', severity: 'medium', summary: expect.stringMatching(/^Expat allows .* which triggers a buffer overflow\.$/) });
    expect(a.references).toHaveLength(4);
    const expat = a.affected.filter((p) => p.package === 'expat');
    expect(expat.slice(0, 5)).toEqual([
      pkg('Ubuntu:12.04', 'expat', 'fixed', { fixedVersion: '2.0.1-7.2ubuntu1.3' }),
      pkg('Ubuntu:Pro:12.04', 'expat', 'fixed', { fixedVersion: '2.0.1-7.2ubuntu1.3' }),
      pkg('Ubuntu:14.04', 'expat', 'fixed', { fixedVersion: '2.1.0-4ubuntu1.2' }),
      pkg('Ubuntu:Pro:14.04', 'expat', 'fixed', { fixedVersion: '2.1.0-4ubuntu1.2' }),
      pkg('Ubuntu:15.10', 'expat', 'fixed', { fixedVersion: '2.1.0-7ubuntu0.15.10.1' }),
    ]);
    expect(expat).toHaveLength(13);
    const xmlrpc = a.affected.filter((p) => p.package === 'xmlrpc-c');
    expect(xmlrpc.every((p) => p.severity === 'low')).toBe(true);
    expect(xmlrpc.slice(0, 3)).toEqual([
      pkg('Ubuntu:12.04', 'xmlrpc-c', 'fixed', { fixedVersion: '1.16.33-3.1ubuntu5.2', severity: 'low' }),
      pkg('Ubuntu:14.04', 'xmlrpc-c', 'end-of-life', { note: 'out of standard support', severity: 'low' }),
      pkg('Ubuntu:Pro:14.04', 'xmlrpc-c', 'affected', { severity: 'low' }),
    ]);
    expect(a.affected.find((p) => p.package === 'paraview')).toEqual(pkg('Ubuntu:12.04', 'paraview', 'not-affected', { note: 'uses system expat' }));
  });

  it('reads CVE-2018-13410 as disputed, its priority as Ubuntu\'s rating and its vector as NVD\'s', () => {
    const a = byId('CVE-2018-13410');
    expect(a.state).toBe('disputed');
    expect(a.ratings).toEqual([{ vendor: 'Ubuntu', severity: 'low', raw: 'low', record: 'CVE-2018-13410' }]);
    expect(a.cvss).toEqual([{ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, source: 'nvd@nist.gov' }]);
    // Across the archive: every `** DISPUTED **` description is read as disputed, untriaged is no rating.
    expect(tarball.advisories.filter((x) => x.state === 'disputed').length).toBe(80);
    const untriaged = tarball.advisories.filter((x) => x.severity === 'unknown');
    expect(untriaged.length).toBeGreaterThan(100);
    expect(untriaged.every((x) => x.ratings === undefined)).toBe(true);
    expect(tarball.advisories.filter((x) => x.ratings?.[0]?.severity === 'negligible').length).toBe(181);
  });

  it('maps CVE-2019-1010022: needs-triage, skipping DNE, upstream and devel', () => {
    expect(byId('CVE-2019-1010022')).toMatchObject({
      published: '2019-07-15T04:15:00Z',
      severity: 'low',
      cvss: [{ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8 }],
      affected: [
        eol('Ubuntu:14.04', 'glibc', 'out of standard support'),
        pkg('Ubuntu:16.04', 'glibc', 'needs-triage'),
        pkg('Ubuntu:18.04', 'glibc', 'needs-triage'),
        eol('Ubuntu:19.04', 'glibc'),
        pkg('Ubuntu:19.10', 'glibc', 'needs-triage'),
      ],
    });
  });

  it('reads the extracted active/ directory exactly as the archive', async () => {
    execFileSync('tar', ['xzf', UCT, '-C', tmp.dir]);
    const t = performance.now();
    const dir = await ubuntuTrackerSource.read(path.join(tmp.dir, 'active'));
    console.info(`parse time ubuntu active/ directory: ${(performance.now() - t).toFixed(0)} ms for ${dir.advisories.length} advisories`);
    expect(dir.advisories).toEqual(tarball.advisories);
    expect(dir.problems).toHaveLength(44);
    const one = await ubuntuTrackerSource.read(path.join(tmp.dir, 'active/CVE-2012-0880'));
    expect(one).toEqual({ advisories: [byId('CVE-2012-0880')], problems: [] });
  });
});

describe('Ubuntu CVE Tracker mapping decisions', () => {
  it('names releases Ubuntu:<version> and ESM streams Ubuntu:Pro:<version>, skipping non-releases', () => {
    expect(ubuntuNamespace('focal')).toEqual({ namespace: 'Ubuntu:20.04', known: true });
    expect(ubuntuNamespace('noble')).toEqual({ namespace: 'Ubuntu:24.04', known: true });
    expect(ubuntuNamespace('trusty/esm')).toEqual({ namespace: 'Ubuntu:Pro:14.04', known: true });
    expect(ubuntuNamespace('esm-infra/xenial')).toEqual({ namespace: 'Ubuntu:Pro:16.04', known: true });
    expect(ubuntuNamespace('esm-apps/jammy')).toEqual({ namespace: 'Ubuntu:Pro:22.04', known: true });
    for (const k of ['upstream', 'devel', 'product', 'snap', 'vivid/ubuntu-core', 'vivid/stable-phone-overlay']) expect(ubuntuNamespace(k)).toEqual({ known: true });
    for (const k of ['constructor', 'trusty/fips', 'warty2']) expect(ubuntuNamespace(k)).toEqual({ known: false });
  });

  it('maps every tracker status', () => {
    expect(uctStatus('needed', '')).toEqual({ status: 'affected' });
    expect(uctStatus('needed', 'reached end-of-life')).toEqual({ status: 'end-of-life', note: 'reached end-of-life' });
    expect(uctStatus('released', '1.2-3ubuntu1')).toEqual({ status: 'fixed', fixedVersion: '1.2-3ubuntu1' });
    expect(uctStatus('released', '')).toEqual({ problem: 'released without a version' });
    expect(uctStatus('not-affected', '1.0-1')).toEqual({ status: 'not-affected', note: '1.0-1' });
    expect(uctStatus('not-affected', '')).toEqual({ status: 'not-affected' });
    expect(uctStatus('ignored', 'superseded by foo')).toEqual({ status: 'will-not-fix', note: 'superseded by foo' });
    expect(uctStatus('ignored', 'end of standard support')).toEqual({ status: 'end-of-life', note: 'end of standard support' });
    expect(uctStatus('ignored', 'end of life')).toEqual({ status: 'end-of-life', note: 'end of life' });
    expect(uctStatus('deferred', '')).toEqual({ status: 'affected', note: 'deferred' });
    expect(uctStatus('needs-triage', '')).toEqual({ status: 'needs-triage' });
    expect(uctStatus('pending', '2.0-1')).toEqual({ status: 'affected', note: 'fix pending: 2.0-1' });
    expect(uctStatus('DNE', '')).toBe('skip');
    expect(uctStatus('fixed', '')).toEqual({ problem: 'unknown status "fixed"' });
  });
});

describe('Ubuntu CVE Tracker malformed input', () => {
  const file = (candidate: string, lines: string[]) => [`Candidate: ${candidate}`, 'PublicDate: 2020-01-02', 'Priority: high', '', 'Patches_foo:', ...lines, ''].join('\n');

  it('reports truncated, binary, non-UTF-8 and Candidate-less files and bad lines, and reads the rest', async () => {
    const dir = path.join(tmp.dir, 'bad', 'active');
    mkdirSync(dir, { recursive: true });
    const files: Record<string, string | Buffer> = {
      'CVE-2020-0001': file('CVE-2020-0001', ['bionic_foo: released (1.0-1)', 'focal_foo: needed']),
      'CVE-2020-0002': 'Candid',
      'CVE-2020-0003': Buffer.from('Candidate: CVE-2020-0003\n\0\0\0binary'),
      'CVE-2020-0004': Buffer.from([0x43, 0x61, 0xff, 0xfe, 0x0a]),
      'CVE-2020-0005': file('CVE-2020-0005', ['bionic_foo: released', 'focal_foo: fixed (1.0)', 'hirsute2_foo: needed', 'jammy_foo: ', `noble_foo: needed (${'x'.repeat(1024 * 1024)})`, 'plain text line']),
      'CVE-2020-0006': file('CVE-2020-0006', ['xenial_foo: released (2.0-1']).slice(0, -20),
      'README': 'not a CVE file',
    };
    for (const [name, data] of Object.entries(files)) writeFileSync(path.join(dir, name), data);
    const tgz = path.join(tmp.dir, 'bad.tar.gz');
    execFileSync('tar', ['czf', tgz, '-C', path.dirname(dir), 'active']);
    const t = performance.now();
    const res = await ubuntuTrackerSource.read(tgz);
    expect(performance.now() - t).toBeLessThan(2000);
    // tar writes a directory in the order the file system lists it.
    const ids = res.advisories.map((a) => [a.id, a.affected.map((p) => `${p.namespace} ${p.status} ${p.fixedVersion ?? ''}`.trim())]);
    expect(ids.sort()).toEqual([
      ['CVE-2020-0001', ['Ubuntu:18.04 fixed 1.0-1', 'Ubuntu:20.04 affected']],
      ['CVE-2020-0005', []],
      ['CVE-2020-0006', []],
    ]);
    expect(res.problems.map((p) => p.message).sort()).toEqual(
      [
        'active/CVE-2020-0002: line 1: not a field or status line: "Candid"',
        'active/CVE-2020-0002: no Candidate field; skipped',
        'active/CVE-2020-0003: binary data, not a tracker file; skipped',
        'active/CVE-2020-0004: not UTF-8 text; skipped',
        'active/CVE-2020-0005: line 6: bionic_foo: released without a version; skipped',
        'active/CVE-2020-0005: line 7: focal_foo: unknown status "fixed"; skipped',
        'active/CVE-2020-0005: line 9: jammy_foo: no status; skipped',
        'active/CVE-2020-0005: line 10: 1048596 characters long; skipped',
        'active/CVE-2020-0005: line 11: not a field or status line: "plain text line"',
        'active/CVE-2020-0006: line 6: not a field or status line: "xenial_f"',
        'skipped 1 line(s) of unknown release "hirsute2" (first in active/CVE-2020-0005)',
      ].sort(),
    );
  });

  it('refuses a truncated archive whole, naming the file, rather than keep the files before the cut', async () => {
    const gz = readFileSync(UCT);
    const cut = path.join(tmp.dir, 'cut.tar.gz');
    writeFileSync(cut, gz.subarray(0, gz.length >> 1));
    await expect(ubuntuTrackerSource.read(cut)).rejects.toThrow(`${cut}: gzip data is cut short (unexpected end of file)`);
    const tar = gunzipSync(gz);
    const cutTar = path.join(tmp.dir, 'cut.tar');
    writeFileSync(cutTar, tar.subarray(0, (tar.length >> 10) << 9));
    await expect(ubuntuTrackerSource.read(cutTar)).rejects.toThrow(/cut\.tar: broken tar archive: archive ends inside /);
    // Every entry whole, only the end-of-archive blocks missing: a cut between two entries looks the same.
    let last = tar.length;
    while (last > 0 && tar[last - 1] === 0) last--;
    const unended = path.join(tmp.dir, 'unended.tar');
    writeFileSync(unended, tar.subarray(0, Math.ceil(last / 512) * 512));
    await expect(ubuntuTrackerSource.read(unended)).rejects.toThrow(/unended\.tar: broken tar archive: archive ends at offset \d+ without its end-of-archive block/);
  });

  it('throws naming the file when nothing is readable', async () => {
    const write = (name: string, data: string | Buffer) => {
      const f = path.join(tmp.dir, name);
      writeFileSync(f, data);
      return f;
    };
    await expect(ubuntuTrackerSource.read(write('garbage', 'garbage\n'))).rejects.toThrow(/garbage: .*not a field or status line.*no Candidate field/);
    await expect(ubuntuTrackerSource.read(write('junk.tar.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(600, 0x41)])))).rejects.toThrow(/junk\.tar\.gz/);
    const empty = path.join(tmp.dir, 'empty');
    mkdirSync(path.join(empty, 'active'), { recursive: true });
    writeFileSync(path.join(empty, 'active', 'README'), 'x');
    execFileSync('tar', ['czf', path.join(tmp.dir, 'empty.tar.gz'), '-C', empty, 'active']);
    await expect(ubuntuTrackerSource.read(path.join(tmp.dir, 'empty.tar.gz'))).rejects.toThrow(/empty\.tar\.gz: archive holds no CVE-\* tracker files/);
    await expect(ubuntuTrackerSource.read(path.join(empty, 'active'))).rejects.toThrow(/directory holds no CVE-\* tracker files/);
  });

  it('parses a file with a 1 MB line quickly', () => {
    const t = performance.now();
    const res = parseUctFile(Buffer.from(`Candidate: CVE-2020-0007\nReferences:\n ${'h'.repeat(1024 * 1024)}\nbionic_foo${'_'.repeat(60_000)}: needed\n`), 'f');
    expect(performance.now() - t).toBeLessThan(500);
    expect(res.advisory).toMatchObject({ id: 'CVE-2020-0007', affected: [] });
  });
});

describe('Ubuntu CVE Tracker detection', () => {
  it('detects the tracker archive, plain or inflated, and single CVE files, and nothing else', () => {
    const head = (f: string) => readFileSync(f).subarray(0, 64 * 1024);
    expect(ubuntuTrackerSource.detect(UCT, head(UCT))).toBe(true);
    expect(ubuntuTrackerSource.detect(UCT, gunzipSync(readFileSync(UCT)).subarray(0, 64 * 1024))).toBe(true);
    expect(ubuntuTrackerSource.detect('CVE-2016-0718', Buffer.from('PublicDateAtUSN: 2016-05-17 19:00:00 UTC\nCandidate: CVE-2016-0718\n'))).toBe(true);
    expect(ubuntuTrackerSource.detect('CVE-2012-0880', Buffer.from('Candidate: CVE-2012-0880\n'))).toBe(true);
    expect(osvSource.detect(UCT, head(UCT)) || debianTrackerSource.detect(UCT, head(UCT))).toBe(false);
    for (const f of ['debian/DSA-list.txt.gz', 'osv-ecosystems/go.osv.json.gz', 'debian/tracker-json-sample.json']) {
      expect(ubuntuTrackerSource.detect(f, head(path.join(REPO, 'data/feeds', f)))).toBe(false);
    }
  });
});
