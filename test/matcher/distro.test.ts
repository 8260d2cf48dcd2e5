/**
 * Acceptance tests for OS-package matching: Vigil's findings against references
 * computed here from the raw feed files, with versions compared by the distributions'
 * real tools (dpkg, rpm; apk-tools' algorithm ported to python3, there being no apk
 * on a Debian host). Every check compares whole sets in both directions.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import type { Component, Inventory, OsInfo } from '../../src/common/model.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { matchInventory } from '../../src/matcher/match.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { PKGDB, REPO, makeRoot, tempDir } from '../helpers/fixtures.js';
import { apkVercmp, dpkgLessThan, rpmVercmp, setDiff } from './reference-tools.js';

const FEEDS = path.join(REPO, 'data/feeds');
const DEBIAN12_OSV = path.join(FEEDS, 'debian12-archive/debian12.osv.json.gz');
const UCT = path.join(FEEDS, 'ubuntu/uct-active.tar.gz');
const DSA = path.join(FEEDS, 'debian/DSA-list.txt.gz');
const DLA = path.join(FEEDS, 'debian/DLA-list.txt.gz');
const ALPINE_34 = [path.join(FEEDS, 'alpine/v3.4-main.json'), path.join(FEEDS, 'alpine/v3.4-community.json')];
const ALMA9 = path.join(FEEDS, 'almalinux/almalinux9.osv.json.gz');
const GHSA_NPM = path.join(FEEDS, 'osv-ecosystems/ghsa-npm');

const OS_RELEASE = {
  debian12: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
  debian10: 'ID=debian\nVERSION_ID="10"\nVERSION_CODENAME=buster\nPRETTY_NAME="Debian GNU/Linux 10 (buster)"\n',
  ubuntu1804: 'ID=ubuntu\nID_LIKE=debian\nVERSION_ID="18.04"\nVERSION_CODENAME=bionic\nPRETTY_NAME="Ubuntu 18.04.4 LTS"\n',
  ubuntu2204: 'ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n',
  alpine34: 'ID=alpine\nVERSION_ID=3.4.6\nPRETTY_NAME="Alpine Linux v3.4"\n',
  unknown: 'ID=plan9\nVERSION_ID="4"\nPRETTY_NAME="Plan 9"\n',
} as const;

let store: SqliteAdvisoryStore;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  const { dir, cleanup } = tempDir('vigil-distro-db-');
  cleanups.push(cleanup);
  // Only the feeds these checks read: importing everything would dominate the run.
  const { feeds } = await readFeeds([DEBIAN12_OSV, UCT, DSA, DLA, ...ALPINE_34, ALMA9, GHSA_NPM]);
  store = new SqliteAdvisoryStore(path.join(dir, 'advisories.db'));
  store.importFeeds(feeds, '2026-01-01T00:00:00Z');
});

afterAll(() => {
  store?.close();
  for (const c of cleanups.reverse()) c();
});

function root(spec: Parameters<typeof makeRoot>[0]): string {
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  return r.root;
}

/** (binary package, advisory record, fixed version) of every match detail: the unit the feeds state. */
function matchKeys(findings: Finding[], ecosystem: Component['ecosystem']): Set<string> {
  const out = new Set<string>();
  for (const f of findings) {
    if (f.component.ecosystem !== ecosystem) continue;
    for (const m of f.matches) out.add(`${f.component.name}|${m.record}|${m.fixedVersion ?? ''}`);
  }
  return out;
}

function expectSameSet(actual: Set<string>, expected: Set<string>, what: string): void {
  const d = setDiff(actual, expected);
  expect(d, `${what}: ${d.missing.length} reference entries Vigil missed, ${d.extra.length} Vigil entries not in the reference`).toEqual({ missing: [], extra: [] });
}

interface Installed {
  pkg: string;
  src: string;
  srcVersion: string;
  /** The binary package's own version (absent where a reference reads only the source's). */
  version?: string;
}

/** Installed packages with source name and version exactly as the real dpkg-query reports them. */
function dpkgQuery(admindir?: string): Installed[] {
  const args = [...(admindir ? [`--admindir=${admindir}`] : []), '-W', '-f', '${Package}\\t${source:Package}\\t${source:Version}\\t${db:Status-Status}\\t${Version}\\n'];
  const out = execFileSync('dpkg-query', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  return out
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f.length === 5 && f[3] === 'installed')
    .map(([pkg, src, srcVersion, , version]) => ({ pkg: pkg!, src: src!, srcVersion: srcVersion!, version: version! }));
}

/** Debian-family reference: affected when the source version is below the fixed one by `dpkg --compare-versions`. */
function debReference(installed: Installed[], fixes: Map<string, Array<{ record: string; fixed: string }>>): Set<string> {
  const pairs: Array<[string, string]> = [];
  for (const i of installed) for (const f of fixes.get(i.src) ?? []) if (f.fixed) pairs.push([i.srcVersion, f.fixed]);
  const lt = dpkgLessThan(pairs);
  const out = new Set<string>();
  for (const i of installed) {
    for (const f of fixes.get(i.src) ?? []) if (!f.fixed || lt(i.srcVersion, f.fixed)) out.add(`${i.pkg}|${f.record}|${f.fixed}`);
  }
  return out;
}

describe('this machine (Debian 12) against the Debian 12 archive-derived OSV records', () => {
  it('finds exactly the (package, CVE, fixed) set dpkg decides', async () => {
    const osr = readFileSync('/etc/os-release', 'utf8');
    if (!/^ID=debian$/m.test(osr) || !/^VERSION_ID="?12"?$/m.test(osr)) throw new Error('this check needs a Debian 12 host');

    const records = JSON.parse(gunzipSync(readFileSync(DEBIAN12_OSV)).toString('utf8')) as Array<{
      id: string;
      affected: Array<{ package: { ecosystem: string; name: string }; ranges: Array<{ events: Array<Record<string, string>> }> }>;
    }>;
    const fixes = new Map<string, Array<{ record: string; fixed: string }>>();
    for (const r of records) {
      for (const a of r.affected) {
        if (a.package.ecosystem !== 'Debian:12') continue;
        for (const range of a.ranges) {
          expect(range.events[0]).toEqual({ introduced: '0' });
          for (const e of range.events) if (e.fixed) (fixes.get(a.package.name) ?? fixes.set(a.package.name, []).get(a.package.name)!).push({ record: r.id, fixed: e.fixed });
        }
      }
    }
    const installed = dpkgQuery();
    const expected = debReference(installed, fixes);

    const inv = await scan({ root: '/', noLive: true });
    const debs = inv.components.filter((c) => c.ecosystem === 'deb');
    expect(new Set(debs.map((c) => c.name))).toEqual(new Set(installed.map((i) => i.pkg)));
    const { findings } = matchInventory(inv, store);
    const debFindings = findings.filter((f) => f.component.ecosystem === 'deb');
    for (const f of debFindings) for (const m of f.matches) expect(m.namespace).toBe('Debian:12');
    const actual = matchKeys(debFindings, 'deb');
    console.log(`this host: ${installed.length} installed packages, ${expected.size} reference (package, CVE, fixed), ${debFindings.length} deb findings`);
    expectSameSet(actual, expected, 'Debian 12 host');
    expect(expected.size).toBeGreaterThan(0);
    // A finding states the version installed (dpkg's Version) and the source package
    // with its version; the match compared the source's, as the advisories name it.
    const byPkg = new Map(installed.map((i) => [i.pkg, i]));
    let rebuilt = 0;
    for (const f of debFindings) {
      const i = byPkg.get(f.component.name)!;
      expect(f.installedVersion).toBe(i.version);
      for (const m of f.matches) expect(m.comparedVersion).toBe(i.srcVersion);
      if (i.src !== i.pkg || i.srcVersion !== i.version) expect(f.component.source).toEqual({ name: i.src, version: i.srcVersion });
      else expect(f.component.source).toBeUndefined();
      if (i.srcVersion !== i.version) rebuilt++;
    }
    // binNMUs (bash 5.2.15-2+b8 of source 5.2.15-2) and epochs held by the binary only are on this host.
    expect(rebuilt).toBeGreaterThan(0);
  });
});

describe('Ubuntu 18.04 status file against the Ubuntu CVE tracker', () => {
  it('agrees with released/needed lines decided by dpkg', async () => {
    const r = root({ 'etc/os-release': OS_RELEASE.ubuntu1804, 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'dpkg/trivy-valid-status') } });
    const installed = dpkgQuery(path.join(r, 'var/lib/dpkg'));
    const sources = new Set(installed.map((i) => i.src));

    // The real tar unpacks the tracker; its files are read line by line here, not by Vigil.
    const { dir, cleanup } = tempDir('vigil-uct-');
    cleanups.push(cleanup);
    execFileSync('tar', ['-xzf', UCT, '-C', dir]);
    const fixes = new Map<string, Array<{ record: string; fixed: string }>>();
    const needed: Array<{ src: string; cve: string }> = [];
    const active = path.join(dir, 'active');
    for (const name of readdirSync(active)) {
      if (!name.startsWith('CVE-')) continue;
      for (const line of readFileSync(path.join(active, name), 'utf8').split('\n')) {
        const m = /^bionic_(\S+): (\S+)(?:\s+\((.*)\))?\s*$/.exec(line);
        if (!m || !sources.has(m[1]!)) continue;
        const [, src, status, detail] = m as unknown as [string, string, string, string | undefined];
        if (status === 'released') {
          const fixed = detail?.split(/[\s,]/)[0];
          if (fixed) (fixes.get(src) ?? fixes.set(src, []).get(src)!).push({ record: name, fixed });
        } else if (status === 'needed') needed.push({ src, cve: name });
      }
    }
    const refFixed = new Set([...debReference(installed, fixes)].map((k) => k.replace(/\|([^|]*)$/, '|fixed|$1')));

    const inv = await scan({ root: r });
    expect(inv.os?.id).toBe('ubuntu');
    const { findings } = matchInventory(inv, store);
    const debs = findings.filter((f) => f.component.ecosystem === 'deb');
    const vigilFixed = new Set(debs.filter((f) => f.status === 'fixed').map((f) => `${f.component.name}|${f.vulnerability}|fixed|${f.fixedVersion}`));
    expectSameSet(vigilFixed, refFixed, 'bionic released');

    const affected = new Set(debs.filter((f) => f.status === 'affected').map((f) => `${f.component.name}|${f.vulnerability}`));
    const refNeeded = new Set(installed.flatMap((i) => needed.filter((n) => n.src === i.src).map((n) => `${i.pkg}|${n.cve}`)));
    const missing = [...refNeeded].filter((k) => !affected.has(k)).sort();
    expect(missing, `${missing.length} 'needed' entries without an affected finding`).toEqual([]);
    console.log(`bionic: ${installed.length} installed, ${refFixed.size} released-and-below-fix reference entries, ${refNeeded.size} needed entries, ${debs.length} findings`);
    expect(refFixed.size).toBeGreaterThan(0);
    expect(refNeeded.size).toBeGreaterThan(0);
  });
});

/** A control-file paragraph reader, independent of Vigil's: Package, Version, Source (with its optional version). */
function controlParagraphs(text: string): Installed[] {
  const out: Installed[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const field = (k: string) => new RegExp(`^${k}:[ \\t]*(.*)$`, 'm').exec(para)?.[1]?.trim();
    const pkg = field('Package');
    const version = field('Version');
    const status = field('Status');
    if (!pkg || !version || (status !== undefined && !status.endsWith(' installed'))) continue;
    const src = /^(\S+)(?:\s+\((\S+)\))?$/.exec(field('Source') ?? '');
    out.push({ pkg, src: src?.[1] ?? pkg, srcVersion: src?.[2] ?? version });
  }
  return out;
}

describe('Debian 10 (buster) root against the DSA and DLA lists', () => {
  // No fixture is a whole buster/bullseye image: bookworm fixtures would only show that
  // nothing from 2023 lists applies. These status.d files hold buster-era or older
  // packages that the lists name for buster: mutt 1.3.17-1 and a glibc-sourced package
  // (doc-examples) are below buster's DSA/DLA fixes, util-linux 2.33.1-0.1 (buster's
  // own version) has no buster entry, and sqlite3 3.34.1-3 (bullseye's) is above
  // buster's DLA fix: affected, unlisted and fixed cases in one root.
  const STATUS_D = ['syft-status.d/doc-examples', 'syft-status.d/multiple', 'distroless-status.d/libsqlite3-0'];

  it('finds exactly the (package, DSA/DLA, fixed) set dpkg decides', async () => {
    const spec: Parameters<typeof makeRoot>[0] = { 'etc/os-release': OS_RELEASE.debian10 };
    for (const f of STATUS_D) spec[`var/lib/dpkg/status.d/${path.basename(f)}`] = { copy: path.join(PKGDB, 'dpkg', f) };
    const r = root(spec);
    const installed = STATUS_D.flatMap((f) => controlParagraphs(readFileSync(path.join(PKGDB, 'dpkg', f), 'utf8')));

    const fixes = new Map<string, Array<{ record: string; fixed: string }>>();
    for (const list of [DSA, DLA]) {
      const seen = new Set<string>();
      let id: string | undefined;
      for (const line of gunzipSync(readFileSync(list)).toString('utf8').split('\n')) {
        const h = /^\[[^\]]+\] (D[SL]A-[\d-]+)/.exec(line);
        if (h) {
          // A repeated id is the list's own mistake; the first entry stands.
          id = seen.has(h[1]!) ? undefined : h[1]!;
          seen.add(h[1]!);
          continue;
        }
        const e = /^\s+\[buster\] - (\S+) (\S+)/.exec(line);
        if (!e || !id) continue;
        if (e[2] === '<not-affected>' || e[2] === '<end-of-life>') continue;
        const fixed = e[2] === '<unfixed>' ? '' : e[2]!;
        (fixes.get(e[1]!) ?? fixes.set(e[1]!, []).get(e[1]!)!).push({ record: id, fixed });
      }
    }
    const expected = debReference(installed, fixes);

    const inv = await scan({ root: r });
    const { findings } = matchInventory(inv, store);
    const actual = matchKeys(findings, 'deb');
    console.log(`buster root: ${installed.length} packages, ${expected.size} reference (package, DSA/DLA, fixed), ${findings.length} findings`);
    expectSameSet(actual, expected, 'buster DSA/DLA');
    expect([...expected].some((k) => k.startsWith('mutt|'))).toBe(true);
    expect([...expected].some((k) => k.startsWith('made-up-package-1|'))).toBe(true);
    expect([...actual].some((k) => k.startsWith('libsqlite3-0|'))).toBe(false);
  });
});

describe('Alpine 3.4 apk database against the v3.4 secdb', () => {
  // trivy-apk holds musl 1.1.14-r10, busybox 1.24.2-r9, openssl 1.0.2h-r1: Alpine 3.4's
  // packages. The other apk fixtures (musl 1.2.3, 1.2.4) belong to 3.16+ releases,
  // past the bundled secdb (v3.3..v3.11), so they cannot give an honest match.
  it('finds exactly the (package, CVE, fixed) set apk ordering decides', async () => {
    const installedText = readFileSync(path.join(PKGDB, 'apk/trivy-apk/installed'), 'utf8');
    const r = root({ 'etc/os-release': OS_RELEASE.alpine34, 'lib/apk/db/installed': installedText });
    const installed: Installed[] = [];
    for (const para of installedText.split(/\n\s*\n/)) {
      const f = (k: string) => new RegExp(`^${k}:(.*)$`, 'm').exec(para)?.[1]?.trim();
      const pkg = f('P');
      const version = f('V');
      if (pkg && version) installed.push({ pkg, src: f('o') || pkg, srcVersion: version });
    }
    // (origin package, CVE) → every version the secdb lists as fixing it.
    const fixes = new Map<string, Map<string, string[]>>();
    for (const file of ALPINE_34) {
      const db = JSON.parse(readFileSync(file, 'utf8')) as { packages: Array<{ pkg: { name: string; secfixes?: Record<string, string[] | null> } }> };
      for (const { pkg } of db.packages) {
        for (const [fixed, ids] of Object.entries(pkg.secfixes ?? {})) {
          if (fixed === '0') continue; // "never affected"
          for (const entry of ids ?? []) {
            for (const cve of String(entry).split(/\s+/).filter((t) => /^CVE-\d{4}-\d{4,}$/.test(t))) {
              const byCve = fixes.get(pkg.name) ?? fixes.set(pkg.name, new Map()).get(pkg.name)!;
              (byCve.get(cve) ?? byCve.set(cve, []).get(cve)!).push(fixed);
            }
          }
        }
      }
    }
    // A CVE listed under several fixed versions was fixed again later (openssl's
    // CVE-2017-3738 in 1.0.2n-r0 and 1.0.2o-r0): the highest one is the fix to reach,
    // and a version below it is affected.
    const pairs: Array<[string, string]> = [];
    for (const i of installed) for (const fs of fixes.get(i.src)?.values() ?? []) for (const f of fs) pairs.push([i.srcVersion, f], ...fs.map((g): [string, string] => [f, g]));
    const answers = apkVercmp(pairs);
    const cmp = new Map(pairs.map(([a, b], n) => [`${a} ${b}`, answers[n]!]));
    const expected = new Set<string>();
    for (const i of installed) {
      for (const [cve, fs] of fixes.get(i.src) ?? []) {
        const highest = fs.find((f) => fs.every((g) => cmp.get(`${f} ${g}`)! >= 0))!;
        if (cmp.get(`${i.srcVersion} ${highest}`)! < 0) expected.add(`${i.pkg}|${cve}|${highest}`);
      }
    }

    const inv = await scan({ root: r });
    const { findings } = matchInventory(inv, store);
    const actual = new Set([...matchKeys(findings, 'apk')].filter((x) => x.split('|')[1]!.startsWith('CVE-')));
    console.log(`alpine 3.4: ${installed.length} packages, ${pairs.length} compared pairs, ${expected.size} reference entries, ${findings.length} findings`);
    expectSameSet(actual, expected, 'Alpine v3.4');
    expect(expected.size).toBeGreaterThan(0);
  });

  it('the python port of apk ordering agrees with known apk-tools results', () => {
    // Well-known apk orderings; a version ending in `.0` is left out on purpose:
    // apk-tools 2.x reads that zero as a leading-zero part, so `1.0` sorts below `1.0_alpha`.
    const cases: Array<[string, string, number]> = [
      ['1.1', '1.1_alpha', 1], ['1.1_rc1', '1.1', -1], ['1.1_p1', '1.1', 1], ['1.0-r1', '1.0-r2', -1],
      ['1.01', '1.1', -1], ['1.0a', '1.0', 1], ['2.0_git20200101', '2.0', 1], ['1.1.1q-r0', '1.1.1k-r0', 1],
    ];
    expect(apkVercmp(cases.map(([a, b]) => [a, b]))).toEqual(cases.map((c) => c[2]));
  });
});

describe('AlmaLinux 9 rpm components against the AlmaLinux 9 OSV records', () => {
  // The rpm pkgdb fixtures (CBL-Mariner 2.0, an EL8 libuuid, SLE 15) have no advisory
  // data in data/feeds (AlmaLinux 8 is held out), so components are built from the
  // feed's own package names, at, just below and just above each fixed version.
  it("agrees with rpm.vercmp on every (component, record) pair", () => {
    const records = JSON.parse(gunzipSync(readFileSync(ALMA9)).toString('utf8')) as Array<{
      id: string;
      withdrawn?: string;
      affected: Array<{ package: { ecosystem: string; name: string }; ranges: Array<{ events: Array<Record<string, string>> }> }>;
    }>;
    const fixes = new Map<string, Array<{ record: string; fixed: string }>>();
    for (const r of records) {
      if (r.withdrawn) continue;
      for (const a of r.affected) {
        if (a.package.ecosystem !== 'AlmaLinux:9') continue;
        for (const range of a.ranges) {
          expect(range.events[0]).toEqual({ introduced: '0' });
          for (const e of range.events) if (e.fixed) (fixes.get(a.package.name) ?? fixes.set(a.package.name, []).get(a.package.name)!).push({ record: r.id, fixed: e.fixed });
        }
      }
    }
    // 200 (package, fixed) pairs spread evenly over the sorted list.
    const all = [...fixes].flatMap(([name, fs]) => fs.map((f) => ({ name, fixed: f.fixed }))).sort((a, b) => (a.name + a.fixed < b.name + b.fixed ? -1 : 1));
    const picked = Array.from({ length: 200 }, (_, i) => all[Math.floor((i * all.length) / 200)]!);

    const components: Component[] = [];
    for (const { name, fixed } of picked) {
      const m = /^(?:(\d+):)?([^-]+)-([^-]+)$/.exec(fixed);
      if (!m) throw new Error(`not an EVR: ${fixed}`);
      const [, epoch, version, release] = m as unknown as [string, string | undefined, string, string];
      const first = /\d+/.exec(release);
      const below =
        first && Number(first[0]) > 0
          ? release.slice(0, first.index) + String(Number(first[0]) - 1) + release.slice(first.index + first[0].length)
          : `${release}~0`;
      for (const rel of [below, release, `${release}.1`]) {
        const c: Component = {
          ecosystem: 'rpm', name, version, release: rel, arch: 'x86_64', foundBy: 'test',
          purl: `pkg:rpm/almalinux/${name}@${epoch ? `${epoch}:` : ''}${version}-${rel}?arch=x86_64&distro=almalinux-9.4`, locations: ['/var/lib/rpm/rpmdb.sqlite'],
        };
        if (epoch !== undefined) c.epoch = Number(epoch);
        components.push(c);
      }
    }
    const evr = (c: Component) => `${c.epoch !== undefined ? `${c.epoch}:` : ''}${c.version}-${c.release}`;
    const pairs: Array<[string, string]> = [];
    for (const c of components) for (const f of fixes.get(c.name)!) pairs.push([evr(c), f.fixed]);
    const cmp = rpmVercmp(pairs);
    const expected = new Set<string>();
    let k = 0;
    for (const c of components) for (const f of fixes.get(c.name)!) if (cmp[k++]! < 0) expected.add(`${c.name}@${evr(c)}|${f.record}|${f.fixed}`);

    const os: OsInfo = { id: 'almalinux', versionId: '9.4', distro: 'almalinux-9.4' };
    const inv: Inventory = {
      schemaVersion: 1, tool: { name: 'vigil', version: 'test' }, target: { kind: 'rootfs', path: '/' }, scannedAt: '2026-01-01T00:00:00Z', os, components, problems: [],
    };
    const { findings, problems } = matchInventory(inv, store);
    expect(problems).toEqual([]);
    const actual = new Set<string>();
    for (const f of findings) {
      const c = components.find((x) => x.purl === f.component.purl)!;
      for (const m of f.matches) actual.add(`${c.name}@${evr(c)}|${m.record}|${m.fixedVersion ?? ''}`);
    }
    console.log(`almalinux 9: ${components.length} components, ${pairs.length} rpm.vercmp pairs, ${expected.size} reference entries, ${findings.length} findings`);
    expectSameSet(actual, expected, 'AlmaLinux 9');
    // The edited releases must really straddle each picked fix, or the check would be idle.
    for (const { name, fixed } of picked) {
      expect([...expected].some((k) => k.startsWith(`${name}@`) && k.endsWith(`|${fixed}`) && !k.startsWith(`${name}@${fixed}|`))).toBe(true);
      expect([...expected].some((k) => k.startsWith(`${name}@${fixed}|`) && k.endsWith(`|${fixed}`))).toBe(false);
    }
  });
});

describe('namespace isolation', () => {
  const debianStatus = { copy: path.join(PKGDB, 'debian12-minbase-status') };
  const ubuntuStatus = { copy: path.join(PKGDB, 'dpkg/trivy-valid-status') };
  // lodash 4.17.20 is below GHSA-35jh-r3h4-6jhm's fix: a language package that must match whatever the OS.
  const lodash = JSON.stringify({ name: 'lodash', version: '4.17.20' });

  async function namespacesOf(osRelease: string | undefined, status: { copy: string }) {
    const spec: Parameters<typeof makeRoot>[0] = { 'var/lib/dpkg/status': status, 'usr/local/lib/node_modules/lodash/package.json': lodash };
    if (osRelease) spec['etc/os-release'] = osRelease;
    const inv = await scan({ root: root(spec) });
    const { findings } = matchInventory(inv, store);
    return {
      deb: findings.filter((f) => f.component.ecosystem === 'deb'),
      namespaces: new Set(findings.flatMap((f) => f.matches.map((m) => m.namespace))),
      npm: findings.filter((f) => f.component.ecosystem === 'npm'),
    };
  }

  it('a Debian 12 inventory matches Debian:12 records under its own release only', async () => {
    const own = await namespacesOf(OS_RELEASE.debian12, debianStatus);
    expect(own.deb.length).toBeGreaterThan(0);
    expect([...own.namespaces].filter((n) => n !== 'npm')).toEqual(['Debian:12']);
    const asUbuntu = await namespacesOf(OS_RELEASE.ubuntu2204, debianStatus);
    expect(asUbuntu.deb).toEqual([]);
    expect(asUbuntu.namespaces.has('Debian:12')).toBe(false);
    expect(asUbuntu.npm.length).toBeGreaterThan(0);
  });

  it('an Ubuntu 18.04 inventory matches Ubuntu:18.04 records under its own release only', async () => {
    const own = await namespacesOf(OS_RELEASE.ubuntu1804, ubuntuStatus);
    expect(own.deb.length).toBeGreaterThan(0);
    expect([...own.namespaces].filter((n) => n !== 'npm')).toEqual(['Ubuntu:18.04']);
    const asDebian = await namespacesOf(OS_RELEASE.debian12, ubuntuStatus);
    expect(asDebian.namespaces.has('Ubuntu:18.04')).toBe(false);
    for (const f of asDebian.deb) for (const m of f.matches) expect(m.namespace).toBe('Debian:12');
  });

  it('an unknown or missing OS gives no OS-package findings, while language packages still match', async () => {
    for (const osr of [OS_RELEASE.unknown, undefined]) {
      const r = await namespacesOf(osr, debianStatus);
      expect(r.deb).toEqual([]);
      expect([...r.namespaces]).toEqual(['npm']);
      expect(r.npm.map((f) => f.vulnerability)).toContain('CVE-2021-23337');
    }
  });
});
