import type { Distribution } from './types.js';
import { ZYPPER } from './managers.js';

/**
 * SUSE Linux Enterprise and openSUSE: rpm, binary package names, OSV's spelling of
 * their products (`SUSE:Linux Enterprise Server 15 SP5`, `openSUSE:Leap 15.5`,
 * `openSUSE:Tumbleweed`) from os-release's ID and VERSION_ID.
 */
export const suse: Distribution = {
  id: 'suse',
  osIds: ['sles', 'sled', 'opensuse-leap', 'opensuse-tumbleweed'],
  packages: 'rpm',
  scheme: 'rpm',
  advisoryEcosystems: ['SUSE', 'openSUSE'],
  namespace: (os) => {
    if (os.id === 'opensuse-tumbleweed') return 'openSUSE:Tumbleweed';
    const m = /^(\d+)(?:\.(\d+))?$/.exec(os.versionId ?? '');
    if (!m) return undefined;
    if (os.id === 'opensuse-leap') return `openSUSE:Leap ${m[1]}.${m[2] ?? '0'}`;
    const product = os.id === 'sled' ? 'Linux Enterprise Desktop' : 'Linux Enterprise Server';
    return `SUSE:${product} ${m[1]}${m[2] && m[2] !== '0' ? ` SP${m[2]}` : ''}`;
  },
  bySource: false,
  manager: () => ZYPPER,
  feeds: ['osv'],
};
