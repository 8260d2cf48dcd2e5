import { VigilError } from '../common/errors.js';
import { componentKey } from '../common/identity.js';
import type { Component } from '../common/model.js';
import type { Delta } from './delta.js';
import { canonicalJson, compareUtf8, componentContent, inventoryMap, type InventoryMap } from '../common/inventory-digest.js';

export {
  DIGEST_FIELDS,
  canonicalJson,
  compareUtf8,
  componentContent,
  inventoryDigest,
  inventoryMap,
  type AllComponentFieldsDecided,
  type InventoryMap,
} from '../common/inventory-digest.js';
/** Identity of a component: the same package found at the same places. NUL cannot occur in a purl or path. */
export { componentKey };

export function diffInventories(
  prev: Iterable<Component> | InventoryMap,
  next: Iterable<Component> | InventoryMap,
): { added: Component[]; removed: string[] } {
  const a = prev instanceof Map ? prev : inventoryMap(prev);
  const b = next instanceof Map ? next : inventoryMap(next);
  const added: Component[] = [];
  const removed: string[] = [];
  for (const [key, c] of a) {
    const n = b.get(key);
    if (n === undefined) removed.push(key);
    else if (canonicalJson(componentContent(n)) !== canonicalJson(componentContent(c))) {
      removed.push(key);
      added.push(componentContent(n));
    }
  }
  for (const [key, n] of b) if (!a.has(key)) added.push(componentContent(n));
  removed.sort(compareUtf8);
  added.sort((x, y) => compareUtf8(componentKey(x), componentKey(y)));
  return { added, removed };
}

/**
 * The inventory after a delta. A delta that removes what is absent or adds what is
 * present was computed against another state (or is being applied twice), so it is
 * refused rather than silently half-applied.
 */
export function applyDelta(prev: InventoryMap, delta: Pick<Delta, 'added' | 'removed'>): InventoryMap {
  const next: InventoryMap = new Map(prev);
  for (const key of delta.removed) {
    if (!next.delete(key)) throw new VigilError('INVALID_INPUT', `delta removes a component that is not in the inventory: ${printable(key)}`);
  }
  for (const c of delta.added) {
    const key = componentKey(c);
    if (next.has(key)) throw new VigilError('INVALID_INPUT', `delta adds a component that is already in the inventory: ${printable(key)}`);
    next.set(key, componentContent(c));
  }
  return next;
}

function printable(key: string): string {
  return key.replaceAll('\0', ' ');
}

/**
 * One delta equal to applying `deltas` in order, for a backlog sent as a single
 * catch-up message. Works without the base inventory: under `applyDelta`'s rules the
 * first operation on a key tells whether the base held it (a removal) or not (an add).
 */
export function composeDeltas(deltas: readonly Delta[]): Delta {
  if (deltas.length === 0) throw new VigilError('INTERNAL', 'cannot compose an empty list of deltas');
  const inBase = new Map<string, boolean>();
  const final = new Map<string, Component | undefined>();
  for (const d of deltas) {
    for (const key of d.removed) {
      if (!inBase.has(key)) inBase.set(key, true);
      final.set(key, undefined);
    }
    for (const c of d.added) {
      const key = componentKey(c);
      if (!inBase.has(key)) inBase.set(key, false);
      final.set(key, componentContent(c));
    }
  }
  const added: Component[] = [];
  const removed: string[] = [];
  for (const [key, was] of inBase) {
    const c = final.get(key);
    if (was) removed.push(key);
    if (c !== undefined) added.push(c);
  }
  removed.sort(compareUtf8);
  added.sort((x, y) => compareUtf8(componentKey(x), componentKey(y)));
  const first = deltas[0]!;
  const last = deltas[deltas.length - 1]!;
  const latest = <K extends 'facts' | 'os' | 'kernel'>(k: K): Delta[K] => [...deltas].reverse().find((d) => d[k] !== undefined)?.[k];
  const facts = latest('facts');
  const os = latest('os');
  const kernel = latest('kernel');
  return {
    agentId: last.agentId,
    epoch: last.epoch,
    baseSeq: first.baseSeq,
    seq: last.seq,
    added,
    removed,
    ports: last.ports,
    ...(facts !== undefined ? { facts } : {}),
    ...(os !== undefined ? { os } : {}),
    ...(kernel !== undefined ? { kernel } : {}),
    digestAfter: last.digestAfter,
    ...(last.digestVersion ? { digestVersion: last.digestVersion } : {}),
  };
}
