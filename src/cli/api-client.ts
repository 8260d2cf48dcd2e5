import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir, envApiCa, envApiToken, envApiUrl } from '../common/config.js';
import { VigilError, codeOfHttp } from '../common/errors.js';
import type { LocalApi } from '../server/run.js';
import { atCommandEnd } from './command-end.js';
import { httpRequest, tlsAdvice, type HttpAnswer } from './http-request.js';
import { DataDirLock, readHolder } from '../store/data-dir-lock.js';

export interface ApiTarget {
  url: string;
  token: string;
  /** A data directory no server runs on: the calls are answered by an in-process copy of the server's API over it. */
  local?: string;
  /** PEM files of CAs trusted for an HTTPS API besides the system's: VIGIL_API_CA, and the fleet CA of a server found on this host. */
  caFiles?: string[];
}

/**
 * The server data directories a CLI on this host looks at, in order: the embedded
 * default's (`vigil up`: <data dir>/server) and a plain `vigil server run`'s (<data dir>).
 */
function serverDirs(): string[] {
  return [path.join(dataDir(), 'server'), dataDir()];
}

function readToken(file: string): string {
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length < 16) throw new VigilError('INVALID_INPUT', `${file} holds no usable API token`);
    return token;
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw new VigilError('INVALID_INPUT', `cannot read the API token ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); pass --token-file or set VIGIL_API_TOKEN`);
  }
}

/**
 * Where the CLI finds the server's API.
 * - `--api URL` or VIGIL_API_URL: that server; token from --token-file, VIGIL_API_TOKEN
 *   or the first of <data dir>/server/api.token and <data dir>/api.token that exists.
 * - otherwise the first of those data directories that holds a fleet database: the
 *   server running on it (the address it recorded in server.json, checked against
 *   the directory's lock) or, when none runs, an in-process API over the database.
 * - with neither, the default http://127.0.0.1:8080.
 */
export function apiTarget(opts: { api?: string | undefined; tokenFile?: string | undefined }): ApiTarget {
  const explicit = opts.api ?? (process.env.VIGIL_API_URL || undefined);
  const token = (): string => {
    if (opts.tokenFile) return readToken(opts.tokenFile);
    const env = envApiToken();
    if (env) return env;
    const files = serverDirs().map((d) => path.join(d, 'api.token'));
    const found = files.find((f) => existsSync(f));
    if (!found) throw new VigilError('INVALID_INPUT', `no API token in ${files.join(' or ')}; pass --token-file or set VIGIL_API_TOKEN`);
    return readToken(found);
  };
  if (explicit === undefined) {
    const dir = serverDirs().find((d) => existsSync(path.join(d, 'fleet.db')));
    if (dir) {
      const holder = readHolder(dir);
      if (DataDirLock.isHeld(dir)) {
        if (!holder?.api) throw new VigilError('UNAVAILABLE', `a Vigil server is running on ${dir} but has not said where its API listens yet; retry, or pass --api`);
        const fleetCa = path.join(dir, 'pki', 'ca.crt');
        return { url: holder.api, token: opts.tokenFile || envApiToken() ? token() : readToken(path.join(dir, 'api.token')), caFiles: [...envCa(), ...(existsSync(fleetCa) ? [fleetCa] : [])] };
      }
      return { url: '', token: '', local: dir };
    }
  }
  const url = (explicit ?? envApiUrl()).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+$/.test(url)) throw new VigilError('USAGE', `--api must be http(s)://HOST:PORT (got ${JSON.stringify(url)})`);
  return { url, token: token(), caFiles: envCa() };
}

function envCa(): string[] {
  const f = envApiCa();
  return f ? [f] : [];
}

function readCa(files: string[] | undefined): string[] {
  return (files ?? []).map((f) => {
    try {
      return readFileSync(f, 'utf8');
    } catch (err) {
      throw new VigilError('INVALID_INPUT', `cannot read the API's CA file ${f} (${(err as NodeJS.ErrnoException).code ?? 'error'}); VIGIL_API_CA names a PEM file`);
    }
  });
}

const locals = new Map<string, Promise<LocalApi>>();

/** Stops the in-process APIs this command started; runs when the command ends. */
async function closeLocalApis(): Promise<void> {
  const all = [...locals.values()];
  locals.clear();
  for (const p of all) await (await p.catch(() => undefined))?.stop();
}

async function resolveTarget(t: ApiTarget): Promise<ApiTarget> {
  if (!t.local) return t;
  let p = locals.get(t.local);
  if (!p) {
    const { startLocalApi } = await import('../server/run.js');
    p = startLocalApi(t.local);
    if (locals.size === 0) atCommandEnd(closeLocalApis);
    locals.set(t.local, p);
  }
  const api = await p;
  return { url: api.url, token: api.token };
}

/**
 * One API call, with `payload` (when given) sent as JSON; a non-2xx answer becomes a
 * VigilError carrying the server's message, and a 204 answers undefined.
 */
export async function apiCall<T>(target: ApiTarget, method: 'GET' | 'POST' | 'DELETE', route: string, query: Record<string, string | undefined> = {}, payload?: unknown): Promise<T> {
  const t = await resolveTarget(target);
  const u = new URL(`${t.url}/api/v1/${route}`);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
  const headers: Record<string, string> = { authorization: `Bearer ${t.token}` };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const ca = readCa(t.caFiles);
  let res: HttpAnswer;
  try {
    res = await httpRequest(u, { method, headers, ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}), ca });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new VigilError('UNAVAILABLE', `cannot reach the Vigil API at ${t.url}: ${tlsAdvice(e) ?? e.message}`);
  }
  const text = res.text;
  if (res.status === 204) return undefined as T;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new VigilError('UNAVAILABLE', `${method} ${u.pathname}: HTTP ${res.status} with a body that is not JSON`);
  }
  if (res.status < 200 || res.status > 299) {
    // Errors are RFC 9457 problem details: `detail` says what was wrong, `code` is the catalog's name.
    const { detail, code } = (body ?? {}) as { detail?: unknown; code?: unknown };
    throw new VigilError(codeOfHttp(res.status, code), typeof detail === 'string' ? detail : `HTTP ${res.status}`);
  }
  return body as T;
}

/** Every item of a paged list (`{<key>: [...], next?}`), following `next` to the last page; `onPage` hears the count so far. */
export async function apiList<T>(target: ApiTarget, route: string, key: string, query: Record<string, string | undefined> = {}, onPage?: (received: number) => void): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await apiCall<Record<string, unknown>>(target, 'GET', route, { ...query, limit: '1000', cursor });
    const items = page[key];
    if (!Array.isArray(items)) throw new VigilError('UNAVAILABLE', `GET /api/v1/${route}: the answer has no ${key} list`);
    out.push(...(items as T[]));
    onPage?.(out.length);
    cursor = typeof page.next === 'string' ? page.next : undefined;
  } while (cursor);
  return out;
}
