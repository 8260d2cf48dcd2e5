import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../../src/server/events.js';
import { EventHub } from '../../../src/server/events/hub.js';
import { silentLog, tempDir } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/fleet.js';
import { Receiver, sleep } from './receiver.js';

/**
 * At least once, across a receiver outage and a hub restart: a real receiver on
 * 127.0.0.1 goes away for 60 s while events keep coming, comes back losing some
 * responses, and every event reaches it; a hub stopped with deliveries queued is
 * replaced by a new one on the same file, which sends them. The receiver's log of
 * requests, by event id, is what the assertions read; waits poll for conditions.
 */

const tmp = tempDir('vigil-event-outage-');
afterAll(tmp.cleanup);
const SECRET = 'outage-secret-0123456789';

const event = (i: number): VigilEvent => ({
  version: '0',
  id: randomUUID(),
  source: 'vigil',
  'detail-type': 'Host State Change',
  time: new Date().toISOString(),
  resources: [`vigil:host/h${i}`],
  detail: { hostId: `h${i}`, state: 'offline' },
});

/** Every id the receiver saw more than once had its response lost at least once. */
function expectRepeatsOnlyAfterLostResponses(rx: Receiver): void {
  const repeated = [...rx.counts()].filter(([, c]) => c > 1).map(([id]) => id);
  expect(repeated.filter((id) => !rx.lost.has(id))).toEqual([]);
}

describe('a receiver that is down for 60 s', () => {
  it('gets every event once it is back, each id at least once and twice only after a lost response', async () => {
    const rx = new Receiver(SECRET);
    await rx.start();
    const hub = new EventHub({ file: path.join(tmp.dir, 'outage.db'), log: silentLog, backoff: { baseMs: 1000, capMs: 8000, maxAttempts: 1000 }, pollMs: 500 });
    hub.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
    hub.start();
    try {
      const before = Array.from({ length: 5 }, (_, i) => event(i));
      for (const e of before) hub.publish(e);
      await waitFor('the first events delivered', () => hub.counts().delivered === 5);

      await rx.stop();
      const downAt = Date.now();
      const during = Array.from({ length: 20 }, (_, i) => event(100 + i));
      for (const e of during.slice(0, 10)) hub.publish(e);
      await waitFor('failed attempts while down', () => hub.deliveries({ state: 'pending' }).items.filter((d) => d.attempts >= 2).length === 10, 30_000);
      for (const e of during.slice(10)) hub.publish(e);
      await sleep(Math.max(0, 60_000 - (Date.now() - downAt)));
      expect(hub.counts()).toEqual({ pending: 20, delivered: 5, dead: 0 });
      const attempts = hub.deliveries({ state: 'pending' }).items.map((d) => d.attempts);
      expect(Math.min(...attempts)).toBeGreaterThanOrEqual(2);
      expect(hub.deliveries({ state: 'pending' }).items.every((d) => /ECONNREFUSED/.test(d.lastError ?? ''))).toBe(true);

      // Back, but the first answer for three of the events is lost after they were processed.
      const drop = new Set(during.slice(0, 3).map((e) => e.id));
      rx.answer = (r) => (drop.delete(r.id) ? 'drop' : { status: 200 });
      await rx.start();
      await waitFor('every event delivered after the return', () => hub.counts().delivered === 25, 60_000);

      const all = [...before, ...during];
      expect([...rx.processed].sort()).toEqual(all.map((e) => e.id).sort());
      expect(rx.requests.every((r) => r.valid)).toBe(true);
      expect(rx.lost.size).toBe(3);
      expectRepeatsOnlyAfterLostResponses(rx);
      for (const id of rx.lost) expect(rx.counts().get(id)).toBeGreaterThanOrEqual(2);
      for (const e of before) expect(rx.counts().get(e.id)).toBe(1);
    } finally {
      await hub.close();
      await rx.stop();
    }
  }, 150_000);
});

describe('a hub restarted with deliveries queued', () => {
  it('resumes them: a new hub on the same file sends what the stopped one had not', async () => {
    const rx = new Receiver(SECRET);
    await rx.start();
    const file = path.join(tmp.dir, 'restart.db');
    const opts = { file, log: silentLog, backoff: { baseMs: 50, capMs: 200, maxAttempts: 1000 }, pollMs: 100 };
    const first = new EventHub(opts);
    first.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
    const events = Array.from({ length: 30 }, (_, i) => event(i));
    // The receiver takes the first ten, then answers 503 to everything.
    let taken = 0;
    rx.answer = () => (taken++ < 10 ? { status: 200 } : { status: 503 });
    first.start();
    for (const e of events) first.publish(e);
    await waitFor('ten delivered, the rest retrying', () => first.counts().delivered === 10 && first.deliveries({ state: 'pending' }).items.every((d) => d.attempts >= 1));
    await first.close();

    rx.answer = () => ({ status: 200 });
    const second = new EventHub(opts);
    try {
      expect(second.counts()).toEqual({ pending: 20, delivered: 10, dead: 0 });
      second.start();
      await waitFor('all delivered by the new hub', () => second.counts().delivered === 30);
      expect([...rx.processed].sort()).toEqual(events.map((e) => e.id).sort());
      // Only a 503 came before a repeat: no event was delivered twice.
      for (const [id, c] of rx.counts()) expect(c, id).toBe(second.deliveries({ eventId: id }).items[0]!.attempts);
      expect(second.deliveries({ state: 'delivered', limit: 1000 }).items.filter((d) => d.attempts >= 2)).toHaveLength(20);
    } finally {
      await second.close();
      await rx.stop();
    }
  }, 60_000);
});
