import type { FastifyInstance } from 'fastify';
import { ERRORS, type ApiOptions } from './options.js';
import { findingFilterOf, findingsQuerySchema } from './routes-findings.js';
import { SEVERITY_VALUES } from './schemas.js';

/**
 * The fleet's numbers at a glance: what the console's dashboard shows and a findings
 * view counts. Every number is an SQL aggregate in the store (store/sqlite-fleet-stats.ts),
 * never a count of findings loaded here.
 */

const int = { type: 'integer', minimum: 0 } as const;
const time = { type: 'string', format: 'date-time' } as const;
const obj = (properties: Record<string, object>, description?: string) => ({
  type: 'object',
  required: Object.keys(properties),
  additionalProperties: false,
  properties,
  ...(description ? { description } : {}),
});
const severityCounts = (description: string) => obj(Object.fromEntries([...SEVERITY_VALUES, 'total'].map((s) => [s, int])), description);

const statsSchema = obj({
  takenAt: time,
  staleAfterSeconds: { ...int, description: 'A host not seen for this long counts as stale.' },
  daysBack: { ...int, description: 'How many days `openedByDay` reaches back.' },
  open: severityCounts('ACTIVE findings by severity (suppressed ones are not open).'),
  kevOpen: { ...int, description: "ACTIVE findings in CISA's Known Exploited Vulnerabilities catalog." },
  suppressed: { ...int, description: 'SUPPRESSED findings.' },
  exposedCriticalHosts: { ...int, description: 'Hosts with an ACTIVE critical finding whose package listens on a public or wildcard address (exposure `any`).' },
  hosts: obj(
    {
      total: int,
      seenSince: { ...int, description: 'Hosts not revoked, seen within `staleAfterSeconds`.' },
      stale: { ...int, description: 'Hosts not revoked, not seen within `staleAfterSeconds`.' },
      revoked: int,
    },
    'Agent coverage: enrolled hosts by when their agent was last heard from.',
  ),
  agentVersions: { type: 'array', items: obj({ version: { type: 'string' }, hosts: int }), description: 'Hosts not revoked per agent version, most first.' },
  feeds: {
    type: 'array',
    description: 'Advisory data freshness per feed, as `vigil db status` and vigil_advisory_feed_age_seconds report it.',
    items: obj({
      feed: { type: 'string' },
      newestAt: { type: 'string' },
      basis: { type: 'string', enum: ['record', 'import'] },
      ageSeconds: { type: 'number', minimum: 0 },
      importedAt: { type: 'string' },
      importAgeSeconds: { type: 'number', minimum: 0 },
    }),
  },
  riskiestHosts: {
    type: 'array',
    description: 'The ten hosts whose open findings score highest (then most critical, high and open findings).',
    items: obj({ id: { type: 'string' }, hostname: { type: 'string' }, maxScore: { type: 'number' }, critical: int, high: int, open: int }),
  },
  topVulnerabilities: {
    type: 'array',
    description: 'The ten vulnerabilities with open findings on the most hosts.',
    items: obj({ vulnerability: { type: 'string' }, hosts: int, findings: int, severity: { type: 'string', enum: SEVERITY_VALUES }, maxScore: { type: 'number' }, kev: { type: 'boolean' } }),
  },
  openedByDay: { type: 'array', description: 'ACTIVE findings by the UTC day their current episode opened, oldest first, days without any left out.', items: obj({ day: { type: 'string' }, findings: int }) },
  problems: { type: 'array', items: { type: 'string' }, description: 'Feeds whose dates could not be read.' },
});

const countsSchema = obj({
  severity: severityCounts('Findings the query names, by severity.'),
  status: obj({ ACTIVE: int, SUPPRESSED: int, CLOSED: int }, 'Findings the query names, by status.'),
});

const { sort: _sort, cursor: _cursor, limit: _limit, ...filterProperties } = findingsQuerySchema.properties;

export function statsRoutes(opts: ApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/stats', {
      config: { role: 'viewer' },
      schema: {
        summary: "The fleet's numbers at a glance: open findings by severity, KEV, exposure, agent coverage, feed freshness, riskiest hosts and top vulnerabilities",
        tags: ['stats'],
        querystring: { type: 'object', additionalProperties: false, properties: {} },
        response: { 200: statsSchema, ...ERRORS },
      },
      handler: async () => opts.fleet.stats(),
    });

    app.get<{ Querystring: Parameters<typeof findingFilterOf>[0] }>('/api/v1/stats/findings', {
      config: { role: 'viewer' },
      schema: {
        summary: 'How many findings a findings query (GET /api/v1/findings with the same filters) names, by severity and by status',
        tags: ['stats'],
        querystring: { type: 'object', additionalProperties: false, properties: filterProperties },
        response: { 200: countsSchema, ...ERRORS },
      },
      handler: async (req) => opts.fleet.findingCounts(findingFilterOf(req.query)),
    });
  };
}
