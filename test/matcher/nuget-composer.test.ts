import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import type { Component, Inventory } from '../../src/common/model.js';
import { formatPurl } from '../../src/common/purl.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { matchInventory } from '../../src/matcher/match.js';
import { remediationPlan } from '../../src/matcher/remediation.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { FIXTURES, PKGDB, silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * The NuGet and Composer fixtures scanned as a host would be, matched against the real
 * GHSA records of test/fixtures/advisories: a version inside a record's range is found,
 * its fixed version is not, and the fix is the project's own package manager command.
 */

let db: { dir: string; cleanup: () => void };
let store: SqliteAdvisoryStore;

beforeAll(async () => {
  db = tempDir('vigil-match-nuget-composer-');
  store = new SqliteAdvisoryStore(path.join(db.dir, 'advisories.db'));
  const { feeds } = await readFeeds([path.join(FIXTURES, 'advisories/osv-nuget'), path.join(FIXTURES, 'advisories/osv-composer')]);
  store.importFeeds(feeds, '2026-08-21T00:00:00.000Z');
});

afterAll(() => {
  store?.close();
  db?.cleanup();
});

function match(inv: Inventory): Finding[] {
  const { findings, problems } = matchInventory(inv, store);
  expect(problems).toEqual([]);
  return findings;
}

/** `name@version location record`: the GHSA record behind each finding (its vulnerability is the CVE when the record has one). */
const found = (fs: Finding[]) => fs.map((f) => `${f.component.name}@${f.component.version} ${f.component.locations.join(',')} ${f.matches.map((m) => m.record).join('+')}`).sort();

/** The same component at another version (and spelling), as another host would hold it. */
function at(c: Component, version: string, name = c.name): Component {
  const slash = name.indexOf('/');
  const purl = c.ecosystem === 'composer' ? formatPurl({ type: 'composer', namespace: name.slice(0, slash), name: name.slice(slash + 1), version }) : formatPurl({ type: 'nuget', name, version });
  return { ...c, name, version, purl, locations: [`/other${c.locations[0]}`] };
}

describe('NuGet packages against GHSA-5crp-9r3c-p9vr (Newtonsoft.Json < 13.0.1)', () => {
  it('finds the advisory for 12.0.3 in both lock files, not for 13.0.1 or 13.0.3 of the deployed applications, in any spelling of the id', async () => {
    const inv = await scan({ path: path.join(PKGDB, 'nuget'), log: silentLog });
    const json = inv.components.filter((c) => c.name === 'Newtonsoft.Json').map((c) => `${c.version} ${c.foundBy}`).sort();
    expect(json).toEqual(['12.0.3 nuget-lock', '12.0.3 nuget-lock', '13.0.1 dotnet-deps', '13.0.3 dotnet-deps']);
    const findings = match(inv);
    expect(found(findings)).toEqual([
      'Newtonsoft.Json@12.0.3 /trivy-lock-legacy/packages.lock.json GHSA-5crp-9r3c-p9vr',
      'Newtonsoft.Json@12.0.3 /trivy-lock-subdependencies/packages.lock.json GHSA-5crp-9r3c-p9vr',
    ]);
    const f = findings[0]!;
    expect(f).toMatchObject({ fixedVersion: '13.0.1', severity: 'low', remediation: 'dotnet add package Newtonsoft.Json --version 13.0.1' });
    expect(f.matches.map((m) => [m.namespace, m.package, m.scheme])).toEqual([['NuGet', 'Newtonsoft.Json', 'nuget']]);
    expect(remediationPlan(findings, 'host', inv.components).steps.map((s) => [s.manager, s.where, s.commands])).toEqual([
      ['dotnet', '/trivy-lock-legacy', ['dotnet add package Newtonsoft.Json --version 13.0.1']],
      ['dotnet', '/trivy-lock-subdependencies', ['dotnet add package Newtonsoft.Json --version 13.0.1']],
    ]);

    // NuGet ids are case-insensitive, and 4-part and pre-release versions order as NuGet orders them.
    const base = inv.components.find((c) => c.version === '13.0.1')!;
    const others = [at(base, '12.0.3', 'NEWTONSOFT.JSON'), at(base, '13.0.1-beta1', 'newtonsoft.json'), at(base, '13.0.0.1'), at(base, '13.0.1.0'), at(base, '13.0.2')];
    expect(found(match({ ...inv, components: others }))).toEqual([
      'NEWTONSOFT.JSON@12.0.3 /other/trivy-deps/ExampleApp1.deps.json GHSA-5crp-9r3c-p9vr',
      'Newtonsoft.Json@13.0.0.1 /other/trivy-deps/ExampleApp1.deps.json GHSA-5crp-9r3c-p9vr',
      'newtonsoft.json@13.0.1-beta1 /other/trivy-deps/ExampleApp1.deps.json GHSA-5crp-9r3c-p9vr',
    ]);
  });
});

describe('Composer packages against GHSA-wxmh-65f7-jcvw (guzzlehttp/psr7) and GHSA-25mq-v84q-4j7r (guzzlehttp/guzzle)', () => {
  it('finds psr7 1.9.0 of the lock file, not guzzle 6.5.8, its fixed version; then guzzle 6.5.7 and v7.4.4, not psr7 1.9.1 or 2.4.5', async () => {
    const inv = await scan({ path: path.join(PKGDB, 'composer'), log: silentLog });
    expect(inv.components.filter((c) => c.name.startsWith('guzzlehttp/')).map((c) => `${c.name}@${c.version}`)).toEqual(expect.arrayContaining(['guzzlehttp/guzzle@6.5.8', 'guzzlehttp/psr7@1.9.0']));
    const findings = match(inv);
    expect(found(findings)).toEqual(['guzzlehttp/psr7@1.9.0 /trivy-happy/composer.lock GHSA-wxmh-65f7-jcvw']);
    const f = findings[0]!;
    expect(f).toMatchObject({ fixedVersion: '1.9.1', severity: 'medium', remediation: "composer update 'guzzlehttp/psr7:>=1.9.1'", vulnerability: 'CVE-2023-29197' });
    expect(f.matches.map((m) => [m.namespace, m.package, m.scheme])).toEqual([['Packagist', 'guzzlehttp/psr7', 'composer']]);
    expect(remediationPlan(findings, 'host', inv.components).steps.map((s) => [s.manager, s.where, s.commands])).toEqual([['composer', '/trivy-happy', ["composer update 'guzzlehttp/psr7:>=1.9.1'"]]]);

    const guzzle = inv.components.find((c) => c.name === 'guzzlehttp/guzzle')!;
    const psr7 = inv.components.find((c) => c.name === 'guzzlehttp/psr7')!;
    const others = [at(guzzle, '6.5.7'), at(guzzle, 'v7.4.4', 'GuzzleHttp/Guzzle'), at(guzzle, '7.4.5'), at(psr7, '1.9.1'), at(psr7, '2.4.5'), at(psr7, '2.4.5-RC1'), at(psr7, '2.0.0-beta1')];
    const more = match({ ...inv, components: others });
    expect(found(more)).toEqual([
      'GuzzleHttp/Guzzle@v7.4.4 /other/trivy-happy/composer.lock GHSA-25mq-v84q-4j7r',
      'guzzlehttp/guzzle@6.5.7 /other/trivy-happy/composer.lock GHSA-25mq-v84q-4j7r',
      'guzzlehttp/psr7@2.4.5-RC1 /other/trivy-happy/composer.lock GHSA-wxmh-65f7-jcvw',
    ]);
    expect(more.find((x) => x.component.version === 'v7.4.4')!.fixedVersion).toBe('7.4.5');
  });

  it('says a branch checkout cannot be compared instead of calling it affected or fixed', async () => {
    const inv = await scan({ path: path.join(PKGDB, 'composer'), log: silentLog });
    const psr7 = inv.components.find((c) => c.name === 'guzzlehttp/psr7')!;
    const { findings, problems } = matchInventory({ ...inv, components: [at(psr7, 'dev-master')] }, store);
    expect(findings).toEqual([]);
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ['unordered-version', 'pkg:composer/guzzlehttp/psr7@dev-master: invalid composer version "dev-master": a named branch: Composer matches branches against no version range (only numbered ones such as 1.x-dev are ordered); not matched against any composer advisory'],
    ]);
  });
});
