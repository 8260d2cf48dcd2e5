import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Advisory } from '../../src/advisories/model.js';
import { debianTrackerSource, parseDsaList, parseTrackerJson, trackerStatus } from '../../src/advisories/sources/debian-tracker.js';
import { osvSource } from '../../src/advisories/sources/osv.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const DEBIAN = path.join(REPO, 'data/feeds/debian');
const tmp = tempDir('vigil-debian-');
afterAll(() => tmp.cleanup());

async function read(name: string) {
  const t = performance.now();
  const res = await debianTrackerSource.read(path.join(DEBIAN, name));
  console.info(`parse time debian/${name}: ${(performance.now() - t).toFixed(0)} ms for ${res.advisories.length} advisories`);
  return res;
}
function byId(list: Advisory[], id: string): Advisory {
  const a = list.find((x) => x.id === id);
  if (!a) throw new Error(`${id} missing`);
  return a;
}
const fixed = (namespace: string, pkg: string, v: string) => ({ namespace, package: pkg, scheme: 'dpkg', status: 'fixed', ranges: [{ introduced: '0', fixed: v }], fixedVersion: v });

describe('Debian security tracker JSON', () => {
  it('reads the 7 CVEs of the 6 source packages of the sample, with no problems', async () => {
    const res = await read('tracker-json-sample.json');
    expect(res.problems).toEqual([]);
    expect(res.advisories.map((a) => a.id)).toEqual(['CVE-2008-7220', 'CVE-2007-2383', 'CVE-2013-1444', 'CVE-2005-3111', 'CVE-2022-0456', 'CVE-2025-53603', 'CVE-2022-0358']);
    expect(res.advisories.every((a) => a.source === 'debian-tracker' && a.aliases.length === 0)).toBe(true);
  });

  it('maps chromium CVE-2022-0456: resolved per release, end-of-life where the package lost support', async () => {
    const a = byId((await read('tracker-json-sample.json')).advisories, 'CVE-2022-0456');
    expect(a.references).toEqual(['https://security-tracker.debian.org/tracker/CVE-2022-0456']);
    expect(a.affected).toEqual([
      { ...fixed('Debian:12', 'chromium', '98.0.4758.80-1'), severity: 'unknown' },
      { ...fixed('Debian:11', 'chromium', '98.0.4758.80-1~deb11u1'), severity: 'unknown' },
      { namespace: 'Debian:10', package: 'chromium', scheme: 'dpkg', status: 'end-of-life', ranges: [], note: 'no security support for this package in this release' },
      { ...fixed('Debian:sid', 'chromium', '98.0.4758.80-1'), severity: 'unknown' },
      { namespace: 'Debian:9', package: 'chromium', scheme: 'dpkg', status: 'end-of-life', ranges: [], note: 'no security support for this package in this release' },
    ]);
  });

  it('maps fixed_version 0 to not-affected, urgencies to severities, and keeps the bug as a reference', async () => {
    const res = (await read('tracker-json-sample.json')).advisories;
    expect(byId(res, 'CVE-2007-2383').affected.map((p) => [p.namespace, p.status, p.severity, p.ranges])).toEqual([
      ['Debian:9', 'not-affected', 'negligible', []],
      ['Debian:8', 'not-affected', 'negligible', []],
      ['Debian:10', 'not-affected', 'negligible', []],
      ['Debian:sid', 'not-affected', 'negligible', []],
    ]);
    expect(byId(res, 'CVE-2013-1444').affected[0]).toEqual({ ...fixed('Debian:9', 'txt2man', '1.5.5-4.1'), severity: 'low' });
    expect(byId(res, 'CVE-2008-7220').affected[0]!.severity).toBe('high');
    const sope = byId(res, 'CVE-2025-53603');
    expect(sope.references).toEqual(['https://security-tracker.debian.org/tracker/CVE-2025-53603', 'https://bugs.debian.org/1108798']);
    expect(sope.summary).toMatch(/^In Alinto SOPE SOGo 2\.0\.2 through 5\.12\.2/);
    expect(sope.affected.map((p) => [p.namespace, p.fixedVersion])).toEqual([
      ['Debian:12', '5.8.0-1+deb12u1'],
      ['Debian:11', '5.0.1-2+deb11u1'],
      ['Debian:sid', '5.12.1-2'],
      ['Debian:13', '5.12.1-2'],
    ]);
    expect(byId(res, 'CVE-2022-0358').affected).toEqual([]);
    // Each release's urgency is Debian's rating for that release, as written; `not yet assigned` is none.
    expect(byId(res, 'CVE-2007-2383').ratings).toEqual(
      ['Debian:9', 'Debian:8', 'Debian:10', 'Debian:sid'].map((namespace) => ({ vendor: 'Debian', namespace, severity: 'negligible', raw: 'unimportant', record: 'CVE-2007-2383' })),
    );
    expect(byId(res, 'CVE-2008-7220').ratings?.[0]).toMatchObject({ vendor: 'Debian', severity: 'high', raw: 'high**' });
    expect(byId(res, 'CVE-2022-0456').ratings).toBeUndefined();
  });

  it('keeps no-dsa decisions: ignored is will-not-fix, postponed and plain no-dsa stay affected with the reason', () => {
    expect(trackerStatus({ status: 'open', urgency: 'unimportant', nodsa: 'Minor issue', nodsa_reason: 'ignored' })).toEqual({ status: 'will-not-fix', note: 'ignored: Minor issue' });
    expect(trackerStatus({ status: 'open', nodsa: 'Minor issue', nodsa_reason: 'postponed' })).toEqual({ status: 'affected', note: 'postponed: Minor issue' });
    expect(trackerStatus({ status: 'open', nodsa: 'Minor issue', nodsa_reason: '' })).toEqual({ status: 'affected', note: 'no DSA: Minor issue' });
    expect(trackerStatus({ status: 'open', urgency: 'low' })).toEqual({ status: 'affected' });
    expect(trackerStatus({ status: 'undetermined' })).toEqual({ status: 'needs-triage' });
    expect(trackerStatus({ status: 'resolved' })).toEqual({ problem: 'resolved without a fixed_version' });
    expect(trackerStatus({ status: 'resolved', fixed_version: '1.0 2.0' })).toEqual({ problem: 'resolved with a bad fixed_version "1.0 2.0"' });
    expect(trackerStatus({ status: 'fixed' })).toEqual({ problem: 'unknown status "fixed"' });
  });

  it('reports broken packages, bad entries and unknown releases, and reads the rest', () => {
    const good = { 'CVE-2024-0001': { releases: { bookworm: { status: 'open', urgency: 'medium' }, experimental: { status: 'open' }, oldstable: { status: 'open' } } } };
    const text = [
      '{',
      `"zlib": ${JSON.stringify(good)},`,
      '"broken": {"CVE-2024-0002": {"releases": {,}}},',
      `"${'p'.repeat(1024 * 1024)}": {},`,
      '"openssl": {"CVE-2024-0003": {"releases": {"trixie": {"status": "resolved"}, "sid": {"status": "whatever"}}}, "not an issue": 3},',
      '"bash": {"CVE-2024-0004": {"releases": {"forky": {"status": "resolved", "fixed_version": "5.3-1", "urgency": "medium**"}}}}',
      '}',
    ].join('\n');
    const t = performance.now();
    const res = parseTrackerJson(text, 'tracker.json');
    expect(performance.now() - t).toBeLessThan(1000);
    expect(res.advisories.map((a) => [a.id, a.affected.map((p) => `${p.namespace} ${p.package} ${p.status} ${p.severity ?? ''}`)])).toEqual([
      ['CVE-2024-0001', ['Debian:12 zlib affected medium']],
      ['CVE-2024-0003', []],
      ['CVE-2024-0004', ['Debian:14 bash fixed medium']],
    ]);
    expect(res.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^source package broken: invalid JSON \(.*\); skipped$/),
      `source package ${JSON.stringify('p'.repeat(80) + '…')}: bad name; skipped`,
      'CVE-2024-0003 openssl trixie: resolved without a fixed_version; skipped',
      'CVE-2024-0003 openssl sid: unknown status "whatever"; skipped',
      'source package openssl: entry "not an issue" is not an issue; skipped',
      'skipped 1 entry of unknown release "experimental" (first in zlib/CVE-2024-0001)',
      'skipped 1 entry of unknown release "oldstable" (first in zlib/CVE-2024-0001)',
    ]);
  });

  it('throws naming the file when it is neither format or holds nothing readable', async () => {
    const write = (name: string, data: string | Buffer) => {
      const f = path.join(tmp.dir, name);
      writeFileSync(f, data);
      return f;
    };
    await expect(debianTrackerSource.read(write('garbage.json', 'garbage'))).rejects.toThrow(/garbage\.json: neither the security tracker JSON nor a DSA\/DLA list/);
    await expect(debianTrackerSource.read(write('array.json', '[1, 2]'))).rejects.toThrow(/array\.json: no DSA\/DLA entries/);
    await expect(debianTrackerSource.read(write('allbad.json', '{"a": [}, "b": {,}}'))).rejects.toThrow(/allbad\.json: none of its 2 source packages is readable/);
    await expect(debianTrackerSource.read(write('cut.json', '{"zlib": {}, "bash": {"CVE-2024-0004": {'))).rejects.toThrow(/cut\.json: JSON ends early: member #2 is cut off$/);
    await expect(debianTrackerSource.read(write('unclosed.json', '{"zlib": {}, "bash": {}\n'))).rejects.toThrow(/unclosed\.json: JSON ends early: after 2 members, no closing \}$/);
  });
});

describe('Debian DSA and DLA lists', () => {
  it.each([
    ['DSA-list.txt.gz', 5406],
    ['DLA-list.txt.gz', 3534],
  ])('reads every entry of %s (%i) with no problems, one affected package per release line', async (name, count) => {
    const res = await read(name);
    expect(res.advisories).toHaveLength(count);
    expect(res.problems).toEqual([]);
    const text = gunzipSync(readFileSync(path.join(DEBIAN, name))).toString('utf8');
    const releaseLines = text.split('\n').filter((l) => /^\s+\[[a-z]+\] - /.test(l)).length;
    expect(res.advisories.reduce((n, a) => n + a.affected.length, 0)).toBe(releaseLines);
    expect(res.advisories.reduce((n, a) => n + a.aliases.length, 0)).toBe(new Set(res.advisories.flatMap((a) => a.aliases.map((c) => `${a.id} ${c}`))).size);
  });

  it('maps DSA-5380-1 exactly', async () => {
    expect(byId((await read('DSA-list.txt.gz')).advisories, 'DSA-5380-1')).toEqual({
      id: 'DSA-5380-1',
      source: 'debian-tracker',
      aliases: ['CVE-2023-1393'],
      published: '2023-03-29',
      summary: 'xorg-server - security update',
      references: ['https://security-tracker.debian.org/tracker/DSA-5380-1'],
      affected: [fixed('Debian:11', 'xorg-server', '2:1.20.11-1+deb11u6')],
    });
  });

  it('maps old entries: not-affected with its reason, end-of-life, an urgency among the notes, ids without revision', async () => {
    const dsa = (await read('DSA-list.txt.gz')).advisories;
    expect(byId(dsa, 'DSA-736-2').affected).toEqual([
      { namespace: 'Debian:3.0', package: 'spamassassin', scheme: 'dpkg', status: 'not-affected', ranges: [], note: 'not vulnerable according to DSA' },
      fixed('Debian:3.1', 'spamassassin', '3.0.3-2'),
    ]);
    expect(byId(dsa, 'DSA-3699-1')).toMatchObject({ summary: 'virtualbox - end of life', aliases: [], affected: [{ namespace: 'Debian:8', package: 'virtualbox', status: 'end-of-life', ranges: [] }] });
    expect(byId(dsa, 'DSA-892-1').affected).toEqual([
      { ...fixed('Debian:3.1', 'awstats', '6.4-1sarge1'), note: 'bug #322591; bug #334833; bug #336137; medium', severity: 'medium' },
      { namespace: 'Debian:3.0', package: 'awstats', scheme: 'dpkg', status: 'not-affected', ranges: [], note: 'vulnerable code not present' },
    ]);
    expect(byId(dsa, 'DSA-1304')).toMatchObject({ published: '2007-06-16', affected: [fixed('Debian:3.1', 'kernel-source-2.6.8', '2.6.8-16sarge7')] });
    expect(byId(dsa, 'DSA-1304').aliases).toHaveLength(14);
    expect(byId(dsa, 'DSA-5356-2')).toMatchObject({ aliases: [], summary: 'sox - regression update' });
    const dla = (await read('DLA-list.txt.gz')).advisories;
    expect(byId(dla, 'DLA-3193-2')).toMatchObject({ published: '2023-03-30', aliases: ['CVE-2022-21797'], affected: [fixed('Debian:10', 'joblib', '0.13.0-2+deb10u2')] });
  });

  it('reports malformed lines with their line numbers and reads the rest', () => {
    const text = [
      '\t[bullseye] - orphan 1.0-1',
      '[32 Foo 2023] DSA-9999-1 broken - date',
      '\t[bullseye] - broken 1.0-1',
      '[29 Mar 2023] DSA-5380-1 xorg-server - security update',
      '\t{CVE-2023-1393 CVE-2023-0001',
      '\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6',
      '\t[bullseye] - xorg-server <weird>',
      '\t[hamm2] - xorg-server 1.0',
      '\t[bookworm] - xorg-server',
      `\t[bookworm] - xorg-server 1.0 (${'x'.repeat(1024 * 1024)})`,
      'garbage at column 0',
      '\tgarbage indented',
      '[29 Mar 2023] DSA-5380-1 xorg-server - again',
      '\t[bullseye] - xorg-server 9',
    ].join('\n');
    const t = performance.now();
    const res = parseDsaList(text, 'list');
    expect(performance.now() - t).toBeLessThan(1000);
    expect(res.advisories).toEqual([
      {
        id: 'DSA-5380-1',
        source: 'debian-tracker',
        aliases: ['CVE-2023-1393', 'CVE-2023-0001'],
        published: '2023-03-29',
        summary: 'xorg-server - security update',
        references: ['https://security-tracker.debian.org/tracker/DSA-5380-1'],
        affected: [fixed('Debian:11', 'xorg-server', '2:1.20.11-1+deb11u6')],
      },
    ]);
    expect(res.problems.map((p) => p.message)).toEqual([
      'line 1: belongs to no DSA/DLA header; skipped',
      'line 2: not a DSA/DLA header: "[32 Foo 2023] DSA-9999-1 broken - date"',
      'line 5: CVE list without closing brace',
      'line 7: unknown tag "<weird>" in DSA-5380-1; skipped',
      'line 9: unrecognised line in DSA-5380-1: "[bookworm] - xorg-server"',
      'line 10: 1048608 characters long; skipped',
      'line 11: unrecognised line: "garbage at column 0"',
      'line 12: unrecognised line in DSA-5380-1: "garbage indented"',
      'line 13: DSA-5380-1 appears again; kept the first',
      'skipped 1 line(s) of unknown release "hamm2" (first in DSA-5380-1 (line 8))',
    ]);
  });
});

describe('Debian tracker detection', () => {
  it('detects the tracker JSON and the DSA/DLA lists, plain or gzip, and no OSV feed', () => {
    const head = (f: string) => readFileSync(f).subarray(0, 64 * 1024);
    for (const f of ['tracker-json-sample.json', 'DSA-list.txt.gz', 'DLA-list.txt.gz']) {
      expect(debianTrackerSource.detect(f, head(path.join(DEBIAN, f)))).toBe(true);
      expect(osvSource.detect(f, head(path.join(DEBIAN, f)))).toBe(false);
    }
    expect(debianTrackerSource.detect('list', gunzipSync(readFileSync(path.join(DEBIAN, 'DSA-list.txt.gz'))).subarray(0, 4096))).toBe(true);
    expect(debianTrackerSource.detect('t.json.gz', gzipSync(readFileSync(path.join(DEBIAN, 'tracker-json-sample.json'))))).toBe(true);
    for (const f of ['osv-ecosystems/ghsa-npm/GHSA-xvch-5gv4-984h.json', 'osv-ecosystems/go.osv.json.gz', 'ubuntu/uct-active.tar.gz', 'kev/known_exploited_vulnerabilities.json']) {
      expect(debianTrackerSource.detect(f, head(path.join(REPO, 'data/feeds', f)))).toBe(false);
    }
  });
});
