import net from 'node:net';
import { VigilError } from './errors.js';
import { MAX_EXECUTOR_REPLY_BYTES, encodeFrame, type ExecutorRequest, type ExecutorResult } from './executor-protocol.js';

const OUTCOMES: readonly string[] = ['refused', 'failed', 'completed'];

function isVersions(v: unknown): boolean {
  return Array.isArray(v) && v.every((p) => typeof p === 'object' && p !== null && typeof (p as { name?: unknown }).name === 'string');
}

/** The reply's shape, checked enough that callers can rely on the fields they read. */
function parseResult(body: Buffer): ExecutorResult {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new VigilError('INVALID_INPUT', 'the executor replied with something that is not JSON');
  }
  const r = v as Partial<ExecutorResult> | null;
  if (typeof r !== 'object' || r === null || !OUTCOMES.includes(r.outcome as string) || typeof r.verified !== 'boolean' || !isVersions(r.before) || !isVersions(r.after))
    throw new VigilError('INVALID_INPUT', 'the executor replied with something that is not an ExecutorResult');
  return r as ExecutorResult;
}

/**
 * Sends one signed command (its exact bytes, as the server sent them) to the
 * executor's Unix socket and returns the executor's result. `timeoutMs` covers the
 * whole exchange, the package manager's run included. Throws VigilError('IO') when
 * the executor cannot be reached or does not answer in time.
 */
export function submitToExecutor(socketPath: string, signedCommand: Buffer, timeoutMs: number): Promise<ExecutorResult> {
  return new Promise((resolve, reject) => {
    const request: ExecutorRequest = { signedCommand: signedCommand.toString('base64') };
    const socket = net.createConnection({ path: socketPath });
    const chunks: Buffer[] = [];
    let have = 0;
    let need: number | undefined;
    let settled = false;
    const settle = (err: Error | undefined, result?: ExecutorResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(result!);
    };
    const timer = setTimeout(() => settle(new VigilError('UNAVAILABLE', `the executor at ${socketPath} did not answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    socket.on('connect', () => socket.write(encodeFrame(request)));
    socket.on('data', (b: Buffer) => {
      chunks.push(b);
      have += b.length;
      if (need === undefined && have >= 4) {
        need = Buffer.concat(chunks).readUInt32BE(0);
        if (need > MAX_EXECUTOR_REPLY_BYTES) return settle(new VigilError('INVALID_INPUT', `the executor's reply declares ${need} bytes, more than ${MAX_EXECUTOR_REPLY_BYTES}`));
      }
      if (need !== undefined && have >= 4 + need) {
        try {
          settle(undefined, parseResult(Buffer.concat(chunks).subarray(4, 4 + need)));
        } catch (err) {
          settle(err as Error);
        }
      }
    });
    socket.on('end', () => settle(new VigilError('UNAVAILABLE', `the executor at ${socketPath} closed the connection before a whole reply`)));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      settle(new VigilError('UNAVAILABLE', `cannot talk to the executor at ${socketPath}: ${err.code ?? err.message}`, { cause: err })),
    );
  });
}
