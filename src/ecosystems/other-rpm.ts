import type { Distribution } from './types.js';
import { DNF } from './managers.js';

/**
 * rpm distributions whose OSV records Vigil reads with the rpm scheme but whose hosts it
 * does not map to a namespace yet (Azure Linux, Photon OS, openEuler, Mageia): their
 * records are kept, ordered correctly, and a scan of such a host says its OS packages
 * were not checked.
 */
function unmapped(id: string, osIds: string[], osvEcosystem: string): Distribution {
  return { id, osIds, packages: 'rpm', scheme: 'rpm', advisoryEcosystems: [osvEcosystem], namespace: () => undefined, bySource: false, manager: () => DNF, feeds: [] };
}

export const azureLinux = unmapped('azurelinux', ['azurelinux', 'mariner'], 'Azure Linux');
export const photon = unmapped('photon', ['photon'], 'Photon OS');
export const openEuler = unmapped('openeuler', ['openEuler'], 'openEuler');
export const mageia = unmapped('mageia', ['mageia'], 'Mageia');
