import { describe, expect, it } from 'vitest';
import { VigilError } from '../../../src/common/errors.js';
import { HOST_INITIAL, HOST_STATES, HOST_TRANSITIONS, hostTransition, observeHostTransitions, type HostState } from '../../../src/common/lifecycle/host.js';

/** The host lifecycle as written down (common/lifecycle/host.ts), restated pair by pair. */
const ALLOWED = new Set([
  'enrolled→online',
  'enrolled→enrolled',
  'enrolled→revoked',
  'online→offline',
  'online→enrolled',
  'online→revoked',
  'offline→online',
  'offline→enrolled',
  'offline→revoked',
  'revoked→deleted',
]);

describe('host lifecycle', () => {
  it('starts enrolled and names the five states', () => {
    expect(HOST_INITIAL).toBe('enrolled');
    expect([...HOST_STATES].sort()).toEqual(['deleted', 'enrolled', 'offline', 'online', 'revoked']);
    expect(Object.keys(HOST_TRANSITIONS).sort()).toEqual([...HOST_STATES].sort());
  });

  it('allows exactly the transitions of the table, for every pair of states, and refuses the rest with CONFLICT', () => {
    let checked = 0;
    for (const from of HOST_STATES) {
      for (const to of HOST_STATES) {
        const pair = `${from}→${to}`;
        const inTable = HOST_TRANSITIONS[from][to] !== undefined;
        expect(inTable, pair).toBe(ALLOWED.has(pair));
        if (inTable) expect(() => hostTransition('h1', from, to), pair).not.toThrow();
        else {
          const err = (() => {
            try {
              hostTransition('h1', from, to);
            } catch (e) {
              return e;
            }
            return undefined;
          })();
          expect(err, pair).toBeInstanceOf(VigilError);
          expect((err as VigilError).code, pair).toBe('CONFLICT');
          expect((err as VigilError).exitCode, pair).toBe(8);
        }
        checked++;
      }
    }
    expect(checked).toBe(25);
  });

  it('says what a refused state allows: delete only after revoke, enrol again only after delete', () => {
    expect(() => hostTransition('h1', 'online', 'deleted')).toThrow('host h1 is online, not revoked; revoke it first (vigil hosts revoke h1)');
    expect(() => hostTransition('h1', 'revoked', 'enrolled')).toThrow('host h1 was revoked; delete it (vigil hosts delete h1) before this machine enrols again');
    expect(() => hostTransition('h1', 'revoked', 'online')).toThrow('host h1 is revoked; it can only be deleted');
  });

  it('reports each validated transition to its observers and none that it refused', () => {
    const seen: Array<[string, HostState, HostState]> = [];
    const stop = observeHostTransitions((t) => seen.push([t.hostId, t.from, t.to]));
    hostTransition('h2', 'enrolled', 'online');
    expect(() => hostTransition('h2', 'deleted', 'online')).toThrow();
    stop();
    hostTransition('h2', 'online', 'offline');
    expect(seen).toEqual([['h2', 'enrolled', 'online']]);
  });
});
