import { createHash } from 'node:crypto';
import { VigilError } from '../common/errors.js';
import { componentKey } from '../common/identity.js';
import type { Component } from '../common/model.js';
import type { Delta } from './delta.js';

/**
 * The fields of a component that the digest covers and that deltas carry: everything
 * that matters for matching (identity, versions, source package) and for display
 * (licenses, which collector, collector facts).
 *
 * `inUse` is deliberately left out. It is a runtime observation that flips whenever a
 * process starts or stops; were it part of the inventory, every service restart would
 * queue a delta and change the digest although no package changed. It travels with
 * the port snapshot instead, which every delta carries whole. Ports are likewise not
 * part of the digest: they are not inventory, and the server replaces them per delta.
 */
export const DIGEST_FIELDS = [
  'ecosystem',
  'name',
  'version',
  'namespace',
  'arch',
  'epoch',
  'release',
  'source',
  'purl',
  'locations',
  'licenses',
  'foundBy',
  'metadata',
] as const satisfies readonly (keyof Component)[];

type AssertNever<T extends never> = T;
/** Fails to compile when a field is added to Component without deciding whether the digest covers it. */
export type AllComponentFieldsDecided = AssertNever<Exclude<keyof Component, (typeof DIGEST_FIELDS)[number] | 'inUse'>>;

/** Bumped whenever the canonical encoding changes, so old and new digests never collide. */
const DIGEST_PREFIX = 'vigil-inventory-v1\n';

export type InventoryMap = Map<string, Component>;

/** Identity of a component: the same package found at the same places. NUL cannot occur in a purl or path. */
export { componentKey };

/** The digest-covered part of a component, locations sorted, with absent fields dropped. */
export function componentContent(c: Component): Component {
  const out: Record<string, unknown> = {};
  for (const f of DIGEST_FIELDS) {
    const v = c[f];
    if (v === undefined) continue;
    out[f] = f === 'locations' ? [...(v as string[])].sort(compareUtf8) : v;
  }
  return out as unknown as Component;
}

/** JSON with object keys sorted and undefined members dropped: one text per value, in any language. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => compareUtf8(a, b));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

/**
 * Keyed inventory. Two components with one key should not happen; if a collector
 * produces them anyway, the one with the smallest encoding wins so that the result
 * does not depend on collection order.
 */
export function inventoryMap(components: Iterable<Component>): InventoryMap {
  const map: InventoryMap = new Map();
  const enc = new Map<string, string>();
  for (const c of components) {
    const key = componentKey(c);
    const content = componentContent(c);
    const text = canonicalJson(content);
    const seen = enc.get(key);
    if (seen !== undefined && compareUtf8(seen, text) <= 0) continue;
    map.set(key, content);
    enc.set(key, text);
  }
  return map;
}

/**
 * SHA-256 (hex) over `vigil-inventory-v1\n` followed by, for every component in
 * UTF-8 byte order of its key, the canonical JSON of its digest fields and `\n`.
 * JSON escapes newlines, so the separator is unambiguous.
 */
export function inventoryDigest(components: Iterable<Component> | InventoryMap): string {
  const map = components instanceof Map ? components : inventoryMap(components);
  const h = createHash('sha256').update(DIGEST_PREFIX);
  for (const key of [...map.keys()].sort(compareUtf8)) h.update(canonicalJson(componentContent(map.get(key)!)) + '\n');
  return h.digest('hex');
}

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

/** Byte order of the UTF-8 encodings, which UTF-16 string comparison does not give for astral characters. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
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
  const facts = [...deltas].reverse().find((d) => d.facts !== undefined)?.facts;
  return {
    agentId: last.agentId,
    epoch: last.epoch,
    baseSeq: first.baseSeq,
    seq: last.seq,
    added,
    removed,
    ports: last.ports,
    ...(facts !== undefined ? { facts } : {}),
    digestAfter: last.digestAfter,
  };
}
