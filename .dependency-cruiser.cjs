/**
 * Vigil's import layering, checked by dependency-cruiser (test/layering.test.ts runs it
 * over src/; `npx depcruise src --config .dependency-cruiser.cjs` prints the same report).
 *
 * Each top-level directory of src/ is a layer and may import only itself and the layers
 * listed for it. Every kind of import counts: static, `import type`, side-effect
 * (`import './x.js'`) and dynamic (`await import('./x.js')`). `cli` and `bench` wire
 * everything; nothing imports them.
 */
const LAYERS = {
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

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: allowed.length
    ? `src/${layer} imports only ${allowed.join(', ')} of Vigil`
    : `src/${layer} imports nothing of Vigil`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: '^src/', pathNot: `^src/(${[layer, ...allowed].join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'No module of src/ reaches itself again through its imports',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'Every module of src/ imports or is imported by another: a lone file is dead code',
      severity: 'error',
      from: { path: '^src/', orphan: true },
      to: {},
    },
    {
      name: 'src-stays-in-src',
      comment: 'src/ imports only src/, installed packages and Node built-ins (never test/ or scripts/)',
      severity: 'error',
      from: { path: '^src/' },
      // An installed package may resolve outside the checkout (node_modules linked in from elsewhere).
      to: { pathNot: '^(src|node_modules)/|(^|/)node_modules/', dependencyTypesNot: ['core'], couldNotResolve: false },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that cannot be resolved could hide a crossing of layers',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
