import { VigilError, type ErrorCode } from '../errors.js';

/**
 * The life of a running agent (`vigil agent run`), as the daemon goes through it.
 *
 *   starting → collecting → connecting → online
 *   connecting | online → backing-off | refused → connecting      (the stream ended)
 *   collecting | backing-off | refused → no-identity               (the certificate vanished)
 *   every state but stopped → stopping → stopped
 *
 * - starting: the outbox and the saved inventory are opened and reconciled.
 * - collecting: the first collection of this run is committed as a delta.
 * - connecting: a stream is open and its hello sent; the server's welcome is awaited.
 *   `attempt` counts the streams that ended since the last welcome.
 * - online: the server welcomed the stream (at its `epoch` and `seq`, or asking for a
 *   `snapshot`, which was sent); deltas and heartbeats flow until the stream ends.
 * - backing-off: the stream ended with a status the same stream may get past later;
 *   the next one opens at `until` (a random wait below the attempt's cap).
 * - refused: the server ended the stream with a status that is not retryable (a
 *   revoked host, a replaced certificate); waiters for a sync were told `code`, and
 *   the next stream opens at `until`, the longest interval.
 * - no-identity: the agent's certificate vanished from its state directory; no stream
 *   opens until the agent is enrolled again and restarted.
 * - stopping / stopped: stop() was called / everything it waited for has ended.
 *
 * Collections after the first (watch, schedule, rescan, commands, ports) run in any
 * of connecting, online, backing-off and refused: they are no state of their own.
 */
export type AgentState =
  | { kind: 'starting' }
  | { kind: 'collecting' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'online'; epoch: number; seq: number; snapshot: boolean }
  | { kind: 'backing-off'; attempt: number; until: number; reason: string }
  | { kind: 'refused'; code: ErrorCode; attempt: number; until: number }
  | { kind: 'no-identity' }
  | { kind: 'stopping' }
  | { kind: 'stopped' };

export type AgentStateKind = AgentState['kind'];

export const AGENT_STATE_KINDS: readonly AgentStateKind[] = ['starting', 'collecting', 'connecting', 'online', 'backing-off', 'refused', 'no-identity', 'stopping', 'stopped'];

/** The state a daemon is created in. */
export const AGENT_INITIAL: AgentState = { kind: 'starting' };

/** Every allowed transition, by kind. Nothing else happens. */
export const AGENT_TRANSITIONS: { readonly [K in AgentStateKind]: readonly AgentStateKind[] } = {
  starting: ['collecting', 'stopping'],
  collecting: ['connecting', 'no-identity', 'stopping'],
  connecting: ['online', 'backing-off', 'refused', 'stopping'],
  online: ['backing-off', 'refused', 'stopping'],
  'backing-off': ['connecting', 'no-identity', 'stopping'],
  refused: ['connecting', 'no-identity', 'stopping'],
  'no-identity': ['stopping'],
  stopping: ['stopped'],
  stopped: [],
};

export function agentTransitionAllowed(from: AgentStateKind, to: AgentStateKind): boolean {
  return AGENT_TRANSITIONS[from].includes(to);
}

export interface AgentTransition {
  agentId: string;
  from: AgentState;
  to: AgentState;
}

const observers = new Set<(t: AgentTransition) => void>();

/** Called with every transition validated from now on; returns the function that stops it. */
export function observeAgentTransitions(fn: (t: AgentTransition) => void): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}

/**
 * The one gate every change of an agent's state passes: returns `to` when its kind
 * is in AGENT_TRANSITIONS[from.kind], else throws INTERNAL (a bug in Vigil).
 */
export function agentTransition(agentId: string, from: AgentState, to: AgentState): AgentState {
  if (!agentTransitionAllowed(from.kind, to.kind)) throw new VigilError('INTERNAL', `agent ${agentId || '(not started)'} cannot go from ${from.kind} to ${to.kind}`);
  for (const fn of observers) fn({ agentId, from, to });
  return to;
}
