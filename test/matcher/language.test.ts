import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import type { Component, Inventory } from '../../src/common/model.js';
import { scan } from '../../src/inventory/scan.js';
import type { Finding } from '../../src/matcher/finding.js';
import { matchInventory } from '../../src/matcher/match.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { PKGDB, REPO, silentLog, tempDir } from '../helpers/fixtures.js';
import {
  hasJava,
  hasPackaging,
  mavenComparator,
  npmRangeAffects,
  npmSemverCompare,
  osvAffects,
  pythonReference,
  recordKey,
  SYSTEM_PYTHON,
  type OsvAffected,
  type OsvRecord,
} from './references.js';

const FEEDS = path.join(REPO, 'data/feeds');
const GHSA_NPM = path.join(FEEDS, 'osv-ecosystems/ghsa-npm');
const NPM_WG = path.join(FEEDS, 'npm-nodejs-security-wg/npm-advisories.json.gz');
const PYPI = path.join(FEEDS, 'osv-ecosystems/pypi.osv.json.gz');
const MAVEN = path.join(FEEDS, 'osv-ecosystems/ghsa-maven.osv.json.gz');
const KEV = path.join(FEEDS, 'kev');
const EPSS = path.join(FEEDS, 'epss');

const gz = <T>(file: string): T => JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as T;

/** The expected answer: (name@version, vulnerability) pairs and the records behind them. */
interface Reference {
  findings: Set<string>;
  records: Set<string>;
}
const newReference = (): Reference => ({ findings: new Set(), records: new Set() });

function add(ref: Reference, c: Component, record: string, vulnerability: string): void {
  ref.findings.add(`${coords(c)} ${vulnerability}`);
  ref.records.add(`${coords(c)} ${record}`);
}

function coords(c: { name: string; version: string }): string {
  return `${c.name}@${c.version}`;
}

/** Vigil's answer in the reference's shape, for the components of one ecosystem. */
function observed(findings: Finding[], ecosystem: string): Reference {
  const out = newReference();
  for (const f of findings) {
    if (f.component.ecosystem !== ecosystem) continue;
    out.findings.add(`${coords(f.component)} ${f.vulnerability}`);
    for (const m of f.matches) out.records.add(`${coords(f.component)} ${m.record}`);
  }
  return out;
}

/** A component (one purl at one set of places) never carries the same vulnerability twice. */
function expectOneFindingPerVulnerability(findings: Finding[]): void {
  const seen = new Map<string, number>();
  for (const f of findings) {
    const k = `${f.component.purl} ${f.component.locations.join(',')} ${f.vulnerability}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
}

const sorted = (s: Set<string>): string[] => [...s].sort();

let db: { dir: string; cleanup: () => void };
let store: SqliteAdvisoryStore;
/** Every finding of every ecosystem below, for the enrichment checks. */
const everyFinding: Finding[] = [];

beforeAll(async () => {
  db = tempDir('vigil-match-');
  store = new SqliteAdvisoryStore(path.join(db.dir, 'advisories.db'));
  const { feeds } = await readFeeds([GHSA_NPM, NPM_WG, PYPI, MAVEN, KEV, EPSS]);
  store.importFeeds(feeds, '2026-08-21T00:00:00.000Z');
});

afterAll(() => {
  store?.close();
  db?.cleanup();
});

async function inventory(p: string): Promise<Inventory> {
  return scan({ path: p, log: silentLog });
}

function match(inv: Inventory): Finding[] {
  const { findings, problems } = matchInventory(inv, store);
  // Every installed version and every record version compared here is valid in its scheme.
  expect(problems).toEqual([]);
  everyFinding.push(...findings);
  return findings;
}

// ---------------------------------------------------------------------------------------------

/**
 * Versions inside and at the edges of the Security WG ranges, which the fixtures (newer
 * than 2018) miss: `ms <=0.7.0`, `lodash >=4.17.15 <4.17.19`, a pre-release below `<4.17.5`
 * that npm audit counts as affected, `serve-static >=1.7.0 <1.7.2`, and minimist 1.2.6,
 * the first release out of both GHSA-xvch-5gv4-984h ranges.
 */
const NPM_PROJECT = {
  name: 'mini',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'mini', version: '1.0.0', dependencies: { lodash: '4.17.4', ms: '0.7.0', express: '4.4.0', qs: '0.6.6', 'serve-static': '1.7.1', jsonwebtoken: '4.2.1', minimist: '1.2.6', decamelize: '1.1.1', 'mini-a': '1.0.0', 'mini-b': '1.0.0', 'mini-c': '1.0.0' } },
    'node_modules/lodash': { version: '4.17.4' },
    'node_modules/mini-a': { version: '1.0.0', dependencies: { lodash: '4.17.16' } },
    'node_modules/mini-a/node_modules/lodash': { version: '4.17.16' },
    'node_modules/mini-b': { version: '1.0.0', dependencies: { lodash: '4.17.5-beta.1' } },
    'node_modules/mini-b/node_modules/lodash': { version: '4.17.5-beta.1' },
    'node_modules/mini-c': { version: '1.0.0', dependencies: { ms: '0.7.1' } },
    'node_modules/mini-c/node_modules/ms': { version: '0.7.1' },
    'node_modules/ms': { version: '0.7.0' },
    'node_modules/express': { version: '4.4.0' },
    'node_modules/qs': { version: '0.6.6' },
    'node_modules/serve-static': { version: '1.7.1' },
    'node_modules/jsonwebtoken': { version: '4.2.1' },
    'node_modules/minimist': { version: '1.2.6' },
    'node_modules/decamelize': { version: '1.1.1' },
  },
};

describe('npm packages against GHSA and the Node.js Security WG advisories', () => {
  interface WgRecord {
    id: number;
    module_name: string;
    vulnerable_versions: string;
    cves?: string[];
  }
  /** The feed opens with `vuln/npm/index.json` (id → record) before the records themselves. */
  const wg = (): WgRecord[] => {
    const byId = new Map<number, WgRecord>();
    for (const x of gz<Record<string, unknown>[]>(NPM_WG)) {
      for (const r of ('module_name' in x ? [x] : Object.values(x)) as WgRecord[]) if (!byId.has(r.id)) byId.set(r.id, r);
    }
    return [...byId.values()];
  };
  const ghsa = (): OsvRecord[] => readdirSync(GHSA_NPM).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(GHSA_NPM, f), 'utf8')) as OsvRecord);

  let findings: Finding[];
  let components: Component[];

  beforeAll(async () => {
    const trivy = tempDir('vigil-npm-locks-');
    writeFileSync(path.join(trivy.dir, 'package-lock.json'), JSON.stringify(NPM_PROJECT));
    const dir = path.join(PKGDB, 'npm/trivy');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.expected.json'))) {
      mkdirSync(path.join(trivy.dir, f.replace(/\.json$/, '')));
      copyFileSync(path.join(dir, f), path.join(trivy.dir, f.replace(/\.json$/, ''), 'package-lock.json'));
    }
    try {
      const invs = [await inventory(path.join(PKGDB, 'npm/real-npm-v2')), await inventory(trivy.dir)];
      components = invs.flatMap((i) => i.components.filter((c) => c.ecosystem === 'npm'));
      findings = invs.flatMap(match);
    } finally {
      trivy.cleanup();
    }
  });

  it('finds exactly what semver decides over every inventoried version and every record', () => {
    const ref = newReference();
    const records = [
      ...ghsa()
        .filter((r) => !r.withdrawn)
        .flatMap((r) => (r.affected ?? []).filter((a) => a.package.ecosystem === 'npm').map((a) => ({ name: a.package.name, id: r.id, key: recordKey(r.id, r.aliases ?? []), affects: (v: string) => osvAffects(v, a, npmSemverCompare) }))),
      ...wg().map((r) => ({ name: r.module_name, id: `NSWG-ECO-${r.id}`, key: recordKey(`NSWG-ECO-${r.id}`, r.cves ?? []), affects: (v: string) => npmRangeAffects(v, r.vulnerable_versions) })),
    ];
    let pairs = 0;
    for (const c of components) {
      if (semver.valid(c.version, { loose: true }) === null) continue;
      for (const r of records.filter((x) => x.name === c.name)) {
        pairs++;
        if (r.affects(c.version)) add(ref, c, r.id, r.key);
      }
    }
    const got = observed(findings, 'npm');
    expect(sorted(got.records)).toEqual(sorted(ref.records));
    expect(sorted(got.findings)).toEqual(sorted(ref.findings));
    expectOneFindingPerVulnerability(findings);
    expect(components.length).toBeGreaterThan(100);
    expect(pairs).toBeGreaterThan(20);
    expect(ref.findings.size).toBeGreaterThan(15);
    expect(ref.records).toContain('lodash@4.17.5-beta.1 NSWG-ECO-368');
  });

  it('gives the known answers for lodash, minimist, express and jsonwebtoken', () => {
    const of = (name: string, version: string) => findings.filter((f) => f.component.name === name && f.component.version === version);

    const lodashCopies = components.filter((c) => c.name === 'lodash' && c.version === '4.17.20');
    expect(lodashCopies.length).toBeGreaterThan(0);
    const lodash = of('lodash', '4.17.20').filter((f) => f.vulnerability === 'CVE-2021-23337');
    // One finding per copy, however many records name the CVE.
    expect(lodash).toHaveLength(lodashCopies.length);
    for (const f of lodash) {
      expect(f.aliases).toContain('GHSA-35jh-r3h4-6jhm');
      expect(f.fixedVersion).toBe('4.17.21');
    }

    const minimist = of('minimist', '1.2.5');
    expect(minimist.length).toBeGreaterThan(0);
    expect(minimist.some((f) => f.matches.some((m) => m.record === 'GHSA-xvch-5gv4-984h'))).toBe(true);

    const express = of('express', '4.17.1').filter((f) => f.vulnerability === 'CVE-2024-29041');
    expect(express.length).toBeGreaterThan(0);
    for (const f of express) expect(f.aliases).toContain('GHSA-rv95-896h-c2vc');

    expect(components.some((c) => c.name === 'jsonwebtoken' && c.version === '9.0.0')).toBe(true);
    expect(of('jsonwebtoken', '9.0.0').flatMap((f) => f.matches.map((m) => m.record))).not.toContain('GHSA-27h2-hvpr-p74q');
    expect(of('jsonwebtoken', '4.2.1').flatMap((f) => f.matches.map((m) => m.record)).sort()).toEqual(['GHSA-27h2-hvpr-p74q', 'NSWG-ECO-17']);

    // The Security WG's edges: `<=0.7.0` takes 0.7.0 in, and three lodash records meet at 4.17.4.
    expect(of('ms', '0.7.0').map((f) => f.vulnerability)).toEqual(['CVE-2015-8315']);
    expect(of('ms', '0.7.1')).toEqual([]);
    expect(of('lodash', '4.17.4').map((f) => f.vulnerability).sort()).toEqual(['CVE-2018-16487', 'CVE-2018-3721', 'CVE-2021-23337']);
    expect(of('minimist', '1.2.6')).toEqual([]);
  });

  it('merges records of two feeds that share a CVE into one finding per copy', async () => {
    // The bundled feeds have no such pair for npm (the WG records predate GHSA's), so a
    // second feed republishes GHSA-35jh-r3h4-6jhm's lodash entry under another id.
    const own = tempDir('vigil-merge-');
    const ownStore = new SqliteAdvisoryStore(path.join(own.dir, 'advisories.db'));
    try {
      const real = JSON.parse(readFileSync(path.join(GHSA_NPM, 'GHSA-35jh-r3h4-6jhm.json'), 'utf8')) as OsvRecord;
      mkdirSync(path.join(own.dir, 'mirror'));
      writeFileSync(path.join(own.dir, 'mirror', 'MIRROR-1.json'), JSON.stringify({ ...real, id: 'MIRROR-1', aliases: ['CVE-2021-23337'] }));
      ownStore.importFeeds((await readFeeds([GHSA_NPM, path.join(own.dir, 'mirror')])).feeds, '2026-08-21T00:00:00.000Z');
      const copies = components.filter((c) => c.name === 'lodash' && semver.lt(c.version, '4.17.21', { loose: true }));
      const inv: Inventory = { schemaVersion: 1, tool: { name: 'vigil', version: '0' }, target: { kind: 'path', path: '/' }, scannedAt: '', components: copies, problems: [] };
      const got = matchInventory(inv, ownStore).findings;
      expect(copies.length).toBeGreaterThan(3);
      expect(got).toHaveLength(copies.length);
      for (const f of got) {
        expect(f.vulnerability).toBe('CVE-2021-23337');
        expect(f.matches.map((m) => m.record).sort()).toEqual(['GHSA-35jh-r3h4-6jhm', 'MIRROR-1']);
        expect(f.aliases).toEqual(['GHSA-35jh-r3h4-6jhm', 'MIRROR-1']);
      }
    } finally {
      ownStore.close();
      own.cleanup();
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** Wheel (`.dist-info/METADATA`) and setuptools (`.egg-info`) metadata as installers write it. */
function metadata(name: string, version: string): string {
  return `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: ${name} as installed by pip\nRequires-Python: >=3.7\n\n`;
}

/**
 * Real PYSEC records the mini project is chosen against: py's PYSEC-2022-42969 ends in
 * `last_affected: 1.11.0`, gratient's PYSEC-2024-1 lists only `versions: [0.5]`, and
 * redis's PYSEC-2023-73 and flask-caching's PYSEC-2021-13 are withdrawn.
 */
const PY_PROJECT: [string, string][] = [
  ['py', '1.11.0'],
  ['py', '1.9.0'],
  ['gratient', '0.5'],
  ['gratient', '0.6'],
  ['Django', '3.2'],
  ['Django', '5.1.2'],
  ['requests', '2.31.0'],
  ['urllib3', '1.26.4'],
  ['Jinja2', '2.10'],
  ['PyYAML', '5.3.1'],
  ['Pillow', '9.0.0'],
  ['redis', '4.6.0'],
  ['Flask_Caching', '2.0.2'],
  // CVE-2020-11978 and CVE-2020-11651 are in CISA's KEV catalogue.
  ['apache-airflow', '1.10.10'],
  ['salt', '3000.1'],
];

/** The python fixtures put where installers put them, plus the mini project. */
function pythonTree(dir: string): void {
  const py = path.join(PKGDB, 'python');
  const put = (rel: string, from: string | { text: string }) => {
    const dest = path.join(dir, rel);
    mkdirSync(path.dirname(dest), { recursive: true });
    if (typeof from === 'string') copyFileSync(path.join(py, from), dest);
    else writeFileSync(dest, from.text);
  };
  const site = 'usr/lib/python3/dist-packages';
  put(`${site}/Pygments-2.6.1.dist-info/METADATA`, 'syft-dist-info/METADATA');
  put(`${site}/requests-2.22.0.egg-info/PKG-INFO`, 'syft-egg-info/PKG-INFO');
  for (const f of readdirSync(path.join(py, 'trivy-packaging'))) {
    if (f.endsWith('.METADATA')) put(`${site}/${f.slice(0, -'.METADATA'.length)}.dist-info/METADATA`, `trivy-packaging/${f}`);
    else if (f.endsWith('.PKG-INFO')) put(`${site}/${f.slice(0, -'.PKG-INFO'.length).replace(/^unidecode-egg-info$/, 'Unidecode-0.4.1.egg-info')}/PKG-INFO`, `trivy-packaging/${f}`);
    else if (f.endsWith('.egg-info')) put(`${site}/${f}`, `trivy-packaging/${f}`);
  }
  PY_PROJECT.forEach(([name, version], i) => {
    // Two versions of one project live in separate environments, as on a real host.
    put(`opt/venv${i}/lib/python3.11/site-packages/${name}-${version}.dist-info/METADATA`, { text: metadata(name, version) });
  });
}

describe.skipIf(!hasPackaging)(`PyPI packages against PYSEC (reference: packaging.version in ${SYSTEM_PYTHON})`, () => {
  const records = () => gz<OsvRecord[]>(PYPI);
  let findings: Finding[];
  let components: Component[];
  let tree: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    tree = tempDir('vigil-pypi-');
    pythonTree(tree.dir);
    const inv = await inventory(tree.dir);
    components = inv.components.filter((c) => c.ecosystem === 'pypi');
    findings = match(inv);
  });
  afterAll(() => tree?.cleanup());

  it('inventories the fixtures and the mini project', () => {
    const have = new Set(components.map(coords));
    for (const [n, v] of PY_PROJECT) expect(have, `${n}@${v}`).toContain(`${n}@${v}`);
    for (const x of ['asyncssh@2.14.2', 'setuptools@51.3.3', 'Pygments@2.6.1', 'requests@2.22.0']) expect(have).toContain(x);
  });

  it('finds exactly what packaging.version decides over every inventoried version and every record', () => {
    const all = records().filter((r) => !r.withdrawn);
    const entries = all.flatMap((r) => (r.affected ?? []).filter((a) => a.package.ecosystem === 'PyPI').map((a) => ({ r, a })));
    const names = pythonReference([], [...components.map((c) => c.name), ...entries.map((e) => e.a.package.name)]).names;
    const componentKey = names.slice(0, components.length);
    const entryKey = names.slice(components.length);
    const pairs: { c: Component; r: OsvRecord; a: OsvAffected }[] = [];
    components.forEach((c, i) => entries.forEach((e, j) => entryKey[j] === componentKey[i] && pairs.push({ c, ...e })));
    const verdicts = pythonReference(pairs.map((p) => [p.c.version, p.a]), []).affected;
    const ref = newReference();
    pairs.forEach((p, i) => verdicts[i] && add(ref, p.c, p.r.id, recordKey(p.r.id, p.r.aliases ?? [])));

    const got = observed(findings, 'pypi');
    expect(sorted(got.records)).toEqual(sorted(ref.records));
    expect(sorted(got.findings)).toEqual(sorted(ref.findings));
    expectOneFindingPerVulnerability(findings);
    expect(pairs.length).toBeGreaterThan(200);
    expect(ref.records.size).toBeGreaterThan(50);
  });

  it('reads last_affected inclusively, versions lists exactly, and never matches withdrawn records', () => {
    const recs = (name: string, version: string) => findings.filter((f) => f.component.name === name && f.component.version === version).flatMap((f) => f.matches.map((m) => m.record));
    expect(recs('py', '1.11.0')).toContain('PYSEC-2022-42969');
    expect(recs('py', '1.9.0')).toEqual(expect.arrayContaining(['PYSEC-2022-42969', 'PYSEC-2020-92']));
    expect(recs('gratient', '0.5')).toEqual(['PYSEC-2024-1']);
    expect(recs('gratient', '0.6')).toEqual([]);
    const withdrawn = records().filter((r) => r.withdrawn).map((r) => r.id);
    expect(withdrawn).toEqual(expect.arrayContaining(['PYSEC-2023-73', 'PYSEC-2021-13']));
    const matched = new Set(findings.flatMap((f) => f.matches.map((m) => m.record)));
    expect(withdrawn.filter((id) => matched.has(id))).toEqual([]);
  });

  it('drops a withdrawn copy of a real record, and reads a range-only copy of a last_affected one', async () => {
    const real = records().find((r) => r.id === 'PYSEC-2022-42969')!;
    const copy = (id: string, extra: Partial<OsvRecord>): OsvRecord => ({ ...structuredClone(real), id, aliases: [], ...extra });
    const rangeOnly = copy('VIGIL-TEST-LAST-AFFECTED', {});
    for (const a of rangeOnly.affected!) delete a.versions;
    const own = tempDir('vigil-withdrawn-');
    const ownStore = new SqliteAdvisoryStore(path.join(own.dir, 'advisories.db'));
    try {
      const feedDir = path.join(own.dir, 'records');
      mkdirSync(feedDir);
      for (const r of [copy('VIGIL-TEST-WITHDRAWN', { withdrawn: '2024-01-01T00:00:00Z' }), copy('VIGIL-TEST-LIVE', {}), rangeOnly]) {
        writeFileSync(path.join(feedDir, `${r.id}.json`), JSON.stringify(r));
      }
      ownStore.importFeeds((await readFeeds([feedDir])).feeds, '2026-08-21T00:00:00.000Z');
      const extra = PY_PROJECT.length;
      const inv = await inventory(tree.dir);
      const py = (v: string): Component => ({ ...inv.components.find((c) => c.name === 'py')!, version: v, purl: `pkg:pypi/py@${v}`, locations: [`/opt/venv${extra}/py-${v}`] });
      inv.components.push(py('1.11.1'));
      const got = matchInventory(inv, ownStore).findings;
      const records = (v: string) => got.filter((f) => f.component.name === 'py' && f.component.version === v).flatMap((f) => f.matches.map((m) => `${m.record}: ${m.rule}`));
      expect(got.flatMap((f) => f.matches.map((m) => m.record))).not.toContain('VIGIL-TEST-WITHDRAWN');
      expect(records('1.11.0')).toEqual(['VIGIL-TEST-LAST-AFFECTED: 1.11.0 <= last affected 1.11.0 (any version)', 'VIGIL-TEST-LIVE: 1.11.0 is listed as affected']);
      expect(records('1.11.1')).toEqual([]);
    } finally {
      ownStore.close();
      own.cleanup();
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** Maven coordinates present in the GHSA Maven records, inside and outside their ranges. */
const JARS: [string, string, string][] = [
  ['com.fasterxml.jackson.core', 'jackson-databind', '2.9.10'],
  ['com.fasterxml.jackson.core', 'jackson-databind', '2.12.7.1'],
  ['com.fasterxml.jackson.core', 'jackson-databind', '2.17.1'],
  // log4j 1.x: records end in `last_affected: 1.2.17`; 1.2.18 lies above it.
  ['log4j', 'log4j', '1.2.17'],
  ['log4j', 'log4j', '1.2.18'],
  ['org.codehaus.jackson', 'jackson-mapper-asl', '1.9.13'],
  // CVE-2016-4437 and CVE-2020-1938 are in CISA's KEV catalogue.
  ['org.apache.shiro', 'shiro-core', '1.2.4'],
  ['org.apache.tomcat.embed', 'tomcat-embed-core', '9.0.30'],
];

describe.skipIf(!hasJava)('Maven artifacts against GHSA (reference: Maven ComparableVersion)', () => {
  const records = () => gz<OsvRecord[]>(MAVEN);
  let findings: Finding[];
  let components: Component[];

  beforeAll(async () => {
    const t = tempDir('vigil-jars-');
    try {
      const lib = path.join(t.dir, 'lib');
      mkdirSync(lib);
      copyFileSync(path.join(PKGDB, 'java/jars/jackson-annotations-2.15.0-rc2.metadata-only.jar'), path.join(lib, 'jackson-annotations-2.15.0-rc2.jar'));
      for (const [g, a, v] of JARS) {
        const stage = path.join(t.dir, 'stage', `${a}-${v}`);
        const meta = path.join(stage, 'META-INF');
        mkdirSync(path.join(meta, 'maven', g, a), { recursive: true });
        writeFileSync(path.join(meta, 'MANIFEST.MF'), 'Manifest-Version: 1.0\r\n\r\n');
        writeFileSync(path.join(meta, 'maven', g, a, 'pom.properties'), `#Generated by Maven\ngroupId=${g}\nartifactId=${a}\nversion=${v}\n`);
        execFileSync(SYSTEM_PYTHON, ['-I', '-m', 'zipfile', '-c', path.join(lib, `${a}-${v}.jar`), meta]);
      }
      const inv = await inventory(lib);
      components = inv.components.filter((c) => c.ecosystem === 'maven');
      findings = match(inv);
    } finally {
      t.cleanup();
    }
  });

  const gav = (c: { namespace?: string; name: string; version: string }) => `${c.namespace}:${c.name}@${c.version}`;

  it('inventories every jar with its coordinates', () => {
    expect(components.map(gav).sort()).toEqual([...JARS.map(([g, a, v]) => `${g}:${a}@${v}`), 'com.fasterxml.jackson.core:jackson-annotations@2.15.0-rc2'].sort());
  });

  it('finds exactly what ComparableVersion and the versions lists decide', () => {
    const entries = records()
      .filter((r) => !r.withdrawn)
      .flatMap((r) => (r.affected ?? []).filter((a) => a.package.ecosystem === 'Maven').map((a) => ({ r, a })));
    const pairs: { c: Component; r: OsvRecord; a: OsvAffected }[] = [];
    for (const c of components) for (const e of entries) if (e.a.package.name === `${c.namespace}:${c.name}`) pairs.push({ c, ...e });
    const asked: [string, string][] = pairs.flatMap(({ c, a }) => (a.ranges ?? []).flatMap((r) => r.events.flatMap((e) => Object.values(e).filter((v) => v !== '0').map((v): [string, string] => [c.version, v]))));
    const maven = mavenComparator(asked);
    expect(maven.version).toBe('3.8.7');
    const ref = newReference();
    for (const p of pairs) if (osvAffects(p.c.version, p.a, maven.cmp)) add(ref, p.c, p.r.id, recordKey(p.r.id, p.r.aliases ?? []));
    const got = observed(findings, 'maven');
    expect(sorted(got.records)).toEqual(sorted(ref.records));
    expect(sorted(got.findings)).toEqual(sorted(ref.findings));
    expectOneFindingPerVulnerability(findings);
    expect(pairs.length).toBeGreaterThan(100);
    expect(ref.records.size).toBeGreaterThan(30);

    const of = (a: string, v: string) => findings.filter((f) => f.component.name === a && f.component.version === v);
    expect(of('jackson-databind', '2.9.10').length).toBeGreaterThan(10);
    expect(of('log4j', '1.2.17').length).toBeGreaterThan(0);
    expect(of('log4j', '1.2.18')).toEqual([]);
    expect(of('jackson-mapper-asl', '1.9.13').length).toBeGreaterThan(0);
    expect(of('jackson-annotations', '2.15.0-rc2')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('KEV and EPSS enrichment of the findings above', () => {
  interface KevJson {
    vulnerabilities: { cveID: string; dueDate: string; dateAdded: string; knownRansomwareCampaignUse: string }[];
  }

  it('carries the catalogue due date and the EPSS row of each finding CVE, and nothing for the others', () => {
    // The catalogue's entries among these records are PyPI and Maven ones (see PY_PROJECT, JARS).
    const all = hasPackaging && hasJava;
    expect(everyFinding.length).toBeGreaterThan(all ? 100 : 10);
    const kev = new Map((JSON.parse(readFileSync(path.join(KEV, 'known_exploited_vulnerabilities.json'), 'utf8')) as KevJson).vulnerabilities.map((v) => [v.cveID, v]));
    const epss = new Map<string, number>();
    for (const line of gunzipSync(readFileSync(path.join(EPSS, 'epss_scores.csv.gz'))).toString('utf8').split('\n').slice(2)) {
      const [cve, score] = line.split(',');
      if (cve) epss.set(cve, Number(score));
    }
    let inKev = 0;
    let scored = 0;
    let ambiguous = 0;
    for (const f of everyFinding) {
      const cves = [f.vulnerability, ...f.aliases].filter((x) => x.startsWith('CVE-'));
      if (cves.length > 1) {
        ambiguous++;
        continue;
      }
      const cve = cves[0];
      const k = cve ? kev.get(cve) : undefined;
      const where = `${coords(f.component)} ${f.vulnerability}`;
      if (k) {
        inKev++;
        expect(f.kev, where).toEqual({ dateAdded: k.dateAdded, dueDate: k.dueDate, ransomware: k.knownRansomwareCampaignUse === 'Known' });
      } else expect(f.kev, where).toBeUndefined();
      const e = cve ? epss.get(cve) : undefined;
      if (e !== undefined) {
        scored++;
        expect(f.epss?.score, where).toBe(e);
        expect(f.epss?.date).toBe('2026-08-16');
      } else expect(f.epss, where).toBeUndefined();
    }
    if (all) expect(inKev).toBeGreaterThanOrEqual(4);
    expect(scored).toBeGreaterThan(all ? 50 : 5);
    expect(ambiguous).toBeLessThan(everyFinding.length / 10);
  });
});
