import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { packageKey } from '../../src/advisories/keys.js';
import type { Advisory } from '../../src/advisories/model.js';
import type { Feed } from '../../src/advisories/source.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const KEV = path.join(REPO, 'data/feeds/kev/known_exploited_vulnerabilities.json');
const EPSS = path.join(REPO, 'data/feeds/epss/epss_scores.csv.gz');

const T = (n: number) => `2026-03-0${n}T12:00:00.000Z`;

type OsvRecord = Record<string, unknown> & { affected: Array<Record<string, unknown>> };

/** The bundled GHSA records, by file name. */
function ghsaRecords(): Map<string, OsvRecord> {
  return new Map(readdirSync(GHSA_NPM).map((f) => [f, JSON.parse(readFileSync(path.join(GHSA_NPM, f), 'utf8')) as OsvRecord]));
}

async function feedsOf(...paths: string[]): Promise<Feed[]> {
  const res = await readFeeds(paths);
  expect(res.problems).toEqual([]);
  return res.feeds;
}

/** Every (namespace, package key) a feed names, as a change lists them. */
function packagesOf(feeds: Feed[]): Array<{ namespace: string; packageKey: string }> {
  const keys = new Set<string>();
  for (const f of feeds) for (const a of f.advisories) for (const x of a.affected) keys.add(`${x.namespace}\u0000${packageKey(x.namespace, x.package)}`);
  return [...keys].sort().map((k) => {
    const [namespace, key] = k.split('\u0000') as [string, string];
    return { namespace, packageKey: key };
  });
}

describe('advisory change log', () => {
  let tmp: { dir: string; cleanup: () => void };
  let file: string;
  let store: SqliteAdvisoryStore;
  let versions = 0;

  beforeEach(() => {
    tmp = tempDir('vigil-adv-changes-');
    file = path.join(tmp.dir, 'db', 'advisories.db');
    store = new SqliteAdvisoryStore(file);
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  /**
   * A copy of the GHSA feed after `edit`, in a directory of the same name so it
   * imports as the same feed (`osv:ghsa-npm/`) and replaces it.
   */
  async function ghsaVersion(edit: (records: Map<string, OsvRecord>) => void = () => {}): Promise<Feed[]> {
    const records = ghsaRecords();
    edit(records);
    const dir = path.join(tmp.dir, `v${versions++}`, 'ghsa-npm');
    mkdirSync(dir, { recursive: true });
    for (const [name, rec] of records) writeFileSync(path.join(dir, name), JSON.stringify(rec, null, 2));
    return feedsOf(dir);
  }

  function record(records: Map<string, OsvRecord>, id: string): OsvRecord {
    const rec = records.get(`${id}.json`);
    if (!rec) throw new Error(`no record ${id} in ${GHSA_NPM}`);
    return rec;
  }

  function latest() {
    const changes = store.changesSince(store.lastChangeId() - 1);
    expect(changes).toHaveLength(1);
    return changes[0]!;
  }

  it('starts empty', () => {
    expect(store.lastChangeId()).toBe(0);
    expect(store.changesSince(0)).toEqual([]);
  });

  it('records every package and every id with CVSS of a first import', async () => {
    const feeds = await feedsOf(GHSA_NPM);
    store.importFeeds(feeds, T(1));
    expect(store.lastChangeId()).toBe(1);
    const cvssCves = [...new Set(feeds.flatMap((f) => f.advisories.filter((a) => (a.cvss ?? []).length > 0).flatMap((a) => [a.id, ...a.aliases])))]
      .sort();
    expect(store.changesSince(0)).toEqual([{ id: 1, importedAt: T(1), sources: ['osv:ghsa-npm/'], packages: packagesOf(feeds), cves: cvssCves }]);
    expect(packagesOf(feeds)).toEqual(['express', 'jsonwebtoken', 'lodash', 'lodash-es', 'minimist'].map((p) => ({ namespace: 'npm', packageKey: p })));
    // Enrichment is indexed under a record's id and every alias, so GHSA-keyed findings get it too.
    expect(cvssCves).toEqual([
      'CVE-2021-23337', 'CVE-2021-44906', 'CVE-2022-23529', 'CVE-2024-29041',
      'GHSA-27h2-hvpr-p74q', 'GHSA-35jh-r3h4-6jhm', 'GHSA-rv95-896h-c2vc', 'GHSA-xvch-5gv4-984h',
    ]);
  });

  it('records no package and no CVE when the same content is imported again', async () => {
    store.importFeeds(await feedsOf(GHSA_NPM), T(1));
    store.importFeeds(await feedsOf(GHSA_NPM), T(2));
    // Other bytes (re-serialised records), same advisories.
    store.importFeeds(await ghsaVersion(), T(3));
    expect(store.changesSince(1)).toEqual([
      { id: 2, importedAt: T(2), sources: ['osv:ghsa-npm/'], packages: [], cves: [] },
      { id: 3, importedAt: T(3), sources: ['osv:ghsa-npm/'], packages: [], cves: [] },
    ]);
    expect(store.lastChangeId()).toBe(3);
  });

  it('records exactly the package an advisory gains', async () => {
    store.importFeeds(await feedsOf(GHSA_NPM), T(1));
    expect(store.hasPackage('npm', 'minimist-lite')).toBe(false);
    store.importFeeds(
      await ghsaVersion((r) => {
        record(r, 'GHSA-xvch-5gv4-984h').affected.push({
          package: { ecosystem: 'npm', name: 'minimist-lite' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.3.0' }] }],
        });
      }),
      T(2),
    );
    expect(latest()).toMatchObject({ id: 2, packages: [{ namespace: 'npm', packageKey: 'minimist-lite' }], cves: [] });
    expect(store.affectedFor('npm', 'minimist-lite').map((m) => m.advisory.id)).toEqual(['GHSA-xvch-5gv4-984h']);
  });

  it('records only the package whose entry changed, not the others of the same advisory', async () => {
    store.importFeeds(await feedsOf(GHSA_NPM), T(1));
    store.importFeeds(
      await ghsaVersion((r) => {
        const entry = record(r, 'GHSA-35jh-r3h4-6jhm').affected.find((a) => (a.package as { name: string }).name === 'lodash-es')!;
        entry.ranges = [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.22' }] }];
      }),
      T(2),
    );
    expect(latest()).toMatchObject({ packages: [{ namespace: 'npm', packageKey: 'lodash-es' }], cves: [] });
  });

  it('records every package of an advisory that is withdrawn', async () => {
    store.importFeeds(await feedsOf(GHSA_NPM), T(1));
    store.importFeeds(
      await ghsaVersion((r) => {
        record(r, 'GHSA-35jh-r3h4-6jhm').withdrawn = '2026-03-01T00:00:00Z';
      }),
      T(2),
    );
    expect(latest()).toMatchObject({
      packages: [
        { namespace: 'npm', packageKey: 'lodash' },
        { namespace: 'npm', packageKey: 'lodash-es' },
      ],
      cves: [],
    });
    expect(store.affectedFor('npm', 'lodash').map((m) => m.advisory.withdrawn)).toEqual(['2026-03-01T00:00:00Z']);
  });

  it('records the packages and CVSS CVEs of an advisory that went away', async () => {
    store.importFeeds(await feedsOf(GHSA_NPM), T(1));
    store.importFeeds(await ghsaVersion((r) => r.delete('GHSA-rv95-896h-c2vc.json')), T(2));
    expect(latest()).toMatchObject({ packages: [{ namespace: 'npm', packageKey: 'express' }], cves: ['CVE-2024-29041', 'GHSA-rv95-896h-c2vc'] });
    expect(store.hasPackage('npm', 'express')).toBe(false);
  });

  it('records a changed CVSS vector as its CVE, and the advisory’s packages', async () => {
    store.importFeeds(await feedsOf(GHSA_NPM), T(1));
    store.importFeeds(
      await ghsaVersion((r) => {
        record(r, 'GHSA-xvch-5gv4-984h').severity = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N' }];
      }),
      T(2),
    );
    expect(latest()).toMatchObject({ packages: [{ namespace: 'npm', packageKey: 'minimist' }], cves: ['CVE-2021-44906', 'GHSA-xvch-5gv4-984h'] });
    expect(store.cvss('CVE-2021-44906').map((c) => c.vector)).toEqual(['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N']);
  });

  it('records the KEV entries that changed or went away', async () => {
    const raw = JSON.parse(readFileSync(KEV, 'utf8')) as { count: number; vulnerabilities: Array<Record<string, string>> };
    let n = 0;
    const kevVersion = async (edit: (v: Array<Record<string, string>>) => void = () => {}): Promise<Feed[]> => {
      const copy = structuredClone(raw);
      edit(copy.vulnerabilities);
      copy.count = copy.vulnerabilities.length;
      const dir = path.join(tmp.dir, `kev${n++}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'kev.json'), JSON.stringify(copy));
      return feedsOf(path.join(dir, 'kev.json'));
    };
    const first = await kevVersion();
    store.importFeeds(first, T(1));
    expect(latest()).toMatchObject({ sources: ['kev:kev.json'], packages: [] });
    expect(latest().cves).toEqual([...new Set(first[0]!.kev!.map((k) => k.cve))].sort());

    const changed = raw.vulnerabilities[3]!.cveID!;
    const gone = raw.vulnerabilities[7]!.cveID!;
    store.importFeeds(
      await kevVersion((v) => {
        v[3]!.dueDate = '2030-01-01';
        v.splice(7, 1);
      }),
      T(2),
    );
    expect(latest()).toMatchObject({ packages: [], cves: [changed, gone].sort() });
    expect(store.kev(changed)?.dueDate).toBe('2030-01-01');
    expect(store.kev(gone)).toBeUndefined();

    store.importFeeds(await kevVersion((v) => v.splice(7, 1)), T(3));
    expect(latest()).toMatchObject({ packages: [], cves: [changed] });
  });

  it('records the EPSS scores that changed, appeared or went away', async () => {
    const lines = gunzipSync(readFileSync(EPSS)).toString('latin1').split('\n');
    const header = lines.slice(0, 2);
    const rows = lines.slice(2, 1002);
    let n = 0;
    const epssVersion = async (edit: (rows: string[]) => void = () => {}): Promise<Feed[]> => {
      const copy = [...rows];
      edit(copy);
      const dir = path.join(tmp.dir, `epss${n++}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'epss.csv'), [...header, ...copy, ''].join('\n'));
      return feedsOf(path.join(dir, 'epss.csv'));
    };
    const cveOf = (row: string) => row.slice(0, row.indexOf(','));
    store.importFeeds(await epssVersion(), T(1));
    expect(latest().cves).toEqual(rows.map(cveOf).sort());

    store.importFeeds(await epssVersion(), T(2));
    expect(latest()).toMatchObject({ packages: [], cves: [] });

    const extra = lines[1500]!;
    store.importFeeds(
      await epssVersion((r) => {
        const [cve] = r[10]!.split(',');
        r[10] = `${cve},0.5,0.5`;
        r.splice(20, 1);
        r.push(extra);
      }),
      T(3),
    );
    expect(latest()).toMatchObject({ packages: [], cves: [cveOf(rows[10]!), cveOf(rows[20]!), cveOf(extra)].sort() });
    expect(store.epss(cveOf(rows[10]!))).toMatchObject({ epss: 0.5, percentile: 0.5 });
    expect(store.epss(cveOf(rows[20]!))).toBeUndefined();
  });

  it('records "every CVE" past 50,000 changed CVEs, and nothing for the same scores again', async () => {
    const feeds = await feedsOf(EPSS);
    expect(feeds[0]!.epss!.length).toBeGreaterThan(50_000);
    store.importFeeds(feeds, T(1));
    const first = latest();
    expect(first.cves).toBeUndefined();
    expect('cves' in first).toBe(false);
    store.importFeeds(feeds, T(2));
    expect(latest()).toMatchObject({ packages: [], cves: [] });
  });

  it('keeps the latest 1,000 imports', () => {
    for (let i = 0; i < 1_003; i++) store.importFeeds([], T(1));
    expect(store.lastChangeId()).toBe(1_003);
    const all = store.changesSince(0);
    expect(all).toHaveLength(1_000);
    // The first id returned is not 0 + 1: the caller knows it missed some.
    expect(all[0]!.id).toBe(4);
    expect(all.at(-1)!.id).toBe(1_003);
  });

  it('shows one process the changes another one imported', async () => {
    const other = new SqliteAdvisoryStore(file);
    try {
      expect(other.lastChangeId()).toBe(0);
      store.importFeeds(await feedsOf(GHSA_NPM), T(1));
      store.importFeeds(await ghsaVersion((r) => r.delete('GHSA-27h2-hvpr-p74q.json')), T(2));
      expect(other.lastChangeId()).toBe(2);
      expect(other.changesSince(0)).toEqual(store.changesSince(0));
      expect(other.changesSince(1)).toEqual([
        { id: 2, importedAt: T(2), sources: ['osv:ghsa-npm/'], packages: [{ namespace: 'npm', packageKey: 'jsonwebtoken' }], cves: ['CVE-2022-23529', 'GHSA-27h2-hvpr-p74q'] },
      ]);
      expect(other.changesSince(2)).toEqual([]);
    } finally {
      other.close();
    }
  });

  it('refresh() makes a store opened before another process’s import see the new data', async () => {
    store.importFeeds(await feedsOf(GHSA_NPM), T(1));
    const server = new SqliteAdvisoryStore(file);
    try {
      expect(server.hasPackage('npm', 'minimist-lite')).toBe(false);
      expect(server.affectedFor('npm', 'minimist')).toHaveLength(2);
      const seen = server.lastChangeId();

      store.importFeeds(
        await ghsaVersion((r) => {
          const rec = record(r, 'GHSA-xvch-5gv4-984h');
          rec.affected = [...rec.affected.slice(0, 1), { package: { ecosystem: 'npm', name: 'minimist-lite' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }];
        }),
        T(2),
      );
      const changes = server.changesSince(seen);
      expect(changes.map((c) => c.packages)).toEqual([
        [
          { namespace: 'npm', packageKey: 'minimist' },
          { namespace: 'npm', packageKey: 'minimist-lite' },
        ],
      ]);
      // Until it refreshes, the open store answers from what it cached.
      expect(server.hasPackage('npm', 'minimist-lite')).toBe(false);
      expect(server.affectedFor('npm', 'minimist')).toHaveLength(2);

      server.refresh();
      expect(server.hasPackage('npm', 'minimist-lite')).toBe(true);
      expect(server.affectedFor('npm', 'minimist-lite').map((m) => m.advisory.id)).toEqual(['GHSA-xvch-5gv4-984h']);
      expect(server.affectedFor('npm', 'minimist')).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('records nothing for an import that fails, and the next change starts from the old content', async () => {
    store.importFeeds(await feedsOf(GHSA_NPM), T(1));
    const changed = await ghsaVersion((r) => r.delete('GHSA-xvch-5gv4-984h.json'));
    const broken: Feed = {
      name: 'osv:broken/',
      files: [],
      digest: '0',
      get advisories(): Advisory[] {
        throw new Error('corrupt feed');
      },
    };
    expect(() => store.importFeeds([...changed, broken], T(2))).toThrow('corrupt feed');
    expect(store.lastChangeId()).toBe(1);
    expect(store.changesSince(1)).toEqual([]);
    expect(store.hasPackage('npm', 'minimist')).toBe(true);

    store.importFeeds(await feedsOf(GHSA_NPM), T(3));
    expect(store.changesSince(1)).toEqual([{ id: 2, importedAt: T(3), sources: ['osv:ghsa-npm/'], packages: [], cves: [] }]);
  });
});
