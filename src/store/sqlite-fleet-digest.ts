import type Database from 'better-sqlite3';
import type { InventoryDelta } from '../common/delta.js';
import { inventoryDigest } from '../common/inventory-digest.js';
import { DigestState, type DigestVersion } from '../common/inventory-lthash.js';
import type { Component } from '../common/model.js';
import { componentNameKey } from '../advisories/keys.js';
import { componentKey, purlName, type DigestFn, type InventoryHead } from './fleet-store.js';

/**
 * How the fleet store keeps a host's inventory digest (sqlite-fleet.ts). `inventories.lthash`
 * holds the host's 2 KiB LtHash state when its digest is v2 (common/inventory-lthash.ts) and
 * is NULL when it is v1, so the `digest` column always says which construction it holds.
 * A v2 delta reads the old rows of the keys it removes or replaces and nothing else; a
 * v1 delta recomputes the digest over the host's whole inventory, as v1 must.
 */
export interface DigestRows {
  stmt<P extends unknown[], R = unknown>(sql: string): Database.Statement<P, R>;
  components(hostId: string): Component[];
  insertComponent(hostId: string, c: Component): void;
}

/** A host's component rows over the store's statement cache. */
export function componentRows(stmt: DigestRows['stmt']): DigestRows {
  return {
    stmt,
    components: (hostId) =>
      stmt<[string], { doc: string }>('SELECT doc FROM components WHERE host_id = ? ORDER BY key')
        .all(hostId)
        .map((r) => JSON.parse(r.doc) as Component),
    insertComponent: (hostId, c) =>
      stmt('INSERT OR REPLACE INTO components (host_id, key, ecosystem, name, source_name, purl_name, doc, name_key, source_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        hostId,
        componentKey(c),
        c.ecosystem,
        c.name,
        c.source?.name ?? null,
        purlName(c.purl),
        JSON.stringify(c),
        componentNameKey(c.ecosystem, c.name),
        c.source ? componentNameKey(c.ecosystem, c.source.name) : null,
      ),
  };
}

/** The digest after the delta's removals and additions, written to the host's rows and, for v2, its state. */
export function applyComponents(rows: DigestRows, hostId: string, delta: InventoryDelta, version: DigestVersion, lthash: Buffer | null, v1: DigestFn): { digest: string; lthash: Buffer | null } {
  const del = rows.stmt('DELETE FROM components WHERE host_id = ? AND key = ?');
  if (version === 1) {
    for (const key of delta.removed) del.run(hostId, key);
    for (const c of delta.added) rows.insertComponent(hostId, c);
    return { digest: v1(rows.components(hostId)), lthash: null };
  }
  // A host whose digest was v1 (or that predates the column) gets its state once from its components.
  const state = lthash ? DigestState.fromBuffer(lthash) : DigestState.of(rows.components(hostId));
  const old = rows.stmt<[string, string], { doc: string }>('SELECT doc FROM components WHERE host_id = ? AND key = ?');
  for (const key of delta.removed) {
    const row = old.get(hostId, key);
    if (!row) continue;
    state.remove(JSON.parse(row.doc) as Component);
    del.run(hostId, key);
  }
  for (const c of delta.added) {
    // An add over a key still held replaces its row (INSERT OR REPLACE), so its old contribution goes too.
    const row = old.get(hostId, componentKey(c));
    if (row) state.remove(JSON.parse(row.doc) as Component);
    state.add(c);
    rows.insertComponent(hostId, c);
  }
  return { digest: state.digest(), lthash: state.toBuffer() };
}

/**
 * The host's epoch, seq and digest in `version`. A host whose stored digest is the
 * other version has it recomputed from its components once, and stored: the agent
 * that speaks for it changed digest versions.
 */
export function inventoryHead(rows: DigestRows, hostId: string, version: DigestVersion): InventoryHead | undefined {
  const inv = rows.stmt<[string], { epoch: number; seq: number; digest: string; lthash: Buffer | null }>('SELECT epoch, seq, digest, lthash FROM inventories WHERE host_id = ?').get(hostId);
  if (!inv) return undefined;
  const stored: DigestVersion = inv.lthash ? 2 : 1;
  if (stored === version) return { epoch: inv.epoch, seq: inv.seq, digest: inv.digest, digestVersion: version };
  let digest: string;
  let lthash: Buffer | null = null;
  if (version === 2) {
    const state = DigestState.of(rows.components(hostId));
    digest = state.digest();
    lthash = state.toBuffer();
  } else digest = inventoryDigest(rows.components(hostId));
  rows.stmt('UPDATE inventories SET digest = ?, lthash = ? WHERE host_id = ?').run(digest, lthash, hostId);
  return { epoch: inv.epoch, seq: inv.seq, digest, digestVersion: version };
}
