import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/fixtures.js';

/**
 * Dependencies point one way (see CONTRIBUTING.md and the design's layering):
 * `common` imports nothing of Vigil, and only `cli` and `bench` wire every layer.
 */
const ALLOWED: Record<string, string[]> = {
  common: [],
  inventory: ['common'],
  agent: ['common', 'inventory'],
  versions: ['common'],
  advisories: ['common', 'versions'],
  store: ['common', 'versions', 'advisories'],
  matcher: ['common', 'versions', 'advisories', 'inventory', 'store'],
  server: ['common', 'inventory', 'versions', 'advisories', 'store', 'matcher'],
  executor: ['common', 'versions', 'inventory'],
  cli: ['common', 'inventory', 'versions', 'advisories', 'store', 'matcher', 'server', 'agent', 'executor'],
  bench: ['common', 'inventory', 'versions', 'advisories', 'store', 'matcher', 'server', 'agent', 'executor'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('import layering', () => {
  const src = path.join(REPO, 'src');
  it.each(Object.keys(ALLOWED))('%s imports only the layers below it', (layer) => {
    const bad: string[] = [];
    for (const file of files(path.join(src, layer))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = path.relative(src, path.resolve(path.dirname(file), m[1]!)).split(path.sep)[0]!;
        if (target !== layer && !ALLOWED[layer]!.includes(target)) bad.push(`${path.relative(src, file)} → ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every top-level directory of src has a rule', () => {
    expect(readdirSync(src).filter((d) => !(d in ALLOWED))).toEqual([]);
  });
});
