import { readFileSync } from 'node:fs';
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

const strings = { type: 'array', items: { type: 'string' } } as const;

/** What the agent reported about a host (store/fleet-store.ts HostFactsDoc); a member a newer agent adds is passed through. */
const hostFactsSchema = {
  type: 'object',
  description: 'What the agent reported about the host: OS, kernel, listening ports, in-use packages.',
  additionalProperties: true,
  properties: {
    host: {
      type: 'object',
      required: ['hostname', 'os', 'arch', 'addresses'],
      additionalProperties: true,
      properties: { hostname: { type: 'string' }, os: { type: 'string' }, arch: { type: 'string' }, addresses: strings, kernel: { type: 'string' } },
    },
    os: {
      type: 'object',
      required: ['id', 'distro'],
      additionalProperties: true,
      properties: {
        id: { type: 'string' },
        versionId: { type: 'string' },
        versionCodename: { type: 'string' },
        prettyName: { type: 'string' },
        name: { type: 'string' },
        idLike: strings,
        distro: { type: 'string', description: 'debian-12, ubuntu-22.04, alpine-3.19: the purl distro qualifier and advisory namespace.' },
      },
    },
    kernel: {
      type: 'object',
      required: ['installed'],
      additionalProperties: true,
      properties: {
        running: { type: 'string', description: 'The running kernel release (live hosts only).' },
        runningPackage: { type: 'string', description: 'purl of the installed package that ships the running kernel.' },
        installed: { ...strings, description: 'purls of the installed kernel packages.' },
      },
    },
    ports: {
      type: 'array',
      description: 'The listening sockets last reported: they decide each finding\'s exposure.',
      items: {
        type: 'object',
        required: ['protocol', 'address', 'port', 'exposure', 'inode'],
        additionalProperties: true,
        properties: {
          protocol: { type: 'string', enum: ['tcp', 'tcp6', 'udp', 'udp6'] },
          address: { type: 'string' },
          port: { type: 'integer', minimum: 0, maximum: 65535 },
          exposure: { type: 'string', enum: ['loopback', 'private', 'any'] },
          inode: { type: 'integer', minimum: 0 },
          pid: { type: 'integer' },
          process: { type: 'string' },
          executable: { type: 'string' },
          package: { type: 'string', description: 'purl of the package owning the executable, when known.' },
        },
      },
    },
    inUse: { ...strings, description: "Keys of the components a running process used when the agent last looked: they decide each finding's inUse." },
  },
} as const;

export const hostDetailSchema = {
  $id: 'HostDetail',
  type: 'object',
  required: [...hostRequired, 'facts'],
  additionalProperties: false,
  properties: {
    ...hostSummaryProperties,
    facts: hostFactsSchema,
    coverage: { type: 'object', description: 'What the advisory data covers of the inventory, as `vigil scan` reports it.' },
  },
} as const;

/** A published schema of schemas/ as an API component: its `#/$defs/…` references inlined, a reference to another published file as that component's `$ref`. */
function published(file: string, id: string, refs: Record<string, string>): Record<string, unknown> {
  const doc = JSON.parse(readFileSync(new URL(`../../../schemas/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
  const defs = (doc.$defs ?? {}) as Record<string, unknown>;
  const inline = (v: unknown, depth: number): unknown => {
    if (depth > 32) throw new Error(`${file}: $defs nest deeper than 32`);
    if (Array.isArray(v)) return v.map((x) => inline(x, depth + 1));
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    const ref = o.$ref;
    const out: Record<string, unknown> = {};
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) Object.assign(out, inline(defs[ref.slice('#/$defs/'.length)], depth + 1));
    else if (typeof ref === 'string' && refs[ref]) out.$ref = `${refs[ref]}#`;
    for (const [k, x] of Object.entries(o)) if (k !== '$ref') out[k] = inline(x, depth + 1);
    return out;
  };
  const { $schema: _s, $id: _i, $defs: _d, ...body } = doc;
  return { $id: id, ...(inline(body, 0) as Record<string, unknown>) };
}

/** The matcher's finding (schemas/finding.schema.json): what `vigil scan -f json` prints, events carry and reports export. */
export const findingSchema = published('finding.schema.json', 'Finding', {});
/** A host's finding with its lifecycle (schemas/host-finding.schema.json). */
export const hostFindingSchema = published('host-finding.schema.json', 'HostFinding', { 'finding.schema.json': 'Finding' });

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
    tags: { type: 'array', items: { type: 'string' }, description: 'An operator token\'s scope: the host tags it acts on.' },
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
        { type: 'object', required: ['tokenId', 'name', 'role'], additionalProperties: false, properties: { tokenId: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', enum: ROLES }, tags: { type: 'array', items: { type: 'string' }, description: 'The token\'s tag scope, when it has one.' } } },
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

export const SHARED_SCHEMAS = [problemSchema, hostSummarySchema, hostDetailSchema, findingSchema, hostFindingSchema, jobSchema, jobViewSchema, apiTokenSchema, auditEntrySchema];

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
