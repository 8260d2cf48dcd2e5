import type { LanguageEcosystem } from './types.js';
import { shellQuote as q } from './types.js';

/**
 * Go modules compiled into binaries (and `go.mod` of source trees), namespace `Go`. A
 * module compiled into a binary is fixed only by building the binary again, so the fix
 * is a rebuild of that binary, never a package upgrade.
 */
export const golang: LanguageEcosystem = {
  id: 'golang',
  namespace: 'Go',
  osvExport: { folder: 'Go', feed: 'go' },
  collected: true,
  scheme: 'go',
  lookup: (c) => [{ namespace: 'Go', package: c.name, version: c.version, scheme: 'go', via: 'direct' }],
  names: (key) => [key],
  manager: 'go',
  remediation: (c, fixed) => {
    if (!fixed) return undefined;
    const v = `v${fixed.replace(/^v/, '')}`;
    const where = c.locations[0] ? ` ${c.locations[0]}` : ' the binary';
    return c.name === 'stdlib' ? `rebuild${where} with Go ${fixed}` : `rebuild${where} with ${c.name} ${v} (go get ${q(`${c.name}@${v}`)}, then go build)`;
  },
  planCommands: (groups, where) => {
    const mods = groups.map((g) => (g.package === 'stdlib' ? `Go ${g.fixedVersion}` : `${g.package} v${g.fixedVersion.replace(/^v/, '')}`));
    return [`rebuild ${where} with ${mods.join(', ')}: the modules are compiled into the binary, so no package upgrade changes it`];
  },
  where: (location) => location || 'the binary',
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    golang: true;
  }
}
