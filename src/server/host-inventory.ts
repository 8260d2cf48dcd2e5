import { componentKey } from '../common/identity.js';
import type { Component, Inventory } from '../common/model.js';
import { vigilVersion } from '../common/version.js';
import type { MatchOptions } from '../matcher/match.js';
import type { Criticality } from '../matcher/score.js';
import type { HostRecord } from '../store/fleet-store.js';

/**
 * A host's inventory as the matcher takes it: the stored components with the host
 * state the agent last reported (release, kernel, sockets). Components in use are
 * marked from the set of keys the agent sent; a host that never sent one (an agent
 * that does not read processes, or a root that is not live) leaves `inUse` unknown.
 */
export function hostInventory(host: HostRecord, components: Component[]): Inventory {
  const used = host.facts.inUse && new Set(host.facts.inUse);
  if (used) components = components.map((c) => ({ ...c, inUse: used.has(componentKey(c)) }));
  const inv: Inventory = {
    schemaVersion: 1,
    tool: { name: 'vigil', version: vigilVersion() },
    target: { kind: 'host', path: '/' },
    scannedAt: host.lastSeenAt,
    components,
    problems: [],
  };
  if (host.facts.host) inv.host = host.facts.host;
  if (host.facts.os) inv.os = host.facts.os;
  if (host.facts.kernel) inv.kernel = host.facts.kernel;
  if (host.facts.ports) inv.ports = host.facts.ports;
  return inv;
}

/** The host's `criticality=` tag. */
export function hostCriticality(host: HostRecord): Criticality | undefined {
  const v = host.tags.find((t) => t.startsWith('criticality='))?.slice('criticality='.length);
  return v === 'high' || v === 'medium' || v === 'low' ? v : undefined;
}

/** In use is known, and scores, only for a host that reported which components are in use. */
export function hostMatchOptions(host: HostRecord): MatchOptions {
  const opts: MatchOptions = { inUseObserved: host.facts.inUse !== undefined };
  const criticality = hostCriticality(host);
  if (criticality) opts.criticality = criticality;
  return opts;
}
