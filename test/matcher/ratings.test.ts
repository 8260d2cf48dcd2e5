import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import type { Advisory } from '../../src/advisories/model.js';
import type { Feed } from '../../src/advisories/source.js';
import type { Component, Inventory } from '../../src/common/model.js';
import { matchInventory } from '../../src/matcher/match.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const T = '2026-03-01T00:00:00.000Z';

function npm(name: string, version: string): Component {
  return { ecosystem: 'npm', name, version, purl: `pkg:npm/${name}@${version}`, locations: [`/app/node_modules/${name}/package.json`], foundBy: 'npm' };
}

function inventory(components: Component[]): Inventory {
  return { schemaVersion: 1, tool: { name: 'vigil', version: 'test' }, target: { kind: 'path', path: '/app' }, scannedAt: T, components, problems: [] };
}

/** A record as the NVD and CVE 5 sources produce them: enrichment without affected entries. */
function enrichment(name: string, advisories: Array<Partial<Advisory> & { id: string }>): Feed {
  return { name, files: [name], digest: name, advisories: advisories.map((a) => ({ source: name, aliases: [], affected: [], ...a })) };
}

describe('severity from every source, with provenance', () => {
  let dir: { dir: string; cleanup(): void };
  let store: SqliteAdvisoryStore;
  beforeEach(async () => {
    dir = tempDir('vigil-ratings-');
    store = new SqliteAdvisoryStore(path.join(dir.dir, 'advisories.db'));
    store.importFeeds((await readFeeds([GHSA_NPM])).feeds, T);
  });
  afterEach(() => {
    store.close();
    dir.cleanup();
  });

  it('takes NVD\'s CVSS over GitHub\'s copy, names the publisher and lists every candidate', () => {
    store.importFeeds(
      [enrichment('nvd:page.json', [{ id: 'CVE-2021-23337', cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', baseScore: 7.2, source: 'nvd@nist.gov' }] }])],
      T,
    );
    const { findings } = matchInventory(inventory([npm('lodash', '4.17.20')]), store);
    const f = findings.find((x) => x.vulnerability === 'CVE-2021-23337' || x.aliases.includes('CVE-2021-23337'))!;
    expect(f.severity).toBe('high');
    expect(f.cvss).toMatchObject({ score: 7.2, source: 'nvd@nist.gov' });
    expect(f.severitySource).toBe('CVSS 3.1 7.2 by nvd@nist.gov (nvd:page.json)');
    expect(f.ratings![0]).toMatchObject({ kind: 'cvss', chosen: true, from: 'nvd:page.json' });
    // GitHub's own vector for the same vulnerability is a candidate too, not chosen.
    expect(f.ratings!.filter((r) => r.kind === 'cvss').length).toBeGreaterThan(1);
    expect(f.ratings!.filter((r) => r.chosen)).toHaveLength(1);
    expect(f.scoreReasons![0]).toBe('CVSS 3.1 7.2 (nvd@nist.gov)');
  });

  it('a rating given under an alias counts for the record that matched (GHSA ↔ CVE)', () => {
    const before = matchInventory(inventory([npm('minimist', '1.2.5')]), store).findings[0]!;
    expect(before.matches.map((m) => m.record).join()).toMatch(/GHSA-/);
    // NVD's vector for the CVE alias, low where GitHub's own is critical.
    const low = 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N';
    store.importFeeds([enrichment('nvd:x.json', [{ id: 'CVE-2021-44906', cvss: [{ version: '3.1', vector: low, baseScore: 1.8, source: 'nvd@nist.gov' }] }])], T);
    const after = matchInventory(inventory([npm('minimist', '1.2.5')]), store).findings[0]!;
    expect(after.vulnerability).toBe(before.vulnerability);
    expect(after.severity).toBe('low');
    expect(after.severitySource).toBe('CVSS 3.1 1.8 by nvd@nist.gov (nvd:x.json)');
    // GitHub's word is another publisher's: a candidate, weighed after CVSS.
    expect(after.ratings!.find((r) => r.kind === 'vendor')).toMatchObject({ label: expect.stringMatching(/^GitHub rates it "CRITICAL"/) });
    expect(after.score).toBeLessThan(before.score);
  });

  it('for a language package without CVSS, GitHub\'s word is taken and named as another publisher\'s', () => {
    store.importFeeds([enrichment('other:x.json', [{ id: 'GHSA-test-only-0001', aliases: ['CVE-2021-44906'], ratings: [{ vendor: 'GitHub', severity: 'low', raw: 'LOW', record: 'GHSA-test-only-0001' }] }])], T);
    const store2 = new SqliteAdvisoryStore(path.join(dir.dir, 'b.db'));
    try {
      store2.importFeeds([
        { name: 'osv:one', files: ['one'], digest: 'one', advisories: [{ id: 'GHSA-test-only-0002', source: 'osv', aliases: [], affected: [{ namespace: 'npm', package: 'left-pad', scheme: 'semver', status: 'fixed', ranges: [{ introduced: '0', fixed: '1.3.0' }], fixedVersion: '1.3.0' }], ratings: [{ vendor: 'GitHub', severity: 'low', raw: 'LOW', record: 'GHSA-test-only-0002' }] }] },
      ], T);
      const f = matchInventory(inventory([npm('left-pad', '1.0.0')]), store2).findings[0]!;
      expect(f.severity).toBe('low');
      expect(f.severitySource).toBe('GitHub rates it "LOW" (osv:one GHSA-test-only-0002; no CVSS)');
    } finally {
      store2.close();
    }
  });

  it('ranks a disputed finding below every rated one, at score 0, and says why', () => {
    store.importFeeds([enrichment('nvd:page.json', [{ id: 'CVE-2022-23529', state: 'disputed' }])], T);
    const { findings } = matchInventory(inventory([npm('jsonwebtoken', '8.5.1'), npm('lodash', '4.17.20'), npm('minimist', '1.2.5')]), store);
    const disputed = findings.find((x) => x.vulnerability === 'CVE-2022-23529' || x.aliases.includes('CVE-2022-23529'))!;
    expect(disputed.state).toEqual({ state: 'disputed', source: 'nvd:page.json CVE-2022-23529' });
    expect(disputed.deprioritized).toBe('disputed (nvd:page.json CVE-2022-23529)');
    expect(disputed.score).toBe(0);
    expect(disputed.scoreReasons![0]).toMatch(/^disputed .*: ranked below every rated finding$/);
    expect(findings.at(-1)).toBe(disputed);
    for (const f of findings) if (f !== disputed) expect(f.score).toBeGreaterThan(0);
  });

  it('an unknown severity is scored on what is known and says so, never a middle value', () => {
    const feed = enrichment('osv:local/', [
      { id: 'GHSA-test-0000-0001', affected: [{ namespace: 'npm', package: 'leftpad-x', scheme: 'semver', status: 'affected', ranges: [{ introduced: '0' }] }] },
    ]);
    store.importFeeds([feed], T);
    const f = matchInventory(inventory([npm('leftpad-x', '1.0.0')]), store).findings[0]!;
    expect(f.severity).toBe('unknown');
    expect(f.severitySource).toBe('no rating in any feed');
    expect(f.scoreReasons![0]).toBe('severity unknown: scored on exploitation, exposure and criticality only');
    // No EPSS, no KEV, exposure unknown (0.2), medium asset: 10 × (0.2·0.2 + 0.1·0.5).
    expect(f.score).toBe(0.9);
  });
});

describe('NVD and CVE 5 records rate the findings of a Debian 12 host', () => {
  it('a Debian finding takes NVD\'s CVSS from a real API page, ranks above the unrated ones, and explain-style candidates list every publisher', async () => {
    const dir = tempDir('vigil-ratings-nvd-');
    const store = new SqliteAdvisoryStore(path.join(dir.dir, 'advisories.db'));
    try {
      store.importFeeds((await readFeeds([path.join(REPO, 'data/feeds/debian12-archive/debian12.osv.json.gz')])).feeds, T);
      const deb = (name: string, version: string, source?: string): Component => ({
        ecosystem: 'deb', name, version, purl: `pkg:deb/debian/${name}@${version}?arch=amd64&distro=debian-12`, locations: ['/var/lib/dpkg/status'], foundBy: 'dpkg',
        ...(source ? { source: { name: source, version } } : {}),
      });
      const inv: Inventory = {
        ...inventory([deb('perl-base', '5.36.0-7+deb12u2', 'perl'), deb('zip', '3.0-13')]),
        target: { kind: 'rootfs', path: '/' },
        os: { id: 'debian', versionId: '12', distro: 'debian-12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
      };
      const before = matchInventory(inv, store).findings;
      const perlBefore = before.find((f) => f.vulnerability === 'CVE-2023-31484')!;
      expect(perlBefore.severity).toBe('unknown');
      store.importFeeds((await readFeeds([path.join(REPO, 'test/fixtures/advisories/nvd/nvd-api-page.json'), path.join(REPO, 'test/fixtures/advisories/cve5/cves')])).feeds, T);
      const after = matchInventory(inv, store).findings;
      const perl = after.find((f) => f.vulnerability === 'CVE-2023-31484')!;
      expect(perl.severity).toBe('high');
      expect(perl.cvss).toEqual({ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 8.1, source: 'nvd@nist.gov' });
      expect(perl.severitySource).toBe('CVSS 3.1 8.1 by nvd@nist.gov (nvd:nvd-api-page.json)');
      expect(perl.ratings!.map((r) => r.label)).toEqual(['CVSS 3.1 8.1 by nvd@nist.gov', 'CVSS 3.1 8.1 by CISA-ADP', 'CVSS 3.1 8.1 by CISA-ADP']);
      expect(perl.score).toBeGreaterThan(perlBefore.score);
      // The disputed zip CVE carries NVD's 9.8 yet ranks last, at 0.
      const zip = after.find((f) => f.vulnerability === 'CVE-2018-13410')!;
      expect(zip).toMatchObject({ score: 0, cvss: { score: 9.8, source: 'nvd@nist.gov' } });
      expect(zip.deprioritized).toMatch(/^disputed \((cve5:cves\/|nvd:nvd-api-page\.json) CVE-2018-13410\)$/);
      expect(after.at(-1)).toBe(zip);
      expect(after.indexOf(perl)).toBeLessThan(after.indexOf(after.find((f) => f.severity === 'unknown')!));
    } finally {
      store.close();
      dir.cleanup();
    }
  });
});
