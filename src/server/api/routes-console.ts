import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { VigilError } from '../../common/errors.js';

/**
 * The web console's files (console/, built by `npm run build` into dist/console/),
 * served at /console/ without a token: they hold no data, every datum comes from
 * API v1 with the user's own token. Only the files the build wrote are served, read
 * once when the server starts, each by its exact name. index.html is revalidated on
 * every load; the assets, whose names carry a hash of their content, are cached for a
 * year. A strict Content-Security-Policy allows scripts, styles and requests to this
 * origin only, and no inline script or style element.
 */

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

interface Asset {
  body: Buffer;
  type: string;
  immutable: boolean;
}

/** Every file under `dir` by its path relative to it ('/'-separated); none when the console was not built. */
function readAssets(dir: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  const walk = (rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, rel));
    } catch {
      return;
    }
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, r);
      if (statSync(full).isDirectory()) walk(r);
      else {
        const type = TYPES[path.extname(name)];
        if (type) out.set(r, { body: readFileSync(full), type, immutable: r.startsWith('assets/') });
      }
    }
  };
  walk('');
  return out;
}

export function consoleRoutes(dir = fileURLToPath(new URL('../../console/', import.meta.url))) {
  return async (app: FastifyInstance): Promise<void> => {
    const assets = readAssets(dir);
    // After the API's own onSend hook, which marks every answer no-store.
    app.addHook('onSend', async (req, reply, payload) => {
      if (!req.url.startsWith('/console')) return payload;
      reply.header('content-security-policy', CONSOLE_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
      const file = (req.params as { '*'?: string })['*'] || 'index.html';
      reply.header('cache-control', reply.statusCode === 200 && assets.get(file)?.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return payload;
    });
    const send = (reply: FastifyReply, file: string) => {
      const a = assets.get(file);
      if (!a) throw new VigilError('NOT_FOUND', assets.size ? `no console file ${file.slice(0, 200)}` : 'the console was not built (npm run build writes dist/console/)');
      // index.html as text, so the API's ETag and If-None-Match apply to it.
      return reply.type(a.type).send(a.immutable ? a.body : a.body.toString('utf8'));
    };
    app.get('/console', { config: { role: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.redirect('/console/', 308));
    app.get<{ Params: { '*': string } }>('/console/*', { config: { role: 'public' }, schema: { hide: true } }, async (req, reply) => send(reply, req.params['*'] || 'index.html'));
  };
}
