import type { Component } from '../common/model.js';
import type { LanguageEcosystem } from './types.js';
import { shellQuote as q } from './types.js';

/**
 * Ruby gems (Bundler lockfiles and installed specifications), namespace `RubyGems`
 * (GHSA, RubySec), ordered as `Gem::Version` orders. Gems of a lockfile's `GIT` and
 * `PATH` sections are not looked up: a fork or a local checkout is not the published gem.
 * A project's gems are fixed by Bundler in its directory; a gem installed in a gem home
 * by `gem install` into that home.
 */

/** A gem home is named after the Ruby ABI version it serves (`/var/lib/gems/3.1.0`, `~/.gem/ruby/3.1.0`). */
const GEM_HOME = /\/(?:gems|ruby)\/[0-9]+\.[0-9]+\.[0-9]+$/;

function published(c: Component): boolean {
  const source = c.metadata?.source;
  return source !== 'git' && source !== 'path';
}

/** The project directory of a lockfile or a `vendor/bundle` gem, else the gem home of an installed specification. */
function where(location: string): string {
  if (location.includes('/vendor/bundle/')) return location.slice(0, location.indexOf('/vendor/bundle/')) || '/';
  const spec = location.lastIndexOf('/specifications/');
  if (spec >= 0) return location.slice(0, spec) || '/';
  return location.replace(/\/[^/]*$/, '') || '/';
}

export const gem: LanguageEcosystem = {
  id: 'gem',
  namespace: 'RubyGems',
  osvExport: { folder: 'RubyGems', feed: 'rubygems' },
  collected: true,
  scheme: 'gem',
  lookup: (c) => (published(c) ? [{ namespace: 'RubyGems', package: c.name, version: c.version, scheme: 'gem', via: 'direct' }] : []),
  names: (key) => [key],
  manager: 'bundler',
  remediation: (c, fixed) => {
    if (!fixed) return undefined;
    const home = where(c.locations[0] ?? '');
    return GEM_HOME.test(home) ? `gem install --install-dir ${q(home)} ${q(c.name)} -v ${q(fixed)}` : `bundle update ${q(c.name)}`;
  },
  planCommands: (groups, dir) =>
    GEM_HOME.test(dir)
      ? groups.map((g) => `gem install --install-dir ${q(dir)} ${q(g.package)} -v ${q(g.fixedVersion)}`)
      : [`bundle update ${groups.map((g) => q(g.package)).join(' ')}`],
  where,
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    gem: true;
  }
}
