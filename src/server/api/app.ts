import { createHash, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { VigilError } from '../../common/errors.js';
import { vigilVersion } from '../../common/version.js';
import { isRole, roleAllows } from '../api-tokens.js';
import { ERRORS, type ApiOptions } from './options.js';
import { applyObserved } from '../worker-metrics.js';
import { problemOf } from './problem.js';
import { adminRoutes } from './routes-admin.js';
import { eventRoutes } from './routes-events.js';
import { findingRoutes } from './routes-findings.js';
import { hostRoutes } from './routes-hosts.js';
import { jobRoutes } from './routes-jobs.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { statsRoutes } from './routes-stats.js';
import { consoleRoutes } from './routes-console.js';
import { sessionRoutes } from './routes-session.js';
import { findingExportRoutes } from './routes-findings-export.js';
import { findingGroupRoutes } from './routes-finding-groups.js';
import { CSRF_HEADER, MemorySessions, SESSION_COOKIE, cookieValue, csrfMatches } from './sessions.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SAFE = new Set(['GET', 'HEAD']);

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Builds the API v1 server: see options.ts for what it serves and how. */
export async function buildApi(opts: ApiOptions): Promise<FastifyInstance> {
  const now = opts.now ?? (() => new Date());
  const bootstrap = digest(opts.token);
  const sessions = opts.sessions ?? new MemorySessions();
  /** The principal an API token stands for: the one check both a bearer token and a sign-in make. */
  const authenticate = (presented: string) => {
    // Hashing both sides gives equal lengths, so the comparison is constant-time for any input.
    if (timingSafeEqual(digest(presented), bootstrap)) return { principal: { tokenId: 'api.token', name: 'api.token', role: 'admin' as const } };
    const principal = opts.tokens.authenticate(presented, now());
    if (!principal) return undefined;
    const expiresAt = opts.tokens.active(principal.tokenId, now())?.expiresAt;
    return expiresAt ? { principal, expiresAt: Date.parse(expiresAt) } : { principal };
  };
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: 1024 * 1024,
    requestTimeout: 3_700_000,
    // Query strings are coerced to the schema's types; unknown parameters are refused, not ignored.
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' as const } } : {}),
  }) as unknown as FastifyInstance;
  // Answers are written as they are: the suite checks them against the schemas, so a
  // schema gap shows as a failing test instead of a field silently dropped.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  for (const s of SHARED_SCHEMAS) app.addSchema(s);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Vigil API', version: vigilVersion(), description: 'Fleet vulnerability management: hosts, findings, patch jobs, tokens and audit.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (vigil token create --api) or the data directory\'s api.token.' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'A console session (POST /api/v1/session); a request other than GET or HEAD also carries its CSRF token in X-CSRF-Token.' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });

  // A route that names no role is a mistake, refused when it is declared rather than served to anyone.
  app.addHook('onRoute', (route) => {
    const role = (route.config as { role?: unknown } | undefined)?.role;
    if (role !== 'public' && !isRole(role)) throw new Error(`route ${route.method} ${route.url} names no role`);
  });
  app.addHook('onRequest', async (req: FastifyRequest) => {
    // A path no route serves still needs a valid token, so the 404 reveals nothing to strangers.
    const role = req.routeOptions.config.role ?? 'viewer';
    if (role === 'public') return;
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const sid = auth ? undefined : cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (auth) {
      req.principal = authenticate(auth[1]!)?.principal;
      if (!req.principal) throw new VigilError('UNAUTHENTICATED', 'unknown, revoked or expired API token');
    } else if (sid) {
      const session = sessions.touch(sid, now().getTime());
      if (!session) throw new VigilError('UNAUTHENTICATED', 'unknown, expired or ended session; sign in again');
      const p = session.principal;
      // The token is looked up on every request, so revoking it ends its sessions at once.
      const token = p.tokenId === 'api.token' ? undefined : opts.tokens.active(p.tokenId, now());
      if (p.tokenId !== 'api.token' && !token) {
        sessions.endToken(p.tokenId);
        throw new VigilError('UNAUTHENTICATED', 'unknown, revoked or expired API token: the session ended with it');
      }
      req.principal = token ? { tokenId: token.id, name: token.name, role: token.role, ...(token.tags ? { tags: token.tags } : {}) } : p;
      req.session = { id: sid, session };
      if (!SAFE.has(req.method) && !csrfMatches(session, firstHeader(req.headers[CSRF_HEADER]))) {
        throw new VigilError('PERMISSION_DENIED', `${req.method} ${req.routeOptions.url ?? req.url} with a session cookie needs the session's CSRF token in X-CSRF-Token`);
      }
    } else throw new VigilError('UNAUTHENTICATED', 'missing bearer token (Authorization: Bearer <token>) or session cookie (POST /api/v1/session)');
    if (!roleAllows(req.principal.role, role)) {
      throw new VigilError('PERMISSION_DENIED', `${req.method} ${req.routeOptions.url ?? req.url} needs the ${role} role; token ${req.principal.name} has ${req.principal.role}`);
    }
  });

  app.setErrorHandler(async (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const p = problemOf(err, req.url.split('?')[0]);
    if (p.code === 'INTERNAL' || p.code === 'IO') opts.log.error({ err }, 'API request failed');
    return reply.code(p.status).type('application/problem+json').send(p);
  });
  app.setNotFoundHandler(async (req: FastifyRequest, reply: FastifyReply) => {
    const p = problemOf(new VigilError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`), req.url.split('?')[0]);
    return reply.code(404).type('application/problem+json').send(p);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.header('cache-control', 'no-store');
    const refused = reply.statusCode === 401 || reply.statusCode === 403;
    if (MUTATING.has(req.method) || refused) {
      const route = req.routeOptions.url ?? '(no route)';
      const entry = {
        time: now().toISOString(),
        actor: req.principal ?? null,
        remote: req.ip,
        method: req.method,
        route,
        path: req.url.split('?')[0]!,
        status: reply.statusCode,
      };
      const code = reply.statusCode >= 400 && typeof payload === 'string' ? codeIn(payload) : undefined;
      opts.audit.append(code ? { ...entry, code } : entry);
    }
    if (req.method === 'GET' && reply.statusCode === 200 && typeof payload === 'string') {
      const etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
      reply.header('etag', etag);
      const want = req.headers['if-none-match'];
      if (want && want.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        reply.code(304);
        return '';
      }
    }
    return payload;
  });

  app.get('/api/v1/health', {
    config: { role: 'public' },
    schema: {
      summary: 'Liveness and the number of connected agents',
      tags: ['server'],
      security: [],
      response: { 200: { type: 'object', required: ['ok', 'connectedAgents'], additionalProperties: false, properties: { ok: { type: 'boolean' }, connectedAgents: { type: 'integer' } } } },
    },
    handler: async () => ({ ok: true, connectedAgents: opts.streams.connected().length }),
  });
  app.get('/api/v1/openapi.json', {
    config: { role: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });
  const metrics = opts.metrics;
  if (metrics) {
    app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
      metrics.observeApi(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    });
    app.get('/metrics', {
      config: { role: 'viewer' },
      schema: { summary: 'Prometheus metrics (text exposition format 0.0.4)', tags: ['server'], response: { 200: { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } }, ...ERRORS } },
      handler: async (_req, reply) => {
        metrics.setSnapshot(await opts.fleet.metricsSnapshot());
        applyObserved(metrics, await opts.fleet.metricsObserved());
        metrics.setStreams(opts.streams.connected().length);
        const { contentType, body } = await metrics.render();
        return reply.type(contentType).send(body);
      },
    });
  }
  await app.register(hostRoutes(opts));
  await app.register(findingRoutes(opts));
  await app.register(jobRoutes(opts));
  await app.register(adminRoutes(opts));
  await app.register(eventRoutes(opts));
  await app.register(statsRoutes(opts));
  await app.register(consoleRoutes());
  await app.register(sessionRoutes(opts, sessions, authenticate));
  await app.register(findingExportRoutes(opts));
  await app.register(findingGroupRoutes(opts));
  return app;
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function codeIn(payload: string): string | undefined {
  try {
    const c = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof c === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}
