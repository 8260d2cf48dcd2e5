import type { InventoryView } from './fleet-types.js';

/** The components a rescan added, removed and changed (RescanResult in connect-service.ts). */
export interface RescanChanges {
  added: Array<{ key: string; version: string }>;
  removed: Array<{ key: string; version: string }>;
  changed: Array<{ key: string; from: string; to: string }>;
}

/** What a rescan changed, from the inventory views before and after: a key gone and one of the same package come is one change. */
export function diffViews(a: InventoryView | undefined, b: InventoryView | undefined): RescanChanges {
  const before = a?.components ?? {};
  const after = b?.components ?? {};
  const byName = (key: string): string => key.split('\0')[0]!.replace(/@[^?#]*/, '');
  const added: RescanChanges['added'] = [];
  const removed: RescanChanges['removed'] = [];
  const changed: RescanChanges['changed'] = [];
  const gone = new Map<string, { key: string; version: string }>();
  for (const [key, version] of Object.entries(before)) if (!(key in after)) gone.set(byName(key), { key, version });
  for (const [key, version] of Object.entries(after)) {
    if (key in before) continue;
    const old = gone.get(byName(key));
    if (old) {
      gone.delete(byName(key));
      changed.push({ key, from: old.version, to: version });
    } else added.push({ key, version });
  }
  for (const r of gone.values()) removed.push(r);
  return { added, removed, changed };
}
