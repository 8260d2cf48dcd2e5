import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { PKGDB, makeRoot, tempDir } from '../helpers/fixtures.js';
import { addStatusPackage, enroll, startAgent, startServer, waitFor, type AgentHandle, type ServerHandle } from '../helpers/fleet.js';

/**
 * The live streams (GET /api/v1/hosts/ID/events, /api/v1/jobs/N/events) read over
 * HTTP from a real `vigil server run` on loopback, with a real agent on a small root:
 * the heartbeat comment, a rescan's steps with its request id, Last-Event-ID resume,
 * the 8 streams a token may hold, a job's stream ending with the job, and refusals.
 */

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';
/** Generous: the server is asked for a comment every second. */
const HEARTBEAT_S = 1;

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** One text/event-stream response read as it arrives: its events, its comment lines, and whether it ended. */
class Sse {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  body = '';
  ended = false;
  private buf = '';
  private req!: ClientRequest;
  readonly ready: Promise<void>;

  constructor(url: string, headers: Record<string, string>) {
    this.ready = new Promise((resolve, reject) => {
      this.req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          this.body += chunk;
          this.buf += chunk;
          let at: number;
          while ((at = this.buf.indexOf('\n\n')) >= 0) {
            this.block(this.buf.slice(0, at));
            this.buf = this.buf.slice(at + 2);
          }
        });
        res.on('end', () => (this.ended = true));
        res.on('close', () => (this.ended = true));
        resolve();
      });
      this.req.on('error', (err) => (this.status ? (this.ended = true) : reject(err)));
      this.req.end();
    });
  }

  private block(text: string): void {
    const e: SseEvent = {};
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      const m = /^(id|event|data): ?(.*)$/.exec(line);
      if (m) e[m[1] as keyof SseEvent] = m[2];
    }
    if (e.event || e.data) this.events.push(e);
  }

  named(name: string): Array<SseEvent & { json: Record<string, unknown> }> {
    return this.events.filter((e) => e.event === name).map((e) => ({ ...e, json: JSON.parse(e.data!) as Record<string, unknown> }));
  }

  close(): void {
    this.req.destroy();
  }
}

let tmp: { dir: string; cleanup: () => void };
let root: { root: string; cleanup: () => void };
let server: ServerHandle;
let agent: AgentHandle;
let viewer = '';
const open: Sse[] = [];

const base = (): string => `http://127.0.0.1:${server.apiPort}/api/v1`;
/** A stream of `route` with `token` ('' sends none). */
function stream(route: string, token = server.token, headers: Record<string, string> = {}): Sse {
  const s = new Sse(`${base()}/${route}`, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers });
  open.push(s);
  return s;
}
async function call<T>(method: string, route: string, token = server.token): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base()}/${route}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  tmp = tempDir('vigil-live-http-');
  const keys = await vigil(['keys', 'init', '--out', path.join(tmp.dir, 'root'), '--json']);
  expect(keys.code, keys.stderr).toBe(0);
  const serverDir = path.join(tmp.dir, 'server');
  const rot = await vigil(['keys', 'rotate', '--root-key', path.join(tmp.dir, 'root/root.key'), '--dir', path.join(serverDir, 'keys'), '--actions', 'patch', '--managers', 'apt', '--ttl', '1d', '--json']);
  expect(rot.code, rot.stderr).toBe(0);
  server = await startServer(serverDir, { args: ['--live-heartbeat', String(HEARTBEAT_S)] });
  root = makeRoot({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') } });
  const stateDir = path.join(tmp.dir, 'agent');
  const id = await enroll(server, stateDir);
  // No watcher: a change to the root reaches the server only through a rescan.
  agent = startAgent(id, stateDir, root.root, { watch: { enabled: false } });
  await waitFor('the agent online with its inventory', async () => {
    const h = await call<{ state: string; connected: boolean; components: number }>('GET', `hosts/${id}`);
    return h.body.connected && h.body.components > 0;
  }, 120_000);
  const created = await vigil(['token', 'create', '--role', 'viewer', '--name', 'live-viewer', '--data-dir', serverDir]);
  expect(created.code, created.stderr).toBe(0);
  viewer = created.stdout.trim().split('\n').at(-1)!.trim();
}, 300_000);

afterAll(async () => {
  for (const s of open) s.close();
  await agent?.proc.kill();
  await server?.proc.kill();
  root?.cleanup();
  tmp?.cleanup();
});

describe('live event streams over HTTP', () => {
  it('answers text/event-stream with a snapshot, then a heartbeat comment while idle', async () => {
    const s = stream(`hosts/${agent.id}/events`);
    await s.ready;
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(s.headers['cache-control']).toBe('no-store');
    await waitFor('the snapshot', () => s.named('snapshot').length === 1, 30_000, 20);
    expect(s.named('snapshot')[0]!.json).toMatchObject({ hostId: agent.id, state: 'online', connected: true });
    // The deadline is generous (30 heartbeats); only that one arrives is asserted.
    await waitFor('a heartbeat comment', () => s.comments.includes('heartbeat'), HEARTBEAT_S * 30_000, 50);
    expect(s.ended).toBe(false);
    s.close();
  }, 60_000);

  it("sends a rescan's steps in order, each with the request id the POST answers, the inventory applied between them", async () => {
    const s = stream(`hosts/${agent.id}/events`);
    await waitFor('the snapshot', () => s.named('snapshot').length === 1, 30_000, 20);
    addStatusPackage(root.root, 'vigil-live-probe', '1.0-1');
    const r = await call<{ requestId: string; added: Array<{ key: string }>; findingsOpened: unknown[]; findingsClosed: unknown[] }>('POST', `hosts/${agent.id}/rescan`);
    expect(r.status).toBe(200);
    expect(r.body.added.map((a) => a.key.split('@')[0])).toEqual(['pkg:deb/debian/vigil-live-probe']);
    await waitFor('matched', () => s.named('rescan').some((e) => e.json.phase === 'matched'), 30_000, 20);
    const steps = s.events.filter((e) => e.event === 'rescan' || e.event === 'inventory').map((e) => ({ ...(JSON.parse(e.data!) as Record<string, unknown>), event: e.event }) as Record<string, unknown>);
    expect(steps.map((e) => (e.event === 'rescan' ? e.phase : e.event))).toEqual(['requested', 'inventory', 'received', 'matched']);
    for (const e of steps.filter((x) => x.event === 'rescan')) expect(e.requestId).toBe(r.body.requestId);
    expect(steps[3]).toMatchObject({ added: 1, removed: 0, changed: 0, findingsOpened: r.body.findingsOpened.length, findingsClosed: r.body.findingsClosed.length });
    const times = steps.map((e) => Date.parse(e.time as string));
    expect(times.every((t, i) => Number.isFinite(t) && (i === 0 || t >= times[i - 1]!))).toBe(true);
    s.close();
  }, 120_000);

  it('resumes after Last-Event-ID with exactly the events after that id, then live ones; an id it cannot resume from gets a snapshot', async () => {
    const a = stream(`hosts/${agent.id}/events`);
    await waitFor('the snapshot', () => a.named('snapshot').length === 1, 30_000, 20);
    for (let i = 0; i < 2; i++) expect((await call('POST', `hosts/${agent.id}/rescan`)).status).toBe(200);
    await waitFor('both rescans matched', () => a.named('rescan').filter((e) => e.json.phase === 'matched').length === 2, 30_000, 20);
    const seen = a.events.filter((e) => e.id && e.event !== 'snapshot');
    expect(seen.length).toBeGreaterThanOrEqual(6);
    const from = seen[2]!;
    a.close();

    const b = stream(`hosts/${agent.id}/events`, server.token, { 'last-event-id': from.id! });
    await waitFor('the missed events', () => b.events.length >= seen.length - 3, 30_000, 20);
    expect(b.named('snapshot')).toEqual([]);
    expect(b.events.map((e) => [e.id, e.event, e.data])).toEqual(seen.slice(3).map((e) => [e.id, e.event, e.data]));
    expect((await call('POST', `hosts/${agent.id}/rescan`)).status).toBe(200);
    await waitFor('the next rescan live', () => b.named('rescan').filter((e) => e.json.phase === 'matched').length === 2, 30_000, 20);
    b.close();

    const c = stream(`hosts/${agent.id}/events`, server.token, { 'last-event-id': '00000000-1' });
    await waitFor('a snapshot', () => c.named('snapshot').length === 1, 30_000, 20);
    expect(c.events.length).toBe(1);
    c.close();
  }, 120_000);

  it('refuses the 9th stream one token holds at once with 503 and says why; a closed stream frees its place', async () => {
    const held = Array.from({ length: 8 }, () => stream(`hosts/${agent.id}/events`, viewer));
    for (const s of held) await waitFor('a snapshot', () => s.named('snapshot').length === 1, 30_000, 20);
    const ninth = stream(`hosts/${agent.id}/events`, viewer);
    await ninth.ready;
    await waitFor('the refusal', () => ninth.ended && ninth.body.length > 0, 30_000, 20);
    expect(ninth.status).toBe(503);
    expect(ninth.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(ninth.body)).toMatchObject({ status: 503, code: 'UNAVAILABLE', detail: 'token live-viewer already holds 8 live streams: close one first' });
    // Another token is not held to this one's places.
    const other = stream(`hosts/${agent.id}/events`);
    await waitFor('a snapshot', () => other.named('snapshot').length === 1, 30_000, 20);
    other.close();
    held[0]!.close();
    const again = await waitFor('a place freed', async () => {
      const s = stream(`hosts/${agent.id}/events`, viewer);
      await s.ready;
      if (s.status === 200) return s;
      await waitFor('the refusal read', () => s.ended, 30_000, 20);
      return undefined;
    }, 30_000, 50);
    await waitFor('a snapshot', () => again.named('snapshot').length === 1, 30_000, 20);
    for (const s of [...held, again]) s.close();
  }, 120_000);

  it("ends a job's stream when the job ends, and a finished job's stream right after its snapshot", async () => {
    const created = await call<{ jobId: number }>('POST', `jobs?hosts=${agent.id}&window=${encodeURIComponent('0 0 1 1 *')}&window-minutes=1`);
    expect(created.status).toBe(201);
    const id = created.body.jobId;
    const s = stream(`jobs/${id}/events`);
    await waitFor('the snapshot', () => s.named('snapshot').length === 1, 30_000, 20);
    expect((s.named('snapshot')[0]!.json.job as { state: string }).state).toBe('running');
    expect(s.ended).toBe(false);
    expect((await call('POST', `jobs/${id}/cancel`)).status).toBe(200);
    await waitFor('the stream ended', () => s.ended, 30_000, 20);
    const views = s.named('view');
    expect((views.at(-1)!.json.job as { state: string }).state).toBe('cancelled');
    expect(s.named('job').map((e) => e.json.state)).toContain('cancelled');

    const after = stream(`jobs/${id}/events`);
    await waitFor('the stream ended', () => after.ended, 30_000, 20);
    expect(after.status).toBe(200);
    expect(after.events.map((e) => e.event)).toEqual(['snapshot']);
    expect((after.named('snapshot')[0]!.json.job as { state: string }).state).toBe('cancelled');
  }, 120_000);

  it('refuses a stream without a token, with an unknown token, and of a host or job that does not exist', async () => {
    const cases: Array<[string, string, number, RegExp]> = [
      [`hosts/${agent.id}/events`, '', 401, /^missing bearer token/],
      [`hosts/${agent.id}/events`, 'vigil_at_000000000000_nope', 401, /^unknown, revoked or expired API token$/],
      ['jobs/1/events', '', 401, /^missing bearer token/],
      ['hosts/a-0000000000000000/events', viewer, 404, /a-0000000000000000/],
      ['jobs/999999/events', viewer, 404, /999999/],
    ];
    for (const [route, token, status, detail] of cases) {
      const s = stream(route, token);
      await s.ready;
      await waitFor(`the refusal of ${route}`, () => s.ended, 30_000, 20);
      expect([route, s.status], s.body).toEqual([route, status]);
      expect(s.events).toEqual([]);
      expect((JSON.parse(s.body) as { detail: string }).detail).toMatch(detail);
    }
  }, 60_000);
});
