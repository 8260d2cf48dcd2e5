import { describe, expect, it } from 'vitest';
import { LiveEvents } from '../../src/server/live-events.js';
import { summarise } from '../../src/server/inventory-history.js';

describe('live events', () => {
  it('hands a reconnecting stream the events of its resource after its Last-Event-ID, and nothing for an id of another run or one already dropped', () => {
    const live = new LiveEvents(3);
    const seen: string[] = [];
    const off = live.subscribe((e) => seen.push(e.id));
    const a = live.publish('Patch Job State Change', ['vigil:job/1'], { state: 'running' });
    const b = live.publish('Patch Command State Change', ['vigil:job/2'], { state: 'sent' });
    const c = live.publish('Patch Command State Change', ['vigil:job/1'], { state: 'sent' });
    expect(seen).toEqual([a.id, b.id, c.id]);
    expect(live.since(a.id, 'vigil:job/1')!.map((e) => e.id)).toEqual([c.id]);
    expect(live.since(c.id, 'vigil:job/1')).toEqual([]);
    expect(live.since('00000000-1', 'vigil:job/1')).toBeUndefined();
    expect(live.since('not an id', 'vigil:job/1')).toBeUndefined();
    live.publish('Patch Job State Change', ['vigil:job/1'], { state: 'completed' });
    live.publish('Patch Job State Change', ['vigil:job/1'], { state: 'completed' });
    // Three kept: the one after `a` is gone, so a stream last at `a` starts again from a snapshot.
    expect(live.since(a.id, 'vigil:job/1')).toBeUndefined();
    off();
    live.publish('Host State Change', ['vigil:host/x'], {});
    expect(seen.length).toBe(5);
  });

  it('gives each token at most its number of stream places, and a released place back once', () => {
    const live = new LiveEvents(10, 2);
    const r1 = live.acquire('t')!;
    const r2 = live.acquire('t')!;
    expect(live.acquire('t')).toBeUndefined();
    expect(live.acquire('u')).toBeDefined();
    r1();
    r1();
    expect(live.open()).toBe(2);
    expect(live.acquire('t')).toBeDefined();
    expect(live.acquire('t')).toBeUndefined();
    r2();
  });
});

describe('inventory change summaries', () => {
  it('reads a removed and an added key of the same package as one change, the rest as added or removed', () => {
    const s = summarise(
      1,
      7,
      'delta',
      ['pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64\u0000/var/lib/dpkg/status', 'pkg:npm/left-pad@1.3.0\u0000/srv/app/package-lock.json'],
      ['pkg:deb/debian/curl@7.88.1-10?arch=amd64\u0000/var/lib/dpkg/status', 'pkg:deb/debian/wget@1.21?arch=amd64'],
    );
    expect(s).toEqual({ epoch: 1, seq: 7, kind: 'delta', added: ['left-pad 1.3.0'], removed: ['wget 1.21'], changed: ['curl 7.88.1-10 → 7.88.1-10+deb12u5'] });
  });
});
