import type { Collector } from './collector.js';
import { apkCollector } from './collectors/apk.js';
import { composerInstalledCollector } from './collectors/composer-installed.js';
import { composerLockCollector } from './collectors/composer-lock.js';
import { dotnetDepsCollector } from './collectors/dotnet-deps.js';
import { cargoLockCollector } from './collectors/cargo-lock.js';
import { cargoAuditableCollector } from './collectors/cargo-auditable.js';
import { dpkgCollector } from './collectors/dpkg.js';
import { gemInstalledCollector } from './collectors/gem-installed.js';
import { gemfileLockCollector } from './collectors/gemfile-lock.js';
import { goBinaryCollector } from './collectors/go-binary.js';
import { goModCollector } from './collectors/go-mod.js';
import { javaArchiveCollector } from './collectors/java-archive.js';
import { npmInstalledCollector } from './collectors/npm-installed.js';
import { npmLockCollector } from './collectors/npm-lock.js';
import { nugetLockCollector } from './collectors/nuget-lock.js';
import { pacmanCollector } from './collectors/pacman.js';
import { pythonCollector } from './collectors/python.js';
import { rpmBdbCollector } from './collectors/rpm-bdb.js';
import { rpmNdbCollector } from './collectors/rpm-ndb.js';
import { rpmSqliteCollector } from './collectors/rpm-sqlite.js';

/**
 * Every collector Vigil runs, in the order their results are merged. Adding an
 * ecosystem means adding its file and one line here.
 */
export const COLLECTORS: readonly Collector[] = [
  dpkgCollector,
  apkCollector,
  rpmSqliteCollector,
  rpmBdbCollector,
  rpmNdbCollector,
  pacmanCollector,
  npmLockCollector,
  npmInstalledCollector,
  pythonCollector,
  javaArchiveCollector,
  goBinaryCollector,
  goModCollector,
  nugetLockCollector,
  dotnetDepsCollector,
  composerLockCollector,
  composerInstalledCollector,
  cargoLockCollector,
  cargoAuditableCollector,
  gemfileLockCollector,
  gemInstalledCollector,
];
