import { componentKey } from '../common/identity.js';
import type { Component } from '../common/model.js';
import type { InventoryDelta } from '../common/delta.js';
import type { InventoryChangeInput, SqliteHostInventory } from '../store/sqlite-host-inventory.js';
import type { InventoryView } from './fleet-types.js';

/**
 * Summaries of the inventory changes a host's agent sent, for its history: a
 * component whose key went and another with the same package (its purl without the
 * version) came is one change `name from → to`; the rest were added or removed.
 */

/** `pkg:deb/debian/curl@7.88?arch=amd64` → `pkg:deb/debian/curl?arch=amd64`, `7.88`. */
function split(key: string): { pkg: string; version: string } {
  const purl = key.split('\0')[0]!;
  const m = /^([^@?#]*)@([^?#]*)(.*)$/.exec(purl);
  return m ? { pkg: `${m[1]}${m[3]}`, version: decodeURIComponent(m[2]!) } : { pkg: purl, version: '' };
}

const nameOf = (pkg: string): string => decodeURIComponent(pkg.replace(/[?#].*$/, '').split('/').at(-1) ?? pkg);

export function summarise(epoch: number, seq: number, kind: InventoryChangeInput['kind'], addedKeys: string[], removedKeys: string[]): InventoryChangeInput {
  const gone = new Map<string, string[]>();
  for (const k of removedKeys) {
    const s = split(k);
    gone.set(s.pkg, [...(gone.get(s.pkg) ?? []), s.version]);
  }
  const added: string[] = [];
  const changed: string[] = [];
  for (const k of addedKeys) {
    const s = split(k);
    const old = gone.get(s.pkg);
    if (old?.length) {
      const from = old.shift()!;
      if (!old.length) gone.delete(s.pkg);
      changed.push(`${nameOf(s.pkg)} ${from} → ${s.version}`);
    } else added.push(`${nameOf(s.pkg)} ${s.version}`);
  }
  const removed = [...gone].flatMap(([pkg, versions]) => versions.map((v) => `${nameOf(pkg)} ${v}`));
  return { epoch, seq, kind, added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

export function recordDelta(store: SqliteHostInventory, hostId: string, d: InventoryDelta, at: string): void {
  const added = d.added.map((c) => componentKey(c));
  if (added.length || d.removed.length) store.record(hostId, summarise(d.epoch, d.seq, 'delta', added, d.removed), at);
}

export function recordSnapshot(store: SqliteHostInventory, hostId: string, before: InventoryView | undefined, snap: { epoch: number; seq: number; components: Component[] }, at: string): void {
  const had = before?.components ?? {};
  const now = new Set(snap.components.map((c) => componentKey(c)));
  const added = [...now].filter((k) => !(k in had));
  const removed = Object.keys(had).filter((k) => !now.has(k));
  store.record(hostId, summarise(snap.epoch, snap.seq, 'snapshot', added, removed), at);
}
