import { HOST_STATES } from '../../common/lifecycle/host.js';
import { JOB_HOST_STATES, JOB_STATES } from '../../common/lifecycle/patch-job.js';
import { ROLES } from '../api-tokens.js';

/**
 * The API's shared JSON Schemas (2020-12 subset that OpenAPI 3.1 takes as is). Each
 * has an `$id` that routes reference (`{ $ref: 'HostSummary#' }`); the OpenAPI
 * document lists them under components.schemas. The suite validates every response
 * it receives against the document, so a schema that drifts from what a route
 * answers fails a test.
 */

export const SEVERITY_VALUES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;
export const FINDING_STATUS_VALUES = ['ACTIVE', 'CLOSED', 'SUPPRESSED'] as const;

const counts = {
  type: 'object',
  required: [...SEVERITY_VALUES, 'total'],
  additionalProperties: false,
  properties: Object.fromEntries([...SEVERITY_VALUES, 'total'].map((s) => [s, { type: 'integer', minimum: 0 }])),
} as const;

const time = { type: 'string', format: 'date-time' } as const;

export const problemSchema = {
  $id: 'Problem',
  description: 'An error as RFC 9457 problem details; `code` is the error code of the catalog (README, "Exit codes").',
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: 'urn:vigil:error:CODE' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    instance: { type: 'string' },
  },
} as const;

const hostSummaryProperties = {
  id: { type: 'string' },
  hostname: { type: 'string' },
  os: { type: 'string' },
  kernel: { type: 'string' },
  agentVersion: { type: 'string' },
  tags: { type: 'array', items: { type: 'string' } },
  state: { type: 'string', enum: HOST_STATES },
  enrolledAt: time,
  lastSeenAt: time,
  revokedAt: time,
  seq: { type: 'integer' },
  epoch: { type: 'integer' },
  digest: { type: 'string' },
  components: { type: 'integer', minimum: 0 },
  findings: { ...counts, description: 'Active findings by severity.' },
  connected: { type: 'boolean', description: 'Whether the host holds a stream to this server now.' },
} as const;

const hostRequired = ['id', 'hostname', 'agentVersion', 'tags', 'state', 'enrolledAt', 'lastSeenAt', 'components', 'findings', 'connected'];

export const hostSummarySchema = {
  $id: 'HostSummary',
  type: 'object',
  required: hostRequired,
  additionalProperties: false,
  properties: hostSummaryProperties,
} as const;

export const hostDetailSchema = {
  $id: 'HostDetail',
  type: 'object',
  required: [...hostRequired, 'facts'],
  additionalProperties: false,
  properties: {
    ...hostSummaryProperties,
    facts: { type: 'object', description: 'What the agent reported about the host: OS, kernel, listening ports, in-use packages.' },
    coverage: { type: 'object', description: 'What the advisory data covers of the inventory, as `vigil scan` reports it.' },
  },
} as const;

const episode = {
  type: 'object',
  required: ['episode', 'firstSeen', 'lastSeen'],
  additionalProperties: false,
  properties: { episode: { type: 'integer', minimum: 1 }, firstSeen: time, lastSeen: time, closedAt: time, closeReason: { type: 'string' } },
} as const;

export const hostFindingSchema = {
  $id: 'HostFinding',
  description: "A host's finding with its lifecycle: `finding` is the matcher's finding, the same object `vigil scan -f json` prints.",
  type: 'object',
  required: ['hostId', 'id', 'status', 'firstSeen', 'lastSeen', 'episode', 'episodes', 'finding'],
  additionalProperties: false,
  properties: {
    hostId: { type: 'string' },
    id: { type: 'string' },
    status: { type: 'string', enum: FINDING_STATUS_VALUES },
    firstSeen: time,
    lastSeen: time,
    closedAt: time,
    closeReason: { type: 'string' },
    episode: { type: 'integer', minimum: 1 },
    episodes: { type: 'array', items: episode },
    finding: {
      type: 'object',
      required: ['id', 'vulnerability', 'aliases', 'component', 'installedVersion', 'status', 'severity'],
      properties: { id: { type: 'string' }, vulnerability: { type: 'string' }, severity: { type: 'string', enum: SEVERITY_VALUES } },
    },
  },
} as const;

export const jobSchema = {
  $id: 'Job',
  type: 'object',
  required: ['id', 'spec', 'state', 'createdAt', 'updatedAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer', minimum: 1 },
    spec: { type: 'object', description: 'Selector and rollout as created.' },
    state: { type: 'string', enum: JOB_STATES },
    reason: { type: 'string' },
    createdAt: time,
    updatedAt: time,
  },
} as const;

const jobHost = {
  type: 'object',
  required: ['hostId', 'wave', 'manager', 'packages', 'findings', 'state'],
  properties: {
    hostId: { type: 'string' },
    wave: { type: 'integer', minimum: 0 },
    manager: { type: 'string' },
    packages: { type: 'array', items: { type: 'object', required: ['name', 'fixedVersion'] } },
    findings: { type: 'array', items: { type: 'string' } },
    state: { type: 'string', enum: JOB_HOST_STATES },
    commandId: { type: 'string' },
    sentAt: time,
    finishedAt: time,
    detail: { type: 'string' },
    signedCommand: { type: 'string' },
    result: {},
  },
} as const;

export const jobViewSchema = {
  $id: 'JobView',
  type: 'object',
  required: ['job', 'hosts', 'counts', 'closed'],
  additionalProperties: false,
  properties: {
    job: { $ref: 'Job#' },
    hosts: { type: 'array', items: jobHost },
    counts: { type: 'object', required: [...JOB_HOST_STATES], properties: Object.fromEntries(JOB_HOST_STATES.map((s) => [s, { type: 'integer', minimum: 0 }])) },
    closed: { type: 'array', items: { type: 'object', required: ['hostId', 'finding', 'vulnerability', 'package', 'closedAt', 'remediationSeconds'] } },
  },
} as const;

export const apiTokenSchema = {
  $id: 'ApiToken',
  type: 'object',
  required: ['id', 'name', 'role', 'createdAt', 'createdBy'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ROLES },
    createdAt: time,
    createdBy: { type: 'string' },
    expiresAt: time,
    revokedAt: time,
    token: { type: 'string', description: 'The secret, in the answer to its creation only.' },
  },
} as const;

export const auditEntrySchema = {
  $id: 'AuditEntry',
  type: 'object',
  required: ['seq', 'time', 'actor', 'remote', 'method', 'route', 'path', 'status', 'prev'],
  additionalProperties: false,
  properties: {
    seq: { type: 'integer', minimum: 1 },
    time,
    actor: {
      oneOf: [
        { type: 'null' },
        { type: 'object', required: ['tokenId', 'name', 'role'], additionalProperties: false, properties: { tokenId: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', enum: ROLES } } },
      ],
    },
    remote: { type: 'string' },
    method: { type: 'string' },
    route: { type: 'string' },
    path: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    prev: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
} as const;

export const SHARED_SCHEMAS = [problemSchema, hostSummarySchema, hostDetailSchema, hostFindingSchema, jobSchema, jobViewSchema, apiTokenSchema, auditEntrySchema];

/** A list answer: the items under `key` and `next`, the cursor of the following page, while more follow. */
export function pageSchema(key: string, item: object): object {
  return {
    type: 'object',
    required: [key],
    additionalProperties: false,
    properties: { [key]: { type: 'array', items: item }, next: { type: 'string', description: 'Pass as `cursor` for the next page; absent on the last.' } },
  };
}

export const pagingQuery = {
  cursor: { type: 'string', maxLength: 2048, description: 'The `next` of the previous page.' },
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
} as const;

export const ref = (id: string): { $ref: string } => ({ $ref: `${id}#` });
