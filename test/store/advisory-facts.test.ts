import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import type { Advisory } from '../../src/advisories/model.js';
import type { Feed } from '../../src/advisories/source.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const GHSA_NPM = path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm');
const KEV = path.join(REPO, 'data/feeds/kev/known_exploited_vulnerabilities.json');

/** A CVE record of the shape the NVD and CVE 5 sources produce: enrichment, no affected entries. */
function cveRecord(over: Partial<Advisory>): Advisory {
  return { id: 'CVE-2021-23337', source: 'nvd', aliases: [], affected: [], ...over };
}

function feed(name: string, advisories: Advisory[], origin?: Feed['origin']): Feed {
  const f: Feed = { name, files: [`/feeds/${name}`], digest: name, advisories };
  if (origin) f.origin = origin;
  return f;
}

describe('advisory store: ratings, states and CVSS by every id, feed provenance', () => {
  let dir: { dir: string; cleanup(): void };
  let store: SqliteAdvisoryStore;
  beforeEach(() => {
    dir = tempDir('vigil-facts-');
    store = new SqliteAdvisoryStore(path.join(dir.dir, 'advisories.db'));
  });
  afterEach(() => {
    store.close();
    dir.cleanup();
  });

  it('indexes a rating, a state and a CVSS vector under the record id and each alias, with the feed and publisher', () => {
    store.importFeeds(
      [
        feed('nvd:page.json', [
          cveRecord({
            aliases: ['GHSA-35jh-r3h4-6jhm'],
            state: 'disputed',
            cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', baseScore: 7.2, source: 'nvd@nist.gov' }],
            ratings: [{ vendor: 'Ubuntu', severity: 'low', raw: 'low', record: 'CVE-2021-23337' }],
          }),
        ]),
      ],
      '2026-03-01T00:00:00.000Z',
    );
    for (const id of ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm']) {
      expect(store.cvss(id)).toEqual([{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', baseScore: 7.2, source: 'nvd@nist.gov', feed: 'nvd:page.json' }]);
      expect(store.ratings(id)).toEqual([{ vendor: 'Ubuntu', severity: 'low', raw: 'low', record: 'CVE-2021-23337', feed: 'nvd:page.json' }]);
      expect(store.states(id)).toEqual([{ state: 'disputed', feed: 'nvd:page.json', record: 'CVE-2021-23337' }]);
    }
    expect(store.states('CVE-2000-0001')).toEqual([]);
  });

  it('re-importing a feed without the state or rating drops them and records the ids as changed', () => {
    const rated = cveRecord({ state: 'rejected', ratings: [{ vendor: 'Debian', namespace: 'Debian:12', severity: 'negligible', raw: 'unimportant', record: 'CVE-2021-23337' }] });
    store.importFeeds([feed('nvd:page.json', [rated])], '2026-03-01T00:00:00.000Z');
    expect(store.ratings('CVE-2021-23337')[0]).toMatchObject({ vendor: 'Debian', namespace: 'Debian:12', severity: 'negligible', raw: 'unimportant' });
    store.importFeeds([feed('nvd:page.json', [cveRecord({})])], '2026-03-02T00:00:00.000Z');
    expect(store.ratings('CVE-2021-23337')).toEqual([]);
    expect(store.states('CVE-2021-23337')).toEqual([]);
    expect(store.changesSince(1)[0]!.cves).toEqual(['CVE-2021-23337']);
    // The same content again changes nothing.
    store.importFeeds([feed('nvd:page.json', [cveRecord({})])], '2026-03-03T00:00:00.000Z');
    expect(store.changesSince(2)[0]!.cves).toEqual([]);
  });

  it('reports per feed its origin, location, newest record dates and namespaces', async () => {
    const { feeds } = await readFeeds([GHSA_NPM, KEV]);
    for (const f of feeds) {
      f.origin = 'bundled';
      f.location = f.files[0]!;
    }
    store.importFeeds(feeds, '2026-03-01T00:00:00.000Z');
    const byName = new Map(store.sources().map((s) => [s.name, s]));
    const ghsa = byName.get('osv:ghsa-npm/')!;
    expect(ghsa.origin).toBe('bundled');
    expect(ghsa.namespaces).toEqual(['npm']);
    // The newest of the four records' own dates, not the import time.
    const newest = feeds.find((f) => f.name === 'osv:ghsa-npm/')!.advisories.map((a) => a.modified!).sort().at(-1);
    expect(ghsa.newestModified).toBe(newest);
    expect(ghsa.newestModified! < '2026-03-01').toBe(true);
    const kev = byName.get('kev:known_exploited_vulnerabilities.json')!;
    expect(kev.namespaces).toEqual([]);
    expect(kev.newestPublished).toBe(feeds.find((f) => f.kev)!.kev!.map((k) => k.dateAdded).sort().at(-1));
    expect(kev.location).toBe(KEV);
  });

  it('a feed imported without an origin is a file import', () => {
    store.importFeeds([feed('nvd:page.json', [cveRecord({ published: '2021-02-15T13:15:12.560' })])], '2026-03-01T00:00:00.000Z');
    expect(store.sources()[0]).toMatchObject({ origin: 'file', newestPublished: '2021-02-15T13:15:12.560', newestModified: '2021-02-15T13:15:12.560', namespaces: [] });
  });
});
