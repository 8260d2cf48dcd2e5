import type { FastifyInstance } from 'fastify';
import { ERRORS, type ApiOptions } from './options.js';
import { findingFilterOf, findingsQuerySchema } from './routes-findings.js';
import { SEVERITY_VALUES } from './schemas.js';
import { WINDOWS } from '../fleet-kpis.js';

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

const nullableNumber = { type: ['number', 'null'] } as const;
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;
const severity = { type: 'string', enum: SEVERITY_VALUES } as const;
const timing = { meanSeconds: nullableNumber, medianSeconds: nullableNumber };
const windowQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { days: { type: 'integer', enum: [...WINDOWS], default: 30, description: 'The window: the last 30 or 90 days.' } },
} as const;

const trendSchema = obj({
  takenAt: time,
  days: int,
  from: { type: 'string', format: 'date', description: 'The first UTC day of the window.' },
  to: { type: 'string', format: 'date', description: 'The last UTC day of the window (today).' },
  source: { type: 'string' },
  series: {
    type: 'array',
    description: 'One entry per UTC day the server recorded, oldest first; days it did not record (before the first, or while it was down) are absent.',
    items: obj({
      day: { type: 'string', format: 'date' },
      takenAt: time,
      open: severityCounts('ACTIVE findings by severity that day.'),
      kevOpen: int,
      suppressed: int,
      hosts: obj({ total: int, seenSince: int, stale: int, revoked: int }),
    }),
  },
});

const kpisSchema = obj({
  takenAt: time,
  days: int,
  since: time,
  slaDays: { type: 'object', additionalProperties: false, properties: Object.fromEntries(SEVERITY_VALUES.map((s) => [s, { type: 'integer', minimum: 1 }])), description: 'Days a finding may stay open, per severity (vigil server run --sla).' },
  mttr: obj(
    {
      source: { type: 'string' },
      excludes: { type: 'array', items: { type: 'string' }, description: 'Close reasons that are not remediation, left out.' },
      severities: { type: 'array', items: obj({ severity, closed: int, ...timing }) },
    },
    'Mean time to remediate: episodes closed in the window, from opening to close, in seconds.',
  ),
  timeToDetect: obj({
    advisoryPublished: obj(
      { source: { type: 'string' }, severities: { type: 'array', items: obj({ severity, opened: int, withPublished: int, ...timing }) } },
      'Advisory published → first finding, for findings first opened in the window (those whose advisories carry a publication date), in seconds.',
    ),
    packageInstalled: obj({ source: { type: 'string' }, known: int, opened: int, reason: { type: 'string' } }, 'Package installed → finding: only where the install time is known.'),
  }),
  slaCompliance: obj(
    {
      source: { type: 'string' },
      severities: {
        type: 'array',
        items: obj({
          severity,
          slaDays: { type: ['integer', 'null'] },
          open: int,
          openWithinSla: int,
          openShare: nullableNumber,
          closed: int,
          closedWithinSla: int,
          closedShare: nullableNumber,
          oldestOpenSince: nullableTime,
        }),
      },
    },
    'Patch compliance: the share of open findings still within their SLA, and of the episodes closed in the window closed within it.',
  ),
});

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

    app.get<{ Querystring: { days?: number } }>('/api/v1/stats/trend', {
      config: { role: 'viewer' },
      schema: {
        summary: "The fleet's daily numbers over the last 30 or 90 days: open findings by severity, KEV, suppressed and hosts, as the server recorded them each day",
        tags: ['stats'],
        querystring: windowQuery,
        response: { 200: trendSchema, ...ERRORS },
      },
      handler: async (req) => opts.fleet.trend(req.query.days ?? 30),
    });

    app.get<{ Querystring: { days?: number } }>('/api/v1/stats/kpis', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Remediation over the last 30 or 90 days: mean and median time to remediate per severity, time to detect, and compliance with the SLA per severity',
        tags: ['stats'],
        querystring: windowQuery,
        response: { 200: kpisSchema, ...ERRORS },
      },
      handler: async (req) => opts.fleet.kpis(req.query.days ?? 30),
    });
  };
}
