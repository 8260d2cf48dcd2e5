import type { Distribution, OsPackageManager } from './types.js';
import { shellQuote as q } from './types.js';

/**
 * pacman as remediation names it. Arch supports only whole-system upgrades (a database
 * refresh without the upgrade leaves a partial one), so the refresh step is `pacman
 * -Syu`; `-S --needed` then names the packages to bring up, and is a no-op for those
 * already current.
 */
export const PACMAN: OsPackageManager = {
  name: 'pacman',
  refresh: 'pacman -Syu',
  upgrade: (n) => `pacman -S --needed ${n.map(q).join(' ')}`,
  upgradeOne: (c) => `pacman -S --needed ${q(c.name)}`,
  held: (n) => `ignored (IgnorePkg in /etc/pacman.conf): pacman -Syu will not upgrade it until ${n} is taken out of IgnorePkg`,
};

/**
 * Arch Linux: pacman packages (purl type `alpm`), ordered by pacman's vercmp. A
 * rolling release: every host is the one namespace `Arch Linux`, whatever its
 * os-release says of a build (`BUILD_ID=rolling`, an image's dated VERSION_ID). Vigil
 * bundles and reads no Arch advisory data, so a scan says its OS packages were not
 * checked rather than that they have no known vulnerabilities.
 */
export const arch: Distribution = {
  id: 'arch',
  osIds: ['arch'],
  packages: 'alpm',
  scheme: 'pacman',
  advisoryEcosystems: ['Arch Linux'],
  namespace: () => 'Arch Linux',
  bySource: false,
  manager: () => PACMAN,
  feeds: [],
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    alpm: true;
  }
}
