import { VigilError } from '../errors.js';

/**
 * The life of a host, as the server keeps it.
 *
 *   enrolled → online ⇄ offline          (a stream opens / ends)
 *   enrolled | online | offline → enrolled (the same machine enrols again)
 *   enrolled | online | offline → revoked → deleted
 *
 * - enrolled: holds a certificate it has not yet opened a stream with.
 * - online / offline: it has a stream open / had one. A server that starts finds
 *   nobody connected, so it turns every online host offline.
 * - re-enrolment: the same machine (the agent's machine id, see agent/machine-id.ts)
 *   enrolling again with a valid token keeps its host: same id, findings and
 *   history; the new certificate replaces the old one, which is refused from then
 *   on. The machine id is a claim, not a credential: only an operator's token lets
 *   an enrolment bind to a host, so taking a host over takes the same token a new
 *   host takes, and the host's previous agent is cut off (and says so) at once.
 * - revoked: an operator decision. The host takes no more inventory, its open
 *   findings close with reason `host-revoked`, and the machine cannot enrol again
 *   until the host is deleted (CONFLICT): a revocation is never undone by a token.
 * - deleted: the host, its inventory and its findings are removed; only a revoked
 *   host can be deleted. The machine may then enrol again, as a new host.
 */
export type HostState = 'enrolled' | 'online' | 'offline' | 'revoked' | 'deleted';

export const HOST_STATES: readonly HostState[] = ['enrolled', 'online', 'offline', 'revoked', 'deleted'];

/** The state a host is created in. */
export const HOST_INITIAL: HostState = 'enrolled';

/** Every allowed transition, from → to → what causes it. Nothing else happens. */
export const HOST_TRANSITIONS: Readonly<Record<HostState, Readonly<Partial<Record<HostState, string>>>>> = {
  enrolled: { online: 'first stream opened', enrolled: 're-enrolled before connecting', revoked: 'revoked' },
  online: { offline: 'stream ended', enrolled: 're-enrolled: new certificate', revoked: 'revoked' },
  offline: { online: 'stream opened', enrolled: 're-enrolled: new certificate', revoked: 'revoked' },
  revoked: { deleted: 'deleted' },
  deleted: {},
};

export function hostTransitionAllowed(from: HostState, to: HostState): boolean {
  return HOST_TRANSITIONS[from][to] !== undefined;
}

export interface HostTransition {
  hostId: string;
  from: HostState;
  to: HostState;
}

const observers = new Set<(t: HostTransition) => void>();

/** Called with every transition validated from now on; returns the function that stops it. */
export function observeHostTransitions(fn: (t: HostTransition) => void): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}

function refusal(hostId: string, from: HostState, to: HostState): string {
  if (from === 'revoked' && to === 'enrolled') return `host ${hostId} was revoked; delete it (vigil hosts delete ${hostId}) before this machine enrols again`;
  if (from === 'revoked') return `host ${hostId} is revoked; it can only be deleted`;
  if (to === 'deleted') return `host ${hostId} is ${from}, not revoked; revoke it first (vigil hosts revoke ${hostId})`;
  if (from === 'deleted') return `host ${hostId} was deleted`;
  return `host ${hostId} cannot go from ${from} to ${to}`;
}

/**
 * The one gate every change of a host's state passes: returns when `from → to` is
 * in HOST_TRANSITIONS, else throws CONFLICT saying what the current state allows.
 */
export function hostTransition(hostId: string, from: HostState, to: HostState): void {
  if (!hostTransitionAllowed(from, to)) throw new VigilError('CONFLICT', refusal(hostId, from, to));
  for (const fn of observers) fn({ hostId, from, to });
}

export function isHostState(s: string): s is HostState {
  return (HOST_STATES as readonly string[]).includes(s);
}
