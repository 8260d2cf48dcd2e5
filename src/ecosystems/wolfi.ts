import type { Distribution } from './types.js';
import { nameKeys } from './types.js';
import { APK } from './managers.js';

/**
 * Wolfi and Chainguard OS: rolling apk distributions with no releases, so one
 * namespace each (`Wolfi`, `Chainguard`), as OSV spells them; keyed by origin package.
 */
export const wolfi: Distribution = {
  id: 'wolfi',
  osIds: ['wolfi', 'chainguard'],
  packages: 'apk',
  scheme: 'apk',
  advisoryEcosystems: ['Wolfi', 'Chainguard'],
  namespace: (os) => (os.id === 'chainguard' ? 'Chainguard' : 'Wolfi'),
  nameKey: nameKeys.lower,
  bySource: true,
  manager: () => APK,
  feeds: ['osv'],
};
