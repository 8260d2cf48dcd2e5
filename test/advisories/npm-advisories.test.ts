import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import type { Advisory, VersionRange } from '../../src/advisories/model.js';
import { npmAdvisoriesSource } from '../../src/advisories/sources/npm-advisories.js';
import { NPM_AUDIT_RANGE_OPTIONS, satisfiesRange } from '../../src/versions/semver.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const DIR = path.join(REPO, 'data/feeds/npm-nodejs-security-wg');
const NPM = path.join(DIR, 'npm-advisories.json.gz');
const CORE = path.join(DIR, 'nodejs-core-index.json');

interface NpmRaw {
  id: number;
  module_name: string;
  vulnerable_versions: string;
  patched_versions: string | null;
  cves: string[];
}
type CoreRaw = Record<string, { cve: string[]; vulnerable: string; patched: string }>;
const npmRaw = (JSON.parse(gunzipSync(readFileSync(NPM)).toString()) as unknown[]).filter((r): r is NpmRaw => typeof (r as NpmRaw).id === 'number');
const coreRaw = JSON.parse(readFileSync(CORE, 'utf8')) as CoreRaw;

const tmp = tempDir('vigil-nswg-');
afterAll(tmp.cleanup);
let n = 0;
function file(content: string | Buffer): string {
  const p = path.join(tmp.dir, `nswg-${n++}.json`);
  writeFileSync(p, content);
  return p;
}

/** Membership in OSV-style events, by semver precedence: the reading a matcher without npm ranges makes. */
function inRanges(v: string, ranges: VersionRange[]): boolean {
  return ranges.some((r) => {
    if (r.introduced !== '0' && semver.lt(v, r.introduced)) return false;
    if (r.fixed !== undefined) return semver.lt(v, r.fixed);
    if (r.lastAffected !== undefined) return semver.lte(v, r.lastAffected);
    return true;
  });
}

/** Versions on and around every bound a range names, and a few far away. */
function probes(...ranges: Array<string | null | undefined>): string[] {
  const out = new Set(['0.0.0', '0.0.1', '0.1.0', '1.0.0', '1.0.0-rc.1', '3.2.1', '99.0.0']);
  for (const r of ranges) {
    for (const m of (r ?? '').matchAll(/\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?/g)) {
      const v = semver.parse(m[0])!;
      out.add(v.version);
      out.add(`${v.major}.${v.minor}.${v.patch + 1}`);
      if (v.patch > 0) out.add(`${v.major}.${v.minor}.${v.patch - 1}`);
      out.add(`${v.major}.${v.minor}.${v.patch}-0`);
      out.add(`${v.major}.${v.minor}.${v.patch}-beta.2`);
      out.add(`${v.major}.${v.minor + 1}.0`);
      out.add(`${v.major + 1}.0.0`);
    }
  }
  return [...out];
}

describe('the Node.js Security WG npm advisories', async () => {
  const res = await npmAdvisoriesSource.read(NPM);
  const byId = new Map(res.advisories.map((a) => [a.id, a]));

  it('holds 467 advisories: the 468th array element is the index object, which repeats them', () => {
    expect(npmRaw.length).toBe(467);
    expect(res.advisories.length).toBe(467);
    expect(res.advisories.map((a) => a.id)).toEqual(npmRaw.map((r) => `NSWG-ECO-${r.id}`));
  });

  it('reports the publisher’s mistakes, once each', () => {
    const messages = res.problems.map((p) => p.message);
    expect(messages.length).toBe(31);
    expect(new Set(messages).size).toBe(31);
    expect(messages.filter((m) => / cvss_score .* disagrees /.test(m)).length).toBe(22);
    expect(messages.filter((m) => /overlaps vulnerable_versions/.test(m)).map((m) => m.split(':')[0])).toEqual([
      'NSWG-ECO-92',
      'NSWG-ECO-98',
      'NSWG-ECO-336',
      'NSWG-ECO-357',
      'NSWG-ECO-400',
      'NSWG-ECO-490',
      'NSWG-ECO-495',
    ]);
    expect(messages).toContain('NSWG-ECO-12: "CVE-2014-4671A" is not a CVE id; left out');
    expect(messages).toContain('NSWG-ECO-504: invalid CVSS vector "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U": I:"U" is not one of H, L, N');
  });

  it('reads NSWG-ECO-1 exactly', () => {
    expect(byId.get('NSWG-ECO-1')).toEqual({
      id: 'NSWG-ECO-1',
      source: 'npm-advisories',
      aliases: ['CVE-2014-7205'],
      published: '2014-09-27',
      modified: '2016-04-28',
      summary: 'Arbitrary JavaScript Execution',
      references: ['https://www.npmjs.org/package/bassmaster', 'https://github.com/hapijs/bassmaster/commit/b751602d8cb7194ee62a61e085069679525138c4'],
      cvss: [{ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N', baseScore: 6.5, source: 'Node.js security WG' }],
      severity: 'medium',
      affected: [
        {
          namespace: 'npm',
          package: 'bassmaster',
          scheme: 'semver',
          status: 'fixed',
          ranges: [{ introduced: '0', lastAffected: '1.5.1' }],
          semverRange: '<=1.5.1',
          fixedVersion: '1.5.2',
        },
      ],
    } satisfies Advisory);
  });

  it('turns an exclusive lower bound into the first version above it (NSWG-ECO-49, mapbox.js)', () => {
    expect(byId.get('NSWG-ECO-49')?.affected[0]).toMatchObject({
      package: 'mapbox.js',
      ranges: [
        { introduced: '0', fixed: '1.6.5' },
        { introduced: '2.0.1-0', fixed: '2.1.7' },
      ],
      semverRange: '<1.6.5 || < 2.1.7 > 2.0.0',
      fixedVersion: '1.6.5',
    });
  });

  it('has no fixed version where the publisher says there is none (`<0.0.0`)', () => {
    expect(byId.get('NSWG-ECO-25')?.affected[0]).toMatchObject({ status: 'affected', ranges: [{ introduced: '0', lastAffected: '99.999.99999' }] });
    expect(byId.get('NSWG-ECO-25')?.affected[0]?.fixedVersion).toBeUndefined();
  });

  it('takes the fix outside the vulnerable range when the two overlap (NSWG-ECO-400, NSWG-ECO-357)', () => {
    expect(byId.get('NSWG-ECO-400')?.affected[0]).toMatchObject({ package: 'protobufjs', semverRange: '<=6.8.5', fixedVersion: '6.8.6', status: 'fixed' });
    // `>=2.15.0` lies inside `>=2.0.0`: npm audit flags every 2.x, so nothing is a fix.
    expect(byId.get('NSWG-ECO-357')?.affected[0]).toMatchObject({ semverRange: '>=2.0.0', status: 'affected' });
  });

  it('fixes at semver.minVersion(patched_versions) wherever the two ranges do not overlap', () => {
    const overlapping = new Set(res.problems.filter((p) => /overlaps/.test(p.message)).map((p) => p.message.split(':')[0]));
    let checked = 0;
    for (const r of npmRaw) {
      const id = `NSWG-ECO-${r.id}`;
      if (r.patched_versions === null || overlapping.has(id)) continue;
      const min = semver.minVersion(r.patched_versions, { loose: true });
      expect(byId.get(id)?.affected[0]?.fixedVersion, id).toBe(min?.version);
      checked++;
    }
    expect(checked).toBe(405);
  });

  it('scores from the vector, not the publisher’s hand-typed score', () => {
    expect(byId.get('NSWG-ECO-363')).toMatchObject({ cvss: [{ baseScore: 7.5 }], severity: 'high' });
    expect(byId.get('NSWG-ECO-504')?.cvss).toBeUndefined();
  });

  // Every ninth record: 52 records spread over the whole id range.
  const sample = npmRaw.filter((_, i) => i % 9 === 0);
  it.each(sample.map((r) => [r.id, r] as const))('NSWG-ECO-%i: events, semverRange and npm’s own reading agree', (id, r) => {
    const a = byId.get(`NSWG-ECO-${id}`)!.affected[0]!;
    expect(a.semverRange).toBe(r.vulnerable_versions.trim());
    for (const v of probes(r.vulnerable_versions, r.patched_versions)) {
      const npm = semver.satisfies(v, r.vulnerable_versions, NPM_AUDIT_RANGE_OPTIONS);
      expect(satisfiesRange(v, a.semverRange!), v).toBe(npm);
      expect(inRanges(v, a.ranges), v).toBe(npm);
    }
    if (a.fixedVersion) expect(semver.satisfies(a.fixedVersion, r.vulnerable_versions, NPM_AUDIT_RANGE_OPTIONS)).toBe(false);
  });
});

describe('the Node.js runtime advisories', async () => {
  const res = await npmAdvisoriesSource.read(CORE);
  const byId = new Map(res.advisories.map((a) => [a.id, a]));

  it('holds 171 advisories for the node runtime', () => {
    expect(Object.keys(coreRaw).length).toBe(171);
    expect(res.advisories.length).toBe(171);
    for (const a of res.advisories) expect(a.affected[0]).toMatchObject({ namespace: 'nodejs', package: 'node', scheme: 'semver' });
    expect(res.problems.map((p) => p.message)).toEqual([
      'NSWG-COR-18: cvss "3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N" lacks its "CVSS:" prefix; read as CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N',
      'NSWG-COR-40: cvss "3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H" lacks its "CVSS:" prefix; read as CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H',
    ]);
  });

  it('reads NSWG-COR-1 exactly: each release line is affected up to its patch', () => {
    expect(byId.get('NSWG-COR-1')).toEqual({
      id: 'NSWG-COR-1',
      source: 'npm-advisories',
      aliases: ['CVE-2017-1000381'],
      summary: 'memory overread when parsing invalid NAPTR responses',
      severity: 'high',
      ratings: [{ vendor: 'Node.js', severity: 'high', raw: 'high', record: 'NSWG-COR-1' }],
      references: ['https://nodejs.org/en/blog/vulnerability/july-2017-security-releases/'],
      affected: [
        {
          namespace: 'nodejs',
          package: 'node',
          scheme: 'semver',
          status: 'fixed',
          ranges: [
            { introduced: '4.0.0-0', fixed: '4.8.4' },
            { introduced: '5.0.0-0', fixed: '6.0.0-0' },
            { introduced: '6.0.0-0', fixed: '6.11.1' },
            { introduced: '7.0.0-0', fixed: '7.10.1' },
            { introduced: '8.0.0-0', fixed: '8.1.4' },
          ],
          semverRange: '>=4.0.0-0 <4.8.4 || >=5.0.0-0 <6.0.0-0 || >=6.0.0-0 <6.11.1 || >=7.0.0-0 <7.10.1 || >=8.0.0-0 <8.1.4',
          fixedVersion: '4.8.4',
          note: 'patched in ^8.1.4 || ^7.10.1 || ^4.8.4 || ^6.11.1',
        },
      ],
    } satisfies Advisory);
  });

  it('scores the two records that carry a vector', () => {
    expect(byId.get('NSWG-COR-18')?.cvss).toEqual([{ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N', baseScore: 4.8, source: 'Node.js' }]);
  });

  const keys = Object.keys(coreRaw).filter((_, i) => i % 3 === 0).slice(0, 50);
  it.each(keys)('NSWG-COR-%s: affected = vulnerable minus patched, in semverRange and in events', (key) => {
    const r = coreRaw[key]!;
    const a = byId.get(`NSWG-COR-${key}`)!.affected[0]!;
    for (const v of probes(r.vulnerable, r.patched)) {
      const want = semver.satisfies(v, r.vulnerable, NPM_AUDIT_RANGE_OPTIONS) && !semver.satisfies(v, r.patched, NPM_AUDIT_RANGE_OPTIONS);
      expect(satisfiesRange(v, a.semverRange!), v).toBe(want);
      expect(inRanges(v, a.ranges), v).toBe(want);
    }
    if (a.fixedVersion) expect(semver.satisfies(a.fixedVersion, r.patched, { loose: true })).toBe(true);
  });
});

const rec = (over: Record<string, unknown>) => ({ id: 1, module_name: 'left-pad', vulnerable_versions: '<1.3.0', patched_versions: '>=1.3.0', cves: [], title: 't', ...over });

describe('malformed npm advisory files', () => {
  const records: Array<[string, unknown, RegExp]> = [
    ['a record without a package name', { id: 2, vulnerable_versions: '<1.0.0' }, /record #2: neither an npm nor a Node.js advisory; skipped/],
    ['a shell-metacharacter name', rec({ id: 2, module_name: 'a;reboot' }), /NSWG-ECO-2: invalid npm package name "a;reboot"; skipped/],
    ['a path traversal name', rec({ id: 2, module_name: '../../etc/passwd' }), /invalid npm package name "..\/..\/etc\/passwd"/],
    ['no vulnerable range', rec({ id: 2, vulnerable_versions: undefined }), /NSWG-ECO-2: no vulnerable_versions range; skipped/],
    ['a range that is not one', rec({ id: 2, vulnerable_versions: 'all of them' }), /vulnerable_versions "all of them" is not an npm version range; skipped$/],
    ['a 1 MB range', rec({ id: 2, vulnerable_versions: '<1.0.0 || '.repeat(100_000) + '<2' }), /vulnerable_versions "<1.0.0 \|\| <1.0.0/],
    ['an id that is not a number', rec({ id: '2; drop table' }), /record with id "2; drop table": no positive integer id; skipped/],
    ['invalid JSON', '{"id": 2,}', /record #2: invalid JSON/],
    ['a member that is not an object', '"hello"', /record #2: not a JSON object; skipped/],
    ['the same id with other content', rec({ id: 1, title: 'other' }), /NSWG-ECO-1: appears twice with different content; the first is kept/],
  ];
  it.each(records)('reports %s and reads the rest', async (_, bad, message) => {
    const text = `[${JSON.stringify(rec({}))}, ${typeof bad === 'string' ? bad : JSON.stringify(bad)}]`;
    const res = await npmAdvisoriesSource.read(file(text));
    expect(res.problems.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
    expect(res.advisories.map((a) => [a.id, a.affected[0]?.package, a.affected[0]?.fixedVersion])).toEqual([['NSWG-ECO-1', 'left-pad', '1.3.0']]);
  });

  it('keeps a 1 MB overview and title out of the summary', async () => {
    const res = await npmAdvisoriesSource.read(file(JSON.stringify([rec({ title: 'x'.repeat(1 << 20), overview: 'y'.repeat(1 << 20) })])));
    expect(res.advisories[0]?.summary?.length).toBeLessThanOrEqual(1000);
    expect(res.problems).toEqual([]);
  });

  it('refuses a truncated gzip or JSON whole, naming the file, rather than keep the records before the cut', async () => {
    const json = JSON.stringify(npmRaw);
    const gz = file(gzipSync(json).subarray(0, Math.floor(gzipSync(json).length * 0.6)));
    await expect(npmAdvisoriesSource.read(gz)).rejects.toThrow(`${gz}: gzip data is cut short (unexpected end of file)`);
    const cut = file(json.slice(0, Math.floor(json.length * 0.6)));
    await expect(npmAdvisoriesSource.read(cut)).rejects.toThrow(new RegExp(`: JSON ends early: member #\\d+ is cut off$`));
    await expect(npmAdvisoriesSource.read(cut)).rejects.toThrow(cut);
  });

  it('reports a Node.js record whose patched range covers all its vulnerable one', async () => {
    const res = await npmAdvisoriesSource.read(file(JSON.stringify({ '1': { cve: [], vulnerable: '8.x', patched: '>=8.0.0-0' }, '2': { cve: [], vulnerable: '8.x', patched: '^8.1.4' }, x: { vulnerable: '1.x' } })));
    expect(res.problems.map((p) => p.message)).toEqual([
      'NSWG-COR-1: patched ">=8.0.0-0" covers all of vulnerable "8.x"; skipped',
      'record "x": key is not a positive number; skipped',
    ]);
    expect(res.advisories.map((a) => a.affected[0]?.semverRange)).toEqual(['>=8.0.0-0 <8.1.4']);
  });

  const unreadable: Array<[string, string | Buffer, RegExp]> = [
    ['binary garbage', Buffer.from([0xff, 0xfe, 0, 1, 2, 3]), /not a JSON array or object of advisories/],
    ['an empty file', '', /not a JSON array or object of advisories/],
    ['a gzip header and nothing else', gzipSync(Buffer.from('[')).subarray(0, 10), /gzip data is cut short/],
    ['a cut first record', '[{"id": 1, "module_name": "x"', /JSON ends early: member #1 is cut off/],
  ];
  it.each(unreadable)('throws naming the file for %s', async (_, content, message) => {
    const f = file(content);
    await expect(npmAdvisoriesSource.read(f)).rejects.toThrow(message);
    await expect(npmAdvisoriesSource.read(f)).rejects.toThrow(f);
  });
});

describe('detect', () => {
  it('recognises both files, the npm one through its gzip', () => {
    expect(npmAdvisoriesSource.detect(NPM, readFileSync(NPM).subarray(0, 2048))).toBe(true);
    expect(npmAdvisoriesSource.detect(CORE, readFileSync(CORE).subarray(0, 4096))).toBe(true);
  });

  it.each(['kev/known_exploited_vulnerabilities.json', 'alpine/v3.11-main.json', 'osv-ecosystems/ghsa-npm/GHSA-35jh-r3h4-6jhm.json', 'debian/tracker-json-sample.json'])('leaves %s to other sources', (rel) => {
    expect(npmAdvisoriesSource.detect(rel, readFileSync(path.join(REPO, 'data/feeds', rel)).subarray(0, 4096))).toBe(false);
  });
});
