import type { Distribution } from './types.js';
import { major } from './types.js';
import { DNF, YUM } from './managers.js';

/**
 * The Enterprise Linux family, rpm with binary package names: AlmaLinux and Rocky
 * Linux publish OSV records (`AlmaLinux:9`, `Rocky Linux:9`); Red Hat Enterprise
 * Linux, CentOS Stream and Oracle Linux have namespaces of their own (`Red Hat:9`,
 * `CentOS:9`, `Oracle Linux:9`) but no feed Vigil reads yet, so a scan of them says
 * its OS packages were not checked rather than "clean".
 */

const namespace = (prefix: string) => (os: { versionId?: string }) => (os.versionId ? `${prefix}:${major(os.versionId)}` : undefined);
/** dnf from release 8; release 7 has yum only. */
const managerOf = (versionId: string | undefined) => (Number(major(versionId)) <= 7 ? YUM : DNF);

export const almalinux: Distribution = {
  id: 'almalinux', osIds: ['almalinux'], packages: 'rpm', scheme: 'rpm', advisoryEcosystems: ['AlmaLinux'],
  namespace: namespace('AlmaLinux'), bySource: false, manager: () => DNF, feeds: ['osv'],
  osvExport: { folder: 'AlmaLinux', feed: 'almalinux' },
};

export const rocky: Distribution = {
  id: 'rocky', osIds: ['rocky'], packages: 'rpm', scheme: 'rpm', advisoryEcosystems: ['Rocky Linux'],
  namespace: namespace('Rocky Linux'), bySource: false, manager: () => DNF, feeds: ['osv'],
  osvExport: { folder: 'Rocky Linux', feed: 'rocky-linux' },
};

export const rhel: Distribution = {
  id: 'rhel', osIds: ['rhel'], packages: 'rpm', scheme: 'rpm', advisoryEcosystems: ['Red Hat'],
  namespace: namespace('Red Hat'), bySource: false, manager: managerOf, feeds: [],
};

export const centos: Distribution = {
  id: 'centos', osIds: ['centos'], packages: 'rpm', scheme: 'rpm', advisoryEcosystems: ['CentOS'],
  namespace: namespace('CentOS'), bySource: false, manager: managerOf, feeds: [],
};

export const oracle: Distribution = {
  id: 'oracle', osIds: ['ol'], packages: 'rpm', scheme: 'rpm', advisoryEcosystems: ['Oracle Linux'],
  namespace: namespace('Oracle Linux'), bySource: false, manager: managerOf, feeds: [],
};


declare module '../common/model.js' {
  interface ComponentEcosystems {
    rpm: true;
  }
}
