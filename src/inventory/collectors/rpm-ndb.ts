import type { CollectContext } from '../collector.js';
import { readInRoot } from '../rootfs.js';
import { MAX_DB_BYTES, rpmCollector, type RpmDatabase } from './rpm-common.js';
import { ndbPackages } from './rpm-ndb.parse.js';

async function open(ctx: CollectContext, resolved: string): Promise<RpmDatabase> {
  const bytes = await readInRoot(ctx.root, resolved, { maxBytes: MAX_DB_BYTES });
  if (!bytes) throw Object.assign(new Error(`${resolved} disappeared`), { code: 'ENOENT' });
  const records = ndbPackages(bytes);
  return { records: () => records, close: () => {} };
}

/** rpm's ndb `Packages.db` (SUSE Linux Enterprise 15, openSUSE). */
export const rpmNdbCollector = rpmCollector({
  name: 'rpm-ndb',
  version: 1,
  databases: ['/var/lib/rpm/Packages.db', '/usr/lib/sysimage/rpm/Packages.db', '/usr/share/rpm/Packages.db'],
  open,
});
