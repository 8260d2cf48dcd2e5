import { VigilError } from '../../common/errors.js';
import type { RouteView, StoredEvent } from '../../server/events/hub.js';
import type { DeliveryRecord } from '../../store/sqlite-events-rows.js';
import { apiCall, apiList, apiTarget } from '../api-client.js';
import { oneOf, parse } from '../args.js';
import { table } from '../output.js';
import { readInputFile } from '../scan-suppress.js';
import { terminalWidth } from './rules.js';

export const EVENTS_USAGE = `usage: vigil events list [--detail-type TYPE] [--json]

The events the server stored, oldest first: every finding, host, patch job and
patch command state change as an EventBridge event (source "vigil", detail-type
"Finding State Change", "Host State Change", "Patch Job State Change" or "Patch
Command State Change", resources such as vigil:host/ID). --detail-type keeps one
type. "vigil routes" sends them on. API and token as for "vigil hosts".`;

export const ROUTES_USAGE = `usage: vigil routes list [--json]
       vigil routes add --name NAME --pattern JSON|@FILE
                        (--webhook URL [--template raw|slack|teams] [--secret S]
                         | --jsonl PATH | --syslog HOST:PORT [--tcp]) [--json]
       vigil routes remove ID

An event route sends every event its EventBridge pattern matches to one target,
at least once (retried with backoff, dead after 24 h of failures or 200 attempts).
add     --pattern is the pattern as JSON, or @FILE to read it from a file, e.g.
        '{"detail-type":["Finding State Change"],"detail":{"finding":{"severity":["critical"]}}}'.
        --webhook POSTs each event signed with HMAC-SHA256 (Vigil-Signature), to
        https:// or to http://127.0.0.1 / [::1] only; --template slack or teams
        shapes the body for those; --secret (16 characters or more) is the
        signing key, else the server makes one: it is printed only here.
        --jsonl appends JSON lines to a file inside the server's data directory.
        --syslog sends RFC 5424 messages over UDP, over TCP with --tcp.
remove  deletes the route and its deliveries.
Needs an admin token (list: operator). Exit 4 when the server refuses the
pattern or the target, naming what is wrong. API and token as for "vigil hosts".`;

export const DELIVERIES_USAGE = `usage: vigil deliveries list [--state pending|delivered|dead[,...]] [--route ID] [--json]
       vigil deliveries redeliver ID [--json]

A delivery is one event on its way to one route's target: pending until it is
sent, then delivered, or dead when the target refused it or retries ran out
(--state dead lists the dead letters, with their last error).
redeliver  queues a dead or delivered delivery again, due now (exit 8 while it
           is pending). Needs an operator token. API and token as for "vigil hosts".`;

const COMMON = { api: { type: 'string' }, 'token-file': { type: 'string' }, json: { type: 'boolean' } } as const;
const DELIVERY_STATES = ['pending', 'delivered', 'dead'] as const;

function out(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : text());
}

export async function eventsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list') throw new VigilError('USAGE', `unknown events subcommand ${JSON.stringify(sub ?? '')}; use list`);
  const { values } = parse(rest, { ...COMMON, 'detail-type': { type: 'string' } }, 0);
  const events = await apiList<StoredEvent>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'events', 'events', { 'detail-type': values['detail-type'] });
  out(values.json, events, () =>
    events.length === 0
      ? 'no events\n'
      : table(
          ['SEQ', 'TIME', 'DETAIL-TYPE', 'RESOURCES'],
          events.map((e) => [String(e.seq), e.time, e['detail-type'], e.resources.join(' ')]),
          { maxWidth: terminalWidth() },
        ),
  );
  return 0;
}

function targetText(t: Record<string, unknown>): string {
  switch (t.type) {
    case 'webhook':
      return `webhook ${String(t.url)}${t.template && t.template !== 'raw' ? ` (${String(t.template)})` : ''}`;
    case 'jsonl':
      return `jsonl ${String(t.path)}`;
    case 'syslog':
      return `syslog ${String(t.protocol)} ${String(t.host)}:${String(t.port)}`;
    default:
      return JSON.stringify(t);
  }
}

/** `--pattern`: JSON text, or @FILE holding it. Text that is not JSON is refused here, naming where it came from. */
function readPattern(arg: string): unknown {
  const fromFile = arg.startsWith('@');
  const text = fromFile ? readInputFile(arg.slice(1), 'event pattern file', 256 * 1024) : arg;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new VigilError('INVALID_INPUT', `${fromFile ? `event pattern file ${arg.slice(1)}` : '--pattern'} is not JSON: ${(err as Error).message}`);
  }
}

/** HOST:PORT, [IPv6]:PORT: the server checks the host name and the port's range. */
function syslogAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (!m) throw new VigilError('USAGE', `--syslog must be HOST:PORT or [IPv6]:PORT (got ${JSON.stringify(text)})`);
  return { host: m[1] ?? m[2]!, port: Number(m[3]) };
}

function routeTarget(v: { webhook?: string | undefined; template?: string | undefined; secret?: string | undefined; jsonl?: string | undefined; syslog?: string | undefined; tcp?: boolean | undefined }): Record<string, unknown> {
  const kinds = (['webhook', 'jsonl', 'syslog'] as const).filter((k) => v[k] !== undefined);
  if (kinds.length !== 1) throw new VigilError('USAGE', 'routes add needs exactly one target: --webhook URL, --jsonl PATH or --syslog HOST:PORT');
  if (kinds[0] !== 'webhook' && (v.template !== undefined || v.secret !== undefined)) throw new VigilError('USAGE', '--template and --secret go with --webhook');
  if (kinds[0] !== 'syslog' && v.tcp) throw new VigilError('USAGE', '--tcp goes with --syslog');
  if (v.webhook !== undefined) {
    return { type: 'webhook', url: v.webhook, template: oneOf('template', v.template, ['raw', 'slack', 'teams'], 'raw'), ...(v.secret !== undefined ? { secret: v.secret } : {}) };
  }
  if (v.jsonl !== undefined) return { type: 'jsonl', path: v.jsonl };
  return { type: 'syslog', ...syslogAddress(v.syslog!), protocol: v.tcp ? 'tcp' : 'udp' };
}

export async function routesCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list': {
      const { values } = parse(rest, COMMON, 0);
      const routes = await apiList<RouteView>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'routes', 'routes');
      out(values.json, routes, () =>
        routes.length === 0
          ? 'no event routes\n'
          : table(
              ['ID', 'NAME', 'ENABLED', 'TARGET', 'PATTERN'],
              routes.map((r) => [r.id, r.name, r.enabled ? 'yes' : 'no', targetText(r.target), JSON.stringify(r.pattern)]),
              { maxWidth: terminalWidth() },
            ),
      );
      return 0;
    }
    case 'add': {
      const { values } = parse(
        rest,
        {
          ...COMMON,
          name: { type: 'string' },
          pattern: { type: 'string' },
          webhook: { type: 'string' },
          template: { type: 'string' },
          secret: { type: 'string' },
          jsonl: { type: 'string' },
          syslog: { type: 'string' },
          tcp: { type: 'boolean' },
        },
        0,
      );
      if (values.name === undefined) throw new VigilError('USAGE', 'routes add needs --name NAME');
      if (values.pattern === undefined) throw new VigilError('USAGE', 'routes add needs --pattern JSON|@FILE');
      const target = routeTarget(values);
      const pattern = readPattern(values.pattern);
      const r = await apiCall<RouteView>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'POST', 'routes', {}, { name: values.name, pattern, target });
      out(values.json, r, () => {
        const lines = [`route ${r.id} (${r.name}) created: ${targetText(r.target)}`];
        // The creation answer is the only one that shows a webhook's secret.
        if (r.target.type === 'webhook' && values.secret === undefined) lines.push(`signing secret (shown only now): ${String(r.target.secret)}`);
        return lines.join('\n') + '\n';
      });
      return 0;
    }
    case 'remove': {
      const { values, positionals } = parse(rest, COMMON, 1);
      const id = positionals[0];
      if (!id) throw new VigilError('USAGE', 'routes remove needs a route ID');
      await apiCall<undefined>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'DELETE', `routes/${encodeURIComponent(id)}`);
      out(values.json, { id, removed: true }, () => `route ${id} removed with its deliveries\n`);
      return 0;
    }
    default:
      throw new VigilError('USAGE', `unknown routes subcommand ${JSON.stringify(sub ?? '')}; use list, add or remove`);
  }
}

export async function deliveriesCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list': {
      const { values } = parse(rest, { ...COMMON, state: { type: 'string' }, route: { type: 'string' } }, 0);
      for (const s of values.state?.split(',') ?? []) {
        if (!(DELIVERY_STATES as readonly string[]).includes(s.trim())) throw new VigilError('USAGE', `--state: ${JSON.stringify(s)} is not one of ${DELIVERY_STATES.join(', ')}`);
      }
      const t = apiTarget({ api: values.api, tokenFile: values['token-file'] });
      const list = await apiList<DeliveryRecord>(t, 'deliveries', 'deliveries', { state: values.state?.split(',').map((s) => s.trim()).join(','), route: values.route });
      out(values.json, list, () =>
        list.length === 0
          ? 'no deliveries\n'
          : table(
              ['ID', 'STATE', 'ROUTE', 'EVENT', 'ATTEMPTS', 'QUEUED', 'DELIVERED / NEXT ATTEMPT', 'LAST ERROR'],
              list.map((d) => [String(d.id), d.state, d.routeId, d.eventId, String(d.attempts), d.queuedAt, d.state === 'delivered' ? (d.deliveredAt ?? '') : d.state === 'pending' ? d.nextAttemptAt : '', d.lastError ?? '']),
              { maxWidth: terminalWidth() },
            ),
      );
      return 0;
    }
    case 'redeliver': {
      const { values, positionals } = parse(rest, COMMON, 1);
      const id = positionals[0];
      if (!id || !/^[1-9]\d{0,15}$/.test(id)) throw new VigilError('USAGE', 'deliveries redeliver needs a delivery ID (a number, as deliveries list shows)');
      const d = await apiCall<DeliveryRecord>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'POST', `deliveries/${id}/redeliver`);
      out(values.json, d, () => `delivery ${d.id} of event ${d.eventId} to route ${d.routeId} queued again\n`);
      return 0;
    }
    default:
      throw new VigilError('USAGE', `unknown deliveries subcommand ${JSON.stringify(sub ?? '')}; use list or redeliver`);
  }
}
