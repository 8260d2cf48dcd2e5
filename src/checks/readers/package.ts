import type { FactContext, FactReader } from '../fact-reader.js';
import type { Fact, PackageFact } from '../model.js';

/**
 * Whether a package is installed, from the inventory of the root's package
 * databases (dpkg, rpm, apk: Vigil's own collectors, read once per run). The value
 * is true when any of the named packages is installed.
 */

async function read(spec: PackageFact, ctx: FactContext): Promise<Fact> {
  const { components, problems } = await ctx.packages();
  const wanted = new Set(spec.names);
  const found = components.filter((c) => wanted.has(c.name));
  const notes = problems.length ? [`package databases: ${problems.join('; ')}`] : undefined;
  const evidence = found.length
    ? found.map((c) => ({ path: c.locations?.[0] ?? 'package database', text: `${c.name} ${c.version} installed` }))
    : [{ path: 'package database', text: `none of ${spec.names.join(', ')} installed (${components.length} packages read)` }];
  return { value: found.length > 0, evidence, ...(notes ? { notes } : {}) };
}

export const packageReader: FactReader<PackageFact> = { kind: 'package', expects: ['installed'], read };
