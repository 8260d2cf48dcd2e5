import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../common/errors.js';
import { ERRORS, type ApiOptions } from './options.js';
import { pagingQuery } from './schemas.js';

const HOST_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' } } } as const;

const row = {
  type: 'object',
  required: ['key', 'ecosystem', 'name', 'version', 'purl', 'foundBy', 'locations', 'inUse'],
  additionalProperties: false,
  properties: {
    key: { type: 'string' },
    ecosystem: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'string' },
    purl: { type: 'string' },
    source: { type: 'string', description: 'The source package.' },
    foundBy: { type: 'string', description: 'The collector that found it.' },
    locations: { type: 'array', items: { type: 'string' } },
    inUse: { type: ['boolean', 'null'], description: 'A running process uses it; null when the host reports no process use.' },
  },
} as const;

const change = {
  type: 'object',
  required: ['id', 'hostId', 'epoch', 'seq', 'at', 'kind', 'added', 'removed', 'changed', 'names'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    hostId: { type: 'string' },
    epoch: { type: 'integer' },
    seq: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    kind: { type: 'string', enum: ['delta', 'snapshot'] },
    added: { type: 'integer', minimum: 0 },
    removed: { type: 'integer', minimum: 0 },
    changed: { type: 'integer', minimum: 0 },
    names: {
      type: 'object',
      description: 'The first 50 of each, as "name version" or "name from → to".',
      required: ['added', 'removed', 'changed'],
      properties: { added: { type: 'array', items: { type: 'string' } }, removed: { type: 'array', items: { type: 'string' } }, changed: { type: 'array', items: { type: 'string' } } },
    },
  },
} as const;

/** Opaque cursors of these pages: the last row's sort key, base64url JSON. */
function cursorOf(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}
function readCursor<T>(c: string | undefined, ok: (v: unknown) => v is T): T | undefined {
  if (c === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (!ok(v)) throw new VigilError('INVALID_INPUT', 'cursor is not one this route gave');
  return v;
}
const isAfter = (v: unknown): v is { q: string; inUse: boolean; name: string; key: string } =>
  typeof v === 'object' && v !== null && ['q', 'name', 'key'].every((k) => typeof (v as Record<string, unknown>)[k] === 'string') && typeof (v as { inUse?: unknown }).inUse === 'boolean';

/** A host's inventory searched in SQL, and its history of inventory changes. */
export function inventoryRoutes(opts: ApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Params: { id: string }; Querystring: { q?: string; inUse?: boolean; cursor?: string; limit: number } }>('/api/v1/hosts/:id/inventory', {
      config: { role: 'viewer' },
      schema: {
        summary: "The host's components whose name, version, source package, collector or a location holds q, by name, one page at a time",
        tags: ['hosts'],
        params: HOST_PARAMS,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 256, description: 'Substring (ASCII case-insensitive) of the name, version, source package, collector or a location.' },
            inUse: { type: 'boolean', description: 'Only the components a running process uses.' },
            ...pagingQuery,
          },
        },
        response: {
          200: { type: 'object', required: ['components'], additionalProperties: false, properties: { components: { type: 'array', items: row }, next: { type: 'string' } } },
          ...ERRORS,
        },
      },
      handler: async (req) => {
        const host = await opts.fleet.host(req.params.id);
        const q = req.query.q ?? '';
        const inUse = req.query.inUse === true;
        const after = readCursor(req.query.cursor, isAfter);
        if (after && (after.q !== q || after.inUse !== inUse)) throw new VigilError('INVALID_INPUT', 'cursor belongs to another query');
        const used = host.facts.inUse;
        const rows = await opts.fleet.inventorySearch(host.id, {
          ...(q ? { q } : {}),
          ...(inUse ? { keys: used ?? [] } : {}),
          limit: req.query.limit + 1,
          ...(after ? { after: { name: after.name, key: after.key } } : {}),
        });
        const set = used ? new Set(used) : undefined;
        const page = rows.slice(0, req.query.limit).map((r) => ({ ...r, inUse: set ? set.has(r.key) : null }));
        const last = page.at(-1);
        return rows.length > req.query.limit && last ? { components: page, next: cursorOf({ q, inUse, name: last.name, key: last.key }) } : { components: page };
      },
    });

    app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit: number } }>('/api/v1/hosts/:id/history', {
      config: { role: 'viewer' },
      schema: {
        summary: "The host's inventory changes, newest first: each delta or snapshot applied, with counts and the first names added, removed and changed",
        tags: ['hosts'],
        params: HOST_PARAMS,
        querystring: { type: 'object', additionalProperties: false, properties: { ...pagingQuery } },
        response: {
          200: { type: 'object', required: ['changes'], additionalProperties: false, properties: { changes: { type: 'array', items: change }, next: { type: 'string' } } },
          ...ERRORS,
        },
      },
      handler: async (req) => {
        await opts.fleet.host(req.params.id);
        const before = readCursor(req.query.cursor, (v): v is { before: number } => typeof (v as { before?: unknown } | null)?.before === 'number');
        const rows = await opts.fleet.inventoryHistory(req.params.id, req.query.limit + 1, before?.before);
        const page = rows.slice(0, req.query.limit);
        return rows.length > req.query.limit ? { changes: page, next: cursorOf({ before: page.at(-1)!.id }) } : { changes: page };
      },
    });
  };
}
