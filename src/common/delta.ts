import type { Component, HostFacts, KernelInfo, ListeningPort, OsInfo } from './model.js';

/**
 * One change to a host's inventory: what the agent queues in its outbox, the wire's
 * Delta message carries and the fleet store applies (DESIGN.md §4). `baseSeq` is the
 * seq it applies on top of (0 for an epoch's first delta, applied to the empty
 * inventory); `removed` holds component keys (`componentKey`); a component whose
 * content changed is removed and added again. The host state fields (`ports`,
 * `facts`, `os`, `kernel`, `inUse`) are absent when unchanged and replace the
 * previous value whole when present.
 */
export interface InventoryDelta {
  /** Changes whenever the agent rebuilds its local state; seqs restart with it. */
  epoch: number;
  baseSeq: number;
  seq: number;
  added: Component[];
  removed: string[];
  /** Every listening socket. */
  ports?: ListeningPort[];
  facts?: HostFacts;
  os?: OsInfo;
  kernel?: KernelInfo;
  /** The component keys of every component a running process executes or maps (live hosts only). */
  inUse?: string[];
  /** `inventoryDigest` of the inventory after the delta. */
  digestAfter: string;
}

/** A host's runtime state besides its components: what a snapshot's last chunk and a delta carry. */
export type HostStateFields = Pick<InventoryDelta, 'ports' | 'facts' | 'os' | 'kernel' | 'inUse'>;
