import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VigilError } from '../../common/errors.js';
import { isActiveJob } from '../../common/lifecycle/patch-job.js';
import { LiveEvents, type LiveEvent } from '../live-events.js';
import { resource } from '../events.js';
import { ERRORS, type ApiOptions } from './options.js';

declare module './options.js' {
  interface ApiOptions {
    /** Job, command, host and rescan events as they happen, for the live streams (GET .../events). */
    live?: LiveEvents;
  }
}

/** SSE event names by the live event's type. */
const NAMES: Record<string, string> = {
  'Patch Job State Change': 'job',
  'Patch Command State Change': 'host',
  'Host State Change': 'host-state',
  'Rescan Progress': 'rescan',
  'Inventory Change': 'inventory',
};

const STREAM_RESPONSE = {
  200: {
    description:
      'A text/event-stream: a `snapshot` (or, after `Last-Event-ID`, the events missed), then each change as it happens, each with an id to resume from; a comment line every 15 s (`vigil server run --live-heartbeat`) while idle. A token holds at most 8 streams at once: a ninth is refused with 503 (`token NAME already holds 8 live streams: close one first`).',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  },
  ...ERRORS,
} as const;

interface Stream {
  send(event: string, data: unknown, id?: string): void;
  close(): void;
  closed: boolean;
}

/** Hijacks the reply into a server-sent event stream, counted against the token's places and freed when either side ends it. */
function openStream(req: FastifyRequest, reply: FastifyReply, live: LiveEvents, cleanup: Array<() => void>): Stream {
  const release = live.acquire(req.principal?.tokenId ?? 'none');
  if (!release) throw new VigilError('UNAVAILABLE', `token ${req.principal?.name ?? ''} already holds ${live.maxStreamsPerToken} live streams: close one first`);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff' });
  res.write('retry: 2000\n\n');
  const beat = setInterval(() => res.write(': heartbeat\n\n'), live.heartbeatMs);
  const s: Stream = {
    closed: false,
    send(event, data, id) {
      if (!s.closed) res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (s.closed) return;
      s.closed = true;
      clearInterval(beat);
      for (const fn of cleanup) fn();
      release();
      res.end();
    },
  };
  // The response's close: the client went away or the stream was ended (a request's own close fires once its body is read).
  res.on('close', () => s.close());
  res.on('error', () => s.close());
  return s;
}

const sendEvent = (s: Stream, e: LiveEvent): void => s.send(NAMES[e.type] ?? 'event', { ...e.detail, time: e.time }, e.id);

export function liveRoutes(opts: ApiOptions) {
  const live = (opts.live ??= new LiveEvents());
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Params: { id: number } }>('/api/v1/jobs/:id/events', {
      config: { role: 'viewer' },
      schema: {
        summary: "A patch job's state and each host's steps as they happen (server-sent events; ends with the job)",
        tags: ['jobs'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
        response: STREAM_RESPONSE,
      },
      handler: async (req, reply) => {
        const id = req.params.id;
        const res = resource.job(id);
        const mark = live.lastId();
        const view = await opts.fleet.patchView(id);
        const cleanup: Array<() => void> = [];
        const s = openStream(req, reply, live, cleanup);
        // One view at a time after a burst of changes: the evidence and the findings closed come with it.
        let fetching = false;
        let again = false;
        const refresh = async (): Promise<void> => {
          if (fetching) return void (again = true);
          fetching = true;
          try {
            do {
              again = false;
              const v = await opts.fleet.patchView(id);
              s.send('view', v);
              if (!isActiveJob(v.job.state)) return s.close();
            } while (again && !s.closed);
          } catch {
            s.close();
          } finally {
            fetching = false;
          }
        };
        const on = (e: LiveEvent): void => {
          if (!e.resources.includes(res) || s.closed) return;
          sendEvent(s, e);
          void refresh();
        };
        const lastId = req.headers['last-event-id'];
        const missed = typeof lastId === 'string' ? live.since(lastId, res) : undefined;
        if (missed) for (const e of missed) sendEvent(s, e);
        else s.send('snapshot', view, mark);
        if (!missed) for (const e of live.since(mark, res) ?? []) sendEvent(s, e);
        // A job already over has nothing more to send: what it was is in the snapshot or the events just sent.
        if (!isActiveJob(view.job.state)) return s.close();
        cleanup.push(live.subscribe(on));
        if (missed?.length) void refresh();
      },
    });

    app.get<{ Params: { id: string } }>('/api/v1/hosts/:id/events', {
      config: { role: 'viewer' },
      schema: {
        summary: "A host's state changes, inventories applied and rescan steps (requested, received, matched, each with its request id) as they happen (server-sent events)",
        tags: ['hosts'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' } } },
        response: STREAM_RESPONSE,
      },
      handler: async (req, reply) => {
        const id = req.params.id;
        const res = resource.host(id);
        const mark = live.lastId();
        const host = await opts.fleet.host(id);
        const cleanup: Array<() => void> = [];
        const s = openStream(req, reply, live, cleanup);
        const lastId = req.headers['last-event-id'];
        const missed = typeof lastId === 'string' ? live.since(lastId, res) : undefined;
        if (missed) for (const e of missed) sendEvent(s, e);
        else {
          s.send('snapshot', { hostId: id, state: host.state, connected: opts.streams.connected().includes(id), lastSeenAt: host.lastSeenAt }, mark);
          for (const e of live.since(mark, res) ?? []) sendEvent(s, e);
        }
        cleanup.push(live.subscribe((e) => e.resources.includes(res) && sendEvent(s, e)));
      },
    });
  };
}
