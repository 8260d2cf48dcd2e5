import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VigilError } from '../../../src/common/errors.js';
import type { VigilEvent } from '../../../src/server/events.js';
import { backoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from '../../../src/server/events/backoff.js';
import { EventHub } from '../../../src/server/events/hub.js';
import { SqliteEventStore } from '../../../src/store/sqlite-events.js';
import { silentLog, tempDir } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/fleet.js';
import { Receiver } from './receiver.js';

/**
 * The dispatcher's contract: the backoff policy, at most `concurrency` sends at once,
 * stop() waiting for the sends under way, leases that keep two dispatchers on one
 * file from sending a delivery twice and hand back those of a dispatcher that died,
 * and pruning of old events.
 */

const tmp = tempDir('vigil-event-dispatch-');
afterAll(tmp.cleanup);
const SECRET = 'dispatch-secret-0123456789';
let n = 0;
const file = (): string => path.join(tmp.dir, `d-${++n}.db`);

const event = (i = 0, time = new Date().toISOString()): VigilEvent => ({ version: '0', id: randomUUID(), source: 'vigil', 'detail-type': 'Host State Change', time, resources: [], detail: { i } });

/** A receiver whose requests wait until released, counting how many are open at once. */
async function gate(): Promise<{ url: string; open: () => number; most: () => number; seen: string[]; release: () => void; close: () => Promise<void> }> {
  const waiting: ServerResponse[] = [];
  let most = 0;
  let held = true;
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      seen.push(String(req.headers['vigil-event-id']));
      if (!held) return void res.writeHead(200).end();
      waiting.push(res);
      most = Math.max(most, waiting.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    open: () => waiting.length,
    most: () => most,
    seen,
    release: () => {
      held = false;
      for (const r of waiting.splice(0)) r.writeHead(200).end();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

describe('the backoff policy', () => {
  it('doubles from 1 s to a cap of 15 min, less up to half at random, and waits at least a capped Retry-After', () => {
    const p = backoffPolicy();
    expect(p).toEqual(DEFAULT_BACKOFF);
    const top = Array.from({ length: 12 }, (_, i) => retryDelayMs(p, i + 1, undefined, () => 0));
    expect(top).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 512000, 900000, 900000]);
    // A receiver that stays down is tried for about a day, whatever the jitter draws: the age, not the count, ends it.
    for (const draw of [0, 1]) {
      let waited = 0;
      for (let a = 1; a < p.maxAttempts; a++) waited += retryDelayMs(p, a, undefined, () => draw);
      expect(waited).toBeGreaterThanOrEqual(0.99 * p.maxAgeMs);
    }
    expect(retryDelayMs(p, 3, undefined, () => 1)).toBe(2000);
    expect(retryDelayMs(p, 3, undefined, () => 0.5)).toBe(3000);
    expect(retryDelayMs(p, 1, 120_000, () => 0)).toBe(120_000);
    expect(retryDelayMs(p, 1, 86_400_000, () => 0)).toBe(3_600_000);
    expect(retryDelayMs(p, 1000, undefined, () => 0)).toBe(900_000);
  });

  it('refuses a policy that cannot work', () => {
    const msg = (x: Parameters<typeof backoffPolicy>[0]) => {
      try {
        backoffPolicy(x);
      } catch (err) {
        expect(err).toBeInstanceOf(VigilError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(msg({ baseMs: 0 })).toBe('event backoff baseMs must be a positive number, not 0');
    expect(msg({ maxAttempts: 2.5 })).toBe('event backoff maxAttempts must be a whole number, not 2.5');
    expect(msg({ jitter: 2 })).toBe('event backoff jitter must be from 0 to 1, not 2');
    expect(msg({ baseMs: 10_000, capMs: 1000 })).toBe('event backoff capMs (1000) is below baseMs (10000)');
  });
});

describe('the dispatcher', () => {
  it('has at most `concurrency` sends open at once, and stop() waits for them to be recorded', async () => {
    const g = await gate();
    const hub = new EventHub({ file: file(), log: silentLog, concurrency: 3, pollMs: 50 });
    try {
      hub.routes.create({ name: 'g', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: g.url, secret: SECRET } });
      for (let i = 0; i < 10; i++) hub.publish(event(i));
      hub.start();
      await waitFor('three sends open', () => g.open() === 3);
      let stopped = false;
      const stopping = hub.stop().then(() => (stopped = true));
      await new Promise((r) => setImmediate(r));
      expect(stopped).toBe(false);
      g.release();
      await stopping;
      expect(g.most()).toBe(3);
      expect(hub.counts()).toEqual({ pending: 7, delivered: 3, dead: 0 });
      hub.start();
      await waitFor('the rest delivered', () => hub.counts().delivered === 10);
      expect(new Set(g.seen).size).toBe(10);
      expect(g.seen).toHaveLength(10);
    } finally {
      await hub.close();
      await g.close();
    }
  });

  it('two hubs dispatching one file send each delivery once', async () => {
    const rx = new Receiver(SECRET);
    await rx.start();
    const f = file();
    const a = new EventHub({ file: f, log: silentLog, pollMs: 20 });
    const b = new EventHub({ file: f, log: silentLog, pollMs: 20 });
    try {
      a.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
      a.start();
      b.start();
      const events = Array.from({ length: 60 }, (_, i) => event(i));
      events.forEach((e, i) => (i % 2 ? a : b).publish(e));
      await waitFor('all delivered', () => a.counts().delivered === 60);
      expect([...rx.counts().values()].every((c) => c === 1)).toBe(true);
      expect(rx.requests).toHaveLength(60);
    } finally {
      await a.close();
      await b.close();
      await rx.stop();
    }
  });

  it('takes again, once its lease ran out, a delivery a dispatcher took and never recorded', async () => {
    const rx = new Receiver(SECRET);
    await rx.start();
    const f = file();
    const hub = new EventHub({ file: f, log: silentLog, pollMs: 50 });
    try {
      hub.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
      const e = event();
      hub.publish(e);
      // A dispatcher that took it and died: its lease says "being sent" for 300 ms.
      const crashed = new SqliteEventStore(f);
      expect(crashed.take(Date.now(), 10, 300).map((d) => d.eventId)).toEqual([e.id]);
      crashed.close();
      hub.start();
      await waitFor('delivered after the lease', () => hub.counts().delivered === 1);
      expect(rx.counts().get(e.id)).toBe(1);
      const id = hub.deliveries().items[0]!.id;
      hub.redeliver(id);
      const conflict = (() => {
        try {
          hub.redeliver(id);
        } catch (err) {
          return err as VigilError;
        }
        return undefined;
      })();
      expect(conflict).toMatchObject({ code: 'CONFLICT', message: `event delivery ${id} is still pending` });
      await waitFor('delivered again', () => rx.counts().get(e.id) === 2 && hub.counts().delivered === 1);
    } finally {
      await hub.close();
      await rx.stop();
    }
  });

  it('prunes old events whose deliveries all ended, never one still pending', () => {
    const hub = new EventHub({ file: file(), log: silentLog });
    try {
      hub.routes.create({ name: 'x', pattern: { detail: { i: [1] } }, target: { type: 'jsonl', path: 'x.jsonl' } });
      hub.publish(event(0, '2026-01-01T00:00:00.000Z'));
      hub.publish(event(1, '2026-01-01T00:00:00.000Z'));
      hub.publish(event(2, '2026-12-01T00:00:00.000Z'));
      expect(hub.prune(new Date('2026-06-01T00:00:00.000Z'))).toBe(1);
      expect(hub.events().items.map((e) => e.detail.i)).toEqual([1, 2]);
      expect(hub.deliveries().items).toHaveLength(1);
    } finally {
      void hub.close();
    }
  });
});
