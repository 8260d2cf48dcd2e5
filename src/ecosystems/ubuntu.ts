import type { Distribution } from './types.js';
import { nameKeys } from './types.js';
import { APT } from './managers.js';

/**
 * Ubuntu: the CVE tracker and OSV's `Ubuntu:<version>` records (Vigil drops OSV's
 * `:LTS` suffix), keyed by source package; every release, LTS or interim, by its
 * VERSION_ID. Ubuntu Pro streams are a namespace of their own (`Ubuntu:Pro:22.04`).
 */
export const ubuntu: Distribution = {
  id: 'ubuntu',
  osIds: ['ubuntu'],
  packages: 'deb',
  scheme: 'dpkg',
  advisoryEcosystems: ['Ubuntu'],
  namespace: (os) => (os.versionId && /^\d{2}\.\d{2}$/.test(os.versionId) ? `Ubuntu:${os.versionId}` : undefined),
  nameKey: nameKeys.lower,
  osvExport: { folder: 'Ubuntu', feed: 'ubuntu' },
  bySource: true,
  manager: () => APT,
  feeds: ['osv', 'ubuntu-tracker'],
};
