import type { Component, HostFacts, KernelInfo, ListeningPort, OsInfo } from '../common/model.js';

/**
 * One change to a host's inventory, as the agent queues it and the server applies it.
 * `baseSeq` is the seq the delta applies on top of (0 for the first delta of an
 * epoch, applied to the empty inventory), so a server that holds a different seq
 * knows it must not apply it. `removed` holds component keys (see `componentKey`);
 * a component whose content changed is removed and added again.
 */
export interface Delta {
  agentId: string;
  /** Changes whenever the agent rebuilds its local state; seqs restart with it. */
  epoch: number;
  baseSeq: number;
  seq: number;
  added: Component[];
  removed: string[];
  /** The full set of listening ports at the time of the delta, not a difference. */
  ports: ListeningPort[];
  facts?: HostFacts;
  /** Set when the release or the kernel changed since the previous delta. */
  os?: OsInfo;
  kernel?: KernelInfo;
  /** `inventoryDigest` of the inventory after applying the delta. */
  digestAfter: string;
}
