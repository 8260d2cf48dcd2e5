import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Component } from '../../src/common/model.js';
import {
  applyDelta,
  componentKey,
  diffInventories,
  inventoryDigest,
  inventoryMap,
  type InventoryMap,
} from '../../src/agent/inventory-state.js';
import { fixtureComponents, randomInventory, rng, shuffle } from './fixture-components.js';

let pool: Component[];
beforeAll(async () => {
  pool = await fixtureComponents();
});

function entries(m: InventoryMap): Array<[string, Component]> {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('component identity and the inventory digest', () => {
  it('draws on a real pool of dpkg and apk components', () => {
    expect(pool.length).toBeGreaterThan(50);
    expect(new Set(pool.map((c) => c.ecosystem))).toEqual(new Set(['deb', 'apk']));
  });

  it('keys a component by purl and its sorted locations', () => {
    const c = pool[0]!;
    const key = componentKey({ ...c, locations: ['/b', '/a'] });
    expect(key).toBe(`${c.purl}\0/a\0/b`);
    expect(componentKey({ ...c, locations: ['/a', '/b'] })).toBe(key);
  });

  it('does not depend on the order of components or of their locations', () => {
    const rand = rng(1);
    for (let i = 0; i < 20; i++) {
      const inv = randomInventory(pool, rand);
      const reordered = shuffle(inv, rand).map((c) => ({ ...c, locations: [...c.locations].reverse() }));
      expect(inventoryDigest(reordered)).toBe(inventoryDigest(inv));
    }
  });

  it('ignores inUse and changes with any field that matters for matching or display', () => {
    const inv = pool.slice(0, 10);
    const base = inventoryDigest(inv);
    expect(inventoryDigest(inv.map((c) => ({ ...c, inUse: true })))).toBe(base);
    expect(inventoryDigest([{ ...inv[0]!, version: inv[0]!.version + '1' }, ...inv.slice(1)])).not.toBe(base);
    expect(inventoryDigest([{ ...inv[0]!, licenses: ['MIT'] }, ...inv.slice(1)])).not.toBe(base);
    expect(inventoryDigest([{ ...inv[0]!, source: { name: 'other' } }, ...inv.slice(1)])).not.toBe(base);
    expect(inventoryDigest(inv.slice(1))).not.toBe(base);
  });

  it('of the empty inventory is the hash of the format tag alone', () => {
    expect(inventoryDigest([])).toBe(createHash('sha256').update('vigil-inventory-v1\n').digest('hex'));
  });

  it('is reproduced by an independent Python implementation of the written definition', () => {
    const values = [...inventoryMap(pool).values()];
    const script = `
import hashlib, json, sys
comps = json.load(sys.stdin)
h = hashlib.sha256(b"vigil-inventory-v1\\n")
def key(c): return "\\0".join([c["purl"], *sorted(c["locations"])])
for c in sorted(comps, key=lambda c: key(c).encode()):
    c = {k: v for k, v in c.items() if k != "inUse"}
    c["locations"] = sorted(c["locations"])
    h.update((json.dumps(c, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\\n").encode())
print(h.hexdigest())`;
    const py = execFileSync('python3', ['-c', script], { input: JSON.stringify(shuffle(values, rng(7))) }).toString().trim();
    expect(py).toBe(inventoryDigest(values));
  });
});

describe('diff and apply', () => {
  it('apply(prev, diff(prev, next)) equals next and the digests agree, for random real inventories', () => {
    const rand = rng(42);
    for (let i = 0; i < 200; i++) {
      const prev = randomInventory(pool, rand);
      const next = randomInventory(pool, rand);
      const d = diffInventories(prev, next);
      const applied = applyDelta(inventoryMap(prev), d);
      expect(entries(applied)).toEqual(entries(inventoryMap(next)));
      expect(inventoryDigest(applied)).toBe(inventoryDigest(next));
    }
  });

  it('sends a component whose content changed under the same key as removed and added', () => {
    const prev = pool.slice(0, 5);
    const edited = { ...prev[2]!, licenses: ['LicenseRef-edited'] };
    const d = diffInventories(prev, [...prev.slice(0, 2), edited, ...prev.slice(3)]);
    expect(d.removed).toEqual([componentKey(edited)]);
    expect(d.added.map(componentKey)).toEqual([componentKey(edited)]);
    expect(d.added[0]!.licenses).toEqual(['LicenseRef-edited']);
  });

  it('finds nothing to send when only inUse changed', () => {
    const prev = pool.slice(0, 5);
    expect(diffInventories(prev, prev.map((c) => ({ ...c, inUse: true })))).toEqual({ added: [], removed: [] });
  });

  it('refuses to apply a delta twice', () => {
    const prev = pool.slice(0, 5);
    const next = pool.slice(3, 9);
    const d = diffInventories(prev, next);
    const once = applyDelta(inventoryMap(prev), d);
    expect(() => applyDelta(once, d)).toThrow(/not in the inventory|already in the inventory/);
  });
});
