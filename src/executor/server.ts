import { chmodSync, chownSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import type { Logger } from 'pino';
import { VigilError } from '../common/errors.js';
import { MAX_EXECUTOR_REPLY_BYTES, MAX_EXECUTOR_REQUEST_BYTES, encodeFrame, type ExecutorResult } from '../common/executor-protocol.js';
import { componentLogger } from '../common/log.js';
import type { ExecutorConfig } from './config.js';
import { execute, refuse } from './execute.js';
import { Ledger } from './ledger.js';
import type { SpawnFn } from './run.js';
import { Refusal } from './verify.js';

/** How long a client has to send its whole request. */
export const READ_TIMEOUT_MS = 10_000;
/** After the reply, how long a client that keeps the connection open may hold it. */
const LINGER_MS = 5_000;
/** Connections held at once; each buffers at most one request frame. */
const MAX_CONNECTIONS = 32;

/** A socket systemd passed (fd 3 with socket activation), or a path to create. */
export type ListenTarget = { fd: number } | { path: string; owner?: { uid: number; gid: number } };

export interface ExecutorOptions {
  config: ExecutorConfig;
  listen: ListenTarget;
  log?: Logger;
  /** Starts the package manager; child_process.spawn unless a test looks on. */
  spawnFn?: SpawnFn;
  readTimeoutMs?: number;
  now?: () => Date;
}

export interface RunningExecutor {
  /** Stops accepting, refuses requests still queued, waits for the running one. */
  close(): Promise<void>;
}

/**
 * Reads one frame: a 4-byte big-endian length, then that many bytes. A length
 * over the limit is refused as soon as the 4 bytes are in, before any of the
 * body is read. Rejects with Refusal, or with an Error when the connection fails.
 */
function readFrame(socket: net.Socket, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let have = 0;
    let need: number | undefined;
    const stop = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.pause();
    };
    const fail = (err: Error) => {
      stop();
      reject(err);
    };
    const onData = (b: Buffer) => {
      chunks.push(b);
      have += b.length;
      if (need === undefined && have >= 4) {
        need = Buffer.concat(chunks).readUInt32BE(0);
        if (need > MAX_EXECUTOR_REQUEST_BYTES) return fail(new Refusal('oversized', `the request frame declares ${need} bytes, more than ${MAX_EXECUTOR_REQUEST_BYTES}`));
        if (need === 0) return fail(new Refusal('malformed', 'the request frame is empty'));
      }
      if (need !== undefined && have >= 4 + need) {
        stop();
        // Bytes after the frame are ignored: one request per connection.
        resolve(Buffer.concat(chunks).subarray(4, 4 + need));
      }
    };
    const onEnd = () =>
      fail(new Refusal('malformed', need === undefined ? `the connection ended after ${have} bytes, before a frame length` : `the connection ended after ${have - 4} of the ${need} bytes the frame declares`));
    const onError = (err: Error) => fail(err);
    const timer = setTimeout(() => fail(new Refusal('read-timeout', `no whole request within ${timeoutMs / 1000} s`)), timeoutMs);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onError);
  });
}

/** The reply frame, its output tail cut from the front if it would not fit the reply limit. */
export function encodeReply(result: ExecutorResult): Buffer {
  let r = result;
  let frame = encodeFrame(r);
  while (frame.length - 4 > MAX_EXECUTOR_REPLY_BYTES && r.outputTail) {
    r = { ...r, outputTail: r.outputTail.slice(Math.min(r.outputTail.length, frame.length - 4 - MAX_EXECUTOR_REPLY_BYTES + 1024)) };
    frame = encodeFrame(r);
  }
  return frame;
}

async function listen(server: net.Server, target: ListenTarget): Promise<void> {
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
  });
  if ('fd' in target) {
    server.listen({ fd: target.fd });
    return listening;
  }
  try {
    if (lstatSync(target.path).isSocket()) unlinkSync(target.path);
    else throw new VigilError('INVALID_INPUT', `${target.path} exists and is not a socket`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Created 0600 from the start (bind obeys the umask), not opened up and then closed.
  const umask = process.umask(0o177);
  try {
    server.listen(target.path);
  } finally {
    process.umask(umask);
  }
  await listening;
  chmodSync(target.path, 0o600);
  if (target.owner) chownSync(target.path, target.owner.uid, target.owner.gid);
}

/**
 * The executor's socket server. Each connection carries one request frame and
 * gets one reply frame. Frames are read concurrently, but commands run one at a
 * time, in arrival order.
 */
export async function startExecutor(opts: ExecutorOptions): Promise<RunningExecutor> {
  const log = opts.log ?? componentLogger('executor');
  const ledger = Ledger.open(opts.config.stateDir, log);
  const now = opts.now ?? (() => new Date());
  const readTimeoutMs = opts.readTimeoutMs ?? READ_TIMEOUT_MS;
  const sockets = new Set<net.Socket>();
  let queue: Promise<unknown> = Promise.resolve();
  let closing = false;
  let connections = 0;

  const serialised = (fn: () => Promise<ExecutorResult>): Promise<ExecutorResult> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const reply = (socket: net.Socket, result: ExecutorResult, clog: Logger) => {
    if (socket.destroyed) {
      clog.warn({ command: result.commandId, outcome: result.outcome }, 'the client left before the reply');
      return;
    }
    socket.resume(); // whatever else the client sends is discarded
    socket.end(encodeReply(result));
    socket.setTimeout(LINGER_MS, () => socket.destroy());
  };

  const handle = async (socket: net.Socket) => {
    const clog = log.child({ conn: ++connections });
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (err) => clog.debug({ err: err.message }, 'connection error'));
    let result: ExecutorResult;
    try {
      const body = await readFrame(socket, readTimeoutMs);
      clog.debug({ bytes: body.length }, 'request read');
      result = await serialised(async () =>
        closing
          ? refuse(clog, new Refusal('stopping', 'the executor is stopping; nothing was run'))
          : execute(body, { config: opts.config, ledger, log: clog, now, spawnFn: opts.spawnFn }),
      );
    } catch (err) {
      if (!(err instanceof Refusal)) {
        clog.warn({ err: (err as Error).message }, 'connection failed before a whole request');
        socket.destroy();
        return;
      }
      result = refuse(clog, err);
    }
    reply(socket, result, clog);
  };

  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false }, (socket) => {
    handle(socket).catch((err: unknown) => {
      log.error({ err }, 'connection handler failed');
      socket.destroy();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  await listen(server, opts.listen);
  server.on('error', (err) => log.error({ err }, 'executor socket error'));
  log.info({ listen: 'fd' in opts.listen ? `fd ${opts.listen.fd}` : opts.listen.path, host: opts.config.hostId, manager: opts.config.manager, root: opts.config.root }, 'executor listening');

  return {
    close: async () => {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      for (const s of sockets) s.destroy();
      await closed;
      log.info('executor stopped');
    },
  };
}
