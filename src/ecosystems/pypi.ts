import type { LanguageEcosystem } from './types.js';
import { nameKeys, projectDir, shellQuote as q } from './types.js';

/** Python distributions (site-packages metadata, requirements and lock files), namespace `PyPI`, PEP 440. */
export const pypi: LanguageEcosystem = {
  id: 'pypi',
  namespace: 'PyPI',
  nameKey: nameKeys.pep503,
  osvExport: { folder: 'PyPI', feed: 'pypi' },
  collected: true,
  scheme: 'pep440',
  lookup: (c) => [{ namespace: 'PyPI', package: c.name, version: c.version, scheme: 'pep440', via: 'direct' }],
  // The key is the normalised name; the fleet store compares components by the same key.
  names: (key) => [key],
  manager: 'pip',
  remediation: (c, fixed) => (fixed ? `pip install ${q(`${c.name}>=${fixed}`)}` : undefined),
  planCommands: (groups) => [`pip install ${groups.map((g) => q(`${g.package}>=${g.fixedVersion}`)).join(' ')}`],
  where: projectDir,
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    pypi: true;
  }
}
