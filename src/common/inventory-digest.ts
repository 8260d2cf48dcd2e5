import { createHash } from 'node:crypto';
import { componentKey } from './identity.js';
import type { Component } from './model.js';

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

/** Byte order of the UTF-8 encodings, which UTF-16 string comparison does not give for astral characters. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

