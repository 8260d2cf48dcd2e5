import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/matcher/finding.js';
import type { VigilEvent } from '../../../src/server/events.js';
import { findingEvent } from '../../../src/server/events/finding-event.js';
import { EventHub } from '../../../src/server/events/hub.js';
import { signatureOf, verifySignature } from '../../../src/server/events/targets/webhook.js';
import { slackMessage, teamsMessage } from '../../../src/server/events/templates.js';
import type { HostFinding } from '../../../src/server/fleet-types.js';
import { silentLog, tempDir } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/fleet.js';
import { realFindings } from './real-findings.js';
import { Receiver } from './receiver.js';

/**
 * The targets over real transports on loopback: syslog receivers on UDP and TCP
 * that parse RFC 5424 and RFC 6587 octet counting, a JSON-lines file, webhook
 * bodies in the Slack and Teams forms made from real findings, and the signature
 * checked against openssl's HMAC.
 */

const tmp = tempDir('vigil-event-targets-');
let findings: Finding[] = [];
beforeAll(async () => {
  findings = await realFindings();
}, 120_000);
afterAll(tmp.cleanup);

const SECRET = 'targets-secret-0123456789';
let n = 0;
const hubOf = (): EventHub => new EventHub({ file: path.join(tmp.dir, `t-${++n}.db`), log: silentLog, pollMs: 100, backoff: { baseMs: 20, capMs: 50, maxAttempts: 3 } });

const plain = (i: number): VigilEvent => ({
  version: '0',
  id: randomUUID(),
  source: 'vigil',
  'detail-type': 'Host State Change',
  time: new Date(Date.UTC(2026, 10, 30, 10, 0, i)).toISOString(),
  resources: [`vigil:host/h${i}`],
  detail: { hostId: `h${i}`, state: 'online', note: 'ünïcode and "quotes"' },
});

function stored(f: Finding, status: HostFinding['status'] = 'ACTIVE'): HostFinding {
  return { hostId: 'h1', id: f.id, status, firstSeen: '2026-11-29T08:00:00.000Z', lastSeen: '2026-11-30T10:00:00.000Z', episode: 1, episodes: [{ episode: 1, firstSeen: '2026-11-29T08:00:00.000Z', lastSeen: '2026-11-30T10:00:00.000Z' }], finding: f };
}

function findingVigilEvent(f: Finding, hostname = 'web-1.example.com'): VigilEvent {
  const e = findingEvent({ id: 'h1', hostname }, stored(f));
  return { version: '0', id: randomUUID(), source: 'vigil', 'detail-type': e.detailType, time: '2026-11-30T10:00:00.000Z', resources: e.resources, detail: e.detail as unknown as Record<string, unknown> };
}

const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\d+) (\S+) - (\{.*\})$/s;

describe('syslog', () => {
  it('sends RFC 5424 messages over UDP, one datagram per event, the finding severity in PRI', async () => {
    const sock = createSocket('udp4');
    const got: string[] = [];
    sock.on('message', (m) => got.push(m.toString('utf8')));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const hub = hubOf();
    try {
      hub.routes.create({ name: 'siem', pattern: { source: ['vigil'] }, target: { type: 'syslog', host: '127.0.0.1', port: (sock.address() as AddressInfo).port, facility: 4 } });
      const critical = findings.find((f) => f.severity === 'critical')!;
      const events = [plain(1), findingVigilEvent(critical)];
      hub.start();
      for (const e of events) hub.publish(e);
      await waitFor('two datagrams', () => got.length === 2 && hub.counts().delivered === 2);
      const byId = new Map(got.map((m) => [JSON.parse(RFC5424.exec(m)![7]!).id as string, RFC5424.exec(m)!]));
      const host = byId.get(events[0]!.id)!;
      expect(Number(host[1])).toBe(4 * 8 + 6);
      expect(host[2]).toBe(events[0]!.time);
      expect(host[4]).toBe('vigil');
      expect(host[6]).toBe('HostStateChange');
      expect(JSON.parse(host[7]!)).toEqual(events[0]);
      const fnd = byId.get(events[1]!.id)!;
      expect(Number(fnd[1])).toBe(4 * 8 + 2);
      expect(fnd[6]).toBe('FindingStateChange');
    } finally {
      await hub.close();
      sock.close();
    }
  });

  it('frames messages over TCP with octet counting, and retries while nothing listens', async () => {
    const frames: string[] = [];
    const server = createServer((c) => {
      let buf = Buffer.alloc(0);
      c.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        for (;;) {
          const sp = buf.indexOf(0x20);
          if (sp < 0) return;
          const len = Number(buf.subarray(0, sp).toString());
          if (buf.length < sp + 1 + len) return;
          frames.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
          buf = buf.subarray(sp + 1 + len);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const hub = hubOf();
    try {
      hub.routes.create({ name: 'siem', pattern: { source: ['vigil'] }, target: { type: 'syslog', host: '127.0.0.1', port, protocol: 'tcp' } });
      const events = Array.from({ length: 10 }, (_, i) => plain(i));
      hub.start();
      for (const e of events) hub.publish(e);
      await waitFor('ten frames', () => frames.length === 10 && hub.counts().delivered === 10);
      expect(frames.map((f) => JSON.parse(RFC5424.exec(f)![7]!).id).sort()).toEqual(events.map((e) => e.id).sort());
      expect(frames.every((f) => Number(RFC5424.exec(f)![1]) === 16 * 8 + 6)).toBe(true);
      await new Promise<void>((r) => server.close(() => r()));
      hub.publish(plain(99));
      await waitFor('dead after three refused connections', () => hub.counts().dead === 1);
      expect(hub.deadLetters().items[0]).toMatchObject({ attempts: 3, lastError: expect.stringMatching(new RegExp(`^syslog tcp://127.0.0.1:${port}: connect ECONNREFUSED`)) });
    } finally {
      await hub.close();
      server.close();
    }
  });
});

describe('jsonl', () => {
  it('appends each event as one line to a 0600 file under the file root, fsynced, and never through a symlink', async () => {
    const root = path.join(tmp.dir, 'root');
    mkdirSync(root);
    const hub = new EventHub({ file: path.join(root, 'events.db'), log: silentLog, pollMs: 100, backoff: { baseMs: 20, capMs: 50, maxAttempts: 3 } });
    try {
      hub.routes.create({ name: 'siem', pattern: { 'detail-type': ['Host State Change'] }, target: { type: 'jsonl', path: 'siem/events.jsonl' } });
      const events = Array.from({ length: 50 }, (_, i) => plain(i));
      hub.start();
      for (const e of events) hub.publish(e);
      await waitFor('fifty lines', () => hub.counts().delivered === 50);
      const file = path.join(root, 'siem/events.jsonl');
      const lines = readFileSync(file, 'utf8').split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => JSON.parse(l) as VigilEvent).sort((a, b) => a.time.localeCompare(b.time))).toEqual(events);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      symlinkSync('/etc/hostname', path.join(root, 'link.jsonl'));
      const bad = hub.routes.create({ name: 'link', pattern: { 'detail-type': ['Probe'] }, target: { type: 'jsonl', path: 'link.jsonl' } });
      hub.publish({ ...plain(1), id: randomUUID(), 'detail-type': 'Probe' });
      await waitFor('dead at once', () => hub.deadLetters({ routeId: bad.id }).items.length === 1);
      expect(hub.deadLetters({ routeId: bad.id }).items[0]).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/ELOOP/) });
    } finally {
      await hub.close();
    }
  });
});

describe('a stored target this Vigil refuses', () => {
  it('kills its deliveries at once: a jsonl file outside the file root of the hub that sends', async () => {
    const db = path.join(tmp.dir, 'moved.db');
    const first = new EventHub({ file: db, log: silentLog, fileRoot: path.join(tmp.dir, 'root-a') });
    first.routes.create({ name: 'a', pattern: { source: ['vigil'] }, target: { type: 'jsonl', path: path.join(tmp.dir, 'root-a/x.jsonl') } });
    first.publish(plain(1));
    await first.close();
    const second = new EventHub({ file: db, log: silentLog, fileRoot: path.join(tmp.dir, 'root-b'), pollMs: 50 });
    try {
      second.start();
      await waitFor('dead', () => second.counts().dead === 1);
      expect(second.deadLetters().items[0]).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^event target \/path: must name a file inside /) });
    } finally {
      await second.close();
    }
  });
});

describe('webhook payloads', () => {
  it('Slack: fallback text and Block Kit blocks within Slack\'s limits, naming severity, vulnerability, package and host', () => {
    for (const f of findings) {
      const m = slackMessage(findingVigilEvent(f)) as { text: string; blocks: Array<Record<string, any>> };
      expect(m.text).toContain(f.vulnerability);
      expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
      expect(m.blocks[0]!.text).toMatchObject({ type: 'plain_text' });
      expect(m.blocks[0]!.text.text.length).toBeLessThanOrEqual(150);
      const fields = m.blocks[1]!.fields as Array<{ type: string; text: string }>;
      expect(fields.length).toBeLessThanOrEqual(10);
      for (const x of fields) {
        expect(x.type).toBe('mrkdwn');
        expect(x.text.length).toBeLessThanOrEqual(2000);
      }
      const all = fields.map((x) => x.text).join('\n');
      for (const want of [f.severity, f.vulnerability, f.component.name, f.installedVersion, 'web-1.example.com']) expect(all).toContain(want);
    }
    const hostile = slackMessage(findingVigilEvent(findings[0]!, '<!channel> & co'.repeat(20))) as { blocks: Array<Record<string, any>> };
    expect(hostile.blocks[0]!.text.text.length).toBe(150);
    expect(JSON.stringify(hostile.blocks[1])).toContain('&lt;!channel&gt; &amp; co');
    expect(JSON.stringify(hostile.blocks[1])).not.toContain('<!channel>');
    const other = slackMessage(plain(3)) as { text: string; blocks: Array<Record<string, any>> };
    expect(other.blocks[0]!.text.text).toBe('Host State Change');
    expect(JSON.stringify(other.blocks[1])).toContain('vigil:host/h3');
  });

  it('Teams: a message with one Adaptive Card attachment, its facts the finding\'s', () => {
    const f = findings.find((x) => x.fixedVersion && x.cvss)!;
    const m = teamsMessage(findingVigilEvent(f)) as { type: string; attachments: Array<Record<string, any>> };
    expect(m.type).toBe('message');
    expect(m.attachments).toHaveLength(1);
    const a = m.attachments[0]!;
    expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(a.content).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.2' });
    const [title, facts] = a.content.body as Array<Record<string, any>>;
    expect(title).toMatchObject({ type: 'TextBlock', wrap: true });
    expect(title!.text).toContain(f.vulnerability);
    expect(facts!.type).toBe('FactSet');
    const map = Object.fromEntries((facts!.facts as Array<{ title: string; value: string }>).map((x) => [x.title, x.value]));
    expect(map).toMatchObject({ Vulnerability: f.vulnerability, Host: 'web-1.example.com', Status: 'ACTIVE' });
    expect(map.Severity).toContain(f.severity);
    expect(map.Package).toBe(`${f.component.name} ${f.installedVersion} (fixed in ${f.fixedVersion})`);
    const other = teamsMessage(plain(4)) as { attachments: Array<Record<string, any>> };
    expect(other.attachments[0]!.content.body[0].text).toBe('Host State Change');
  });

  it('a slack route POSTs the Slack form of the event, signed like any other', async () => {
    const rx = new Receiver(SECRET);
    await rx.start();
    const hub = hubOf();
    try {
      hub.routes.create({ name: 'slack', pattern: { detail: { finding: { severity: ['critical', 'high'] } } }, target: { type: 'webhook', url: rx.url, secret: SECRET, template: 'slack' } });
      const events = findings.map((f) => findingVigilEvent(f));
      hub.start();
      for (const e of events) hub.publish(e);
      const serious = events.filter((e) => ['critical', 'high'].includes((e.detail.finding as Finding).severity));
      expect(serious.length).toBeGreaterThan(0);
      await waitFor('the serious findings posted', () => hub.counts().delivered === serious.length);
      for (const r of rx.requests) expect(JSON.parse(r.body)).toEqual(slackMessage(serious.find((e) => e.id === r.id)!));
      expect(rx.requests.every((r) => r.valid)).toBe(true);
    } finally {
      await hub.close();
      await rx.stop();
    }
  });
});

describe('signatures', () => {
  it('are HMAC-SHA256 over "<timestamp>.<body>", as openssl computes it', () => {
    const body = JSON.stringify(plain(5));
    const out = execFileSync('openssl', ['dgst', '-sha256', '-hmac', SECRET], { input: `1764496800.${body}`, encoding: 'utf8' });
    expect(out.trim().split(/\s+/).pop()).toBe(signatureOf(SECRET, 1764496800, body));
  });

  it('verify within the replay window only, for the exact body and secret, with any of several v1 values', () => {
    const body = '{"id":"x"}';
    const ts = 1764496800;
    const at = (s: number) => new Date((ts + s) * 1000);
    const header = `v1=${signatureOf(SECRET, ts, body)}`;
    expect(verifySignature(SECRET, ts, body, header, at(0))).toBe(true);
    expect(verifySignature(SECRET, String(ts), Buffer.from(body), header, at(300))).toBe(true);
    expect(verifySignature(SECRET, ts, body, header, at(301))).toBe(false);
    expect(verifySignature(SECRET, ts, body, header, at(-301))).toBe(false);
    expect(verifySignature(SECRET, ts, body, header, at(3000), 3600)).toBe(true);
    expect(verifySignature(SECRET, ts, body + ' ', header, at(0))).toBe(false);
    expect(verifySignature('another-secret-0123456', ts, body, header, at(0))).toBe(false);
    expect(verifySignature(SECRET, ts + 1, body, header, at(0))).toBe(false);
    expect(verifySignature(SECRET, ts, body, `v1=${'0'.repeat(64)}, ${header}`, at(0))).toBe(true);
    for (const bad of [undefined, '', 'v1=zz', header.slice(0, -2), `v0=${signatureOf(SECRET, ts, body)}`]) expect(verifySignature(SECRET, ts, body, bad, at(0))).toBe(false);
    expect(verifySignature(SECRET, '12.5', body, header, at(0))).toBe(false);
  });
});
