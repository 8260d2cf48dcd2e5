import { VigilError } from '../errors.js';

/**
 * The life of a finding (one vulnerability on one component of one host), in
 * episodes. An episode opens (ACTIVE, or SUPPRESSED when a rule covers it), may be
 * suppressed or unsuppressed while open, and closes once with a reason. A finding
 * that comes back reopens as a new episode of the same id; the closed one is kept,
 * with when it opened and closed and why, and every episode is shown.
 *
 *   (new) → ACTIVE | SUPPRESSED                  episode 1 opens
 *   ACTIVE ⇄ SUPPRESSED                          a suppression rule covers it / no longer does
 *   ACTIVE | SUPPRESSED → CLOSED(reason)         the episode closes
 *   CLOSED → ACTIVE | SUPPRESSED                 reopened: episode n+1 opens
 *
 * A closed episode never closes again: its reason stays the one it closed with.
 */
export type FindingStatus = 'ACTIVE' | 'SUPPRESSED' | 'CLOSED';

export const FINDING_STATUSES: readonly FindingStatus[] = ['ACTIVE', 'SUPPRESSED', 'CLOSED'];

/** Statuses of an open episode: what every count of open findings counts. */
export const OPEN_STATUSES: readonly FindingStatus[] = ['ACTIVE', 'SUPPRESSED'];

/** The statuses a finding's first episode may open in. */
export const FINDING_INITIAL: readonly FindingStatus[] = ['ACTIVE', 'SUPPRESSED'];

/**
 * Why an episode closed. `upgraded` and `removed` are read off the host's inventory;
 * the others come from whoever knows: an advisory import, a patch job, the
 * operator revoking the host.
 */
export type CloseReason = 'upgraded' | 'removed' | 'advisory-withdrawn' | 'advisory-changed' | 'host-revoked' | `patched-by-job:${string}`;

const REASONS = new Set(['upgraded', 'removed', 'advisory-withdrawn', 'advisory-changed', 'host-revoked']);

export function isCloseReason(s: string): s is CloseReason {
  return REASONS.has(s) || /^patched-by-job:[1-9][0-9]*$/.test(s);
}

/** Every allowed transition, from → to → what it means. Nothing else happens. */
export const FINDING_TRANSITIONS: Readonly<Record<FindingStatus, Readonly<Partial<Record<FindingStatus, string>>>>> = {
  ACTIVE: { SUPPRESSED: 'suppressed', CLOSED: 'closed' },
  SUPPRESSED: { ACTIVE: 'no longer suppressed', CLOSED: 'closed' },
  CLOSED: { ACTIVE: 'reopened', SUPPRESSED: 'reopened, suppressed' },
};

export function findingTransitionAllowed(from: FindingStatus, to: FindingStatus): boolean {
  return FINDING_TRANSITIONS[from][to] !== undefined;
}

export interface FindingTransition {
  hostId: string;
  findingId: string;
  from: FindingStatus;
  to: FindingStatus;
  reason?: CloseReason;
}

const observers = new Set<(t: FindingTransition) => void>();

/** Called with every transition validated from now on; returns the function that stops it. */
export function observeFindingTransitions(fn: (t: FindingTransition) => void): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}

/**
 * The one gate every change of a finding's status passes. Returns whether the
 * change starts a new episode (a reopening). Throws CONFLICT for a transition not
 * in FINDING_TRANSITIONS, and for a close without a known reason or a reason on
 * anything but a close.
 */
export function findingTransition(t: FindingTransition): { newEpisode: boolean } {
  const where = `finding ${t.findingId} on host ${t.hostId}`;
  if (!findingTransitionAllowed(t.from, t.to)) {
    throw new VigilError('CONFLICT', t.from === 'CLOSED' && t.to === 'CLOSED' ? `${where} is already closed` : `${where} cannot go from ${t.from} to ${t.to}`);
  }
  if (t.to === 'CLOSED' && (t.reason === undefined || !isCloseReason(t.reason))) throw new VigilError('CONFLICT', `${where} cannot close without a known reason (got ${JSON.stringify(t.reason)})`);
  if (t.to !== 'CLOSED' && t.reason !== undefined) throw new VigilError('CONFLICT', `${where}: only a close has a reason`);
  for (const fn of observers) fn(t);
  return { newEpisode: t.from === 'CLOSED' };
}

/** A finding's first episode opens: only in an open status. */
export function findingOpened(hostId: string, findingId: string, status: FindingStatus): void {
  if (!FINDING_INITIAL.includes(status)) throw new VigilError('CONFLICT', `finding ${findingId} on host ${hostId} cannot open as ${status}`);
}
