import type { Distribution } from './types.js';
import { major, nameKeys } from './types.js';
import { APT } from './managers.js';

/** Debian: the security tracker, DSA/DLA lists and OSV's `Debian:<major>` records, keyed by source package. */
export const debian: Distribution = {
  id: 'debian',
  osIds: ['debian'],
  packages: 'deb',
  scheme: 'dpkg',
  advisoryEcosystems: ['Debian'],
  namespace: (os) => (os.versionId ? `Debian:${major(os.versionId)}` : undefined),
  nameKey: nameKeys.lower,
  osvExport: { folder: 'Debian', feed: 'debian' },
  bySource: true,
  manager: () => APT,
  feeds: ['osv', 'debian-tracker'],
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    deb: true;
  }
}
