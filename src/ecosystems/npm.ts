import type { LanguageEcosystem } from './types.js';
import { projectDir, shellQuote as q } from './types.js';

/** npm packages (lockfiles and installed `node_modules`), GHSA/OSV namespace `npm`, npm's own range semantics. */
export const npm: LanguageEcosystem = {
  id: 'npm',
  namespace: 'npm',
  osvExport: { folder: 'npm', feed: 'npm' },
  collected: true,
  scheme: 'semver',
  lookup: (c) => [{ namespace: 'npm', package: c.name, version: c.version, scheme: 'semver', via: 'direct' }],
  names: (key) => [key],
  manager: 'npm',
  remediation: (c, fixed) => (fixed ? `npm install ${q(`${c.name}@${fixed}`)}` : undefined),
  planCommands: (groups) => [`npm install ${groups.map((g) => q(`${g.package}@${g.fixedVersion}`)).join(' ')}`],
  where: projectDir,
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    npm: true;
  }
}
