import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../common/errors.js';
import { JOB_STATES, type JobState } from '../../common/lifecycle/patch-job.js';
import type { Severity } from '../../advisories/model.js';
import type { PatchRequest } from '../patch-service.js';
import type { RolloutSpec } from '../rollout.js';
import type { Principal } from '../api-tokens.js';
import { ERRORS, type ApiOptions } from './options.js';
import { liveRoutes } from './routes-live.js';
import { requireHostsInScope, scopeOf } from './scope.js';
import { decodeCursor, encodeCursor, isPosition, pageOf, parseSort, type Position } from './paging.js';
import { splitList } from './params.js';
import { SEVERITY_VALUES, pageSchema, pagingQuery, ref } from './schemas.js';

const JOB_ID = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;
const str = (description: string) => ({ type: 'string', maxLength: 4096, description }) as const;

/** `POST /api/v1/jobs?cve=&severity=&tag=&hosts=a,b&canary=1&waves=2|20%&concurrency=&failure-threshold=0.2&window=CRON&window-minutes=&deadline=&timeout=&ttl=` */
export const createJobQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cve: str('Patch the findings of this vulnerability.'),
    severity: str(`Comma-separated: ${SEVERITY_VALUES.join(', ')}.`),
    tag: str('Hosts with this tag (key=value).'),
    hosts: str('Comma-separated host ids.'),
    package: str('Comma-separated package names: only these packages are upgraded.'),
    canary: str('Hosts in the first wave (default 1).'),
    waves: str('Number of waves after the canary, or a percentage per wave (20%).'),
    concurrency: str('Hosts patched at once (default 10).'),
    'failure-threshold': str('Fraction of failed hosts that stops the job (default 0.2).'),
    window: str('Maintenance window as a cron expression.'),
    'window-minutes': str('Length of each window (default 120).'),
    deadline: str('ISO time after which no command is sent.'),
    timeout: str('Seconds a host has to report (default 1800).'),
    ttl: str('Seconds a signed command stays valid (default 3600).'),
  },
} as const;

const previewSchema = {
  type: 'object',
  required: ['hosts', 'waves'],
  additionalProperties: false,
  properties: {
    hosts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['hostId', 'hostname', 'wave', 'manager', 'packages', 'findings', 'steps'],
        additionalProperties: false,
        properties: {
          hostId: { type: 'string' },
          hostname: { type: 'string' },
          wave: { type: 'integer', minimum: 0 },
          manager: { type: 'string' },
          packages: { type: 'array', items: { type: 'object', required: ['name', 'fixedVersion'], properties: { name: { type: 'string' }, fixedVersion: { type: 'string' } } } },
          findings: { type: 'array', items: { type: 'string' } },
          steps: {
            type: 'array',
            description: 'The argv of each step the executor runs on a host whose root is / (another root runs the same under chroot); a step not required may fail without failing the command.',
            items: { type: 'object', required: ['argv', 'required'], properties: { argv: { type: 'array', items: { type: 'string' } }, required: { type: 'boolean' } } },
          },
        },
      },
    },
    waves: { type: 'integer', minimum: 0 },
    problem: { type: 'string', description: 'Why POST /api/v1/jobs would refuse this now (a host already in a job, no usable signing key).' },
  },
} as const;

export function jobRoutes(opts: ApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: { state?: string[]; sort?: string; cursor?: string; limit: number } }>('/api/v1/jobs', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Patch jobs, newest first, one page at a time',
        tags: ['jobs'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { state: { type: 'array', items: { type: 'string', maxLength: 64 }, description: `Comma-separated: ${JOB_STATES.join(', ')}.` }, sort: { type: 'string', maxLength: 32, description: 'id, createdAt or updatedAt; prefix - for descending. Default -id.' }, ...pagingQuery },
        },
        response: { 200: pageSchema('jobs', ref('Job')), ...ERRORS },
      },
      handler: async (req) => {
        const q = { ...req.query, state: splitList<JobState>(req.query.state, JOB_STATES, 'state') };
        const sort = parseSort(q.sort, ['id', 'createdAt', 'updatedAt'] as const, '-id');
        const after = decodeCursor<Position>(q.cursor, q, isPosition);
        let jobs = await opts.fleet.patchList();
        if (q.state) jobs = jobs.filter((j) => q.state!.includes(j.state));
        const page = pageOf(jobs, (j) => ({ value: sort.key === 'id' ? j.id : j[sort.key], id: String(j.id).padStart(12, '0') }), sort, after, q.limit);
        return page.next ? { jobs: page.items, next: encodeCursor(page.next, q) } : { jobs: page.items };
      },
    });

    app.post<{ Querystring: Record<string, string | undefined> }>('/api/v1/jobs', {
      config: { role: 'operator' },
      schema: {
        summary: 'Create a patch job: the hosts with matching active findings, in canary and waves',
        tags: ['jobs'],
        querystring: createJobQuery,
        response: { 201: { type: 'object', required: ['jobId', 'hosts'], properties: { jobId: { type: 'integer' }, hosts: { type: 'array', items: { type: 'object' } } } }, ...ERRORS },
      },
      handler: async (req, reply) => {
        const request = await scopedRequest(opts, req.principal, req.query);
        const created = await opts.fleet.patchCreate(request);
        opts.onJobChange?.();
        return reply.code(201).send(created);
      },
    });

    app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/jobs/preview', {
      config: { role: 'operator' },
      schema: {
        summary: 'What POST /api/v1/jobs would create now with the same parameters: each host, its wave, its packages and the exact steps its executor runs; creates nothing',
        tags: ['jobs'],
        querystring: createJobQuery,
        response: { 200: previewSchema, ...ERRORS },
      },
      handler: async (req) => {
        const request = await scopedRequest(opts, req.principal, req.query);
        return opts.fleet.patchPreview(request);
      },
    });

    app.get<{ Params: { id: number } }>('/api/v1/jobs/:id', {
      config: { role: 'viewer' },
      schema: { summary: 'One patch job with each host and what it closed', tags: ['jobs'], params: JOB_ID, response: { 200: ref('JobView'), ...ERRORS } },
      handler: async (req) => opts.fleet.patchView(req.params.id),
    });

    for (const action of ['pause', 'resume', 'cancel'] as const) {
      app.post<{ Params: { id: number } }>(`/api/v1/jobs/:id/${action}`, {
        config: { role: 'operator' },
        schema: { summary: `${action[0]!.toUpperCase()}${action.slice(1)} a patch job`, tags: ['jobs'], params: JOB_ID, response: { 200: ref('Job'), ...ERRORS } },
        handler: async (req) => {
          if (scopeOf(req.principal)) {
            const view = await opts.fleet.patchView(req.params.id);
            requireHostsInScope(req.principal, await Promise.all(view.hosts.map((h) => opts.fleet.host(h.hostId))), `${action === 'resume' ? 'resuming' : action === 'pause' ? 'pausing' : 'cancelling'} job ${req.params.id}`);
          }
          const job = await opts.fleet.patchSetState(req.params.id, action === 'pause' ? 'paused' : action === 'resume' ? 'running' : 'cancelled');
          opts.onJobChange?.();
          return job;
        },
      });
    }
    await app.register(liveRoutes(opts));
  };
}

/** The request of a create or preview; a scoped token's named hosts must be in its scope, and hosts selected by filters are narrowed to it. */
async function scopedRequest(opts: ApiOptions, principal: Principal | undefined, query: Record<string, string | undefined>): Promise<PatchRequest> {
  const request = patchRequest(new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string')));
  const scope = scopeOf(principal);
  if (scope) {
    requireHostsInScope(principal, await Promise.all((request.hosts ?? []).map((id) => opts.fleet.host(id))), 'the job');
    request.scope = scope;
  }
  return request;
}

function num(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new VigilError('INVALID_INPUT', `${name} must be a number (got ${JSON.stringify(raw.slice(0, 32))})`);
  return n;
}

export function patchRequest(q: URLSearchParams): PatchRequest {
  const wavesText = q.get('waves') ?? '1';
  const waves = wavesText.endsWith('%') ? { percent: Number(wavesText.slice(0, -1)) } : { count: Number(wavesText) };
  const rollout: RolloutSpec = {
    canary: num(q, 'canary', 1),
    waves,
    concurrency: num(q, 'concurrency', 10),
    failureThreshold: num(q, 'failure-threshold', 0.2),
    commandTimeoutSeconds: num(q, 'timeout', 1800),
  };
  const win = q.get('window');
  if (win) rollout.window = { cron: win, durationMinutes: num(q, 'window-minutes', 120) };
  const deadline = q.get('deadline');
  if (deadline) rollout.deadline = deadline;
  const req: PatchRequest = { rollout, commandTtlSeconds: num(q, 'ttl', 3600) };
  const cve = q.get('cve');
  if (cve) req.cve = cve;
  const sev = splitList<Severity>(q.get('severity') ? [q.get('severity')!] : undefined, SEVERITY_VALUES, 'severity', (s) => s.toLowerCase());
  if (sev) req.severity = sev;
  const tag = q.get('tag');
  if (tag) req.tag = tag;
  const hosts = q.get('hosts');
  if (hosts) req.hosts = hosts.split(',').map((h) => h.trim()).filter(Boolean);
  const pkgs = q.get('package');
  if (pkgs) req.packages = pkgs.split(',').map((p) => p.trim()).filter(Boolean);
  if (!req.cve && !req.severity && !req.tag && !req.hosts) throw new VigilError('INVALID_INPUT', 'select what to patch: cve, severity, tag or hosts');
  return req;
}
