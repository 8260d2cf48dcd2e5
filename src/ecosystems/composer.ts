import type { LanguageEcosystem } from './types.js';
import { nameKeys, projectDir, shellQuote as q } from './types.js';

/**
 * PHP packages of Composer projects (`composer.lock`, `vendor/composer/installed.json`),
 * namespace `Packagist`, ordered as composer/semver orders them. Names are `vendor/name`,
 * which Composer compares case-insensitively.
 */

/** The project directory: `/app` of `/app/composer.lock` and of `/app/vendor/composer/installed.json`. */
function composerProject(location: string): string {
  const m = /^(.*)\/[^/]+\/composer\/installed\.json$/.exec(location);
  return m ? m[1] || '/' : projectDir(location);
}

export const composer: LanguageEcosystem = {
  id: 'composer',
  namespace: 'Packagist',
  nameKey: nameKeys.lower,
  osvExport: { folder: 'Packagist', feed: 'packagist' },
  collected: true,
  scheme: 'composer',
  lookup: (c) => [{ namespace: 'Packagist', package: c.name, version: c.version, scheme: 'composer', via: 'direct' }],
  names: (key) => [key],
  manager: 'composer',
  // An inline constraint: the project's own constraint still applies, so a fix within its range is taken.
  remediation: (c, fixed) => (fixed ? `composer update ${q(`${c.name}:>=${fixed}`)}` : undefined),
  planCommands: (groups) => [`composer update ${groups.map((g) => q(`${g.package}:>=${g.fixedVersion}`)).join(' ')}`],
  where: composerProject,
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    composer: true;
  }
}
