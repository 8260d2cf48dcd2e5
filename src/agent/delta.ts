import type { InventoryDelta } from '../common/delta.js';
import type { ListeningPort } from '../common/model.js';

/**
 * A delta as the agent's outbox keeps it: the inventory delta (common/delta.ts) with
 * the agent it belongs to, and always the full set of listening ports.
 */
export interface Delta extends InventoryDelta {
  agentId: string;
  ports: ListeningPort[];
}
