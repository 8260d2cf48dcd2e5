import type { LanguageEcosystem } from './types.js';
import { projectDir } from './types.js';

/**
 * Ecosystems whose advisories Vigil reads (so their records are ordered by the right
 * scheme) but whose packages no collector inventories yet: NuGet.
 * Their components would be looked up under the OSV namespace by name.
 */
function advisoryOnly(id: LanguageEcosystem['id'], namespace: string, scheme: LanguageEcosystem['scheme']): LanguageEcosystem {
  return {
    id,
    namespace,
    collected: false,
    scheme,
    lookup: (c) => [{ namespace, package: c.name, version: c.version, scheme, via: 'direct' }],
    names: (key) => [key],
    manager: id,
    remediation: (c, fixed) => (fixed ? `upgrade ${c.name} to ${fixed} in the project` : undefined),
    planCommands: (groups) => groups.map((g) => `upgrade ${g.package} to ${g.fixedVersion} in the project`),
    where: projectDir,
  };
}

export const nuget = advisoryOnly('nuget', 'NuGet', 'nuget');
