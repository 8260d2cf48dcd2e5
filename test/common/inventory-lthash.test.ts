import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { componentKey } from '../../src/common/identity.js';
import { inventoryDigest, inventoryMap } from '../../src/common/inventory-digest.js';
import { DigestState, LTHASH_BYTES, componentLanes, inventoryDigestV2 } from '../../src/common/inventory-lthash.js';
import type { Component } from '../../src/common/model.js';
import { fixtureComponents, randomInventory, rng, shuffle } from '../agent/fixture-components.js';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'inventory-digest');
interface Vectors {
  empty: string;
  components: Array<{ component: Component; key: string; lanesHead: number[]; lanesSha256: string }>;
  all: { stateSha256: string; digest: string };
  v1: { digest: string };
  withoutFirst: { digest: string };
}
const VECTORS = JSON.parse(readFileSync(path.join(DIR, 'v2-vectors.json'), 'utf8')) as Vectors;

let pool: Component[];
beforeAll(async () => {
  pool = await fixtureComponents();
});

describe('inventory digest v2 (LtHash16)', () => {
  it('matches the published test vectors: each component’s lanes, the state, the digest, the empty inventory', () => {
    const comps = VECTORS.components.map((v) => v.component);
    for (const v of VECTORS.components) {
      expect(componentKey(v.component)).toBe(v.key);
      const lanes = componentLanes(v.component);
      expect([...lanes.slice(0, 8)]).toEqual(v.lanesHead);
      expect(createHash('sha256').update(Buffer.from(lanes.buffer, lanes.byteOffset, lanes.byteLength)).digest('hex')).toBe(v.lanesSha256);
    }
    const all = DigestState.of(comps);
    expect(createHash('sha256').update(all.toBuffer()).digest('hex')).toBe(VECTORS.all.stateSha256);
    expect(all.digest()).toBe(VECTORS.all.digest);
    expect(inventoryDigestV2(comps)).toBe(VECTORS.all.digest);
    expect(inventoryDigestV2(comps.slice(1))).toBe(VECTORS.withoutFirst.digest);
    expect(inventoryDigestV2([])).toBe(VECTORS.empty);
    expect(DigestState.empty().toBuffer()).toEqual(Buffer.alloc(LTHASH_BYTES));
  });

  it('leaves v1 as it was: the vectors’ v1 digest, and v1 and v2 never agree', () => {
    const comps = VECTORS.components.map((v) => v.component);
    expect(inventoryDigest(comps)).toBe(VECTORS.v1.digest);
    expect(inventoryDigest(comps)).not.toBe(inventoryDigestV2(comps));
    expect(inventoryDigest([])).not.toBe(inventoryDigestV2([]));
  });

  it('is reproduced by the independent Python implementation on random real inventories', () => {
    const rand = rng(11);
    for (let i = 0; i < 3; i++) {
      const values = [...inventoryMap(randomInventory(pool, rand)).values()];
      const py = execFileSync('python3', [path.join(DIR, 'v2-vectors.py'), '--digest'], { input: JSON.stringify(shuffle(values, rand)) }).toString().trim();
      expect(py).toBe(inventoryDigestV2(values));
    }
  });

  it('does not depend on the order of components, and ignores inUse', () => {
    const rand = rng(3);
    for (let i = 0; i < 10; i++) {
      const inv = randomInventory(pool, rand);
      expect(inventoryDigestV2(shuffle(inv, rand))).toBe(inventoryDigestV2(inv));
      expect(inventoryDigestV2(inv.map((c) => ({ ...c, inUse: !c.inUse })))).toBe(inventoryDigestV2(inv));
    }
  });

  it('keeps one entry per key as inventoryMap does: a duplicate key does not count twice', () => {
    const c = pool[0]!;
    const edited = { ...c, licenses: ['LicenseRef-other'] };
    expect(inventoryDigestV2([c, c])).toBe(inventoryDigestV2([c]));
    expect(inventoryDigestV2([c, edited])).toBe(inventoryDigestV2([edited, c]));
    expect(inventoryDigestV2([c, edited])).toBe(inventoryDigestV2(inventoryMap([c, edited])));
  });

  it('add then remove is the identity, and a changed field changes the digest', () => {
    const base = DigestState.of(pool.slice(0, 20));
    const before = base.digest();
    for (const c of pool.slice(20, 40)) base.add(c);
    expect(base.digest()).not.toBe(before);
    for (const c of shuffle(pool.slice(20, 40), rng(5))) base.remove(c);
    expect(base.digest()).toBe(before);
    const c = pool[0]!;
    expect(inventoryDigestV2([{ ...c, version: `${c.version}1` }])).not.toBe(inventoryDigestV2([c]));
    expect(inventoryDigestV2([{ ...c, locations: [...c.locations, '/elsewhere'] }])).not.toBe(inventoryDigestV2([c]));
  });

  it('updated incrementally equals the state computed from scratch, over random sequences of adds, removes and changes', () => {
    const rand = rng(2024);
    const state = DigestState.empty();
    const held = new Map<string, Component>();
    for (let step = 0; step < 400; step++) {
      const c = pool[Math.floor(rand() * pool.length)]!;
      const key = componentKey(c);
      const old = held.get(key);
      if (old && rand() < 0.5) {
        state.remove(old);
        held.delete(key);
      } else if (old) {
        // Same identity, new content: removed and added again, as a delta carries it.
        const next = { ...old, licenses: [...(old.licenses ?? []), `LicenseRef-${step}`] };
        state.remove(old).add(next);
        held.set(key, next);
      } else {
        state.add(c);
        held.set(key, c);
      }
      if (step % 50 === 0) expect(state.digest()).toBe(inventoryDigestV2(held.values()));
    }
    expect(state.equals(DigestState.of(held.values()))).toBe(true);
    expect(state.digest()).toBe(inventoryDigestV2(held.values()));
  });

  it('round-trips its 2 KiB state and refuses a buffer of another size', () => {
    const s = DigestState.of(pool.slice(0, 30));
    const back = DigestState.fromBuffer(s.toBuffer());
    expect(back.equals(s)).toBe(true);
    expect(back.digest()).toBe(s.digest());
    const clone = s.clone().add(pool[40]!);
    expect(clone.equals(s)).toBe(false);
    expect(() => DigestState.fromBuffer(Buffer.alloc(100))).toThrow(/100 bytes, not 2048/);
  });
});
