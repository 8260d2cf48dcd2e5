import type { CollectContext } from '../collector.js';
import { readInRoot } from '../rootfs.js';
import { bdbPackages } from './rpm-bdb.parse.js';
import { MAX_DB_BYTES, rpmCollector, type RpmDatabase } from './rpm-common.js';

async function open(ctx: CollectContext, resolved: string): Promise<RpmDatabase> {
  const bytes = await readInRoot(ctx.root, resolved, { maxBytes: MAX_DB_BYTES });
  if (!bytes) throw Object.assign(new Error(`${resolved} disappeared`), { code: 'ENOENT' });
  const records = bdbPackages(bytes);
  return { records: () => records, close: () => {} };
}

/** rpm's BerkeleyDB `Packages` (rpm before 4.16: RHEL/CentOS up to 8, Amazon Linux 2). */
export const rpmBdbCollector = rpmCollector({
  name: 'rpm-bdb',
  version: 1,
  databases: ['/var/lib/rpm/Packages', '/usr/lib/sysimage/rpm/Packages', '/usr/share/rpm/Packages'],
  open,
});
