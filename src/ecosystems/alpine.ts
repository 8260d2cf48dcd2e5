import type { Distribution } from './types.js';
import { nameKeys } from './types.js';
import { APK } from './managers.js';

/** Alpine: secdb and OSV's `Alpine:v<major.minor>` records, keyed by origin package. */
export const alpine: Distribution = {
  id: 'alpine',
  osIds: ['alpine'],
  packages: 'apk',
  scheme: 'apk',
  advisoryEcosystems: ['Alpine'],
  namespace: (os) => {
    const mm = os.versionId?.split('.').slice(0, 2).join('.');
    return mm && /^\d+\.\d+$/.test(mm) ? `Alpine:v${mm}` : undefined;
  },
  nameKey: nameKeys.lower,
  osvExport: { folder: 'Alpine', feed: 'alpine' },
  bySource: true,
  manager: () => APK,
  feeds: ['osv', 'alpine-secdb'],
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    apk: true;
  }
}
