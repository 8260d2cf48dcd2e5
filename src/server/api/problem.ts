import { ERROR_CODES, VigilError, describeError, errorCodeOf, type ErrorCode } from '../../common/errors.js';

/**
 * Errors as RFC 9457 problem details (`application/problem+json`): `type` names the
 * project's error code (`urn:vigil:error:NOT_FOUND`), `title` is the code's meaning
 * from the catalog (src/common/errors.ts), `status` its HTTP status, `detail` the one
 * line saying what was wrong, `code` the code's name (the CLI's exit status follows from it).
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
}

export const PROBLEM_TYPE_PREFIX = 'urn:vigil:error:';

export function problemOf(err: unknown, instance?: string): Problem {
  const code = fastifyCode(err) ?? errorCodeOf(err);
  const entry = ERROR_CODES[code];
  const p: Problem = { type: PROBLEM_TYPE_PREFIX + code, title: entry.description, status: entry.http, detail: fastifyDetail(err) ?? describeError(err), code };
  if (instance !== undefined) p.instance = instance;
  return p;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
  message?: string;
}

/** Fastify's own errors (a request that fails its schema, a body too large, bad JSON) in the catalog's terms. */
function fastifyCode(err: unknown): ErrorCode | undefined {
  if (err instanceof VigilError) return undefined;
  const e = err as FastifyLikeError;
  if (e?.validation) return 'INVALID_INPUT';
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e?.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return 'INVALID_INPUT';
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return e.statusCode === 404 ? 'NOT_FOUND' : 'INVALID_INPUT';
  return undefined;
}

function fastifyDetail(err: unknown): string | undefined {
  if (err instanceof VigilError) return undefined;
  const e = err as FastifyLikeError;
  if (e?.validation) {
    return e.validation
      .map((v) => {
        const where = `${e.validationContext ?? 'request'}${v.instancePath ?? ''}`;
        const extra = v.params?.additionalProperty ? ` (${String(v.params.additionalProperty)})` : '';
        return `${where} ${v.message ?? 'is invalid'}${extra}`;
      })
      .join('; ');
  }
  if (fastifyCode(err)) return e.message;
  return undefined;
}

export function problemFor(code: ErrorCode, detail: string, instance?: string): Problem {
  return problemOf(new VigilError(code, detail), instance);
}
