import { describe, expect, it } from 'vitest';
import { VigilError } from '../../../src/common/errors.js';
import {
  FINDING_INITIAL,
  FINDING_STATUSES,
  FINDING_TRANSITIONS,
  findingOpened,
  findingTransition,
  isCloseReason,
  type CloseReason,
  type FindingStatus,
} from '../../../src/common/lifecycle/finding.js';

/** The finding lifecycle as written down (common/lifecycle/finding.ts), restated pair by pair. */
const ALLOWED = new Set(['ACTIVE→SUPPRESSED', 'ACTIVE→CLOSED', 'SUPPRESSED→ACTIVE', 'SUPPRESSED→CLOSED', 'CLOSED→ACTIVE', 'CLOSED→SUPPRESSED']);

function refusal(fn: () => unknown): VigilError | undefined {
  try {
    fn();
  } catch (e) {
    return e as VigilError;
  }
  return undefined;
}

describe('finding lifecycle', () => {
  it('allows exactly the transitions of the table, for every pair of statuses; only a reopening starts a new episode', () => {
    let checked = 0;
    for (const from of FINDING_STATUSES) {
      for (const to of FINDING_STATUSES) {
        const pair = `${from}→${to}`;
        expect(FINDING_TRANSITIONS[from][to] !== undefined, pair).toBe(ALLOWED.has(pair));
        const t = { hostId: 'h1', findingId: 'f1', from, to, ...(to === 'CLOSED' ? { reason: 'removed' as CloseReason } : {}) };
        if (ALLOWED.has(pair)) expect(findingTransition(t), pair).toEqual({ newEpisode: from === 'CLOSED' });
        else {
          const err = refusal(() => findingTransition(t));
          expect(err, pair).toBeInstanceOf(VigilError);
          expect(err!.code, pair).toBe('CONFLICT');
        }
        checked++;
      }
    }
    expect(checked).toBe(9);
    expect(refusal(() => findingTransition({ hostId: 'h1', findingId: 'f1', from: 'CLOSED', to: 'CLOSED', reason: 'removed' }))?.message).toBe('finding f1 on host h1 is already closed');
  });

  it('closes only with a known reason, and nothing but a close carries one', () => {
    expect(refusal(() => findingTransition({ hostId: 'h1', findingId: 'f1', from: 'ACTIVE', to: 'CLOSED' }))?.code).toBe('CONFLICT');
    expect(refusal(() => findingTransition({ hostId: 'h1', findingId: 'f1', from: 'ACTIVE', to: 'CLOSED', reason: 'gone' as CloseReason }))?.code).toBe('CONFLICT');
    expect(refusal(() => findingTransition({ hostId: 'h1', findingId: 'f1', from: 'CLOSED', to: 'ACTIVE', reason: 'removed' }))?.code).toBe('CONFLICT');
    for (const r of ['upgraded', 'removed', 'advisory-withdrawn', 'advisory-changed', 'host-revoked', 'patched-by-job:7']) expect(isCloseReason(r), r).toBe(true);
    for (const r of ['host revoked', 'patched-by-job:', 'patched-by-job:x', '']) expect(isCloseReason(r), r).toBe(false);
  });

  it('opens a first episode only in an open status', () => {
    expect(FINDING_INITIAL).toEqual(['ACTIVE', 'SUPPRESSED']);
    for (const s of FINDING_STATUSES as readonly FindingStatus[]) {
      if (FINDING_INITIAL.includes(s)) expect(() => findingOpened('h1', 'f1', s)).not.toThrow();
      else expect(refusal(() => findingOpened('h1', 'f1', s))?.code).toBe('CONFLICT');
    }
  });
});
