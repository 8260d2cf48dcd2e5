import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApi } from './app.js';
import type { ApiOptions } from './options.js';

/**
 * API v1's OpenAPI 3.1 document as the server serves it at /api/v1/openapi.json,
 * without a server: the routes are registered on stores that refuse every call (a
 * route reads them only when it answers a request) and the document is taken from the
 * ready instance. The console's types are generated from it (console/scripts/api-types.mjs).
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const refuse = new Proxy(
    {},
    {
      get: (_t, key) => (key === 'then' ? undefined : () => {
        throw new Error(`the OpenAPI document's instance serves no request (${String(key)})`);
      }),
    },
  );
  const deps = refuse as never;
  const opts: ApiOptions = { fleet: deps, streams: deps, token: 'openapi-document-'.padEnd(43, '0'), tokens: deps, audit: deps, log: pino({ level: 'silent' }) };
  const app: FastifyInstance = await buildApi(opts);
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
