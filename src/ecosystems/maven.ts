import type { LanguageEcosystem } from './types.js';
import { projectDir } from './types.js';

/** Java archives' Maven coordinates, namespace `Maven` keyed `group:artifact`; an artifact without its group is not looked up. */
export const maven: LanguageEcosystem = {
  id: 'maven',
  namespace: 'Maven',
  osvExport: { folder: 'Maven', feed: 'maven' },
  collected: true,
  scheme: 'maven',
  lookup: (c) => (c.namespace ? [{ namespace: 'Maven', package: `${c.namespace}:${c.name}`, version: c.version, scheme: 'maven', via: 'direct' }] : []),
  names: (key) => [key.slice(key.lastIndexOf(':') + 1)],
  manager: 'maven',
  remediation: (c, fixed) => (fixed ? `upgrade ${c.namespace}:${c.name} to ${fixed} in the build (pom.xml or build.gradle)` : undefined),
  planCommands: (groups) => groups.map((g) => `upgrade ${g.package} to ${g.fixedVersion} in the build`),
  where: projectDir,
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    maven: true;
  }
}
