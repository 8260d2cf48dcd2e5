import type { FastifyInstance } from 'fastify';
import { describeError } from '../../common/errors.js';
import { HOST_STATES } from '../../common/lifecycle/host.js';
import { resource } from '../events.js';
import { inventoryRoutes } from './routes-inventory.js';
import { remediationPlan } from '../../matcher/remediation.js';
import type { HostSummary } from '../fleet-types.js';
import { requireHostsInScope } from './scope.js';
import { ERRORS, type ApiOptions } from './options.js';
import { splitList } from './params.js';
import { decodeCursor, encodeCursor, isPosition, pageOf, parseSort, type Position } from './paging.js';
import { pageSchema, pagingQuery, ref } from './schemas.js';

const HOST_ID = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' } as const;
const HOST_SORT = ['hostname', 'lastSeenAt', 'enrolledAt', 'state', 'findings', 'critical', 'id'] as const;
type HostSort = (typeof HOST_SORT)[number];

interface HostsQuery {
  tag?: string;
  state?: string[];
  q?: string;
  sort?: string;
  cursor?: string;
  limit: number;
}

function sortValue(h: HostSummary, key: HostSort): string | number {
  switch (key) {
    case 'findings':
      return h.findings.total;
    case 'critical':
      return h.findings.critical;
    default:
      return h[key];
  }
}

const change = { type: 'object', required: ['key', 'version'], properties: { key: { type: 'string' }, version: { type: 'string' } } } as const;
const inventoryPoint = { oneOf: [{ type: 'null' }, { type: 'object', required: ['seq', 'digest'], properties: { seq: { type: 'integer' }, digest: { type: 'string' } } }] } as const;
const rescanSchema = {
  type: 'object',
  required: ['hostId', 'requestId', 'before', 'after', 'added', 'removed', 'changed', 'findingsOpened', 'findingsClosed'],
  additionalProperties: false,
  properties: {
    hostId: { type: 'string' },
    requestId: { type: 'string' },
    before: inventoryPoint,
    after: inventoryPoint,
    added: { type: 'array', items: change },
    removed: { type: 'array', items: change },
    changed: { type: 'array', items: { type: 'object', required: ['key', 'from', 'to'] } },
    findingsOpened: { type: 'array', items: ref('HostFinding') },
    findingsClosed: { type: 'array', items: ref('HostFinding') },
  },
} as const;

export function hostRoutes(opts: ApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: HostsQuery }>('/api/v1/hosts', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Hosts, filtered and sorted, one page at a time',
        tags: ['hosts'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            tag: { type: 'string', maxLength: 256, description: 'Only hosts with this tag (key=value).' },
            state: { type: 'array', items: { type: 'string', maxLength: 256 }, description: `Comma-separated or repeated: ${HOST_STATES.join(', ')}.` },
            q: { type: 'string', maxLength: 256, description: 'Substring of the hostname or id.' },
            sort: { type: 'string', description: `One of ${HOST_SORT.join(', ')}; prefix - for descending. Default hostname.` },
            ...pagingQuery,
          },
        },
        response: { 200: pageSchema('hosts', ref('HostSummary')), ...ERRORS },
      },
      handler: async (req) => {
        const q = { ...req.query, state: splitList(req.query.state, HOST_STATES, 'state') };
        const sort = parseSort(q.sort, HOST_SORT, 'hostname');
        const after = decodeCursor<Position>(q.cursor, q, isPosition);
        const connected = new Set(opts.streams.connected());
        let hosts = (await opts.fleet.hosts(q.tag ? { tag: q.tag } : {})).map((h) => ({ ...h, connected: connected.has(h.id) }));
        if (q.state) hosts = hosts.filter((h) => q.state!.includes(h.state));
        if (q.q) hosts = hosts.filter((h) => h.hostname.includes(q.q!) || h.id.includes(q.q!));
        const page = pageOf(hosts, (h) => ({ value: sortValue(h, sort.key), id: h.id }), sort, after, q.limit);
        return page.next ? { hosts: page.items, next: encodeCursor(page.next, q) } : { hosts: page.items };
      },
    });

    app.get<{ Params: { id: string } }>('/api/v1/hosts/:id', {
      config: { role: 'viewer' },
      schema: { summary: 'One host with its facts and advisory coverage', tags: ['hosts'], params: { type: 'object', required: ['id'], properties: { id: HOST_ID } }, response: { 200: ref('HostDetail'), ...ERRORS } },
      handler: async (req) => ({ ...(await opts.fleet.host(req.params.id)), connected: opts.streams.connected().includes(req.params.id) }),
    });

    app.delete<{ Params: { id: string } }>('/api/v1/hosts/:id', {
      config: { role: 'admin' },
      schema: {
        summary: 'Delete a revoked host with its inventory and findings (409 unless revoked)',
        tags: ['hosts'],
        params: { type: 'object', required: ['id'], properties: { id: HOST_ID } },
        response: { 200: { type: 'object', description: 'What was removed.' }, ...ERRORS },
      },
      handler: async (req) => opts.fleet.deleteHost(req.params.id),
    });

    app.get<{ Params: { id: string } }>('/api/v1/hosts/:id/remediation', {
      config: { role: 'viewer' },
      schema: { summary: "The host's active findings as the upgrades that fix them", tags: ['hosts'], params: { type: 'object', required: ['id'], properties: { id: HOST_ID } }, response: { 200: { type: 'object' }, ...ERRORS } },
      handler: async (req) => {
        await opts.fleet.host(req.params.id);
        const active = await opts.fleet.findings({ hostId: req.params.id, status: 'ACTIVE' });
        return remediationPlan(
          active.map((s) => s.finding),
          'host',
        );
      },
    });

    app.get<{ Params: { id: string; fid: string } }>('/api/v1/hosts/:id/findings/:fid', {
      config: { role: 'viewer' },
      schema: {
        summary: 'One finding of one host with every episode',
        tags: ['findings'],
        params: { type: 'object', required: ['id', 'fid'], properties: { id: HOST_ID, fid: { type: 'string', maxLength: 512 } } },
        response: { 200: ref('HostFinding'), ...ERRORS },
      },
      handler: async (req) => opts.fleet.finding(req.params.id, req.params.fid),
    });

    app.post<{ Params: { id: string }; Querystring: { timeout: number } }>('/api/v1/hosts/:id/rescan', {
      config: { role: 'operator' },
      schema: {
        summary: 'Ask the host to inventory now; answers what changed',
        tags: ['hosts'],
        params: { type: 'object', required: ['id'], properties: { id: HOST_ID } },
        querystring: { type: 'object', additionalProperties: false, properties: { timeout: { type: 'integer', minimum: 1, maximum: 3600, default: 300 } } },
        response: { 200: rescanSchema, ...ERRORS },
      },
      handler: async (req) => {
        const host = await opts.fleet.host(req.params.id);
        requireHostsInScope(req.principal, [host], 'a rescan');
        // Each step also goes to the host's live stream (GET /api/v1/hosts/ID/events) as it happens: requested, received (the agent's answer, its inventory applied), matched.
        const progress = (detail: Record<string, unknown>): void => void opts.live?.publish('Rescan Progress', [resource.host(host.id)], { hostId: host.id, ...detail });
        const by = req.principal?.name ?? '';
        try {
          const r = await opts.streams.rescan(req.params.id, req.query.timeout * 1000, {
            requested: (requestId) => progress({ phase: 'requested', requestId, by }),
            received: (requestId) => progress({ phase: 'received', requestId }),
          });
          progress({
            phase: 'matched',
            requestId: r.requestId,
            before: r.before,
            after: r.after,
            added: r.added.length,
            removed: r.removed.length,
            changed: r.changed.length,
            findingsOpened: r.findingsOpened.length,
            findingsClosed: r.findingsClosed.length,
          });
          return r;
        } catch (err) {
          progress({ phase: 'failed', detail: describeError(err) });
          throw err;
        }
      },
    });

    app.post<{ Params: { id: string } }>('/api/v1/hosts/:id/revoke', {
      config: { role: 'admin' },
      schema: {
        summary: 'Revoke the host: its stream ends, its certificate is refused, its open findings close as host-revoked',
        tags: ['hosts'],
        params: { type: 'object', required: ['id'], properties: { id: HOST_ID } },
        response: { 200: { type: 'object' }, ...ERRORS },
      },
      handler: async (req) => {
        const host = await opts.fleet.revoke(req.params.id);
        opts.streams.disconnect(req.params.id, `agent ${req.params.id} was revoked`);
        opts.log.warn({ host: req.params.id }, 'host revoked');
        return host;
      },
    });
    await app.register(inventoryRoutes(opts));
  };
}
