import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../common/errors.js';
import { ROLES, type Role } from '../api-tokens.js';
import { ERRORS, type ApiOptions } from './options.js';
import { decodeCursor, encodeCursor, isPosition, pageOf, type Position } from './paging.js';
import { pageSchema, pagingQuery, ref } from './schemas.js';

export function adminRoutes(opts: ApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: { cursor?: string; limit: number } }>('/api/v1/tokens', {
      config: { role: 'admin' },
      schema: { summary: 'API tokens (never their secrets), oldest first', tags: ['admin'], querystring: { type: 'object', additionalProperties: false, properties: { ...pagingQuery } }, response: { 200: pageSchema('tokens', ref('ApiToken')), ...ERRORS } },
      handler: async (req) => {
        const after = decodeCursor<Position>(req.query.cursor, {}, isPosition);
        const page = pageOf(opts.tokens.list(), (t) => ({ value: t.createdAt, id: t.id }), { descending: false }, after, req.query.limit);
        return page.next ? { tokens: page.items, next: encodeCursor(page.next, {}) } : { tokens: page.items };
      },
    });

    app.post<{ Body: { name: string; role: Role; ttlSeconds?: number; tags?: string[] } }>('/api/v1/tokens', {
      config: { role: 'admin' },
      schema: {
        summary: 'Create an API token; its secret is in this answer only',
        tags: ['admin'],
        body: {
          type: 'object',
          required: ['name', 'role'],
          additionalProperties: false,
          properties: { name: { type: 'string', maxLength: 64 }, role: { type: 'string', enum: ROLES }, ttlSeconds: { type: 'integer', minimum: 1, maximum: 10 * 365 * 86400 }, tags: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'string', maxLength: 256 }, description: 'An operator token\'s scope: it acts only on hosts with one of these key=value tags.' } },
        },
        response: { 201: ref('ApiToken'), ...ERRORS },
      },
      handler: async (req, reply) => {
        const created = opts.tokens.create({ ...req.body, createdBy: req.principal!.name, ...(opts.now ? { now: opts.now() } : {}) });
        return reply.code(201).send(created);
      },
    });

    app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', {
      config: { role: 'admin' },
      schema: { summary: 'Revoke an API token', tags: ['admin'], params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{12}$' } } }, response: { 200: ref('ApiToken'), ...ERRORS } },
      handler: async (req) => opts.tokens.revoke(req.params.id),
    });

    app.post<{ Body: { ttlSeconds?: number; uses?: number } }>('/api/v1/enrolment-tokens', {
      config: { role: 'admin' },
      schema: {
        summary: 'Create an enrolment token for new hosts; shown once, only its hash is kept',
        tags: ['admin'],
        body: { type: 'object', additionalProperties: false, properties: { ttlSeconds: { type: 'integer', minimum: 1, maximum: 30 * 86400, default: 3600 }, uses: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } },
        response: { 201: { type: 'object', required: ['token', 'expiresAt', 'uses'], additionalProperties: false, properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' }, uses: { type: 'integer' } } }, ...ERRORS },
      },
      handler: async (req, reply) => {
        if (!opts.enrolment) throw new VigilError('UNAVAILABLE', 'this API serves no enrolment (no PKI directory)');
        const created = opts.enrolment.create({ ttlSeconds: req.body?.ttlSeconds ?? 3600, uses: req.body?.uses ?? 1, ...(opts.now ? { now: opts.now() } : {}) });
        return reply.code(201).send(created);
      },
    });

    app.get<{ Querystring: { cursor?: string; limit: number } }>('/api/v1/audit', {
      config: { role: 'admin' },
      schema: {
        summary: 'The audit log: every mutating or refused call, oldest first',
        tags: ['admin'],
        querystring: { type: 'object', additionalProperties: false, properties: { ...pagingQuery } },
        response: { 200: { ...pageSchema('entries', ref('AuditEntry')), description: 'Entries chain by the SHA-256 of the line before (prev).' }, ...ERRORS },
      },
      handler: async (req) => {
        const after = decodeCursor<Position>(req.query.cursor, {}, isPosition);
        const { items, more } = opts.audit.list(after ? Number(after.value) : 0, req.query.limit);
        const last = items[items.length - 1];
        return more && last ? { entries: items, next: encodeCursor({ value: last.seq, id: '' }, {}) } : { entries: items };
      },
    });
  };
}
