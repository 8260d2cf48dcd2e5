import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AgentLifecycle } from '../../src/agent/lifecycle.js';
import { VigilError } from '../../src/common/errors.js';

function capture(): { log: pino.Logger; lines: () => Array<{ level: number; msg: string; from?: string; to?: string; err?: string }> } {
  let out = '';
  const log = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    }),
  );
  return { log, lines: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

describe('the daemon lifecycle holder', () => {
  it('applies allowed transitions and logs each at debug', () => {
    const c = capture();
    const l = new AgentLifecycle(c.log, () => 'a1');
    expect(l.state).toEqual({ kind: 'starting' });
    expect(l.enter({ kind: 'collecting' })).toBe(true);
    expect(l.enter({ kind: 'connecting', attempt: 0 })).toBe(true);
    expect(l.state).toEqual({ kind: 'connecting', attempt: 0 });
    expect(l.ending).toBe(false);
    expect(l.enter({ kind: 'stopping' })).toBe(true);
    expect(l.ending).toBe(true);
    expect(c.lines().map((x) => [x.level, x.msg, x.from, x.to])).toEqual([
      [20, 'agent state', 'starting', 'collecting'],
      [20, 'agent state', 'collecting', 'connecting'],
      [20, 'agent state', 'connecting', 'stopping'],
    ]);
  });

  it('outside tests, refuses an illegal transition with one error line and keeps the state it had', () => {
    const c = capture();
    const l = new AgentLifecycle(c.log, () => 'a1');
    l.enter({ kind: 'collecting' });
    expect(l.enter({ kind: 'online', epoch: 1, seq: 0, snapshot: false })).toBe(false);
    expect(l.state).toEqual({ kind: 'collecting' });
    const errors = c.lines().filter((x) => x.level >= 50);
    expect(errors).toEqual([expect.objectContaining({ msg: 'agent state transition refused', from: 'collecting', to: 'online', err: 'agent a1 cannot go from collecting to online' })]);
  });

  it('strict (tests), throws the refusal and keeps the state it had', () => {
    const c = capture();
    const l = new AgentLifecycle(c.log, () => 'a1', true);
    l.enter({ kind: 'stopping' });
    l.enter({ kind: 'stopped' });
    expect(() => l.enter({ kind: 'connecting', attempt: 0 })).toThrow(VigilError);
    expect(l.state).toEqual({ kind: 'stopped' });
    expect(c.lines().filter((x) => x.level >= 50)).toEqual([]);
  });
});
