import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { alpineSecdbSource, parseFixEntry } from '../../src/advisories/sources/alpine-secdb.js';
import { apkScheme } from '../../src/versions/apk.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const DIR = path.join(REPO, 'data/feeds/alpine');
const FILES = readdirSync(DIR).sort();
const read = (name: string) => alpineSecdbSource.read(path.join(DIR, name));

interface RawSecdb {
  distroversion: string;
  packages: Array<{ pkg: { name: string; secfixes?: Record<string, string[] | null> } }> | null;
}
const raw = (name: string) => JSON.parse(readFileSync(path.join(DIR, name), 'utf8')) as RawSecdb;

const tmp = tempDir('vigil-secdb-');
afterAll(tmp.cleanup);
let n = 0;
function file(content: string | Buffer): string {
  const p = path.join(tmp.dir, `secdb-${n++}.json`);
  writeFileSync(p, content);
  return p;
}

describe('the 18 bundled secdb files', () => {
  // [file, advisories, affected entries, problems]
  const expected: Array<[string, number, number, number]> = [
    ['v3.10-community.json', 692, 712, 2],
    ['v3.10-main.json', 1110, 1158, 2],
    ['v3.11-community.json', 829, 886, 3],
    ['v3.11-main.json', 1123, 1179, 5],
    ['v3.3-community.json', 0, 0, 0],
    ['v3.3-main.json', 458, 461, 3],
    ['v3.4-community.json', 14, 14, 0],
    ['v3.4-main.json', 666, 669, 5],
    ['v3.5-community.json', 98, 101, 0],
    ['v3.5-main.json', 801, 823, 5],
    ['v3.6-community.json', 195, 214, 1],
    ['v3.6-main.json', 868, 891, 5],
    ['v3.7-community.json', 378, 401, 2],
    ['v3.7-main.json', 1037, 1073, 2],
    ['v3.8-community.json', 462, 476, 2],
    ['v3.8-main.json', 1089, 1129, 7],
    ['v3.9-community.json', 575, 593, 2],
    ['v3.9-main.json', 1059, 1101, 4],
  ];

  it('are all here', () => expect(FILES).toEqual(expected.map(([f]) => f).sort()));

  it.each(expected)('%s gives %i advisories, %i affected entries, %i problems', async (name, advisories, affected, problems) => {
    const res = await read(name);
    expect(res.advisories.length).toBe(advisories);
    expect(res.advisories.reduce((s, a) => s + a.affected.length, 0)).toBe(affected);
    expect(res.problems.length).toBe(problems);
    const ns = `Alpine:${raw(name).distroversion}`;
    for (const a of res.advisories) {
      expect(a.source).toBe('alpine-secdb');
      expect(a.id).toMatch(/^(CVE-\d{4}-\d{4,}|[A-Za-z]+(-[A-Za-z0-9]+)+)$/);
      for (const p of a.affected) {
        expect(p.namespace).toBe(ns);
        expect(p.scheme).toBe('apk');
        if (p.status === 'fixed') {
          expect(p.ranges).toEqual([{ introduced: '0', fixed: p.fixedVersion }]);
          apkScheme.validate(p.fixedVersion!);
        } else expect(p).toMatchObject({ status: 'not-affected', ranges: [] });
      }
    }
  });

  it.each(FILES)('%s: every CVE of a valid fix version is an advisory naming that package', async (name) => {
    const res = await read(name);
    const byId = new Map(res.advisories.map((a) => [a.id, a]));
    for (const { pkg } of raw(name).packages ?? []) {
      for (const [version, ids] of Object.entries(pkg.secfixes ?? {})) {
        if (!Array.isArray(ids) || (version !== '0' && !isApk(version))) continue;
        for (const id of ids.flatMap((e) => e.match(/^CVE-\d{4}-\d{4,}$/) ?? [])) {
          const entry = byId.get(id)?.affected.find((p) => p.package === pkg.name);
          expect(entry, `${name} ${pkg.name} ${id}`).toBeDefined();
          if (version === '0') continue;
          // The fix that holds is the highest the package lists for that id.
          expect(apkScheme.compare(entry!.fixedVersion!, version)).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('reads one clean package exactly: apache2 in v3.11 main', async () => {
    const res = await read('v3.11-main.json');
    const pkg = raw('v3.11-main.json').packages!.find((p) => p.pkg.name === 'apache2')!.pkg;
    const want = Object.entries(pkg.secfixes!).flatMap(([fixed, ids]) => ids!.map((id) => [id, fixed] as const));
    const got = res.advisories.flatMap((a) => a.affected.filter((p) => p.package === 'apache2').map((p) => [a.id, p.fixedVersion] as const));
    expect(got.sort()).toEqual([...want].sort());
    expect(want.length).toBe(31);
  });
});

describe('specific secdb records', () => {
  it('keeps the highest fix of an id fixed on two upstream branches, and names the other', async () => {
    const a = (await read('v3.11-community.json')).advisories.find((x) => x.id === 'CVE-2017-15191');
    expect(a).toEqual({
      id: 'CVE-2017-15191',
      source: 'alpine-secdb',
      aliases: [],
      affected: [
        {
          namespace: 'Alpine:v3.11',
          package: 'wireshark',
          scheme: 'apk',
          status: 'fixed',
          ranges: [{ introduced: '0', fixed: '2.4.2-r0' }],
          fixedVersion: '2.4.2-r0',
          note: 'also listed as fixed in 2.2.10-r0 (earlier upstream branches)',
        },
      ],
    });
  });

  it('marks a "0" key not affected', async () => {
    const a = (await read('v3.8-main.json')).advisories.find((x) => x.id === 'CVE-2016-0682');
    expect(a?.affected).toEqual([{ namespace: 'Alpine:v3.8', package: 'db', scheme: 'apk', status: 'not-affected', ranges: [], note: 'secdb lists it under "0": never affected' }]);
  });

  it('splits an entry naming three CVEs, a Xen advisory and a word', async () => {
    const res = await read('v3.7-main.json');
    for (const id of ['CVE-2017-5753', 'CVE-2017-5715', 'CVE-2017-5754']) {
      const a = res.advisories.find((x) => x.id === id)!;
      expect(a.aliases).toContain('XSA-254');
      expect(a.affected.find((p) => p.package === 'xen')).toMatchObject({ fixedVersion: '4.9.1-r3', note: 'XPTI' });
    }
  });

  it('names an advisory by its Xen id when there is no CVE, and keeps TALOS ids as aliases', async () => {
    const res = await read('v3.10-main.json');
    expect(res.advisories.find((x) => x.id === 'XSA-248')?.affected).toEqual([
      { namespace: 'Alpine:v3.10', package: 'xen', scheme: 'apk', status: 'fixed', ranges: [{ introduced: '0', fixed: '4.10.0-r1' }], fixedVersion: '4.10.0-r1' },
    ]);
    expect(res.advisories.find((x) => x.id === 'CVE-2017-12122')).toMatchObject({ aliases: ['TALOS-2017-0488'], affected: [{ package: 'sdl2_image', fixedVersion: '2.0.3-r0' }] });
    expect(res.advisories.find((x) => x.id === 'CVE-2018-14462')?.affected[0]).toMatchObject({ package: 'tcpdump', fixedVersion: '4.9.3-r0', note: 'ICMP' });
  });

  it('lists one id fixed in two packages once, with both', async () => {
    const a = (await read('v3.11-community.json')).advisories.find((x) => x.id === 'CVE-2019-2426')!;
    expect(a.affected.map((p) => [p.package, p.fixedVersion])).toEqual([
      ['openjdk7', '7.211.2.6.17-r0'],
      ['openjdk8', '8.201.08-r0'],
    ]);
  });

  it('reports the data’s own mistakes and reads what they meant where it is certain', async () => {
    expect((await read('v3.11-main.json')).problems.map((p) => p.message)).toEqual([
      'Alpine:v3.11 main: opensmtpd: unusual apk version "6.6.2p1-r0": apk-tools 3 rejects it at offset 6 (\'1\'): a number may not follow a letter; its fixes are kept, ordered as apk orders it',
      'Alpine:v3.11 main: python2: unusual apk version "2.7.16-33": apk-tools 3 rejects it at offset 6 (\'-\'): \'-\' must start a revision \'-r<number>\'; its fixes are kept, ordered as apk orders it',
      'Alpine:v3.11 main: rsync 3.1.2-r7: "CVE-2017-17434-1" read as CVE-2017-17434',
      'Alpine:v3.11 main: rsync 3.1.2-r7: "CVE-2017-17434-2" read as CVE-2017-17434',
      'Alpine:v3.11 main: xen: unusual apk version "4.10-1-r1": apk-tools 3 rejects it at offset 4 (\'-\'): \'-\' must start a revision \'-r<number>\'; its fixes are kept, ordered as apk orders it',
    ]);
    // A typo the secdb shipped still fixes something: opensmtpd's 6.6.2p1-r0, read as apk-tools 2 read it.
    const smtpd = (await read('v3.11-main.json')).advisories.flatMap((a) => a.affected).find((p) => p.package === 'opensmtpd' && p.fixedVersion === '6.6.2p1-r0');
    expect(smtpd?.ranges).toEqual([{ introduced: '0', fixed: '6.6.2p1-r0' }]);
    const v39 = await read('v3.9-main.json');
    expect(v39.problems[0]?.message).toBe('Alpine:v3.9 main: ansible 2.7.3-r0: "CVE 2018-16859" read as CVE-2018-16859');
    expect(v39.advisories.find((a) => a.id === 'CVE-2018-16859')?.affected[0]?.fixedVersion).toBe('2.7.3-r0');
    expect((await read('v3.6-main.json')).problems[0]?.message).toBe('Alpine:v3.6 main: heimdal "7.4.0-r0": no list of fixed ids; skipped');
  });

  it.each([
    ['CVE-2019-9517', ['CVE-2019-9517'], [], []],
    ['CVE-2018-8897 XSA-260', ['CVE-2018-8897'], ['XSA-260'], []],
    ['CVE-????-?????  XSA-295', ['XSA-295'], [], []],
    ['wnpa-sec-2017-18', ['wnpa-sec-2017-18'], [], []],
    ['CVE-2018-10103 (SMB - partially fixed, but SMB printing disabled)', ['CVE-2018-10103'], [], ['SMB - partially fixed, but SMB printing disabled']],
    ['CVE_2019-2426', ['CVE-2019-2426'], [], []],
    ['CVE-2019-19451.patch', ['CVE-2019-19451'], [], []],
    ['see the changelog', [], [], ['see the changelog']],
  ])('reads the entry %j', (entry, ids, aliases, notes) => {
    expect(parseFixEntry(entry)).toMatchObject({ ids, aliases, notes });
  });
});

const good = (pkgs: unknown) => JSON.stringify({ distroversion: 'v3.12', reponame: 'main', packages: pkgs });
const okPkg = { pkg: { name: 'busybox', secfixes: { '1.31.1-r10': ['CVE-2021-28831'] } } };

describe('malformed secdb files', () => {
  const records: Array<[string, unknown, RegExp]> = [
    ['a package without a name', { pkg: { secfixes: { '1.0-r0': ['CVE-2020-0001'] } } }, /packages\[1\]: invalid package name "undefined"; skipped/],
    ['a shell-metacharacter name', { pkg: { name: 'a;reboot', secfixes: {} } }, /invalid package name "a;reboot"/],
    ['a path traversal name', { pkg: { name: '../../etc/passwd', secfixes: {} } }, /invalid package name "..\/..\/etc\/passwd"/],
    ['a command substitution name', { pkg: { name: '$(id)', secfixes: {} } }, /invalid package name "\$\(id\)"/],
    ['an entry that is not an object', 'busybox', /packages\[1\]: no "pkg" object; skipped/],
    ['secfixes that is a list', { pkg: { name: 'zlib', secfixes: ['CVE-2020-0001'] } }, /zlib: secfixes is not an object; skipped/],
    ['a version with backticks', { pkg: { name: 'zlib', secfixes: { '`id`': ['CVE-2020-0001'] } } }, /zlib: invalid apk version "`id`"/],
    ['an id list that is a string', { pkg: { name: 'zlib', secfixes: { '1.2.11-r1': 'CVE-2018-25032' } } }, /zlib "1.2.11-r1": no list of fixed ids; skipped/],
    ['an id that is a number', { pkg: { name: 'zlib', secfixes: { '1.2.11-r1': [42] } } }, /zlib 1.2.11-r1: entry "42" is not a short string; skipped/],
    ['a 1 MB entry', { pkg: { name: 'zlib', secfixes: { '1.2.11-r1': [`CVE-2018-25032 ${'x'.repeat(1 << 20)}`] } } }, /zlib 1.2.11-r1: entry "CVE-2018-25032 x{65}…" is not a short string; skipped/],
    ['an entry without an id', { pkg: { name: 'zlib', secfixes: { '1.2.11-r1': ['fixes a crash'] } } }, /no vulnerability id in "fixes a crash"; skipped/],
  ];
  it.each(records)('reports %s and reads the rest', async (_, bad, message) => {
    const res = await alpineSecdbSource.read(file(good([okPkg, bad])));
    expect(res.problems.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
    expect(res.advisories.map((a) => [a.id, a.affected[0]?.namespace, a.affected[0]?.fixedVersion])).toEqual([['CVE-2021-28831', 'Alpine:v3.12', '1.31.1-r10']]);
  });

  it('reports a package both fixed and never affected, and keeps the fix', async () => {
    const res = await alpineSecdbSource.read(file(good([{ pkg: { name: 'db', secfixes: { '0': ['CVE-2020-0001'], '5.3-r0': ['CVE-2020-0001'] } } }])));
    expect(res.problems[0]?.message).toMatch(/db CVE-2020-0001: listed both as never affected \("0"\) and as fixed in 5.3-r0; the fix is kept/);
    expect(res.advisories[0]?.affected[0]?.status).toBe('fixed');
  });

  it('reads a gzip’d file', async () => {
    const res = await alpineSecdbSource.read(file(gzipSync(readFileSync(path.join(DIR, 'v3.11-main.json')))));
    expect(res.advisories.length).toBe(1123);
  });

  const unreadable: Array<[string, string | Buffer, RegExp]> = [
    ['a truncated gzip', gzipSync(readFileSync(path.join(DIR, 'v3.11-main.json'))).subarray(0, 4000), /gzip data is cut short \(unexpected end of file\)/],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0, 1, 2, 3]), /not JSON/],
    ['an empty file', '', /not JSON/],
    ['a JSON list', '[]', /not a secdb JSON object/],
    ['no distroversion', JSON.stringify({ packages: [] }), /distroversion "undefined" is not an Alpine release such as "v3.11"/],
    ['a hostile distroversion', JSON.stringify({ distroversion: 'v3.1;rm -rf /', packages: [] }), /distroversion "v3.1;rm -rf \/" is not an Alpine release/],
    ['packages that is an object', JSON.stringify({ distroversion: 'v3.12', packages: {} }), /"packages" is not a list/],
  ];
  it.each(unreadable)('throws naming the file for %s', async (_, content, message) => {
    const f = file(content);
    await expect(alpineSecdbSource.read(f)).rejects.toThrow(message);
    await expect(alpineSecdbSource.read(f)).rejects.toThrow(f);
  });

  it('throws naming a missing file', async () => {
    await expect(alpineSecdbSource.read(path.join(tmp.dir, 'nope.json'))).rejects.toThrow(/nope\.json/);
  });
});

describe('detect', () => {
  it.each(FILES)('recognises %s, plain and gzip’d', (name) => {
    const bytes = readFileSync(path.join(DIR, name));
    expect(alpineSecdbSource.detect(name, bytes.subarray(0, 4096))).toBe(true);
    expect(alpineSecdbSource.detect(`${name}.gz`, gzipSync(bytes).subarray(0, 1024))).toBe(true);
  });

  it.each(['kev/known_exploited_vulnerabilities.json', 'npm-nodejs-security-wg/nodejs-core-index.json', 'osv-ecosystems/ghsa-npm/GHSA-35jh-r3h4-6jhm.json', 'debian/tracker-json-sample.json'])(
    'leaves %s to other sources',
    (rel) => {
      expect(alpineSecdbSource.detect(rel, readFileSync(path.join(REPO, 'data/feeds', rel)).subarray(0, 4096))).toBe(false);
    },
  );
});

function isApk(v: string): boolean {
  try {
    apkScheme.validate(v);
    return true;
  } catch {
    return false;
  }
}
