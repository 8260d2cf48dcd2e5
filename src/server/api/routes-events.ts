import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../common/errors.js';
import { DELIVERY_STATES } from '../../store/sqlite-events-rows.js';
import type { Principal } from '../api-tokens.js';
import type { SuppressionMatch } from '../../matcher/suppression.js';
import { ERRORS, type ApiOptions } from './options.js';
import { requireRuleInScope, scopeOf } from './scope.js';
import { decodeCursor, encodeCursor, isPosition, pageOf, type Position } from './paging.js';
import { splitList } from './params.js';
import { pageSchema, pagingQuery } from './schemas.js';

/**
 * Events, their routes and deliveries, and the server's suppression rules. Routes
 * send fleet data out of the server, so only admins change them; operators see and
 * redeliver deliveries and manage suppression rules; everyone reads events and rules.
 */

const time = { type: 'string', format: 'date-time' } as const;
const eventSchema = {
  type: 'object',
  required: ['version', 'id', 'source', 'detail-type', 'time', 'resources', 'detail', 'seq'],
  properties: { version: { const: '0' }, id: { type: 'string' }, source: { const: 'vigil' }, 'detail-type': { type: 'string' }, time, resources: { type: 'array', items: { type: 'string' } }, detail: { type: 'object' }, seq: { type: 'integer' } },
} as const;
const routeSchema = {
  type: 'object',
  required: ['id', 'name', 'pattern', 'target', 'enabled', 'createdAt', 'updatedAt'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, pattern: {}, target: { type: 'object', description: "A webhook's secret reads [redacted] except in the answer to its creation." }, enabled: { type: 'boolean' }, createdAt: time, updatedAt: time },
} as const;
const deliverySchema = {
  type: 'object',
  required: ['id', 'eventSeq', 'eventId', 'routeId', 'state', 'attempts', 'queuedAt', 'nextAttemptAt'],
  properties: { id: { type: 'integer' }, eventSeq: { type: 'integer' }, eventId: { type: 'string' }, routeId: { type: 'string' }, state: { type: 'string', enum: DELIVERY_STATES }, attempts: { type: 'integer' }, queuedAt: time, nextAttemptAt: time, lastError: { type: 'string' }, deliveredAt: time },
} as const;
const list = { type: 'array', items: { type: 'string' } } as const;
/** A rule's match as schemas/vigilignore.schema.json defines it (which the rules service checks a new rule against). */
const ruleMatchSchema = {
  type: 'object',
  description: 'Every criterion given must hold; within a list any entry may.',
  properties: {
    vulnerabilities: { ...list, description: 'Vulnerability ids; a finding matches by its id or any alias.' },
    purls: { ...list, description: 'Package purls; without a version every version matches; * matches any run of characters in the namespace or name.' },
    hosts: { ...list, description: 'Fleet host ids.' },
    tags: { ...list, description: 'Fleet host tags (key=value).' },
    severities: { type: 'array', items: { type: 'string', enum: ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] } },
    exposures: { type: 'array', items: { type: 'string', enum: ['any', 'private', 'loopback', 'none'] } },
    fix: { type: 'string', enum: ['fixed', 'unfixed'] },
  },
} as const;
const ruleSchema = {
  type: 'object',
  required: ['id', 'match', 'reason', 'author', 'created', 'origin'],
  description: 'A suppression rule: the same fields as a .vigilignore rule (schemas/vigilignore.schema.json), with where it came from.',
  properties: { id: { type: 'string' }, match: ruleMatchSchema, reason: { type: 'string' }, justification: { type: 'string' }, statement: { type: 'string' }, author: { type: 'string' }, created: { type: 'string' }, expires: { type: 'string' }, origin: { type: 'string' } },
} as const;

const ID = (pattern: string) => ({ type: 'object', required: ['id'], properties: { id: { type: 'string', pattern } } }) as const;

/** A store page (its own opaque `next`) as this API's cursor, bound to the query. */
function wrap<T>(key: string, page: { items: T[]; next?: string }, q: Record<string, unknown>): Record<string, unknown> {
  return page.next ? { [key]: page.items, next: encodeCursor({ value: page.next, id: '' }, q) } : { [key]: page.items };
}

export function eventRoutes(opts: ApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: { 'detail-type'?: string; cursor?: string; limit: number } }>('/api/v1/events', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Events, oldest first: finding, host and job state changes, as EventBridge events',
        tags: ['events'],
        querystring: { type: 'object', additionalProperties: false, properties: { 'detail-type': { type: 'string', maxLength: 200 }, ...pagingQuery } },
        response: { 200: pageSchema('events', eventSchema), ...ERRORS },
      },
      handler: async (req) => {
        const q = { detailType: req.query['detail-type'] };
        const after = decodeCursor<Position>(req.query.cursor, q, isPosition);
        const page = await opts.fleet.events({ limit: req.query.limit, ...(q.detailType ? { detailType: q.detailType } : {}), ...(after ? { after: String(after.value) } : {}) });
        return wrap('events', page, q);
      },
    });

    app.get('/api/v1/routes', {
      config: { role: 'operator' },
      schema: { summary: 'Event routes: a pattern and a target each', tags: ['events'], response: { 200: pageSchema('routes', routeSchema), ...ERRORS } },
      handler: async () => ({ routes: await opts.fleet.routes() }),
    });
    app.post<{ Body: { name: string; pattern: unknown; target: unknown; enabled?: boolean } }>('/api/v1/routes', {
      config: { role: 'admin' },
      schema: {
        summary: 'Create an event route (EventBridge pattern → webhook, JSON lines or syslog target)',
        tags: ['events'],
        body: { type: 'object', required: ['name', 'pattern', 'target'], additionalProperties: false, properties: { name: { type: 'string', maxLength: 200 }, pattern: { type: 'object' }, target: { type: 'object' }, enabled: { type: 'boolean' } } },
        response: { 201: routeSchema, ...ERRORS },
      },
      handler: async (req, reply) => reply.code(201).send(await opts.fleet.routeCreate(req.body)),
    });
    app.delete<{ Params: { id: string } }>('/api/v1/routes/:id', {
      config: { role: 'admin' },
      schema: { summary: 'Delete an event route with its deliveries', tags: ['events'], params: ID('^[A-Za-z0-9_-]{1,64}$'), response: { 204: { type: 'null' }, ...ERRORS } },
      handler: async (req, reply) => {
        await opts.fleet.routeDelete(req.params.id);
        return reply.code(204).send();
      },
    });

    app.get<{ Querystring: { state?: string[]; route?: string; cursor?: string; limit: number } }>('/api/v1/deliveries', {
      config: { role: 'operator' },
      schema: {
        summary: 'Deliveries of events to routes; state=dead lists the dead letters',
        tags: ['events'],
        querystring: { type: 'object', additionalProperties: false, properties: { state: { type: 'array', items: { type: 'string', maxLength: 32 } }, route: { type: 'string', maxLength: 64 }, ...pagingQuery } },
        response: { 200: pageSchema('deliveries', deliverySchema), ...ERRORS },
      },
      handler: async (req) => {
        const state = splitList(req.query.state, DELIVERY_STATES, 'state');
        const q = { state, route: req.query.route };
        const after = decodeCursor<Position>(req.query.cursor, q, isPosition);
        const page = await opts.fleet.deliveries({ limit: req.query.limit, ...(state?.length === 1 ? { state: state[0]! } : {}), ...(q.route ? { routeId: q.route } : {}), ...(after ? { after: String(after.value) } : {}) });
        return wrap('deliveries', state && state.length > 1 ? { ...page, items: page.items.filter((d) => state.includes(d.state)) } : page, q);
      },
    });
    app.post<{ Params: { id: number } }>('/api/v1/deliveries/:id/redeliver', {
      config: { role: 'operator' },
      schema: { summary: 'Queue a dead or delivered delivery again', tags: ['events'], params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } }, response: { 200: deliverySchema, ...ERRORS } },
      handler: async (req) => opts.fleet.redeliver(req.params.id),
    });

    app.get<{ Querystring: { cursor?: string; limit: number } }>('/api/v1/rules', {
      config: { role: 'viewer' },
      schema: { summary: 'Suppression rules, oldest first', tags: ['suppression'], querystring: { type: 'object', additionalProperties: false, properties: { ...pagingQuery } }, response: { 200: pageSchema('rules', ruleSchema), ...ERRORS } },
      handler: async (req) => {
        const after = decodeCursor<Position>(req.query.cursor, {}, isPosition);
        const page = pageOf(await opts.fleet.rules(), (r) => ({ value: r.created, id: r.id }), { descending: false }, after, req.query.limit);
        return page.next ? { rules: page.items, next: encodeCursor(page.next, {}) } : { rules: page.items };
      },
    });
    app.post<{ Body: Record<string, unknown> }>('/api/v1/rules', {
      config: { role: 'operator' },
      schema: {
        summary: 'Create a suppression rule (a .vigilignore rule; author and creation time are the caller and now)',
        tags: ['suppression'],
        body: { type: 'object', required: ['match', 'reason'], properties: { id: { type: 'string' }, match: { type: 'object' }, reason: { type: 'string' }, justification: { type: 'string' }, statement: { type: 'string' }, expires: { type: 'string' } } },
        response: { 201: ruleSchema, ...ERRORS },
      },
      handler: async (req, reply) => {
        await requireRuleScope(opts, req.principal, req.body.match as Partial<SuppressionMatch> | undefined);
        return reply.code(201).send(await opts.fleet.ruleCreate(req.body, req.principal!.name));
      },
    });
    app.delete<{ Params: { id: string } }>('/api/v1/rules/:id', {
      config: { role: 'operator' },
      schema: { summary: 'Remove a suppression rule: what it covered becomes active again', tags: ['suppression'], params: ID('^[^/]{1,200}$'), response: { 200: ruleSchema, ...ERRORS } },
      handler: async (req) => {
        if (scopeOf(req.principal)) {
          const rule = (await opts.fleet.rules()).find((r) => r.id === req.params.id);
          if (rule) await requireRuleScope(opts, req.principal, rule.match);
        }
        return opts.fleet.ruleRemove(req.params.id);
      },
    });
    app.post<{ Body: Record<string, unknown> }>('/api/v1/vex', {
      config: { role: 'operator' },
      schema: {
        summary: 'Import an OpenVEX or CycloneDX VEX document: each statement becomes a suppression rule',
        tags: ['suppression'],
        body: { type: 'object' },
        response: { 201: { type: 'object', required: ['rules', 'warnings'], properties: { rules: { type: 'array', items: ruleSchema }, warnings: { type: 'array', items: { type: 'string' } } } }, ...ERRORS },
      },
      handler: async (req, reply) => {
        // A VEX statement names packages, not hosts: its rules hold on every host.
        await requireRuleScope(opts, req.principal, undefined);
        return reply.code(201).send(await opts.fleet.vexImport(JSON.stringify(req.body), 'request body', req.principal!.name));
      },
    });
    app.get<{ Querystring: { host?: string; tag?: string } }>('/api/v1/vex', {
      config: { role: 'viewer' },
      schema: {
        summary: "The suppression decisions in force as an OpenVEX 0.2.0 document: one statement per vulnerability, package version and rule, with the hosts it holds on; 404 when nothing in scope is decided",
        tags: ['suppression'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { host: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$', description: 'Only this host' }, tag: { type: 'string', maxLength: 200, description: 'Only hosts with this tag' } },
        },
        response: { 200: { type: 'object', required: ['@context', '@id', 'author', 'timestamp', 'version', 'statements'], description: 'An OpenVEX 0.2.0 document (https://github.com/openvex/spec).' }, ...ERRORS },
      },
      handler: async (req, reply) => {
        const vex = await opts.fleet.vexExport({ ...(req.query.host ? { hostId: req.query.host } : {}), ...(req.query.tag ? { tag: req.query.tag } : {}) });
        if (!vex.document) throw new VigilError('NOT_FOUND', `nothing is decided${req.query.host ? ` on host ${req.query.host}` : ''}${req.query.tag ? ` on hosts tagged ${req.query.tag}` : ''}: no suppressed finding is covered by a rule in force`);
        return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.parse(vex.document) as Record<string, unknown>);
      },
    });
  };
}

/** requireRuleInScope with the tags of the hosts a rule names looked up first. */
async function requireRuleScope(opts: ApiOptions, p: Principal | undefined, match: Partial<SuppressionMatch> | undefined): Promise<void> {
  if (!scopeOf(p)) return;
  const tags = new Map<string, readonly string[]>();
  for (const id of Array.isArray(match?.hosts) ? match.hosts.slice(0, 1000) : []) {
    if (typeof id !== 'string') continue;
    try {
      tags.set(id, (await opts.fleet.host(id)).tags);
    } catch (err) {
      if (!(err instanceof VigilError && err.code === 'NOT_FOUND')) throw err;
    }
  }
  requireRuleInScope(p, match, (id) => tags.get(id));
}
