import { open, unlink } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { VigilError } from '../common/errors.js';
import { vigilVersion } from '../common/version.js';

export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface DownloadOptions {
  /** Validators of the copy the database was last imported from; sent as a conditional request. */
  etag?: string;
  lastModified?: string;
  maxBytes?: number;
  /** How long the server may stay silent (connecting, before headers, or mid-body). */
  timeoutMs?: number;
  onProgress?(received: number, total: number | undefined): void;
}

export type DownloadResult =
  | { status: 'unchanged' }
  | { status: 'downloaded'; bytes: number; etag?: string; lastModified?: string; url: string };

/** A URL for messages: credentials a mirror URL may carry never reach a terminal or a log. */
export function displayUrl(url: string | URL): string {
  const u = new URL(url.toString());
  if (u.username || u.password) {
    u.username = '***';
    u.password = '';
  }
  return u.toString();
}

/** Why a URL may not be downloaded, or undefined when it may. */
export function urlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `not a valid URL: ${JSON.stringify(url)}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `only http and https URLs are allowed (got ${JSON.stringify(u.protocol)})`;
  return undefined;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

function fail(message: string, cause?: unknown): VigilError {
  return new VigilError('UNAVAILABLE', message, cause === undefined ? undefined : { cause });
}

/**
 * Fetch `url` into `dest` (created, never overwritten), following up to five
 * redirects. A 304 to a conditional request leaves `dest` uncreated. Any failure
 * removes `dest`, so a partial body is never mistaken for a feed; the caller
 * renames `dest` into place only once every feed of a run has arrived.
 */
export async function download(url: string, dest: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const conditional = opts.etag !== undefined || opts.lastModified !== undefined;
  const headers: Record<string, string> = {
    'user-agent': `vigil/${vigilVersion()}`,
    // The file on disk must be the file as published, and Content-Length its size.
    'accept-encoding': 'identity',
  };
  if (opts.etag !== undefined) headers['if-none-match'] = opts.etag;
  if (opts.lastModified !== undefined) headers['if-modified-since'] = opts.lastModified;

  let current = new URL(url);
  for (let hops = 0; ; hops++) {
    const where = current.toString() === new URL(url).toString() ? '' : ` (at ${displayUrl(current)})`;
    const { res, watchdog } = await get(current, headers, timeoutMs);
    const status = res.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      res.resume();
      watchdog.stop();
      const location = res.headers.location;
      if (!location) throw fail(`HTTP ${status} redirect without a Location${where}`);
      if (hops >= MAX_REDIRECTS) throw fail(`more than ${MAX_REDIRECTS} redirects${where}`);
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw fail(`HTTP ${status} redirect to an invalid Location ${JSON.stringify(location)}${where}`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw fail(`redirected to a ${next.protocol} URL, which is not allowed${where}`);
      if (current.protocol === 'https:' && next.protocol === 'http:') throw fail(`redirected from https to plain http (${displayUrl(next)}), which is not allowed`);
      current = next;
      continue;
    }
    if (status === 304) {
      res.resume();
      watchdog.stop();
      if (!conditional) throw fail(`HTTP 304 Not Modified to a request that was not conditional${where}`);
      return { status: 'unchanged' };
    }
    if (status !== 200) {
      res.resume();
      watchdog.stop();
      throw fail(`HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}${where}`);
    }
    const lengthHeader = res.headers['content-length'];
    const total = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    if (total !== undefined && total > maxBytes) {
      res.destroy();
      watchdog.stop();
      throw fail(`the response is ${formatBytes(total)}, over the ${formatBytes(maxBytes)} limit${where}`);
    }
    const bytes = await save(res, dest, { total, maxBytes, watchdog, onProgress: opts.onProgress, where });
    const etag = res.headers.etag;
    const lastModified = res.headers['last-modified'];
    return {
      status: 'downloaded',
      bytes,
      url: current.toString(),
      ...(etag !== undefined ? { etag } : {}),
      ...(lastModified !== undefined ? { lastModified } : {}),
    };
  }
}

interface Watchdog {
  /** Restart the silence timer: data arrived. */
  kick(): void;
  stop(): void;
  /** Why the request was torn down by the timer, if it was. */
  readonly reason: string | undefined;
}

function get(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<{ res: IncomingMessage; watchdog: Watchdog }> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    let timer: NodeJS.Timeout | undefined;
    let reason: string | undefined;
    const req = mod.get(url, { headers });
    const watchdog: Watchdog = {
      kick() {
        clearTimeout(timer);
        timer = setTimeout(() => {
          reason = `no data from the server for ${timeoutMs / 1000}s`;
          req.destroy(new Error(reason));
        }, timeoutMs);
      },
      stop() {
        clearTimeout(timer);
      },
      get reason() {
        return reason;
      },
    };
    watchdog.kick();
    req.on('response', (res) => {
      watchdog.kick();
      resolve({ res, watchdog });
    });
    req.on('error', (err) => {
      watchdog.stop();
      reject(fail(reason ?? describe(err), err));
    });
  });
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code && !e.message.includes(e.code) ? `${e.code}: ${e.message}` : e.message;
}

async function save(
  res: IncomingMessage,
  dest: string,
  o: { total: number | undefined; maxBytes: number; watchdog: Watchdog; onProgress: DownloadOptions['onProgress']; where: string },
): Promise<number> {
  let received = 0;
  let ok = false;
  // Listeners go on before anything is awaited: a server that resets right after the
  // headers would otherwise end the response unobserved and leave the download hanging.
  const opened = open(dest, 'wx', 0o644);
  // Writes are chained so the file stays in order; the body is paused while one is pending.
  let writing: Promise<unknown> = opened;
  // 'data' events rather than an async iterator: on a reset the iterator drops what
  // already arrived, and the message should say how far the body got.
  const body = new Promise<void>((resolve, reject) => {
    res.on('data', (chunk: Buffer) => {
      o.watchdog.kick();
      received += chunk.length;
      if (received > o.maxBytes) {
        res.destroy();
        reject(fail(`the response is over the ${formatBytes(o.maxBytes)} limit${o.where}`));
        return;
      }
      res.pause();
      writing = writing
        .then(() => opened)
        .then((h) => h.write(chunk))
        .then(
          () => {
            o.onProgress?.(received, o.total);
            res.resume();
          },
          (err: unknown) => {
            res.destroy();
            reject(err);
          },
        );
    });
    res.on('end', () => writing.then(() => resolve(), reject));
    res.on('error', reject);
    res.on('close', () => {
      if (!res.complete) reject(new Error('aborted'));
    });
  });
  try {
    try {
      o.onProgress?.(0, o.total);
      await body;
    } catch (err) {
      if (err instanceof VigilError) throw err;
      if (o.watchdog.reason) throw fail(`${o.watchdog.reason}, after ${formatBytes(received)}${o.where}`, err);
      const syscall = (err as NodeJS.ErrnoException).syscall;
      if (syscall === 'open' || syscall === 'write') throw new VigilError('IO', `cannot write ${dest}: ${describe(err)}`, { cause: err });
      const of = o.total !== undefined ? ` of ${o.total}` : '';
      throw fail(`the connection closed after ${received}${of} bytes (${describe(err)})${o.where}`, err);
    } finally {
      o.watchdog.stop();
      await writing.catch(() => {});
    }
    // A server that closes cleanly mid-body is as incomplete as one that resets.
    if (o.total !== undefined && received !== o.total) throw fail(`the response ended after ${received} of ${o.total} bytes${o.where}`);
    if (received === 0) throw fail(`the response body is empty${o.where}`);
    // The file is renamed over the previous copy later; its bytes must be on disk first.
    await (await opened).sync();
    ok = true;
    return received;
  } finally {
    const h = await opened.catch(() => undefined);
    await h?.close();
    if (!ok && h) await unlink(dest).catch(() => {});
  }
}
