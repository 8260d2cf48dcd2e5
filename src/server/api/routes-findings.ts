import type { FastifyInstance } from 'fastify';
import type { Severity } from '../../advisories/model.js';
import { FINDING_SORT_KEYS, type FindingFilter, type FindingPosition, type FindingStatus } from '../../store/fleet-store.js';
import { ERRORS, type ApiOptions } from './options.js';
import { decodeCursor, encodeCursor, parseSort } from './paging.js';
import { splitList } from './params.js';
import { FINDING_STATUS_VALUES, SEVERITY_VALUES, pageSchema, pagingQuery, ref } from './schemas.js';

/** A finding's `exposure` (schemas/finding.schema.json). */
const EXPOSURE_VALUES = ['any', 'private', 'loopback', 'none'] as const;

interface FindingsQuery {
  host?: string;
  severity?: string[];
  status?: string[];
  cve?: string;
  vulnerability?: string;
  purl?: string;
  tag?: string;
  kev?: boolean;
  fixable?: boolean;
  exposure?: string[];
  package?: string;
  epss?: number;
  inUse?: boolean;
  sort?: string;
  cursor?: string;
  limit: number;
}

function isFindingPosition(p: unknown): p is FindingPosition {
  const x = p as FindingPosition;
  return typeof x === 'object' && x !== null && (typeof x.value === 'string' || typeof x.value === 'number') && typeof x.hostId === 'string' && typeof x.id === 'string';
}

/** The filter a findings query names, validated; shared by the list and the exports. */
export function findingFilterOf(q: Omit<FindingsQuery, 'sort' | 'cursor' | 'limit'>): FindingFilter {
  const f: FindingFilter = {};
  if (q.host) f.hostId = q.host;
  const severity = splitList<Severity>(q.severity, SEVERITY_VALUES, 'severity', (s) => s.toLowerCase());
  if (severity) f.severity = severity;
  const status = splitList<FindingStatus>(q.status, FINDING_STATUS_VALUES, 'status', (s) => s.toUpperCase());
  if (status) f.status = status;
  if (q.cve) f.cve = q.cve;
  if (q.vulnerability) f.vulnerability = q.vulnerability;
  if (q.purl) f.purl = q.purl;
  if (q.tag) f.tag = q.tag;
  if (q.kev !== undefined) f.kev = q.kev;
  if (q.fixable !== undefined) f.fixable = q.fixable;
  const exposure = splitList(q.exposure, EXPOSURE_VALUES, 'exposure', (s) => s.toLowerCase());
  if (exposure) f.exposure = exposure;
  if (q.package) f.package = q.package;
  if (q.epss !== undefined) f.epss = q.epss;
  if (q.inUse !== undefined) f.inUse = q.inUse;
  return f;
}

export const findingsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', maxLength: 128, description: 'Only this host.' },
    severity: { type: 'array', items: { type: 'string', maxLength: 64 }, description: `Comma-separated or repeated: ${SEVERITY_VALUES.join(', ')}.` },
    status: { type: 'array', items: { type: 'string', maxLength: 64 }, description: `Comma-separated or repeated: ${FINDING_STATUS_VALUES.join(', ')}.` },
    cve: { type: 'string', maxLength: 128, description: 'The vulnerability id or any alias (CVE-2024-6387, GHSA-…).' },
    vulnerability: { type: 'string', maxLength: 128, description: 'The vulnerability id exactly, aliases aside (a group of GET /api/v1/findings/groups?by=vulnerability).' },
    purl: { type: 'string', maxLength: 512, description: 'The package purl without version exactly (a group of GET /api/v1/findings/groups?by=package).' },
    tag: { type: 'string', maxLength: 256, description: 'Only hosts with this tag (key=value).' },
    kev: { type: 'boolean', description: "In CISA's Known Exploited Vulnerabilities catalog." },
    fixable: { type: 'boolean', description: 'A fixed version is known.' },
    exposure: { type: 'array', items: { type: 'string', maxLength: 64 }, description: `Comma-separated or repeated: ${EXPOSURE_VALUES.join(', ')} (the widest socket the package's process listens on).` },
    package: { type: 'string', maxLength: 512, description: 'Package purl without version, or a prefix of it (pkg:deb/debian/openssl, pkg:npm/).' },
    epss: { type: 'number', minimum: 0, maximum: 1, description: "EPSS score at least this, 0–1 (the finding's epss.score; findings without one are left out)." },
    inUse: { type: 'boolean', description: 'A running process uses the package (true), or none is known to (false).' },
    sort: { type: 'string', maxLength: 32, description: `One of ${FINDING_SORT_KEYS.join(', ')}; prefix - for descending. Default -score (riskiest first).` },
    ...pagingQuery,
  },
} as const;

export function findingRoutes(opts: ApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: FindingsQuery }>('/api/v1/findings', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Findings across the fleet, filtered and sorted, one page at a time',
        tags: ['findings'],
        querystring: findingsQuerySchema,
        response: { 200: pageSchema('findings', ref('HostFinding')), ...ERRORS },
      },
      handler: async (req) => {
        const filter = findingFilterOf(req.query);
        const sort = parseSort(req.query.sort, FINDING_SORT_KEYS, '-score');
        const identity = { ...filter, sort: `${sort.descending ? '-' : ''}${sort.key}` };
        const after = decodeCursor(req.query.cursor, identity, isFindingPosition);
        const page = await opts.fleet.findingsPage(filter, { sort: sort.key, descending: sort.descending, limit: req.query.limit, ...(after ? { after } : {}) });
        return page.next ? { findings: page.items, next: encodeCursor(page.next, identity) } : { findings: page.items };
      },
    });
  };
}
