import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir, envApiToken, envApiUrl } from '../common/config.js';
import { VigilError } from '../common/errors.js';

export interface ApiTarget {
  url: string;
  token: string;
}

/** Where the CLI finds the server's API: --api / VIGIL_API_URL, and --token-file / VIGIL_API_TOKEN / <data dir>/api.token. */
export function apiTarget(opts: { api?: string | undefined; tokenFile?: string | undefined }): ApiTarget {
  const url = (opts.api ?? envApiUrl()).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+$/.test(url)) throw new VigilError('USAGE', `--api must be http(s)://HOST:PORT (got ${JSON.stringify(url)})`);
  let token = opts.tokenFile ? undefined : envApiToken();
  if (!token) {
    const file = opts.tokenFile ?? path.join(dataDir(), 'api.token');
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new VigilError('INVALID_INPUT', `cannot read the API token ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); pass --token-file or set VIGIL_API_TOKEN`);
    }
  }
  return { url, token };
}

/** One API call; a non-2xx answer becomes a VigilError carrying the server's message. */
export async function apiCall<T>(t: ApiTarget, method: 'GET' | 'POST', route: string, query: Record<string, string | undefined> = {}): Promise<T> {
  const u = new URL(`${t.url}/api/v1/${route}`);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(u, { method, headers: { authorization: `Bearer ${t.token}` } });
  } catch (err) {
    throw new VigilError('UNAVAILABLE', `cannot reach the Vigil API at ${t.url}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new VigilError('UNAVAILABLE', `${method} ${u.pathname}: HTTP ${res.status} with a body that is not JSON`);
  }
  if (!res.ok) {
    const msg = (body as { error?: string }).error ?? `HTTP ${res.status}`;
    const code = res.status === 404 ? 'NOT_FOUND' : res.status === 400 ? 'INVALID_INPUT' : res.status === 401 || res.status === 403 ? 'INVALID_INPUT' : res.status === 409 ? 'CONFLICT' : res.status === 422 ? 'NOT_COVERED' : res.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL';
    throw new VigilError(code, msg);
  }
  return body as T;
}
