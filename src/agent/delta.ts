import type { InventoryDelta } from '../common/delta.js';
import type { ListeningPort } from '../common/model.js';

/**
 * A delta as the agent's outbox keeps it: the inventory delta (common/delta.ts) with
 * the agent it belongs to, and always the full set of listening ports.
 */
export interface Delta extends InventoryDelta {
  agentId: string;
  ports: ListeningPort[];
  /** 2 when `digestAfter` is v2 (common/inventory-lthash.ts); absent in a record written before v2, whose digest is v1. Not sent: the stream's hello says the version. */
  digestVersion?: 2;
}
