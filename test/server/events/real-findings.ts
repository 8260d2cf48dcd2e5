import path from 'node:path';
import { readFeeds } from '../../../src/advisories/feeds.js';
import { scan } from '../../../src/inventory/scan.js';
import type { Finding } from '../../../src/matcher/finding.js';
import { matchInventory } from '../../../src/matcher/match.js';
import { SqliteAdvisoryStore } from '../../../src/store/sqlite-advisories.js';
import { makeRoot, PKGDB, REPO, silentLog, tempDir } from '../../helpers/fixtures.js';

/**
 * Real findings for the event tests: the dpkg status of a `debootstrap --variant=minbase
 * bookworm` root (test/fixtures/pkgdb/debian12-minbase-status) and a real npm lockfile
 * (test/fixtures/pkgdb/npm/real-npm-v2) matched, as `vigil scan` does, against the
 * bundled Debian 12 OSV snapshot, the GitHub npm advisories, CISA KEV and EPSS in data/feeds.
 */
export async function realFindings(): Promise<Finding[]> {
  const tmp = tempDir('vigil-event-findings-');
  const root = makeRoot({
    'etc/os-release': 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') },
    'srv/app/package-lock.json': { copy: path.join(PKGDB, 'npm/real-npm-v2/package-lock.json') },
  });
  const store = new SqliteAdvisoryStore(path.join(tmp.dir, 'advisories.db'));
  try {
    const { feeds } = await readFeeds(['debian12-archive/debian12.osv.json.gz', 'osv-ecosystems/ghsa-npm', 'kev', 'epss'].map((f) => path.join(REPO, 'data/feeds', f)));
    store.importFeeds(feeds, '2026-01-01T00:00:00Z');
    const inv = await scan({ root: root.root, noLive: true, log: silentLog });
    return matchInventory(inv, store).findings;
  } finally {
    store.close();
    root.cleanup();
    tmp.cleanup();
  }
}
