import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';
import { REPO, makeRoot } from './helpers/fixtures.js';

/**
 * The design's layering (README "Architecture"): each layer of src/ and the layers it may
 * import. `.dependency-cruiser.cjs` holds the rules that enforce it; the planted tree
 * below proves those rules refuse exactly what this table refuses.
 */
const DESIGN: Record<string, string[]> = {
  common: [],
  inventory: ['common'],
  versions: ['common'],
  ecosystems: ['common', 'versions'],
  agent: ['common', 'inventory'],
  advisories: ['common', 'versions', 'ecosystems'],
  store: ['common', 'advisories'],
  matcher: ['common', 'versions', 'ecosystems', 'advisories', 'inventory', 'store'],
  server: ['common', 'versions', 'ecosystems', 'advisories', 'store', 'matcher', 'report'],
  report: ['common', 'advisories', 'store', 'matcher'],
  executor: ['common', 'versions', 'inventory'],
  checks: ['common', 'inventory', 'matcher'],
  cli: ['common', 'checks', 'inventory', 'versions', 'ecosystems', 'advisories', 'store', 'matcher', 'server', 'agent', 'executor', 'report'],
  bench: ['common', 'inventory', 'versions', 'ecosystems', 'advisories', 'store', 'matcher', 'server', 'agent', 'executor'],
};
const LAYERS = Object.keys(DESIGN);
const CONFIG = path.join(REPO, '.dependency-cruiser.cjs');

/** Cruises `src` under `baseDir` with Vigil's rule set and `baseDir`'s tsconfig.json. */
async function depcruise(baseDir: string): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(CONFIG);
  const tsConfigFile = path.join(baseDir, 'tsconfig.json');
  const { output } = await cruise(
    ['src'],
    { ...options, baseDir, tsConfig: { fileName: tsConfigFile } },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  if (typeof output === 'string') throw new Error(`dependency-cruiser returned text, not a result: ${output.slice(0, 200)}`);
  return output;
}

function describeViolation(v: IViolation): string {
  const cycle = v.cycle ? ` (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')})` : '';
  return `${v.rule.name}: ${v.from} → ${v.to}${cycle}`;
}

const violations = (r: ICruiseResult) => r.summary.violations.map(describeViolation).sort();

/** A throwaway tree with the repo's tsconfig.json and the given files. */
function tree(files: Record<string, string>) {
  const t = makeRoot(files);
  copyFileSync(path.join(REPO, 'tsconfig.json'), path.join(t.root, 'tsconfig.json'));
  return t;
}

describe('import layering (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  it('src/ breaks no rule: layers, cycles, orphans, imports outside src/', async () => {
    const result = await depcruise(REPO);
    expect(violations(result)).toEqual([]);
    // Nothing escaped the cruise: every source file of src/ was read.
    const cruised = new Set(result.modules.map((m) => m.source));
    const sources = readdirSync(path.join(REPO, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|js)$/.test(f))
      .map((f) => `src/${f.split(path.sep).join('/')}`);
    expect(sources.length).toBeGreaterThan(150);
    expect(sources.filter((f) => !cruised.has(f))).toEqual([]);
  });

  it('every top-level entry of src/ is a layer with a rule, and every layer rule is in the design', async () => {
    const { ruleSet } = await extractDepcruiseOptions(CONFIG);
    const layerRules = (ruleSet?.forbidden ?? []).map((r) => r.name ?? '').filter((n) => n.startsWith('layer-'));
    expect(layerRules.sort()).toEqual(LAYERS.map((l) => `layer-${l}`).sort());
    expect(readdirSync(path.join(REPO, 'src')).filter((d) => !(d in DESIGN))).toEqual([]);
  });

  it('the rules refuse exactly the imports the design refuses, layer by layer', async () => {
    const files: Record<string, string> = {};
    for (const layer of LAYERS) {
      files[`src/${layer}/target.ts`] = `export const here = '${layer}';\n`;
      for (const other of LAYERS.filter((l) => l !== layer)) {
        files[`src/${layer}/to-${other}.ts`] = `import { here } from '../${other}/target.js';\nexport const seen = here;\n`;
      }
    }
    const t = tree(files);
    try {
      const expected = LAYERS.flatMap((layer) =>
        LAYERS.filter((o) => o !== layer && !DESIGN[layer]!.includes(o)).map(
          (o) => `layer-${layer}: src/${layer}/to-${o}.ts → src/${o}/target.ts`,
        ),
      );
      expect(violations(await depcruise(t.root))).toEqual(expected.sort());
    } finally {
      t.cleanup();
    }
  });

  it('static, dynamic, side-effect and type-only imports, cycles, orphans and stray imports are all reported', async () => {
    const t = tree({
      'src/common/ok.ts': 'export const ok = 1;\n',
      'src/server/y.ts': "import { ok } from '../common/ok.js';\nexport type Y = number;\nexport const y: Y = ok;\n",
      'src/server/z.ts': 'process.title = "vigil";\n',
      'src/common/x.ts': "import { y } from '../server/y.js';\nexport const x = y;\n",
      'src/common/lazy.ts': "export async function lazy(): Promise<number> {\n  return (await import('../server/y.js')).y;\n}\n",
      'src/common/side.ts': "import '../server/z.js';\nexport const side = true;\n",
      'src/common/typed.ts': "import type { Y } from '../server/y.js';\nexport type T = Y;\n",
      'src/executor/run.ts': "import { y } from '../server/y.js';\nexport const run = y;\n",
      'src/inventory/a.ts': "import { b } from './b.js';\nexport const a = (): number => b();\n",
      // The way back is type-only: it closes the cycle all the same.
      'src/inventory/b.ts': "import type { a } from './a.js';\nexport const b = (): number => 1;\nexport type A = typeof a;\n",
      // A cycle made of type-only imports alone is refused too.
      'src/matcher/p.ts': "import type { Q } from './q.js';\nexport type P = { q?: Q };\n",
      'src/matcher/q.ts': "import type { P } from './p.js';\nexport type Q = { p?: P };\n",
      'src/versions/lonely.ts': 'export const lonely = 1;\n',
      'src/agent/stray.ts': "import { helper } from '../../test/helper.js';\nexport const stray = helper;\n",
      'test/helper.ts': 'export const helper = 1;\n',
      'src/store/broken.ts': "import { gone } from '../common/gone.js';\nexport const broken = gone;\n",
    });
    try {
      const result = await depcruise(t.root);
      expect(violations(result)).toEqual(
        [
          'layer-common: src/common/x.ts → src/server/y.ts',
          'layer-common: src/common/lazy.ts → src/server/y.ts',
          'layer-common: src/common/side.ts → src/server/z.ts',
          'layer-common: src/common/typed.ts → src/server/y.ts',
          'layer-executor: src/executor/run.ts → src/server/y.ts',
          'no-circular: src/inventory/a.ts → src/inventory/b.ts (cycle: src/inventory/a.ts → src/inventory/b.ts → src/inventory/a.ts)',
          'no-circular: src/matcher/p.ts → src/matcher/q.ts (cycle: src/matcher/p.ts → src/matcher/q.ts → src/matcher/p.ts)',
          'no-orphans: src/versions/lonely.ts → src/versions/lonely.ts',
          'src-stays-in-src: src/agent/stray.ts → test/helper.ts',
          'not-to-unresolvable: src/store/broken.ts → ../common/gone.js',
        ].sort(),
      );
      // Each kind of import was seen as what it is, not merely as text.
      const kinds = (from: string) => result.summary.violations.find((v) => v.from === from)?.dependencyTypes ?? [];
      expect(kinds('src/common/lazy.ts')).toContain('dynamic-import');
      expect(kinds('src/common/typed.ts')).toContain('type-only');
      expect(kinds('src/common/side.ts')).toContain('import');
      expect(kinds('src/common/x.ts')).toContain('import');
    } finally {
      t.cleanup();
    }
  });
});
