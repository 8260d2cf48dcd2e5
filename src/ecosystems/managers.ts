import type { Component } from '../common/model.js';
import { type OsPackageManager, shellQuote as q } from './types.js';

/** The OS package managers remediation names, one definition each. */

export const APT: OsPackageManager = {
  name: 'apt',
  refresh: 'apt-get update',
  upgrade: (n) => `apt-get install --only-upgrade ${n.map(q).join(' ')}`,
  // The fixed version is the source package's; the binary's own may carry a +bN suffix.
  upgradeOne: (c) => `apt-get install --only-upgrade ${q(c.name)}`,
  held: (n) => `held (apt-mark hold): apt-get will not upgrade it until "apt-mark unhold ${n}"`,
};

function rpmTarget(c: Component, fixed: string | undefined): string {
  return q(fixed ? `${c.name}-${fixed.replace(/^\d+:/, '')}` : c.name);
}

export const DNF: OsPackageManager = {
  name: 'dnf',
  refresh: 'dnf makecache --refresh',
  upgrade: (n) => `dnf upgrade ${n.map(q).join(' ')}`,
  upgradeOne: (c, fixed) => `dnf upgrade ${rpmTarget(c, fixed)}`,
  held: (n) => `locked (dnf versionlock): dnf will not upgrade it until "dnf versionlock delete ${n}"`,
};

export const YUM: OsPackageManager = {
  name: 'yum',
  refresh: 'yum makecache',
  upgrade: (n) => `yum update ${n.map(q).join(' ')}`,
  upgradeOne: (c, fixed) => `yum update ${rpmTarget(c, fixed)}`,
  held: (n) => `locked (yum versionlock): yum will not update it until "yum versionlock delete ${n}"`,
};

export const ZYPPER: OsPackageManager = {
  name: 'zypper',
  refresh: 'zypper refresh',
  upgrade: (n) => `zypper update ${n.map(q).join(' ')}`,
  upgradeOne: (c) => `zypper update ${q(c.name)}`,
  held: (n) => `locked (zypper addlock): zypper will not update it until "zypper removelock ${n}"`,
};

export const APK: OsPackageManager = {
  name: 'apk',
  refresh: 'apk update',
  upgrade: (n) => `apk add --upgrade ${n.map(q).join(' ')}`,
  upgradeOne: (c) => `apk add --upgrade ${q(c.name)}`,
  held: () => 'held: apk will not upgrade it',
};
