/**
 * Vigil's own JSON: the inventory itself, lossless, with order-free lists sorted and object
 * keys sorted at every depth, so equal inventories are equal bytes and diffs stay small.
 */
import type { Inventory } from '../../common/model.js';
import { canonicalJson, normaliseInventory } from './common.js';

export function renderJson(inv: Inventory): string {
  return canonicalJson(normaliseInventory(inv), 2) + '\n';
}
