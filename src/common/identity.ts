import type { Component } from './model.js';

/**
 * A component's identity everywhere in Vigil (inventory dedup, agent deltas, the
 * wire, the fleet store, finding ids): its purl and its sorted locations, NUL
 * separated. One definition, so agent and server can never disagree on a key.
 */
export function componentKey(c: Pick<Component, 'purl' | 'locations'>): string {
  const locs = c.locations.length > 1 ? [...c.locations].sort() : c.locations;
  return locs.length ? `${c.purl}\u0000${locs.join('\u0000')}` : c.purl;
}
