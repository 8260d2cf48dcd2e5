import type { Distribution } from './types.js';
import { DNF } from './managers.js';

/** Fedora: rpm, binary package names, `Fedora:<release>`; no feed Vigil reads yet (Fedora's updates system publishes none in a format it imports). */
export const fedora: Distribution = {
  id: 'fedora',
  osIds: ['fedora'],
  packages: 'rpm',
  scheme: 'rpm',
  advisoryEcosystems: ['Fedora'],
  namespace: (os) => (os.versionId && /^\d+$/.test(os.versionId) ? `Fedora:${os.versionId}` : undefined),
  bySource: false,
  manager: () => DNF,
  feeds: [],
};
