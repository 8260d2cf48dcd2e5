import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../common/errors.js';
import { ROLES, type Principal } from '../api-tokens.js';
import { ERRORS, type ApiOptions } from './options.js';
import { problemFor } from './problem.js';
import { AttemptLimiter, sessionCookie, sessionExpiry, type Session, type SessionStore } from './sessions.js';

/**
 * Console sign-in: POST /api/v1/session checks a pasted API token exactly as a bearer
 * token is checked and answers a session cookie (HttpOnly, SameSite=Strict, Path=/api/,
 * Secure on HTTPS) and the session's CSRF token; GET says who the caller is (and, for a
 * session, its CSRF token again, for a reloaded page); DELETE signs out. Failed
 * sign-ins are limited per source address (429 with Retry-After beyond it) and, like
 * every POST, each is written to the audit log, naming the token when it was good.
 */

const sessionSchema = {
  type: 'object',
  required: ['tokenId', 'name', 'role'],
  additionalProperties: false,
  properties: {
    tokenId: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ROLES },
    tags: { type: 'array', items: { type: 'string' }, description: "An operator token's scope: the host tags it acts on." },
    csrfToken: { type: 'string', description: 'Send as X-CSRF-Token on every request other than GET or HEAD made with the session cookie. Absent when the caller used a bearer token.' },
    expiresAt: { type: 'string', format: 'date-time', description: 'When the session ends unless used again before (12 h after its last use), or its token expires, whichever is sooner.' },
  },
} as const;

type Authenticate = (token: string) => { principal: Principal; expiresAt?: number } | undefined;

function answer(p: Principal, s?: Session): Record<string, unknown> {
  const out: Record<string, unknown> = { tokenId: p.tokenId, name: p.name, role: p.role, ...(p.tags ? { tags: p.tags } : {}) };
  if (s) Object.assign(out, { csrfToken: s.csrf, expiresAt: new Date(sessionExpiry(s)).toISOString() });
  return out;
}

export function sessionRoutes(opts: ApiOptions, sessions: SessionStore, authenticate: Authenticate, limiter = new AttemptLimiter()) {
  const now = opts.now ?? (() => new Date());
  const secure = opts.tls !== undefined;
  return async (app: FastifyInstance): Promise<void> => {
    app.post<{ Body: { token: string } }>('/api/v1/session', {
      config: { role: 'public' },
      schema: {
        summary: 'Sign in with an API token: a session cookie and its CSRF token (at most 10 failed attempts a minute per address)',
        tags: ['session'],
        security: [],
        body: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: { type: 'string', minLength: 1, maxLength: 256 } } },
        response: { 201: { ...sessionSchema, required: [...sessionSchema.required, 'csrfToken', 'expiresAt'] }, ...ERRORS },
      },
      handler: async (req, reply) => {
        const at = now().getTime();
        const turn = limiter.take(req.ip, at);
        if (!turn.ok) {
          const p = { ...problemFor('UNAVAILABLE', `too many sign-in attempts from ${req.ip}; try again in ${turn.retryAfterSeconds} s`, '/api/v1/session'), status: 429 };
          return reply.code(429).header('retry-after', String(turn.retryAfterSeconds)).type('application/problem+json').send(p);
        }
        const found = authenticate(req.body.token);
        if (!found) throw new VigilError('UNAUTHENTICATED', 'unknown, revoked or expired API token');
        limiter.refund(req.ip);
        req.principal = found.principal;
        const { id, session } = sessions.create(found.principal, found.expiresAt, at);
        return reply.code(201).header('set-cookie', sessionCookie(id, secure)).send(answer(found.principal, session));
      },
    });

    app.get('/api/v1/session', {
      config: { role: 'viewer' },
      schema: { summary: 'Who the caller is: the token, its role and scope, and a session\'s CSRF token', tags: ['session'], response: { 200: sessionSchema, ...ERRORS } },
      handler: async (req) => answer(req.principal!, req.session?.session),
    });

    app.delete('/api/v1/session', {
      config: { role: 'viewer' },
      schema: { summary: 'Sign out: the session ends and its cookie is removed (with a bearer token, nothing to end)', tags: ['session'], response: { 204: { type: 'null' }, ...ERRORS } },
      handler: async (req, reply) => {
        if (req.session) sessions.end(req.session.id);
        return reply.code(204).header('set-cookie', sessionCookie(undefined, secure)).send();
      },
    });
  };
}
