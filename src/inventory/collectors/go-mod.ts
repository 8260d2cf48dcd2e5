import type { Component } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { problem } from '../problems.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { goModModules, parseGoMod, parseGoSum } from './go-mod.parse.js';

/**
 * Go modules required by the `go.mod` files of source trees (a Go project checked
 * out or shipped as source, Debian's `golang-*-dev` packages under /usr/share/gocode),
 * with the go.sum beside it read when the go.mod predates Go 1.17's complete lists.
 * What a built program really contains comes from the binary (go-binary); these are
 * what building the tree would use, so each carries `evidence` (go.mod or go.sum),
 * `indirect` and the requiring `module`.
 */

const NAME = 'go-mod';
const MAX_GO_MOD_BYTES = 4 * 1024 * 1024;
const MAX_GO_SUM_BYTES = 32 * 1024 * 1024;

function golang(path: string, version: string, location: string, metadata: NonNullable<Component['metadata']>): Component {
  const slash = path.lastIndexOf('/');
  return {
    ecosystem: 'golang',
    name: path,
    version,
    purl: formatPurl({ type: 'golang', namespace: slash > 0 ? path.slice(0, slash) : undefined, name: slash > 0 ? path.slice(slash + 1) : path, version }),
    locations: [location],
    foundBy: NAME,
    metadata,
  };
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult): Promise<void> {
  const text = await readCollectorText(ctx, NAME, file, MAX_GO_MOD_BYTES, 'go.mod', out.problems);
  if (text === undefined) return;
  const mod = parseGoMod(text);
  if (mod.errors.length) {
    const shown = mod.errors.slice(0, 3).join('; ');
    out.problems.push(problem(NAME, file, 'malformed-record', `${shown}${mod.errors.length > 3 ? ` (and ${mod.errors.length - 3} more)` : ''}`));
  }
  let sum: Map<string, string> | undefined;
  const sumFile = file.slice(0, -'go.mod'.length) + 'go.sum';
  if (mod.requires.length > 0 && !mod.requires.some((r) => r.indirect)) {
    const sumText = await readCollectorText(ctx, NAME, sumFile, MAX_GO_SUM_BYTES, 'go.sum', out.problems);
    if (sumText !== undefined) {
      const parsed = parseGoSum(sumText);
      sum = parsed.versions;
      if (parsed.errors.length) out.problems.push(problem(NAME, sumFile, 'malformed-record', `${parsed.errors.slice(0, 3).join('; ')}${parsed.errors.length > 3 ? ` (and ${parsed.errors.length - 3} more)` : ''}`));
    }
  }
  for (const m of goModModules(mod, sum)) {
    const meta: NonNullable<Component['metadata']> = { evidence: m.evidence, indirect: m.indirect };
    if (mod.module) meta.module = mod.module;
    if (mod.go) meta.goDirective = mod.go;
    if (m.replaces) Object.assign(meta, { replaces: m.replaces, requiredVersion: m.requiredVersion });
    out.components.push(golang(m.path, m.version, file, meta));
  }
}

export const goModCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants(_path: string, basename: string): boolean {
    return basename === 'go.mod';
  },
  collect(ctx: CollectContext): Promise<CollectResult> {
    return collectEach(ctx, 'go.mod files', collectFile);
  },
};
