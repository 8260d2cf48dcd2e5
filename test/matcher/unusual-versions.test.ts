/**
 * A component whose version is outside its format's grammar is still matched, as the
 * format's own tool orders it, and carries an "unusual version" problem; one whose
 * version cannot be ordered at all carries a problem saying so, never a silent gap.
 * Advisories are the bundled Alpine secdb and AlmaLinux OSV files; rpm's answers come
 * from the real rpm.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import type { Component, Inventory, OsInfo } from '../../src/common/model.js';
import { matchInventory } from '../../src/matcher/match.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { REPO, tempDir } from '../helpers/fixtures.js';
import { rpmVercmp } from './reference-tools.js';

const FEEDS = path.join(REPO, 'data/feeds');
const ALPINE_311 = path.join(FEEDS, 'alpine/v3.11-main.json');
const ALMA9 = path.join(FEEDS, 'almalinux/almalinux9.osv.json.gz');
const ALPINE: OsInfo = { id: 'alpine', versionId: '3.11.6', distro: 'alpine-3.11.6' };
const ALMA: OsInfo = { id: 'almalinux', versionId: '9.4', distro: 'almalinux-9.4' };

let store: SqliteAdvisoryStore;
const tmp = tempDir('vigil-unusual-db-');

beforeAll(async () => {
  const { feeds } = await readFeeds([ALPINE_311, ALMA9]);
  store = new SqliteAdvisoryStore(path.join(tmp.dir, 'advisories.db'));
  store.importFeeds(feeds, '2026-01-01T00:00:00Z');
});

afterAll(() => {
  store?.close();
  tmp.cleanup();
});

function inventory(os: OsInfo, components: Component[]): Inventory {
  return { schemaVersion: 1, tool: { name: 'vigil', version: 'test' }, target: { kind: 'rootfs', path: '/' }, scannedAt: '2026-01-01T00:00:00Z', os, components, problems: [] };
}

function apk(name: string, version: string): Component {
  return { ecosystem: 'apk', name, version, purl: `pkg:apk/alpine/${name}@${encodeURIComponent(version)}?distro=alpine-3.11.6`, locations: ['/lib/apk/db/installed'], foundBy: 'test' };
}

describe('matching components with unusual versions', () => {
  it('finds an apk package at an apk-tools 2 version (6.6.1p1-r0) affected by a fix the secdb wrote the same way, and says the version is unusual', () => {
    const old = apk('opensmtpd', '6.6.1p1-r0');
    const fixed = apk('opensmtpd', '6.6.2p1-r0');
    const later = apk('opensmtpd', '6.6.4-r0');
    const { findings, problems } = matchInventory(inventory(ALPINE, [old, fixed, later]), store);
    expect(findings.map((f) => [f.component.purl, f.vulnerability, f.matches.map((m) => m.fixedVersion)])).toEqual([[old.purl, 'CVE-2020-7247', ['6.6.2p1-r0']]]);
    expect(problems).toEqual([
      {
        collector: 'matcher',
        path: '/lib/apk/db/installed',
        code: 'unusual-version',
        purl: old.purl,
        message: `${old.purl}: unusual apk version "6.6.1p1-r0": apk-tools 3 rejects it at offset 6 ('1'): a number may not follow a letter; still matched`,
      },
      {
        collector: 'matcher',
        path: '/lib/apk/db/installed',
        code: 'unusual-version',
        purl: fixed.purl,
        message: `${fixed.purl}: unusual apk version "6.6.2p1-r0": apk-tools 3 rejects it at offset 6 ('1'): a number may not follow a letter; still matched`,
      },
    ]);
  });

  it('finds an rpm package whose release kept an unexpanded %{?dist} wherever the real rpm orders it below the fix', () => {
    const c: Component = {
      ecosystem: 'rpm', name: 'curl', version: '7.76.1', release: '19%{?dist}', arch: 'x86_64', foundBy: 'test',
      purl: 'pkg:rpm/almalinux/curl@7.76.1-19%25%7B%3Fdist%7D?arch=x86_64&distro=almalinux-9.4', locations: ['/var/lib/rpm/rpmdb.sqlite'],
    };
    const { findings, problems } = matchInventory(inventory(ALMA, [c]), store);
    const fixes = store.affectedFor('AlmaLinux:9', 'curl').map((e) => [e.advisory.id, e.affected.fixedVersion!] as const);
    expect(fixes.length).toBeGreaterThan(3);
    const answers = rpmVercmp(fixes.map(([, f]) => ['7.76.1-19%{?dist}', f]));
    const expected = fixes.filter((_, i) => answers[i]! < 0).map(([id, f]) => `${id} ${f}`).sort();
    const actual = findings.flatMap((f) => f.matches.map((m) => `${m.record} ${m.fixedVersion}`)).sort();
    expect(actual).toEqual(expected);
    // The check is not idle: the real rpm puts some fixes below this release and some above.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(fixes.length);
    expect(problems.map((p) => [p.code, p.purl, p.message])).toEqual([
      ['unusual-version', c.purl, `${c.purl}: unusual rpm version "7.76.1-19%{?dist}": contains '?' at offset 11, which rpmbuild refuses in a version; compared as rpm compares it; still matched`],
    ]);
  });

  it('says so on the component when its version cannot be ordered at all: empty, or hostile text', () => {
    const empty = apk('opensmtpd', '');
    const hostile = apk('opensmtpd', '6.6.1;id');
    const { findings, problems } = matchInventory(inventory(ALPINE, [empty, hostile]), store);
    expect(findings).toEqual([]);
    expect(problems.map((p) => [p.code, p.purl, p.path, p.message])).toEqual([
      ['unordered-version', empty.purl, '/lib/apk/db/installed', `${empty.purl}: invalid apk version "": empty; not matched against any apk advisory`],
      [
        'unordered-version',
        hostile.purl,
        '/lib/apk/db/installed',
        `${hostile.purl}: invalid apk version "6.6.1;id": contains ';' at offset 5, a shell metacharacter no Alpine version carries; not matched against any apk advisory`,
      ],
    ]);
  });

  it('says nothing about a well-formed version, or about a version no advisory needs compared', () => {
    const { problems } = matchInventory(inventory(ALPINE, [apk('opensmtpd', '6.6.4-r0'), apk('no-such-package', '1.0p1'), apk('no-such-package-either', '')]), store);
    expect(problems).toEqual([]);
  });
});
