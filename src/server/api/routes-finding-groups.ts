import type { FastifyInstance } from 'fastify';
import { FINDING_GROUP_BY, FINDING_GROUP_SORT_KEYS, type FindingGroupBy, type FindingGroupPosition } from '../../store/sqlite-finding-groups.js';
import { ERRORS, type ApiOptions } from './options.js';
import { decodeCursor, encodeCursor, parseSort } from './paging.js';
import { findingFilterOf, findingsQuerySchema } from './routes-findings.js';
import { SEVERITY_VALUES, pageSchema, pagingQuery } from './schemas.js';

/**
 * GET /api/v1/findings/groups: the findings a findings query names (the filters of GET
 * /api/v1/findings), one row per vulnerability, host or package with its counts, each
 * an SQL aggregate in the store (store/sqlite-finding-groups.ts), paged by keyset cursors.
 * A group's findings are the list's with `vulnerability=`, `host=` or `purl=` its key.
 */

const { sort: _s, cursor: _c, limit: _l, ...filterProperties } = findingsQuerySchema.properties;

type GroupsQuery = Parameters<typeof findingFilterOf>[0] & { by: FindingGroupBy; sort?: string; cursor?: string; limit: number };

const int = { type: 'integer', minimum: 0 } as const;

const groupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'findings', 'hosts', 'severity', 'maxScore', 'kev', 'fixable'],
  properties: {
    key: { type: 'string', description: 'The vulnerability id, the host id, or the package purl without version.' },
    hostname: { type: 'string', description: "The host's name (by=host only)." },
    findings: { ...int, description: 'Findings of the query in the group.' },
    hosts: { ...int, description: 'Hosts with a finding of the query in the group.' },
    severity: { type: 'string', enum: SEVERITY_VALUES, description: "The highest severity of the group's findings." },
    maxScore: { type: 'number', description: "The highest Vigil score of the group's findings." },
    kev: { type: 'boolean', description: "Whether a finding of the group is in CISA's Known Exploited Vulnerabilities catalog." },
    fixable: { ...int, description: "The group's findings for which a fixed version is known." },
  },
} as const;

function isGroupPosition(p: unknown): p is FindingGroupPosition {
  const x = p as FindingGroupPosition;
  return typeof x === 'object' && x !== null && typeof x.value === 'number' && typeof x.key === 'string';
}

export function findingGroupRoutes(opts: ApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: GroupsQuery }>('/api/v1/findings/groups', {
      config: { role: 'viewer' },
      schema: {
        summary: 'The findings a findings query names, grouped by vulnerability, host or package: one row per group with its counts, one page at a time',
        tags: ['findings'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['by'],
          properties: {
            by: { type: 'string', enum: [...FINDING_GROUP_BY], description: 'Group by the vulnerability id, the host, or the package purl without version.' },
            ...filterProperties,
            sort: { type: 'string', maxLength: 32, description: `One of ${FINDING_GROUP_SORT_KEYS.join(', ')}; prefix - for descending. Default -findings (largest first).` },
            ...pagingQuery,
          },
        },
        response: { 200: pageSchema('groups', groupSchema), ...ERRORS },
      },
      handler: async (req) => {
        const { by, sort: rawSort, cursor, limit, ...rest } = req.query;
        const filter = findingFilterOf(rest);
        const sort = parseSort(rawSort, FINDING_GROUP_SORT_KEYS, '-findings');
        const identity = { ...filter, by, sort: `${sort.descending ? '-' : ''}${sort.key}` };
        const after = decodeCursor(cursor, identity, isGroupPosition);
        const page = await opts.fleet.findingGroups(filter, { by, sort: sort.key, descending: sort.descending, limit, ...(after ? { after } : {}) });
        return page.next ? { groups: page.items, next: encodeCursor(page.next, identity) } : { groups: page.items };
      },
    });
  };
}
