import { describe, expect, it } from 'vitest';
import { VigilError } from '../../../src/common/errors.js';
import {
  AGENT_INITIAL,
  AGENT_STATE_KINDS,
  AGENT_TRANSITIONS,
  agentTransition,
  observeAgentTransitions,
  type AgentState,
  type AgentStateKind,
} from '../../../src/common/lifecycle/agent.js';

/** The agent lifecycle as written down (common/lifecycle/agent.ts), restated pair by pair. */
const ALLOWED = new Set([
  'starting→collecting',
  'starting→stopping',
  'collecting→connecting',
  'collecting→no-identity',
  'collecting→stopping',
  'connecting→online',
  'connecting→backing-off',
  'connecting→refused',
  'connecting→stopping',
  'online→backing-off',
  'online→refused',
  'online→stopping',
  'backing-off→connecting',
  'backing-off→no-identity',
  'backing-off→stopping',
  'refused→connecting',
  'refused→no-identity',
  'refused→stopping',
  'no-identity→stopping',
  'stopping→stopped',
]);

/** One state of each kind, with the data its kind carries. */
const SAMPLE: { [K in AgentStateKind]: Extract<AgentState, { kind: K }> } = {
  starting: { kind: 'starting' },
  collecting: { kind: 'collecting' },
  connecting: { kind: 'connecting', attempt: 0 },
  online: { kind: 'online', epoch: 1, seq: 0, snapshot: false },
  'backing-off': { kind: 'backing-off', attempt: 1, until: 0, reason: 'the server ended the stream' },
  refused: { kind: 'refused', code: 'PERMISSION_DENIED', attempt: 1, until: 0 },
  'no-identity': { kind: 'no-identity' },
  stopping: { kind: 'stopping' },
  stopped: { kind: 'stopped' },
};

function refusalOf(from: AgentStateKind, to: AgentStateKind): unknown {
  try {
    agentTransition('a1', SAMPLE[from], SAMPLE[to]);
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Kinds reachable from `from` through the table. */
function reachable(from: AgentStateKind): Set<AgentStateKind> {
  const seen = new Set<AgentStateKind>([from]);
  const queue = [from];
  while (queue.length) for (const next of AGENT_TRANSITIONS[queue.shift()!]) if (!seen.has(next)) seen.add(next), queue.push(next);
  return seen;
}

describe('agent lifecycle', () => {
  it('starts in starting and names the nine states, each with a row of the table', () => {
    expect(AGENT_INITIAL).toEqual({ kind: 'starting' });
    expect([...AGENT_STATE_KINDS].sort()).toEqual(['backing-off', 'collecting', 'connecting', 'no-identity', 'online', 'refused', 'starting', 'stopped', 'stopping']);
    expect(Object.keys(AGENT_TRANSITIONS).sort()).toEqual([...AGENT_STATE_KINDS].sort());
  });

  it('allows exactly the transitions of the table, for every pair of states, and refuses the rest with INTERNAL', () => {
    let checked = 0;
    for (const from of AGENT_STATE_KINDS) {
      for (const to of AGENT_STATE_KINDS) {
        const pair = `${from}→${to}`;
        expect(AGENT_TRANSITIONS[from].includes(to), pair).toBe(ALLOWED.has(pair));
        const err = refusalOf(from, to);
        if (ALLOWED.has(pair)) expect(err, pair).toBeUndefined();
        else {
          expect(err, pair).toBeInstanceOf(VigilError);
          expect((err as VigilError).code, pair).toBe('INTERNAL');
        }
        checked++;
      }
    }
    expect(checked).toBe(81);
  });

  it('refuses the transitions a bug would make, saying which', () => {
    expect(() => agentTransition('a1', SAMPLE.online, SAMPLE.connecting)).toThrow('agent a1 cannot go from online to connecting');
    expect(() => agentTransition('a1', SAMPLE.online, SAMPLE.online)).toThrow('agent a1 cannot go from online to online');
    expect(() => agentTransition('a1', SAMPLE['backing-off'], SAMPLE.online)).toThrow('agent a1 cannot go from backing-off to online');
    expect(() => agentTransition('a1', SAMPLE.stopped, SAMPLE.connecting)).toThrow('agent a1 cannot go from stopped to connecting');
    expect(() => agentTransition('a1', SAMPLE.stopping, SAMPLE.stopping)).toThrow('agent a1 cannot go from stopping to stopping');
    expect(() => agentTransition('a1', SAMPLE['no-identity'], SAMPLE.connecting)).toThrow('agent a1 cannot go from no-identity to connecting');
    expect(() => agentTransition('', SAMPLE.starting, SAMPLE.online)).toThrow('agent (not started) cannot go from starting to online');
  });

  it('reaches every state from the initial one, and stopped from every state', () => {
    expect([...reachable(AGENT_INITIAL.kind)].sort()).toEqual([...AGENT_STATE_KINDS].sort());
    for (const from of AGENT_STATE_KINDS) expect(reachable(from).has('stopped'), from).toBe(true);
    // stopped is the only end: every other state has a way out.
    expect(AGENT_STATE_KINDS.filter((k) => AGENT_TRANSITIONS[k].length === 0)).toEqual(['stopped']);
  });

  it('reports each validated transition to its observers and none that it refused', () => {
    const seen: Array<[string, AgentStateKind, AgentStateKind]> = [];
    const stop = observeAgentTransitions((t) => seen.push([t.agentId, t.from.kind, t.to.kind]));
    expect(agentTransition('a2', SAMPLE.connecting, SAMPLE.online)).toBe(SAMPLE.online);
    expect(() => agentTransition('a2', SAMPLE.online, SAMPLE.collecting)).toThrow();
    stop();
    agentTransition('a2', SAMPLE.online, SAMPLE.stopping);
    expect(seen).toEqual([['a2', 'connecting', 'online']]);
  });
});
