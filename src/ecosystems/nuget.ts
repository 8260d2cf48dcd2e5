import type { LanguageEcosystem } from './types.js';
import { nameKeys, projectDir, shellQuote as q } from './types.js';

/**
 * NuGet packages of .NET projects (`packages.lock.json`) and applications (`*.deps.json`),
 * namespace `NuGet`, ordered as NuGet.Versioning orders them. Package ids are
 * case-insensitive: GHSA spells them as nuget.org does (`Newtonsoft.Json`), lock files as
 * the project referenced them, and both are keyed in lower case.
 */
export const nuget: LanguageEcosystem = {
  id: 'nuget',
  namespace: 'NuGet',
  nameKey: nameKeys.lower,
  osvExport: { folder: 'NuGet', feed: 'nuget' },
  collected: true,
  scheme: 'nuget',
  lookup: (c) => [{ namespace: 'NuGet', package: c.name, version: c.version, scheme: 'nuget', via: 'direct' }],
  // The key is the lower-cased id; the fleet store compares components by the same key.
  names: (key) => [key],
  manager: 'dotnet',
  remediation: (c, fixed) => (fixed ? `dotnet add package ${q(c.name)} --version ${q(fixed)}` : undefined),
  // `dotnet add package` takes one package at a time.
  planCommands: (groups) => groups.map((g) => `dotnet add package ${q(g.package)} --version ${q(g.fixedVersion)}`),
  where: projectDir,
};

declare module '../common/model.js' {
  interface ComponentEcosystems {
    nuget: true;
  }
}
