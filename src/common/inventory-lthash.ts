import { createHash } from 'node:crypto';
import { VigilError } from './errors.js';
import { componentKey } from './identity.js';
import { canonicalJson, componentContent, inventoryMap, type InventoryMap } from './inventory-digest.js';
import type { Component } from './model.js';

/**
 * Inventory digest v2: an additive multiset hash (Bellare–Micciancio, in the lattice
 * form Facebook published as LtHash16), so adding or removing one component changes
 * the digest in time independent of the inventory's size.
 *
 * The state is 1024 unsigned 16-bit lanes (2 KiB). A component contributes
 * H(c) = SHAKE128(`vigil-inventory-v2\n` + canonical JSON of its key + `\n` +
 * canonical JSON of componentContent(c)), 2048 bytes read as 1024 little-endian
 * uint16; the state is the lane-wise sum mod 2^16 of every component's H, so adding
 * is lane-wise addition and removing lane-wise subtraction, in any order. The empty
 * inventory is the all-zero state. The digest the wire carries is SHA-256 (hex) of
 * `vigil-inventory-v2\n` + the state's 2048 bytes (lanes little-endian).
 */
export const LTHASH_PREFIX = 'vigil-inventory-v2\n';
export const LTHASH_LANES = 1024;
export const LTHASH_BYTES = LTHASH_LANES * 2;

/** Which construction a digest string holds: 1 is SHA-256 over the sorted inventory (inventoryDigest), 2 the LtHash's. */
export type DigestVersion = 1 | 2;

/** H(c): the lanes one component adds to the state. */
export function componentLanes(c: Component): Uint16Array {
  const text = `${LTHASH_PREFIX}${canonicalJson(componentKey(c))}\n${canonicalJson(componentContent(c))}`;
  const bytes = createHash('shake128', { outputLength: LTHASH_BYTES }).update(text, 'utf8').digest();
  const lanes = new Uint16Array(LTHASH_LANES);
  for (let i = 0; i < LTHASH_LANES; i++) lanes[i] = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
  return lanes;
}

/** The running LtHash of an inventory: 2 KiB whatever its size. Uint16Array arithmetic wraps mod 2^16 by itself. */
export class DigestState {
  private constructor(private readonly lanes: Uint16Array) {}

  /** The empty inventory's state. */
  static empty(): DigestState {
    return new DigestState(new Uint16Array(LTHASH_LANES));
  }

  /** The state of a whole inventory, one entry per key as inventoryMap keeps it. */
  static of(components: Iterable<Component> | InventoryMap): DigestState {
    const map = components instanceof Map ? components : inventoryMap(components);
    const s = DigestState.empty();
    for (const c of map.values()) s.add(c);
    return s;
  }

  /** A state from its 2048 bytes (toBuffer); anything else is refused. */
  static fromBuffer(buf: Uint8Array): DigestState {
    if (buf.length !== LTHASH_BYTES) throw new VigilError('INVALID_INPUT', `inventory digest state is ${buf.length} bytes, not ${LTHASH_BYTES}`);
    const lanes = new Uint16Array(LTHASH_LANES);
    for (let i = 0; i < LTHASH_LANES; i++) lanes[i] = buf[2 * i]! | (buf[2 * i + 1]! << 8);
    return new DigestState(lanes);
  }

  add(c: Component): this {
    const h = componentLanes(c);
    for (let i = 0; i < LTHASH_LANES; i++) this.lanes[i] = this.lanes[i]! + h[i]!;
    return this;
  }

  remove(c: Component): this {
    const h = componentLanes(c);
    for (let i = 0; i < LTHASH_LANES; i++) this.lanes[i] = this.lanes[i]! - h[i]!;
    return this;
  }

  clone(): DigestState {
    return new DigestState(new Uint16Array(this.lanes));
  }

  equals(other: DigestState): boolean {
    return this.lanes.every((v, i) => v === other.lanes[i]);
  }

  /** The 2048 bytes of the state, lanes little-endian. */
  toBuffer(): Buffer {
    const buf = Buffer.alloc(LTHASH_BYTES);
    for (let i = 0; i < LTHASH_LANES; i++) buf.writeUInt16LE(this.lanes[i]!, 2 * i);
    return buf;
  }

  /** The digest string the wire carries (same field, same 64 hex characters as v1). */
  digest(): string {
    return createHash('sha256').update(LTHASH_PREFIX).update(this.toBuffer()).digest('hex');
  }
}

/** Digest v2 of a whole inventory. */
export function inventoryDigestV2(components: Iterable<Component> | InventoryMap): string {
  return DigestState.of(components).digest();
}
