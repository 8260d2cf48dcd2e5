import type { Component } from '../common/model.js';
import type { LanguageEcosystem } from './types.js';
import { nameKeys, projectDir, shellQuote as q } from './types.js';

/**
 * Rust crates of `Cargo.lock`, namespace `crates.io` (RustSec and GHSA), SemVer. Only
 * crates from crates.io are looked up: a path or git dependency or a crate of another
 * registry may share a name with a crates.io crate without being it.
 */
function fromCratesIo(c: Component): boolean {
  const source = c.metadata?.source;
  return source === undefined || source === 'crates.io';
}

export const cargo: LanguageEcosystem = {
  id: 'cargo',
  namespace: 'crates.io',
  nameKey: nameKeys.lower,
  osvExport: { folder: 'crates.io', feed: 'crates.io' },
  collected: true,
  scheme: 'semver',
  lookup: (c) => (fromCratesIo(c) ? [{ namespace: 'crates.io', package: c.name, version: c.version, scheme: 'semver', via: 'direct' }] : []),
  // crates.io names are case-insensitive; the advisory index keys them in lower case, and so does the fleet store.
  names: (key) => [key],
  manager: 'cargo',
  remediation: (c, fixed) => (fixed ? `cargo update -p ${q(c.name)} --precise ${q(fixed)}` : undefined),
  planCommands: (groups) => groups.map((g) => `cargo update -p ${q(g.package)} --precise ${q(g.fixedVersion)}`),
  where: projectDir,
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    cargo: true;
  }
}
