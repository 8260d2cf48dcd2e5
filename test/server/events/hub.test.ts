import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VigilError } from '../../../src/common/errors.js';
import type { VigilEvent } from '../../../src/server/events.js';
import { EventHub, type EventHubOptions } from '../../../src/server/events/hub.js';
import { SqliteEventStore } from '../../../src/store/sqlite-events.js';
import { silentLog, tempDir } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/fleet.js';
import { Receiver } from './receiver.js';

/**
 * The hub over a real events.db and real webhook receivers on 127.0.0.1: routes
 * validated and stored, events routed by pattern in the transaction that stores them,
 * signed deliveries, retries, dead letters and redelivery. Waits poll for conditions.
 */

const tmp = tempDir('vigil-event-hub-');
afterAll(tmp.cleanup);
const SECRET = 'test-secret-0123456789abcdef';
const open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

let n = 0;
function hub(extra: Partial<EventHubOptions> = {}, file = path.join(tmp.dir, `events-${++n}.db`)): EventHub {
  const h = new EventHub({ file, log: silentLog, pollMs: 100, backoff: { baseMs: 20, capMs: 100 }, ...extra });
  open.push(h);
  return h;
}

async function receiver(now?: () => Date): Promise<Receiver> {
  const r = new Receiver(SECRET, now);
  await r.start();
  open.push({ close: () => r.stop() });
  return r;
}

const event = (detailType: string, detail: Record<string, unknown> = {}, resources: string[] = []): VigilEvent => ({
  version: '0',
  id: randomUUID(),
  source: 'vigil',
  'detail-type': detailType,
  time: new Date().toISOString(),
  resources,
  detail,
});

function refusal(fn: () => unknown): VigilError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VigilError);
    return err as VigilError;
  }
  throw new Error('not refused');
}

describe('routes', () => {
  it('are validated when created: pattern and target errors name what is wrong', () => {
    const h = hub();
    const ok = { type: 'webhook', url: 'https://hooks.example.com/vigil' };
    expect(refusal(() => h.routes.create({ name: 'x', pattern: { source: 'vigil' }, target: ok })).message).toMatch(/^event pattern \/source: must be an array/);
    expect(refusal(() => h.routes.create({ name: 'x', pattern: '{"source": [', target: ok })).message).toMatch(/^event pattern is not JSON/);
    expect(refusal(() => h.routes.create({ name: '', pattern: { source: ['vigil'] }, target: ok })).message).toMatch(/needs a name/);
    const target = (t: unknown) => refusal(() => h.routes.create({ name: 'x', pattern: { source: ['vigil'] }, target: t }));
    expect(target('https://x').message).toBe('event target /: must be an object with a "type"');
    expect(target({ type: 'email' }).message).toBe('event target /type: must be one of webhook, jsonl, syslog, not "email"');
    expect(target({ type: 'webhook', url: 'http://hooks.example.com/x' }).message).toMatch(/^event target \/url: must be https:\/\/ \(plain http:\/\/ only to 127.0.0.1 or \[::1\]\), not http:\/\/hooks.example.com/);
    expect(target({ type: 'webhook', url: 'not a url' }).message).toBe('event target /url: "not a url" is not a URL');
    expect(target({ type: 'webhook', url: 'https://u:p@hooks.example.com/' }).message).toMatch(/must not carry credentials/);
    expect(target({ type: 'webhook', url: 'https://hooks.example.com/', secret: 'short' }).message).toBe('event target /secret: must be at least 16 characters');
    expect(target({ type: 'webhook', url: 'https://hooks.example.com/', template: 'discord' }).message).toBe('event target /template: must be one of raw, slack, teams');
    expect(target({ type: 'webhook', url: 'https://hooks.example.com/', headers: {} }).message).toMatch(/^event target \/headers: unknown field for a webhook target/);
    expect(target({ type: 'jsonl', path: '../outside.jsonl' }).message).toMatch(/^event target \/path: must name a file inside /);
    expect(target({ type: 'jsonl', path: '/etc/passwd' }).message).toMatch(/^event target \/path: must name a file inside /);
    expect(target({ type: 'syslog', host: 'siem.example.com', port: 70000 }).message).toBe('event target /port: must be a port number from 1 to 65535');
    expect(target({ type: 'syslog', host: 'bad host;rm', port: 514 }).message).toMatch(/^event target \/host: "bad host;rm" is not a host name/);
    expect(target({ type: 'syslog', host: '127.0.0.1', port: 514, protocol: 'sctp' }).message).toBe('event target /protocol: must be udp or tcp');
    expect(target({ type: 'syslog', host: '127.0.0.1', port: 514, facility: 24 }).message).toMatch(/^event target \/facility/);
    expect(h.routes.list()).toEqual([]);
  });

  it('show a webhook secret only when created, generate one when none is given, and keep it on update', () => {
    const h = hub();
    const r = h.routes.create({ name: 'ops', pattern: '{"source": ["vigil"]}', target: { type: 'webhook', url: 'https://hooks.example.com/x' } });
    expect(r.target.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(r.pattern).toEqual({ source: ['vigil'] });
    expect(h.routes.get(r.id).target.secret).toBe('[redacted]');
    expect(h.routes.list().map((x) => x.target.secret)).toEqual(['[redacted]']);
    const u = h.routes.update(r.id, { name: 'ops-2', target: { type: 'webhook', url: 'https://hooks.example.com/y', template: 'slack' } });
    expect(u).toMatchObject({ name: 'ops-2', target: { url: 'https://hooks.example.com/y', template: 'slack', secret: '[redacted]' } });
    const stored = new SqliteEventStore(h['store'].file);
    expect(stored.route(r.id)!.target.secret).toBe(r.target.secret);
    stored.close();
    expect(refusal(() => h.routes.get('nope')).code).toBe('NOT_FOUND');
    h.routes.delete(r.id);
    expect(refusal(() => h.routes.delete(r.id)).code).toBe('NOT_FOUND');
  });
});

describe('publishing', () => {
  it('stores each event with one pending delivery per enabled route that matches, and an id once', () => {
    const h = hub();
    const target = { type: 'webhook', url: 'https://hooks.example.com/x', secret: SECRET };
    const critical = h.routes.create({ name: 'critical', pattern: { detail: { severity: ['critical'] } }, target });
    const all = h.routes.create({ name: 'all', pattern: { source: ['vigil'] }, target });
    h.routes.create({ name: 'off', pattern: { source: ['vigil'] }, target, enabled: false });
    const e1 = event('Finding State Change', { severity: 'critical' });
    const e2 = event('Finding State Change', { severity: 'low' });
    expect(h.publish(e1)).toMatchObject({ deliveries: 2, duplicate: false });
    expect(h.publish(e2)).toMatchObject({ deliveries: 1, duplicate: false });
    expect(h.publish(e1)).toMatchObject({ deliveries: 0, duplicate: true });
    const ds = h.deliveries().items;
    expect(ds.map((d) => [d.eventId, d.routeId, d.state, d.attempts])).toEqual([
      [e1.id, critical.id, 'pending', 0],
      [e1.id, all.id, 'pending', 0],
      [e2.id, all.id, 'pending', 0],
    ]);
    expect(h.events().items.map((e) => e.id)).toEqual([e1.id, e2.id]);
    expect(h.events().items[0]).toEqual({ ...e1, seq: 1 });
  });

  it('routes by the routes another hub on the same file created (the route set is read again when it changed)', () => {
    const file = path.join(tmp.dir, 'shared.db');
    const worker = hub({}, file);
    const api = hub({}, file);
    expect(worker.publish(event('Host State Change')).deliveries).toBe(0);
    api.routes.create({ name: 'hosts', pattern: { 'detail-type': ['Host State Change'] }, target: { type: 'jsonl', path: 'hosts.jsonl' } });
    expect(worker.publish(event('Host State Change')).deliveries).toBe(1);
    const only = api.routes.list()[0]!;
    api.routes.update(only.id, { enabled: false });
    expect(worker.publish(event('Host State Change')).deliveries).toBe(0);
  });

  it('publishes a batch in one transaction, routing each event of it', () => {
    const h = hub();
    h.routes.create({ name: 'critical', pattern: { detail: { severity: ['critical'] } }, target: { type: 'jsonl', path: 'c.jsonl' } });
    const batch = Array.from({ length: 100 }, (_, i) => event('Finding State Change', { severity: i % 4 ? 'low' : 'critical' }));
    expect(h.publishBatch([...batch, batch[0]!])).toEqual({ deliveries: 25, duplicates: 1 });
    expect(h.events({ limit: 1000 }).items.map((e) => e.id)).toEqual(batch.map((e) => e.id));
    expect(h.counts()).toEqual({ pending: 25, delivered: 0, dead: 0 });
  });

  it('a sink builds the event with a fresh id and never throws at its caller', () => {
    const h = hub();
    const sink = h.sink();
    sink('Patch Job State Change', ['vigil:job/7'], { jobId: 7, state: 'running' }, '2026-11-30T10:00:00.000Z');
    sink('Patch Job State Change', ['vigil:job/7'], { jobId: 7, state: 'completed' }, '2026-11-30T10:05:00.000Z');
    const items = h.events().items;
    expect(items.map((e) => [e['detail-type'], e.detail.state, e.time, e.source, e.version])).toEqual([
      ['Patch Job State Change', 'running', '2026-11-30T10:00:00.000Z', 'vigil', '0'],
      ['Patch Job State Change', 'completed', '2026-11-30T10:05:00.000Z', 'vigil', '0'],
    ]);
    expect(new Set(items.map((e) => e.id)).size).toBe(2);
    h['store'].close();
    expect(() => sink('Patch Job State Change', [], {}, new Date().toISOString())).not.toThrow();
    open.pop();
  });
});

describe('webhook delivery', () => {
  it('POSTs the event signed, with its id, and a receiver that dedupes keeps each event once', async () => {
    const rx = await receiver();
    const h = hub();
    h.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
    const events = Array.from({ length: 20 }, (_, i) => event('Host State Change', { i }, [`vigil:host/h${i}`]));
    h.start();
    for (const e of events) h.publish(e);
    await waitFor('every delivery delivered', () => h.counts().delivered === 20);
    expect(rx.requests.every((r) => r.valid)).toBe(true);
    expect([...rx.processed].sort()).toEqual(events.map((e) => e.id).sort());
    for (const r of rx.requests) {
      expect(JSON.parse(r.body)).toEqual(events.find((e) => e.id === r.id));
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    }
    expect(h.deliveries({ state: 'delivered' }).items.every((d) => d.attempts === 1 && d.deliveredAt)).toBe(true);
  });

  it('gives a delivery up after the policy\'s attempts, at once on a 4xx, and redelivers a dead letter', async () => {
    const rx = await receiver();
    const h = hub({ backoff: { baseMs: 10, capMs: 20, maxAttempts: 3 } });
    const route = h.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
    rx.answer = (r) => (JSON.parse(r.body).detail.kind === 'bad' ? { status: 422, body: 'no such host' } : { status: 500, body: '<html>\n oops </html>' });
    h.start();
    const flaky = event('Host State Change', { kind: 'flaky' });
    const bad = event('Host State Change', { kind: 'bad' });
    h.publish(flaky);
    h.publish(bad);
    await waitFor('both dead', () => h.counts().dead === 2);
    const dead = h.deadLetters().items;
    expect(dead.map((d) => [d.eventId, d.attempts, d.lastError])).toEqual([
      [flaky.id, 3, `POST ${rx.url}: HTTP 500: <html> oops </html>`],
      [bad.id, 1, `POST ${rx.url}: HTTP 422: no such host`],
    ]);
    expect(h.deadLetters({ routeId: route.id }).items).toHaveLength(2);
    expect(rx.counts().get(flaky.id)).toBe(3);
    rx.answer = () => ({ status: 204 });
    const again = h.redeliver(dead[0]!.id);
    expect(again).toMatchObject({ state: 'pending', attempts: 0 });
    await waitFor('redelivered', () => h.deliveries({ eventId: flaky.id }).items[0]!.state === 'delivered');
    expect(h.counts()).toEqual({ pending: 0, delivered: 1, dead: 1 });
    expect(refusal(() => h.redeliver(999)).code).toBe('NOT_FOUND');
  });

  it('retries 408, 429 and 503 (no earlier than Retry-After, capped), and a redirect is not followed', async () => {
    const rx = await receiver();
    const h = hub({ backoff: { baseMs: 10, capMs: 20, maxRetryAfterMs: 300 } });
    h.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
    const answers: Array<{ status: number; headers?: Record<string, string> }> = [
      { status: 429, headers: { 'retry-after': '3600' } },
      { status: 408 },
      { status: 503, headers: { 'retry-after': new Date(Date.now() + 100).toUTCString() } },
      { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } },
      { status: 200 },
    ];
    let i = 0;
    rx.answer = () => answers[Math.min(i++, answers.length - 1)]!;
    h.start();
    const e = event('Host State Change');
    h.publish(e);
    await waitFor('delivered after the retries', () => h.counts().delivered === 1);
    expect(rx.requests.map((r) => r.id)).toEqual([e.id, e.id, e.id, e.id, e.id]);
    expect(h.deliveries().items[0]).toMatchObject({ attempts: 5, lastError: `POST ${rx.url}: HTTP 302 (redirects are not followed)` });
  });

  it('times out a receiver that does not answer and reads at most the response cap', async () => {
    const rx = await receiver();
    const h = hub({ timeoutMs: 300, maxResponseBytes: 1024, backoff: { baseMs: 10, capMs: 20, maxAttempts: 1 } });
    h.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
    rx.answer = (r) => (JSON.parse(r.body).detail.n === 1 ? 'hang' : { status: 400, body: 'x'.repeat(1 << 20) });
    h.start();
    h.publish(event('Host State Change', { n: 1 }));
    h.publish(event('Host State Change', { n: 2 }));
    await waitFor('both dead', () => h.counts().dead === 2);
    const errors = h.deadLetters().items.map((d) => d.lastError);
    expect(errors[0]).toBe(`POST ${rx.url}: no answer within 300 ms`);
    expect(errors[1]).toBe(`POST ${rx.url}: HTTP 400: ${'x'.repeat(200)}`);
  });

  it('counts a delivery\'s age from when it was queued: one failing past the maximum age is dead', async () => {
    let clock = new Date('2026-11-30T10:00:00.000Z');
    const rx = await receiver(() => clock);
    const h = hub({ now: () => clock, backoff: { baseMs: 10, capMs: 20, maxAgeMs: 3600_000 } });
    rx.answer = () => ({ status: 502 });
    h.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
    const e = event('Host State Change');
    h.publish(e);
    clock = new Date('2026-11-30T11:00:01.000Z');
    h.start();
    await waitFor('dead of age', () => h.counts().dead === 1);
    expect(h.deadLetters().items[0]).toMatchObject({ attempts: 1, lastError: `POST ${rx.url}: HTTP 502`, queuedAt: '2026-11-30T10:00:00.000Z' });
  });

  it('holds the deliveries of a disabled route until it is enabled again', async () => {
    const rx = await receiver();
    const h = hub();
    const r = h.routes.create({ name: 'rx', pattern: { source: ['vigil'] }, target: { type: 'webhook', url: rx.url, secret: SECRET } });
    h.start();
    h.publish(event('Host State Change'));
    await waitFor('delivered', () => h.counts().delivered === 1);
    h.routes.update(r.id, { enabled: false });
    // Published while enabled, sent only once it is enabled again.
    h.routes.update(r.id, { enabled: true });
    h.publish(event('Host State Change'));
    h.routes.update(r.id, { enabled: false });
    await new Promise((res) => setTimeout(res, 300));
    expect(h.counts()).toEqual({ pending: 1, delivered: 1, dead: 0 });
    h.routes.update(r.id, { enabled: true });
    await waitFor('delivered after enabling', () => h.counts().delivered === 2);
  });
});

describe('the event database', () => {
  it('pages events and deliveries with opaque cursors and filters', () => {
    const h = hub();
    const r = h.routes.create({ name: 'hosts', pattern: { 'detail-type': ['Host State Change'] }, target: { type: 'jsonl', path: 'x.jsonl' } });
    for (let i = 0; i < 250; i++) h.publish(event(i % 2 ? 'Host State Change' : 'Finding State Change', { i }));
    const seen: number[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const p = h.events({ limit: 100, ...(after ? { after } : {}) });
      seen.push(...p.items.map((e) => e.detail.i as number));
      after = p.next;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const hosts = h.events({ detailType: 'Host State Change', limit: 1000 });
    expect(hosts.items).toHaveLength(125);
    expect(hosts.next).toBeUndefined();
    const d1 = h.deliveries({ routeId: r.id, state: 'pending', limit: 100 });
    expect(d1.items).toHaveLength(100);
    const d2 = h.deliveries({ routeId: r.id, state: 'pending', limit: 100, after: d1.next! });
    expect(d2.items).toHaveLength(25);
    expect(d2.next).toBeUndefined();
    expect(refusal(() => h.events({ after: d1.next! })).message).toMatch(/is not a cursor of this list/);
    expect(refusal(() => h.events({ after: 'garbage' })).code).toBe('INVALID_INPUT');
    expect(refusal(() => h.events({ limit: 0 })).message).toBe('limit must be a whole number from 1 to 1000, not 0');
    expect(refusal(() => h.deliveries({ state: 'lost' as never })).message).toMatch(/delivery state must be one of pending, delivered, dead/);
  });

  it('refuses a database of a newer schema, and a file that is no database, naming the file', () => {
    const file = path.join(tmp.dir, 'newer.db');
    new SqliteEventStore(file).close();
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    const err = refusal(() => new SqliteEventStore(file));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe(`${file} is not a Vigil event database: schema version 99 is newer than this Vigil (1)`);
    const junk = path.join(tmp.dir, 'junk.db');
    writeFileSync(junk, 'not sqlite at all, just text '.repeat(100));
    expect(refusal(() => new SqliteEventStore(junk)).message).toMatch(new RegExp(`^${junk.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a Vigil event database`));
  });
});
