import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryDelta } from '../../src/common/delta.js';
import { componentKey } from '../../src/common/identity.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import { DigestState, inventoryDigestV2 } from '../../src/common/inventory-lthash.js';
import type { Component } from '../../src/common/model.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { fixtureComponents } from '../agent/fixture-components.js';
import { tempDir } from '../helpers/fixtures.js';

/**
 * The fleet store's digest v2: a host's LtHash state kept in `inventories.lthash`,
 * updated from each delta's components alone, converted from and to v1 once when the
 * agent speaking for the host changes digest versions.
 */

const NOW = '2026-03-01T00:00:00.000Z';
let pool: Component[];
let tmp: { dir: string; cleanup: () => void };
let file: string;
let store: SqliteFleetStore;

beforeAll(async () => {
  pool = await fixtureComponents();
});
beforeEach(() => {
  tmp = tempDir('vigil-digest2-');
  file = path.join(tmp.dir, 'fleet.db');
  store = new SqliteFleetStore(file);
  store.upsertHost({ id: 'h1', hostname: 'h1.example', facts: {}, tags: [], agentVersion: 'test', certFingerprint: 'fp' }, NOW);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

function snapshotV2(components: Component[]): void {
  const state = DigestState.of(components);
  store.replaceInventory('h1', 1, 1, components, state.digest(), state.toBuffer());
}

/** The delta from what the store holds to `to`, with `to`'s digest in `version`. */
function deltaTo(to: Component[], version: 1 | 2): InventoryDelta {
  const held = store.inventory('h1')!;
  const have = new Map(held.components.map((c) => [componentKey(c), JSON.stringify(c)]));
  const want = new Map(to.map((c) => [componentKey(c), c]));
  return {
    epoch: held.epoch,
    baseSeq: held.seq,
    seq: held.seq + 1,
    added: [...want].filter(([k, c]) => have.get(k) !== JSON.stringify(c)).map(([, c]) => c),
    removed: [...have.keys()].filter((k) => !want.has(k) || have.get(k) !== JSON.stringify(want.get(k))),
    digestAfter: version === 2 ? inventoryDigestV2(to) : inventoryDigest(to),
  };
}

function lthashOf(): Buffer | null {
  const raw = new Database(file, { readonly: true });
  try {
    return (raw.prepare("SELECT lthash FROM inventories WHERE host_id = 'h1'").get() as { lthash: Buffer | null }).lthash;
  } finally {
    raw.close();
  }
}

describe('digest v2 in the fleet store', () => {
  it('applies v2 deltas (adds, removes, a changed component) with the digest of the resulting inventory, and keeps the state beside it', () => {
    let inv = pool.slice(0, 40);
    snapshotV2(inv);
    const steps: Component[][] = [
      [...inv, ...pool.slice(40, 45)],
      pool.slice(3, 45),
      pool.slice(3, 45).map((c, i) => (i === 7 ? { ...c, licenses: ['LicenseRef-edited'] } : c)),
    ];
    for (const next of steps) {
      const d = deltaTo(next, 2);
      expect(store.applyDelta('h1', d, inventoryDigest, 2)).toEqual({ outcome: 'applied', seq: d.seq });
      inv = next;
      expect(store.inventory('h1')!.digest).toBe(inventoryDigestV2(inv));
      expect(DigestState.fromBuffer(lthashOf()!).equals(DigestState.of(inv))).toBe(true);
    }
    expect(store.inventoryHead('h1', 2)).toEqual({ epoch: 1, seq: 4, digest: inventoryDigestV2(inv), digestVersion: 2 });
  });

  it('refuses a v2 delta whose digest is not the result’s and leaves the host as it was', () => {
    snapshotV2(pool.slice(0, 20));
    const bad = { ...deltaTo(pool.slice(0, 21), 2), digestAfter: inventoryDigest(pool.slice(0, 21)) };
    expect(store.applyDelta('h1', bad, inventoryDigest, 2)).toEqual({ outcome: 'digest-mismatch', seq: 1 });
    expect(store.inventory('h1')!.components).toHaveLength(20);
    expect(DigestState.fromBuffer(lthashOf()!).equals(DigestState.of(pool.slice(0, 20)))).toBe(true);
    expect(store.applyDelta('h1', deltaTo(pool.slice(0, 21), 2), inventoryDigest, 2).outcome).toBe('applied');
  });

  it('reads only the rows a v2 delta touches: a row it does not touch is not read, where a v1 delta reads them all', () => {
    snapshotV2(pool.slice(0, 30));
    // Another connection rewrites a row the next delta does not touch, behind the store's back.
    const raw = new Database(file);
    raw.prepare("UPDATE components SET doc = json_set(doc, '$.version', '0-tampered') WHERE host_id = 'h1' AND key = ?").run(componentKey(pool[5]!));
    raw.close();
    const add = (n: number, seq: number, digestAfter: string): InventoryDelta => ({ epoch: 1, baseSeq: seq - 1, seq, added: [pool[n]!], removed: [], digestAfter });
    expect(store.applyDelta('h1', add(30, 2, inventoryDigestV2(pool.slice(0, 31))), inventoryDigest, 2).outcome).toBe('applied');
    // v1 recomputes over every row, the tampered one included, and so disagrees with the agent.
    expect(store.applyDelta('h1', add(31, 3, inventoryDigest(pool.slice(0, 32))), inventoryDigest, 1).outcome).toBe('digest-mismatch');
  });

  it('computes the state once from the components of a host whose digest is v1, then goes on from the stored state', () => {
    const inv = pool.slice(0, 25);
    store.replaceInventory('h1', 1, 1, inv, inventoryDigest(inv));
    expect(lthashOf()).toBeNull();
    expect(store.inventoryHead('h1', 1)).toEqual({ epoch: 1, seq: 1, digest: inventoryDigest(inv), digestVersion: 1 });
    const next = pool.slice(1, 26);
    expect(store.applyDelta('h1', deltaTo(next, 2), inventoryDigest, 2).outcome).toBe('applied');
    expect(DigestState.fromBuffer(lthashOf()!).equals(DigestState.of(next))).toBe(true);
    expect(store.inventory('h1')!.digest).toBe(inventoryDigestV2(next));
  });

  it('converts the stored digest when the host’s agent changes versions: v1 to v2 at a hello or heartbeat, and back', () => {
    const inv = pool.slice(0, 25);
    store.replaceInventory('h1', 1, 1, inv, inventoryDigest(inv));
    expect(store.inventoryHead('h1', 2)).toEqual({ epoch: 1, seq: 1, digest: inventoryDigestV2(inv), digestVersion: 2 });
    expect(store.inventory('h1')!.digest).toBe(inventoryDigestV2(inv));
    expect(lthashOf()).not.toBeNull();
    // An older agent speaks for the host again: v1, and the state goes.
    expect(store.inventoryHead('h1', 1)).toEqual({ epoch: 1, seq: 1, digest: inventoryDigest(inv), digestVersion: 1 });
    expect(lthashOf()).toBeNull();
    const next = pool.slice(0, 26);
    expect(store.applyDelta('h1', deltaTo(next, 1), inventoryDigest, 1).outcome).toBe('applied');
    expect(store.inventory('h1')!.digest).toBe(inventoryDigest(next));
    expect(lthashOf()).toBeNull();
  });

  it('a v1 delta on a host whose digest is v2 leaves a v1 digest and no state', () => {
    snapshotV2(pool.slice(0, 10));
    expect(store.applyDelta('h1', deltaTo(pool.slice(0, 11), 1), inventoryDigest, 1).outcome).toBe('applied');
    expect(lthashOf()).toBeNull();
    expect(store.inventoryHead('h1', 1)!.digest).toBe(inventoryDigest(pool.slice(0, 11)));
  });
});
