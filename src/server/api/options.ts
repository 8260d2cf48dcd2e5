import type { Logger } from 'pino';
import type { ApiTokenStore, Principal, Role } from '../api-tokens.js';
import type { AuditLog } from '../audit-log.js';
import type { AgentStreams } from '../connect-service.js';
import type { TokenStore } from '../tokens.js';
import type { FleetRemote } from '../worker-client.js';
import type { ServerMetrics } from '../metrics.js';
import type { Session, SessionStore } from './sessions.js';

/**
 * API v1 on Fastify. Every route declares its request and response schemas; the
 * OpenAPI 3.1 document at /api/v1/openapi.json is generated from them. Every route
 * names the least role it needs (`config.role`); a request is authenticated by
 * `Authorization: Bearer <token>` (an API token of src/server/api-tokens.ts, or the
 * data directory's api.token, which is admin) or by a console session's cookie
 * (sessions.ts), whose mutating requests also carry its CSRF token. Reads answer an ETag and honour
 * If-None-Match; errors are problem+json (problem.ts); every mutating or refused
 * call is written to the audit log before its answer leaves.
 */
export interface ApiOptions {
  fleet: FleetRemote;
  streams: AgentStreams;
  /** The bootstrap admin token (api.token). */
  token: string;
  tokens: ApiTokenStore;
  audit: AuditLog;
  /** Enrolment tokens, created by admins through the API. */
  enrolment?: TokenStore;
  log: Logger;
  /** Called after a job is created or changes state, so the rollout moves at once. */
  onJobChange?: () => void;
  /** Served at /metrics (Prometheus text format) when given. */
  metrics?: ServerMetrics;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
  /** Console sessions (sessions.ts); in this process's memory when not given. */
  sessions?: SessionStore;
  now?: () => Date;
}

export type RouteRole = Role | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    role?: RouteRole;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** The console session the request came with, when it was authenticated by its cookie. */
    session?: { id: string; session: Session };
  }
}


/** Standard error answers every route may give, referenced from each route's schema. */
export const ERRORS = { '4xx': { $ref: 'Problem#' }, '5xx': { $ref: 'Problem#' } } as const;
